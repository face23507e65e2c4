#!/usr/bin/env bats
# SPDX-License-Identifier: BSD-3-Clause
# Live scans against a hostile responder on 127.0.0.1 (tests/integration/
# hostile.c): EDNS BADVERS (also behind a second OPT), answers of another
# type, TC with a dead TCP, and zone transfers that never end. Each must
# end, within its bound, in an error that says what happened; none may
# read as "no record".

bats_require_minimum_version 1.5.0
load ../cli/helper

HOSTILE="$DP_BUILDDIR/tests/integration/hostile"

# Start the responder in mode $@; its port goes to $PORT.
hostile() {
	"$HOSTILE" "$@" >"$BATS_TEST_TMPDIR/port" &
	HPID=$!
	for _ in $(seq 1 100); do
		[ -s "$BATS_TEST_TMPDIR/port" ] && break
		sleep 0.02
	done
	PORT=$(cat "$BATS_TEST_TMPDIR/port")
	[ -n "$PORT" ]
}

teardown() {
	[ -z "${HPID:-}" ] || kill "$HPID" 2>/dev/null || true
}

# An inventory of $1 names n0.hostile.test ... (and the zone hostile.test when $2 is "zone").
inventory() {
	local f="$BATS_TEST_TMPDIR/inv.yaml" i
	{
		printf 'version: 1\ncas: {le: {issuer: letsencrypt.org}}\n'
		printf 'accounts: {a: {ca: le, uri: "https://acme-v02.api.letsencrypt.org/acme/acct/1"}}\n'
		[ "${2:-}" = zone ] && printf 'zones: [hostile.test]\n'
		printf 'domains:\n'
		for ((i = 0; i < $1; i++)); do
			printf '  - {name: n%d.hostile.test, authorize: [{account: a}]}\n' "$i"
		done
	} >"$f"
	echo "$f"
}

now_ms() { date +%s%3N; }

@test "EDNS BADVERS is an error named BADVERS, never 'no record'" {
	hostile badvers
	run dp scan --inventory "$(inventory 1)" --server "127.0.0.1@$PORT" --timeout 0.2 \
		--retries 0 --now "$NOW" --color never
	status_is 3
	has "error (BADVERS) from 127.0.0.1@$PORT"
	hasnt "no record at"
}

@test "a second OPT RR that would hide BADVERS is not believed" {
	hostile two-opt
	run dp scan --inventory "$(inventory 1)" --server "127.0.0.1@$PORT" --timeout 0.2 \
		--retries 0 --now "$NOW" --color never
	status_is 3
	has "malformed responses: more than one OPT RR"
	hasnt "no record at"
}

@test "an answer of another type is not believed" {
	hostile wrong-type
	run dp scan --inventory "$(inventory 1)" --server "127.0.0.1@$PORT" --timeout 0.2 \
		--retries 0 --now "$NOW" --color never
	status_is 3
	has "malformed responses: an answer of another type"
	hasnt "no record at"
}

@test "TC over UDP and a silent TCP: the server goes down, 400 names end in seconds" {
	hostile tc-dead-tcp
	local t0
	t0=$(now_ms)
	run dp scan --inventory "$(inventory 400)" --server "127.0.0.1@$PORT" --timeout 0.1 \
		--retries 1 --concurrency 10 --qps 500 --now "$NOW" --color never
	# before: 800 lookups, 10 at a time, 0.3 s each: 24 s
	[ $(($(now_ms) - t0)) -lt 8000 ] || { echo "took $(($(now_ms) - t0)) ms"; false; }
	status_is 3
	has "timeout"
}

@test "a zone transfer that never ends is cut at its bound and said so" {
	hostile axfr-endless
	local t0
	t0=$(now_ms)
	run dp scan --inventory "$(inventory 1 zone)" --server "127.0.0.1@$PORT" --timeout 0.1 \
		--retries 0 --now "$NOW" --color never
	# 30 timeouts of 0.1 s (or 2,000,000 RRs on a fast machine); before, it never
	# ended and grew without bound
	[ $(($(now_ms) - t0)) -lt 10000 ] || { echo "took $(($(now_ms) - t0)) ms"; false; }
	[[ $output == *"AXFR of hostile.test from 127.0.0.1@$PORT failed (took longer than 3 s)"* ||
		$output == *"AXFR of hostile.test from 127.0.0.1@$PORT failed (more than 2000000 records)"* ]] ||
		{ echo "$output"; false; }
	# records at names the transfer would have found are unseen: unknown, not OK
	status_is 3
}

@test "a zone transfer that drips records is cut at its total bound" {
	hostile axfr-drip 50
	local t0
	t0=$(now_ms)
	run dp scan --inventory "$(inventory 1 zone)" --server "127.0.0.1@$PORT" --timeout 0.1 \
		--retries 0 --now "$NOW" --color never
	[ $(($(now_ms) - t0)) -lt 10000 ] || { echo "took $(($(now_ms) - t0)) ms"; false; }
	has "AXFR of hostile.test from 127.0.0.1@$PORT failed (took longer than 3 s)"
}
