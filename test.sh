#!/usr/bin/env bash
# Builds roo and runs every test twice: an optimised build, then a build under
# AddressSanitizer and UndefinedBehaviorSanitizer.
#
#   ./test.sh             both builds
#   ./test.sh --fast      the optimised build only
#
# The tests (ctest; tiers in CMakeLists.txt) are sized by work, never by time,
# and need nothing outside the repository (third-party data is in data/):
#   optimised build (build/): unit, cases and golden whole; mutate checks 40
#     mutants of each .roo file; the fault and packaging tests.
#   sanitizer build (build-sanitize/): unit and cases whole; golden with 8
#     truncations of each BOM instead of 40 (its one process per truncation is
#     what is slow under ASan); mutate checks the first 6 mutants of each file;
#     the fault tests and the C ABI test.
# On 2 cores most of the time goes to the two builds (5 to 10 minutes each),
# the unit tests under ASan (about 5 minutes) and the packaging install test
# (a few minutes).
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
