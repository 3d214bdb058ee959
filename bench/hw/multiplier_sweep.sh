#!/bin/bash
# LUT multipliers over weight and input widths (issue 14; bench/hw/RESULTS.md, twelfth stop): one
# folded unit alone, 64 inputs, 10 outputs, PE 2 x SIMD 16 (32 products), weights in block RAM,
# `multipliers: lut`, unsigned inputs, for w in 2..4 and a in 2..5. Each network trains one epoch
# on sklearn digits (real weights; accuracy does not matter), is synthesized by `codse hw synth`
# for the XC7Z020 under `ulimit -v 8000000` and estimated with the built-in calibration. Prints
# Yosys's LUTs, the estimate's error and Yosys's LUTs per product. About a minute on 2 cores.
#   bench/hw/multiplier_sweep.sh [CODSE] [DATA_DIR] [WORK_DIR]
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
codse=$(realpath "${1:-build/release/codse}")
data=$(realpath "${2:-${CODSE_SHARED_DATA_DIR:-$repo/../shared/data}}")
work=${3:-$(mktemp -d)}
mkdir -p "$work" && cd "$work" || exit 1
export OPENBLAS_NUM_THREADS=1
printf '%-6s %8s %9s %12s\n' unit yosys estimate "LUT/product"
for w in 2 3 4; do
  for a in 2 3 4 5; do
    n=mul_w${w}a${a}
    cat > $n.json <<EOF
{"name": "$n", "layers": [
  {"name": "in", "type": "input", "shape": [64], "bits": $a, "signed": false},
  {"name": "fc", "type": "dense", "units": 10, "bias": false, "weight_bits": $w}]}
EOF
    cat > $n.map.json <<EOF
{"network": "$n", "device": "XC7Z020", "template": "folded", "clock_mhz": 100,
 "layers": [{"layer": "fc", "pe": 2, "simd": 16, "storage": "bram", "multipliers": "lut"}]}
EOF
    [[ -f train_$n/integer_model.json ]] ||
      "$codse" train --network $n.json --dataset digits --data-dir "$data/sklearn-digits" --epochs 1 \
        --out train_$n > train_$n.log 2>&1 || { echo "$n: training failed (train_$n.log)"; continue; }
    (ulimit -v 8000000; "$codse" hw synth --network $n.json --integer-model train_$n/integer_model.json \
      --mapping $n.map.json --device XC7Z020 --jobs 2 --out synth_$n --json > synth_$n.json 2> synth_$n.err) ||
      { echo "$n: synthesis failed (synth_$n.err)"; continue; }
    "$codse" hw estimate --network $n.json --device XC7Z020 --mapping $n.map.json --json > estimate_$n.json
    python3 - "$n" <<'PY'
import json, sys
n = sys.argv[1]
yosys = json.load(open(f"synth_{n}.json"))["layers"][0]["resources"]["lut"]
estimate = json.load(open(f"estimate_{n}.json"))["layers"][0]["lut"]
print(f"{n[4:]:<6} {yosys:8.0f} {100 * (estimate - yosys) / yosys:+8.1f}% {yosys / 32:12.1f}")
PY
  done
done
