#!/usr/bin/env bash
# Throughput, latency, startup and memory of `cartwright mock`, as ratios to a plain hyper
# server answering the same bytes, measured in one run on this machine. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
# BIN=dir measures binaries built elsewhere (an earlier commit, for a before/after).
bin=${BIN:-target/dist}
[ -n "${BIN:-}" ] || cargo build --profile dist -q -p cartwright -p cartwright-bench-plain
dur=${DUR:-10s} conn=${CONN:-64} threads=${THREADS:-2}
spec=crates/mock/tests/fixtures/shop.yaml
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT

wait_up() { for _ in $(seq 1 500); do curl -fs -o /dev/null "$1" && return 0; sleep 0.01; done; echo "not up: $1" >&2; return 1; }
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
p99() { awk '$1 == "99%" {print $2}' "$1"; }
# What a case reached: answers outside 2xx/3xx and socket errors, as wrk counts them (a fast
# run of 404s is not a fast mock). Only `invalid` should answer outside 2xx (all 422).
non2xx() { awk '/Non-2xx or 3xx responses/ {n = $5} END {print n + 0}' "$1"; }
errors() { awk '/Socket errors/ {gsub(/,/, ""); n = $4 + $6 + $8 + $10} END {print n + 0}' "$1"; }

"$bin/cartwright" mock "$spec" --port 4711 --quiet & mock=$!
wait_up http://127.0.0.1:4711/__cartwright/health
curl -fs http://127.0.0.1:4711/api/shop/products/featured > "$tmp/get.json"
"$bin/cartwright-bench-plain" 4712 "$tmp/get.json" & plain=$!
wait_up http://127.0.0.1:4712/
echo '{"currency":"EUR","items":[{"product":1,"quantity":2}]}' > "$tmp/valid.json"
echo '{"currency":"NOK","items":[{"product":"x","quantity":0}]}' > "$tmp/invalid.json"

load() { wrk -t"$threads" -c"$conn" -d"$dur" --latency "$@"; }
# The same GET with the request log on (the default), written to a file: the logging pair.
# One run moves by ±0.1 on a busy machine, so the plain server, the GET and the logged GET
# run three times interleaved (plain, quiet, logged, plain, …): each pair's ratio is taken
# within its round, and the median run of each stands in the table (plain is its base).
"$bin/cartwright" mock "$spec" --port 4716 > /dev/null 2> "$tmp/log.txt" & logged=$!
wait_up http://127.0.0.1:4716/__cartwright/health
for i in 1 2 3; do
  load http://127.0.0.1:4712/ > "$tmp/plain$i.txt"
  load http://127.0.0.1:4711/api/shop/products/featured > "$tmp/get$i.txt"
  load http://127.0.0.1:4716/api/shop/products/featured > "$tmp/logged$i.txt"
