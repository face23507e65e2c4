#!/usr/bin/env bats
# SPDX-License-Identifier: BSD-3-Clause
# check_dnspersist: every state, every option, the plugin conventions
# (shared/design/NAGIOS.md), the timeout, and hostile DNS data.

bats_require_minimum_version 1.5.0
load helper

INV="$ZONES/example.inventory.yaml"
Z=(--zone "$ZONES/example.com.zone" --zone "$ZONES/example.net.zone" --now "$NOW")
LE=https://acme-v02.api.letsencrypt.org/acme/acct/1234567890

plugin() {
	if [ -n "${DP_VALGRIND:-}" ]; then
		"$DP_VALGRIND" -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
			--error-exitcode=99 "$DP_BUILDDIR/check_dnspersist" "$@"
	else
		"$DP_BUILDDIR/check_dnspersist" "$@"
	fi
}

# The conventions every output keeps: a status line, perfdata after the only '|'.
well_formed() {
	local first=${output%%$'\n'*}
	[[ $first == "DNSPERSIST $1 - "* ]] || { echo "first line: $first"; return 1; }
	[ "$(tr -cd '|' <<<"$output" | wc -c)" -le 1 ] || { echo "more than one |"; return 1; }
	[ -z "$(tr -d '\n' <<<"$output" | tr -d '[:print:]')" ] || { echo "control characters"; return 1; }
	[ "${#output}" -lt 8192 ]
}

