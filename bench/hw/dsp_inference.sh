#!/bin/bash
# Which of codse_mvau's products Yosys puts in DSP48E1 (XC7Z020, multipliers auto): one dense
# layer of 64 inputs x 10 outputs, PE 1, SIMD 2 (so 2 products), weights w bits, inputs a bits,
# signed or not, random weights (codse train --epochs 0 on sklearn digits). Prints Yosys's DSP
# count per layer beside the estimate's (bench/hw/RESULTS.md, "Which products go to DSPs").
#   bench/hw/dsp_inference.sh [CODSE] [DIGITS_DIR]    (about 75 s of Yosys)
set -u
codse=$(realpath "${1:-build/release/codse}")
digits=${2:-${CODSE_SHARED_DATA_DIR:-../shared/data}/sklearn-digits}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
dsp_counts() {  # the "dsp" fields of a JSON document, in order
  python3 -c 'import json, sys
def find(o):
    if isinstance(o, dict):
        for k, v in o.items():
            if k == "dsp": yield v
            yield from find(v)
    elif isinstance(o, list):
        for v in o: yield from find(v)
try: print(list(find(json.load(sys.stdin)))[:1])
except ValueError: print("failed")'
}
echo "w a signed: yosys estimate"
for signed in false true; do
for w in 2 4; do
for a in 4 6 8; do
  n=sw_w${w}_a${a}_$signed
  cat > $n.json <<J
{"name": "$n", "layers": [
 {"name": "in", "type": "input", "shape": [64], "bits": $a, "signed": $signed},
 {"name": "fc", "type": "dense", "units": 10, "bias": false, "weight_bits": $w}]}
J
  cat > $n.map.json <<J
{"network": "$n", "device": "XC7Z020", "template": "folded", "clock_mhz": 100,
 "layers": [{"layer": "fc", "pe": 1, "simd": 2, "storage": "logic", "multipliers": "auto"}]}
J
  $codse train --network $n.json --dataset digits --data-dir "$digits" --epochs 0 --out tr_$n > tr_$n.log 2>&1 || { echo "train failed $n"; tail -2 tr_$n.log; continue; }
  out=$($codse hw synth --network $n.json --weights tr_$n/weights.bin --mapping $n.map.json --device XC7Z020 --out out_$n --json --jobs 2 2>err_$n.txt)
  est=$($codse hw estimate --network $n.json --mapping $n.map.json --device XC7Z020 --json 2>/dev/null | dsp_counts)
  echo "$w $a $signed: $(echo "$out" | dsp_counts) $est"
done; done; done
