#!/usr/bin/env bash
# Bit-exact verification runs of bench/hw/RESULTS.md ("Bit-exact verification"): for each network,
# train it briefly with `codse train` (real weights; skipped when the weights exist), then
# `codse hw verify` on the first 1,000 test images of its dataset: the Verilog simulated with
# Verilator against IntegerModel::infer_all, every output bit for bit, and the simulated cycles set
# beside the analytic estimate. The mappings (PE/SIMD) are in bench/hw/verify/*.mapping.json.
#
# usage: bench/hw/verify.sh [CODSE_BINARY] [WORK_DIR]   (defaults: build/rtl2/codse, build/rtl2/verify-runs)
# env: CODSE_DATA_DIR (default ../shared/data), INPUTS (default 1000), EPOCHS (default 2),
#      NETWORKS (default: all five, space separated)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
codse=$(realpath "${1:-$root/build/rtl2/codse}")
work=$(realpath -m "${2:-$root/build/rtl2/verify-runs}")
export CODSE_DATA_DIR=${CODSE_DATA_DIR:-$(realpath "$root/../shared/data")}
inputs=${INPUTS:-1000}
epochs=${EPOCHS:-2}
networks=${NETWORKS:-"mnist_mlp_w4a4 mnist_mlp_w2a2 sfc_w1a1 fmnist_cnn_w4a4 mnist_resmlp_w4a4"}
mkdir -p "$work"
# Verilator's makefiles compile through $OBJCACHE: a repeated run rebuilds from the cache.
command -v ccache > /dev/null && export OBJCACHE=${OBJCACHE:-ccache}

dataset_of() {
  case "$1" in
    fmnist_*) echo fashion-mnist ;;
    *) echo mnist ;;
  esac
}

for net in $networks; do
  dataset=$(dataset_of "$net")
  run="$work/$net"
  if [[ ! -f "$run/weights.bin" ]]; then
    # The CNN trains for one epoch: enough for real weights, and an epoch costs minutes.
    net_epochs=$epochs
    [[ $net == fmnist_cnn_* ]] && net_epochs=1
    "$codse" train --network "$root/examples/networks/$net.json" --dataset "$dataset" \
      --epochs "$net_epochs" --seed 1 --out "$run" > "$run.train.log" 2>&1
  fi
  echo "== $net on $inputs $dataset test images (weights: $run/weights.bin)"
  start=$(date +%s)
  status=0
  "$codse" hw verify --network "$root/examples/networks/$net.json" --weights "$run/weights.bin" \
    --mapping "$root/bench/hw/verify/$net.mapping.json" --out "$run/rtl" --inputs "$inputs" \
    --dataset "$dataset" 2>&1 | tee "$run.verify.log" || status=$?
  echo "   exit $status, $(( $(date +%s) - start )) s wall"
done
