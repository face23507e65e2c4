#!/usr/bin/env bats
# SPDX-License-Identifier: BSD-3-Clause
# dnspersist scan: the example organisation, exit statuses, input errors.

bats_require_minimum_version 1.5.0
load helper

setup() {
	cd "$DP_SRCDIR"
	INV=zones/example.inventory.yaml
}

@test "golden text report for the example organisation" {
	run --separate-stderr dp scan --inventory "$INV" --zone zones/ --now 2026-11-24 --color never
	status_is 1
	diff -u tests/data/golden/scan.txt <(printf '%s\n' "$output")
}

@test "golden JSON report for the example organisation" {
	run --separate-stderr dp scan --inventory "$INV" --zone zones/ --now 2026-11-24 --format json
	status_is 1
	diff -u tests/data/golden/scan.json <(printf '%s\n' "$output")
}

@test "json follows the format-2 contract (finding keys)" {
	command -v python3 >/dev/null || skip "python3 not installed"
	run --separate-stderr dp scan --inventory "$INV" --zone zones/ --now 2026-11-24 --format json
	echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["format"] == 2 and d["tool"]["name"] == "dnspersist" and d["mode"] == "zone"
assert d["status"] == "critical" and d["counts"]["critical"] == 5
ids = {f["id"] for f in d["findings"]}
assert {"authorization-unexpected", "account-unexpected", "record-missing",
        "persist-until-expired", "wildcard-unneeded", "record-divergent"} <= ids, ids
for f in d["findings"]:
    assert f["severity"] in ("critical", "warning", "notice") and f["name"] and f["message"]
    assert len(f["key"]) == 16 and all(c in "0123456789abcdef" for c in f["key"]), f
assert len({f["key"] for f in d["findings"]}) == len(d["findings"]), "keys are unique"
n = {x["name"]: x for x in d["names"]}
assert n["example.com"]["authorizations"][0]["covers"] == ["example.com", "*.example.com"]
assert n["shop.example.com"]["records"][1]["source"] == {"file": "zones/example.com.zone", "line": 42}
'
}

@test "a record for an unknown account makes scan exit 1 naming the file and line" {
	cp zones/example.com.zone zones/example.net.zone "$BATS_TEST_TMPDIR/"
	# first a clean baseline for api.example.com only
	cat >"$BATS_TEST_TMPDIR/inv.yaml" <<-YAML
	version: 1
	cas: {letsencrypt: {issuer: letsencrypt.org}}
	accounts: {le-prod: {ca: letsencrypt, uri: "$ACCT"}}
	domains:
	  - {name: api.example.com, authorize: [{account: le-prod}]}
	YAML
	run dp scan --inventory "$BATS_TEST_TMPDIR/inv.yaml" --zone "$BATS_TEST_TMPDIR/example.com.zone" --now 2026-11-24
	status_is 0
	echo '_validation-persist.api IN TXT "letsencrypt.org; accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/666"' >>"$BATS_TEST_TMPDIR/example.com.zone"
	line=$(wc -l <"$BATS_TEST_TMPDIR/example.com.zone")
	run dp scan --inventory "$BATS_TEST_TMPDIR/inv.yaml" --zone "$BATS_TEST_TMPDIR/example.com.zone" --now 2026-11-24
	status_is 1
	has "account-unexpected"
	has "acct/666 is not an account of the inventory [$BATS_TEST_TMPDIR/example.com.zone:$line]"
}

@test "--fail-on decides the exit status from the same report" {
	cat >"$BATS_TEST_TMPDIR/inv.yaml" <<-YAML
	version: 1
	cas: {letsencrypt: {issuer: letsencrypt.org}}
	accounts: {le-prod: {ca: letsencrypt, uri: "$ACCT"}}
	domains:
	  - {name: cdn.example.com, authorize: [{account: le-prod}]}
	YAML
	run dp scan --inventory "$BATS_TEST_TMPDIR/inv.yaml" --zone zones --now 2026-11-24
	status_is 0
	has "warning: 1 name"
	run dp scan --inventory "$BATS_TEST_TMPDIR/inv.yaml" --zone zones --now 2026-11-24 --fail-on warning
	status_is 1
	run dp scan --inventory "$BATS_TEST_TMPDIR/inv.yaml" --zone zones --now 2026-11-24 --fail-on bogus
	status_is 2
}

