#!/usr/bin/env bash
# Trains the networks of issue 3's accuracy acceptance with `codse train`, one run after the other
# with one thread each, and prints the Markdown table of bench/nn/RESULTS.md (the exact command of
# every run is in it). Seed 1 everywhere: a run is deterministic for its seed, thread count and
# OpenBLAS kernels.
#   bench/nn/train_acceptance.sh [CODSE_BINARY] [DATA_DIR] [OUT_DIR]
# Every run leaves OUT_DIR/NET/ (weights.bin, integer_model.json, metrics.json) and OUT_DIR/NET.log.
#
# OpenBLAS 0.3.21 (Debian 12) does not recognise some newer CPUs and falls back to its SSE3
# "Prescott" kernels (2-4x slower training here, see RESULTS.md); OpenBLAS reads
# OPENBLAS_CORETYPE when it is loaded, so this script sets it from the CPU's flags unless the
# caller already did. The kernels change float rounding, hence the digits of the accuracies.
set -euo pipefail
cd "$(dirname "$0")/../.."
codse="${1:-build/release/codse}"
data="${2:-../shared/data}"
out="${3:-/tmp/codse-train-acceptance}"
mkdir -p "$out"
export OPENBLAS_NUM_THREADS=1
if [[ -z "${OPENBLAS_CORETYPE:-}" ]]; then
  flags=$(grep -m1 '^flags' /proc/cpuinfo || true)
  if [[ $flags == *avx512f* && $flags == *avx512bw* && $flags == *avx512dq* && $flags == *avx512vl* ]]; then
    export OPENBLAS_CORETYPE=SkylakeX
  elif [[ $flags == *avx2* && $flags == *fma* ]]; then
    export OPENBLAS_CORETYPE=Haswell
  fi
fi
echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-} OPENBLAS_NUM_THREADS=1, $(nproc) cores, load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

common="--seed 1 --threads 1"
# network | arguments | required test accuracy (%) or - for a network outside the acceptance
runs=(
  "mnist_mlp_fp|--dataset mnist --data-dir $data/mnist --epochs 10|98.0"
  "mnist_mlp_w4a4|--dataset mnist --data-dir $data/mnist --epochs 10|97.5"
  "sfc_w1a1|--dataset mnist --data-dir $data/mnist --epochs 10 --lr 0.005|95.0"
  "fmnist_cnn_w4a4|--dataset fashion-mnist --data-dir $data/fashion-mnist --epochs 10|90.0"
  "digits_mlp_w4a4|--dataset csv:$data/sklearn-digits/digits.csv.gz --epochs 40 --batch 32 --lr 0.01|95.0"
  "digits_mlp_w2a2|--dataset csv:$data/sklearn-digits/digits.csv.gz --epochs 60 --batch 32 --lr 0.01|-"
  "mnist_mlp_w2a2|--dataset mnist --data-dir $data/mnist --epochs 10|-"
)

echo "| network | arguments after \`codse train --network examples/networks/NET.json\` ($common --out DIR) | required | test accuracy (fake-quant) | integer model accuracy | integer = fake-quant | converged: epoch (s) | epochs | train s (CPU s) | samples/s |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for run in "${runs[@]}"; do
  IFS='|' read -r net args required <<<"$run"
  # shellcheck disable=SC2086
  if ! "$codse" train --network "examples/networks/$net.json" $args $common --out "$out/$net" >"$out/$net.log" 2>&1; then
    echo "| $net | \`$args\` | $required | failed, see $out/$net.log |"
    continue
  fi
  /usr/bin/python3 - "$out/$net/metrics.json" "$net" "$args" "$required" "$data" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
net, args, required, data = sys.argv[2], sys.argv[3].replace(sys.argv[5], "DATA"), sys.argv[4], sys.argv[5]
im = m.get("integer_model", {})
integer = f'{100 * im["test_accuracy"]:.2f}%' if "file" in im else "(float network)"
agree = f'{100 * im["agreement_with_fake_quant"]:.2f}% of {im["test_samples"]}' if "file" in im else "-"
accuracy = 100 * m["test_accuracy"]
verdict = "" if required == "-" else (" pass" if accuracy >= float(required) else " **FAIL**")
need = "-" if required == "-" else f">= {required}%"
conv = m["convergence"]
def secs(x):
    return f"{x:.0f}" if x >= 10 else f"{x:.1f}"
print(f'| {net} | `{args}` | {need} | **{accuracy:.2f}%**{verdict} | {integer} | {agree} | '
      f'{conv["epochs"]} ({secs(conv["seconds"])} s) | {m["epochs"]} | {secs(m["train_seconds"])} ({secs(m["train_cpu_seconds"])}) | '
      f'{m["samples_per_second"]:.0f} |')
PY
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
