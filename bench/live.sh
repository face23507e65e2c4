#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Live speed: NSD on 127.0.0.1 serves a generated zone of NAMES names with
# records; in one run, measure dnsperf against it (the ceiling of this
# machine), dnspersist scan over an inventory of the same names (query rate
# from --stats, peak RSS from /usr/bin/time -v), and what an administrator
# would write instead: a loop of drill, a loop of kdig, and adnshost
# (which only speaks to port 53, so it gets an NSD of its own on
# 127.0.0.2:53 when this runs as root). Then the two throttled scenarios of
# issue 11, each beside dnsperf over UDP and over TCP in the same run: NSD
# with its default response rate limiting (a zone of THROTTLE_NAMES names,
# default 20000), and dnsdist in front of NSD dropping a client's queries
# above THROTTLE_QPS (default 5000) a second.
#   bench/live.sh [NAMES (default 100000)] [SECONDS per dnsperf run (default 10)]
# NO_LOOPS=1 leaves out drill, kdig and adnshost; NO_THROTTLE=1 the throttled part.
set -euo pipefail
cd "$(dirname "$0")/.."
names=${1:-100000}
secs=${2:-10}
loop=${LOOP_NAMES:-1000} # names the shell loops ask (they are slow)
out=bench/out/live
mkdir -p "$out"

source bench/lib.sh
bench_setup nsd ldnsutils knot-dnsutils dnsperf adns-tools time gawk iproute2 dnsdist
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

if [ -z "${NO_LOOPS:-}" ]; then # NO_LOOPS=1: only dnsperf and the scan (a million names)
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
fi

perf=$(awk '/Queries per second/ { print $4 }' "$out/dnsperf.txt")
scan=$(sed -n '/^dnspersist: [0-9]* names/s/.* \([0-9]*\) queries\/s$/\1/p' "$out/scan.err")
rss=$(awk '/Maximum resident/ { print $6 }' "$out/scan.err")
echo "== target: scan query rate >= 90% of dnsperf's, peak RSS < 64 MiB per 100,000 names"
awk -v p="$perf" -v s="$scan" -v r="$rss" -v n="$names" 'BEGIN {
	cap = 65536 * n / 100000
	printf "scan %d q/s = %.0f%% of dnsperf %d q/s (%s); peak RSS %.1f MiB of %.0f (%s)\n",
		s, 100 * s / p, p, s >= 0.9 * p ? "met" : "missed", r / 1024, cap / 1024, r < cap ? "met" : "missed"
}'

[ -n "${NO_THROTTLE:-}" ] && exit 0

# ---- throttled servers (issue 11) ----
tnames=${THROTTLE_NAMES:-20000}
tqps=${THROTTLE_QPS:-5000}
tsecs=${THROTTLE_SECS:-5}
tzone=$out/rrl.test.zone
tinv=$out/rrl.inventory.yaml
tq=$out/rrl-queries.txt
dpi_bulk_zone "$tnames" rrl.test "$tzone" "$tinv"
awk -v n="$tnames" 'BEGIN { for (i = 1; i <= n; i++) printf "_validation-persist.n%d.rrl.test TXT\n", i }' >"$tq"
rport=$(dpi_free_port)
DPI_RRL=default dpi_nsd rrl "$rport" "rrl.test=$PWD/$tzone"
fport=$(dpi_free_port)
dpi_nsd free "$fport" "rrl.test=$PWD/$tzone"
dport=$(dpi_free_port)
dpi_dnsdist dd "$dport" "$fport" "addAction(MaxQPSIPRule($tqps), DropAction())"

# Scenario $1 (files $out/$1*) on port $2, titled $3: dnsperf over UDP and
# TCP, then the scan; on stdout "ANSWERS/S SECONDS DNS-ERRORS" of the scan.
throttled() {
	local f=$out/$1
	echo "== $3: dnsperf UDP and dnsperf -m tcp (100 outstanding, ${tsecs}s each)" >&2
	dnsperf -s 127.0.0.1 -p "$2" -d "$tq" -l "$tsecs" -q 100 >"$f-udp.txt" 2>&1
	dnsperf -m tcp -s 127.0.0.1 -p "$2" -d "$tq" -l "$tsecs" -q 100 >"$f-tcp.txt" 2>&1
	grep -E 'Queries per second|Queries lost' "$f-udp.txt" | sed 's/^/  udp: /' >&2
	grep -E 'Queries per second|Queries lost' "$f-tcp.txt" | sed 's/^/  tcp: /' >&2
	echo "== $3: dnspersist scan of $tnames names" >&2
	/usr/bin/time -v "$dp" scan --inventory "$tinv" --server "127.0.0.1@$2" --stats \
		--format json >"$f.json" 2>"$f.err" || [ $? -le 2 ]
	grep -E '^dnspersist:|Elapsed|Maximum resident' "$f.err" >&2
	awk -v e="$(grep -c '"dns-error"' "$f.json" || true)" '/^dnspersist: [0-9]+ names/ {
		for (i = 1; i <= NF; i++) { if ($(i + 1) == "answers,") a = $i; if ($(i + 1) == "s,") s = $i }
		printf "%.0f %.3f %d\n", a / s, s, e
	}' "$f.err"
}

read -r _ rsecs rerr < <(throttled rrl "$rport" "NSD with its default RRL")
rtcp=$(awk '/Queries per second/ { print $4 }' "$out/rrl-tcp.txt")
echo "== target: default-RRL NSD, $tnames names in < 5 s with 0 dns-error"
awk -v s="$rsecs" -v e="$rerr" -v t="$rtcp" -v n="$tnames" 'BEGIN {
	printf "%d names in %.2f s (%.0f names/s; dnsperf -m tcp %d q/s), %d dns-error (%s)\n",
		n, s, n / s, t, e, s < 5 && e == 0 ? "met" : "missed"
}'
read -r drate dsecs derr < <(throttled dnsdist "$dport" "dnsdist dropping above $tqps q/s")
echo "== target: dropping limit of $tqps q/s, achieved >= 75% of it with 0 dns-error"
awk -v r="$drate" -v s="$dsecs" -v e="$derr" -v n="$tqps" 'BEGIN {
	printf "%d answers/s = %.0f%% of %d (%.2f s), %d dns-error (%s)\n",
		r, 100 * r / n, n, s, e, r >= 0.75 * n && e == 0 ? "met" : "missed"
}'
