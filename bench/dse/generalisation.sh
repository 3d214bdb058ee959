#!/usr/bin/env bash
# Issue 15: ATNE, epsilon-PAL, random and Optuna's multivariate TPE on the 16 shared tables
# (../shared/data/hls-dse and ../shared/data/hw-dse-extra), 5 seeds, scored by krg ADRS at 5% and
# 10% of each table (each run goes to 10%; 5% is its prefix), plus a 3-objective set (the three
# CHStone tables: latency, FF, LUT). TPE (tpe_baseline.py) writes the rows it evaluated and the C++
# bench scores them, so every explorer is scored by core/front_scorer. TPE's rows are kept in
# BUILD_DIR/tpe_rows between runs (TPE does not depend on codse; all of them take about an hour
# on one core); the explorers take about 25 minutes on 2 cores. At most two processes at a time,
# under nice. Prints the markdown that bench/dse/RESULTS.md holds.
#   bench/dse/generalisation.sh [BUILD_DIR]   (default build/release)
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${1:-build/release}"
data=../shared/data
work="$build/generalisation"
tpe_rows="$build/tpe_rows"
rm -rf "$work" && mkdir -p "$work" "$tpe_rows"
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCODSE_BUILD_BENCHMARKS=ON >/dev/null
fi
cmake --build "$build" -j2 --target bench_dse_general >/dev/null
hls=("$data"/hls-dse/vivado_*.csv)
extra=("$data"/hw-dse-extra/*.csv)
three=("$data"/hw-dse-extra/chstone_*.csv)
export OPENBLAS_NUM_THREADS=1 BENCH="$build/bench/bench_dse_general" WORK="$work"
# TPE on every table. Optuna 3.1's multi-objective TPE ranks every trial by non-domination at each
# ask, so its cost grows with the cube of the trials: aladdin_gemm's 5 seeds of 1,079 trials take
# about 18 minutes of one core (thirteenth stop), once; its rows are kept like the others.
aladdin="$data/hw-dse-extra/aladdin_gemm.csv"
others=()
for t in "${hls[@]}" "${extra[@]}"; do [ "$t" != "$aladdin" ] && others+=("$t"); done
export TPE_ROWS="$tpe_rows" TABLES="${hls[*]} ${extra[*]}" THREE="${three[*]}"
start=$(date +%s)
# One job per line: name, then bench_dse_general's arguments; two at a time, TPE's Python (which
# skips the runs it has kept) first. epsilon-PAL on aladdin_gemm (10,799 designs) alone takes about
# 13 minutes, so it is a job of its own.
{
  echo "tpe_python"
  echo "epal_aladdin --algos epal $aladdin"
  echo "atne --algos atne,random ${hls[*]} ${extra[*]}"
  echo "epal --algos epal ${others[*]}"
  echo "three --objectives 3 --algos atne,epal,random ${three[*]}"
} | xargs -P 2 -L 1 sh -c '
  if [ "$0" = tpe_python ]; then
    nice -n 10 bench/dse/tpe_baseline.py "$TPE_ROWS" --seeds 5 --fraction 0.1 $TABLES 2>"$WORK/tpe.log"
    exec nice -n 10 bench/dse/tpe_baseline.py "$TPE_ROWS" --seeds 5 --fraction 0.1 --objectives 3 $THREE 2>>"$WORK/tpe.log"
  fi
  exec nice -n 10 "$BENCH" --runs "$WORK/$0.csv" "$@" 2>"$WORK/$0.log"'
"$BENCH" --runs "$work/tpe2.csv" --algos tpe --rows-dir "$tpe_rows" "${hls[@]}" "${extra[@]}" 2>/dev/null
"$BENCH" --runs "$work/tpe3.csv" --objectives 3 --algos tpe --rows-dir "$tpe_rows" "${three[@]}" 2>/dev/null
{ head -1 "$work/atne.csv"; for f in "$work"/*.csv; do tail -n +2 "$f"; done; } >"$work/runs.merged"
echo "## Generalisation across tool flows (issue 15)"
echo
echo "Produced by \`bench/dse/generalisation.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores, commit $(git rev-parse --short HEAD):"
echo "$(( ($(date +%s) - start) / 60 )) minutes wall (TPE's kept runs are not run again)."
echo "5 seeds (0-4); each run goes to 10% of its table and is scored at 5% on its prefix (no explorer"
echo "knows its budget); a run that stopped by itself is scored at its stop. Runs: \`$work/runs.merged\` (CSV)."
echo
bench/dse/summarise_generalisation.py "$work/runs.merged"
