#!/usr/bin/env python3
"""Reads what one bench run left behind and prints the side-by-side table.

Inputs, all written by run.sh into one results folder: cartwright's JSON report, Schemathesis'
NDJSON events, the slice of Medusa's server log taken while each tool ran, and the output of
`/usr/bin/time -v` around each tool. Operations are counted against the spec's `/store`
paths, so both tools are measured on the same selection with the same yardstick.
"""

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import yaml  # PyYAML comes with Schemathesis, in the same venv

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
# Medusa's request log: `http:    GET /store/regions?x=1 ← - (200) - 12.3 ms`.
LOG_LINE = re.compile(r"http\S*:\s+([A-Z]+) (\S+) ← .*?\((\d{3})\)")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def store_operations(spec_path):
    """The spec's store operations (`/store`, `/auth/customer`) as (METHOD, template, regex), longest literal first."""
    spec = yaml.safe_load(Path(spec_path).read_text())
    ops = []
    for path, item in spec["paths"].items():
        if not path.startswith(("/store", "/auth/customer")):
            continue
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "/?$"
        for method in item:
            if method in METHODS:
                ops.append((method.upper(), path, re.compile(pattern)))
    # a literal segment beats a parameter: `/store/customers/me` before `/store/customers/{id}`
    ops.sort(key=lambda o: (o[1].count("{"), -len(o[1])))
    return ops


def template(ops, method, url):
    """The spec operation a concrete request belongs to, or None."""
    path = urlsplit(url).path if "://" in url else url.split("?", 1)[0]
    for m, tpl, rx in ops:
        if m == method.upper() and rx.match(path):
            return f"{m} {tpl}"
    return None


