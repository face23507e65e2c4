#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The integration servers: two NSD authoritative servers and a validating
# Unbound resolver on 127.0.0.1, with ports picked here, serving the zones
# of tests/integration/zones (secure.test signed with ldns-signzone,
# bogus.test signed and then altered). Sourced by the tests and bench/live.sh;
# run it directly to try dnspersist by hand:
#
#   tests/integration/servers.sh start /tmp/dpi   # prints the ports
#   tests/integration/servers.sh stop /tmp/dpi
#
# Everything lives under DPI_DIR; dpi_stop kills every server started there.

DPI_ZONES=${DPI_ZONES:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/zones}
DPI_SHIPPED=${DPI_SHIPPED:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/zones}

# The tools a run needs; tests skip (exit 77) without them.
dpi_have() {
	local t
	for t in nsd unbound ldns-keygen ldns-signzone drill ss; do
		command -v "$t" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin command -v "$t" >/dev/null 2>&1 ||
			{ echo "$t"; return 1; }
	done
}

# A TCP and UDP port on 127.0.0.1 that no socket uses, below the kernel's
# ephemeral range: a port in that range can be taken at any moment by some
# client's outgoing connection (a scan's TCP connection to a server), and
# a server started on it then fails to bind (seen in CI: NSD, "Address
# already in use" on a port ss had shown free).
dpi_free_port() {
	local p i from to
	read -r from to < <(dpi_port_range)
	for i in $(seq 1 100); do
		p=$((from + (RANDOM * 32768 + RANDOM) % (to - from + 1)))
		[ -z "$(ss -Hantu "sport = :$p" 2>/dev/null)" ] && { echo "$p"; return 0; }
	done
	return 1
}

# "FROM TO": where dpi_free_port picks, outside ip_local_port_range when
# at least 2,000 ports are left below it (from 10000) or above it.
dpi_port_range() {
	local low=32768 high=60999
	{ read -r low high </proc/sys/net/ipv4/ip_local_port_range; } 2>/dev/null || true
	if [ "$low" -ge 12000 ]; then
		echo "10000 $((low - 1))"
	elif [ "$high" -le 63535 ]; then
		echo "$((high + 1)) 65535"
	else
		echo "20000 59999" # no room outside it: as good as it gets
	fi
}

# Wait until the server answers on port $1 of address $2 (default
# 127.0.0.1); fail at once if its process $3 (when given) has died, e.g. on
# a port it could not bind, with the end of its log $4 (when given).
dpi_wait() {
	local i addr=${2:-127.0.0.1} pid=${3:-} log=${4:-}
	for i in $(seq 1 200); do
		timeout 2 drill -p "$1" "@$addr" . SOA >/dev/null 2>&1 && return 0
		if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
			echo "the server for $addr@$1 (pid $pid) ended before it answered:" >&2
			[ -z "$log" ] || tail -n 5 "$log" >&2
			return 1
		fi
		sleep 0.05
	done
	echo "no server came up on $addr@$1" >&2
	return 1
}

# Sign $1 (a zone file) for origin $2 into $3; the DS goes to $4.
dpi_sign() {
	local key
	key=$(cd "$DPI_DIR" && ldns-keygen -a ECDSAP256SHA256 -k "$2") || return 1
	ldns-signzone -f "$3" -o "$2" "$1" "$DPI_DIR/$key" >/dev/null || return 1
	cat "$DPI_DIR/$key.ds" >>"$4"
}

