#!/usr/bin/env bats
# SPDX-License-Identifier: BSD-3-Clause
# Sharded live scans against NSD on 127.0.0.1: the shipped Kubernetes
# Indexed Job's command, run for each index as its pod would (the resolver
# is the test's NSD), then its merge step, gives the unsharded live scan's
# report byte for byte.

bats_require_minimum_version 1.5.0
load ../cli/helper

setup_file() {
	source "$BATS_TEST_DIRNAME/servers.sh"
	local missing
	missing=$(dpi_have) || skip "not installed: $missing"
	export DPI_DIR="$BATS_FILE_TMPDIR/servers"
	dpi_start || { dpi_stop; false; }
}

teardown_file() {
	source "$BATS_TEST_DIRNAME/servers.sh"
	dpi_stop
}

@test "the Kubernetes Job's shards, live against NSD, merge into the unsharded scan" {
	python3 -c 'import yaml' 2>/dev/null || skip "python3-yaml is not installed"
	local k8s="$DP_SRCDIR/contrib/kubernetes" t=$BATS_TEST_TMPDIR i
	local inv="$ZONES/example.inventory.yaml" server="127.0.0.1@$DPI_NSD_PORT"
	field() {
		python3 - "$1" "$2" <<'PY'
import sys, yaml
job = yaml.safe_load(open(sys.argv[1]))
c = job["spec"]["template"]["spec"]["containers"][0]
print(job["spec"].get("completions", 1) if sys.argv[2] == "completions" else c["command"][2])
PY
	}
	mkdir -p "$t/reports"
	n=$(field "$k8s/dnspersist-shards.yaml" completions)
	cmd=$(field "$k8s/dnspersist-shards.yaml" command)
	for i in $(seq 0 $((n - 1))); do
		env -i PATH="$DP_BUILDDIR:/usr/bin:/bin" JOB_COMPLETION_INDEX="$i" SHARDS="$n" \
			AUDIT_NOW="$NOW" INVENTORY="$inv" REPORTS="$t/reports" \
			SCAN_ARGS="--server $server" /bin/sh -c "$cmd"
	done
	cmd=$(field "$k8s/dnspersist-merge.yaml" command)
	run env -i PATH="$DP_BUILDDIR:/usr/bin:/bin" REPORTS="$t/reports" /bin/sh -c "$cmd"
	status_is 1
	has "test.example.com is in owned zone example.com but not in the inventory"
	run --separate-stderr dp scan --inventory "$inv" --server "$server" --now "$NOW" \
		--format json
	status_is 1
	diff -u <(printf '%s\n' "$output") "$t/reports/report.json"
}
