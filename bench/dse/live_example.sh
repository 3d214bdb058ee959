#!/bin/sh
# The live-evaluation benchmark (issue 15): sweeps the whole space of examples/dse (a folded FIR
# filter placed and routed for the iCE40 UP5K by Yosys and nextpnr) once with
# `codse dse --space --command` as ground truth, runs ATNE live at 10% against it, then ATNE,
# epsilon-PAL and random at 10% and 20% over 5 seeds on the swept table, and writes the mean ADRS
# into bench/dse/RESULTS.md (the section between the live-example markers).
#
#   bench/dse/live_example.sh [CODSE] [WORKDIR]
#
# CODSE defaults to build/dev/codse, WORKDIR to build/live_example. Every run is cached in
# WORKDIR/sweep.sqlite.runs, and the sweep is a study in WORKDIR/sweep.sqlite: a second call (or
# one after a kill) runs no finished design again. Two synthesis runs at a time (--workers 2).
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
codse=${1:-$repo/build/dev/codse}
work=${2:-$repo/build/live_example}
mkdir -p "$work"
space=$repo/examples/dse/space.yaml
command="$repo/examples/dse/synth_ice40.py --width {width} --taps {taps} --lanes {lanes} --pipe {pipe}"
designs=147  # legal settings of space.yaml; the sweep checks it
objectives="--objective luts:min --objective fmax_mhz:max --objective power_mw:min"

echo "== full sweep ($designs designs, cached in $work/sweep.sqlite.runs)"
start=$(date +%s)
nice -n 10 "$codse" dse --space "$space" --command "$command" --algo grid --budget $designs --workers 2 \
  --timeout 600 --db "$work/sweep.sqlite" --trials-csv "$work/fir_ice40.csv" $objectives | tee "$work/sweep.txt"
sweep_seconds=$(($(date +%s) - start))
grep -q "($designs legal designs" "$work/sweep.txt"

echo "== ATNE at 10%, live (its own study; every run comes from the sweep's cache)"
nice -n 10 "$codse" dse --space "$space" --command "$command" --algo atne --budget 0.1 --seed 1 --workers 2 \
  --timeout 600 --db "$work/live_atne.sqlite" --workdir "$work/sweep.sqlite.runs" \
  --reference "$work/fir_ice40.csv" $objectives | tee "$work/live_atne.txt"

echo "== ATNE, epsilon-PAL, random at 10% and 20%, seeds 1-5, on the swept table"
: > "$work/table_runs.txt"
for algo in atne epal random; do
  for budget in 0.1 0.2; do
    for seed in 1 2 3 4 5; do
      echo "## $algo $budget $seed" >> "$work/table_runs.txt"
      nice -n 10 "$codse" --quiet dse --table "$work/fir_ice40.csv" --knobs width,taps,lanes,pipe $objectives \
        --algo $algo --budget $budget --seed $seed >> "$work/table_runs.txt"
    done
  done
done

/usr/bin/python3 - "$work" "$repo/bench/dse/RESULTS.md" "$sweep_seconds" "$(git -C "$repo" rev-parse --short HEAD)" <<'PY'
import re, sys, statistics, datetime
work, results, sweep_seconds, commit = sys.argv[1:]
runs, key = {}, None
for line in open(f"{work}/table_runs.txt"):
    if line.startswith("## "):
        algo, budget, seed = line.split()[1:]
        key = (algo, budget)
        runs.setdefault(key, []).append({})
    elif m := re.match(r"evaluations:\s+(\d+)", line):
        runs[key][-1]["ev"] = int(m.group(1))
    elif m := re.match(r"ADRS (krg|range):\s+([0-9.]+)%", line):
        runs[key][-1][m.group(1)] = float(m.group(2))
live = open(f"{work}/live_atne.txt").read()
sweep = open(f"{work}/sweep.txt").read()
def grab(pattern, text):
    m = re.search(pattern, text)
    return m.group(1) if m else "?"
rows = []
for budget in ("0.1", "0.2"):
    random_krg = statistics.mean(r["krg"] for r in runs[("random", budget)])
    for algo in ("atne", "epal", "random"):
        rs = runs[(algo, budget)]
        krg = statistics.mean(r["krg"] for r in rs)
        rows.append(f"| {int(float(budget) * 100)}% | {algo} | {krg:.3f} (worst {max(r['krg'] for r in rs):.3f}) | "
                    f"{statistics.mean(r['range'] for r in rs):.3f} | {statistics.mean(r['ev'] for r in rs):.1f} | "
                    f"{krg / random_krg if random_krg else float('nan'):.2f}x |")
designs = grab(r"\((\d+) legal designs", sweep)
sweep_runs = grab(r"(\d+ commands run, \d+ from the cache)", sweep)
sweep_resumed = ", " + grab(r"(\d+ resumed)", sweep) if "resumed" in sweep else ""
sweep_failed = grab(r"failed:\s+(\d+)", sweep) if "failed:" in sweep else "0"
live_ev = grab(r"evaluations:\s+(\d+)", live)
live_krg = grab(r"ADRS krg:\s+([0-9.]+%)", live)
live_range = grab(r"ADRS range:\s+([0-9.]+%)", live)
live_hv = grab(r"hypervolume ratio: ([0-9.]+)", live)
section = f"""<!-- live-example:begin -->
## Live evaluation: a FIR filter on the iCE40 UP5K (`bench/dse/live_example.sh`)

Produced by `bench/dse/live_example.sh` on {datetime.date.today()}, commit {commit}, 2 cores shared
with other jobs. Space: `examples/dse/space.yaml` ({designs} legal settings of `fir.v`: width 4-8,
taps 4/8/16, lanes 1/2/4/8, pipe 0-2), each synthesized (Yosys `synth_ice40`, LUT multipliers), placed and
routed (nextpnr-ice40 `--up5k --package sg48`, seed 1) by `examples/dse/synth_ice40.py`.
Objectives: luts:min, fmax_mhz:max, power_mw:min (power is the script's documented estimate).

- Full sweep with `codse dse --space --command --algo grid --workers 2`: {sweep_seconds} s wall
  for this call ({sweep_runs}{sweep_resumed}); failed runs: {sweep_failed}.
- ATNE at 10% live (`--space --command --reference`, seed 1): {live_ev} evaluations,
  ADRS krg {live_krg}, range {live_range}, hypervolume ratio {live_hv}.

Mean ADRS (%) over seeds 1-5 on the swept table (`codse dse --table`), evaluations used, and the
krg ADRS relative to random at the same budget:

| budget | explorer | ADRS krg | ADRS range | evaluations | vs random |
|---|---|---|---|---|---|
""" + "\n".join(rows) + "\n<!-- live-example:end -->\n"
text = open(results).read()
if "<!-- live-example:begin -->" in text:
    text = re.sub(r"<!-- live-example:begin -->.*<!-- live-example:end -->\n", lambda m: section, text, flags=re.S)
else:
    text = text.rstrip("\n") + "\n\n" + section
open(results, "w").write(text)
print(section)
PY
