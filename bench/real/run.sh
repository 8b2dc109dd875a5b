#!/usr/bin/env bash
# cartwright verify and Schemathesis 4.32 side by side against a real Medusa 2 store server.
#
#   bash bench/real/run.sh [--no-fresh] [--seed S] [--max-examples N]
#
# Starts the seeded Medusa server (`up.sh --fresh`, so both tools meet the same data; pass
# `--no-fresh` when the server is already up and others are using it), runs both tools on
# the spec's `/store` operations with the publishable key, and writes the table and the
# failures grouped by check and operation to bench/real/results/<time>/table.md.
#
# Environment: MEDUSA_SERVER_DIR (default $REPO/../shared/real-servers/medusa), MEDUSA_HOME
# (default /tmp/medusa-local), ST_VENV (default bench/real/.venv), TOOL_TIMEOUT (seconds per
# tool, default 1800), ST_WORKERS (default 2, as cartwright's default --jobs).
set -euo pipefail

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$REPO/bench/real"
SPEC="tests/corpus/medusa-store-v2.full.yaml"
FRESH=--fresh
SEED=1
MAX_EXAMPLES=25
while [ $# -gt 0 ]; do
  case "$1" in
    --no-fresh) FRESH= ;;
    --seed) SEED="${2:?--seed needs a number}"; shift ;;
    --max-examples) MAX_EXAMPLES="${2:?--max-examples needs a number}"; shift ;;
    *) echo "run.sh: unknown argument '$1' (known: --no-fresh, --seed S, --max-examples N)" >&2; exit 2 ;;
  esac
  shift
done

say() { echo "bench/real: $*" >&2; }
die() { say "$*"; exit 1; }

MEDUSA_SERVER_DIR="${MEDUSA_SERVER_DIR:-$REPO/../shared/real-servers/medusa}"
MEDUSA_HOME="${MEDUSA_HOME:-/tmp/medusa-local}"
ST_VENV="${ST_VENV:-$HERE/.venv}"
TOOL_TIMEOUT="${TOOL_TIMEOUT:-1800}"
ST_WORKERS="${ST_WORKERS:-2}"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"
cd "$REPO"

# 1. The server. Without --no-fresh it is reset to the seeded state, which others may be using.
if [ -n "$FRESH" ]; then
  [ -x "$MEDUSA_SERVER_DIR/up.sh" ] || die "no up.sh in $MEDUSA_SERVER_DIR (set MEDUSA_SERVER_DIR)"
  say "starting Medusa: $MEDUSA_SERVER_DIR/up.sh --fresh"
  "$MEDUSA_SERVER_DIR/up.sh" --fresh >&2 || die "up.sh failed; see its message above"
fi
[ -f "$MEDUSA_HOME/env" ] || die "$MEDUSA_HOME/env is missing: the server is not up (run $MEDUSA_SERVER_DIR/up.sh)"
# shellcheck disable=SC1091
. "$MEDUSA_HOME/env"
: "${MEDUSA_URL:?$MEDUSA_HOME/env does not set MEDUSA_URL}"
: "${MEDUSA_PUBLISHABLE_KEY:?$MEDUSA_HOME/env does not set MEDUSA_PUBLISHABLE_KEY}"
KEY_HEADER="x-publishable-api-key: $MEDUSA_PUBLISHABLE_KEY"
curl -sf -o /dev/null -H "$KEY_HEADER" "$MEDUSA_URL/store/regions" \
  || die "Medusa at $MEDUSA_URL does not answer GET /store/regions with a 2xx"
SERVER_LOG="$MEDUSA_HOME/logs/server.log"

# 2. The tools: cartwright's release binary (rebuilt when a source is newer), Schemathesis in a venv.
CW="$REPO/target/release/cartwright"
if [ ! -x "$CW" ] || [ -n "$(find crates Cargo.toml Cargo.lock -newer "$CW" -print -quit)" ]; then
  say "building $CW (cargo build --release -p cartwright)"
  cargo build --release -p cartwright >&2
fi
if [ ! -x "$ST_VENV/bin/st" ] || ! "$ST_VENV/bin/st" --version | grep -q ' 4\.32\.'; then
  say "installing Schemathesis 4.32 into $ST_VENV"
  python3 -m venv "$ST_VENV" || die "python3 -m venv failed (apt-get install python3-venv)"
  "$ST_VENV/bin/pip" install -q 'schemathesis==4.32.*' >&2 || die "pip install schemathesis==4.32.* failed"
fi

# The same selection for both: the store API, every path under /store and the customer's own
# authentication under /auth/customer (the admin API needs a login the bench lacks).
mapfile -t STORE_PATHS < <("$ST_VENV/bin/python" -c '
import sys, yaml
for p in yaml.safe_load(open(sys.argv[1]))["paths"]:
    if p.startswith(("/store", "/auth/customer")): print(p)' "$SPEC")
[ "${#STORE_PATHS[@]}" -gt 0 ] || die "no /store paths found in $SPEC"
INCLUDE=()
for p in "${STORE_PATHS[@]}"; do INCLUDE+=(--include "$p"); done

OUT="$HERE/results/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"

# The publishable key goes on every request, as the only thing either tool is given.
CW_KEY=(-H "$KEY_HEADER")
say "results in $OUT (seed $SEED, max-examples $MAX_EXAMPLES, ${#STORE_PATHS[@]} store paths)"

# Runs one tool under time and timeout, keeping the part of Medusa's log written meanwhile.
measure() {
  local name="$1"; shift
  local from; from=$(($(wc -l < "$SERVER_LOG") + 1))
  say "running $name (timeout ${TOOL_TIMEOUT}s)"
  local rc=0
  /usr/bin/time -v -o "$OUT/$name.time" timeout "$TOOL_TIMEOUT" "$@" > "$OUT/$name.out" 2>&1 || rc=$?
  tail -n +"$from" "$SERVER_LOG" > "$OUT/$name.server.log"
  [ "$rc" -eq 124 ] && say "$name hit the ${TOOL_TIMEOUT}s timeout: its figures are partial"
  say "$name exited $rc (output: $OUT/$name.out)"
}

measure cartwright "$CW" verify "$SPEC" --target "$MEDUSA_URL" "${CW_KEY[@]}" "${INCLUDE[@]}" \
  --seed "$SEED" --max-examples "$MAX_EXAMPLES" \
  --report-json "$OUT/cartwright.json" --report-junit "$OUT/cartwright.junit.xml"

measure schemathesis "$ST_VENV/bin/st" run "$SPEC" --url "$MEDUSA_URL" -H "$KEY_HEADER" \
  --include-path-regex '^/(store|auth/customer)' --checks all --seed "$SEED" --max-examples "$MAX_EXAMPLES" \
  --workers "$ST_WORKERS" --no-color --generation-database none --report junit,ndjson \
  --report-junit-path "$OUT/schemathesis.junit.xml" --report-ndjson-path "$OUT/schemathesis.ndjson"

"$ST_VENV/bin/python" "$HERE/tally.py" "$OUT" "$SPEC" > "$OUT/table.md"
cat "$OUT/table.md"
say "written: $OUT/table.md"
