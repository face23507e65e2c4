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
