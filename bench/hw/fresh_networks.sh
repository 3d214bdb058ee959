#!/bin/bash
# Whole networks no calibration has seen (issue 14): bench/hw/fresh_networks.py writes COUNT random
# networks (MLPs, residual MLPs, CNNs with pools) for SEED; each trains one epoch, is folded by the
# HAL for a random throughput (the fewest-LUT mapping reaching 4x to 64x its smallest folding's
# frames per second, `hw estimate --target-fps`, with DSP multipliers asked for as auto, as the
# RTL builds them), synthesized by `codse hw synth` for the XC7Z020
# at 100 MHz under `ulimit -v 8000000`, and estimated with the built-in calibration and with FINN-R's
# published formulas. Prints one row per network (Yosys's totals and both estimates' errors) and a
# summary: how many are within 10% LUT, 15% FF, BRAM and DSP exact.
#   bench/hw/fresh_networks.sh [CODSE] [DATA_DIR] [WORK_DIR] [SEED] [COUNT]
# About 2 minutes per network on 2 cores with an empty synthesis cache.
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
codse=$(realpath "${1:-build/release/codse}")
data=$(realpath "${2:-${CODSE_SHARED_DATA_DIR:-$repo/../shared/data}}")
work=${3:-$(mktemp -d)}
seed=${4:-2}
count=${5:-8}
mkdir -p "$work" && cd "$work" || exit 1
export OPENBLAS_NUM_THREADS=1 CODSE_DATA_DIR=$data

python3 "$repo/bench/hw/fresh_networks.py" "$seed" "$count" . > corpus.txt
printf '%-14s %-44s %6s %6s %4s %3s | %-22s | %-22s | %6s\n' network "mapping (pe x simd)" lut ff bram dsp \
  "calibrated lut ff b d" "FINN-R lut ff b d" "yosys s"
rm -f rows.jsonl
while read -r file dataset; do
  n=$(basename "$file" .json)
  dir=$([[ $dataset == digits ]] && echo sklearn-digits || echo mnist)
  [[ -f train_$n/integer_model.json ]] ||
    "$codse" train --network "$file" --dataset "$dataset" --data-dir "$data/$dir" --epochs 1 --seed "$seed" \
      --out "train_$n" > "train_$n.log" 2>&1 || { echo "$n: training failed (train_$n.log)"; continue; }
  if [[ ! -f $n.map.json ]]; then
    smallest=$("$codse" hw estimate --network "$file" --device XC7Z020 --json 2>/dev/null |
      python3 -c 'import json, sys; print(json.load(sys.stdin)["total"]["fps"])')
    target=$(python3 -c "import random; r = random.Random('$n'); print($smallest * 2 ** r.uniform(2, 6))")
    # The fewest-LUT mapping reaching the target (halved until one does), as the RTL builds it:
    # `multipliers: dsp` is built like auto (Yosys decides), so it is asked for as auto.
    for _ in 1 2 3 4 5 6; do
      "$codse" hw estimate --network "$file" --device XC7Z020 --target-fps "$target" --json > estimate_$n.json         2>/dev/null && break
      target=$(python3 -c "print($target / 2)")
    done
    python3 - "$n" <<'PY' || { echo "$n: no mapping reaches the target"; continue; }
import json, sys
n = sys.argv[1]
m = json.load(open(f"estimate_{n}.json"))["mapping"]
m["network"] = n
for layer in m["layers"]:
    layer["multipliers"] = "auto" if layer["multipliers"] == "dsp" else layer["multipliers"]
json.dump(m, open(f"{n}.map.json", "w"), indent=1)
PY
  fi
  start=$(date +%s)
  (ulimit -v 8000000; "$codse" hw synth --network "$file" --integer-model "train_$n/integer_model.json" \
    --mapping "$n.map.json" --device XC7Z020 --jobs 2 --out "synth_$n" --json > "synth_$n.json" 2> "synth_$n.err") ||
    { echo "$n: synthesis failed (synth_$n.err)"; continue; }
  seconds=$(($(date +%s) - start))
  "$codse" hw estimate --network "$file" --device XC7Z020 --mapping "$n.map.json" --json > "calibrated_$n.json"
  "$codse" hw estimate --network "$file" --device XC7Z020 --mapping "$n.map.json" --cost-model published \
    --json > "finnr_$n.json"
  python3 - "$n" "$seconds" <<'PY'
import json, sys
n, seconds = sys.argv[1], sys.argv[2]
t = json.load(open(f"synth_{n}.json"))["total"]
folding = " ".join(f"{l['pe']}x{l['simd']}" for l in json.load(open(f"{n}.map.json"))["layers"])
def errors(path):
    e = json.load(open(path))["total"]
    pct = lambda k: 100.0 * (e[k] - t[k]) / t[k] if t[k] else 0.0
    return {"lut": pct("lut"), "ff": pct("ff"), "bram": e["bram18"] - t["bram18"], "dsp": e["dsp"] - t["dsp"]}
cal, finn = errors(f"calibrated_{n}.json"), errors(f"finnr_{n}.json")
show = lambda e: f"{e['lut']:+6.1f}% {e['ff']:+6.1f}% {e['bram']:+3.0f} {e['dsp']:+2.0f}"
print(f"{n:<14} {folding[:44]:<44} {t['lut']:6.0f} {t['ff']:6.0f} {t['bram18']:4.0f} {t['dsp']:3.0f} | "
      f"{show(cal)} | {show(finn)} | {seconds:>6}")
with open("rows.jsonl", "a") as f:
    f.write(json.dumps({"network": n, "yosys": t, "calibrated": cal, "published": finn}) + "\n")
PY
done < corpus.txt

python3 - <<'PY'
import json
rows = [json.loads(line) for line in open("rows.jsonl")]
for model in ("calibrated", "published"):
    e = [r[model] for r in rows]
    if not e:
        continue
    mean = sum(abs(x["lut"]) for x in e) / len(e)
    print(f"{model}: {len(e)} networks; LUT within 10% on {sum(abs(x['lut']) <= 10 for x in e)}, "
          f"FF within 15% on {sum(abs(x['ff']) <= 15 for x in e)}, BRAM exact on {sum(x['bram'] == 0 for x in e)}, "
          f"DSP exact on {sum(x['dsp'] == 0 for x in e)}; mean |LUT error| {mean:.1f}%, "
          f"mean |FF error| {sum(abs(x['ff']) for x in e) / len(e):.1f}%")
PY
