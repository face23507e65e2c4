#!/usr/bin/env bats
# SPDX-License-Identifier: BSD-3-Clause
# Live scans against real servers on 127.0.0.1: NSD (authoritative, two
# instances) and a validating Unbound (servers.sh). Skips when they are not
# installed; CI installs them, so nothing skips there.

bats_require_minimum_version 1.5.0
load ../cli/helper

INT="$DP_SRCDIR/tests/integration"
LIVE_INV="$INT/live.inventory.yaml"
SPLIT_INV="$INT/split.inventory.yaml"

setup_file() {
	source "$BATS_TEST_DIRNAME/servers.sh"
	local missing
	missing=$(dpi_have) || skip "not installed: $missing"
	export DPI_DIR="$BATS_FILE_TMPDIR/servers"
	dpi_start || { dpi_stop; false; }
}

setup() {
	source "$BATS_TEST_DIRNAME/servers.sh" # the helpers, for the tests that start their own
}

teardown_file() {
	source "$BATS_TEST_DIRNAME/servers.sh"
	dpi_stop
}

# Findings without their sources: "severity id: message" lines, sorted.
findings() {
	grep -E '^  (critical|warning|notice) ' | sed -E 's/ \[[^]]*\]$//' | sort
}

@test "live scan of the shipped zones gives the zone scan's findings" {
	run dp scan --inventory "$ZONES/example.inventory.yaml" --zone "$ZONES" --now "$NOW" \
		--color never
	status_is 1
	zone_out=$output
	run dp scan --inventory "$ZONES/example.inventory.yaml" --server "127.0.0.1@$DPI_NSD_PORT" \
		--now "$NOW" --color never
	status_is 1
	[ "$(findings <<<"$output")" = "$(findings <<<"$zone_out")" ] ||
		{ diff <(findings <<<"$zone_out") <(findings <<<"$output"); false; }
	[ "$(tail -1 <<<"$output")" = "$(tail -1 <<<"$zone_out")" ]
	# the unlisted test.example.com came from the zone transfer
	has "test.example.com is in owned zone example.com but not in the inventory"
	has "[127.0.0.1@$DPI_NSD_PORT, DNSSEC unchecked]"
}

@test "through a validating resolver: records, CNAMEs, TCP, DNSSEC, dangling, SERVFAIL" {
	run dp scan --inventory "$LIVE_INV" --server "127.0.0.1@$DPI_UNBOUND_PORT" --now "$NOW" \
		--color never
	status_is 3
	# plain and multi-string values, joined
	has 'record 127.0.0.1@'"$DPI_UNBOUND_PORT"', DNSSEC insecure "letsencrypt.org; accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/1" (valid)'
	has '"letsencrypt.org; accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/1; policy=wildcard" (valid)'
	# a CNAME at the record's owner; two names sharing the target read it once
	has "for alias.live.test via records.live.test"
	has "for alias2.live.test via records.live.test"
	hasnt "record-duplicate"
	# inherited through policy=wildcard from the parent
	has "for deep.multi.live.test via _validation-persist.multi.live.test"
	# 20 records do not fit in 1232 octets: TC, then TCP
	[ "$(grep -c 'acct/10[0-9]*; persistUntil' <<<"$output")" -ge 20 ]
	has "cname-dangling: dangling.live.test is a CNAME to gone.live.test"
	has "dnssec-bogus: TXT _validation-persist.www.bogus.test: validation failed"
	has "127.0.0.1@$DPI_UNBOUND_PORT, DNSSEC secure"
	has "dns-error: not evaluated: "
	has "www.servfail.test: SERVFAIL from 127.0.0.1@$DPI_UNBOUND_PORT"
	has "caa-forbids-issuer"
	# NXDOMAIN is an answer, not an error
	has "no record at _validation-persist.nx.live.test"
	hasnt "nx.live.test: NXDOMAIN"
	has "(not fully evaluated: DNS lookups failed)"
}

@test "hostile TXT data is escaped in text and JSON" {
	run dp scan --inventory "$LIVE_INV" --server "127.0.0.1@$DPI_UNBOUND_PORT" --now "$NOW" \
		--color never
	has 'acct/1\x07|x\x0d"'
	[[ "$output" != *$'\a'* ]]
	run dp scan --inventory "$LIVE_INV" --server "127.0.0.1@$DPI_UNBOUND_PORT" --now "$NOW" \
		--format json
	status_is 3
	has '"mode":"live"'
	has '"source":{"server":"127.0.0.1@'"$DPI_UNBOUND_PORT"'","dnssec":"insecure"}'
	has 'acct/1\\x07|x\\x0d'
	has '"status":"unknown"'
}

