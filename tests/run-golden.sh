#!/usr/bin/env bash
# Golden tests: each case is an input file with the expected output beside it.
#
#   tests/bom/bad/NAME.bom.{json,jsonl,csv}  + NAME.expected   roo validate, must exit 1
#   tests/bom/ok/NAME.bom.{json,jsonl,csv}   + NAME.expected   roo validate, must exit 0
#   tests/rules/bad/NAME.roo                 + NAME.expected   roo check, must exit 1
#   tests/cli/NAME.cmd                       + NAME.expected   `roo $(cat NAME.cmd)`; the expected
#                                                              file's first line is "exit: N"
#   examples/*.bom.*                                            roo validate, must exit 0
#   examples/README.md                                          each "$ build/roo ARGS" block holds
#                                                               what `roo ARGS` prints
#   every other .roo file of the repository                     roo check and roo fmt --check, must exit 0
#
# The expected file holds what the command prints on standard output.
# UPDATE=1 rewrites the expected files from the current output (review the diff).
#
#   tests/run-golden.sh PATH-TO-ROO [TRUNCATIONS-PER-FILE]
#
# Every case runs in every build. The last part, the truncation robustness
# check, is sized by TRUNCATIONS-PER-FILE (default 40): each BOM is cut at that
# many evenly spaced, fixed offsets. It is one process per truncation, which is
# what makes the test slow under ASan, so ctest passes a smaller fixed number
# in the sanitizer build (CMakeLists.txt). Nothing here depends on time.
set -uo pipefail
roo="${1:?usage: run-golden.sh PATH-TO-ROO [TRUNCATIONS-PER-FILE]}"
truncations="${2:-40}"
case "$truncations" in "" | *[!0-9]* | 0) echo "run-golden.sh: TRUNCATIONS-PER-FILE must be a positive number" >&2; exit 2 ;; esac
cd "$(dirname "$0")/.."
passed=0
failed=0

fail() {
  echo "FAIL: $1"
  failed=$((failed + 1))
}

check_case() { # command input expected-exit
  local command="$1" input="$2" want_exit="$3"
  local expected="${input%.bom.*}"
  expected="${expected%.roo}.expected"
  local out status
  out="$("$roo" "$command" "$input" 2>/dev/null)"
  status=$?
  if [ "${UPDATE:-}" = 1 ]; then printf '%s\n' "$out" >"$expected"; fi
  if [ "$status" != "$want_exit" ]; then
    fail "$input: exit status $status, expected $want_exit"
    return
  fi
  if [ ! -f "$expected" ]; then
    fail "$input: no expected output $expected (run with UPDATE=1 to create it)"
    return
  fi
  if ! diff -u "$expected" <(printf '%s\n' "$out") >/tmp/roo-golden-diff.$$; then
    fail "$input: output differs from $expected"
    cat /tmp/roo-golden-diff.$$
    return
  fi
  passed=$((passed + 1))
}

