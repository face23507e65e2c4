#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Live speed: NSD on 127.0.0.1 serves a generated zone of NAMES names with
# records; in one run, measure dnsperf against it (the ceiling of this
# machine), dnspersist scan over an inventory of the same names (query rate
# from --stats, peak RSS from /usr/bin/time -v), and what an administrator
# would write instead: a loop of drill, a loop of kdig, and adnshost
# (which only speaks to port 53, so it gets an NSD of its own on
# 127.0.0.2:53 when this runs as root).
#   bench/live.sh [NAMES (default 100000)] [SECONDS per dnsperf run (default 10)]
set -euo pipefail
cd "$(dirname "$0")/.."
names=${1:-100000}
secs=${2:-10}
loop=${LOOP_NAMES:-1000} # names the shell loops ask (they are slow)
out=bench/out/live
mkdir -p "$out"

source bench/lib.sh
bench_setup nsd ldnsutils knot-dnsutils dnsperf adns-tools time gawk iproute2
dp=$build/dnspersist

# ---- data: the zone, the inventory, the query file ----
zone=$out/bench.test.zone
inv=$out/bench.inventory.yaml
queries=$out/queries.txt
if [ ! -s "$zone" ] || [ "$(cat "$out/.names" 2>/dev/null)" != "$names" ]; then
	echo "generating $names names" >&2
	gawk -v n="$names" -v zone="$zone" -v inv="$inv" -v q="$queries" 'BEGIN {
		acct = "https://acme-v02.api.letsencrypt.org/acme/acct/1"
		print "$ORIGIN bench.test.\n$TTL 3600" > zone
		print "@ SOA ns hostmaster 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1" > zone
		print "@ CAA 0 issue \"letsencrypt.org; validationmethods=dns-persist-01\"" > zone
		print "version: 1\ncas: {le: {issuer: letsencrypt.org}}" > inv
		print "accounts: {prod: {ca: le, uri: \"" acct "\"}}\ndomains:" > inv
		for (i = 1; i <= n; i++) {
			printf "_validation-persist.n%d TXT \"letsencrypt.org; accounturi=%s\"\n", i, acct > zone
			printf "n%d A 192.0.2.%d\n", i, i % 250 + 1 > zone
			printf "  - {name: n%d.bench.test, authorize: [{account: prod}]}\n", i > inv
			printf "_validation-persist.n%d.bench.test TXT\n", i > q
		}
	}'
	echo "$names" >"$out/.names"
fi

# ---- servers ----
source tests/integration/servers.sh
export DPI_DIR=$out/servers
rm -rf "$DPI_DIR"
mkdir -p "$DPI_DIR"
trap dpi_stop EXIT
port=$(dpi_free_port)
dpi_nsd bench "$port" "bench.test=$PWD/$zone"
adns_ok=
if [ "$(id -u)" -eq 0 ] && [ -z "$(ss -Hlnu 'sport = :53' | grep -F 127.0.0.2)" ]; then
	sed "s/ip-address: 127.0.0.1@$port/ip-address: 127.0.0.2@53/; s/port: $port/port: 53/" \
		"$DPI_DIR/bench/nsd.conf" | sed "s|$DPI_DIR/bench/|$DPI_DIR/bench53/|g" >"$DPI_DIR/nsd53.conf"
	mkdir -p "$DPI_DIR/bench53"
	PATH=$PATH:/usr/sbin nsd -d -c "$DPI_DIR/nsd53.conf" >>"$DPI_DIR/nsd53.log" 2>&1 &
	echo $! >>"$DPI_DIR/pids"
	sleep 1 && drill -p 53 @127.0.0.2 bench.test SOA >/dev/null && adns_ok=1
fi

elapsed() { # command... -> seconds on stdout, the command's output to /dev/null
	local t0 t1
	t0=$(date +%s%N)
	"$@" >/dev/null 2>&1
	t1=$(date +%s%N)
	awk -v d=$((t1 - t0)) 'BEGIN { printf "%.3f", d / 1e9 }'
}

echo "== machine: $(nproc) CPUs, $(uname -r), $(date -u +%Y-%m-%d)"
echo "== zone: $names names; NSD $(PATH=$PATH:/usr/sbin nsd -v 2>&1 | head -1) on 127.0.0.1@$port"

echo "== dnsperf (100 outstanding, ${secs}s)"
dnsperf -s 127.0.0.1 -p "$port" -d "$queries" -l "$secs" -q 100 -c 1 >"$out/dnsperf.txt" 2>&1
grep -E 'Queries per second|Queries completed|Queries lost' "$out/dnsperf.txt"

echo "== dnspersist scan (concurrency 100)"
/usr/bin/time -v "$dp" scan --inventory "$inv" --server "127.0.0.1@$port" --stats \
	--format json >/dev/null 2>"$out/scan.err" || [ $? -le 1 ]
grep -E '^dnspersist:' "$out/scan.err"
grep -E 'Elapsed|Maximum resident' "$out/scan.err"

echo "== drill loop over $loop names"
head -n "$loop" "$queries" | cut -d' ' -f1 >"$out/loop.txt"
s=$(elapsed bash -c "while read -r n; do drill -p $port @127.0.0.1 \$n TXT; done <$out/loop.txt")
awk -v s="$s" -v n="$loop" 'BEGIN { printf "%s s, %.0f names/s\n", s, n / s }'

echo "== kdig loop over $loop names"
s=$(elapsed bash -c "while read -r n; do kdig -p $port @127.0.0.1 \$n TXT; done <$out/loop.txt")
awk -v s="$s" -v n="$loop" 'BEGIN { printf "%s s, %.0f names/s\n", s, n / s }'

if [ -n "$adns_ok" ]; then
	echo "== adnshost --asynch --pipe over all $names names (127.0.0.2@53)"
	cut -d' ' -f1 "$queries" >"$out/all.txt"
	s=$(elapsed bash -c "adnshost --config 'nameserver 127.0.0.2' -Qq -a -t txt -f <$out/all.txt >$out/adns.txt")
	ok=$(grep -c 'letsencrypt.org' "$out/adns.txt" || true)
	awk -v s="$s" -v n="$names" -v ok="$ok" 'BEGIN { printf "%s s, %.0f names/s, %d answers with the record\n", s, n / s, ok }'
else
	echo "== adnshost: skipped (needs root and 127.0.0.2:53 free: adns cannot use another port)"
fi

perf=$(awk '/Queries per second/ { print $4 }' "$out/dnsperf.txt")
scan=$(sed -n 's/.* \([0-9]*\) queries\/s$/\1/p' "$out/scan.err")
rss=$(awk '/Maximum resident/ { print $6 }' "$out/scan.err")
echo "== target: scan query rate >= 75% of dnsperf's, peak RSS < 64 MiB"
awk -v p="$perf" -v s="$scan" -v r="$rss" 'BEGIN {
	printf "scan %d q/s = %.0f%% of dnsperf %d q/s (%s); peak RSS %.1f MiB (%s)\n",
		s, 100 * s / p, p, s >= 0.75 * p ? "met" : "missed", r / 1024, r < 65536 ? "met" : "missed"
}'
