#!/bin/sh
# Load riskflow's report.html in headless Chromium: check that it shows the
# expected number of charts, and save a screenshot.
#
# usage: scripts/report-screenshot.sh REPORT.html EXPECTED_CHARTS [OUT.png]
#
# The window is 1400 px wide and SHOT_HEIGHT px high (default 2000).
#
# Installs nothing. Without /usr/bin/chromium (Debian: apt-get install
# chromium; for Chinese glyphs also a CJK font such as fonts-wqy-microhei)
# it says so and exits 0, so CI without a browser passes.
set -eu

if [ $# -lt 2 ]; then
    echo "usage: $0 REPORT.html EXPECTED_CHARTS [OUT.png]" >&2
    exit 2
fi
report=$1
expected=$2
out=${3:-${report%.html}.png}

chromium=/usr/bin/chromium
if [ ! -x "$chromium" ]; then
    echo "chromium not installed: skipped"
    exit 0
fi
if [ ! -f "$report" ]; then
    echo "no such report: $report" >&2
    exit 2
fi

url="file://$(realpath "$report")"
profile=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$profile" "$log"' EXIT

run() {
    # No network, no background services: the page must stand on its own.
    timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic \
        --no-first-run --disable-background-networking --disable-component-update \
        --disable-sync --user-data-dir="$profile" "$@" 2>>"$log"
}

dom=$(run --dump-dom "$url") || { cat "$log" >&2; echo "chromium failed to load $url" >&2; exit 1; }
count=$(printf '%s' "$dom" | grep -o '<section class="chart"' | wc -l | tr -d ' ')
if [ "$count" != "$expected" ]; then
    echo "charts in $report: $count, expected $expected" >&2
    exit 1
fi

run --hide-scrollbars --screenshot="$(realpath -m "$out")" --window-size=1400,${SHOT_HEIGHT:-2000} "$url" >/dev/null \
    || { cat "$log" >&2; echo "screenshot failed" >&2; exit 1; }
if [ ! -s "$out" ]; then
    echo "no screenshot written to $out" >&2
    exit 1
fi
echo "charts: $count (as expected); screenshot: $out"
