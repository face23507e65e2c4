#!/usr/bin/env bats
# SPDX-License-Identifier: BSD-3-Clause
# Every front end reaches the same verdict on the same data: for every
# inventory name of every fixture organisation, check_dnspersist -H NAME
# ends in the state that dnspersist scan gives that name (zone files here;
# live against NSD in tests/integration/verdicts.bats).

bats_require_minimum_version 1.5.0
load helper
load verdicts

setup() {
	command -v python3 >/dev/null || skip "python3 not installed"
	V="$DATA/verdicts"
	INT="$DP_SRCDIR/tests/integration"
}

@test "verdicts: the fixture organisation covers every state, the CNAME/CAA case included" {
	run scan_states "$V/verdicts.inventory.yaml" --zone "$V"
	has "h.example.org 2"
	has "ok.example.org 0"
	has "soon.example.org 1"
	has "sooner.example.org 2"
	has "case.example.org 0"
}

@test "verdicts: check_dnspersist -H agrees with scan on every name (zone files)" {
	compare "$V/verdicts.inventory.yaml" --zone "$V"
	compare "$ZONES/example.inventory.yaml" --zone "$ZONES"
	compare "$INT/live.inventory.yaml" --zone "$INT/zones"
	compare "$INT/split.inventory.yaml" --zone "$INT/zones"
	compare "$DATA/plugin/example.org.inventory.yaml" --zone "$DATA/plugin"
	compare "$DATA/ci/repo/dnspersist.inventory.yaml" --zone "$DATA/ci/repo/zones"
	compare "$DATA/zones-html/hostile.inventory.yaml" --zone "$DATA/zones-html"
}

@test "verdicts: the plugin's zone mode reads a directory like scan" {
	run "$DP_BUILDDIR/check_dnspersist" --inventory "$V/verdicts.inventory.yaml" \
		-H h.example.org --zone "$V" --now "$NOW"
	status_is 2
	has "caa-forbids-issuer at h.example.org"
}
