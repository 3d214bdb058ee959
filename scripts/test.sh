#!/usr/bin/env bash
# Builds and runs every test twice: a Release build (warnings are errors) and a Debug build under
# AddressSanitizer and UndefinedBehaviorSanitizer. CODSE_SKIP_SANITIZE=1 runs the Release pass only.
#
# The sanitizer pass builds the test binaries of the modules that do not link libtorch (core, learn,
# search, store, nn, nn_onnx, hw, report, interop): compiling the torch translation units again with ASan would add
# about 15 minutes to CI on 2 cores, and the code that matters for memory safety is ours, not the
# calls into libtorch. The Release pass runs everything, the CLI and training tests included.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="${CODSE_JOBS:-2}"

configure() {
  local dir=$1
  shift
  cmake -S . -B "$dir" -G Ninja -DCODSE_WERROR=ON "$@" >/dev/null
}

configure build/release -DCMAKE_BUILD_TYPE=Release
cmake --build build/release -j "$jobs"
ctest --test-dir build/release --output-on-failure -j "$jobs"

if [[ "${CODSE_SKIP_SANITIZE:-0}" != 1 ]]; then
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  sanitized=(test_core test_learn test_search test_store test_nn test_nn_onnx test_hw test_report test_interop)
  configure build/sanitize -DCMAKE_BUILD_TYPE=Debug -DCODSE_SANITIZE=ON -DCODSE_BUILD_BENCHMARKS=OFF
  cmake --build build/sanitize -j "$jobs" --target "${sanitized[@]}"
  regex=$(IFS='|'; echo "${sanitized[*]}")
  # gtest_discover_tests names each test; select the binaries by the label CTest gives them.
  ctest --test-dir build/sanitize --output-on-failure -j "$jobs" -L "^(${regex})$"
fi
