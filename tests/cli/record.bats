#!/usr/bin/env bats
# SPDX-License-Identifier: BSD-3-Clause
# dnspersist record: values, zone lines, -02 hashing, input checks, round trip.

bats_require_minimum_version 1.5.0
load helper

@test "zone line round trip: record then verify the wildcard" {
	run dp record --issuer letsencrypt.org --account-uri "$ACCT" --name example.com --wildcard --persist-until +365d --format zone
	status_is 0
	has "_validation-persist.example.com. 3600 IN TXT \"letsencrypt.org; accounturi=$ACCT; policy=wildcard; persistUntil="
	has "; Authorizes ACME account"
	has "every name below example.com"
	zone=$BATS_TEST_TMPDIR/rt.zone
	{ echo '$ORIGIN example.com.'; echo "$output"; } >"$zone"
	run dp verify '*.example.com' --issuer letsencrypt.org --account-uri "$ACCT" --zone "$zone"
	status_is 0
	run dp verify 'example.com' --issuer letsencrypt.org --account-uri "$ACCT" --zone "$zone"
	status_is 0
}

@test "value format prints only the value; the explanation goes to stderr" {
	run --separate-stderr dp record --issuer letsencrypt.org --account-uri "$ACCT" --format value
	status_is 0
	[ "$output" = "letsencrypt.org; accounturi=$ACCT" ]
	[[ "$stderr" == *"Authorizes ACME account"* ]]
}

@test "without --name the default format is value" {
	run dp record --issuer letsencrypt.org --account-uri "$ACCT" --persist-until 2030-01-01 --now "$NOW"
	status_is 0
	has "letsencrypt.org; accounturi=$ACCT; persistUntil=1893456000"
	has "No new validation after 2030-01-01T00:00:00Z"
}

@test "a wildcard --name publishes at the base name with policy=wildcard" {
	run dp record --issuer letsencrypt.org --account-uri "$ACCT" --name '*.Example.COM.'
	status_is 0
	has "_validation-persist.example.com. 3600 IN TXT"
	has "policy=wildcard"
}

@test "json format" {
	run dp record --issuer letsencrypt.org --account-uri "$ACCT" --name example.com --format json --ttl 300
	status_is 0
	has '"owner": "_validation-persist.example.com"'
	has "\"value\": \"letsencrypt.org; accounturi=$ACCT\""
	has '"policy": null'
}

@test "-02 test vectors from the spec" {
	args=(--hashed --issuer ca.example --account-uri https://ca.example/acct/123 --hash-prefix https://ca.example/account-hash/ --thumbprint NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs --format value)
	run dp record "${args[@]}" --name example.com
	status_is 0
	has "ca.example; accounturi=https://ca.example/account-hash/sha-256/5SQm7n6tPh2-PlLbCKGnViTXX5z19SCN4cPGQHSk-kw"
	run dp record "${args[@]}" --any-domain
	status_is 0
	has "ca.example; accounturi=https://ca.example/account-hash/sha-256/NpDnSwUthQK8zCgFdefYxAdAVPnygMLbs9US6oO-5ug"
}

@test "long values are split into 255-octet strings" {
	long="https://ca.example/acct/$(printf 'x%.0s' {1..300})"
	run dp record --issuer ca.example --account-uri "$long" --name example.com
	status_is 0
	has '" "'
	zone=$BATS_TEST_TMPDIR/example.com.zone
	echo "$output" >"$zone"
	run dp verify example.com --issuer ca.example --account-uri "$long" --zone "$zone"
	status_is 0
}

@test "input checks" {
	run dp record --issuer LetsEncrypt.org --account-uri "$ACCT"
	status_is 2
	has "lower case"
	run dp record --issuer letsencrypt.org. --account-uri "$ACCT"
	status_is 2
	run dp record --issuer letsencrypt.org --account-uri 'not a uri'
	status_is 2
	run dp record --issuer letsencrypt.org --account-uri 'https://x/a;b'
	status_is 2
	run dp record --issuer letsencrypt.org --account-uri http://ca.example/acct/1
	status_is 0
	has "not an https:// URL"
	run dp record --issuer letsencrypt.org --account-uri "$ACCT" --persist-until 2020-01-01
	status_is 2
	has "in the past"
	run dp record --issuer letsencrypt.org --account-uri "$ACCT" --persist-until 2020-01-01 --allow-past
	status_is 0
	run dp record --issuer letsencrypt.org --account-uri "$ACCT" --format zone
	status_is 2
	has "needs --name"
	run dp record --issuer letsencrypt.org --account-uri "$ACCT" --hashed --name example.com
	status_is 2
	run dp record --issuer letsencrypt.org --account-uri "$ACCT" --hashed --hash-prefix https://x/ --thumbprint short --name example.com
	status_is 2
	run dp record --issuer letsencrypt.org
	status_is 2
	has "--account-uri is required"
	run dp record --account-uri "$ACCT"
	status_is 2
	run dp record --issuer letsencrypt.org --account-uri "$ACCT" --ttl -1
	status_is 2
	run dp record --issuer letsencrypt.org --account-uri "$ACCT" stray
	status_is 2
}

@test "top level: help, version, unknown command" {
	run dp --help
	status_is 0
	# every command of the dispatch table, the main job first
	for cmd in scan lint merge diff inventory verify record; do
		[[ "$output" == *"  $cmd "* ]] || { echo "--help lacks $cmd"; echo "$output"; return 1; }
	done
	has "verify     NAME"
	has "inventory  init ZONES"
	run dp --version
	status_is 0
	has "dnspersist 0."
	run dp frobnicate
	status_is 2
	run dp
	status_is 2
}