@test "DNSSEC required: an unsigned record is dnssec-insecure, a signed one is not" {
	printf 'version: 1\ndnssec: {require: true}\n' >"$BATS_TEST_TMPDIR/rules.yaml"
	run dp scan --inventory "$LIVE_INV" --rules "$BATS_TEST_TMPDIR/rules.yaml" \
		--server "127.0.0.1@$DPI_UNBOUND_PORT" --now "$NOW" --color never
	has "dnssec-insecure: _validation-persist.plain.live.test is not signed"
	hasnt "dnssec-insecure: _validation-persist.www.secure.test"
}

@test "an authoritative-only server's REFUSED stops the climbs and says so" {
	run dp scan --inventory "$SPLIT_INV" --server "127.0.0.1@$DPI_NSD2_PORT" --now "$NOW" \
		--color never
	status_is 1
	has "not checked: 127.0.0.1@$DPI_NSD2_PORT refused CAA test: the levels from there up"
	hasnt "dns-error"
	hasnt "caa-missing"
}

@test "--ns compares the given servers: ns-inconsistent" {
	run dp scan --inventory "$SPLIT_INV" --ns "127.0.0.1@$DPI_NSD_PORT" \
		--ns "127.0.0.1@$DPI_NSD2_PORT" --now "$NOW" --color never
	has "ns-inconsistent: TXT _validation-persist.www.split.test: 127.0.0.1@$DPI_NSD_PORT answers NOERROR with 1 RR(s), 127.0.0.1@$DPI_NSD2_PORT answers NOERROR with 2 RR(s)"
	run dp scan --inventory "$SPLIT_INV" --ns "127.0.0.1@$DPI_NSD_PORT" \
		--ns "127.0.0.1@$DPI_NSD_PORT" --now "$NOW" --color never
	status_is 0
	hasnt "ns-inconsistent"
}

@test "--authoritative finds the zone's NS set and compares its servers" {
	[ -n "$DPI_NS1" ] || skip "needs root and port 53 free on two loopback addresses"
	run dp scan --inventory "$INT/auth.inventory.yaml" --authoritative \
		--server "127.0.0.1@$DPI_UNBOUND_PORT" --now "$NOW" --color never --stats \
		--fail-on warning
	status_is 1
	has "ns-inconsistent: TXT _validation-persist.www.auth.test: $DPI_NS1@53 answers NOERROR with 1 RR(s), $DPI_NS2@53 answers NOERROR with 1 RR(s), which differ"
	has "record $DPI_NS1@53, DNSSEC unchecked"
	# the same servers through the resolver alone: no comparison, no finding
	run dp scan --inventory "$INT/auth.inventory.yaml" --server "127.0.0.1@$DPI_UNBOUND_PORT" \
		--now "$NOW" --color never
	status_is 0
	hasnt "ns-inconsistent"
}

@test "a server that never answers: unknown, exit 3, within the timeouts" {
	local t0 t1
	t0=$(date +%s%N)
	run dp scan --inventory "$LIVE_INV" --server "127.0.0.1@$DPI_DEAD_PORT" --timeout 0.2 \
		--retries 1 --now "$NOW" --color never
	t1=$(date +%s%N)
	status_is 3
	has "timeout"
	has "unknown:"
	# one lookup's tries (0.2 + 0.4 s) until the server is taken as down, then at once
	[ $(((t1 - t0) / 1000000)) -lt 3000 ]
}

@test "stopping the server mid-scan ends in unknown within the timeouts" {
	local port pid t0 t1 i
	port=$(dpi_free_port)
	dpi_nsd victim "$port" "live.test=$INT/zones/live.test.zone"
	pid=$(tail -1 "$DPI_DIR/pids")
	{
		printf 'version: 1\ncas: {le: {issuer: letsencrypt.org}}\n'
		printf 'accounts: {a: {ca: le, uri: "https://le/acct/1"}}\ndomains:\n'
		for i in $(seq 1 3000); do printf '  - {name: n%d.live.test, authorize: []}\n' "$i"; done
	} >"$BATS_TEST_TMPDIR/many.yaml"
	t0=$(date +%s%N)
	(sleep 1.5 && dpi_kill "$pid") &
	run dp scan --inventory "$BATS_TEST_TMPDIR/many.yaml" --server "127.0.0.1@$port" \
		--qps 500 --timeout 0.3 --retries 1 --now "$NOW" --color never
	t1=$(date +%s%N)
	wait
	status_is 3
	has "dns-error"
	has "the server stopped answering"
	# 1.5 s until the kill, 0.9 s of tries, then every remaining lookup at once
	[ $(((t1 - t0) / 1000000)) -lt 6000 ]
}

