#!/usr/bin/env bash
# Generated requests per second of `cartwright verify` and of Schemathesis, against the same
# `cartwright mock` on loopback, same spec, same seed, same examples per operation, all checks.
# Requests are counted at the mock: one log line per request it answers. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
n=${MAX_EXAMPLES:-100} reps=${REPS:-3} seed=${SEED:-1} jobs=${JOBS:-1}
specs=${SPECS:-centra-checkout vendo-storefront}
venv=bench/verify/.venv st=bench/verify/.venv/bin/st
[ -x "$st" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q "schemathesis==${ST_VERSION:-4.32.5}"; }
cargo build --release -q --bin cartwright
cw=$root/target/release/cartwright
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 1 500); do curl -fs -o /dev/null "$1" && return 0; sleep 0.01; done; echo "not up: $1" >&2; return 1; }
now() { date +%s.%N; }
answered() { grep -c ' INFO ' "$1" || true; } # request lines in the mock's log

# One run of one tool: reset the mock, run, print "requests seconds".
measure() { # log url tool spec
  local log=$1 url=$2 tool=$3 spec=$4 before t0 t1
  curl -fs -X POST -H 'content-type: application/json' "$url/__cartwright/reset" > /dev/null
  before=$(answered "$log")
  t0=$(now)
  case $tool in
    cartwright) "$cw" verify "$root/specs/$spec.yaml" --target "$url" --checks all \
        --max-examples "$n" --seed "$seed" --jobs "$jobs" > "$tmp/$tool.out" 2>&1 || true ;;
    schemathesis) (cd "$tmp" && "$root/$st" run "$root/specs/$spec.yaml" --origin "$url" --checks all \
        --max-examples "$n" --seed "$seed" --workers "$jobs" --continue-on-failure \
        --generation-database none --no-color > "$tmp/$tool.out" 2>&1) || true ;;
  esac
  t1=$(now)
  echo "$(( $(answered "$log") - before )) $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')"
}

printf '%-18s %-13s %9s %9s %11s\n' spec tool requests seconds requests/s
for spec in $specs; do
  port=$(free_port) url=http://127.0.0.1:$port log=$tmp/$spec.log
  "$cw" mock "specs/$spec.yaml" --port "$port" --seed "$seed" \
    --secret shared=SharedSecretExample1234 > /dev/null 2> "$log" & mock=$!
  wait_up "$url/__cartwright/health"
  declare -A rate=()
  for tool in cartwright schemathesis; do
    for _ in $(seq 1 "$reps"); do measure "$log" "$url" "$tool" "$spec"; done > "$tmp/runs"
    grep -q '^0 ' "$tmp/runs" && { echo "$tool sent no request to $spec:" >&2; tail -20 "$tmp/$tool.out" >&2; exit 1; }
    # The median run by requests/s.
    read -r req sec rps < <(awk '{printf "%s %s %.0f\n", $1, $2, $1 / $2}' "$tmp/runs" | sort -k3 -n | sed -n "$(( (reps + 1) / 2 ))p")
    rate[$tool]=$rps
    printf '%-18s %-13s %9s %9s %11s   (runs: %s)\n' "$spec" "$tool" "$req" "$sec" "$rps" "$(awk '{printf "%.0f/s ", $1 / $2}' "$tmp/runs")"
  done
  awk -v a="${rate[cartwright]}" -v b="${rate[schemathesis]}" -v s="$spec" 'BEGIN {printf "%-18s ratio cartwright / schemathesis: %.1f\n", s, a / b}'
  kill "$mock"; wait "$mock" 2>/dev/null || true
done
