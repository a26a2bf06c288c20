#!/usr/bin/env bash
# Output that cannot be written is never lost silently: every command that
# writes to standard output exits 3 with a message on stderr when its output
# goes to a full device (/dev/full) or to a closed descriptor; batch stops at
# a line boundary on SIGINT (exit 130); a full stderr never aborts roo.
# Synchronised by data, not by time: nothing here sleeps or times out.
#
#   tests/faults/output-faults.sh PATH-TO-ROO
set -uo pipefail
roo="${1:?usage: output-faults.sh PATH-TO-ROO}"
case "$roo" in /*) ;; *) roo="$PWD/$roo" ;; esac
cd "$(dirname "$0")/../.."
rules=rules/uk-eu-tca.roo
work="$(mktemp -d /tmp/roo-faults.XXXXXX)"
trap 'rm -rf "$work"' EXIT
failures=0
passed=0

expect() { # description expected-status actual-status stderr-file
  if [ "$3" = "$2" ] && { [ "$2" = 0 ] || [ -s "$4" ]; }; then
    passed=$((passed + 1))
  else
    failures=$((failures + 1))
    echo "FAIL: $1: exit $3 (expected $2); stderr: $(head -c 300 "$4")"
  fi
}

grep -v '^[[:space:]]*$' examples/cotton-shirts.bom.jsonl > "$work/boms.jsonl"
printf '{"product":' > "$work/broken.json"

# name: command args..., run with stdout to /dev/full and with stdout closed
while IFS='|' read -r name input args; do
  [ -n "$name" ] || continue
  # shellcheck disable=SC2086
  "$roo" $args < "${input:-/dev/null}" > /dev/full 2> "$work/err"
  expect "$name > /dev/full" 3 $? "$work/err"
  # shellcheck disable=SC2086
  "$roo" $args < "${input:-/dev/null}" >&- 2> "$work/err"
  expect "$name with stdout closed" 3 $? "$work/err"
done <<LIST
batch|$work/boms.jsonl|batch --rules $rules
determine||determine --rules $rules examples/electric-motor.bom.json
determine json||determine --format json --rules $rules examples/cotton-shirts.bom.jsonl
rule||rule --rules $rules 8501.10 6109.10
rule json||rule --format json --rules $rules 8501.10
validate||validate $work/broken.json
check||check --message-format json tests/rules/bad/rule-of.roo
LIST

# stderr full: no abort (134), an ordinary status.
"$roo" validate "$work/broken.json" > /dev/null 2> /dev/full
status=$?
if [ "$status" = 134 ] || [ "$status" -ge 128 ]; then
  failures=$((failures + 1)); echo "FAIL: validate 2>/dev/full exited $status"
else
  passed=$((passed + 1))
fi

# stderr full changes no outcome: the status is the command's own (a clean
# check is 0, a check with errors 1), not an internal error.
for case in "0 check $rules" "1 check tests/rules/bad/empty.roo" "0 validate examples/electric-motor.bom.json" "0 fmt --check $rules"; do
  want="${case%% *}"
  "$roo" ${case#* } > /dev/null 2> /dev/full
  status=$?
  if [ "$status" = "$want" ]; then passed=$((passed + 1)); else
    failures=$((failures + 1)); echo "FAIL: ${case#* } 2>/dev/full: exit $status (expected $want)"
  fi
done

# SIGINT in batch: answer the first line, read that answer, interrupt, and
# check that what was written is whole lines, and the status is 130.
mkfifo "$work/in" "$work/out"
"$roo" batch --rules "$rules" < "$work/in" > "$work/out" 2> "$work/err" &
pid=$!
exec 3> "$work/in" 4< "$work/out"
head -1 "$work/boms.jsonl" >&3
IFS= read -r first <&4
kill -INT "$pid"
exec 3>&-
cat <&4 > "$work/rest"
exec 4<&-
wait "$pid"
status=$?
if [ "$status" = 130 ] && [[ "$first" == '{"format":"roo-determination/1"'* ]] && { [ ! -s "$work/rest" ] || [ "$(tail -c1 "$work/rest" | od -An -c | tr -d ' ')" = '\n' ]; }; then
  passed=$((passed + 1))
else
  failures=$((failures + 1)); echo "FAIL: SIGINT: exit $status, first line '${first:0:40}', rest $(wc -c < "$work/rest") bytes"
fi

echo "output faults: $passed passed, $failures failed"
[ "$failures" = 0 ]
