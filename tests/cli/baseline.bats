#!/usr/bin/env bats
# SPDX-License-Identifier: BSD-3-Clause
# --baseline PREVIOUS.json: findings the baseline had do not fail the gate;
# new and resolved findings, authorizations granted and revoked and moved
# persistUntil dates are reported, in JSON ("changes") and first in text.

bats_require_minimum_version 1.5.0
load helper

INV="$ZONES/example.inventory.yaml"

setup() {
	Z="$BATS_TEST_TMPDIR/zones"
	mkdir -p "$Z"
	cp "$ZONES"/*.zone "$Z/"
	dp scan --inventory "$INV" --zone "$Z" --now "$NOW" --format json \
		>"$BATS_TEST_TMPDIR/base.json" || true
}

scan() {
	dp scan --inventory "$INV" --zone "$Z" --now "$NOW" "$@"
}

# One kind of change from the JSON on stdin: python prints what the test asks.
changes() {
	python3 -c 'import json, sys
c = json.load(sys.stdin)["changes"]
for x in c[sys.argv[1]]:
    print(" ".join(str(x.get(k)) for k in sys.argv[2:]))' "$@"
}

@test "the same zones against their own report: nothing changed, nothing fails" {
	run --separate-stderr scan --baseline "$BATS_TEST_TMPDIR/base.json"
	status_is 0 # 5 critical findings, all existing
	[[ "${lines[0]}" == "since last run (2026-11-24T00:00:00Z): 0 new, 0 resolved finding(s); 0 granted, 0 revoked authorization(s); 0 persistUntil moved" ]] ||
		{ echo "${lines[0]}"; false; }
	has "critical: 9 names, 9 records, 5 critical, 4 warning, 0 notice, 0 new since last run"
	run --separate-stderr scan --baseline "$BATS_TEST_TMPDIR/base.json" --fail-on notice
	status_is 0
	run --separate-stderr scan
	status_is 1 # without the baseline the same findings fail
}

@test "a new finding fails the gate; existing ones are marked in JSON" {
	printf '%s\n' '_validation-persist.new IN TXT "letsencrypt.org; accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/666"' \
		>>"$Z/example.com.zone"
	run --separate-stderr scan --baseline "$BATS_TEST_TMPDIR/base.json" --format json
	status_is 1
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/now.json"
	run changes new name id severity <"$BATS_TEST_TMPDIR/now.json"
	[ "$output" = "new.example.com authorization-unexpected critical" ] || { echo "$output"; false; }
	run changes granted name issuer accounturi covers until <"$BATS_TEST_TMPDIR/now.json"
	[ "$output" = "new.example.com letsencrypt.org https://acme-v02.api.letsencrypt.org/acme/acct/666 ['new.example.com'] None" ] ||
		{ echo "$output"; false; }
	python3 - "$BATS_TEST_TMPDIR/now.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
marks = {(f["name"], f["id"]): f["baseline"] for f in d["findings"]}
assert marks[("new.example.com", "authorization-unexpected")] == "new", marks
assert marks[("old.example.com", "persist-until-expired")] == "existing", marks
assert sum(v == "new" for v in marks.values()) == 1, marks
assert d["changes"]["baseline"]["now"] == 1795478400
EOF
	# the same change at a severity below --fail-on does not fail
	run --separate-stderr scan --baseline "$BATS_TEST_TMPDIR/base.json" \
		--rules "$DP_SRCDIR/tests/data/baseline-downgrade.yaml"
	status_is 0
	has "+ new      warning  new.example.com authorization-unexpected"
}

@test "a fixed record: finding resolved, persistUntil moved" {
	sed -i 's/persistUntil=1735689600/persistUntil=1798761600/' "$Z/example.com.zone"
	run --separate-stderr scan --baseline "$BATS_TEST_TMPDIR/base.json" --format json
	status_is 0 # the critical findings that remain were all in the baseline
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/now.json"
	run changes resolved name id <"$BATS_TEST_TMPDIR/now.json"
	[ "$output" = "old.example.com persist-until-expired" ] || { echo "$output"; false; }
	run changes persist_until_moved name owner was persist_until <"$BATS_TEST_TMPDIR/now.json"
	[ "$output" = "old.example.com _validation-persist.old.example.com 1735689600 1798761600" ] ||
		{ echo "$output"; false; }
	run changes granted name issuer <"$BATS_TEST_TMPDIR/now.json"
	[ "$output" = "old.example.com letsencrypt.org" ] || { echo "$output"; false; }
	run --separate-stderr scan --baseline "$BATS_TEST_TMPDIR/base.json" --color never
	[[ "${lines[0]}" == "since last run (2026-11-24T00:00:00Z): "* ]] || { echo "${lines[0]}"; false; }
	has "  - resolved critical old.example.com persist-until-expired: persistUntil 2025-01-01T00:00:00Z passed"
	has "  ~ moved    persistUntil of _validation-persist.old.example.com for letsencrypt.org https://acme-v02.api.letsencrypt.org/acme/acct/1234567890: 2025-01-01T00:00:00Z -> 2027-01-01T00:00:00Z"
	has "  + granted  letsencrypt.org account le-prod (https://acme-v02.api.letsencrypt.org/acme/acct/1234567890) for old.example.com until 2027-01-01T00:00:00Z"
}

@test "a removed record: authorization revoked, its finding resolved" {
	sed -i '/_validation-persist.test IN TXT/d' "$Z/example.com.zone"
	run --separate-stderr scan --baseline "$BATS_TEST_TMPDIR/base.json" --format json
	status_is 0 # what remains was all in the baseline
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/now.json"
	run changes revoked name issuer accounturi account <"$BATS_TEST_TMPDIR/now.json"
	[ "$output" = "test.example.com letsencrypt.org https://acme-staging-v02.api.letsencrypt.org/acme/acct/99887766 le-staging" ] ||
		{ echo "$output"; false; }
	run changes resolved name id <"$BATS_TEST_TMPDIR/now.json"
	[ "$output" = "test.example.com authorization-unexpected" ] || { echo "$output"; false; }
	run changes new name <"$BATS_TEST_TMPDIR/now.json"
	[ -z "$output" ]
	run --separate-stderr scan --baseline "$BATS_TEST_TMPDIR/base.json" --color never
	has "  - revoked  letsencrypt.org account le-staging (https://acme-staging-v02.api.letsencrypt.org/acme/acct/99887766) for test.example.com"
}

@test "CI formats mark what the baseline had: SARIF baselineState, GitHub notices, skipped JUnit tests" {
	printf '%s\n' '_validation-persist.new IN TXT "letsencrypt.org; accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/666"' \
		>>"$Z/example.com.zone"
	run --separate-stderr scan --baseline "$BATS_TEST_TMPDIR/base.json" --format sarif
	status_is 1
	python3 -c '
import json, sys
res = json.load(sys.stdin)["runs"][0]["results"]
state = {(r["properties"]["name"], r["ruleId"]): r["baselineState"] for r in res}
assert res[0]["baselineState"] == "new", res[0] # the new first: a cut drops old ones first
assert state.pop(("new.example.com", "authorization-unexpected")) == "new", state
assert state and set(state.values()) == {"unchanged"}, state' <<<"$output"
	# without a baseline, SARIF says nothing of one
	run --separate-stderr scan --format sarif
	hasnt baselineState
	GITHUB_STEP_SUMMARY="$BATS_TEST_TMPDIR/summary.md" run --separate-stderr \
		scan --baseline "$BATS_TEST_TMPDIR/base.json" --format github
	status_is 1
	grep -qx '1 new; 9 existing (in the baseline).' "$BATS_TEST_TMPDIR/summary.md"
	# the new finding is an error; the backlog (5 critical, 4 warning) only notices
	[ "$(grep -c '^::error ' <<<"$output")" -eq 1 ]
	grep -q '^::error .*title=critical authorization-unexpected (new.example.com)::' <<<"$output"
	[ "$(grep -c '^::notice .*%2C in the baseline::' <<<"$output")" -eq 9 ]
	run --separate-stderr scan --baseline "$BATS_TEST_TMPDIR/base.json" --format junit
	status_is 1
	grep -q '<testsuite name="dnspersist scan" tests="[0-9]*" failures="1" errors="0" skipped="9">' <<<"$output"
	[ "$(grep -c '^<failure ' <<<"$output")" -eq 1 ]
	[ "$(grep -c '^<skipped message=' <<<"$output")" -eq 9 ]
	xmllint --noout --schema "$DP_SRCDIR/tests/data/ci/junit.xsd" - <<<"$output"
}

@test "diff in a CI format: only what the change introduced is new" {
	cp -r "$Z" "$BATS_TEST_TMPDIR/old"
	printf '%s\n' '_validation-persist.new IN TXT "letsencrypt.org; accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/666"' \
		>>"$Z/example.com.zone"
	run --separate-stderr dp diff "$BATS_TEST_TMPDIR/old" "$Z" --inventory "$INV" --now "$NOW" --format sarif
	status_is 1
	python3 -c '
import json, sys
res = json.load(sys.stdin)["runs"][0]["results"]
new = [(r["properties"]["name"], r["ruleId"]) for r in res if r["baselineState"] == "new"]
assert new == [("new.example.com", "authorization-unexpected")], new
old = [r for r in res if r["properties"]["name"] != "new.example.com"]
assert old and all(r["baselineState"] == "unchanged" for r in old), res' <<<"$output"
	run --separate-stderr dp diff "$BATS_TEST_TMPDIR/old" "$Z" --inventory "$INV" --now "$NOW" --format github
	[ "$(grep -c '^::error ' <<<"$output")" -eq 1 ]
	[ "$(grep -c '^::notice .*%2C in the old version::' <<<"$output")" -eq 9 ]
	run --separate-stderr dp diff "$BATS_TEST_TMPDIR/old" "$Z" --inventory "$INV" --now "$NOW" \
		--baseline "$BATS_TEST_TMPDIR/base.json" --format junit
	[ "$(grep -c '^<skipped message=' <<<"$output")" -eq 9 ]
	grep -q '>in the baseline or the old version: critical ' <<<"$output"
}

@test "lint and merge take --baseline too" {
	dp lint "$Z/example.com.zone" --now "$NOW" --format json >"$BATS_TEST_TMPDIR/lint.json" || true
	run --separate-stderr dp lint "$Z/example.com.zone" --now "$NOW" \
		--baseline "$BATS_TEST_TMPDIR/lint.json"
	status_is 0
	run --separate-stderr dp lint "$Z/example.com.zone" --now "$NOW"
	status_is 1
	for k in 0 1; do
		scan --shard "$k/2" --format json >"$BATS_TEST_TMPDIR/s$k.json" || true
	done
	run --separate-stderr dp merge --baseline "$BATS_TEST_TMPDIR/base.json" \
		"$BATS_TEST_TMPDIR"/s{0,1}.json
	status_is 0
	has "0 new since last run"
}

@test "a baseline that cannot be read is an input error" {
	run --separate-stderr scan --baseline "$BATS_TEST_TMPDIR/none.json"
	status_is 2
	[[ "$stderr" == *"none.json"* ]] || { echo "$stderr"; false; }
	printf '{"format": 2, "mode": "zone", "now": 1, "names": [], "findings": [],\n x}' \
		>"$BATS_TEST_TMPDIR/bad.json"
	run --separate-stderr scan --baseline "$BATS_TEST_TMPDIR/bad.json"
	status_is 2
	[[ "$stderr" == *"bad.json:2:"* ]] || { echo "$stderr"; false; }
}
