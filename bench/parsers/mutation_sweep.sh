#!/usr/bin/env bash
# The parsers' property tests (issue 17) at benchmark size: every mutation suite with
# CODSE_PARSER_MUTATIONS mutants per seed file (default 20000; CI runs 300-1000), from a Release
# build (build/release, or $1). Prints one line per parser: mutants, refusals, wall time; a
# failing mutant fails the suite and prints its seed, index and text.
#   bench/parsers/mutation_sweep.sh [BUILD_DIR]        CODSE_PARSER_MUTATIONS=100000 for more
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/release}
export CODSE_PARSER_MUTATIONS=${CODSE_PARSER_MUTATIONS:-20000}
status=0
run() {
  local binary=$1 filter=$2 start end
  start=$(date +%s%N)
  if ! "$build/tests/$binary" --gtest_filter="$filter" --gtest_brief=1 > /tmp/codse-mutation-sweep.log 2>&1; then
    status=1
    grep -E "mutant [0-9]+:" -A3 /tmp/codse-mutation-sweep.log | head -20
  fi
  end=$(date +%s%N)
  (grep "^\[mutations\]" /tmp/codse-mutation-sweep.log || true) | sed "s/$/ ($(((end - start) / 1000000)) ms for the suite)/"
}
echo "mutants per seed file: $CODSE_PARSER_MUTATIONS"
run test_nn 'NetworkFileMutation.*'
run test_hw '*Mutation.*'
run test_nn 'IntegerModelMutation.*'
run test_core 'TableSpaceMutation.*'
run test_explore 'ExploreConfigMutation.*'
exit $status