@test "verify NAME --server: valid, bogus, lookup failure" {
	V=(--issuer letsencrypt.org --account-uri https://acme-v02.api.letsencrypt.org/acme/acct/1
		--server "127.0.0.1@$DPI_UNBOUND_PORT")
	run dp verify plain.live.test "${V[@]}"
	status_is 0
	has "result: valid"
	run dp verify alias.live.test "${V[@]}"
	status_is 0
	has "(CNAME to records.live.test)"
	run dp verify www.bogus.test "${V[@]}"
	status_is 1
	has "DNSSEC validation fails"
	run dp verify www.servfail.test "${V[@]}" --format json
	status_is 3
	has '"verdict": "dns-error"'
	run dp verify caa.live.test "${V[@]}"
	status_is 1
	has "CAA: forbids"
}

@test "check_dnspersist live: UNKNOWN on a failed lookup, --ns and --authoritative" {
	P="$DP_BUILDDIR/check_dnspersist"
	run "$P" -H www.servfail.test --issuer letsencrypt.org \
		--account-uri https://acme-v02.api.letsencrypt.org/acme/acct/1 \
		--server "127.0.0.1@$DPI_UNBOUND_PORT" --now "$NOW"
	status_is 3
	has "DNSPERSIST UNKNOWN - dns-error at www.servfail.test |"
	has "UNKNOWN: dns-error at www.servfail.test: not evaluated: "
	has "www.servfail.test: SERVFAIL from 127.0.0.1@$DPI_UNBOUND_PORT"
	run "$P" -H www.bogus.test --inventory "$LIVE_INV" --server "127.0.0.1@$DPI_UNBOUND_PORT" \
		--now "$NOW" --dnssec-required
	status_is 2
	has "dnssec-bogus at www.bogus.test"
	run "$P" -H plain.live.test --inventory "$LIVE_INV" --server "127.0.0.1@$DPI_UNBOUND_PORT" \
		--now "$NOW" --dnssec-required
	status_is 1
	has "DNSPERSIST WARNING - dnssec-insecure at plain.live.test"
	run "$P" -H www.split.test --inventory "$SPLIT_INV" --ns "127.0.0.1@$DPI_NSD_PORT" \
		--ns "127.0.0.1@$DPI_NSD2_PORT" --now "$NOW"
	status_is 1
	has "DNSPERSIST WARNING - ns-inconsistent at www.split.test"
	if [ -n "$DPI_NS1" ]; then
		run "$P" -H www.auth.test --inventory "$INT/auth.inventory.yaml" --authoritative \
			--server "127.0.0.1@$DPI_UNBOUND_PORT" --now "$NOW"
		status_is 1
		has "ns-inconsistent at www.auth.test"
	fi
}

@test "IPv6: a server on ::1" {
	ip -6 addr show lo 2>/dev/null | grep -q '::1/128' || skip "no IPv6 loopback"
	local port
	port=$(dpi_free_port)
	dpi_nsd v6 "::1@$port" "example.com=$ZONES/example.com.zone" \
		"example.net=$ZONES/example.net.zone"
	run dp scan --inventory "$ZONES/example.inventory.yaml" --server "::1@$port" --now "$NOW" \
		--color never
	status_is 1
	has "record ::1@$port, DNSSEC unchecked"
	has "critical: 9 names, 9 records, 5 critical, 4 warning, 0 notice"
}

@test "the plugin near its timeout: exactly one status line, and the exit status is its state" {
	# --qps paces the 20 queries of the shipped inventory to end around -t 1:
	# some runs finish, some time out; none may print both
	local q i out rc state
	for q in 16 17 18 19 20 21 22; do
		for i in 1 2 3; do
			out=$("$DP_BUILDDIR/check_dnspersist" --inventory "$ZONES/example.inventory.yaml" \
				-s "127.0.0.1@$DPI_NSD_PORT" --qps "$q" -t 1 --now "$NOW") && rc=0 || rc=$?
			[ "$(grep -c '^DNSPERSIST ' <<<"$out")" -eq 1 ] ||
				{ echo "qps $q: not one status line:"; echo "$out"; return 1; }
			state=$(sed -n '1s/^DNSPERSIST \([A-Z]*\) .*/\1/p' <<<"$out")
			case $state:$rc in OK:0 | WARNING:1 | CRITICAL:2 | UNKNOWN:3) ;;
			*) echo "qps $q: state $state, exit $rc"; return 1 ;;
			esac
		done
	done
}

