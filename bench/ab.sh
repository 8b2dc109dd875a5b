#!/usr/bin/env bash
# The stateful case (bench/stateful.lua: add item / read cart on one Vendo order token) on
# two builds, interleaved: A, B, A, B, A, B, 10 s of wrk each, requests per second printed
# per round. For a change whose cost is smaller than a shared machine's drift between two
# whole bench/run.sh runs.
#   bash bench/ab.sh DIR_A DIR_B   (directories holding a `cartwright` binary)
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: bash bench/ab.sh DIR_A DIR_B" >&2; exit 2; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
dirs=("$1" "$2") pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
tokens=()
for i in 0 1; do
  port=$((4761 + i))
  "${dirs[$i]}/cartwright" mock specs/vendo-storefront.yaml --port $port --quiet > /dev/null 2>&1 &
  pids+=($!)
  for _ in $(seq 1 200); do curl -fs -o /dev/null "http://127.0.0.1:$port/__cartwright/health" && break; sleep 0.05; done
  tokens+=("$(curl -fs -X POST "http://127.0.0.1:$port/api/v2/storefront/cart" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["attributes"]["token"])')")
done
for round in 1 2 3; do
  for i in 0 1; do
    rps=$(ORDER_TOKEN=${tokens[$i]} wrk -t2 -c64 -d10s -s bench/stateful.lua "http://127.0.0.1:$((4761 + i))" \
      | awk '/Requests\/sec/ {print $2}')
    echo "round $round, ${dirs[$i]}: $rps requests/s"
  done
done
