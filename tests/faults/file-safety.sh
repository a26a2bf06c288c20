#!/usr/bin/env bash
# roo fmt --write never follows a link planted at a temporary name, keeps the
# file's mode, and rewrites the file a symlink names (the link stays a link).
#
#   tests/faults/file-safety.sh PATH-TO-ROO
set -uo pipefail
roo="${1:?usage: file-safety.sh PATH-TO-ROO}"
case "$roo" in /*) ;; *) roo="$PWD/$roo" ;; esac
work="$(mktemp -d /tmp/roo-files.XXXXXX)"
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
failures=0
check() { # description condition...
  local what="$1"; shift
  if "$@"; then :; else failures=$((failures + 1)); echo "FAIL: $what"; fi
}
printf 'import std\nagreement "X" {\n  parties GB,EU\n  heading 8501:CTH\n}\n' > real.roo
chmod 640 real.roo
ln -s real.roo link.roo
echo secret > private
chmod 600 private
# Links planted at the names a careless writer would use.
ln -s private link.roo.roo-fmt.tmp
ln -s private real.roo.roo-fmt.tmp
"$roo" fmt --write link.roo > out 2> err
check "fmt --write exits 0" test $? = 0
check "the private file is untouched" test "$(cat private)" = secret
check "the private file keeps its mode" test "$(stat -c %a private)" = 600
check "the link is still a link" test -L link.roo
check "the file it names is formatted" grep -q 'parties GB, EU' real.roo
check "the file keeps its mode" test "$(stat -c %a real.roo)" = 640
check "no temporary file is left" test -z "$(find . -name '*.roo-fmt.*' -type f)"
"$roo" fmt --check link.roo > /dev/null 2>&1
check "fmt --check passes after the rewrite" test $? = 0
echo "file safety: $((8 - failures)) passed, $failures failed"
[ "$failures" = 0 ]
