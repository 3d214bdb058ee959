#!/usr/bin/env bash
# Scaling of `codse explore --workers N`: the same co-exploration (bench/scale/mnist_scale.yaml:
# 33 MNIST MLPs, each training for seconds, 4 per LEMONADE batch) with 1 and with 2 worker
# processes, REPS times, interleaved (1, 2, 1, 2, ...) so that load from other jobs falls on both;
# checks that the two stores hold the same trials and prints the wall times, their medians and the
# speed-up. Then, when the overhead benchmark is built (bench/scale/coordinator_overhead.cpp), the
# coordinator's time per trial for the process pool and for MPI.
#   bench/scale/run.sh [CODSE]        # default build/release/codse
# REPS (default 3), WORK (default build/bench-scale: stores, logs, times.tsv), OVERHEAD (the
# overhead benchmark, default bench/bench_scale_overhead beside CODSE; skipped when absent).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
codse=$(realpath "${1:-$root/build/release/codse}")
work=${WORK:-$root/build/bench-scale}
reps=${REPS:-3}
overhead=${OVERHEAD:-$(dirname "$codse")/bench/bench_scale_overhead}
config=$root/bench/scale/mnist_scale.yaml
mkdir -p "$work"

# The trials of a store without what differs between runs of the same study: wall times (the
# "seconds" and "train_seconds" fields, the seconds and finished_at columns) and the artifacts
# directory, which is named after the store.
trials_of() {
  sqlite3 "$1" "SELECT number, design_key, design, status, metrics, fidelity, error, artifacts FROM trials ORDER BY number" |
    sed -E -e 's/"(train_)?seconds":[-+0-9.eE]+,?//g' -e 's#"([^"]*/)?w[0-9]+\.artifacts/#"ARTIFACTS/#g'
}

# What the machine itself gives two processes at once: the starting network trained for three
# epochs on one thread (codse train), alone and then twice side by side. When each of the pair
# takes longer than the one alone (shared caches, memory bandwidth, a hypervisor's other
# guests), no scheduling can reach 2x: the ceiling is 2 x alone / pair.
timed_training() {
  /usr/bin/time -f %e -o "$1.time" "$codse" train --network "$root/examples/networks/mnist_mlp_w4a4.json" \
    --dataset mnist --epochs 3 --threads 1 --out "$1" > "$1.log" 2>&1
}
machine_check() {
  local dir=$work/pair
  rm -rf "$dir" && mkdir -p "$dir"
  for i in 1 2 3; do  # the machine's speed drifts by seconds: three rounds, medians
    timed_training "$dir/alone$i"
    timed_training "$dir/a$i" &
    timed_training "$dir/b$i"
    wait
    echo "$(cat "$dir/alone$i.time") $(cat "$dir/a$i.time") $(cat "$dir/b$i.time")"
  done | awk '{alone[NR] = $1; pair[NR] = ($2 + $3) / 2; rounds = rounds sprintf(" %.1f / %.1f,", $1, pair[NR])}
    function median3(v) { return v[1] + v[2] + v[3] - (v[1] < v[2] ? (v[1] < v[3] ? v[1] : v[3]) : (v[2] < v[3] ? v[2] : v[3])) \
                                 - (v[1] > v[2] ? (v[1] > v[3] ? v[1] : v[3]) : (v[2] > v[3] ? v[2] : v[3])) }
    END {a = median3(alone); p = median3(pair)
      printf "machine: one training alone / each of two side by side (s):%s medians %.1f / %.1f: %.2fx as long, so 2 workers can reach at most %.2fx\n",
        rounds, a, p, p / a, 2 * a / p}'
}
machine_check | tee "$work/machine.txt" >&2

echo -e "rep\tworkers\twall_s\tuser_s\tsys_s\tload1" > "$work/times.tsv"
for rep in $(seq 1 "$reps"); do
  for workers in 1 2; do
    dir=$work/rep$rep
    mkdir -p "$dir"
    rm -rf "$dir/w$workers.sqlite" "$dir/w$workers.artifacts"
    load=$(cut -d' ' -f1 /proc/loadavg)
    echo "$(date +%T) rep $rep, $workers worker(s), load $load" >&2
    /usr/bin/time -f "%e %U %S" -o "$dir/w$workers.time" \
      "$codse" explore "$config" --db "$dir/w$workers.sqlite" --workers "$workers" > "$dir/w$workers.log" 2>&1
    read -r wall user sys < "$dir/w$workers.time"
    echo -e "$rep\t$workers\t$wall\t$user\t$sys\t$load" >> "$work/times.tsv"
  done
  if ! diff <(trials_of "$dir/w1.sqlite") <(trials_of "$dir/w2.sqlite") > "$dir/trials.diff"; then
    echo "rep $rep: the trials of 1 and 2 workers differ: $dir/trials.diff" >&2
    exit 1
  fi
  echo "rep $rep: $(sqlite3 "$dir/w1.sqlite" 'SELECT count(*) FROM trials') trials, identical for 1 and 2 workers" >&2
done

# Medians per worker count and the speed-up of the medians; each repetition's ratio beside them.
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
m1=$(awk -F'\t' '$2 == 1 {print $3}' "$work/times.tsv" | median)
m2=$(awk -F'\t' '$2 == 2 {print $3}' "$work/times.tsv" | median)
# Cores used = CPU seconds (user + system of codse and its workers) / wall seconds: on a shared
# machine, what the run got; 2 workers can only halve the wall time when they get 2 cores.
echo "| repetition | 1 worker (s) | 2 workers (s) | speed-up | cores used (1, 2) | load average at start (1, 2) |"
echo "| ---: | ---: | ---: | ---: | --- | --- |"
awk -F'\t' 'NR > 1 {wall[$1, $2] = $3; cpu[$1, $2] = $4 + $5; load[$1, $2] = $6; if ($1 > n) n = $1}
  END {for (r = 1; r <= n; ++r) printf "| %d | %.1f | %.1f | %.2fx | %.2f, %.2f | %s, %s |\n", r, wall[r, 1], wall[r, 2],
       wall[r, 1] / wall[r, 2], cpu[r, 1] / wall[r, 1], cpu[r, 2] / wall[r, 2], load[r, 1], load[r, 2]}' "$work/times.tsv"
awk -v a="$m1" -v b="$m2" 'BEGIN {printf "| median | %.1f | %.1f | %.2fx | | |\n", a, b, a / b}'

if [[ -x $overhead ]]; then
  echo
  "$overhead" pool
  OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 mpirun --oversubscribe -n 3 "$overhead" mpi
else
  echo "no $overhead: build the target bench_scale_overhead for the coordinator's time per trial" >&2
fi
