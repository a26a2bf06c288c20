#!/usr/bin/env bash
# Builds roo and runs every test twice: an optimised build, then a build under
# AddressSanitizer and UndefinedBehaviorSanitizer.
#
#   ./test.sh             both builds
#   ./test.sh --fast      the optimised build only
set -euo pipefail
cd "$(dirname "$0")"
./setup.sh --deps
jobs="$(nproc)"

echo "== tests (build/)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure

if [ "${1:-}" != "--fast" ]; then
  echo "== tests under ASan + UBSan (build-sanitize/)"
  cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=Debug -DROO_SANITIZE=ON >/dev/null
  cmake --build build-sanitize -j"$jobs"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-sanitize --output-on-failure
fi
