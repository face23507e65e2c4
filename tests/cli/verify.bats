#!/usr/bin/env bats
# SPDX-License-Identifier: BSD-3-Clause
# dnspersist verify: verdicts, reasons, profiles, CAA, exit statuses, bad input.

load helper

V=(verify --issuer letsencrypt.org --account-uri "$ACCT" --now "$NOW")
Z=(--zone "$ZONES/example.com.zone" --zone "$ZONES/example.net.zone")
DUP='authority.example; accounturi=https://ca.example/acct/123; foo=bar; foo=baz'

@test "duplicate unknown parameter: valid at Boulder, malformed under the draft and Pebble" {
	run dp verify example.com --issuer authority.example --account-uri https://ca.example/acct/123 --txt "$DUP" --profile boulder
	status_is 0
	has "result: valid - Boulder (Let's Encrypt) would validate example.com"
	run dp verify example.com --issuer authority.example --account-uri https://ca.example/acct/123 --txt "$DUP" --profile pebble
	status_is 1
	has "result: malformed"
	run dp verify example.com --issuer authority.example --account-uri https://ca.example/acct/123 --txt "$DUP"
	status_is 1
	has "profile: strict"
	has "profiles disagree: malformed under the draft and at Pebble; valid at Boulder (Let's Encrypt)"
}

@test "json output follows the contract" {
	run dp verify example.com --issuer authority.example --account-uri https://ca.example/acct/123 --txt "$DUP" --format json
	status_is 1
	has '"name": "example.com"'
	has '"verdict": "malformed"'
	has '"strict": "malformed"'
	has '"boulder": "valid"'
	has '"pebble": "malformed"'
	has '"rdata": "authority.example; accounturi=https://ca.example/acct/123; foo=bar; foo=baz"'
	hasnt '"caa"'
	if command -v python3 >/dev/null; then
		echo "$output" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["records"][0]["issuer"]=="authority.example"; assert d["issuable"] is False'
	fi
}

@test "zone: apex valid, CAA read and permitting, source file:line" {
	run dp "${V[@]}" "${Z[@]}" example.com
	status_is 0
	has "example.com.zone:28"
	has "CAA: permits"
	has "example.com.zone:15"
}

@test "zone: wildcard name uses policy=wildcard and issuewild" {
	run dp "${V[@]}" "${Z[@]}" '*.example.com'
	status_is 0
	has "policy=wildcard covers the wildcard name"
	has "issuewild property"
}

@test "zone: a wildcard needs policy=wildcard" {
	run dp "${V[@]}" "${Z[@]}" --wildcard api.example.com
	status_is 1
	has "unauthorized"
	has "needs policy=wildcard"
}

@test "zone: multi-string record is joined and valid until 2035" {
	run dp "${V[@]}" "${Z[@]}" api.example.com
	status_is 0
	has "usable until 2035-01-01T00:00:00Z"
}

@test "zone: expired persistUntil is unauthorized" {
	run dp "${V[@]}" "${Z[@]}" old.example.com
	status_is 1
	has "result: unauthorized - persistUntil 1735689600 (2025-01-01T00:00:00Z) has passed"
	run dp "${V[@]}" "${Z[@]}" --now 2024-12-31 old.example.com
	status_is 0
}

@test "zone: valid record but CAA forbids the issuer" {
	run dp "${V[@]}" "${Z[@]}" shop.example.com
	status_is 1
	has "CAA: forbids"
	has "not issuable - the records are valid"
	has "ignored: issuer sectigo.com is not this CA's"
}

@test "zone: the other CA sees its own record at shop" {
	run dp verify shop.example.com --issuer sectigo.com --account-uri https://acme.sectigo.com/v2/DV/acct/Zq4Yx --now "$NOW" "${Z[@]}"
	status_is 0
}

@test "zone: CNAME at the record's owner is followed into another zone" {
	run dp "${V[@]}" "${Z[@]}" cdn.example.com
	status_is 0
	has "(CNAME to _validation-persist.cdn.example.net)"
	has "example.net.zone:9"
}

@test "zone: no record" {
	run dp "${V[@]}" "${Z[@]}" www.example.com
	status_is 1
	has "no-record - no TXT record at _validation-persist.www.example.com"
}

@test "zone: CAA validationmethods must allow dns-persist-01 and accounturi must match" {
	zone=$BATS_TEST_TMPDIR/example.org.zone
	cat >"$zone" <<-ZONE
	@ CAA 0 issue "letsencrypt.org; validationmethods=http-01"
	_validation-persist TXT "letsencrypt.org; accounturi=$ACCT"
	a CAA 0 issue "letsencrypt.org; accounturi=$ACCT/9"
	_validation-persist.a TXT "letsencrypt.org; accounturi=$ACCT"
	ZONE
	run dp "${V[@]}" --zone "$zone" example.org
	status_is 1
	has "CAA: method-excluded"
	run dp "${V[@]}" --zone "$zone" a.example.org
	status_is 1
	has "CAA: account-mismatch"
}

@test "-02 hashed accounturi is accepted with --thumbprint and --hash-prefix" {
	txt='ca.example; accounturi=https://ca.example/account-hash/sha-256/5SQm7n6tPh2-PlLbCKGnViTXX5z19SCN4cPGQHSk-kw'
	run dp verify example.com --issuer ca.example --account-uri https://ca.example/acct/123 --txt "$txt"
	status_is 1
	has "the record uses the -02 hashed form"
	run dp verify example.com --issuer ca.example --account-uri https://ca.example/acct/123 --txt "$txt" \
		--thumbprint NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs --hash-prefix https://ca.example/account-hash/
	status_is 0
}

