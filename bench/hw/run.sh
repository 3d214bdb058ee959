#!/usr/bin/env bash
# Reproduces the "HAL" section of bench/hw/RESULTS.md (between its BEGIN/END markers; the rest of
# the file belongs to verify.sh and calibrate.sh): estimates per second of the analytic estimator
# on one core, the wall time of `codse hw map` for the exact front of the MNIST MLP, and the HAL's
# fronts against FINN's folding heuristic. A few minutes on 2 cores once built.
#   bench/hw/run.sh [BUILD_DIR]   (default build/release)
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${1:-build/release}"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCODSE_BUILD_BENCHMARKS=ON >/dev/null
cmake --build "$build" -j2 --target codse bench_hw_estimator bench_hw_hal_vs_finn >/dev/null
results=bench/hw/RESULTS.md
section=$(mktemp)
front=$(mktemp --suffix=.json)
{
  echo "<!-- BEGIN hal (bench/hw/run.sh) -->"
  echo "## The analytic estimator and the HAL"
  echo
  echo "Produced by \`bench/hw/run.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), load $(cut -d' ' -f1 /proc/loadavg), commit $(git rev-parse --short HEAD)."
  echo
  echo "### Estimates per second, one core"
  echo
  echo "\`Estimator::estimate_into\` cycling through 4,096 random mappings of each network's default space;"
  echo "rates are per CPU second of the one benchmark thread, and the program counts heap allocations."
  echo
  echo '```'
  "$build/bench/bench_hw_estimator" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true 2>/dev/null
  echo '```'
  echo
  echo "### \`codse hw map\` on the MNIST MLP"
  echo
  echo "mnist_mlp_w4a4 (784-256-256-10, 4-bit) on the XC7Z020, default objectives (lut, bram18, dsp minimised, fps"
  echo "maximised), must fit; time of the whole command (process start with libtorch loaded, search, re-estimating"
  echo "and writing the front):"
  echo
  echo '```'
  timing=$(mktemp)
  printed=$(mktemp)
  /usr/bin/time -f "wall %e s, user %U s, system %S s, max RSS %M KB" -o "$timing" "$build/codse" hw map \
    --network examples/networks/mnist_mlp_w4a4.json --device XC7Z020 --out "$front" > "$printed"
  head -2 "$printed" | sed "s|$front|FRONT.json|"
  cat "$timing"
  rm -f "$timing" "$printed"
  echo '```'
  echo
  echo "### The HAL's front against FINN's folding heuristic"
  echo
  echo "FINN's SetFolding (weights in BRAM, multipliers auto) at every power-of-two cycle target whose folding fits"
  echo "(targets that give the same folding as the previous one are skipped). \"dominated\": a front mapping is at"
  echo "least as fast with no more LUT, BRAM and DSP, and strictly better somewhere; \"equal\": the best such mapping"
  echo "costs exactly what the heuristic's does. The exact fronts (\"layerwise\") cover the heuristic by themselves;"
  echo "for the 9-layer CNV the exact search exceeds its work limits and runs with epsilon-dominance, whose front"
  echo "covers only part of the targets on its own (the line under each table); the HAL therefore also estimates"
  echo "FINN's foldings at every power-of-two target (\`MapOptions::finn_seeds\`), which is where the \"equal\" rows of"
  echo "the CNV tables come from."
  echo
  "$build/bench/bench_hw_hal_vs_finn" mnist_mlp_w4a4:XC7Z020 sfc_w1a1:XC7Z020 lfc_w1a1:XC7Z045 \
    digits_mlp_w2a2:iCE40UP5K fmnist_cnn_w4a4:XC7Z020 cnv_w1a1:XC7Z045 cnv_w2a2:XC7Z045 | sed 's/^## /#### /'
  echo "<!-- END hal -->"
} > "$section"
rm -f "$front"
/usr/bin/python3 - "$results" "$section" <<'PY'
import re, sys
results, section = sys.argv[1], open(sys.argv[2]).read().rstrip("\n")
try:
    text = open(results).read()
except FileNotFoundError:
    text = "# Hardware: results\n"
pattern = re.compile(r"<!-- BEGIN hal \(bench/hw/run.sh\) -->.*?<!-- END hal -->", re.S)
text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section + "\n"
open(results, "w").write(text)
PY
rm -f "$section"
echo "updated $results"