@test "rules: the strict set adds findings; a bad pattern is an input error with its column" {
	run dp scan --inventory "$INV" --zone zones --now 2026-11-24 --rules rules/strict.yaml --format json
	status_is 1
	has '"caa-account-unbound"'
	has '"account-uri-pattern"'
	printf 'version: 1\naccounts: {allow_uri: ["a(b"]}\n' >"$BATS_TEST_TMPDIR/bad.yaml"
	run dp scan --inventory "$INV" --zone zones --rules "$BATS_TEST_TMPDIR/bad.yaml"
	status_is 2
	has "bad.yaml:2:28: pattern 'a(b': missing closing parenthesis"
}

@test "a malformed inventory exits 2 with file:line:column and writes no report" {
	printf 'version: 1\ndomains:\n  - name: example.com\n    authorise: []\n' >"$BATS_TEST_TMPDIR/inv.yaml"
	run --separate-stderr dp scan --inventory "$BATS_TEST_TMPDIR/inv.yaml" --zone zones
	status_is 2
	[ -z "$output" ]
	[[ "$stderr" == *"inv.yaml:4:5: a domain: unknown key 'authorise' (did you mean 'authorize'?)"* ]]
}

@test "a broken zone exits 2 with file:line:column, never a clean-looking report" {
	printf '$ORIGIN example.com.\n_validation-persist TXT "unterminated\n' >"$BATS_TEST_TMPDIR/example.com.zone"
	run --separate-stderr dp scan --inventory "$INV" --zone "$BATS_TEST_TMPDIR/example.com.zone"
	status_is 2
	[ -z "$output" ]
	[[ "$stderr" == *"example.com.zone:2:25: quoted string runs to the end of the line"* ]]
}

@test "colour only when asked or on a terminal; NO_COLOR wins over auto" {
	run dp scan --inventory "$INV" --zone zones --now 2026-11-24 --color always
	has $'\e[1;31m'
	run dp scan --inventory "$INV" --zone zones --now 2026-11-24
	hasnt $'\e['
	if command -v script >/dev/null; then
		run env NO_COLOR=1 script -qec "$DP_BUILDDIR/dnspersist scan --inventory $INV --zone zones --now 2026-11-24" /dev/null
		hasnt $'\e[1;31m'
		run script -qec "$DP_BUILDDIR/dnspersist scan --inventory $INV --zone zones --now 2026-11-24" /dev/null
		has $'\e[1;31m'
	fi
}

@test "usage errors exit 2" {
	run dp scan --zone zones
	status_is 2
	has "--inventory is required"
	run dp scan --inventory "$INV" --zone zones --server 127.0.0.1
	status_is 2
	has "--server and --authoritative are for live scans"
	run dp scan --inventory "$INV" --server 300.1.1.1
	status_is 2
	has "not an IPv4 or IPv6 address"
	run dp scan --inventory "$INV" --server 127.0.0.1@0
	status_is 2
	run dp scan --inventory "$INV" --server 127.0.0.1 --timeout 0
	status_is 2
	has "--timeout"
	run dp scan --inventory "$INV" --server 127.0.0.1 --concurrency 0
	status_is 2
	run dp scan --inventory "$INV" --server 127.0.0.1 --retries x
	status_is 2
	run dp scan --inventory "$INV" --origin example.com
	status_is 2
	run dp scan --inventory "$INV" --zone zones --format xml
	status_is 2
	run dp scan --inventory "$INV" --zone zones --color sometimes
	status_is 2
	run dp scan --inventory "$INV" --zone zones stray
	status_is 2
	run dp scan --inventory /nonexistent.yaml --zone zones
	status_is 2
	has "cannot open"
}

@test "a record reached through a CNAME to a short owner is reported with its via" {
	cat >"$BATS_TEST_TMPDIR/example.org.zone" <<-ZONE
	_validation-persist.a CNAME t.x.
	ZONE
	printf 't TXT "letsencrypt.org; accounturi=%s"\n' "$ACCT" >"$BATS_TEST_TMPDIR/x.zone"
	cat >"$BATS_TEST_TMPDIR/inv.yaml" <<-YAML
	version: 1
	cas: {letsencrypt: {issuer: letsencrypt.org}}
	accounts: {le-prod: {ca: letsencrypt, uri: "$ACCT"}}
	domains:
	  - {name: a.example.org, authorize: [{account: le-prod}]}
	YAML
	run dp scan --inventory "$BATS_TEST_TMPDIR/inv.yaml" --zone "$BATS_TEST_TMPDIR/example.org.zone" --zone "$BATS_TEST_TMPDIR/x.zone" --now 2026-11-24
	status_is 0
	has "for a.example.org via t.x;"
}

