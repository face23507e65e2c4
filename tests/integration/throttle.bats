#!/usr/bin/env bats
# SPDX-License-Identifier: BSD-3-Clause
# Live scans against servers that limit each client (issue 11): NSD with
# its default response rate limiting (200 answers a second per bucket,
# every second one dropped slipped as a truncated answer), and dnsdist in
# front of NSD limiting a client to N queries a second, by dropping or by
# truncating. Each scan must end without dns-error and with exactly the
# report of the same scan against an NSD that does not limit.
#
# These scans run the plain binary, not under valgrind (dp): slowed down 30
# times, a scan would not press the servers at all. The other tests check
# the same code for leaks.

bats_require_minimum_version 1.5.0
load ../cli/helper

DPB="$DP_BUILDDIR/dnspersist"

setup_file() {
	source "$BATS_TEST_DIRNAME/servers.sh"
	local missing
	missing=$(dpi_have) || skip "not installed: $missing"
	command -v dnsdist >/dev/null || skip "not installed: dnsdist"
	export DPI_DIR="$BATS_FILE_TMPDIR/servers" ZONE INV RRL_PORT FREE_PORT
	mkdir -p "$DPI_DIR"
	ZONE=$DPI_DIR/rrl.test.zone INV=$DPI_DIR/rrl.inventory.yaml
	dpi_bulk_zone 20000 rrl.test "$ZONE" "$INV"
	RRL_PORT=$(dpi_free_port) && DPI_RRL=default dpi_nsd rrl "$RRL_PORT" "rrl.test=$ZONE" &&
		FREE_PORT=$(dpi_free_port) && dpi_nsd free "$FREE_PORT" "rrl.test=$ZONE" ||
		{ dpi_stop; false; }
}

setup() {
	source "$BATS_TEST_DIRNAME/servers.sh"
}

teardown_file() {
	source "$BATS_TEST_DIRNAME/servers.sh"
	dpi_stop
}

# The first $1 names of the inventory, in a file of their own.
first() {
	head -n $((4 + $1)) "$INV" >"$BATS_TEST_TMPDIR/inv$1.yaml"
	echo "$BATS_TEST_TMPDIR/inv$1.yaml"
}

# Scan inventory $1 through 127.0.0.1@$2 into $3.json (report) and $3.err
# (--stats); its exit status into $3.rc.
scan() {
	local rc=0
	"$DPB" scan --inventory "$1" --server "127.0.0.1@$2" --now "$NOW" --stats \
		--format json >"$3.json" 2>"$3.err" || rc=$?
	echo "$rc" >"$3.rc"
	echo "scan through port $2: exit $rc"
	cat "$3.err"
}

# Reports $1 (from port $2) and $3 (from port $4): the same, but for the
# server named in each record's source; and the same exit status.
same_report() {
	[ "$(cat "$1.rc")" = "$(cat "$3.rc")" ] || { echo "exit $(cat "$1.rc") and $(cat "$3.rc")"; false; }
	python3 - "$1.json" "$2" "$3.json" "$4" <<-'PY'
		import json, sys
		def load(path, port):
		    with open(path) as f:
		        return json.loads(f.read().replace("127.0.0.1@" + port, "SERVER"))
		a, b = load(sys.argv[1], sys.argv[2]), load(sys.argv[3], sys.argv[4])
		if a != b:
		    fa = {json.dumps(x, sort_keys=True) for x in a["findings"]}
		    fb = {json.dumps(x, sort_keys=True) for x in b["findings"]}
		    print("reports differ; findings only in the first:", list(fa - fb)[:5])
		    print("only in the second:", list(fb - fa)[:5])
		    sys.exit(1)
		print(len(a["findings"]), "findings, the same")
	PY
}

no_dns_error() {
	! grep -q '"dns-error"' "$1.json" || { grep -m5 dns-error "$1.json"; false; }
	grep -q '"names":\[' "$1.json"
}

@test "NSD with its default RRL: 20,000 names, no dns-error, the report of an NSD without RRL" {
	local t0 t1
	scan "$INV" "$FREE_PORT" "$BATS_TEST_TMPDIR/free"
	t0=$(date +%s%N)
	scan "$INV" "$RRL_PORT" "$BATS_TEST_TMPDIR/rrl"
	t1=$(date +%s%N)
	no_dns_error "$BATS_TEST_TMPDIR/rrl"
	same_report "$BATS_TEST_TMPDIR/rrl" "$RRL_PORT" "$BATS_TEST_TMPDIR/free" "$FREE_PORT"
	# RRL did slip truncated answers, and the server's traffic moved to TCP
	grep -Eq "server 127.0.0.1@$RRL_PORT: .* over TCP \(moved there\)" "$BATS_TEST_TMPDIR/rrl.err"
	# before: 120 s and 48 dns-error (the benchmark's target is 5 s)
	[ $(((t1 - t0) / 1000000)) -lt 30000 ]
}

# dnsdist limits each client to $1 queries a second with action $2; scan $3 names through it.
dnsdist_scan() {
	local port inv
	port=$(dpi_free_port)
	dpi_dnsdist "dd$1" "$port" "$FREE_PORT" "addAction(MaxQPSIPRule($1), $2)"
	inv=$(first "$3")
	scan "$inv" "$FREE_PORT" "$BATS_TEST_TMPDIR/free"
	scan "$inv" "$port" "$BATS_TEST_TMPDIR/dd"
	DD_PORT=$port
}

@test "dnsdist drops above 1,000 queries a second: no dns-error, the same report" {
	dnsdist_scan 1000 "DropAction()" 3000
	no_dns_error "$BATS_TEST_TMPDIR/dd"
	same_report "$BATS_TEST_TMPDIR/dd" "$DD_PORT" "$BATS_TEST_TMPDIR/free" "$FREE_PORT"
	# it did drop, and the pace was cut to the limit
	grep -Eq "server 127.0.0.1@$DD_PORT: .* [1-9][0-9]* dropped, .* slowed down [1-9]" "$BATS_TEST_TMPDIR/dd.err"
}

@test "dnsdist truncates above 1,000 queries a second: no dns-error, the same report" {
	dnsdist_scan 1000 "TCAction()" 3000
	no_dns_error "$BATS_TEST_TMPDIR/dd"
	same_report "$BATS_TEST_TMPDIR/dd" "$DD_PORT" "$BATS_TEST_TMPDIR/free" "$FREE_PORT"
	grep -Eq "server 127.0.0.1@$DD_PORT: .* over TCP \(moved there\)" "$BATS_TEST_TMPDIR/dd.err"
}
