#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The plugin's speed: one check_dnspersist -H NAME against the integration
# NSD, next to check_dig (monitoring-plugins) doing one TXT lookup against
# the same server, in one hyperfine run. Target: no slower than check_dig.
#   bench/plugin.sh [RUNS (default 50)]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-50}
out=bench/out/plugin
mkdir -p "$out"

source bench/lib.sh
bench_setup hyperfine monitoring-plugins-standard bind9-dnsutils nsd unbound ldnsutils iproute2
top=$build
check_dig=/usr/lib/nagios/plugins/check_dig

source tests/integration/servers.sh
export DPI_DIR=$PWD/$out/servers DPI_NO_AUTH53=1
rm -rf "$DPI_DIR"
trap dpi_stop EXIT
dpi_start

name=shop.example.com
plugin="$top/check_dnspersist -H $name --inventory zones/example.inventory.yaml --server 127.0.0.1@$DPI_NSD_PORT"
dig="$check_dig -H 127.0.0.1 -p $DPI_NSD_PORT -l _validation-persist.$name -T TXT"
echo "== machine: $(nproc) CPUs, $(uname -r), $(date -u +%Y-%m-%d)"
echo "== $plugin"
$plugin || true
echo "== $dig"
$dig || true
hyperfine -N --warmup 3 --runs "$runs" -i --export-json "$out/plugin.json" \
	-n "check_dnspersist -H $name" "$plugin" -n "check_dig (one TXT lookup)" "$dig"
awk -F'"median": ' '/"median"/ { split($2, a, ","); m[++n] = a[1] }
	END {
		printf "median: check_dnspersist %.2f ms, check_dig %.2f ms: %s\n", m[1] * 1000, m[2] * 1000,
			m[1] <= m[2] ? "no slower (target met)" : "slower (target missed)"
	}' "$out/plugin.json"