@test "a zone transfer that fails leaves the run unknown, in scan and in the plugin" {
	inv="$BATS_TEST_TMPDIR/zones.yaml"
	printf '%s\n' 'version: 1' 'cas: {le: {issuer: letsencrypt.org}}' \
		'accounts: {p: {ca: le, uri: "https://acme-v02.api.letsencrypt.org/acme/acct/1"}}' \
		'zones: [live.test]' 'domains:' '  - {name: plain.live.test, authorize: [{account: p}]}' \
		>"$inv"
	# Unbound does not transfer zones: records at unlisted names would go unseen
	run --separate-stderr dp scan --inventory "$inv" --server "127.0.0.1@$DPI_UNBOUND_PORT" \
		--color never
	status_is 3
	has "not checked: names in zone live.test that the inventory does not list: AXFR of live.test"
	has "unknown: 1 name"
	run "$DP_BUILDDIR/check_dnspersist" --inventory "$inv" -s "127.0.0.1@$DPI_UNBOUND_PORT"
	status_is 3
	[[ "${lines[0]}" == "DNSPERSIST UNKNOWN - an owned zone's other names could not be listed |"* ]]
	has "UNKNOWN: not checked: names in zone live.test"
}

@test "--ns: a compared server that is silent or refuses is reported, never dropped" {
	# a dead server next to a good one: the run cannot be judged (exit 3)
	run dp scan --inventory "$SPLIT_INV" --ns "127.0.0.1@$DPI_NSD_PORT" \
		--ns "127.0.0.1@$DPI_DEAD_PORT" --timeout 0.2 --retries 1 --now "$NOW" --color never
	status_is 3
	has "dns-error"
	has "127.0.0.1@$DPI_DEAD_PORT"
	run "$DP_BUILDDIR/check_dnspersist" -H www.split.test --inventory "$SPLIT_INV" \
		--ns "127.0.0.1@$DPI_NSD_PORT" --ns "127.0.0.1@$DPI_DEAD_PORT" -t 2 --now "$NOW"
	status_is 3
	# Unbound answers REFUSED to questions without recursion desired
	run dp scan --inventory "$SPLIT_INV" --ns "127.0.0.1@$DPI_NSD_PORT" \
		--ns "127.0.0.1@$DPI_UNBOUND_PORT" --now "$NOW" --color never
	[ "$status" -ne 0 ] || { echo "$output"; false; }
	[[ "$output" == *"127.0.0.1@$DPI_UNBOUND_PORT"* ]] || { echo "$output"; false; }
}

@test "the servers' ports: below the ephemeral range; one that cannot bind fails at once" {
	local low high from to port t0 holder
	read -r low high </proc/sys/net/ipv4/ip_local_port_range
	read -r from to < <(dpi_port_range)
	if [ "$low" -ge 12000 ] || [ "$high" -le 63535 ]; then # room outside it
		[ "$to" -lt "$low" ] || [ "$from" -gt "$high" ]
	fi
	for _ in 1 2 3 4 5; do
		port=$(dpi_free_port)
		[ "$port" -ge "$from" ] || false
		[ "$port" -le "$to" ] || false
	done
	# a port some other socket holds (as an outgoing connection's port can)
	python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1)
print("bound", flush=True); time.sleep(60)' "$port" >"$BATS_TEST_TMPDIR/holder" &
	holder=$!
	for _ in $(seq 1 50); do [ -s "$BATS_TEST_TMPDIR/holder" ] && break; sleep 0.1; done
	t0=$(date +%s)
	run --separate-stderr dpi_nsd taken "$port" "example.com=$ZONES/example.com.zone"
	kill "$holder"
	status_is 1
	[[ "$stderr" == *"ended before it answered"* ]] || { echo "$stderr"; false; }
	[[ "$stderr" == *"in use"* ]] || { echo "$stderr"; false; }
	[ $(($(date +%s) - t0)) -lt 15 ]
}