@test "several records: any valid one wins, the others are explained" {
	run dp "${V[@]}" example.com --txt "sectigo.com; accounturi=x" --txt "letsencrypt.org; accounturi=$ACCT;" --txt "letsencrypt.org; accounturi=$ACCT"
	status_is 0
	has "[1]"
	has "[3]"
	has "ignored"
	has "malformed: empty parameter"
}

@test "hostile data is escaped in text output" {
	run dp "${V[@]}" example.com --txt $'letsencrypt.org; accounturi=\e[31mred\x01'
	status_is 1
	hasnt $'\e'
	has '\x1b[31mred\x01'
}

@test "usage errors exit 2" {
	run dp verify
	status_is 2
	run dp verify example.com --issuer letsencrypt.org
	status_is 2
	has "--account-uri are required"
	run dp verify example.com --issuer letsencrypt.org --account-uri u --txt x --zone zones
	status_is 2
	has "--txt or read them with --zone, not both"
	run dp verify example.com --issuer letsencrypt.org --account-uri u --txt x --server 127.0.0.1
	status_is 2
	has "--server and --authoritative are for live lookups"
	run dp verify example.com --issuer letsencrypt.org --account-uri u --server ::1@99999
	status_is 2
	has "port"
	run dp verify example.com --issuer letsencrypt.org --account-uri u --timeout 1.2345
	status_is 2
	run dp verify example.com --issuer 'bad issuer' --account-uri u --txt x
	status_is 2
	run dp verify 'a..b' --issuer letsencrypt.org --account-uri u --txt x
	status_is 2
	has "empty label"
	run dp "${V[@]}" example.com --txt x --profile lenient
	status_is 2
	run dp "${V[@]}" example.com --txt x --now yesterday
	status_is 2
	run dp "${V[@]}" example.com --txt x --format xml
	status_is 2
	run dp "${V[@]}" example.com --txt x --bogus
	status_is 2
	run dp "${V[@]}" example.com --txt x --thumbprint abc
	status_is 2
}

@test "input errors exit 2 with file:line:column" {
	zone=$BATS_TEST_TMPDIR/example.org.zone
	printf '@ CAA 0 issue "x"\nwww IN BOGUS 1\n' >"$zone"
	run dp "${V[@]}" --zone "$zone" example.org
	status_is 2
	has "example.org.zone:2:8: unknown record type 'BOGUS'"
	run dp "${V[@]}" --zone "$BATS_TEST_TMPDIR/missing.zone" example.org
	status_is 2
	has "missing.zone: cannot open"
	printf 'a CAA 0 issue "x"\n' >"$BATS_TEST_TMPDIR/zone.txt"
	run dp "${V[@]}" --zone "$BATS_TEST_TMPDIR/zone.txt" example.org
	status_is 2
	has "no origin"
	run dp "${V[@]}" --zone "$BATS_TEST_TMPDIR/zone.txt" --origin example.org example.org
	status_is 1
}

@test "zone: a CAA lookup follows a CNAME at the name, into another zone file" {
	cat >"$BATS_TEST_TMPDIR/example.org.zone" <<-ZONE
	a CNAME b.example.net.
	_validation-persist.a TXT "letsencrypt.org; accounturi=$ACCT"
	ZONE
	printf 'b CAA 0 issue "sectigo.com"\n' >"$BATS_TEST_TMPDIR/example.net.zone"
	run dp "${V[@]}" --zone "$BATS_TEST_TMPDIR/example.org.zone" --zone "$BATS_TEST_TMPDIR/example.net.zone" a.example.org
	status_is 1
	has "CAA: forbids: CAA at a.example.org (CNAME to b.example.net): no issue property names this CA"
	has "(CNAME to b.example.net)"
	run dp "${V[@]}" --zone "$BATS_TEST_TMPDIR/example.org.zone" a.example.org
	status_is 0
	has "CAA: no-caa"
}

@test "a CNAME loop on the CAA climb: verify says not issuable, scan and the plugin critical" {
	z="$BATS_TEST_TMPDIR/example.com.zone"
	inv="$BATS_TEST_TMPDIR/inv.yaml"
	printf '%s\n' '$ORIGIN example.com.' '$TTL 300' '@ SOA ns h 1 2 3 4 5' \
		'@ CAA 0 issue "letsencrypt.org"' \
		'_validation-persist.c TXT "letsencrypt.org; accounturi=https://le/acct/1"' \
		'c CNAME d' 'd CNAME e' 'e CNAME c' \
		'_validation-persist.t CNAME _validation-persist.u' \
		'_validation-persist.u CNAME _validation-persist.t' >"$z"
	printf '%s\n' 'version: 1' 'cas: {le: {issuer: letsencrypt.org}}' \
		'accounts: {p: {ca: le, uri: "https://le/acct/1"}}' 'domains:' \
		'  - {name: c.example.com, authorize: [{account: p}]}' >"$inv"
	run dp verify c.example.com --issuer letsencrypt.org --account-uri https://le/acct/1 \
		--zone "$z" --now "$NOW"
	status_is 1
	has "the CAA lookup at c.example.com fails"
	run dp scan --inventory "$inv" --zone "$z" --now "$NOW"
	status_is 1
	has "critical cname-loop: the CAA lookup at c.example.com fails"
	run "$DP_BUILDDIR/check_dnspersist" --inventory "$inv" --zone "$z" -H c.example.com \
		--now "$NOW"
	status_is 2
	# a record CNAME that loops: lint says so
	run dp lint "$z" --now "$NOW"
	status_is 1
	has "cname-loop: _validation-persist.t.example.com is a CNAME chain that loops"
}
