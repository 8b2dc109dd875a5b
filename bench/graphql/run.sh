#!/usr/bin/env bash
# Queries per second of `cartwright mock specs/centra-storefront.graphql` for a typical
# product-listing query (bench/graphql/listing.graphql: 20 display items with prices, media
# and sizes, pagination and filters), against the release binary, on loopback only, for a
# bounded time. See the GraphQL section of bench/README.md. `BIN=path` measures another
# build of the binary (it is then not built here).
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
bin=${BIN:-target/release/cartwright}
[ -n "${BIN:-}" ] || cargo build --release -q -p cartwright
dur=${DUR:-10s} conn=${CONN:-64} threads=${THREADS:-2} port=${PORT:-4721}
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT

wait_up() { for _ in $(seq 1 500); do curl -fs -o /dev/null "$1" && return 0; sleep 0.01; done; echo "not up: $1" >&2; return 1; }

"$bin" mock specs/centra-storefront.graphql --port "$port" --seed 7 --quiet &
wait_up "http://127.0.0.1:$port/__cartwright/health"
url="http://127.0.0.1:$port/graphql"

# The request bodies: no-session (a catalog cache filling itself) and a shopper's session.
python3 - "$tmp" <<'PY'
import json, sys
q = open("bench/graphql/listing.graphql").read()
v = {"page": 1, "limit": 20, "market": 1, "pricelist": 19, "language": "en"}
json.dump({"query": q, "variables": v}, open(sys.argv[1] + "/no_session.json", "w"))
q = q.replace(", market: [$market], pricelist: [$pricelist], languageCode: [$language]", "")
q = q.replace(", $market: Int!, $pricelist: Int!, $language: String!", "")
json.dump({"query": q, "variables": {"page": 1, "limit": 20}}, open(sys.argv[1] + "/session.json", "w"))
# A change of state that leaves the session as it is (its language is already English).
m = 'mutation { setLanguage(code: "en") { session { language { code } } } }'
json.dump({"query": m}, open(sys.argv[1] + "/mutation.json", "w"))
PY
session=$(curl -fs "$url" -H 'authorization: Bearer session-token' -H 'content-type: application/json' \
  -d '{"query":"{ session { country { code } } }"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["extensions"]["token"])')

# Each query must answer without errors before it is measured.
check() {
  curl -fs "$url" -H "authorization: Bearer $1" -H 'content-type: application/json' -d @"$2" |
    python3 -c 'import json,sys; r=json.load(sys.stdin); assert "errors" not in r, r["errors"]; assert len(r["data"]["displayItems"]["list"]) == 20'
}
check no-session-token "$tmp/no_session.json"
check "$session" "$tmp/session.json"

load() { BODY_FILE="$1" TOKEN="$2" wrk -t"$threads" -c"$conn" -d"$dur" --latency -s bench/graphql/post.lua "$url"; }
load "$tmp/no_session.json" no-session-token > "$tmp/no_session.txt"
load "$tmp/session.json" "$session" > "$tmp/session.txt"
# Every listing after a mutation: the path a change of state takes (nothing from the cache).
BODY_FILE="$tmp/session.json" MUTATION_FILE="$tmp/mutation.json" TOKEN="$session" \
  wrk -t"$threads" -c"$conn" -d"$dur" --latency -s bench/graphql/alternate.lua "$url" > "$tmp/alternate.txt"
bytes=$(curl -fs "$url" -H 'authorization: Bearer no-session-token' -H 'content-type: application/json' -d @"$tmp/no_session.json" | wc -c)

printf '%-44s %12s %10s\n' "product listing, 20 items (wrk -t$threads -c$conn -d$dur)" "queries/s" "p99"
for case in no_session session alternate; do
  printf '%-44s %12s %10s\n' "$case" "$(awk '/Requests\/sec/ {print $2}' "$tmp/$case.txt")" "$(awk '$1 == "99%" {print $2}' "$tmp/$case.txt")"
done
echo "(alternate: requests/s of mutation and listing together, half of them listings)"
echo "answer size: $bytes bytes"
