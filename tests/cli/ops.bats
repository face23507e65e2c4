#!/usr/bin/env bats
# SPDX-License-Identifier: BSD-3-Clause
# Operations: the nightly wrapper (reports kept, yesterday's JSON as the
# baseline, failures leave the last good reports), and the systemd units as
# systemd itself judges them: `systemd-analyze verify` and
# `systemd-analyze security --offline=yes` (systemd 252, Debian 12).

bats_require_minimum_version 1.5.0
load helper

setup() {
	cd "$DP_SRCDIR"
	S=$BATS_TEST_TMPDIR/state
	# dnspersist through a shim that logs each command line, then runs the real one
	cat >"$BATS_TEST_TMPDIR/dp-shim" <<-EOF
	#!/bin/sh
	printf '%s\n' "\$*" >>"$BATS_TEST_TMPDIR/argv"
	exec "$DP_BUILDDIR/dnspersist" "\$@"
	EOF
	chmod +x "$BATS_TEST_TMPDIR/dp-shim"
	export DNSPERSIST=$BATS_TEST_TMPDIR/dp-shim DNSPERSIST_CONF=/nonexistent
	export DNSPERSIST_STATE=$S DNSPERSIST_INVENTORY=$DP_SRCDIR/zones/example.inventory.yaml
	export DNSPERSIST_ARGS="--zone $DP_SRCDIR/zones --now 2026-11-24"
}

nightly() {
	"$DP_SRCDIR/contrib/dnspersist-nightly"
}

# the scan command lines the wrapper ran
scans() {
	grep -- ' -o json:' "$BATS_TEST_TMPDIR/argv"
}

@test "nightly: dated reports, latest links, the last N runs kept, yesterday as the baseline" {
	export DNSPERSIST_KEEP=2
	run nightly
	status_is 1 # the example organisation has findings
	has "critical: 9 names"
	first=$(readlink "$S/reports/latest.json")
	[[ "$first" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{6}Z\.json$ ]]
	dp scan --inventory "$DNSPERSIST_INVENTORY" $DNSPERSIST_ARGS --format json |
		cmp - "$S/reports/$first"
	for i in 2 3; do
		sleep 1 # a new stamp
		run nightly
		status_is 0 # the same findings, all in yesterday's baseline
		has "0 new since last run"
	done
	[ "$(ls "$S/reports" | grep -c '\.json$')" -eq 3 ] # two runs and latest.json
	[ ! -e "$S/reports/$first" ]
	[ ! -e "$S/reports/${first%.json}.txt" ]
	[ "$(scans | wc -l)" -eq 3 ]
	# the second run used the first run's JSON as --baseline; the first had none
	scans | sed -n 2p | grep -qF -- "--baseline $S/reports/$first"
	! scans | sed -n 1p | grep -q -- --baseline
	# the page for people and the metrics are written too
	for f in html openmetrics; do
		scans | sed -n 1p | grep -q -- "-o $f:"
	done
}

@test "nightly: a failed run exits with dnspersist's status and leaves the last good reports" {
	run nightly
	status_is 1
	good=$(readlink "$S/reports/latest.json")
	cp "$S/reports/$good" "$BATS_TEST_TMPDIR/good.json"
	sleep 1
	DNSPERSIST_INVENTORY=/nonexistent.yaml run nightly
	status_is 2
	has "no report written (exit 2)"
	[ "$(readlink "$S/reports/latest.json")" = "$good" ]
	cmp "$BATS_TEST_TMPDIR/good.json" "$S/reports/$good"
	DNSPERSIST_KEEP=none run nightly
	status_is 2
}

@test "nightly: the settings file is read" {
	printf 'DNSPERSIST_KEEP=1\nDNSPERSIST_ARGS="--zone %s/zones/example.net.zone"\n' "$DP_SRCDIR" \
		>"$BATS_TEST_TMPDIR/nightly.conf"
	DNSPERSIST_CONF=$BATS_TEST_TMPDIR/nightly.conf run nightly
	scans | grep -q -- "--zone $DP_SRCDIR/zones/example.net.zone"
}