def from_log(ops, log_file):
    """Requests Medusa logged, and operations it answered with a 2xx at least once."""
    requests, reached, statuses = 0, set(), Counter()
    if not Path(log_file).exists():
        return None
    for line in Path(log_file).read_text(errors="replace").splitlines():
        m = LOG_LINE.search(ANSI.sub("", line))
        if not m:
            continue
        requests += 1
        status = int(m.group(3))
        statuses[status // 100] += 1
        op = template(ops, m.group(1), m.group(2))
        if op and 200 <= status < 300:
            reached.add(op)
    return {"requests": requests, "reached": reached, "statuses": statuses}


def from_time(time_file):
    """Wall seconds and peak resident MiB from `/usr/bin/time -v`."""
    text = Path(time_file).read_text(errors="replace") if Path(time_file).exists() else ""
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", text)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    seconds = None
    if wall:
        h, m, s = wall.groups()
        seconds = int(h or 0) * 3600 + int(m) * 60 + float(s)
    return seconds, (int(rss.group(1)) / 1024 if rss else None)


def first_line(text):
    return (text or "").strip().splitlines()[0][:160] if (text or "").strip() else ""


def from_cartwright(ops, report_file):
    """Requests, 2xx operations and failures from cartwright's JSON report."""
    run = json.loads(Path(report_file).read_text())["run"]
    requests, reached, failures = 0, set(), defaultdict(list)
    for case in run["cases"]:
        for step in case["steps"]:
            # The walk's steps name their operation after a word ("stateful GET /x").
            head = re.search(r"\b(GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS|TRACE) (/\S*)", step["name"]) \
                or re.match(r"([A-Z]+) (\S+)", case["name"])
            op = template(ops, *head.groups()) if head else None
            status = step["response_status"]
            if op and status and 200 <= status < 300:
                reached.add(op)
            for check in step["checks"]:
                if not check["passed"]:
                    where = op or (head.group(0) if head else case["name"])
                    why = first_line(check.get("detail") or step.get("reason")) or first_line(
                        f"expected {check.get('expected')}, actual {check.get('actual')}")
                    failures[(check["name"], where)].append(
                        {"why": why, "status": status, "curl": step.get("curl"),
                         "body": " ".join((step.get("response_body") or "").split())[:300]}
                    )
        if case.get("error"):
            failures[("error", case["name"])].append({"why": first_line(case["error"])})
    # The report's own coverage counts every request it sent, by operation.
    coverage = run.get("coverage") or {}
    if coverage.get("operations"):
        requests = sum(sum(o["statuses"].values()) for o in coverage["operations"])
        reached = {template(ops, *o["signature"].split(" ", 1))
                   for o in coverage["operations"] if o["reached"]}
    return {"requests": requests, "reached": reached, "failures": failures}


def from_schemathesis(ops, ndjson_file):
    """Requests, 2xx operations and failures from Schemathesis' NDJSON events."""
    requests, reached, failures = 0, set(), defaultdict(list)
    for line in Path(ndjson_file).read_text().splitlines():
        event = json.loads(line)
        if "NonFatalError" in event:
            err = event["NonFatalError"]
            failures[("error", err.get("label", "?"))].append({"why": first_line(json.dumps(err.get("info", err))[:300])})
        finished = event.get("ScenarioFinished")
        if not finished:
            continue
        recorder = finished["recorder"]
        exchanges = {}
        for case_id, inter in recorder.get("interactions", {}).items():
            requests += 1
            req, resp = inter["request"], inter.get("response") or {}
            status = resp.get("status_code")
            op = template(ops, req["method"], req["uri"])
            if op and status and 200 <= status < 300:
                reached.add(op)
            exchanges[case_id] = (req, resp)
        for case_id, checks in recorder.get("checks", {}).items():
            for check in checks:
                if check["status"] != "failure":
                    continue
                info = (check.get("failure_info") or {}).get("failure", {})
                req, resp = exchanges.get(case_id, ({}, {}))
                body = resp.get("content", {}) if isinstance(resp, dict) else {}
                failures[(check["name"], info.get("operation", recorder["label"]))].append(
                    {"why": first_line(info.get("title", "")) + ": " + first_line(info.get("message", "")),
                     "status": resp.get("status_code") if resp else None,
                     "request": f"{req.get('method', '')} {req.get('uri', '')} {decode(req.get('body'))}"[:400],
                     "body": decode(body)[:300]}
                )
    return {"requests": requests, "reached": reached, "failures": failures}


def decode(content):
    """An NDJSON response body as text (it is stored base64)."""
    import base64

    if not isinstance(content, dict) or "$base64" not in content:
        return " ".join(str(content or "").split())
    text = base64.b64decode(content["$base64"]).decode("utf-8", "replace")
    return " ".join(text.split())  # one line per exchange in the listing


def main(results, spec):
    results = Path(results)
    ops = store_operations(spec)
    tools = {
        "cartwright": (from_cartwright, results / "cartwright.json"),
        "Schemathesis": (from_schemathesis, results / "schemathesis.ndjson"),
    }
    rows, details = {}, []
    for name, (reader, path) in tools.items():
        key = name.lower()
        seen = reader(ops, path) if path.exists() else None
        log = from_log(ops, results / f"{key}.server.log")
        wall, rss = from_time(results / f"{key}.time")
        rows[name] = (seen, log, wall, rss)
        if seen:
            details.append(f"\n## {name}: failures by check and operation\n")
            for (check, op), hits in sorted(seen["failures"].items()):
                details.append(f"- {check} | {op} | {len(hits)}x")
                # one sample exchange for each distinct reason, so no kind of failure is hidden
                for why, count in Counter(h["why"] for h in hits).most_common(6):
                    sample = next(h for h in hits if h["why"] == why)
                    details.append(f"  - {count}x {why}")
                    if sample.get("request") or sample.get("curl"):
                        details.append(f"    - request: {sample.get('request') or sample.get('curl')}")
                    if sample.get("status") or sample.get("body"):
                        details.append(f"    - answer: {sample.get('status')} {sample.get('body')}")
    print(table(rows, len(ops)))
    # the publishable key is local, but a listing worth keeping should not carry it
    print(re.sub(r"pk_[0-9a-f]{16,}", "pk_…", "\n".join(details)))


def table(rows, total_ops):
    def cell(v, fmt="{}"):
        return "n/a" if v is None else fmt.format(v)

    names = list(rows)
    lines = ["| measure | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]

    def row(label, pick):
        lines.append(f"| {label} | " + " | ".join(pick(*rows[n]) for n in names) + " |")

    row("wall time (s)", lambda s, l, w, r: cell(w, "{:.1f}"))
    row("peak RSS (MiB)", lambda s, l, w, r: cell(r, "{:.0f}"))
    row("requests (tool's own count)", lambda s, l, w, r: cell(s and s["requests"]))
    row("requests (Medusa's log)", lambda s, l, w, r: cell(l and l["requests"]))
    row("answers 2xx / 4xx / 5xx (log)", lambda s, l, w, r: cell(
        l and "{} / {} / {}".format(l["statuses"][2], l["statuses"][4], l["statuses"][5])))
    row(f"operations with a 2xx, of {total_ops} (tool)", lambda s, l, w, r: cell(s and len(s["reached"])))
    row(f"operations with a 2xx, of {total_ops} (log)", lambda s, l, w, r: cell(l and len(l["reached"])))
    row("failures: distinct check+operation", lambda s, l, w, r: cell(s and len(s["failures"])))
    checks = sorted({c for s, *_ in rows.values() if s for c, _ in s["failures"]})
    for check in checks:
        row(f"… {check}", lambda s, l, w, r, c=check: cell(
            s and "{} ops, {} hits".format(
                sum(1 for k in s["failures"] if k[0] == c),
                sum(len(v) for k, v in s["failures"].items() if k[0] == c))))
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: tally.py RESULTS_DIR SPEC")
    main(sys.argv[1], sys.argv[2])
