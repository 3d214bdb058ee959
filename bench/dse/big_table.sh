#!/usr/bin/env bash
# Peak memory and time of epsilon-PAL and ATNE on a 200,000-design synthetic table at a 1% budget
# (issue 17, defect 4: within 2 GB and 5 minutes each). Prints the markdown section that
# bench/dse/RESULTS.md holds; run.sh appends it. One explorer per process, one thread.
#   bench/dse/big_table.sh [ROWS]   (default 200000)
set -euo pipefail
cd "$(dirname "$0")/../.."
rows="${1:-200000}"
cmake --build build/release -j2 --target bench_dse_big_table >/dev/null
echo "## Memory and time on a ${rows}-design synthetic table (1% budget, one thread)"
echo
echo "\`bench/dse/big_table.sh\` (\`bench_dse_big_table --algo A --rows ${rows} --fraction 0.01\`): a full"
echo "factorial of six knobs with an HLS-like latency / area trade-off (see big_table.cpp). Peak RSS is"
echo "getrusage's ru_maxrss of the whole process (the table and pool alone: the column before it)."
echo
echo "| explorer | designs | budget | evaluations | wall s | CPU s | table MB | peak RSS MB |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for algo in epal atne; do
  OPENBLAS_NUM_THREADS=1 build/release/bench/bench_dse_big_table --algo "$algo" --rows "$rows" --fraction 0.01 2>/dev/null
done