shopt -s nullglob
for f in tests/bom/bad/*.bom.*; do
  case "$f" in *.expected) continue ;; esac
  check_case validate "$f" 1
done
for f in tests/bom/ok/*.bom.*; do
  case "$f" in *.expected) continue ;; esac
  check_case validate "$f" 0
done
for f in tests/rules/bad/*.roo; do
  check_case check "$f" 1
done
for f in tests/cli/*.cmd; do
  expected="${f%.cmd}.expected"
  # shellcheck disable=SC2046
  out="$("$roo" $(cat "$f") 2>/dev/null)"
  status=$?
  actual="$(printf 'exit: %s\n%s' "$status" "$out")"
  if [ "${UPDATE:-}" = 1 ]; then printf '%s\n' "$actual" >"$expected"; fi
  if [ ! -f "$expected" ]; then
    fail "$f: no expected output $expected (run with UPDATE=1 to create it)"
  elif ! diff -u "$expected" <(printf '%s\n' "$actual"); then
    fail "$f: output differs from $expected"
  else
    passed=$((passed + 1))
  fi
done
# Whether FILE belongs to a folder agreement (a main.roo in its folder or
# above) without being that main.roo: it is checked with the agreement.
in_folder_agreement() {
  local dir
  [ "$(basename "$1")" = main.roo ] && return 1
  dir="$(dirname "$1")"
  while [ "$dir" != . ] && [ "$dir" != / ]; do
    [ -f "$dir/main.roo" ] && return 0
    dir="$(dirname "$dir")"
  done
  return 1
}
while IFS= read -r f; do
  if in_folder_agreement "$f"; then
    :
  elif "$roo" check "$f" >/tmp/roo-check.$$ 2>&1; then passed=$((passed + 1)); else
    fail "$f: roo check reports errors"
    cat /tmp/roo-check.$$
  fi
  if "$roo" fmt --check "$f" >/tmp/roo-check.$$ 2>&1; then passed=$((passed + 1)); else
    fail "$f: not in the canonical layout (run roo fmt --write $f)"
  fi
done < <(git ls-files --cached --others --exclude-standard '*.roo' | grep -v '/bad/')
rm -f /tmp/roo-check.$$
for f in examples/*.bom.*; do
  if "$roo" validate --quiet "$f" >/dev/null 2>&1; then passed=$((passed + 1)); else fail "$f: not valid"; fi
done

# examples/README.md: every fenced block whose first line is "$ build/roo ARGS"
# must hold what `roo ARGS` prints (run from the repository root). UPDATE=1
# rewrites those blocks from the current output.
check_readme() {
  local readme=examples/README.md rewritten="/tmp/roo-readme.$$" state=text args="" old="" n=0 new line
  [ -f "$readme" ] || return 0
  : >"$rewritten"
  while IFS= read -r line || [ -n "$line" ]; do
    case "$state" in
      text)
        printf '%s\n' "$line" >>"$rewritten"
        if [ "$line" = '```' ]; then state=fence; fi
        ;;
      fence)
        printf '%s\n' "$line" >>"$rewritten"
        if [[ "$line" == '$ build/roo '* ]]; then
          args="${line#\$ build/roo }"
          old=""
          n=0
          state=roo_block
        elif [ "$line" = '```' ]; then
          state=text
        else
          state=other
        fi
        ;;
      other)
        printf '%s\n' "$line" >>"$rewritten"
        if [ "$line" = '```' ]; then state=text; fi
        ;;
      roo_block)
        if [ "$line" != '```' ]; then
          if [ "$n" = 0 ]; then old="$line"; else old+=$'\n'"$line"; fi
          n=$((n + 1))
          continue
        fi
        # shellcheck disable=SC2086
        new="$("$roo" $args 2>/dev/null)"
        if [ "${UPDATE:-}" = 1 ]; then
          printf '%s\n' "$new" >>"$rewritten"
        else
          printf '%s\n' "$old" >>"$rewritten"
          if [ "$old" = "$new" ]; then passed=$((passed + 1)); else
            fail "$readme: the output shown for 'roo $args' differs from what it prints"
            diff -u <(printf '%s\n' "$old") <(printf '%s\n' "$new")
          fi
        fi
        printf '%s\n' "$line" >>"$rewritten"
        state=text
        ;;
    esac
  done <"$readme"
  if [ "${UPDATE:-}" = 1 ]; then cp "$rewritten" "$readme"; fi
  rm -f "$rewritten"
}
check_readme

# Robustness: TRUNCATIONS-PER-FILE truncations of every bad and example BOM
# (at evenly spaced offsets from 0) must give exit 0 or 1 with no crash (a
# sanitizer report or a signal gives another status).
for f in examples/*.bom.json tests/bom/bad/*.bom.json; do
  size=$(wc -c <"$f")
  step=$((size / truncations + 1))
  tmp="/tmp/roo-trunc.$$.bom.json"
  ok=1
  for ((n = 0; n < size; n += step)); do
    head -c "$n" "$f" >"$tmp"
    "$roo" validate "$tmp" >/dev/null 2>&1
    s=$?
    if [ "$s" -gt 1 ]; then
      ok=0
      fail "$f truncated to $n bytes: exit status $s"
      break
    fi
  done
  rm -f "$tmp"
  [ "$ok" = 1 ] && passed=$((passed + 1))
done
rm -f /tmp/roo-golden-diff.$$

echo "golden: $passed passed, $failed failed"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
