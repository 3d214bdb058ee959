#!/bin/bash
# How the LUTs of a dot product grow with SIMD, in Yosys and in the calibrated estimate
# (bench/hw/RESULTS.md, "Whole networks at FINN's size"): a dense layer of 64 inputs (the digits'
# pixels, binarized) x 10 outputs, PE 2, weights in block RAM, SIMD 4 to 64, for two datapaths of
# LFC: XNOR-popcount (1-bit signed weights and inputs, its fc1), which the calibration corpus does
# not contain (its inputs are unsigned), and bipolar weights times 1-bit unsigned inputs (its fc0).
# Random weights (codse train --epochs 0). Prints Yosys's LUTs, the calibrated estimate's and
# their ratio per SIMD.
#   bench/hw/simd_growth.sh [CODSE] [DIGITS_DIR]    (about 3 minutes of Yosys)
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
codse=$(realpath "${1:-build/release/codse}")
digits=$(realpath "${2:-${CODSE_SHARED_DATA_DIR:-$repo/../shared/data}/sklearn-digits}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
echo "datapath simd: yosys_lut estimate_lut estimate/yosys"
for kind in xnor bipolar; do
  signed=$([[ $kind == xnor ]] && echo true || echo false)
  n=growth_$kind
  cat > $n.json <<J
{"name": "$n", "layers": [
 {"name": "in", "type": "input", "shape": [64], "bits": 1, "signed": $signed},
 {"name": "fc", "type": "dense", "units": 10, "bias": false, "weight_bits": 1}]}
J
  $codse train --network $n.json --dataset digits --data-dir "$digits" --epochs 0 --out tr_$n > tr_$n.log 2>&1 ||
    { echo "train failed $n"; tail -2 tr_$n.log; continue; }
  for simd in 4 8 16 32 64; do
    cat > $n.$simd.map.json <<J
{"network": "$n", "device": "XC7Z020", "template": "folded", "clock_mhz": 100,
 "layers": [{"layer": "fc", "pe": 2, "simd": $simd, "storage": "bram", "multipliers": "lut"}]}
J
    $codse hw synth --network $n.json --weights tr_$n/weights.bin --mapping $n.$simd.map.json --device XC7Z020 \
      --out out_${n}_$simd --json --jobs 2 > synth.json 2> err.txt || { echo "$kind $simd: synthesis failed"; continue; }
    $codse hw estimate --network $n.json --mapping $n.$simd.map.json --device XC7Z020 \
      --json > estimate.json
    python3 - "$kind" "$simd" <<'PY'
import json, sys
synth = json.load(open("synth.json"))["layers"][0]["resources"]["lut"]
estimate = json.load(open("estimate.json"))["layers"][0]["lut"]
print(f"{sys.argv[1]} {sys.argv[2]}: {synth:.0f} {estimate:.0f} {estimate / synth:.2f}")
PY
  done
done
