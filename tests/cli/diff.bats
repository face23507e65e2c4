#!/usr/bin/env bats
# SPDX-License-Identifier: BSD-3-Clause
# dnspersist diff OLD NEW: what a change to zone files does to who can issue,
# on a git repository the test builds with one commit per kind of change.

bats_require_minimum_version 1.5.0
load helper

A=https://acme.test/acct/1
B=https://acme.test/acct/2

# A repository in the current directory: base, then one commit (and tag) per change.
make_history() {
	git init -q .
	git config user.email test@example.test
	git config user.name test
	git config commit.gpgsign false
	printf '%s\n' '$ORIGIN example.com.' '$TTL 3600' \
		'@ IN SOA ns1 hostmaster 1 7200 3600 1209600 3600' '@ IN NS ns1' \
		'@ IN CAA 0 issue "letsencrypt.org"' \
		"_validation-persist.www IN TXT \"letsencrypt.org; accounturi=$A\"" >example.com.zone
	git add example.com.zone
	git commit -qm base && git tag base
	echo "_validation-persist.shop IN TXT \"letsencrypt.org; accounturi=$B; persistUntil=1900000000\"" >>example.com.zone
	git commit -qam grant && git tag grant
	sed -i 's/persistUntil=1900000000"/persistUntil=1900000000; policy=wildcard"/' example.com.zone
	git commit -qam widen && git tag widen
	sed -i '/_validation-persist.www/d' example.com.zone
	git commit -qam revoke && git tag revoke
	sed -i 's/^@ IN CAA 0 issue "letsencrypt.org"$/&\n@ IN CAA 0 issuewild ";"/' example.com.zone
	git commit -qam caa && git tag caa
	echo "_validation-persist.api IN TXT \"letsencrypt.org; accounturi=$A;\"" >>example.com.zone
	git commit -qam malformed && git tag malformed
}

setup() {
	command -v git >/dev/null || skip "git is not installed"
	cd "$BATS_TEST_TMPDIR"
	make_history
}

# diff between two tags, compared line by line with the expected output on stdin
diff_is() {
	run --separate-stderr dp diff "git:$1" "git:$2" --now 2026-11-30 "${@:4}"
	status_is "$3"
	diff -u - <(printf '%s\n' "$output")
}

@test "a grant names the CA, account, names, end and the record's file:line" {
	diff_is base grant 0 <<EOF
+ grant letsencrypt.org account $B for shop.example.com: shop.example.com, until 2030-03-17T17:46:40Z; CAA lets it (permits) (./example.com.zone:7)
diff git:base -> git:grant: 1 grant, 0 changes, 0 revokes (1 widens who can issue); 0 findings introduced, 0 resolved
EOF
}

@test "policy=wildcard widens to the wildcard and below; --fail-on-grant fails on it" {
	diff_is grant widen 0 <<EOF
~ change letsencrypt.org account $B for shop.example.com: now also *.shop.example.com, every name below (./example.com.zone:7)
diff git:grant -> git:widen: 0 grants, 1 change, 0 revokes (1 widens who can issue); 0 findings introduced, 0 resolved
EOF
	run dp diff git:grant git:widen --now 2026-11-30 --fail-on-grant
	status_is 1
	has "now also *.shop.example.com"
	# a revocation widens nothing
	run dp diff git:widen git:revoke --now 2026-11-30 --fail-on-grant
	status_is 0
}

@test "a removed record is a revoke pointing where it was" {
	diff_is widen revoke 0 <<EOF
- revoke letsencrypt.org account $A for www.example.com: no longer www.example.com (was ./example.com.zone:6)
diff git:widen -> git:revoke: 0 grants, 0 changes, 1 revoke (0 widen who can issue); 0 findings introduced, 0 resolved
EOF
}

@test "CAA issuewild tightening takes the wildcard away, with the CAA line" {
	diff_is revoke caa 1 <<EOF
~ change letsencrypt.org account $B for shop.example.com: now CAA lets it (permits), stops *.shop.example.com (forbids); was CAA lets it (permits) (./example.com.zone:7; CAA at ./example.com.zone:6)
i caa example.com: now issue "letsencrypt.org", issuewild ";"; was issue "letsencrypt.org" (./example.com.zone:5)
+ finding critical caa-forbids-issuer shop.example.com: for the wildcard, letsencrypt.org account $B cannot issue: CAA at example.com: no issuewild property names this CA (an empty issuer forbids every CA) (./example.com.zone:7)
diff git:revoke -> git:caa: 0 grants, 1 change, 0 revokes (0 widen who can issue); 1 CAA set changed (informational); 1 finding introduced, 0 resolved
EOF
}

