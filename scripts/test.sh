#!/usr/bin/env bash
# Builds and runs every test twice: a Release build (warnings are errors) and a Debug build under
# AddressSanitizer and UndefinedBehaviorSanitizer. CODSE_SKIP_SANITIZE=1 runs the Release pass only.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="${CODSE_JOBS:-2}"

run_pass() {
  local dir=$1
  shift
  cmake -S . -B "$dir" -G Ninja -DCODSE_WERROR=ON "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
  ctest --test-dir "$dir" --output-on-failure -j "$jobs"
}

run_pass build/release -DCMAKE_BUILD_TYPE=Release
if [[ "${CODSE_SKIP_SANITIZE:-0}" != 1 ]]; then
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  run_pass build/sanitize -DCMAKE_BUILD_TYPE=Debug -DCODSE_SANITIZE=ON -DCODSE_BUILD_BENCHMARKS=OFF
fi
