#!/usr/bin/env bash
# The hosts give the command's answers: for every example BOM (examples/*.bom.json,
# *.bom.csv, *.bom.jsonl), under each agreement tests/cli/example-*.cmd
# determines it with, the C host (C ABI), the C++ host (C++ API) and the Python
# module (ctypes over the C ABI), built against and loading an installed
# libroo, give exactly the JSON `roo determine --format json --rules R BOM`
# prints. For JSON Lines, the array the C ABI returns and the array the command
# prints are compared as parsed by python3's json module. Every example BOM
# carries its date, so nothing depends on today. Quiet unless something fails.
source "$(dirname "$0")/lib.sh"
cd "$ROO_SOURCE_DIR"

prefix="$work/prefix"
install_prefix "$prefix"
build_host c-host "$prefix" "$work/c-host"
build_host cpp-host "$prefix" "$work/cpp-host"

# ---- the cases: RULES BOM pairs from tests/cli/example-*.cmd ----
cases_file="$work/cases.tsv"
: >"$cases_file"
mkdir -p "$work/expected"
shopt -s nullglob
n=0
for bom in examples/*.bom.json examples/*.bom.csv examples/*.bom.jsonl; do
  case "$bom" in
    *.csv) grep -q '^# product:.* date=' "$bom" || fail "$bom: no date on its '# product:' line (pin it: the answers must not depend on today)" ;;
    *.jsonl) [ "$(grep -c . "$bom")" = "$(grep -c '"date":' "$bom")" ] || fail "$bom: a line without a \"date\" (pin it)" ;;
    *) grep -q '"date":' "$bom" || fail "$bom: no \"date\" (pin it: the answers must not depend on today)" ;;
  esac
  rules_list="$(sed -n "s|^determine --rules \([^ ]*\) $bom\$|\1|p" tests/cli/example-*.cmd)"
  [ -n "$rules_list" ] || fail "$bom: no tests/cli/example-*.cmd determines it ('determine --rules R $bom'), so no agreement to compare under"
  while read -r rules; do
    n=$((n + 1))
    expected="$work/expected/$n.json"
    status=0
    "$prefix/bin/roo" determine --format json --rules "$rules" "$bom" >"$expected" 2>"$work/stderr" || status=$?
    [ "$status" = 0 ] || [ "$status" = 1 ] || fail "roo determine --rules $rules $bom: exit status $status: $(cat "$work/stderr")"
    printf '%s\t%s\t%s\n' "$rules" "$bom" "$expected" >>"$cases_file"
  done <<<"$rules_list"
done
[ "$n" -gt 0 ] || fail "no example BOMs found"

# ---- the C and C++ hosts ----
compare() { # label rules bom expected-file got-file
  local label="$1" rules="$2" bom="$3" expected="$4" got="$5"
  case "$bom" in
    *.jsonl)
      python3 - "$expected" "$got" <<'PY' || fail "$label: $rules $bom: not the array roo determine prints"
import json, sys
want = json.load(open(sys.argv[1]))
got = json.load(open(sys.argv[2]))
sys.exit(0 if got == (want if isinstance(want, list) else [want]) else 1)
PY
      ;;
    *)
      cmp -s "$expected" "$got" || {
        diff <(tr ',' '\n' <"$expected") <(tr ',' '\n' <"$got") | head -n 20 >&2
        fail "$label: $rules $bom: not what roo determine prints"
      }
      ;;
  esac
}
while IFS=$'\t' read -r rules bom expected; do
  for host in c-host cpp-host; do
    status=0
    "$work/$host/$host" "$rules" "$bom" >"$work/got" 2>"$work/stderr" || status=$?
    [ "$status" = 0 ] || [ "$status" = 1 ] || fail "$host $rules $bom: exit status $status: $(cat "$work/stderr")"
    compare "$host" "$rules" "$bom" "$expected" "$work/got"
  done
done <"$cases_file"

# ---- the Python module (its own tests, and these cases) ----
status=0
env ROO_LIBRARY="$prefix/lib/libroo.so.0" ROO_SAME_ANSWERS="$cases_file" PYTHONPATH="$ROO_SOURCE_DIR/bindings/python" \
  PYTHONDONTWRITEBYTECODE=1 python3 -m unittest -v test_roo >"$work/python.out" 2>&1 || status=$?
if [ "$status" != 0 ] || grep -q "skipped" "$work/python.out"; then
  cat "$work/python.out" >&2
  fail "python3 -m unittest test_roo: exit status $status (or a test skipped)"
fi