@test "a malformed record is a new finding and no grant; reversed it is resolved" {
	diff_is caa malformed 1 <<EOF
+ finding critical record-malformed api.example.com: malformed under the draft: empty parameter or ';' after the last parameter (./example.com.zone:8)
diff git:caa -> git:malformed: no change in who can issue; 1 finding introduced, 0 resolved
EOF
	diff_is malformed caa 0 <<EOF
- finding critical record-malformed api.example.com: malformed under the draft: empty parameter or ';' after the last parameter (was ./example.com.zone:8) resolved
diff git:malformed -> git:caa: no change in who can issue; 0 findings introduced, 1 resolved
EOF
}

@test "--fail-on: a new finding below the threshold passes" {
	printf 'version: 1\nseverity:\n  record-malformed: notice\n' >rules.yaml
	run dp diff git:caa git:malformed --now 2026-11-30 --rules rules.yaml
	status_is 0
	has "+ finding notice record-malformed"
	run dp diff git:caa git:malformed --now 2026-11-30 --rules rules.yaml --fail-on notice
	status_is 1
}

@test "the work tree against HEAD: git:HEAD~1 . and a file against a revision's file" {
	echo "_validation-persist.new IN TXT \"letsencrypt.org; accounturi=$A\"" >>example.com.zone
	run --separate-stderr dp diff git:HEAD . --now 2026-11-30
	status_is 0
	[ "${lines[0]}" = "+ grant letsencrypt.org account $A for new.example.com: new.example.com, until removed; CAA lets it (permits) (./example.com.zone:9)" ]
	run --separate-stderr dp diff git:HEAD~1:example.com.zone example.com.zone --now 2026-11-30 --fail-on-grant
	status_is 1
	has "+ finding critical record-malformed api.example.com"
	has "+ grant letsencrypt.org account $A for new.example.com: new.example.com, until removed; CAA lets it (permits) (example.com.zone:9)"
	# nothing changed: nothing to say
	git checkout -q example.com.zone
	run dp diff git:HEAD . --now 2026-11-30 --fail-on-grant
	status_is 0
	[ "$output" = "diff git:HEAD -> .: no change in who can issue; 0 findings introduced, 0 resolved" ]
}

@test "a subdirectory of zones, from the repository root and from inside it" {
	mkdir zones
	git mv example.com.zone zones/
	git commit -qm move
	echo "_validation-persist.z IN TXT \"letsencrypt.org; accounturi=$A\"" >>zones/example.com.zone
	run --separate-stderr dp diff git:HEAD:zones zones --now 2026-11-30
	status_is 0
	has "+ grant letsencrypt.org account $A for z.example.com: z.example.com, until removed; CAA lets it (permits) (zones/example.com.zone:9)"
	cd zones
	run --separate-stderr dp diff git:HEAD . --now 2026-11-30
	status_is 0
	has "(./example.com.zone:9)"
}

@test "JSON and Markdown carry the same changes" {
	run --separate-stderr dp diff git:grant git:widen --now 2026-11-30 --format json
	status_is 0
	python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["mode"] == "diff" and d["counts"]["change"] == 1 and d["counts"]["widens"] == 1, d
a = d["changes"]["authorizations"][0]
assert a["change"] == "change" and a["widens"] and a["name"] == "shop.example.com", a
assert a["gained"] == ["*.shop.example.com", "*.shop.example.com (every name below)"], a
assert a["after"]["source"] == {"file": "./example.com.zone", "line": 7}, a
assert a["before"]["until"] == a["after"]["until"] == 1900000000, a
' <<<"$output"
	run --separate-stderr dp diff git:revoke git:malformed --now 2026-11-30 --format json
	status_is 1
	python3 -c '
import json, sys
new = json.load(sys.stdin)["changes"]["findings"]["new"]
assert len(new) == 2 and all(len(f["key"]) == 16 for f in new), new
assert {f["id"] for f in new} == {"caa-forbids-issuer", "record-malformed"}, new
' <<<"$output"
	run --separate-stderr dp diff git:grant git:widen --now 2026-11-30 --format markdown
	status_is 0
	has "| \\~ change (widens) | letsencrypt\\.org | https\\://acme\\.test/acct/2 | shop\\.example\\.com | now also \\*\\.shop\\.example\\.com, every name below | \\./example\\.com\\.zone\\:7 |"
}

