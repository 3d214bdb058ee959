#!/bin/sh
# Calibration of the analytic estimator against Yosys (bench/hw/RESULTS.md, "Calibration"):
# 128 single-layer networks synthesized for the xc7 family (cached in ~/.cache/codse/synth, so a
# second run takes seconds), fitted on 96 and checked on the 32 held out (every 4th); then the
# stored calibration checked on five fresh corpora of 16 layers (seeds 2-6), none of whose layers
# the fit saw. About 25 minutes of Yosys on 2 cores the first time.
# Usage: bench/hw/calibrate.sh [BUILD_DIR] [OUT_CATALOG]
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
