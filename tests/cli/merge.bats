#!/usr/bin/env bats
# SPDX-License-Identifier: BSD-3-Clause
# scan --shard K/N and dnspersist merge: four shards merge into exactly the
# unsharded report; shards of different runs are refused; the shipped
# Kubernetes Indexed Job runs as its pods would.

bats_require_minimum_version 1.5.0
load helper

# Twelve zones, each with a good, an expired and an unlisted record (half of
# them owned), and a name under co.uk: enough zones that four shards differ.
make_estate() {
	local d=$1 i
	mkdir -p "$d/zones"
	{
		printf '%s\n' 'version: 1' 'cas: {le: {issuer: letsencrypt.org}}' \
			'accounts: {p: {ca: le, uri: "https://le/acct/1"}}'
		printf 'zones: ['
		for i in 0 2 4 6 8 10; do printf 'z%d.example, ' "$i"; done
		printf 'shop.co.uk]\n'
		printf 'domains:\n'
		for i in $(seq 0 11); do
			printf '  - {name: www.z%d.example, authorize: [{account: p}]}\n' "$i"
			printf '  - {name: old.z%d.example, authorize: [{account: p}]}\n' "$i"
		done
		printf '  - {name: www.shop.co.uk, authorize: [{account: p}]}\n'
	} >"$d/inv.yaml"
	for i in $(seq 0 11); do
		printf '%s\n' "\$ORIGIN z$i.example." '$TTL 300' '@ SOA ns h 1 2 3 4 5' \
			'@ CAA 0 issue "letsencrypt.org"' \
			'_validation-persist.www TXT "letsencrypt.org; accounturi=https://le/acct/1"' \
			'_validation-persist.old TXT "letsencrypt.org; accounturi=https://le/acct/1; persistUntil=1700000000"' \
			'_validation-persist.stray TXT "letsencrypt.org; accounturi=https://le/acct/9"' \
			>"$d/zones/z$i.example.zone"
	done
	printf '%s\n' '$ORIGIN shop.co.uk.' '$TTL 300' '@ SOA ns h 1 2 3 4 5' \
		'_validation-persist.www TXT "letsencrypt.org; accounturi=https://le/acct/1"' \
		>"$d/zones/shop.co.uk.zone"
}

setup() {
	E="$BATS_TEST_TMPDIR/estate"
	make_estate "$E"
}

scan_args() {
	echo --inventory "$E/inv.yaml" --zone "$E/zones" --now "$NOW"
}

@test "four shards merge into exactly the unsharded report, in JSON and text" {
	local k names total=0 nonempty=0
	run --separate-stderr dp scan $(scan_args) --format json
	status_is 1
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/full.json"
	for k in 0 1 2 3; do
		run --separate-stderr dp scan $(scan_args) --shard "$k/4" --format json
		[ "$status" -le 1 ] || { echo "shard $k: $status $stderr"; false; }
		printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/s$k.json"
		names=$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)["names"]))' \
			<"$BATS_TEST_TMPDIR/s$k.json")
		total=$((total + names))
		[ "$names" -eq 0 ] || nonempty=$((nonempty + 1))
	done
	# the split splits: names spread over shards, none lost or doubled
	[ "$nonempty" -ge 3 ] || { echo "only $nonempty shards have names"; false; }
	[ "$total" -eq "$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)["names"]))' \
		<"$BATS_TEST_TMPDIR/full.json")" ]
	run --separate-stderr dp merge --format json "$BATS_TEST_TMPDIR"/s{3,1,0,2}.json
	status_is 1
	diff -u "$BATS_TEST_TMPDIR/full.json" <(printf '%s\n' "$output")
	run --separate-stderr dp merge --color never "$BATS_TEST_TMPDIR"/s{0,1,2,3}.json
	status_is 1
	diff -u <(dp scan $(scan_args) --color never) <(printf '%s\n' "$output")
}

@test "one zone's names and its unlisted records stay in one shard" {
	local k
	for k in 0 1 2; do
		dp scan $(scan_args) --shard "$k/3" --format json >"$BATS_TEST_TMPDIR/s$k.json" || true
	done
	python3 - "$BATS_TEST_TMPDIR"/s{0,1,2}.json <<'EOF'
import json, sys
where = {}
for path in sys.argv[1:]:
    for n in json.load(open(path))["names"]:
        zone = ".".join(n["name"].split(".")[-2:])
        if n["name"].endswith("co.uk"):
            zone = "shop.co.uk"
        where.setdefault(zone, set()).add(path)
split = {z: p for z, p in where.items() if len(p) > 1}
assert not split, split
assert any(n["name"].startswith("stray.") for p in sys.argv[1:] for n in json.load(open(p))["names"])
EOF
}

@test "merge's exit status is scan's, --fail-on included" {
	local k
	for k in 0 1; do
		dp scan $(scan_args) --shard "$k/2" --format json >"$BATS_TEST_TMPDIR/s$k.json" || true
	done
	for f in critical warning notice; do
		run dp scan $(scan_args) --fail-on "$f"
		want=$status
		run dp merge --fail-on "$f" "$BATS_TEST_TMPDIR"/s{0,1}.json
		status_is "$want"
	done
}

@test "bad --shard values are usage errors" {
	local v
	for v in 4/4 -1/4 1/0 a/b 1 /4 1/ 0/70000; do
		run --separate-stderr dp scan $(scan_args) --shard "$v"
		status_is 2
		[[ "$stderr" == *"--shard: '$v' is not K/N"* ]] || { echo "$v: $stderr"; false; }
	done
}