@test "a bad --color value is named as --color, with the known values" {
	run --separate-stderr dp scan --inventory "$INV" --zone zones/ --color sometimes
	status_is 2
	[[ "$stderr" == *"--color: unknown value 'sometimes'; known: auto, always, never"* ]] ||
		{ echo "$stderr"; false; }
}

@test "Unicode names: read as A-labels, shown in both forms; -H and verify take them too" {
	d="$BATS_TEST_TMPDIR/idn"
	mkdir -p "$d"
	printf '%s\n' '$ORIGIN xn--mnchen-3ya.example.' '$TTL 300' '@ SOA ns h 1 2 3 4 5' \
		'_validation-persist.www TXT "letsencrypt.org; accounturi=https://le/acct/1"' \
		>"$d/xn--mnchen-3ya.example.zone"
	printf '%s\n' 'version: 1' 'cas: {le: {issuer: letsencrypt.org}}' \
		'accounts: {p: {ca: le, uri: "https://le/acct/1"}}' 'domains:' \
		'  - {name: WWW.MÜNCHEN.example, authorize: [{account: p}]}' >"$d/inv.yaml"
	run dp scan --inventory "$d/inv.yaml" --zone "$d" --now "$NOW" --color never
	status_is 0
	has "www.xn--mnchen-3ya.example = www.münchen.example (ok)"
	run dp scan --inventory "$d/inv.yaml" --zone "$d" --now "$NOW" --format json
	status_is 0
	has '"name":"www.xn--mnchen-3ya.example","name_unicode":"www.münchen.example"'
	run "$DP_BUILDDIR/check_dnspersist" --inventory "$d/inv.yaml" --zone "$d" \
		-H www.münchen.example --now "$NOW"
	status_is 0
	run dp verify www.münchen.example --issuer letsencrypt.org --account-uri https://le/acct/1 \
		--zone "$d/xn--mnchen-3ya.example.zone" --now "$NOW"
	status_is 0
	has "verify www.xn--mnchen-3ya.example = www.münchen.example"
	run --separate-stderr dp verify 'a☕.example' --issuer letsencrypt.org \
		--account-uri https://le/acct/1 --txt x
	status_is 2
	[[ "$stderr" == *"IDNA2008"* ]] || { echo "$stderr"; false; }
}

@test "input mistakes say what they are: an inventory directory, an ignore-everything pattern" {
	run --separate-stderr dp scan --inventory zones --zone zones/
	status_is 2
	[[ "$stderr" == *"zones: is a directory, not a YAML file"* ]] || { echo "$stderr"; false; }
	r="$BATS_TEST_TMPDIR/ignore.yaml"
	printf '%s\n' 'version: 1' 'names:' "  ignore: ['']" >"$r"
	run --separate-stderr dp scan --inventory "$INV" --zone zones/ --rules "$r"
	status_is 2
	[[ "$stderr" == *"ignore.yaml:3:12: ignore pattern '' matches every name"* ]] ||
		{ echo "$stderr"; false; }
}

@test "a CAA climb through two CNAMEs reads each record once (no false duplicate)" {
	d="$BATS_TEST_TMPDIR/chain"
	mkdir -p "$d"
	printf '%s\n' '$ORIGIN example.org.' '$TTL 300' '@ SOA ns h 1 2 3 4 5' \
		'_validation-persist.h CNAME _validation-persist.other' \
		'_validation-persist.other TXT "letsencrypt.org; accounturi=https://le/acct/1"' \
		'h CNAME m' 'm CNAME n' 'n CAA 0 issue "letsencrypt.org"' >"$d/example.org.zone"
	printf '%s\n' 'version: 1' 'cas: {le: {issuer: letsencrypt.org}}' \
		'accounts: {p: {ca: le, uri: "https://le/acct/1"}}' 'domains:' \
		'  - {name: h.example.org, authorize: [{account: p}]}' >"$d/inv.yaml"
	run dp scan --inventory "$d/inv.yaml" --zone "$d" --now "$NOW" --color never
	status_is 0
	hasnt "record-duplicate"
	has "CAA permits"
	[ "$(grep -c '    record ' <<<"$output")" -eq 1 ]
}
