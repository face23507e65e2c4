#!/usr/bin/env bats
# SPDX-License-Identifier: BSD-3-Clause
# --format openmetrics: the node_exporter textfile collector's input.
# promtool (Debian prometheus) must accept it, for the example organisation
# and for one whose DNS data tries to break out of label values.

load helper

HOSTILE="$DATA/zones-html"

setup() {
	TMP=$(mktemp -d "${BATS_TMPDIR:-/tmp}/dp-om.XXXXXX")
}

teardown() {
	rm -rf "$TMP"
}

need_promtool() {
	command -v promtool >/dev/null || skip "promtool is not installed (Debian package prometheus)"
}

metrics() {
	dp scan --inventory "$1" --zone "$2" --now "$NOW" --format openmetrics >"$TMP/m.txt" ||
		[ $? -eq 1 ]
}

@test "openmetrics: promtool accepts the example organisation's metrics; ends with # EOF" {
	need_promtool
	metrics "$ZONES/example.inventory.yaml" "$ZONES"
	run promtool check metrics <"$TMP/m.txt"
	status_is 0
	[ "$(tail -n 1 "$TMP/m.txt")" = "# EOF" ]
	[ "$(grep -c '^# EOF' "$TMP/m.txt")" -eq 1 ]
}

@test "openmetrics: findings by id and severity, names, records, run status agree with JSON" {
	metrics "$ZONES/example.inventory.yaml" "$ZONES"
	dp scan --inventory "$ZONES/example.inventory.yaml" --zone "$ZONES" --now "$NOW" \
		--format json >"$TMP/r.json" || [ $? -eq 1 ]
	run python3 - "$TMP/m.txt" "$TMP/r.json" <<-'EOF'
		import collections, json, re, sys
		m = open(sys.argv[1]).read()
		rep = json.load(open(sys.argv[2]))
		def val(series):
		    x = re.search("^" + re.escape(series) + r" (\S+)$", m, re.M)
		    assert x, "no sample " + series
		    return float(x.group(1))
		by = collections.Counter((f["id"], f["severity"]) for f in rep["findings"])
		for (i, s), n in by.items():
		    assert val('dnspersist_findings{id="%s",severity="%s"}' % (i, s)) == n, (i, s)
		total = sum(float(x) for x in re.findall(r"^dnspersist_findings\{.*\} (\S+)$", m, re.M))
		assert total == len(rep["findings"]), total
		for sev in ("critical", "warning", "notice"):
		    want = sum(1 for n in rep["names"] if n["status"] == sev)
		    assert val('dnspersist_names{status="%s"}' % sev) == want, sev
		assert val("dnspersist_records") == sum(len(n["records"]) for n in rep["names"])
		assert val('dnspersist_status{status="%s"}' % rep["status"]) == 1
		assert val("dnspersist_last_run_success") == 1
		assert val("dnspersist_last_run_timestamp_seconds") == rep["now"]
		assert val("dnspersist_last_run_duration_seconds") > 0
		for n in rep["names"]:
		    for a in n["authorizations"]:
		        s = ('dnspersist_authorization_persist_until_timestamp_seconds{name="%s",'
		             'issuer="%s",account="%s"}' % (n["name"], a["issuer"], a["account"]))
		        want = a["until"] if a["until"] is not None else float("inf")
		        assert val(s) == want, s
		print("ok")
	EOF
	status_is 0
	has ok
}

@test "openmetrics: DNS data cannot end a label value or add a sample; promtool accepts it" {
	need_promtool
	metrics "$HOSTILE/hostile.inventory.yaml" "$HOSTILE"
	run promtool check metrics <"$TMP/m.txt"
	status_is 0
	run cat "$TMP/m.txt"
	has 'account="javascript:alert(5)//\"onload=alert(6)"'
	has "account=\"https://a.example/acct/1'onmouseover='alert(9)\""
	# a name in presentation form keeps its backslashes, escaped
	has 'name="\\060img\\032src\\061x'
	# every sample line is a known family, every line a sample or a comment
	[ -z "$(grep -v -E '^(# (TYPE|UNIT|HELP|EOF)|dnspersist_[a-z_]+(\{.*\})? )' "$TMP/m.txt")" ]
	[ "$(grep -c '^dnspersist_authorization_persist_until_timestamp_seconds{' "$TMP/m.txt")" -eq 4 ]
}

@test "openmetrics: lint offers the format" {
	run dp lint "$ZONES/example.com.zone" --now "$NOW" --format openmetrics
	status_is 1
	has "dnspersist_findings{id=\"persist-until-expired\",severity=\"critical\"} 1"
	has "# EOF"
}