perfdata_ok() {
	local perf=${output%%$'\n'*}
	perf=${perf#*| }
	[[ $perf =~ ^records=[0-9]+\;\;\;0\ findings_critical=[0-9]+\;\;\;0\ findings_warning=[0-9]+\;\;\;0\ persist_days_min=(-?[0-9]+|U)\;[^\;]*\;[^\;]*\;\;\ time=[0-9.]+s\;\;\;0$ ]] ||
		{ echo "perfdata: $perf"; return 1; }
}

@test "OK: a name whose authorization is as expected" {
	run plugin -H example.com --inventory "$INV" "${Z[@]}"
	status_is 0
	well_formed OK
	perfdata_ok
	has "DNSPERSIST OK - 1 name, 1 record | records=1;;;0 findings_critical=0;;;0"
	has "persist_days_min=U;30:;7:;;"
}

@test "WARNING: a finding of warning severity" {
	run plugin -H edge.example.com --inventory "$INV" "${Z[@]}"
	status_is 1
	well_formed WARNING
	perfdata_ok
	has "DNSPERSIST WARNING - record-divergent at edge.example.com |"
	has "WARNING: record-divergent at edge.example.com: CA implementations disagree"
}

@test "CRITICAL: the whole inventory, worst first, with every finding in the long output" {
	run plugin --inventory "$INV" "${Z[@]}"
	status_is 2
	well_formed CRITICAL
	perfdata_ok
	has "DNSPERSIST CRITICAL - authorization-unexpected at legacy.example.com (+4 more) |"
	has "findings_critical=5;;;0 findings_warning=4;;;0 persist_days_min=-692;30:;7:;;"
	[ "$(sed -n 2p <<<"$output")" = "CRITICAL: authorization-unexpected at legacy.example.com: the inventory expects no authorization at legacy.example.com, yet letsencrypt.org account $LE can issue for it" ]
	[ "$(grep -c '^CRITICAL: ' <<<"$output")" -eq 6 ]
	[ "$(grep -c '^WARNING: ' <<<"$output")" -eq 4 ]
}

@test "-w and -c on days until the earliest persistUntil" {
	# api.example.com: persistUntil 2960 days away
	run plugin -H api.example.com --inventory "$INV" "${Z[@]}" -w 3000: -c 100:
	status_is 1
	has "persist_days_min=2960;3000:;100:;;"
	has "WARNING: earliest persistUntil at api.example.com in 2960 days (-w 3000:, -c 100:)"
	run plugin -H api.example.com --inventory "$INV" "${Z[@]}" -w 3000: -c 2961:
	status_is 2
	has "DNSPERSIST CRITICAL - persistUntil at api.example.com in 2960 days |"
	run plugin -H api.example.com --inventory "$INV" "${Z[@]}" -w @2900:3000 -c '~:1'
	status_is 2 # inside @2900:3000 warns, above 1 is critical
	run plugin -H api.example.com --inventory "$INV" "${Z[@]}" -w @2900:3000 -c '~:5000'
	status_is 1
	has "WARNING: earliest persistUntil at api.example.com in 2960 days (-w @2900:3000, -c ~:5000)"
	run plugin -H api.example.com --inventory "$INV" "${Z[@]}" -w 10 -c '~:5000'
	status_is 1 # outside 0..10 warns; persist-until-too-far is a warning too
}

@test "without an inventory: exactly the authorization given, and nothing else" {
	run plugin -H example.com --issuer letsencrypt.org --account-uri "$LE" --wildcard "${Z[@]}"
	status_is 0
	well_formed OK
	run plugin -H example.com --issuer letsencrypt.org --account-uri "$LE" "${Z[@]}"
	status_is 1
	has "wildcard-unneeded at example.com"
	run plugin -H shop.example.com --issuer sectigo.com \
		--account-uri https://acme.sectigo.com/v2/DV/acct/Zq4Yx "${Z[@]}"
	status_is 2
	has "issuer-unexpected at shop.example.com"
	run plugin -H www.example.com --issuer letsencrypt.org --account-uri "$LE" "${Z[@]}"
	status_is 2
	has "DNSPERSIST CRITICAL - record-missing at www.example.com |"
}

@test "--rules and --dnssec-required" {
	run plugin -H api.example.com --inventory "$INV" "${Z[@]}" --rules "$DP_SRCDIR/rules/strict.yaml"
	well_formed "$(sed -n '1s/DNSPERSIST \([A-Z]*\) .*/\1/p' <<<"$output")"
	run plugin -H api.example.com --inventory "$INV" "${Z[@]}" --dnssec-required
	status_is 1 # zone files carry no DNSSEC status: nothing more to say
}

@test "-v lists the records, -vv the authorizations too" {
	run plugin -H example.com --inventory "$INV" "${Z[@]}" -v
	status_is 0
	has 'record _validation-persist.example.com: letsencrypt.org; accounturi='
	hasnt "authorized at"
	run plugin -H example.com --inventory "$INV" "${Z[@]}" -vv
	has "authorized at example.com: letsencrypt.org account $LE with wildcard"
}

@test "help, version and usage errors exit 3 (UNKNOWN), on stdout" {
	run plugin -h
	status_is 3
	has "Usage: check_dnspersist -H NAME --inventory F"
	run plugin --version
	status_is 3
	has "check_dnspersist "
	for bad in "-x" "--inventory" "-H example.com" "--inventory $INV --issuer x" \
		"--inventory $INV -t 0" "--inventory $INV -t x" "--inventory $INV -w 10:5" \
		"--inventory $INV -c abc" "--inventory $INV --timeout-state maybe" \
		"--inventory $INV --now yesterday" "-H a..b --inventory $INV" \
		"--inventory $INV --zone x --server 127.0.0.1" "--inventory /nonexistent.yaml" \
		"-H nothere.example.com --inventory $INV ${Z[*]}" "--inventory $INV stray"; do
		# shellcheck disable=SC2086
		run plugin $bad
		[ "$status" -eq 3 ] || { echo "'$bad' exited $status: $output"; return 1; }
		[[ $output == "DNSPERSIST UNKNOWN - "* ]] || { echo "'$bad': $output"; return 1; }
		[ "$(wc -l <<<"$output")" -eq 1 ]
	done
}

@test "a server that never answers: the timeout state within -t" {
	local port t0 t1
	for port in $(seq 40000 40100); do
		[ -z "$(ss -Hlnu "sport = :$port" 2>/dev/null)" ] && break
	done
	# timed without valgrind, whose start-up alone takes half a second
	t0=$(date +%s%N)
	run "$DP_BUILDDIR/check_dnspersist" -H example.com --inventory "$INV" \
		--server "127.0.0.1@$port" -t 1
	t1=$(date +%s%N)
	status_is 3
	[ "$output" = "DNSPERSIST UNKNOWN - timed out after 1 seconds" ]
	[ $(((t1 - t0) / 1000000)) -lt 1500 ] || { echo "took $(((t1 - t0) / 1000000)) ms"; false; }
	run plugin -H example.com --inventory "$INV" --server "127.0.0.1@$port" -t 1 \
		--timeout-state critical
	status_is 2
	[ "$output" = "DNSPERSIST CRITICAL - timed out after 1 seconds" ]
}

@test "hostile TXT and CAA data cannot change the state, the first line or the perfdata" {
	# '|', newline, '=', quotes, a terminal escape and a bell in a TXT and a CAA value
	sed 's/%V%/|b=c\\010\\"q\\"\\027[31m\\007/' "$DATA/plugin/example.org.zone" \
		>"$BATS_TEST_TMPDIR/hostile.zone"
	grep -q '|b=c' "$BATS_TEST_TMPDIR/hostile.zone"
	# what the audit itself says about the data
	run dp scan --inventory "$DATA/plugin/example.org.inventory.yaml" \
		--zone "$BATS_TEST_TMPDIR/hostile.zone" --now "$NOW" --color never
	status_is 1
	has "critical: 1 name, 1 record, 3 critical, 0 warning, 0 notice"
	# the inventory where its path sorts before and after the zone's: the
	# headline must not depend on where the files live
	local dir
	for dir in a z; do
		mkdir "$BATS_TEST_TMPDIR/$dir"
		cp "$DATA/plugin/example.org.inventory.yaml" "$BATS_TEST_TMPDIR/$dir/"
		run plugin --inventory "$BATS_TEST_TMPDIR/$dir/example.org.inventory.yaml" \
			--zone "$BATS_TEST_TMPDIR/hostile.zone" --now "$NOW" -vv
		status_is 2
		well_formed CRITICAL
		perfdata_ok
		[[ ${output%%$'\n'*} == "DNSPERSIST CRITICAL - record-malformed at h.example.org (+2 more) | records=1;;;0 findings_critical=3;;;0 findings_warning=0;;;0 persist_days_min=U;30:;7:;; time="* ]]
		# the value is there, defused: '|' as '/', control characters escaped
		has 'x=/b=c\x0a"q"\x1b[31m\x07'
	done
}