@test "hostile record contents cannot break a Markdown table or forge a line" {
	printf '_validation-persist.evil IN TXT "letsencrypt.org; accounturi=https://x/|<b/x=y>`*_[a](b)#"\n' >>example.com.zone
	printf '_validation-persist.evil2 IN TXT "letsencrypt.org; accounturi=a\\010\\013\\010|b"\n' >>example.com.zone
	run --separate-stderr dp diff git:HEAD . --now 2026-11-30 --format markdown
	status_is 1
	has '| \+ grant (widens) | letsencrypt\.org | https\://x/\|&lt;b/x=y&gt;\`\*\_\[a\]\(b\)\# | evil\.example\.com |'
	has 'a\\x0a\\x0d\\x0a\|b'
	[ "$(grep -c '^|' <<<"$output")" -eq 6 ]
	run --separate-stderr dp diff git:HEAD . --now 2026-11-30
	status_is 1
	[ "${#lines[@]}" -eq 3 ]
	has "'a\\x0a\\x0d\\x0a|b' (./example.com.zone:10)"
}

@test "hostile revisions are refused before git sees them, and git runs no shell" {
	for rev in -x --output=pwned "-c core.pager=touch pwned" "" $'HEAD\nx'; do
		run --separate-stderr dp diff "git:$rev" . --now 2026-11-30
		status_is 2
		[[ "$stderr" == *"is not a git revision"* ]] || { echo "$rev: $stderr"; return 1; }
	done
	for rev in 'HEAD;touch pwned' '$(touch pwned)' '`touch pwned`' 'HEAD|touch pwned' nosuchrev; do
		run --separate-stderr dp diff "git:$rev" . --now 2026-11-30
		status_is 2
		[[ "$stderr" == *"git failed"* ]] || { echo "$rev: $stderr"; return 1; }
	done
	run --separate-stderr dp diff git:HEAD:../../../etc/passwd . --now 2026-11-30
	status_is 2
	run --separate-stderr dp diff git:HEAD:nosuchfile . --now 2026-11-30
	status_is 2
	[[ "$stderr" == *"does not exist"* ]]
	[ ! -e pwned ]
}

@test "usage errors exit 2" {
	run dp diff git:HEAD
	status_is 2
	run dp diff a b c
	status_is 2
	run dp diff git:HEAD . --format nosuch
	status_is 2
	run dp diff git:HEAD . --fail-on nosuch
	status_is 2
	run --separate-stderr dp diff git:HEAD nosuchdir --now 2026-11-30
	status_is 2
}

@test "with --inventory: accounts by id, the CA's own wildcard scope, inventory findings" {
	cp "$ZONES/example.com.zone" "$ZONES/example.inventory.yaml" .
	git add example.com.zone example.inventory.yaml
	git commit -qm "the demo zone"
	sed -i 's|^\(_validation-persist.api IN TXT ( "letsencrypt.org; accounturi=[^;]*;\)"|\1 policy=wildcard;"|' example.com.zone
	run --separate-stderr dp diff git:HEAD . --inventory example.inventory.yaml --now "$NOW" --fail-on-grant
	status_is 1
	diff -u - <(printf '%s\n' "$output") <<OUT
~ change letsencrypt.org account $ACCT (le-prod) for api.example.com: now also *.api.example.com (./example.com.zone:32)
+ finding warning wildcard-unneeded api.example.com: policy=wildcard also authorizes *.api.example.com; the inventory does not expect it (./example.com.zone:32)
diff git:HEAD -> .: 0 grants, 1 change, 0 revokes (1 widens who can issue); 1 finding introduced, 0 resolved
OUT
	run dp diff git:HEAD . --inventory example.inventory.yaml --now "$NOW" --fail-on warning
	status_is 1
	run dp diff git:HEAD . --inventory example.inventory.yaml --now "$NOW"
	status_is 0
}

