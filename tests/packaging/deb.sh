#!/usr/bin/env bash
# `cpack -G DEB` makes roo_<version>_<arch>.deb with a maintainer, a section, a
# description and its dependencies, whose files are all under /usr and belong
# to no other package. As root, the .deb is installed with dpkg -i; the
# installed /usr/bin/roo must print its version and determine a bundled
# example as the build's roo does, and a C host built with the system's
# pkg-config must run against /usr's libroo; then dpkg --purge removes it. Not root:
# skipped (exit 77), after the checks of the file. Quiet unless something fails.
source "$(dirname "$0")/lib.sh"
cd "$ROO_SOURCE_DIR"

[ -f "$ROO_BUILD_DIR/CPackConfig.cmake" ] || fail "no CPackConfig.cmake in $ROO_BUILD_DIR (ROO_PACKAGE off?)"
command -v dpkg-deb >/dev/null || fail "dpkg-deb not found (package dpkg)"
arch="$(dpkg --print-architecture)"
deb_name="roo_${ROO_VERSION}_${arch}.deb"

run "$ROO_CPACK" -G DEB -B "$work/out" --config "$ROO_BUILD_DIR/CPackConfig.cmake"
deb="$work/out/$deb_name"
[ -f "$deb" ] || fail "cpack made $(cd "$work/out" && ls -- *.deb 2>/dev/null | tr '\n' ' '), not $deb_name"

# ---- the control fields ----
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = roo ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$ROO_VERSION" ] || fail "Version: $(field Version)"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture: $(field Architecture)"
for f in Maintainer Section Description Depends; do
  [ -n "$(field "$f")" ] || fail "the .deb has no $f"
done
depends="$(field Depends)"
for lib in libc6 libstdc++6 libfmt9; do
  [[ "$depends" == *"$lib"* ]] || fail "Depends does not name $lib: $depends"
done

# ---- the files: all under /usr, none another package's or already there ----
mapfile -t files < <(dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }')
[ "${#files[@]}" -gt 0 ] || fail "the .deb holds no files"
declare -A held=()
for f in "${files[@]}"; do held["$f"]=1; done
for f in /usr/bin/roo /usr/lib/libroo.so.0 /usr/include/roo/roo.h /usr/include/roo/roo.hpp \
  /usr/lib/cmake/roo/rooConfig.cmake /usr/lib/pkgconfig/roo.pc; do
  [ -n "${held[$f]:-}" ] || fail "the .deb does not hold $f"
done
clashes=()
for f in "${files[@]}"; do
  [[ "$f" == /usr/* ]] || fail "the .deb holds $f, outside /usr"
  owner="$(dpkg -S "$f" 2>/dev/null | grep -v '^roo:' || true)"
  [ -z "$owner" ] || fail "the .deb holds $f, which belongs to another package ($owner)"
  if [ -e "$f" ] || [ -L "$f" ]; then clashes+=("$f"); fi
done

# ---- installing it ----
if [ "$(id -u)" != 0 ]; then
  echo "deb: skipped installing the .deb (dpkg -i needs root; the file itself passed its checks)"
  exit 77
fi
# One test at a time installs roo system-wide (another checkout's test may run).
exec 9>/tmp/roo-deb-test.lock
flock 9
if [[ "$(dpkg-query -W -f='${Status}' roo 2>/dev/null)" == *" installed" ]]; then
  echo "deb: skipped installing the .deb: a roo package is installed already ($(dpkg-query -W -f='${Version}' roo)); not replacing it"
  exit 77
fi
((${#clashes[@]} == 0)) || {
  echo "deb: skipped installing the .deb: it would overwrite files no package owns: ${clashes[*]}"
  exit 77
}
cleanup_steps+=("if dpkg-query -W roo >/dev/null 2>&1; then dpkg --purge roo >/dev/null 2>&1; fi")
run dpkg -i "$deb"

[ "$(/usr/bin/roo --version)" = "roo $ROO_VERSION" ] || fail "/usr/bin/roo --version: $(/usr/bin/roo --version)"
status=0
out="$(/usr/bin/roo determine --rules examples/tca-excerpt.roo examples/electric-motor.bom.json)" || status=$?
[ "$status" = 0 ] || fail "/usr/bin/roo determine: exit status $status"
[[ "$out" == *"MTR-100 under tca-excerpt on 2026-11-28: ORIGINATING"* ]] || fail "/usr/bin/roo determine printed: $out"
cmp -s <(/usr/bin/roo determine --format json --rules examples/tca-excerpt.roo examples/cotton-shirts.bom.jsonl) \
  <("$ROO_EXE" determine --format json --rules examples/tca-excerpt.roo examples/cotton-shirts.bom.jsonl) ||
  fail "/usr/bin/roo and the build's roo determine differently"

# The library, headers and pkg-config file from /usr, as a C host finds them.
read -ra pc_flags <<<"$(env -u PKG_CONFIG_PATH pkg-config --cflags --libs roo)"
run cc -std=c11 -Wall -Werror examples/embedding/c-host/host.c "${pc_flags[@]}" -o "$work/c-host"
env -u LD_LIBRARY_PATH "$work/c-host" examples/tca-excerpt.roo examples/electric-motor.bom.json >"$work/c-host.out" ||
  fail "the C host against /usr's libroo: exit status $?"
cmp -s "$work/c-host.out" <("$ROO_EXE" determine --format json --rules examples/tca-excerpt.roo examples/electric-motor.bom.json) ||
  fail "the C host against /usr's libroo determines differently"

run dpkg --purge roo
[ ! -e /usr/bin/roo ] || fail "/usr/bin/roo is still there after dpkg --purge roo"
[ ! -e /usr/lib/libroo.so.0 ] || fail "/usr/lib/libroo.so.0 is still there after dpkg --purge roo"
[ -z "$(dpkg-query -W -f='${Status}' roo 2>/dev/null)" ] || fail "dpkg still knows roo after dpkg --purge roo"
