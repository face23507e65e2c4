#!/usr/bin/env bats
# SPDX-License-Identifier: BSD-3-Clause
# dnspersist inventory init: an inventory of today's authorizations, to review.

bats_require_minimum_version 1.5.0
load helper

INVENTORY_IDS="record-missing account-unexpected issuer-unexpected authorization-unexpected wildcard-unneeded wildcard-missing"

setup() {
	cd "$BATS_TEST_TMPDIR"
	mkdir zones
	cp "$ZONES/example.com.zone" "$ZONES/example.net.zone" zones/
}

# The ids of the findings of a scan of zones/ with inventory $1, one a line.
scan_ids() {
	dp scan --inventory "$1" --zone zones --now "$NOW" --format json |
		python3 -c 'import json, sys; print("\n".join(sorted({f["id"] for f in json.load(sys.stdin)["findings"]})))'
}

inventory_findings() {
	local ids id n=0
	ids=$(scan_ids "$1")
	for id in $INVENTORY_IDS; do
		grep -qx "$id" <<<"$ids" && { echo "inventory finding: $id"; n=$((n + 1)); }
	done
	return $n
}

@test "the generated inventory describes the zones: scanning them with it gives no inventory finding" {
	run --separate-stderr dp inventory init zones --now "$NOW"
	status_is 0
	printf '%s\n' "$output" >inv.yaml
	inventory_findings inv.yaml
	# the check can fail: drop one account from one name and it notices
	python3 - <<'PY'
import re
s = open("inv.yaml").read()
s = s.replace('  - name: "api.example.com"\n    authorize:\n      - account: letsencrypt-1234567890\n        persist_until: required\n',
              '  - name: "api.example.com"\n    authorize: []\n', 1)
open("broken.yaml", "w").write(s)
PY
	! cmp -s inv.yaml broken.yaml
	run inventory_findings broken.yaml
	[ "$status" -ne 0 ]
	has "inventory finding: authorization-unexpected"
}

@test "ids derived from issuers and account URLs; wildcard and persistUntil as the records have them" {
	run --separate-stderr dp inventory init zones --now "$NOW"
	status_is 0
	has $'  letsencrypt:\n    issuer: "letsencrypt.org"\n    wildcard_scope: wildcard-only   # policy=wildcard only adds *.name\n    profile: boulder\n  sectigo:\n    issuer: "sectigo.com"\n'
	has $'  letsencrypt-1234567890:\n    ca: letsencrypt\n    uri: "https://acme-v02.api.letsencrypt.org/acme/acct/1234567890"\n'
	has $'  sectigo-zq4yx:\n    ca: sectigo\n    uri: "https://acme.sectigo.com/v2/DV/acct/Zq4Yx"\n'
	has $'  - name: "example.com"\n    authorize:\n      - account: letsencrypt-1234567890\n        wildcard: true\n'
	has $'  - name: "api.example.com"\n    authorize:\n      - account: letsencrypt-1234567890\n        persist_until: required\n'
}

@test "every entry the audit flags carries the findings as a comment" {
	run --separate-stderr dp inventory init zones --now "$NOW"
	status_is 0
	has $'  # critical persist-until-expired: persistUntil 2025-01-01T00:00:00Z passed 692 days ago: no new validation\n  - name: "old.example.com"\n'
	has $'  # critical caa-forbids-issuer: letsencrypt.org account letsencrypt-1234567890 cannot issue: CAA at shop.example.com: no issue property names this CA\n  - name: "shop.example.com"\n'
	# an entry the audit does not flag has no comment
	[ "$(grep -B1 '^  - name: "test.example.com"$' <<<"$output" | head -1)" = "        persist_until: required" ]
	[ "$(grep -B1 '^  - name: "example.com"$' <<<"$output" | head -1)" = "        persist_until: required" ]
}

@test "from a git revision, and names whose records no CA would use are listed at the top" {
	command -v git >/dev/null || skip "git is not installed"
	git init -q .
	git config user.email t@example.test
	git config user.name t
	printf '_validation-persist.bad.example.com. TXT "letsencrypt.org; accounturi=;"\n' >>zones/example.com.zone
	git add zones && git commit -qm zones
	rm -r zones
	run --separate-stderr dp inventory init git:HEAD:zones --now "$NOW"
	status_is 0
	has $'# Not listed:\n#   bad.example.com: no record a CA would use\n#     critical record-malformed: '
	has $'  - name: "example.com"\n'
}

@test "hostile account URLs stay one YAML string the inventory loader reads back" {
	cat >zones/example.org.zone <<'ZONE'
$ORIGIN example.org.
_validation-persist TXT "letsencrypt.org; accounturi=https://x/\"a\\b#c:'d'"
ZONE
	run --separate-stderr dp inventory init zones --now "$NOW"
	status_is 0
	printf '%s\n' "$output" >inv.yaml
	grep -xF '    uri: "https://x/\"a\\b#c:'"'d'"'"' inv.yaml
	inventory_findings inv.yaml
}

@test "usage errors exit 2" {
	run dp inventory
	status_is 2
	run dp inventory init
	status_is 2
	run dp inventory init zones --zone-format nosuch
	status_is 2
	run --separate-stderr dp inventory init nosuchdir
	status_is 2
	run dp inventory init --help
	status_is 0
	has "--zone-format"
}

@test "live init: a bad names file or name is a usage error before any lookup" {
	# (no server is needed: every case stops before the first query)
	printf '# ok so far\nwww.example.com\n\nbad name.example.com\n' >names.txt
	run --separate-stderr dp inventory init --names names.txt --server 127.0.0.1@1
	status_is 2
	[ "$stderr" = "dnspersist: error: names.txt:4: not a domain name: 'bad name.example.com': character ' ' is not allowed in a host name" ]
	printf '*.example.com\n' >wild.txt
	run --separate-stderr dp inventory init --names wild.txt --server 127.0.0.1@1
	status_is 2
	[[ "$stderr" == *"wild.txt:1: '*.example.com': give the name itself, not a wildcard"* ]]
	run --separate-stderr dp inventory init --names nosuch.txt --server 127.0.0.1@1
	status_is 2
	[[ "$stderr" == *"nosuch.txt: No such file or directory"* ]]
	printf '# nothing\n\n' >empty.txt
	run --separate-stderr dp inventory init --names empty.txt --server 127.0.0.1@1
	status_is 2
	[[ "$stderr" == *"--names: no name to look up"* ]]
	run --separate-stderr dp inventory init - --server 127.0.0.1@1
	status_is 2
	[[ "$stderr" == *"names from standard input: --names -"* ]]
	run --separate-stderr dp inventory init --names names.txt --origin example.com.
	status_is 2
	[[ "$stderr" == *"--origin and --zone-format go with zone files"* ]]
	run --separate-stderr dp inventory init www.example.com --server 'not an address'
	status_is 2
	[ -z "$output" ]
}