# Start NSD: dpi_nsd NAME [ADDR@]PORT ORIGIN=FILE...
# Response rate limiting is off unless DPI_RRL=default: then NSD's own
# defaults hold (rrl-ratelimit 200 a second, slip 2), as Debian installs it.
dpi_nsd() {
	local name=$1 port=${2##*@} addr=127.0.0.1 dir="$DPI_DIR/$1" z rrl="rrl-ratelimit: 0"
	[ "${DPI_RRL:-}" = default ] && rrl="# rrl: NSD's defaults"
	[[ $2 == *@* ]] && addr=${2%@*}
	shift 2
	mkdir -p "$dir"
	cat >"$dir/nsd.conf" <<-EOF
		server:
		  ip-address: $addr@$port
		  port: $port
		  username: ""
		  chroot: ""
		  zonesdir: ""
		  database: ""
		  pidfile: "$dir/nsd.pid"
		  xfrdfile: "$dir/xfrd.state"
		  zonelistfile: "$dir/zone.list"
		  logfile: "$dir/nsd.log"
		  server-count: 1
		  verbosity: 1
		  tcp-count: 200
		  $rrl
		remote-control:
		  control-enable: no
	EOF
	for z in "$@"; do
		printf 'zone:\n  name: "%s"\n  zonefile: "%s"\n  provide-xfr: 127.0.0.0/8 NOKEY\n  provide-xfr: ::1 NOKEY\n' \
			"${z%%=*}" "${z#*=}" >>"$dir/nsd.conf"
	done
	PATH=$PATH:/usr/sbin nsd -d -c "$dir/nsd.conf" >>"$dir/nsd.log" 2>&1 &
	echo $! >>"$DPI_DIR/pids"
	dpi_wait "$port" "$addr" $! "$dir/nsd.log"
}

# A zone ORIGIN of N names n1..nN (each an A RR; one in twenty with a
# _validation-persist TXT; CAA at the apex) into FILE, and an inventory
# that lists every name into INV: dpi_bulk_zone N ORIGIN FILE INV
dpi_bulk_zone() {
	awk -v n="$1" -v o="$2" -v zone="$3" -v inv="$4" 'BEGIN {
		acct = "https://acme-v02.api.letsencrypt.org/acme/acct/1"
		printf "$ORIGIN %s.\n$TTL 3600\n@ SOA ns hostmaster 1 3600 600 86400 300\n", o > zone
		print "@ NS ns\nns A 127.0.0.1" > zone
		print "@ CAA 0 issue \"letsencrypt.org; validationmethods=dns-persist-01\"" > zone
		print "version: 1\ncas: {le: {issuer: letsencrypt.org}}" > inv
		print "accounts: {prod: {ca: le, uri: \"" acct "\"}}\ndomains:" > inv
		for (i = 1; i <= n; i++) {
			printf "n%d A 192.0.2.%d\n", i, i % 250 + 1 > zone
			if (i % 20 == 0)
				printf "_validation-persist.n%d TXT \"letsencrypt.org; accounturi=%s\"\n", i, acct > zone
			printf "  - {name: n%d.%s, authorize: [{account: prod}]}\n", i, o > inv
		}
	}'
}

# Start dnsdist on 127.0.0.1@PORT in front of NSD on BACKEND, with one
# rule (Lua): dpi_dnsdist NAME PORT BACKEND 'addAction(MaxQPSIPRule(500), DropAction())'
dpi_dnsdist() {
	local dir="$DPI_DIR/$1"
	mkdir -p "$dir"
	cat >"$dir/dnsdist.conf" <<-EOF
		setSecurityPollSuffix("") -- no status query to the internet
		setLocal("127.0.0.1:$2")
		newServer({address = "127.0.0.1:$3"}):setUp()
		$4
	EOF
	dnsdist --supervised --disable-syslog -C "$dir/dnsdist.conf" >>"$dir/dnsdist.log" 2>&1 &
	echo $! >>"$DPI_DIR/pids"
	dpi_wait "$2" 127.0.0.1 $! "$dir/dnsdist.log"
}

# Start Unbound on $1, validating with the anchors in $2; the rest are
# stub zones "NAME=PORT" (on 127.0.0.1) or "NAME=ADDR@PORT".
dpi_unbound() {
	local port=$1 anchors=$2 dir="$DPI_DIR/unbound" s
	shift 2
	mkdir -p "$dir"
	cat >"$dir/unbound.conf" <<-EOF
		server:
		  interface: 127.0.0.1
		  port: $port
		  do-ip6: no
		  username: ""
		  chroot: ""
		  directory: "$dir"
		  pidfile: "$dir/unbound.pid"
		  use-syslog: no
		  logfile: "$dir/unbound.log"
		  verbosity: 1
		  val-log-level: 2
		  do-not-query-localhost: no
		  access-control: 127.0.0.0/8 allow
		  module-config: "validator iterator"
		  trust-anchor-file: "$anchors"
		  qname-minimisation: no
		  local-zone: "test." nodefault
		  num-threads: 1
		  outgoing-range: 1024
		  num-queries-per-thread: 512
		remote-control:
		  control-enable: no
	EOF
	for s in "$@"; do
		local at=${s#*=}
		[[ $at == *@* ]] || at=127.0.0.1@$at
		printf 'stub-zone:\n  name: "%s"\n  stub-addr: %s\n' "${s%%=*}" "$at" >>"$dir/unbound.conf"
	done
	PATH=$PATH:/usr/sbin unbound -d -c "$dir/unbound.conf" >>"$dir/unbound.log" 2>&1 &
	echo $! >>"$DPI_DIR/pids"
	dpi_wait "$port" 127.0.0.1 $! "$dir/unbound.log"
}

# Kill one server started here: dpi_kill PID
dpi_kill() {
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	true
}

# A loopback address whose port 53 is free (a zone's NS hosts can only be
# reached on port 53), after $1 if given.
dpi_free53() {
	local last addr busy
	busy=" $(ss -Hlntu 'sport = :53' 2>/dev/null | awk '{ print $5 }' | tr '\n' ' ') "
	case $busy in *" *:53 "* | *" 0.0.0.0:53 "*) return 1 ;; esac
	for last in $(seq 2 254); do
		addr=127.0.0.$last
		[ "$addr" = "${1:-}" ] && continue
		case $busy in *" $addr:53 "*) continue ;; esac
		echo "$addr"
		return 0
	done
	return 1
}