@test "octoDNS zone files: lint by extension, errors with file:line:column, diff in git" {
	mkdir zones
	cat >zones/example.org.yaml <<YAML
---
'':
  - type: CAA
    value: {flags: 0, tag: issue, value: letsencrypt.org}
_validation-persist.www:
  type: TXT
  value: letsencrypt.org\\; accounturi=$A
YAML
	run --separate-stderr dp lint zones/example.org.yaml --now 2026-11-30
	status_is 0
	has "OK: 1 name, 1 record"
	git add zones && git commit -qm octodns
	sed -i 's|accounturi=.*|&\\; policy=wildcard|' zones/example.org.yaml
	run --separate-stderr dp diff git:HEAD:zones/example.org.yaml zones/example.org.yaml --now 2026-11-30
	status_is 0
	[ "${lines[0]}" = "~ change letsencrypt.org account $A for www.example.org: now also *.www.example.org, every name below (zones/example.org.yaml:7)" ]
	# a directory's .yaml files are zones only when asked
	run --separate-stderr dp diff git:HEAD:zones zones --now 2026-11-30 --zone-format octodns
	status_is 0
	[ "${lines[0]}" = "~ change letsencrypt.org account $A for www.example.org: now also *.www.example.org, every name below (zones/example.org.yaml:7)" ]
	run --separate-stderr dp diff git:HEAD:zones zones --now 2026-11-30
	status_is 0
	[ "$output" = "diff git:HEAD:zones -> zones: no change in who can issue; 0 findings introduced, 0 resolved" ]
	# octoDNS refuses a bare ';' in TXT: so do we, with the position
	printf '_validation-persist.api:\n  type: TXT\n  value: letsencrypt.org; accounturi=%s\n' "$A" >>zones/example.org.yaml
	run --separate-stderr dp lint zones/example.org.yaml
	status_is 2
	[[ "$stderr" == *"zones/example.org.yaml:10:10: unescaped ';' in a TXT value (octoDNS wants \;)"* ]]
	run --separate-stderr dp lint --zone-format bind zones/example.org.yaml
	status_is 2
	run dp lint --zone-format nosuch zones/example.org.yaml
	status_is 2
}

@test "--baseline: a new finding the baseline has passes; one it lacks still fails" {
	# the backlog as the repository has it today, from lint's JSON report
	dp lint example.com.zone --now 2026-11-30 --format json >baseline.json || true
	grep -q '"id":"record-malformed"' baseline.json
	diff_is caa malformed 0 --baseline baseline.json <<EOF
+ finding critical record-malformed api.example.com: malformed under the draft: empty parameter or ';' after the last parameter (./example.com.zone:8) (in the baseline)
diff git:caa -> git:malformed: no change in who can issue; 1 finding introduced (1 in the baseline), 0 resolved
EOF
	# a baseline from before the malformed record: the CAA finding is old, the record's new
	git show caa:example.com.zone >caa.zone
	dp lint caa.zone --origin example.com. --now 2026-11-30 --format json >old.json || true
	run --separate-stderr dp diff git:revoke git:malformed --now 2026-11-30 --baseline old.json
	status_is 1
	has "+ finding critical caa-forbids-issuer shop.example.com: for the wildcard"
	has "(./example.com.zone:7) (in the baseline)"
	has "after the last parameter (./example.com.zone:8)"
	hasnt "parameter (./example.com.zone:8) (in the baseline)"
	has "2 findings introduced (1 in the baseline), 0 resolved"
}

@test "--baseline holds in every format; --fail-on-grant still fails on a grant" {
	dp lint example.com.zone --now 2026-11-30 --format json >baseline.json || true
	for f in text json markdown sarif github junit codequality; do
		run --separate-stderr dp diff git:caa git:malformed --now 2026-11-30 --format "$f"
		[ "$status" -eq 1 ] || { echo "$f without baseline: $status"; false; }
		run --separate-stderr dp diff git:caa git:malformed --now 2026-11-30 --format "$f" \
			--baseline baseline.json
		[ "$status" -eq 0 ] || { echo "$f with baseline: $status"; false; }
	done
	run --separate-stderr dp diff git:caa git:malformed --now 2026-11-30 --format json \
		--baseline baseline.json
	has '"existing": 1'
	has '"baseline": "existing"'
	run --separate-stderr dp diff git:caa git:malformed --now 2026-11-30 --format markdown \
		--baseline baseline.json
	has "| new, in the baseline | critical | record-malformed |"
	# grants are what the change does, not the backlog: a baseline does not excuse them
	run --separate-stderr dp diff git:base git:grant --now 2026-11-30 --fail-on-grant \
		--baseline baseline.json
	status_is 1
	has "+ grant letsencrypt.org account $B for shop.example.com"
}

