#!/bin/sh
# Calibration of the analytic estimator against Yosys (bench/hw/RESULTS.md, "Calibration"):
# 32 single-layer networks synthesized for the xc7 family (cached in ~/.cache/codse/synth, so a
# second run takes seconds), fitted on 24 and checked on the 8 held out (every 4th); then the
# stored calibration checked on 16 more layers of another seed, none of them seen by the fit.
# Usage: bench/hw/calibrate.sh [BUILD_DIR] [OUT_CATALOG]
set -eu
build=${1:-build/release}
out=${2:-data/calibration/xc7.json}
mkdir -p "$(dirname "$out")"
"$build/codse" hw calibrate --family xc7 --layers 32 --hold-out-every 4 --seed 1 --jobs 2 \
  --work "${TMPDIR:-/tmp}/codse-calibration" --out "$out"
"$build/codse" hw calibrate --family xc7 --layers 16 --seed 2 --jobs 2 \
  --work "${TMPDIR:-/tmp}/codse-calibration-check" --check "$out"