# auth.test's two servers on port 53 of two free loopback addresses: only as
# root. Sets DPI_NS1 and DPI_NS2.
dpi_auth53() {
	local v
	[ "$(id -u)" -eq 0 ] || return 1
	DPI_NS1=$(dpi_free53) && DPI_NS2=$(dpi_free53 "$DPI_NS1") || return 1
	for v in auth.test auth.test.v2; do
		sed "s/@NS1@/$DPI_NS1/g; s/@NS2@/$DPI_NS2/g" "$DPI_ZONES/$v.zone" >"$DPI_DIR/$v.zone"
	done
	dpi_nsd ns1 "$DPI_NS1@53" "auth.test=$DPI_DIR/auth.test.zone" &&
		dpi_nsd ns2 "$DPI_NS2@53" "auth.test=$DPI_DIR/auth.test.v2.zone"
}

# Start everything; exports DPI_NSD_PORT, DPI_NSD2_PORT, DPI_UNBOUND_PORT,
# DPI_DEAD_PORT (nothing listens there) and, when auth.test's two servers
# could start on port 53, DPI_NS1 and DPI_NS2 (their addresses). With
# DPI_NO_AUTH53 set, those two are not started (tests that do not need them,
# so that test files run in parallel do not race for port 53).
dpi_start() {
	local z=$DPI_ZONES d=$DPI_DIR anchors=$DPI_DIR/anchors.ds
	mkdir -p "$d" || return 1
	: >"$anchors"
	dpi_sign "$z/secure.test.zone" secure.test "$d/secure.test.signed" "$anchors" || return 1
	dpi_sign "$z/bogus.test.zone" bogus.test "$d/bogus.test.signed" "$anchors" || return 1
	# change a signed record: its RRSIG no longer matches
	sed -i 's|\(_validation-persist.www.bogus.test.*acct/\)1"|\1666"|' "$d/bogus.test.signed"
	export DPI_NSD_PORT DPI_NSD2_PORT DPI_UNBOUND_PORT DPI_DEAD_PORT
	DPI_NSD_PORT=$(dpi_free_port) || return 1
	dpi_nsd nsd "$DPI_NSD_PORT" ".=$z/root.zone" "live.test=$z/live.test.zone" \
		"secure.test=$d/secure.test.signed" "bogus.test=$d/bogus.test.signed" \
		"split.test=$z/split.test.zone" "example.com=$DPI_SHIPPED/example.com.zone" \
		"example.net=$DPI_SHIPPED/example.net.zone" \
		"example.org=$DPI_ZONES/../../data/verdicts/example.org.zone" || return 1
	DPI_NSD2_PORT=$(dpi_free_port) || return 1
	dpi_nsd nsd2 "$DPI_NSD2_PORT" "split.test=$z/split.test.v2.zone" || return 1
	export DPI_NS1= DPI_NS2=
	local auth=()
	if [ -z "${DPI_NO_AUTH53:-}" ] && dpi_auth53; then
		auth=("auth.test=$DPI_NS1@53")
	else
		DPI_NS1= DPI_NS2=
	fi
	DPI_UNBOUND_PORT=$(dpi_free_port) || return 1
	dpi_unbound "$DPI_UNBOUND_PORT" "$anchors" ".=$DPI_NSD_PORT" \
		"servfail.test=$DPI_NSD2_PORT" "${auth[@]}" || return 1
	DPI_DEAD_PORT=$(dpi_free_port) || return 1
}

dpi_stop() {
	local pid
	[ -f "$DPI_DIR/pids" ] || return 0
	while read -r pid; do dpi_kill "$pid"; done <"$DPI_DIR/pids"
	rm -f "$DPI_DIR/pids"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -u
	DPI_DIR=${2:?usage: servers.sh start|stop DIR}
	case $1 in
	start)
		missing=$(dpi_have) || { echo "missing: $missing" >&2; exit 77; }
		dpi_start || { dpi_stop; exit 1; }
		# the servers outlive this script; stop them with "servers.sh stop DIR"
		printf 'NSD 127.0.0.1@%s, second NSD 127.0.0.1@%s, Unbound 127.0.0.1@%s\n' \
			"$DPI_NSD_PORT" "$DPI_NSD2_PORT" "$DPI_UNBOUND_PORT"
		disown -a
		;;
	stop) dpi_stop ;;
	*) echo "usage: servers.sh start|stop DIR" >&2; exit 2 ;;
	esac
fi
