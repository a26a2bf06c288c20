# Shared by the packaging tests (sourced). ctest sets ROO_SOURCE_DIR,
# ROO_BUILD_DIR, ROO_EXE, ROO_CMAKE, ROO_CPACK and ROO_VERSION
# (tests/packaging/CMakeLists.txt); run by hand, the defaults are the
# repository and build/.
set -euo pipefail
export LC_ALL=C

ROO_SOURCE_DIR="${ROO_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
ROO_BUILD_DIR="${ROO_BUILD_DIR:-$ROO_SOURCE_DIR/build}"
ROO_EXE="${ROO_EXE:-$ROO_BUILD_DIR/roo}"
ROO_CMAKE="${ROO_CMAKE:-cmake}"
ROO_CPACK="${ROO_CPACK:-cpack}"
jobs="$(nproc 2>/dev/null || echo 2)"
test_name="$(basename "$0" .sh)"

# A fresh folder for this run, removed at exit.
work="$(mktemp -d "${TMPDIR:-/tmp}/roo-$test_name.XXXXXX")"
log="$work/log"
: >"$log"
cleanup_steps=()
cleanup() {
  local step
  for step in "${cleanup_steps[@]}"; do eval "$step" || true; done
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "FAIL ($test_name): $*" >&2
  exit 1
}

# Runs a command quietly; when it fails, prints it and its output, and fails.
run() {
  echo "\$ $*" >>"$log"
  if ! "$@" >>"$log.step" 2>&1; then
    cat "$log.step" >>"$log"
    echo "FAIL ($test_name): $*" >&2
    tail -n 60 "$log.step" >&2
    exit 1
  fi
  cat "$log.step" >>"$log"
  rm -f "$log.step"
}

# cmake --install of the build into $1.
install_prefix() {
  run "$ROO_CMAKE" --install "$ROO_BUILD_DIR" --prefix "$1"
  [ -x "$1/bin/roo" ] || fail "no bin/roo under $1"
  [ -e "$1/lib/libroo.so.0" ] || fail "no lib/libroo.so.0 under $1"
}

# Configures and builds examples/embedding/$1 against the roo installed in $2,
# in $3; checks that find_package found that roo and no other.
build_host() {
  local host="$1" prefix="$2" dir="$3"
  run "$ROO_CMAKE" -S "$ROO_SOURCE_DIR/examples/embedding/$host" -B "$dir" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
    -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF
  local found
  found="$(sed -n 's/^roo_DIR:PATH=//p' "$dir/CMakeCache.txt")"
  [ "$found" = "$prefix/lib/cmake/roo" ] || fail "$host: find_package(roo) found '$found', not $prefix/lib/cmake/roo"
  run "$ROO_CMAKE" --build "$dir" -j"$jobs"
  [ -x "$dir/$host" ] || fail "$host: not built"
  local loads
  loads="$(ldd "$dir/$host" | grep libroo || true)"
  [[ "$loads" == *"libroo.so.0 => $prefix/lib/libroo.so.0 "* ]] || fail "$host: does not load libroo from $prefix: $loads"
}
