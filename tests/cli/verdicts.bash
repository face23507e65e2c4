# SPDX-License-Identifier: BSD-3-Clause
# The comparison behind the "same verdict" tests: dnspersist scan's state
# for every inventory name against check_dnspersist -H NAME on the same data.

# "NAME STATE" for every inventory name, as scan judges it: a dns-error is
# unknown (3), else the worst severity: critical 2, warning 1, notice or
# nothing 0. Arguments: the inventory, then scan's source options.
scan_states() {
	local inv=$1
	shift
	dp scan --inventory "$inv" "$@" --now "$NOW" --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
inv = set(sys.argv[1:])
state = {n["name"]: 0 for n in d["names"] if n["name"] in inv}
rank = {"critical": 2, "warning": 1, "notice": 0}
for f in d["findings"]:
    if f["name"] not in state:
        continue
    s = 3 if f["id"] == "dns-error" else rank[f["severity"]]
    if state[f["name"]] != 3:
        state[f["name"]] = max(state[f["name"]], s)
for n in sorted(inv):
    print(n, state.get(n, 0))
' $(inventory_names "$inv")
}

inventory_names() {
	grep -oE '^\s*- \{?name: [^,} ]+' "$1" | sed -E 's/.*name: //'
}

# Compare each name's plugin state with scan's; print the differences.
compare() {
	local inv=$1 name want got bad="" n=0
	shift
	while read -r name want; do
		n=$((n + 1))
		"$DP_BUILDDIR/check_dnspersist" --inventory "$inv" -H "$name" "$@" --now "$NOW" \
			>/dev/null 2>&1 && got=0 || got=$?
		[ "$got" = "$want" ] || bad+=" $name(scan $want, plugin $got)"
	done < <(scan_states "$inv" "$@")
	[ "$n" -gt 0 ] || { echo "no names compared for $inv"; return 1; }
	[ -z "$bad" ] || { echo "front ends disagree for $inv:$bad"; return 1; }
	echo "$n names agree for $inv"
}

