#!/bin/bash
# Whole networks at FINN's size on XC7Z020 at 100 MHz (issue 14): for each network, one epoch of
# training, `codse hw synth` of its example mapping under `ulimit -v 8000000` (8 GB per process,
# so per Yosys run), and the estimate of the same mapping with the built-in calibration
# (data/calibration/xc7.json, the default) and with --cost-model published (FINN-R's model). Prints one row per network:
# Yosys's totals, both estimates' errors, Yosys's wall time and the largest Yosys process.
# Then Verilator: lfc_w1a1 on 1,000 MNIST test images, cnv_w1a1 on 100 CIFAR-10 test images; then
# the two digits MLPs on the iCE40 UP5K, placed and routed, against the calibrated iCE40 catalog.
#   bench/hw/whole_networks.sh [CODSE] [DATA_DIR] [WORK_DIR]
# About 25 minutes on 2 cores with an empty synthesis cache (LFC 2.7 min, the CNVs most of it).
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
codse=$(realpath "${1:-build/release/codse}")
data=$(realpath "${2:-${CODSE_SHARED_DATA_DIR:-$repo/../shared/data}}")
work=${3:-$(mktemp -d)}
mkdir -p "$work" && cd "$work" || exit 1
export OPENBLAS_NUM_THREADS=1 CODSE_DATA_DIR=$data

dataset_of() {
  case $1 in
    lfc_*|mnist_*) echo "mnist mnist" ;;
    fmnist_*) echo "fashion-mnist fashion-mnist" ;;
    cnv_*) echo "cifar10 cifar10-jpeg-subset" ;;
  esac
}

printf '%-16s %7s %6s %5s %4s | %-22s | %-22s | %8s %8s\n' network lut ff bram dsp \
  "calibrated lut ff b d" "FINN-R lut ff b d" "yosys s" "peak GB"
for n in lfc_w1a1 cnv_w1a1 cnv_w2a2 mnist_mlp_w4a4 fmnist_cnn_w4a4; do
  read -r dataset dir <<<"$(dataset_of $n)"
  # FINN's foldings are written for XC7Z045 at 200 MHz; the acceptance runs them on the XC7Z020.
  sed -e 's/"XC7Z045"/"XC7Z020"/' -e 's/"clock_mhz": 200/"clock_mhz": 100/' \
    "$repo/examples/mappings/$n.json" > $n.map.json
  [[ -f train_$n/integer_model.json ]] ||
    "$codse" train --network "$repo/examples/networks/$n.json" --dataset $dataset --data-dir "$data/$dir" \
      --epochs 1 --out train_$n > train_$n.log 2>&1 || { echo "$n: training failed (train_$n.log)"; continue; }
  (ulimit -v 8000000; /usr/bin/time -f '%M' -o peak_$n.txt "$codse" hw synth --network "$repo/examples/networks/$n.json" \
    --integer-model train_$n/integer_model.json --mapping $n.map.json --device XC7Z020 --jobs 2 --out synth_$n \
    --json > synth_$n.json 2> synth_$n.err) || { echo "$n: synthesis failed (synth_$n.err)"; continue; }
  "$codse" hw estimate --network "$repo/examples/networks/$n.json" --device XC7Z020 --mapping $n.map.json \
    --json > calibrated_$n.json
  "$codse" hw estimate --network "$repo/examples/networks/$n.json" --device XC7Z020 --mapping $n.map.json \
    --cost-model published --json > finnr_$n.json
  python3 - "$n" "$(tail -1 peak_$n.txt)" <<'PY'
import json, sys
n, peak_kb = sys.argv[1], float(sys.argv[2])
synth = json.load(open(f"synth_{n}.json"))
t = synth["total"]
def errors(path):
    e = json.load(open(path))["total"]
    err = lambda k: 100.0 * (e[k] - t[k]) / t[k] if t[k] else 0.0
    return f"{err('lut'):+6.1f}% {err('ff'):+6.1f}% {e['bram18'] - t['bram18']:+3.0f} {e['dsp'] - t['dsp']:+3.0f}"
