#!/usr/bin/env bash
# Instructions per request of the mock for one case, counted by callgrind: repeatable on a
# machine too busy for wrk's figures to mean much. The count starts after start-up (zeroed
# once the mock answers) and covers N requests sent by bench/drive.py, setup included.
# `logged` is `get` with the request log on (written to a file by its own thread, which
# callgrind counts too), the other half of the logging pair. PORT= picks another port.
#   bash bench/callgrind.sh get|logged|post|vendo|medusa [N] [BIN]
set -euo pipefail
cd "$(dirname "$0")/.."
case=$1 n=${2:-2000} bin=${3:-target/release/cartwright} port=${PORT:-4741} quiet=--quiet
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind; }
case $case in
  get|post) spec=crates/mock/tests/fixtures/shop.yaml ;;
  logged) spec=crates/mock/tests/fixtures/shop.yaml quiet= ;;
  vendo) spec=specs/vendo-storefront.yaml ;;
  medusa) spec=tests/corpus/medusa-store-v2.full.yaml ;;
  *) echo "unknown case $case" >&2; exit 2 ;;
esac
out=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true' EXIT
valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$bin" mock "$spec" --port $port $quiet \
  > "$out/log" 2>&1 & pid=$!
for _ in $(seq 1 1500); do curl -fs -o /dev/null "http://127.0.0.1:$port/__cartwright/health" && break; sleep 0.2; done
callgrind_control -z "$pid" > /dev/null
python3 bench/drive.py $port "$n" "${case/logged/get}"
callgrind_control -d "$pid" > /dev/null
kill -INT "$pid"; wait "$pid" 2>/dev/null || true
file=$(ls -S "$out"/cg* | head -1)
total=$(callgrind_annotate "$file" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
echo "$case: $((total / n)) instructions per request ($n requests; profile: $file)"
