#!/usr/bin/env bash
# Where a request's CPU time goes, in user space and in the kernel, for the mock and for plain
# hyper under the same wrk load: CPU time per request from /proc (user and system), and with
# `perf` the system calls and scheduler switches per request. `spinN` is plain hyper sent
# the POST with N rounds of arithmetic added per request (bench/plain's SPIN): it shows how
# much extra kernel time a server pays only for being slower in user space; `raw` and
# `raw_post` are bench/plain's cartwright-bench-raw (HTTP/1 without hyper). See
# bench/README.md ("Kernel time per request").
#   BIN=dir bash bench/kernel.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
bin=${BIN:-target/dist}
[ -n "${BIN:-}" ] || cargo build --profile dist -q -p cartwright -p cartwright-bench-plain --bins
dur=${DUR:-5s} spins=${SPINS:-1000 2000}
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
wait_up() { for _ in $(seq 1 500); do curl -fs -o /dev/null "$1" && return 0; sleep 0.01; done; echo "not up: $1" >&2; return 1; }
perf=; perf stat -e syscalls:sys_enter_writev true >/dev/null 2>&1 && perf=1
events=syscalls:sys_enter_recvfrom,syscalls:sys_enter_writev,syscalls:sys_enter_sendto,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_futex,sched:sched_switch

declare -A pid  # each server's process, by port
"$bin/cartwright" mock crates/mock/tests/fixtures/shop.yaml --port 4721 --quiet & pid[4721]=$!
wait_up http://127.0.0.1:4721/__cartwright/health
curl -fs http://127.0.0.1:4721/api/shop/products/featured > "$tmp/get.json"
echo '{"currency":"EUR","items":[{"product":1,"quantity":2}]}' > "$tmp/valid.json"
"$bin/cartwright-bench-plain" 4722 "$tmp/get.json" & pid[4722]=$!
wait_up http://127.0.0.1:4722/
"$bin/cartwright-bench-raw" 4720 "$tmp/get.json" & pid[4720]=$!
wait_up http://127.0.0.1:4720/
port=4723
for n in $spins; do
  "$bin/cartwright-bench-plain" $port "$tmp/get.json" "$n" & pid[$port]=$!
  wait_up http://127.0.0.1:$port/
  port=$((port + 1))
done

ticks=$(getconf CLK_TCK)
# One case: wrk against a port, the server's CPU time and events counted around it, and
# what wrk counted outside 2xx/3xx (a fast run of errors is not a fast server).
measure() {
  local name=$1 port=$2 path=$3 before after counting=
  local server=${pid[$port]}
  shift 3
  before=$(awk '{print $14, $15}' "/proc/$server/stat")
  if [ -n "$perf" ]; then
    perf stat -x, -e "$events" -p "$server" -- sleep "${dur%s}" 2> "$tmp/perf.txt" &
    counting=$!
  fi
  wrk -t2 -c64 -d"$dur" "$@" "http://127.0.0.1:$port$path" > "$tmp/wrk.txt"
  [ -z "$counting" ] || wait "$counting"
  after=$(awk '{print $14, $15}' "/proc/$server/stat")
  local n rps bad
  n=$(awk '/requests in/ {print $1}' "$tmp/wrk.txt")
  rps=$(awk '/Requests\/sec/ {print $2}' "$tmp/wrk.txt")
  bad=$(awk '/Non-2xx or 3xx responses/ {b = $5} END {print b + 0}' "$tmp/wrk.txt")
  printf '%-12s %10.0f %8s %8.2f %8.2f' "$name" "$rps" "$bad" \
    "$(echo "$before $after" | awk -v n="$n" -v t="$ticks" '{print ($3 - $1) / t * 1e6 / n}')" \
    "$(echo "$before $after" | awk -v n="$n" -v t="$ticks" '{print ($4 - $2) / t * 1e6 / n}')"
  if [ -n "$perf" ]; then
    awk -F, -v n="$n" '{printf " %8.3f", $1 / n}' "$tmp/perf.txt"
  fi
  echo
}
post=(-s bench/post.lua)
export BODY_FILE="$tmp/valid.json"
printf '%-12s %10s %8s %8s %8s' case requests/s non-2xx "user µs" "sys µs"
[ -z "$perf" ] || printf ' %8s %8s %8s %8s %8s %8s' recvfrom writev sendto epoll futex switch
printf '   (per request; wrk -t2 -c64 -d%s)\n' "$dur"
measure plain 4722 /
measure get 4721 /api/shop/products/featured
measure plain_post 4722 / "${post[@]}"
measure raw 4720 /
measure raw_post 4720 / "${post[@]}"
measure post 4721 /api/shop/cart "${post[@]}"
port=4723
for n in $spins; do
  measure "spin$n" $port / "${post[@]}"
  port=$((port + 1))
done
