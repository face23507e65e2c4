#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Report formats on the 45,454-name audit of bench/zone.sh: the JSON report
# against html and openmetrics, in one hyperfine run, plus peak RSS from
# /usr/bin/time -v and the ratios to JSON (the target: at most 1.5x in time
# and memory). Then the HTML of a 100,000-name audit, loaded once in
# headless Chromium: its load time, less that of an empty page.
#   bench/report.sh [RECORDS (default 1000000)] [RUNS (default 10)] [no-browser]
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-1000000}
runs=${2:-10}
browser=${3:-browser}
out=bench/out
zone=$out/bench.example.zone
inv=$out/bench.inventory.yaml
small=$out/bench.small.yaml

source bench/lib.sh
bench_setup hyperfine time gawk jq chromium
dp=$build/dnspersist

mkdir -p "$out"
if [ ! -s "$zone" ] || [ "$(cat "$out/.records" 2>/dev/null)" != "$records" ]; then
	echo "generating $records records" >&2
	gawk -v records="$records" -v inv="$inv" -v small="$small" -f bench/gen-zone.awk >"$zone"
	echo "$records" >"$out/.records"
fi
echo "inventory: $(grep -c 'name:' "$inv") names" >&2

formats=(json html openmetrics)
args=()
for f in "${formats[@]}"; do
	"$dp" scan --inventory "$inv" --zone "$zone" --format "$f" >"$out/report.$f" ||
		[ $? -eq 1 ] || { echo "bench: --format $f failed" >&2; exit 1; }
	args+=(-n "$f" "$dp scan --inventory $inv --zone $zone --format $f")
done
ls -l "$out"/report.* >&2
hyperfine -N -i --warmup 1 --runs "$runs" --export-json "$out/hyperfine-report.json" \
	--export-markdown "$out/hyperfine-report.md" "${args[@]}"

echo
echo "| format | mean (s) | time / json | peak RSS (MiB) | RSS / json | output (MiB) |"
echo "|---|---:|---:|---:|---:|---:|"
json_mean=$(jq '.results[] | select(.command == "json") | .mean' "$out/hyperfine-report.json")
json_rss=
for f in "${formats[@]}"; do
	mean=$(jq ".results[] | select(.command == \"$f\") | .mean" "$out/hyperfine-report.json")
	kb=$(/usr/bin/time -v "$dp" scan --inventory "$inv" --zone "$zone" --format "$f" 2>&1 \
		>/dev/null | awk -F: '/Maximum resident/ {gsub(/ /, "", $2); print $2}')
	json_rss=${json_rss:-$kb}
	printf '| %s | %.3f | %.2f | %.1f | %.2f | %.1f |\n' "$f" "$mean" \
		"$(echo "$mean / $json_mean" | bc -l)" "$(echo "$kb / 1024" | bc -l)" \
		"$(echo "$kb / $json_rss" | bc -l)" \
		"$(echo "$(stat -c %s "$out/report.$f") / 1048576" | bc -l)"
done | tee "$out/report-rss.md"

[ "$browser" != no-browser ] || exit 0
# 100,000 names: 2,200,000 records make 99,999 authorized names.
big=$out/big.zone
if [ ! -s "$big" ]; then
	echo "generating the 100,000-name zone" >&2
	gawk -v records=2200000 -v inv="$out/big.inventory.yaml" -v small="$out/big.small.yaml" \
		-f bench/gen-zone.awk >"$big"
fi
"$dp" scan --inventory "$out/big.inventory.yaml" --zone "$big" --format html >"$out/big.html" ||
	[ $? -eq 1 ]
names=$(grep -c '<section class="name' "$out/big.html")
printf '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>empty</title></head><body></body></html>\n' >"$out/empty.html"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
sandbox=()
[ "$(id -u)" -ne 0 ] || sandbox=(--no-sandbox)
load() {
	local t0 t1
	t0=$(date +%s.%N)
	timeout 3600 chromium --headless "${sandbox[@]}" --disable-gpu --user-data-dir="$profile" \
		--dump-dom "file://$PWD/$1" 2>/dev/null >"$out/dom.html"
	t1=$(date +%s.%N)
	echo "$t1 - $t0" | bc -l
}
load "$out/empty.html" >/dev/null # a first start warms the profile
empty=$(load "$out/empty.html")
full=$(load "$out/big.html")
shown=$(grep -c '<section class="name' "$out/dom.html")
printf '\nHTML of %d names (%.0f MiB): Chromium --dump-dom %.2f s, an empty page %.2f s: load %.2f s; DOM holds %d name sections\n' \
	"$names" "$(echo "$(stat -c %s "$out/big.html") / 1048576" | bc -l)" "$full" "$empty" \
	"$(echo "$full - $empty" | bc -l)" "$shown" | tee "$out/report-chromium.txt"
