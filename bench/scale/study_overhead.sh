#!/usr/bin/env bash
# The whole coordinator's cost per trial, store included: `codse dse --table` (a table lookup is an
# evaluation that takes no time) with the random explorer, in this process and under
# `mpirun -n 3` (rank 0 coordinates, 2 ranks look up), budgets 10 and 1000; the difference over
# the 990 extra trials is the cost per trial without the start-up. Rank 0 alone is timed (MPMD:
# /usr/bin/time wraps only the first rank). REPS repetitions (default 3), then the medians.
#   bench/scale/study_overhead.sh [CODSE]        # default build/release/codse
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
codse=$(realpath "${1:-$root/build/release/codse}")
work=${WORK:-$root/build/bench-scale/study}
reps=${REPS:-3}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mkdir -p "$work"
args=(dse --table "$root/examples/tables/mlp_folding.csv" --objective lut:min --objective ii_cycles:min
      --explorer random --ask-batch 2 --quiet)
timed() {  # timed FILE BUDGET MODE: rank 0's "wall user sys" into FILE
  rm -f "$work/s.sqlite"
  if [[ $3 == mpi ]]; then
    mpirun --oversubscribe -n 1 /usr/bin/time -f "%e %U %S" -o "$1" "$codse" "${args[@]}" --budget "$2" --db "$work/s.sqlite" \
      : -n 2 "$codse" "${args[@]}" --budget "$2" --db "$work/s.sqlite" > /dev/null
  else
    /usr/bin/time -f "%e %U %S" -o "$1" "$codse" "${args[@]}" --budget "$2" --db "$work/s.sqlite" > /dev/null
  fi
}
: > "$work/per_trial.tsv"
for rep in $(seq 1 "$reps"); do
  for mode in in-process mpi; do
    timed "$work/small" 10 "$mode"
    timed "$work/large" 1000 "$mode"
    read -r w0 u0 s0 < "$work/small"
    read -r w1 u1 s1 < "$work/large"
    awk -v m="$mode" -v r="$rep" -v w0="$w0" -v c0="$(echo "$u0 + $s0" | bc)" -v w1="$w1" -v c1="$(echo "$u1 + $s1" | bc)" \
      'BEGIN {printf "%s\t%d\t%.0f\t%.0f\n", m, r, 1e6 * (w1 - w0) / 990, 1e6 * (c1 - c0) / 990}' >> "$work/per_trial.tsv"
  done
done
echo "| coordinator | repetition | wall us per trial | CPU us per trial |"
echo "| --- | ---: | ---: | ---: |"
awk -F'\t' '{printf "| %s | %d | %d | %d |\n", $1, $2, $3, $4}' "$work/per_trial.tsv"
for mode in in-process mpi; do
  median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
  echo "| $mode | median | $(awk -F'\t' -v m=$mode '$1 == m {print $3}' "$work/per_trial.tsv" | median) | $(awk -F'\t' -v m=$mode '$1 == m {print $4}' "$work/per_trial.tsv" | median) |"
done
