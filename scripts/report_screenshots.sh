#!/bin/sh
# Screenshots of a study's report in headless Chromium (docs/report/*.png are the main job's):
#   scripts/report_screenshots.sh STORE.sqlite OUT_DIR [BRUSH]
# BRUSH is x0,x1,y0,y1 in the first pair chart's units (default: error 0.06-0.09, LUTs 500-5000).
# Each state is a URL hash the page reads (report.js): view=..., brush=..., trial-N, hover=N, selftest.
set -eu
store=$1
out=$2
brush=${3:-0.06,0.09,500,5000}
here=$(cd "$(dirname "$0")/.." && pwd)
codse=${CODSE:-$here/build/release/codse}
mkdir -p "$out"
html=$(cd "$out" && pwd)/report.html
"$codse" report "$store" --out "$html"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium_run() {  # chromium_run ARGS... URL
  timeout 120 chromium --headless --no-sandbox --no-first-run --disable-extensions --enable-unsafe-swiftshader \
    --hide-scrollbars --user-data-dir="$profile" --virtual-time-budget=5000 "$@" 2>/dev/null
}
# The self-test: charts drawn, table and CSV rows, a brush filtering the table, the drill-down.
chromium_run --dump-dom "file://$html#selftest" | sed -n 's/.*<pre id="selftest-result">\([^<]*\)<.*/\1/p'
front=$(sed -n 's/.*"front":\[\([0-9]*\).*/\1/p' "$html" | head -1)
chromium_run --window-size=1400,900 --screenshot="$out/report-top.png" "file://$html"
chromium_run --window-size=1400,900 --screenshot="$out/report-3d.png" "file://$html#view=3d"
chromium_run --window-size=1400,1250 --screenshot="$out/report-brushed.png" "file://$html#brush=$brush&view=pareto"
chromium_run --window-size=1400,900 --screenshot="$out/report-brushed-table.png" "file://$html#brush=$brush&view=trials"
chromium_run --window-size=1400,1100 --screenshot="$out/report-drilldown.png" "file://$html#trial-$front&view=drill"
chromium_run --window-size=1400,1000 --screenshot="$out/report-parallel.png" "file://$html#view=parallel,hypervolume"
chromium_run --window-size=1400,900 --screenshot="$out/report-hover.png" "file://$html#hover=$front&view=pareto"
ls -l "$out"