# The units with ExecStart= pointing at the wrapper in this tree: verify
# checks that the program exists, and it is not installed here.
units_here() {
	mkdir -p "$BATS_TEST_TMPDIR/units"
	sed "s|^ExecStart=.*|ExecStart=$DP_SRCDIR/contrib/dnspersist-nightly|" \
		contrib/systemd/dnspersist-audit.service >"$BATS_TEST_TMPDIR/units/dnspersist-audit.service"
	cp contrib/systemd/dnspersist-audit.timer "$BATS_TEST_TMPDIR/units/"
}

@test "systemd-analyze verify accepts the units, without a single warning" {
	command -v systemd-analyze >/dev/null || skip "systemd-analyze is not installed (Debian: systemd)"
	units_here
	run --separate-stderr systemd-analyze verify --man=no \
		"$BATS_TEST_TMPDIR/units/dnspersist-audit.service" "$BATS_TEST_TMPDIR/units/dnspersist-audit.timer"
	status_is 0
	[ -z "$stderr" ] || { echo "$stderr"; return 1; }
	grep -qx 'OnCalendar=daily' contrib/systemd/dnspersist-audit.timer
	grep -qx 'Persistent=true' contrib/systemd/dnspersist-audit.timer
	# the check notices a broken unit
	sed 's/^ProtectSystem=/ProtectSystm=/' "$BATS_TEST_TMPDIR/units/dnspersist-audit.service" \
		>"$BATS_TEST_TMPDIR/units/broken.service"
	run --separate-stderr systemd-analyze verify --man=no "$BATS_TEST_TMPDIR/units/broken.service"
	[[ "$stderr" == *"Unknown key 'ProtectSystm'"* ]]
}

@test "systemd-analyze security --offline=yes: the service is in the OK band or better" {
	command -v systemd-analyze >/dev/null || skip "systemd-analyze is not installed (Debian: systemd)"
	units_here
	# --threshold=49: exit non-zero above 4.9, the top of "OK" (MEDIUM starts at 5.0)
	run systemd-analyze security --offline=yes --threshold=49 --no-pager \
		"$BATS_TEST_TMPDIR/units/dnspersist-audit.service"
	status_is 0
	[[ "$output" =~ Overall\ exposure\ level\ for\ dnspersist-audit.service:\ [0-4]\.[0-9]\ (OK|SAFE|PERFECT) ]]
	echo "# $(grep -o 'Overall exposure level.*' <<<"$output")" >&3
	# and it would notice the hardening gone
	sed '/^# Read-only everywhere/,$d' "$BATS_TEST_TMPDIR/units/dnspersist-audit.service" \
		>"$BATS_TEST_TMPDIR/units/soft.service"
	run systemd-analyze security --offline=yes --threshold=49 --no-pager "$BATS_TEST_TMPDIR/units/soft.service"
	[ "$status" -ne 0 ]
}

@test "the cron alternative runs the same wrapper as the same user" {
	line=$(grep -v '^#' contrib/cron/dnspersist | grep -E '^[0-9*]')
	read -r m h dom mon dow user cmd _ <<<"$line"
	[ "$user" = dnspersist ]
	[ "$cmd" = "$(sed -n 's/^ExecStart=//p' contrib/systemd/dnspersist-audit.service)" ]
	[ "$(sed -n 's/^User=//p' contrib/systemd/dnspersist-audit.service)" = dnspersist ]
}

@test "the alert rules in docs/operations.md pass promtool check rules" {
	command -v promtool >/dev/null || skip "promtool is not installed (Debian: prometheus)"
	sed -n '/^```yaml$/,/^```$/p' docs/operations.md | sed '1d;$d' >"$BATS_TEST_TMPDIR/rules.yml"
	grep -q 'alert: DnspersistAuthorizationExpiring' "$BATS_TEST_TMPDIR/rules.yml"
	run promtool check rules "$BATS_TEST_TMPDIR/rules.yml"
	status_is 0
	has "SUCCESS: 4 rules found"
}