done
median_run() { for f in "$@"; do echo "$(rps "$f") $f"; done | sort -n | sed -n 2p | cut -d' ' -f2; }
for case in plain get logged; do cp "$(median_run "$tmp/$case"[123].txt)" "$tmp/$case.txt"; done
kill -INT "$logged"; wait "$logged" 2>/dev/null || true
BODY_FILE="$tmp/valid.json" load -s bench/post.lua http://127.0.0.1:4711/api/shop/cart > "$tmp/post.txt"
BODY_FILE="$tmp/invalid.json" load -s bench/post.lua http://127.0.0.1:4711/api/shop/cart > "$tmp/invalid.txt"
# The plain server sent the same POST: hyper reads a body and more headers than for the GET,
# so this is the like-for-like baseline of `post`, as `plain_cart` is of `inferred`.
BODY_FILE="$tmp/valid.json" load -s bench/post.lua http://127.0.0.1:4712/ > "$tmp/plain_post.txt"
"$bin/cartwright" mock specs/vendo-storefront.yaml --port 4714 --quiet & stateful=$!
wait_up http://127.0.0.1:4714/__cartwright/health
token=$(curl -fs -X POST http://127.0.0.1:4714/api/v2/storefront/cart | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["attributes"]["token"])')
ORDER_TOKEN="$token" load -s bench/stateful.lua http://127.0.0.1:4714 > "$tmp/stateful.txt"
# Inferred state (no x-cartwright): the unmodified Medusa spec, carts made first.
"$bin/cartwright" mock tests/corpus/medusa-store-v2.full.yaml --port 4715 --quiet & inferred=$!
wait_up http://127.0.0.1:4715/__cartwright/health
carts=$(python3 - <<'PY'
import json, urllib.request
ids = []
for _ in range(500):
    req = urllib.request.Request("http://127.0.0.1:4715/store/carts", data=b'{"region_id":"reg_1"}',
                                 headers={"content-type": "application/json"})
    ids.append(json.load(urllib.request.urlopen(req))["cart"]["id"])
print(",".join(ids))
PY
)
CARTS="$carts" load -s bench/inferred.lua http://127.0.0.1:4715 > "$tmp/inferred.txt"
# The plain server again, answering the bytes of one of those carts as they are now: the
# inferred answers are tens of kilobytes, so the kernel and the client pay for their size
# whoever makes them; this is the same-size baseline beside the 0.3 KB one.
curl -fs "http://127.0.0.1:4715/store/carts/${carts%%,*}" > "$tmp/cart.json"
"$bin/cartwright-bench-plain" 4717 "$tmp/cart.json" & plain_cart=$!
wait_up http://127.0.0.1:4717/
load http://127.0.0.1:4717/ > "$tmp/plain_cart.txt"
kill "$plain_cart"
rss=$(awk '/VmHWM/ {print $2}' "/proc/$mock/status")

base=$(rps "$tmp/plain.txt")
printf '%-34s %12s %8s %10s %10s %8s\n' "case (wrk -t$threads -c$conn -d$dur)" "requests/s" "ratio" "p99" "non-2xx" "errors"
for case in plain get logged post invalid plain_post stateful inferred plain_cart; do
  r=$(rps "$tmp/$case.txt")
  printf '%-34s %12s %8.2f %10s %10s %8s\n' "$case" "$r" "$(awk -v a="$r" -v b="$base" 'BEGIN {print a / b}')" \
    "$(p99 "$tmp/$case.txt")" "$(non2xx "$tmp/$case.txt")" "$(errors "$tmp/$case.txt")"
done
awk '/Requests\/sec/ {r = $2} /Transfer\/sec/ {t = $2; u = $2; sub(/[0-9.]+/, "", u); m = (u == "GB") ? 1073741824 : (u == "MB") ? 1048576 : (u == "KB" ? 1024 : 1); gsub(/[A-Za-z]/, "", t)} END {printf "inferred: %.0f bytes per answer on average\n", t * m / r}' "$tmp/inferred.txt"
awk -v a="$(rps "$tmp/post.txt")" -v b="$(rps "$tmp/plain_post.txt")" 'BEGIN {printf "post / plain sent the same POST = %.2f\n", a / b}'
awk -v a="$(rps "$tmp/inferred.txt")" -v b="$(rps "$tmp/plain_cart.txt")" -v n="$(wc -c < "$tmp/cart.json")" 'BEGIN {printf "inferred / plain answering one cart (%d bytes) = %.2f\n", n, a / b}'
ratios() { for i in 1 2 3; do awk -v a="$(rps "$tmp/$1$i.txt")" -v b="$(rps "$tmp/$2$i.txt")" 'BEGIN {printf "%.3f\n", a / b}'; done; }
gets=$(ratios get plain)
echo "GET / plain = $(echo $gets) (three interleaved rounds); median $(echo "$gets" | sort -n | sed -n 2p)"
pairs=$(ratios logged get)
echo "logging pair: logged / quiet GET = $(echo $pairs) (three interleaved pairs); median $(echo "$pairs" | sort -n | sed -n 2p)"
echo "log written in the logged case: $(wc -l < "$tmp/log.txt") lines, $(( $(wc -c < "$tmp/log.txt") / 1048576 )) MiB; $(grep -c 'log lines dropped' "$tmp/log.txt" || true) drop reports: $(grep 'log lines dropped' "$tmp/log.txt" | tail -1)"
echo "peak resident memory under load: $((rss / 1024)) MiB"
for s in "$spec" $(ls specs/*.yaml 2>/dev/null | grep -v overlay) tests/corpus/medusa-store-v2.full.yaml; do
  ms=$(python3 bench/startup.py 5 http://127.0.0.1:4713/__cartwright/health -- "$bin/cartwright" mock "$s" --port 4713 --quiet)
  echo "startup to first served request, $s: $ms ms (best of 5)"
done

# Scenario steps per second: two scenarios of 501 steps each, run at once against the mock
# (each step sent, asserted and checked against the spec).
"$bin/cartwright" run bench/scenarios --spec specs/vendo-storefront.yaml \
  --target http://127.0.0.1:4714 --jobs 2 --report-json "$tmp/steps.json" > /dev/null 2>&1 || true
python3 - "$tmp/steps.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
steps, ms = r["totals"]["steps"], r["run"]["duration_ms"]
print(f"scenario steps (cartwright run --jobs 2): {steps} steps in {ms} ms = {steps * 1000 / max(ms, 1):.0f} steps/s")
PY