@test "shards of different runs, overlapping or missing shards are refused" {
	local t=$BATS_TEST_TMPDIR k
	for k in 0 1 2; do
		dp scan $(scan_args) --shard "$k/3" --format json >"$t/s$k.json" || true
	done
	run --separate-stderr dp merge "$t/s0.json" "$t/s1.json"
	status_is 2
	[[ "$stderr" == *"shard 2/3 is missing"* ]] || { echo "$stderr"; false; }
	run --separate-stderr dp merge "$t/s0.json" "$t/s1.json" "$t/s2.json" "$t/s1.json"
	status_is 2
	[[ "$stderr" == *"$t/s1.json: shard 1/3 is given twice"* ]] || { echo "$stderr"; false; }
	dp scan $(scan_args) --format json >"$t/full.json" || true
	run --separate-stderr dp merge "$t/full.json" "$t/s0.json"
	status_is 2
	[[ "$stderr" == *"cannot merge a shard with a whole run"* ]] || { echo "$stderr"; false; }
	run --separate-stderr dp merge "$t/full.json" "$t/full.json"
	status_is 2
	[[ "$stderr" == *"is also in an earlier report: the shards overlap"* ]] ||
		{ echo "$stderr"; false; }
	dp scan --inventory "$E/inv.yaml" --zone "$E/zones" --now 2026-11-25 --shard 1/3 \
		--format json >"$t/late.json" || true
	run --separate-stderr dp merge "$t/s0.json" "$t/late.json" "$t/s2.json"
	status_is 2
	[[ "$stderr" == *"$t/late.json: now 1795564800 differs"* ]] || { echo "$stderr"; false; }
	dp scan $(scan_args) --rules "$DP_SRCDIR/rules/strict.yaml" --shard 1/3 \
		--format json >"$t/strict.json" || true
	run --separate-stderr dp merge "$t/s0.json" "$t/strict.json" "$t/s2.json"
	status_is 2
	[[ "$stderr" == *"shard 1/3 was judged by other rules"* ]] || { echo "$stderr"; false; }
	dp scan $(scan_args) --shard 1/4 --format json >"$t/four.json" || true
	run --separate-stderr dp merge "$t/s0.json" "$t/four.json"
	status_is 2
	[[ "$stderr" == *"split 4 ways, not 3"* ]] || { echo "$stderr"; false; }
}

@test "a report that is not one is an input error with file, line and column" {
	local t=$BATS_TEST_TMPDIR
	printf '{"format": 2,\n "mode": zone}\n' >"$t/bad.json"
	run --separate-stderr dp merge "$t/bad.json"
	status_is 2
	[[ "$stderr" == *"$t/bad.json:2:"*"not JSON"* ]] || { echo "$stderr"; false; }
	printf '{"format": 1}\n' >"$t/old.json"
	run --separate-stderr dp merge "$t/old.json"
	status_is 2
	[[ "$stderr" == *"report format 1 is not 2"* ]] || { echo "$stderr"; false; }
	run --separate-stderr dp merge "$t/none.json"
	status_is 2
	[[ "$stderr" == *"$t/none.json"* ]] || { echo "$stderr"; false; }
	run --separate-stderr dp merge
	status_is 2
	run --separate-stderr dp merge --format nagios "$t/bad.json"
	status_is 2
}

@test "the Kubernetes Indexed Job passes yamllint and runs as its pods would" {
	command -v yamllint >/dev/null || skip "yamllint is not installed"
	python3 -c 'import yaml' 2>/dev/null || skip "python3-yaml is not installed"
	local k8s="$DP_SRCDIR/contrib/kubernetes" t=$BATS_TEST_TMPDIR i n
	yamllint -s "$k8s"/*.yaml
	# the pod's command and environment, read from the manifest; the volume
	# mounts, the resolver and the clock become the test's
	pod() {
		python3 - "$1" <<'EOF'
import shlex, sys, yaml
job = yaml.safe_load(open(sys.argv[1]))
spec = job["spec"]
c = spec["template"]["spec"]["containers"][0]
env = {e["name"]: e["value"] for e in c.get("env", [])}
print("completions=%s" % shlex.quote(str(spec.get("completions", 1))))
print("indexed=%s" % shlex.quote(str(spec.get("completionMode", ""))))
print("shards_env=%s" % shlex.quote(env.get("SHARDS", "")))
print("cmd=%s" % shlex.quote(c["command"][2]))
print("shell=%s" % shlex.quote(c["command"][0]))
EOF
	}
	eval "$(pod "$k8s/dnspersist-shards.yaml")"
	[ "$indexed" = Indexed ]
	[ "$shards_env" = "$completions" ]
	mkdir -p "$t/reports"
	for i in $(seq 0 $((completions - 1))); do
		env -i PATH="$DP_BUILDDIR:/usr/bin:/bin" JOB_COMPLETION_INDEX="$i" \
			SHARDS="$shards_env" AUDIT_NOW="$NOW" INVENTORY="$E/inv.yaml" \
			REPORTS="$t/reports" SCAN_ARGS="--zone $E/zones" /bin/sh -c "$cmd"
	done
	n=$(find "$t/reports" -name 'shard-*.json' | wc -l)
	[ "$n" -eq "$completions" ]
	eval "$(pod "$k8s/dnspersist-merge.yaml")"
	run env -i PATH="$DP_BUILDDIR:/usr/bin:/bin" REPORTS="$t/reports" /bin/sh -c "$cmd"
	status_is 1 # the estate has critical findings
	has "critical: 31 names" # 24 listed, www.shop.co.uk, 6 unlisted in owned zones
	dp scan $(scan_args) --format json >"$t/full.json" || true
	diff -u "$t/full.json" "$t/reports/report.json"
}
