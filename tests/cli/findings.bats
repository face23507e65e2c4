#!/usr/bin/env bats
# SPDX-License-Identifier: BSD-3-Clause
# docs/findings.md explains every finding id of the catalogue, and only those.

load helper

ids() {
	grep -oE '\{"[a-z]+(-[a-z]+)+", DP_SEV_' "$DP_SRCDIR/src/lib/model/finding.c" | grep -oE '[a-z]+(-[a-z]+)+'
}

@test "every finding id has a section with a fix in docs/findings.md" {
	n=0
	for id in $(ids); do
		n=$((n + 1))
		grep -q "^### $id\$" "$DP_SRCDIR/docs/findings.md" || { echo "missing: $id"; return 1; }
		awk -v id="### $id" '$0 == id {f=1; next} /^### /{f=0} f' "$DP_SRCDIR/docs/findings.md" |
			grep -q 'Fix:' || { echo "no fix for: $id"; return 1; }
	done
	[ "$n" -ge 20 ]
}

@test "docs/findings.md documents no id the catalogue lacks" {
	for h in $(grep -oE '^### [a-z-]+' "$DP_SRCDIR/docs/findings.md" | cut -c5-); do
		ids | grep -qx "$h" || { echo "stale section: $h"; return 1; }
	done
}
