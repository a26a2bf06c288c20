#!/usr/bin/env bash
# `cmake --install` into a fresh prefix gives a package hosts can build
# against:
#   - the files: bin/roo, lib/libroo.so*, include/roo/*.h*, lib/cmake/roo/,
#     lib/pkgconfig/roo.pc; the headers include only <roo/...> and the standard
#     library; libroo exports only what the public headers declare
#   - examples/embedding/cpp-host and c-host, configured with
#     CMAKE_PREFIX_PATH=prefix (find_package(roo), roo::roo), built and run
#   - the C host built with pkg-config (PKG_CONFIG_PATH=prefix/lib/pkgconfig),
#     and the C++ host too, and run
#   - a project that add_subdirectory()s the roo source tree and links
#     roo::roo, built and run; roo's tests, install rules and CPack are off there
# Every host's determination must be what `roo determine --format json` prints.
# Quiet unless something fails.
source "$(dirname "$0")/lib.sh"
cd "$ROO_SOURCE_DIR"

prefix="$work/prefix"
install_prefix "$prefix"

# ---- the files ----
for f in bin/roo lib/libroo.so lib/libroo.so.0 "lib/libroo.so.$ROO_VERSION" include/roo/roo.h include/roo/roo.hpp \
  include/roo/config.hpp include/roo/date.hpp include/roo/decimal.hpp include/roo/determination.hpp \
  include/roo/diagnostic.hpp lib/cmake/roo/rooConfig.cmake lib/cmake/roo/rooConfigVersion.cmake \
  lib/cmake/roo/rooTargets.cmake lib/pkgconfig/roo.pc; do
  [ -e "$prefix/$f" ] || fail "not installed: $f"
done
[ "$(readelf -d "$prefix/lib/libroo.so.$ROO_VERSION" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')" = libroo.so.0 ] ||
  fail "libroo's SONAME is not libroo.so.0"
# Public headers: only <roo/...> and standard headers.
bad_includes="$(grep -hE '^[[:space:]]*#[[:space:]]*include' "$prefix"/include/roo/* |
  grep -vE '#[[:space:]]*include <(roo/[a-z_]+\.hpp|[a-z_]+|stddef\.h)>' || true)"
[ -z "$bad_includes" ] || fail "public headers include more than roo/ and the standard library: $bad_includes"
# Exported functions: the C ABI and names the public headers declare.
while read -r sym; do
  case "$sym" in
    roo_*) grep -qw "$sym" "$prefix/include/roo/roo.h" || fail "libroo exports $sym, which roo.h does not declare" ;;
    roo::*)
      name="${sym#roo::}"
      name="${name%%[(:[]*}"
      grep -qw -- "$name" "$prefix"/include/roo/*.hpp || fail "libroo exports $sym, which no public header declares"
      ;;
    *) fail "libroo exports a function outside roo: $sym" ;;
  esac
done < <(nm -D --defined-only "$prefix/lib/libroo.so.0" | awk '$2 == "T" { print $3 }' | c++filt)

# What the hosts must print: the command's answer for a JSON, a CSV and a
# JSON Lines BOM (one line each; JSON Lines as one array).
cases=("examples/tca-excerpt.roo examples/electric-motor.bom.json"
  "examples/tca-excerpt.roo examples/bicycle.bom.csv"
  "examples/tca-excerpt.roo examples/cotton-shirts.bom.jsonl")
one_line() { python3 -c 'import json,sys; v=json.load(sys.stdin); print(json.dumps(v if isinstance(v, list) else v))'; }
check_host() { # label executable
  local label="$1" exe="$2" rules bom want got status
  for c in "${cases[@]}"; do
    read -r rules bom <<<"$c"
    want="$("$prefix/bin/roo" determine --format json --rules "$rules" "$bom" | one_line)"
    status=0
    got="$("$exe" "$rules" "$bom")" || status=$?
    [ "$status" = 0 ] || fail "$label $rules $bom: exit status $status"
    [ "$(printf '%s\n' "$got" | wc -l)" = 1 ] || fail "$label $rules $bom: not one line"
    [ "$(printf '%s' "$got" | one_line)" = "$want" ] || fail "$label $rules $bom: not what roo determine prints"
  done
}

# ---- find_package(roo) ----
build_host cpp-host "$prefix" "$work/cpp-host"
check_host cpp-host "$work/cpp-host/cpp-host"
build_host c-host "$prefix" "$work/c-host"
check_host c-host "$work/c-host/c-host"

# ---- pkg-config ----
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
[ "$(pkg-config --modversion roo)" = "$ROO_VERSION" ] || fail "pkg-config --modversion roo: $(pkg-config --modversion roo)"
read -ra pc_flags <<<"$(pkg-config --cflags --libs roo)"
run cc -std=c11 -Wall -Wextra -Werror examples/embedding/c-host/host.c "${pc_flags[@]}" -o "$work/c-host-pc"
run c++ -std=c++20 -Wall -Wextra -Werror examples/embedding/cpp-host/main.cpp "${pc_flags[@]}" -o "$work/cpp-host-pc"
unset PKG_CONFIG_PATH
LD_LIBRARY_PATH="$prefix/lib" check_host "c-host (pkg-config)" "$work/c-host-pc"
LD_LIBRARY_PATH="$prefix/lib" check_host "cpp-host (pkg-config)" "$work/cpp-host-pc"

# ---- add_subdirectory(roo) ----
mkdir -p "$work/sub"
cat >"$work/sub/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.20)
project(roo_subdirectory_host LANGUAGES CXX)
add_subdirectory("$ROO_SOURCE_DIR" roo EXCLUDE_FROM_ALL)
if(ROO_TESTS OR TARGET roo_tests OR ROO_INSTALL OR ROO_PACKAGE)
  message(FATAL_ERROR "roo's tests, install rules or packaging are on in a project that adds roo with add_subdirectory")
endif()
add_executable(sub-host "$ROO_SOURCE_DIR/examples/embedding/cpp-host/main.cpp")
target_link_libraries(sub-host PRIVATE roo::roo)
CMAKE
run "$ROO_CMAKE" -S "$work/sub" -B "$work/sub-build"
run "$ROO_CMAKE" --build "$work/sub-build" --target sub-host -j"$jobs"
check_host "add_subdirectory host" "$work/sub-build/sub-host"
[ ! -e "$ROO_SOURCE_DIR/generated" ] || fail "the add_subdirectory build wrote into the source tree"
