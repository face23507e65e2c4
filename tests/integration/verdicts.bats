#!/usr/bin/env bats
# SPDX-License-Identifier: BSD-3-Clause
# The same verdict from every front end, live: check_dnspersist -H NAME
# against the integration NSD (as Debian ships it but for rate limiting,
# see live.bats) and Unbound ends in the state dnspersist scan gives NAME.

bats_require_minimum_version 1.5.0
load ../cli/helper
load ../cli/verdicts

setup_file() {
	source "$BATS_TEST_DIRNAME/servers.sh"
	local missing
	missing=$(dpi_have) || skip "not installed: $missing"
	export DPI_DIR="$BATS_FILE_TMPDIR/servers" DPI_NO_AUTH53=1
	dpi_start || { dpi_stop; false; }
}

teardown_file() {
	source "$BATS_TEST_DIRNAME/servers.sh"
	dpi_stop
}

setup() {
	command -v python3 >/dev/null || skip "python3 not installed"
	INT="$DP_SRCDIR/tests/integration"
}

@test "verdicts live: check_dnspersist -H agrees with scan on every name (NSD)" {
	compare "$DATA/verdicts/verdicts.inventory.yaml" --server "127.0.0.1@$DPI_NSD_PORT"
	compare "$ZONES/example.inventory.yaml" --server "127.0.0.1@$DPI_NSD_PORT"
}

@test "verdicts live: the CNAME/CAA case is critical from both front ends" {
	run scan_states "$DATA/verdicts/verdicts.inventory.yaml" --server "127.0.0.1@$DPI_NSD_PORT"
	has "h.example.org 2"
	has "ok.example.org 0"
}

@test "verdicts live: check_dnspersist -H agrees with scan on every name (Unbound)" {
	compare "$INT/live.inventory.yaml" --server "127.0.0.1@$DPI_UNBOUND_PORT"
}
