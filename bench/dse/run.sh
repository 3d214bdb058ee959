#!/usr/bin/env bash
# Reproduces bench/dse/RESULTS.md: ADRS versus evaluations of every explorer on the eight
# Spector-HLS tables (10 seeds, at most 10% evaluated), then the run time of ATNE and epsilon-PAL on
# the largest table, then memory and time of both on a 200,000-design synthetic table
# (big_table.sh), then issue 15's generalisation across 16 tables of several tool flows against
# Optuna's TPE (generalisation.sh) and the opt-in self-stopping rules (self_stop.sh). Takes about
# 25 minutes on 2 cores for the first three, 25 more for generalisation.sh (45 more the first time,
# for TPE's runs) and about 15 for self_stop.sh.
#   bench/dse/run.sh [DATA_DIR]   (default ../shared/data/hls-dse)
set -euo pipefail
cd "$(dirname "$0")/../.."
data="${1:-../shared/data/hls-dse}"
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j2 --target bench_dse_adrs bench_dse_speed bench_dse_big_table >/dev/null
out=bench/dse/RESULTS.md
{
  echo "# Explorers on the Spector-HLS tables"
  echo
  echo "Produced by \`bench/dse/run.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores, commit $(git rev-parse --short HEAD)."
  echo "Per-step curves: \`bench/dse/adrs_curves.csv\` is written next to this file (not committed)."
  echo
  build/release/bench/bench_dse_adrs "$data" --seeds 10 --fraction 0.1 \
    --algos atne,epal,nsga2,grid,random --csv bench/dse/adrs_curves.csv
  echo
  echo "## Run time on vivado_matrixmul (6,709 designs, 10% budget, one thread)"
  echo
  echo '```'
  OPENBLAS_NUM_THREADS=1 build/release/bench/bench_dse_speed --benchmark_repetitions=3 \
    --benchmark_report_aggregates_only=true 2>/dev/null
  echo '```'
  echo
  bench/dse/big_table.sh
  echo
  bench/dse/generalisation.sh build/release
  echo
  echo "### Opt-in self-stopping (\`bench/dse/self_stop.sh\`)"
  echo
  bench/dse/self_stop.sh build/release
} > "$out"
echo "wrote $out"
