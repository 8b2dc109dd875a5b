#!/usr/bin/env python3
"""Writes an OpenAPI Overlay that declares Medusa's publishable key as a security scheme.

Medusa wants `x-publishable-api-key` on every `/store` request, but its spec declares no such
scheme, so `cartwright verify --auth header=x-publishable-api-key:KEY` would place the key
nowhere. This overlay adds an API-key header scheme of that name and requires it, beside the
operation's own requirements, on every `/store` operation. It is only for a cartwright
without `-H`/`--header`, which sends a header on every request by itself.

usage: key_overlay.py SPEC OUT
"""

import sys

import yaml

METHODS = ("get", "put", "post", "delete", "patch")
SCHEME = "publishable_key"


def main(spec_path, out_path):
    spec = yaml.safe_load(open(spec_path))
    actions = [{
        "target": "$.components.securitySchemes",
        "update": {SCHEME: {"type": "apiKey", "in": "header", "name": "x-publishable-api-key"}},
    }]
    for path, item in spec["paths"].items():
        if not path.startswith("/store"):
            continue
        for method, op in item.items():
            if method not in METHODS:
                continue
            own = op.get("security") or spec.get("security")
            # each alternative keeps its own credentials and gains the key
            security = [{**req, SCHEME: []} for req in own] if own else [{SCHEME: []}]
            actions.append({"target": f"$.paths['{path}'].{method}", "update": {"security": security}})
    overlay = {"overlay": "1.0.0", "info": {"title": "Medusa publishable key", "version": "1"},
               "actions": actions}
    with open(out_path, "w") as out:
        yaml.safe_dump(overlay, out, sort_keys=False)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: key_overlay.py SPEC OUT")
    main(sys.argv[1], sys.argv[2])
