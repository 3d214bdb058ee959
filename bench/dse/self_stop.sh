#!/usr/bin/env bash
# Issue 15: how often the explorers' own stopping rules (option self_stop, off by default) stop
# before the front is complete: ATNE and epsilon-PAL with self_stop=true on the 16 shared tables,
# 5 seeds, to at most 10% of each table. A wrong stop is a run that stopped by itself with krg
# ADRS > 0. Two processes, under nice; prints the markdown table RESULTS.md holds.
#   bench/dse/self_stop.sh [BUILD_DIR]   (default build/release)
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${1:-build/release}"
data=../shared/data
work="$build/self_stop"
rm -rf "$work" && mkdir -p "$work"
cmake --build "$build" -j2 --target bench_dse_general >/dev/null
# aladdin_gemm (10,799 designs, the slowest) last.
tables=("$data"/hls-dse/vivado_*.csv)
for t in "$data"/hw-dse-extra/*.csv; do [ "${t##*/}" != aladdin_gemm.csv ] && tables+=("$t"); done
tables+=("$data/hw-dse-extra/aladdin_gemm.csv")
export OPENBLAS_NUM_THREADS=1
bench="$build/bench/bench_dse_general"
nice -n 10 "$bench" --runs "$work/atne.csv" --fractions 0.1 --algos atne+stop "${tables[@]}" 2>"$work/atne.log" &
nice -n 10 "$bench" --runs "$work/epal.csv" --fractions 0.1 --algos epal+stop "${tables[@]}" 2>"$work/epal.log"
wait
echo "| explorer | runs | stopped by itself before 10% | of which with the front incomplete | wrong stops / runs |"
echo "|---|---|---|---|---|"
for algo in atne epal; do
  awk -F, -v a="$algo" 'NR > 1 { n++; s += $8; w += ($8 == 1 && $10 == 0) }
    END { printf "| %s (self_stop) | %d | %d | %d | %.1f%% |\n", a, n, s, w, n ? 100 * w / n : 0 }' "$work/$algo.csv"
done
