#!/bin/sh
# Calibration of the analytic estimator against Yosys (bench/hw/RESULTS.md, "Calibration"):
# 128 single-layer networks synthesized for the xc7 family (cached in ~/.cache/codse/synth, so a
# second run takes seconds), fitted on 96 and checked on the 32 held out (every 4th); then the
# stored calibration checked on five fresh corpora of 16 layers (seeds 2-6), none of whose layers
# the fit saw. About 25 minutes of Yosys on 2 cores the first time.
# Usage: bench/hw/calibrate.sh [BUILD_DIR] [OUT_CATALOG] (the iCE40 catalog goes beside it as ice40.json)
set -eu
build=${1:-build/release}
out=${2:-data/calibration/xc7.json}
mkdir -p "$(dirname "$out")"
"$build/codse" hw calibrate --family xc7 --layers 128 --hold-out-every 4 --seed 1 --jobs 2 \
  --work "${TMPDIR:-/tmp}/codse-calibration" --out "$out"
for seed in 2 3 4 5 6; do
  "$build/codse" hw calibrate --family xc7 --layers 16 --seed "$seed" --jobs 2 \
    --work "${TMPDIR:-/tmp}/codse-calibration-check" --check "$out"
done
# iCE40 (LUT4, no LUTRAM: the corpus's LUT-ROM layers use logic): 64 layers, 48 fitted, 16 held
# out, then a fresh corpus of 16 (seed 2). About 5 minutes of Yosys the first time.
"$build/codse" hw calibrate --family ice40 --layers 64 --hold-out-every 4 --seed 1 --jobs 2 \
  --work "${TMPDIR:-/tmp}/codse-calibration-ice40" --out "$(dirname "$out")/ice40.json"
"$build/codse" hw calibrate --family ice40 --layers 16 --seed 2 --jobs 2 \
  --work "${TMPDIR:-/tmp}/codse-calibration-ice40-check" --check "$(dirname "$out")/ice40.json"