@test "--baseline: a missing or unreadable report is an input error" {
	run --separate-stderr dp diff git:caa git:malformed --now 2026-11-30 --baseline nosuch.json
	status_is 2
	[[ "$stderr" == *"nosuch.json"* ]]
	[ -z "$output" ]
	echo '{"format": 2, "findings": [' >broken.json
	run --separate-stderr dp diff git:caa git:malformed --now 2026-11-30 --baseline broken.json
	status_is 2
	[[ "$stderr" == *"broken.json"*"not JSON"* ]]
	echo '{"format": 1}' >old-format.json
	run --separate-stderr dp diff git:caa git:malformed --now 2026-11-30 --baseline old-format.json
	status_is 2
	[[ "$stderr" == *"old-format.json"* ]]
}

@test "CAA at a name without a record: an informational line, never a grant" {
	# another CA for www (no _validation-persist record there): other methods, not DNS-PERSIST-01
	echo 'www IN CAA 0 issue "digicert.com"' >>example.com.zone
	git commit -qam 'www CAA' && git tag wwwcaa
	diff_is malformed wwwcaa 0 --fail-on-grant <<EOF
i caa www.example.com: now issue "digicert.com"; was none (./example.com.zone:9)
diff git:malformed -> git:wwwcaa: no change in who can issue; 1 CAA set changed (informational); 0 findings introduced, 0 resolved
EOF
	# taken away again: "none" now, pointing where it was
	sed -i '/digicert/d' example.com.zone
	git commit -qam 'no www CAA' && git tag nowwwcaa
	diff_is wwwcaa nowwwcaa 0 --fail-on-grant <<EOF
i caa www.example.com: now none; was issue "digicert.com" (was ./example.com.zone:9)
diff git:wwwcaa -> git:nowwwcaa: no change in who can issue; 1 CAA set changed (informational); 0 findings introduced, 0 resolved
EOF
	# the order of properties in the file is no change
	grep -v 'IN CAA 0 issue "letsencrypt.org"$' example.com.zone >reordered
	grep 'IN CAA 0 issue "letsencrypt.org"$' example.com.zone >>reordered
	! cmp -s reordered example.com.zone
	mv reordered example.com.zone
	git commit -qam 'CAA reordered' && git tag reordered
	diff_is nowwwcaa reordered 0 <<EOF
diff git:nowwwcaa -> git:reordered: no change in who can issue; 0 findings introduced, 0 resolved
EOF
	# JSON and Markdown say the same
	run --separate-stderr dp diff git:wwwcaa git:nowwwcaa --now 2026-11-30 --format json
	status_is 0
	has '"caa": 1'
	has '"before": "issue \"digicert.com\""'
	has '"after": null'
	run --separate-stderr dp diff git:malformed git:wwwcaa --now 2026-11-30 --format markdown
	has '| www\.example\.com | issue "digicert\.com" | none | \./example\.com\.zone\:9 |'
}

@test "hostile CAA values cannot forge a diff line or a Markdown row" {
	printf '%s\n' 'www IN CAA 0 issue "evil.test\010+ grant x\013| a | b |"' >>example.com.zone
	git commit -qam 'hostile CAA' && git tag hostilecaa
	run --separate-stderr dp diff git:malformed git:hostilecaa --now 2026-11-30 --fail-on-grant
	status_is 0
	[ "$(grep -c '^+ grant' <<<"$output")" -eq 0 ]
	[ "$(wc -l <<<"$output")" -eq 2 ]
	has 'i caa www.example.com: now issue "evil.test\x0a+ grant x\x0d| a | b |"; was none'
	run --separate-stderr dp diff git:malformed git:hostilecaa --now 2026-11-30 --format markdown
	[ "$(grep -c '^| www' <<<"$output")" -eq 1 ]
	hasnt '| a | b |'
}