yosys_s = sum(l["yosys_seconds"] for l in synth["layers"])  # a cached layer: its first run's time
# The largest process of the run: a Yosys one unless every layer came from the cache.
peak = "cached" if all(l["cached"] for l in synth["layers"]) else f"{peak_kb / 1e6:.2f}"
print(f"{n:<16} {t['lut']:7.0f} {t['ff']:6.0f} {t['bram18']:5.0f} {t['dsp']:4.0f} | {errors(f'calibrated_{n}.json')} |"
      f" {errors(f'finnr_{n}.json')} | {yosys_s:8.0f} {peak:>8}")
PY
done

echo
for run in "lfc_w1a1 mnist 1000" "cnv_w1a1 cifar10 100"; do
  read -r n dataset inputs <<<"$run"
  [[ -f train_$n/integer_model.json ]] || continue
  "$codse" hw verify --network "$repo/examples/networks/$n.json" --integer-model train_$n/integer_model.json \
    --mapping $n.map.json --dataset $dataset --data-dir "$data/$(dataset_of $n | cut -d" " -f2)" --inputs $inputs --out verify_$n > verify_$n.log 2>&1
  echo "$n, $inputs $dataset test images: $(grep -E 'mismatches' verify_$n.log | head -1)"
done

# iCE40 UP5K (place and route with nextpnr, Fmax reported): the networks whose weights fit its
# 30 block RAMs, at their example mappings (24 MHz), against the calibrated iCE40 catalog.
echo
printf '%-16s %6s %6s %5s | %-16s | %-16s | %8s\n' network lc ff bram "calibrated lut ff" "FINN-R lut ff" "fmax MHz"
for n in digits_mlp_w4a4 digits_mlp_w2a2; do
  [[ -f train_$n/integer_model.json ]] ||
    "$codse" train --network "$repo/examples/networks/$n.json" --dataset digits --data-dir "$data/sklearn-digits" \
      --epochs 1 --out train_$n > train_$n.log 2>&1 || { echo "$n: training failed (train_$n.log)"; continue; }
  (ulimit -v 8000000; "$codse" hw synth --network "$repo/examples/networks/$n.json" \
    --integer-model train_$n/integer_model.json --mapping "$repo/examples/mappings/$n.json" --device iCE40UP5K \
    --jobs 2 --out synth_$n --json > synth_$n.json 2> synth_$n.err) || { echo "$n: synthesis failed (synth_$n.err)"; continue; }
  "$codse" hw estimate --network "$repo/examples/networks/$n.json" --device iCE40UP5K \
    --mapping "$repo/examples/mappings/$n.json" --json > calibrated_$n.json
  "$codse" hw estimate --network "$repo/examples/networks/$n.json" --device iCE40UP5K \
    --mapping "$repo/examples/mappings/$n.json" --cost-model published --json > finnr_$n.json
  python3 - "$n" <<'PY'
import json, sys
n = sys.argv[1]
synth = json.load(open(f"synth_{n}.json"))
# The layers' Yosys totals (the placed design adds its IO wrapper's registers).
t = {k: sum(l["resources"][k] for l in synth["layers"]) for k in ("lut", "ff", "bram18")}
def errors(path):
    e = json.load(open(path))["total"]
    return f"{100 * (e['lut'] - t['lut']) / t['lut']:+6.1f}% {100 * (e['ff'] - t['ff']) / t['ff']:+6.1f}%"
fmax = synth.get("place_and_route", {}).get("fmax_mhz", float("nan"))
print(f"{n:<16} {t['lut']:6.0f} {t['ff']:6.0f} {t['bram18']:5.0f} | {errors(f'calibrated_{n}.json'):<16} |"
      f" {errors(f'finnr_{n}.json'):<16} | {fmax:8.2f}")
PY
done
