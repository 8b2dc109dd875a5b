"""Sends N requests of one bench case over one keep-alive connection, checking each status.

Used by bench/callgrind.sh, where the mock runs under valgrind and wrk would only measure
valgrind: `python3 bench/drive.py PORT N CASE` with CASE one of
  get      GET /api/shop/products/featured (crates/mock/tests/fixtures/shop.yaml)
  post     POST /api/shop/cart with a valid JSON body, as bench/run.sh's post case
  vendo    a cart made, then alternately add_item and read it (specs/vendo-storefront.yaml)
  medusa   50 carts made, then alternately a line item added and the cart read, round-robin
           (tests/corpus/medusa-store-v2.full.yaml), as bench/inferred.lua does
"""
import http.client
import json
import sys

port, n, case = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
c = http.client.HTTPConnection("127.0.0.1", port)


def send(method, path, body=None, headers=None):
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    assert r.status < 300, (method, path, r.status, data[:200])
    return data


if case == "get":
    for _ in range(n):
        send("GET", "/api/shop/products/featured")
elif case == "post":
    body = '{"currency":"EUR","items":[{"product":1,"quantity":2}]}\n'
    for _ in range(n):
        send("POST", "/api/shop/cart", body, {"Content-Type": "application/json", "X-Api-Key": "bench"})
elif case == "vendo":
    made = json.loads(send("POST", "/api/v2/storefront/cart"))
    token = made["data"]["attributes"]["token"]
    for i in range(n):
        if i % 2:
            send("POST", "/api/v2/storefront/cart/add_item", '{"variant_id":"1","quantity":1}',
                 {"Content-Type": "application/json", "X-Vendo-Order-Token": token})
        else:
            send("GET", "/api/v2/storefront/cart", headers={"X-Vendo-Order-Token": token})
elif case == "medusa":
    json_type = {"content-type": "application/json"}
    ids = [json.loads(send("POST", "/store/carts", '{"region_id":"reg_1"}', json_type))["cart"]["id"]
           for _ in range(50)]
    for i in range(n):
        cart = ids[(i // 2) % len(ids)]
        if i % 2:
            send("POST", f"/store/carts/{cart}/line-items",
                 '{"variant_id":"variant_1","quantity":1}', json_type)
        else:
            send("GET", f"/store/carts/{cart}")
else:
    sys.exit(f"unknown case {case}")
