#!/usr/bin/env bash
# Issue 15: ATNE, epsilon-PAL, random and Optuna's multivariate TPE on the 16 shared tables
# (../shared/data/hls-dse and ../shared/data/hw-dse-extra), 5 seeds, scored by krg ADRS at 5% and
# 10% of each table (each run goes to 10%; 5% is its prefix), plus a 3-objective set
# (aladdin_gemm, chstone_chenidct; TPE on the latter only: 3-objective TPE on 10,799 rows alone
# would take about 15 minutes). TPE (tpe_baseline.py) writes the rows it evaluated and the C++
# bench scores them, so every explorer is scored by core/front_scorer. Two processes at a time,
# under nice. Prints the markdown that bench/dse/RESULTS.md holds.
#   bench/dse/generalisation.sh [BUILD_DIR]   (default build/release)
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${1:-build/release}"
data=../shared/data
work="$build/generalisation"
tpe_rows="$build/tpe_rows"  # kept between runs: TPE does not depend on codse (about 40 min)
rm -rf "$work" && mkdir -p "$work" "$tpe_rows"
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCODSE_BUILD_BENCHMARKS=ON >/dev/null
fi
cmake --build "$build" -j2 --target bench_dse_general >/dev/null
tables=("$data"/hls-dse/vivado_*.csv "$data"/hw-dse-extra/*.csv)
three=("$data/hw-dse-extra/aladdin_gemm.csv" "$data/hw-dse-extra/chstone_chenidct.csv")
bench="$build/bench/bench_dse_general"
export OPENBLAS_NUM_THREADS=1
start=$(date +%s)
# Process 1: TPE (Python), then scoring its rows. Process 2: the C++ explorers.
( nice -n 10 bench/dse/tpe_baseline.py "$tpe_rows" --seeds 5 --fraction 0.1 "${tables[@]}"
  nice -n 10 bench/dse/tpe_baseline.py "$tpe_rows" --seeds 5 --fraction 0.1 --objectives 3 "${three[1]}"
  "$bench" --runs "$work/tpe.csv" --algos tpe --rows-dir "$tpe_rows" "${tables[@]}"
  "$bench" --runs "$work/tpe.csv" --algos tpe --rows-dir "$tpe_rows" --objectives 3 "${three[1]}"
) 2>"$work/tpe.log" &
tpe=$!
nice -n 10 "$bench" --runs "$work/explorers.csv" --algos atne,epal,random "${tables[@]}" 2>"$work/explorers.log"
nice -n 10 "$bench" --runs "$work/explorers.csv" --algos atne,epal,random --objectives 3 "${three[@]}" 2>>"$work/explorers.log"
wait "$tpe"
{ cat "$work/explorers.csv"; tail -n +2 "$work/tpe.csv"; } >"$work/runs.csv"
echo "## Generalisation across tool flows (issue 15)"
echo
echo "Produced by \`bench/dse/generalisation.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores, commit $(git rev-parse --short HEAD), $(( ($(date +%s) - start) / 60 )) minutes."
echo "5 seeds (0-4); each run goes to 10% of its table and is scored at 5% on its prefix; a run that"
echo "stopped by itself is scored at its stop. Runs: \`$work/runs.csv\` (not committed)."
echo
bench/dse/summarise_generalisation.py "$work/runs.csv"
