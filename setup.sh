#!/usr/bin/env bash
# Installs what roo needs (Debian packages), builds it, and runs it on a bundled
# example. Safe to run again: it installs only what is missing.
#
#   ./setup.sh            install, build (build/), run a determination on an example
#   ./setup.sh --deps     install the packages only
set -euo pipefail
cd "$(dirname "$0")"

packages=(g++ make cmake tao-pegtl-dev libboost-dev libfmt-dev doctest-dev
  gcc pkg-config python3 dpkg-dev file)  # the second line: tests/packaging/

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
[ "${1:-}" = "--deps" ] && exit 0

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"

echo
echo "\$ build/roo determine --rules examples/tca-excerpt.roo examples/electric-motor.bom.json"
build/roo determine --rules examples/tca-excerpt.roo examples/electric-motor.bom.json
