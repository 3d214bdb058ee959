#!/usr/bin/env bash
# Side by side at equal budget: the co-exploration (strategy lemonade) against random joint search
# (random) and the sequential flow (sequential), same config otherwise, seeds 1 2 3; then the
# table of final hypervolumes with one normalisation per seed (codse explore --compare).
#   bench/explore/run.sh                      # all 9 runs, then the table
#   SEEDS="1" STRATEGIES="lemonade random" bench/explore/run.sh
# CODSE: the binary (default build/release/codse); WORK: where the configs, stores, logs and the
# table go (default build/bench-explore). A store that exists is resumed (--resume), so a killed
# run.sh continues where it stopped. Each run is timed with /usr/bin/time (CPU seconds in its log).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
codse=${CODSE:-$root/build/release/codse}
work=${WORK:-$root/build/bench-explore}
seeds=${SEEDS:-1 2 3}
strategies=${STRATEGIES:-lemonade random sequential}
mkdir -p "$work"
stores=()
for seed in $seeds; do
  for strategy in $strategies; do
    name=$strategy-seed$seed
    # The config's relative paths are made absolute, since the copy lives in $work.
    sed -e "s|^seed: 1 .*|seed: $seed|" -e "s|^strategy: lemonade .*|strategy: $strategy|" \
        -e "s|\.\./\.\./|$root/|g" "$root/bench/explore/mnist_bench.yaml" > "$work/$name.yaml"
    resume=()
    [[ -f $work/$name.sqlite ]] && resume=(--resume)
    echo "$(date +%T) $name" >&2
    /usr/bin/time -f "cpu_seconds %U user %S sys, %e s wall, max rss %M kB" \
      "$codse" explore "$work/$name.yaml" --db "$work/$name.sqlite" "${resume[@]}" > "$work/$name.log" 2>&1
    tail -1 "$work/$name.log" >&2
    stores+=("$work/$name.sqlite")
  done
done
"$codse" explore --compare "${stores[@]}" | tee "$work/table.md"
