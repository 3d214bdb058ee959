#!/usr/bin/env bash
# Installs every Debian 12 package codse needs to build, test and run. Non-interactive and
# idempotent: packages already installed are skipped, so a second run only checks.
set -euo pipefail

packages=(
  # build and test
  cmake ninja-build g++ pkg-config git libgtest-dev libgmock-dev libbenchmark-dev
  # libraries
  libeigen3-dev nlohmann-json3-dev libyaml-cpp-dev libcli11-dev libsqlite3-dev
  libspdlog-dev libfmt-dev zlib1g-dev
  # training: libtorch falls back to a 37x slower reference BLAS without libopenblas0-pthread
  libtorch-dev libopenblas0-pthread
  # hardware: simulation, synthesis, place and route of iCE40 parts
  verilator yosys nextpnr-ice40 fpga-icestorm
  # tools the benchmarks and examples use
  python3 sqlite3
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "setup: all ${#packages[@]} packages present"
