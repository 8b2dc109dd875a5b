#!/usr/bin/env bash
# Instructions per request of the mock for one case, counted by callgrind: repeatable on a
# machine too busy for wrk's figures to mean much. The count starts after start-up (zeroed
# once the mock answers) and covers N requests sent by bench/drive.py, setup included.
# `logged` is `get` with the request log on (written to a file by its own thread, which
# callgrind counts too), the other half of the logging pair. `plain` is bench/plain (next to
# BIN) answering the GET's bytes: the baseline, so a ratio of counts can stand beside wrk's;
# `plain_post` is that server sent the POST, which hyper alone reads at a higher price.
# `raw` and `raw_post` are the same with bench/plain's cartwright-bench-raw (HTTP/1 read
# with httparse, no hyper): what the HTTP layer itself costs. PORT= picks another port.
#   bash bench/callgrind.sh plain|plain_post|raw|raw_post|get|logged|post|vendo|medusa [N] [BIN]
set -euo pipefail
cd "$(dirname "$0")/.."
case=$1 n=${2:-2000} bin=${3:-target/dist/cartwright} port=${PORT:-4741} quiet=--quiet
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind; }
case $case in
  get|post|plain|plain_post|raw|raw_post) spec=crates/mock/tests/fixtures/shop.yaml ;;
  logged) spec=crates/mock/tests/fixtures/shop.yaml quiet= ;;
  vendo) spec=specs/vendo-storefront.yaml ;;
  medusa) spec=tests/corpus/medusa-store-v2.full.yaml ;;
  *) echo "unknown case $case" >&2; exit 2 ;;
esac
out=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true' EXIT
plain=; server=cartwright-bench-plain
case $case in plain*) plain=1 ;; raw*) plain=1 server=cartwright-bench-raw ;; esac
if [ -n "$plain" ]; then
  "$bin" mock "$spec" --port $port --quiet & pid=$!
  for _ in $(seq 1 500); do curl -fs -o "$out/get.json" "http://127.0.0.1:$port/api/shop/products/featured" && break; sleep 0.01; done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$(dirname "$bin")/$server" $port "$out/get.json" \
    > "$out/log" 2>&1 & pid=$!
else
  valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$bin" mock "$spec" --port $port $quiet \
    > "$out/log" 2>&1 & pid=$!
fi
health=/__cartwright/health; [ -n "$plain" ] && health=/
for _ in $(seq 1 1500); do curl -fs -o /dev/null "http://127.0.0.1:$port$health" && break; sleep 0.2; done
case $case in plain|raw|logged) case_sent=get ;; plain_post|raw_post) case_sent=post ;; *) case_sent=$case ;; esac
# Valgrind takes a command only while the program runs. The mock's timers wake it; the
# plain server has none, so it is woken by one GET, at most one request in N of its count.
nudged() {
  callgrind_control "$1" "$pid" > /dev/null &
  if [ -n "$plain" ]; then python3 bench/drive.py $port 1 get > /dev/null; fi
  wait $!
}
nudged -z
python3 bench/drive.py $port "$n" "$case_sent"
nudged -d
# The plain server has no SIGINT handler and, started in the background, ignores SIGINT.
sig=INT; [ -n "$plain" ] && sig=TERM
kill -$sig "$pid"; wait "$pid" 2>/dev/null || true
file=$out/cg.1  # the dump asked for; `cg` is the one written at exit
total=$(callgrind_annotate "$file" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
echo "$case: $((total / n)) instructions per request ($n requests; profile: $file)"
