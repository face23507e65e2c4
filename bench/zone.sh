#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Offline speed: dnspersist lint and scan against kzonecheck, named-checkzone
# and ldns-read-zone on one generated zone, and dnspersist diff of that zone
# and a version with 1% of its records changed (target: at most twice one
# lint), in one hyperfine run, plus peak RSS from /usr/bin/time -v, the
# inventory loader against libyaml's bare event parser (bench/yaml_load.c),
# and callgrind's instructions per zone byte (NO_CALLGRIND=1: skipped).
#   bench/zone.sh [RECORDS (default 1000000)] [RUNS]
# BEFORE=path/to/old/dnspersist adds the old binary's lint and scans to the
# same hyperfine run and to the callgrind table (before/after).
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-1000000}
runs=${2:-10}
out=bench/out
zone=$out/bench.example.zone
inv=$out/bench.inventory.yaml
small=$out/bench.small.yaml
zone2=$out/bench.example.v2.zone

source bench/lib.sh
bench_setup hyperfine knot-dnssecutils bind9-utils ldnsutils time gawk valgrind
dp=$build/dnspersist

mkdir -p "$out"
if [ ! -s "$zone" ] || [ ! -s "$small" ] || [ "$(head -c 200 "$out/.records" 2>/dev/null)" != "$records" ]; then
	echo "generating $records records" >&2
	gawk -v records="$records" -v inv="$inv" -v small="$small" -f bench/gen-zone.awk >"$zone"
	echo "$records" >"$out/.records"
fi
if [ ! -s "$zone2" ] || [ "$zone2" -ot "$zone" ]; then
	gawk -f bench/change-zone.awk "$zone" >"$zone2"
fi
echo "zone: $(grep -c '' "$zone") lines, $(du -h "$zone" | cut -f1); inventory: $(grep -c 'name:' "$inv") names" >&2

declare -A cmds=(
	["dnspersist lint"]="$dp lint $zone"
	["dnspersist diff (1% changed)"]="$dp diff $zone $zone2 --now 2026-11-24"
	["dnspersist scan (20 names)"]="$dp scan --inventory $small --zone $zone"
	["dnspersist scan (all names)"]="$dp scan --inventory $inv --zone $zone"
	["kzonecheck"]="kzonecheck -o bench.example $zone"
	["named-checkzone"]="named-checkzone -q bench.example $zone"
	["ldns-read-zone"]="ldns-read-zone $zone"
	["grep"]="grep -c _validation-persist $zone"
)
order=("dnspersist scan (20 names)" "dnspersist scan (all names)" "dnspersist lint"
	"dnspersist diff (1% changed)" "kzonecheck"
	"named-checkzone" "ldns-read-zone" "grep")
profiled=("dnspersist lint" "dnspersist scan (20 names)" "dnspersist scan (all names)")
if [ -n "${BEFORE:-}" ]; then
	cmds["before: lint"]="$BEFORE lint $zone"
	cmds["before: scan (20 names)"]="$BEFORE scan --inventory $small --zone $zone"
	cmds["before: scan (all names)"]="$BEFORE scan --inventory $inv --zone $zone"
	order=("before: scan (20 names)" "before: scan (all names)" "before: lint" "${order[@]}")
	profiled=("before: lint" "before: scan (20 names)" "before: scan (all names)" "${profiled[@]}")
fi

# Every tool must accept the zone; a failing one would be measured on nothing.
for name in "${order[@]}"; do
	${cmds[$name]} >/dev/null || { echo "bench: '$name' failed on the zone" >&2; exit 1; }
done

args=()
for name in "${order[@]}"; do
	args+=(-n "$name" "${cmds[$name]}")
done
hyperfine -N --warmup 1 --runs "$runs" --export-json "$out/zone.json" \
	--export-markdown "$out/zone.md" "${args[@]}"

echo
echo "| tool | peak RSS (MiB) |"
echo "|---|---|"
for name in "${order[@]}"; do
	kb=$(/usr/bin/time -v ${cmds[$name]} 2>&1 >/dev/null | awk -F: '/Maximum resident/ {gsub(/ /, "", $2); print $2}')
	printf '| %s | %.1f |\n' "$name" "$(echo "$kb / 1024" | bc -l)"
done | tee "$out/zone-rss.md"

echo
echo "inventory ($(grep -c 'name:' "$inv") names): loader against libyaml's event parser"
make -C "$build" -s bench/yaml_load
yl="$build/bench/yaml_load"
hyperfine -N --warmup 2 --runs "$((runs * 3))" --export-markdown "$out/yaml-load.md" \
	-n "libyaml events" "$yl events $inv" -n "dp_inventory_load" "$yl load $inv" \
	-n "whole-document reading" "$yl whole $inv"
for mode in events load whole; do
	kb=$(/usr/bin/time -f %M "$yl" "$mode" "$inv" 2>&1 >/dev/null)
	printf '| %s | peak RSS %.1f MiB |\n' "$mode" "$(echo "$kb / 1024" | bc -l)"
done | tee -a "$out/yaml-load.md"

[ -n "${NO_CALLGRIND:-}" ] && exit 0
echo
echo "| command | instructions | per zone byte |"
echo "|---|---:|---:|"
bytes=$(stat -c %s "$zone")
for name in "${profiled[@]}"; do
	valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out" ${cmds[$name]} \
		>/dev/null 2>"$out/callgrind.err"
	ir=$(awk '/Collected :/ {print $NF}' "$out/callgrind.err")
	printf '| %s | %s | %.1f |\n' "$name" "$ir" "$(echo "$ir / $bytes" | bc -l)"
done | tee "$out/zone-callgrind.md"
