#!/usr/bin/env bats
# SPDX-License-Identifier: BSD-3-Clause
# dnspersist lint: every record on its own, as a CI gate on zone files.

bats_require_minimum_version 1.5.0
load helper

setup() {
	cd "$DP_SRCDIR"
}

@test "golden lint report for the example zones" {
	run --separate-stderr dp lint zones/example.com.zone zones/example.net.zone --now 2026-11-24 --color never
	status_is 1
	diff -u tests/data/golden/lint.txt <(printf '%s\n' "$output")
}

@test "a clean zone passes; a malformed record fails with file:line" {
	z=$BATS_TEST_TMPDIR/example.org.zone
	printf '@ CAA 0 issue "letsencrypt.org"\n_validation-persist TXT "letsencrypt.org; accounturi=%s"\n' "$ACCT" >"$z"
	run dp lint "$z" --now 2026-11-24
	status_is 0
	has "OK: 1 name, 1 record"
	printf '_validation-persist.www TXT "letsencrypt.org; accounturi=%s;"\n' "$ACCT" >>"$z"
	run dp lint "$z" --now 2026-11-24
	status_is 1
	has "record-malformed: malformed under the draft: empty parameter or ';' after the last parameter [$z:3]"
}

@test "expired records and CAA contradictions inside the zone" {
	z=$BATS_TEST_TMPDIR/example.org.zone
	printf '@ CAA 0 issue "sectigo.com"\n_validation-persist TXT "letsencrypt.org; accounturi=%s; persistUntil=1"\n' "$ACCT" >"$z"
	run dp lint "$z" --now 2026-11-24 --format json
	status_is 1
	has '"persist-until-expired"'
	has '"caa-forbids-issuer"'
}

@test "zone syntax errors exit 2" {
	printf 'a IN TXT "x" )\n' >"$BATS_TEST_TMPDIR/example.org.zone"
	run --separate-stderr dp lint "$BATS_TEST_TMPDIR/example.org.zone"
	status_is 2
	[[ "$stderr" == *"example.org.zone:1:14: ')' without '('"* ]]
	run dp lint
	status_is 2
}

@test "DNS data in messages is escaped once: text, JSON and verify" {
	z="$BATS_TEST_TMPDIR/esc.zone"
	printf '%s\n' '$ORIGIN example.com.' '$TTL 300' '@ SOA ns h 1 2 3 4 5' \
		'_validation-persist.q TXT "letsencrypt.org; accounturi=https://le/acct/1\010x"' >"$z"
	run --separate-stderr dp lint "$z" --now "$NOW"
	status_is 1
	has "'https://le/acct/1\x0ax'"
	hasnt 'x5c'
	run --separate-stderr dp lint "$z" --now "$NOW" --format json
	status_is 1
	[ "$(printf '%s' "$output" | python3 -c 'import json,sys; print(json.load(sys.stdin)["findings"][0]["message"][-23:])')" = "https://le/acct/1\\x0ax'" ]
	run --separate-stderr dp verify q.example.com --issuer letsencrypt.org \
		--account-uri https://le/acct/1 --zone "$z" --now "$NOW"
	status_is 1
	has "'https://le/acct/1\x0ax'"
	hasnt 'x5c'
}

@test "--format lists the known formats when the name is unknown" {
	run --separate-stderr dp lint "$ZONES/example.com.zone" --format nope
	status_is 2
	[[ "$stderr" == *"unknown format 'nope'; known: text, json"* ]] || { echo "$stderr"; false; }
	run --separate-stderr dp scan --inventory "$ZONES/example.inventory.yaml" --zone "$ZONES" \
		--format nagios
	status_is 2
	[[ "$stderr" == *"known: text, json"* ]] || { echo "$stderr"; false; }
}

@test "finding keys do not move with the lines of a zone" {
	d="$BATS_TEST_TMPDIR/moved"
	mkdir -p "$d"
	for f in "$ZONES"/*.zone; do
		{ printf '; a comment\n;\n;\n'; cat "$f"; } >"$d/$(basename "$f")"
	done
	keys() {
		dp scan --inventory "$ZONES/example.inventory.yaml" --zone "$1" --now "$NOW" \
			--format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(" ".join(sorted(f["key"] for f in d["findings"])))
print(" ".join(sorted(str(f["source"]["line"]) for f in d["findings"] if f["source"] and "line" in f["source"])))'
	}
	a=$(keys "$ZONES")
	b=$(keys "$d")
	[ "$(head -1 <<<"$a")" = "$(head -1 <<<"$b")" ]
	# the lines did move, so the keys are not made of them
	[ "$(tail -1 <<<"$a")" != "$(tail -1 <<<"$b")" ]
}

@test "a rule pattern that backtracks past its limits is an input error, never a pass" {
	r="$BATS_TEST_TMPDIR/evil.yaml"
	z="$BATS_TEST_TMPDIR/example.com.zone"
	printf '%s\n' 'version: 1' 'names:' "  forbid_wildcard: ['^(a+)+\$|example\\.com\$']" >"$r"
	printf '%s\n' '$ORIGIN example.com.' '$TTL 300' '@ SOA ns h 1 2 3 4 5' \
		"_validation-persist.$(printf 'a%.0s' {1..40}) TXT \"letsencrypt.org; accounturi=https://le/acct/1; policy=wildcard\"" >"$z"
	run --separate-stderr dp lint "$z" --rules "$r" --now "$NOW"
	status_is 2
	[[ "$stderr" == *"names.forbid_wildcard pattern"*"match limit exceeded"* ]] ||
		{ echo "$stderr"; false; }
	[ -z "$output" ]
}

@test "\$INCLUDE stays in the zone's directory unless --include-anywhere" {
	z="$DATA/zones-hostile/include-dotdot/example.com.zone"
	run --separate-stderr dp lint "$z" --now "$NOW"
	status_is 2
	[[ "$stderr" == *"refused: it leads outside the top zone file's directory"* ]] ||
		{ echo "$stderr"; false; }
	[[ "$stderr$output" != *hunter2* ]]
	run --separate-stderr dp lint --include-anywhere "$z" --now "$NOW"
	status_is 0
	run --separate-stderr dp scan --inventory "$ZONES/example.inventory.yaml" --include-anywhere
	status_is 2
	[[ "$stderr" == *"--include-anywhere go with --zone"* ]] || { echo "$stderr"; false; }
}

@test "a TTL above 2^31-1 is read as 0, as BIND does, with a warning" {
	z="$BATS_TEST_TMPDIR/example.org.zone"
	printf '%s\n' '$ORIGIN example.org.' '@ 300 SOA ns h 1 2 3 4 5' \
		'_validation-persist.q 4294967295 TXT "letsencrypt.org; accounturi=https://le/acct/1"' >"$z"
	run --separate-stderr dp lint "$z" --now "$NOW"
	status_is 0
	[[ "$stderr" == *"1 TTL above 2147483647 read as 0, as BIND does"* ]] || { echo "$stderr"; false; }
}
