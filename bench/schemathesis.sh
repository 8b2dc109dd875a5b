#!/usr/bin/env bash
# Schemathesis (`st run --checks all`) against `cartwright mock` of every OpenAPI spec in
# specs/ and tests/corpus/, one mock per spec on its own loopback port, a bounded number of
# examples per operation and a fixed seed. Prints a line per spec; the whole output of each
# run is kept in $OUT/NAME.txt. See bench/README.md for the results and what each means.
#
#   bench/schemathesis.sh                  # all specs
#   bench/schemathesis.sh specs/vendo-storefront.yaml
#   EXAMPLES=50 SEED=7 BIN=target/debug/cartwright bench/schemathesis.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
command -v st >/dev/null || python3 -m pip install -q 'schemathesis>=4,<5'
if [ -z "${BIN:-}" ]; then
  cargo build --release -q -p cartwright
  BIN=target/release/cartwright
fi
bin=$(realpath "$BIN")
examples=${EXAMPLES:-25} seed=${SEED:-1} port=${PORT:-4820}
out=$(realpath -m "${OUT:-target/schemathesis}")
mkdir -p "$out"
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT

if [ $# -gt 0 ]; then specs=("$@"); else
  specs=(specs/*.yaml tests/corpus/*.yaml tests/corpus/*.yml tests/corpus/*.json)
fi

wait_up() {
  for _ in $(seq 1 1200); do curl -fs -o /dev/null "$1" && return 0; sleep 0.05; done
  echo "not up: $1" >&2; return 1
}

# Per security scheme of a spec: `NAME=VALUE` for --auth, `|`, the header that carries it
# (cookies gathered into one Cookie header at the end).
credentials() {
  python3 - "$1" <<'PY'
import base64, sys, yaml
schemes = (yaml.safe_load(open(sys.argv[1])).get("components") or {}).get("securitySchemes") or {}
value, cookies, authorization = "schemathesis-credential", [], False
for name, s in schemes.items():
    kind, header = s.get("type"), ""
    if kind == "http" and s.get("scheme", "").lower() == "basic":
        flag = f"{name}=schemathesis:{value}"
        header = "Authorization: Basic " + base64.b64encode(f"schemathesis:{value}".encode()).decode()
    elif kind in ("http", "oauth2", "openIdConnect"):
        flag, header = f"{name}={value}", f"Authorization: Bearer {value}"
    elif kind == "apiKey":
        flag = f"{name}={value}"
        if s.get("in") == "header":
            header = f"{s['name']}: {value}"
        elif s.get("in") == "cookie":
            cookies.append(f"{s['name']}={value}")
    else:
        continue
    if header.startswith("Authorization:"):
        header, authorization = ("" if authorization else header), True
    print(f"{flag}|{header}")
if cookies:
    print("|Cookie: " + "; ".join(cookies))
PY
}

echo "schemathesis $(st --version 2>/dev/null | awk '{print $NF}'), $examples examples, seed $seed"
printf '%-32s %6s %8s  %s\n' spec cases failures checks
for spec in "${specs[@]}"; do
  name=$(basename "${spec%.*}")
  # The real-world specs have a broken operation or two; --lenient serves every sound one.
  lenient=(); case $spec in tests/corpus/*) lenient=(--lenient) ;; esac
  # A spec says how credentials look, not which are good: without behaviours of its own, the
  # mock is told one good credential per scheme (--auth), and Schemathesis sends it.
  auth=() headers=()
  case $spec in tests/corpus/*)
    while IFS='|' read -r flag header; do
      [ -n "$flag" ] && auth+=(--auth "$flag")
      [ -n "$header" ] && headers+=(-H "$header")
    done < <(credentials "$spec") ;;
  esac
  # --errors api: errors in the shape and media type each operation declares, as the spec
  # describes them (the default, problem+json, is a choice of the mock no spec declares).
  "$bin" mock "$root/$spec" --port "$port" --quiet --errors api "${lenient[@]}" "${auth[@]}" \
    > "$out/$name.mock.log" 2>&1 &
  mock=$!
  wait_up "http://127.0.0.1:$port/__cartwright/health"
  (cd "$out" && st run "$root/$spec" --origin "http://127.0.0.1:$port" --checks all "${headers[@]}" \
    --max-examples "$examples" --seed "$seed" --generation-database none --no-color \
    --request-timeout 10 > "$out/$name.txt" 2>&1) || true
  kill "$mock"; wait "$mock" 2>/dev/null || true
  cases=$(awk '/ generated, / {print $1; exit}' "$out/$name.txt")
  failures=$(awk '/ failures?(, .*)? in / {print $2; exit}' "$out/$name.txt")
  [[ $failures =~ ^[0-9]+$ ]] || failures=0
  checks=$(awk '/^Failures:/ {f=1; next} f && /^$/ {f=0} f {sub(/^ *❌ */, ""); printf "%s; ", $0}' \
    "$out/$name.txt")
  printf '%-32s %6s %8s  %s\n' "$name" "${cases:-?}" "$failures" "${checks:-none}"
  port=$((port + 1))
done
