#!/usr/bin/env bats
# SPDX-License-Identifier: BSD-3-Clause
# dnspersist inventory init from live DNS, for a list of names, against a
# real NSD on 127.0.0.1 serving the shipped zones: the inventory is the one
# the zone files give, and a scan with it finds nothing the inventory
# explains. Skips when the servers are not installed; CI installs them.

bats_require_minimum_version 1.5.0
load ../cli/helper

INVENTORY_IDS="record-missing account-unexpected issuer-unexpected authorization-unexpected wildcard-unneeded wildcard-missing"

setup_file() {
	source "$BATS_TEST_DIRNAME/servers.sh"
	local missing port
	missing=$(dpi_have) || skip "not installed: $missing"
	export DPI_DIR="$BATS_FILE_TMPDIR/servers"
	mkdir -p "$DPI_DIR"
	port=$(dpi_free_port)
	dpi_nsd shipped "$port" "example.com=$ZONES/example.com.zone" \
		"example.net=$ZONES/example.net.zone" || { dpi_stop; false; }
	export NSD="127.0.0.1@$port"
}

teardown_file() {
	source "$BATS_TEST_DIRNAME/servers.sh"
	dpi_stop
}

setup() {
	source "$BATS_TEST_DIRNAME/servers.sh"
	cd "$BATS_TEST_TMPDIR"
	# the names a team knows it has: as typed, with comments and a blank line
	cat >names.txt <<-EOF
		# the web
		Example.COM.
		www.example.com     # no record of its own: the apex's policy=wildcard
		api.example.com
		old.example.com
		shop.example.com

		edge.example.com
		cdn.example.com
		legacy.example.com
		test.example.com
		cdn.example.net
	EOF
}

# The inventory finding ids of a live scan with inventory $1, one a line.
inventory_findings() {
	dp scan --inventory "$1" --server "$NSD" --now "$NOW" --format json |
		python3 -c 'import json, sys
ids = {f["id"] for f in json.load(sys.stdin)["findings"]}
print("\n".join(sorted(ids & set(sys.argv[1].split()))))' "$INVENTORY_IDS"
}

@test "from live DNS for a list of names: the zone files' inventory, and a scan with it finds nothing it explains" {
	run --separate-stderr dp inventory init --names names.txt example.net --server "$NSD" --now "$NOW"
	status_is 0
	printf '%s\n' "$output" >live.yaml
	run --separate-stderr dp inventory init "$ZONES/example.com.zone" "$ZONES/example.net.zone" --now "$NOW"
	status_is 0
	printf '%s\n' "$output" >zone.yaml
	diff -u zone.yaml live.yaml
	grep -q '^  - name: "legacy.example.com"$' live.yaml
	grep -q '^  # critical persist-until-expired: ' live.yaml
	# the scan: no inventory finding with the generated inventory...
	run inventory_findings live.yaml
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	# ... and the check notices one: drop one name's account
	python3 - <<'PY'
s = open("live.yaml").read()
t = s.replace('  - name: "api.example.com"\n    authorize:\n      - account: letsencrypt-1234567890\n        persist_until: required\n',
              '  - name: "api.example.com"\n    authorize: []\n', 1)
assert t != s
open("broken.yaml", "w").write(t)
PY
	run inventory_findings broken.yaml
	[ "$output" = authorization-unexpected ]
}

@test "names from standard input, and as operands alone, give the same inventory" {
	dp inventory init --names names.txt --server "$NSD" --now "$NOW" >file.yaml
	dp inventory init --names - --server "$NSD" --now "$NOW" <names.txt >stdin.yaml
	cmp file.yaml stdin.yaml
	# the operands only, each once however often it is given
	dp inventory init $(sed 's/#.*//' names.txt) api.example.com --server "$NSD" --now "$NOW" >args.yaml
	cmp file.yaml args.yaml
}

@test "a name without a record is left out; one the server cannot answer, or a silent server, is exit 3 and nothing written" {
	run --separate-stderr dp inventory init nosuch.example.net --server "$NSD" --now "$NOW"
	status_is 0
	has $'\ndomains:\n  []'
	# example.org is not served here: NSD refuses, and the inventory would miss it
	run --separate-stderr dp inventory init api.example.com www.example.org --server "$NSD" --now "$NOW"
	status_is 3
	[ -z "$output" ]
	[[ "$stderr" == *"could not read www.example.org ("*"REFUSED"*"); nothing written"* ]]
	local dead
	dead=$(dpi_free_port)
	run --separate-stderr dp inventory init --names names.txt --server "127.0.0.1@$dead" \
		--timeout 0.2 --retries 0 --now "$NOW"
	status_is 3
	[ -z "$output" ]
	[[ "$stderr" == *"could not read "*"other names; nothing written"* ]]
}
