#!/usr/bin/env bats
# SPDX-License-Identifier: BSD-3-Clause
# The CI formats of scan and lint (docs/ci.md): SARIF checked by the SARIF
# 2.1.0 schema (Debian's python3-jsonschema) and by Sarif.Multitool with
# GitHub's ingestion rules, JUnit by xmllint against tests/data/ci/junit.xsd,
# GitHub workflow commands and Code Quality field by field against the JSON
# report of the same run (ci_check.py), and hostile record contents and file
# names that try to break out of each.

bats_require_minimum_version 1.5.0
load helper

MT=${DP_TOOLS:-$DP_SRCDIR/_tools}/npm/node_modules/@microsoft/sarif-multitool-linux
CHECK=$DP_SRCDIR/tests/cli/ci_check.py
LINT=(lint zones/example.com.zone zones/example.net.zone --now "$NOW")
SCAN=(scan --inventory zones/example.inventory.yaml --zone zones --now "$NOW")

setup() {
	cd "$DP_SRCDIR"
	[ -x /usr/bin/python3 ] || skip "python3 is not installed"
}

need_multitool() {
	[ -x "$MT/Sarif.Multitool" ] ||
		skip "Sarif.Multitool is not installed: ./dev.sh tools puts it in _tools/npm"
}

need_schema() {
	[ -f "$MT/sarif-2.1.0.json" ] ||
		skip "the SARIF 2.1.0 schema comes with Sarif.Multitool: ./dev.sh tools"
	/usr/bin/python3 -c 'import jsonschema' 2>/dev/null ||
		skip "python3-jsonschema is not installed"
}

# The run's JSON report and FORMAT output: $T/report.json, $T/out.FORMAT.
formats() {
	T=$BATS_TEST_TMPDIR
	run -1 dp "$@" --format json
	printf '%s\n' "$output" >"$T/report.json"
	for f in sarif github junit codequality; do
		run --separate-stderr dp "$@" --format "$f"
		[ "$status" -le 1 ] || status_is 1
		printf '%s\n' "$output" >"$T/out.$f"
	done
}

# Both validators on one SARIF file: the schema, then the Multitool's log
# (it exits 0 on errors, whatever its options, so its own SARIF log is read).
validate_sarif() {
	[[ "$1" == *.sarif ]] # the validator skips files named otherwise
	"$CHECK" sarif-schema "$MT/sarif-2.1.0.json" "$1"
	DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 \
		"$MT/Sarif.Multitool" validate "$1" --rule-kind "Gh;Sarif" --rich-return-code true \
		--level "Error;Warning;Note" \
		-o "$1.validation" --log ForceOverwrite >"$1.validator-out" 2>&1 ||
		{ cat "$1.validator-out" >&2 && return 1; }
	"$CHECK" multitool "$1.validation"
}

@test "sarif: lint and scan output are valid SARIF 2.1.0 for the schema and GitHub's rules" {
	need_schema
	need_multitool
	formats "${LINT[@]}"
	validate_sarif "$T/out.sarif"
	formats "${SCAN[@]}"
	validate_sarif "$T/out.sarif"
	# with a baseline, every result has a baselineState: still valid
	dp "${SCAN[@]}" --format json >"$T/base.json" || true
	run --separate-stderr dp "${SCAN[@]}" --baseline "$T/base.json" --format sarif
	printf '%s\n' "$output" >"$T/baseline.sarif"
	grep -q '"baselineState":"unchanged"' "$T/baseline.sarif"
	validate_sarif "$T/baseline.sarif"
}

@test "sarif: the validators refuse a broken document (they can fail)" {
	need_schema
	need_multitool
	formats "${LINT[@]}"
	# a result without locations: GitHub refuses it; a wrong version: the schema does
	/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); del d["runs"][0]["results"][0]["locations"]; json.dump(d,open(sys.argv[2],"w"))' "$T/out.sarif" "$T/noloc.sarif"
	run ! "$CHECK" multitool /dev/null
	run ! validate_sarif "$T/noloc.sarif"
	[[ "$output" == *GH10* ]]
	sed 's/"version":"2.1.0"/"version":"2.2"/' "$T/out.sarif" >"$T/v.sarif"
	run ! "$CHECK" sarif-schema "$MT/sarif-2.1.0.json" "$T/v.sarif"
	[[ "$output" == *"'2.2' is not one of"* ]]
}

@test "sarif: rules from the catalogue, levels, relative URIs, fingerprints from finding keys" {
	formats "${LINT[@]}"
	"$CHECK" sarif "$T/report.json" "$T/out.sarif" dnspersist/lint/
	# every finding id of docs/findings.md is a rule, with its prose and anchor
	run /usr/bin/python3 -c 'import json,sys; print(" ".join(r["id"] for r in json.load(open(sys.argv[1]))["runs"][0]["tool"]["driver"]["rules"]))' "$T/out.sarif"
	for id in $(sed -n 's/^### \([a-z0-9-]*\)$/\1/p' docs/findings.md); do
		[[ " $output " == *" $id "* ]] || { echo "no rule $id" >&2 && return 1; }
	done
	grep -q '"fullDescription":{"text":"The record is malformed for the CA it names' "$T/out.sarif"
	# scan, with absolute paths: still relative to the directory it runs in
	formats scan --inventory "$PWD/zones/example.inventory.yaml" --zone "$PWD/zones" --now "$NOW"
	"$CHECK" sarif "$T/report.json" "$T/out.sarif" dnspersist/scan/
	grep -q '"uri":"zones/example.com.zone","uriBaseId":"%SRCROOT%"' "$T/out.sarif"
	run ! grep -q "\"uri\":\"$PWD" "$T/out.sarif"
	grep -q '"automationDetails":{"id":"dnspersist/scan/"}' "$T/out.sarif"
}

@test "sarif: a live scan's findings have no file and still give valid results" {
	need_schema
	need_multitool
	T=$BATS_TEST_TMPDIR
	# nothing listens on the discard port: every lookup fails, dns-error everywhere
	live=(scan --inventory zones/example.inventory.yaml --server 127.0.0.1@9 --timeout 0.1 --retries 0)
	run -3 --separate-stderr dp "${live[@]}" --format json
	printf '%s\n' "$output" >"$T/report.json"
	run -3 --separate-stderr dp "${live[@]}" --format sarif
	printf '%s\n' "$output" >"$T/live.sarif"
	has '"ruleId":"dns-error"'
	has '"uri":"zones/example.inventory.yaml"'
	validate_sarif "$T/live.sarif"
	"$CHECK" sarif "$T/report.json" "$T/live.sarif" dnspersist/scan-live/
	# from elsewhere, the inventory is outside the directory: a logical location only
	cd "$T"
	run -3 --separate-stderr dp scan --inventory "$DP_SRCDIR/zones/example.inventory.yaml" \
		--server 127.0.0.1@9 --timeout 0.1 --retries 0 --format sarif
	printf '%s\n' "$output" >"$T/away.sarif"
	hasnt physicalLocation
	has '"logicalLocations":[{"fullyQualifiedName":"api.example.com","kind":"resource"}]'
	validate_sarif "$T/away.sarif"
}

@test "sarif: at most 5,000 results, the most severe, and a warning when more were cut" {
	T=$BATS_TEST_TMPDIR
	z=$T/example.org.zone
	{
		echo '@ CAA 0 issue "letsencrypt.org"'
		for i in $(seq 1 5003); do
			echo "_validation-persist.n$i TXT \"letsencrypt.org; accounturi=$ACCT;\""
		done
	} >"$z"
	n=$("$DP_BUILDDIR/dnspersist" lint "$z" --format json | grep -c '^{"id":') || true
	[ "$n" -eq 5003 ]
	run -1 --separate-stderr "$DP_BUILDDIR/dnspersist" lint "$z" --format sarif
	[[ "$stderr" == *"sarif: 5003 findings, 3 more than GitHub keeps: only the 5000 most severe were written"* ]]
	printf '%s\n' "$output" >"$T/big.sarif"
	run /usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"][0]; print(len(r["results"]), {x["level"] for x in r["results"]}, r["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"])' "$T/big.sarif"
	status_is 0
	[ "$output" = "5000 {'error'} 5003 findings; only the 5000 most severe are in this run (GitHub's limit)" ]
	run -1 --separate-stderr "$DP_BUILDDIR/dnspersist" lint zones/example.com.zone --format sarif
	[ -z "$stderr" ]
}

@test "github: one workflow command per finding, and a Markdown step summary when asked" {
	formats "${LINT[@]}"
	"$CHECK" github "$T/report.json" "$T/out.github"
	grep -qx '::error file=zones/example.com.zone,line=46,col=1,title=critical record-malformed (edge.example.com)::malformed under the draft: unknown parameter '"'owner'"' appears more than once' "$T/out.github"
	printf '# earlier step\n' >"$T/summary.md"
	GITHUB_STEP_SUMMARY=$T/summary.md run -1 dp "${LINT[@]}" --format github
	[ "$(head -n 1 "$T/summary.md")" = "# earlier step" ]
	grep -q '^### dnspersist lint: critical$' "$T/summary.md"
	"$CHECK" summary "$T/report.json" "$T/summary.md"
	# no summary without the variable, and none from other formats
	GITHUB_STEP_SUMMARY=$T/s2.md run -1 dp "${LINT[@]}" --format sarif
	[ ! -e "$T/s2.md" ]
	# a summary that cannot be written is a warning, not a failed gate
	GITHUB_STEP_SUMMARY=$T/no/such/dir/s.md run -1 --separate-stderr dp "${LINT[@]}" --format github
	[[ "$stderr" == *"GITHUB_STEP_SUMMARY $T/no/such/dir/s.md: No such file or directory"* ]]
}

@test "junit: valid for the XSD GitLab and Jenkins read, unique names, clean names pass" {
	command -v xmllint >/dev/null || skip "xmllint (libxml2-utils) is not installed"
	formats "${LINT[@]}"
	xmllint --noout --schema tests/data/ci/junit.xsd "$T/out.junit"
	"$CHECK" junit "$T/report.json" "$T/out.junit"
	formats "${SCAN[@]}"
	xmllint --noout --schema tests/data/ci/junit.xsd "$T/out.junit"
	"$CHECK" junit "$T/report.json" "$T/out.junit"
	# the XSD catches a repeated test name (so the check above can fail)
	awk '/^<testcase .*\/>$/ && !done { print; done = 1 } { print }' "$T/out.junit" >"$T/dup.xml"
	[ "$(wc -l <"$T/dup.xml")" -gt "$(wc -l <"$T/out.junit")" ]
	run ! xmllint --noout --schema tests/data/ci/junit.xsd "$T/dup.xml"
	[[ "$output" == *"Duplicate key-sequence"* ]]
}

@test "codequality: GitLab's fields, finding keys as fingerprints, paths in the repository" {
	formats "${LINT[@]}"
	"$CHECK" codequality "$T/report.json" "$T/out.codequality"
	formats "${SCAN[@]}"
	"$CHECK" codequality "$T/report.json" "$T/out.codequality"
	grep -q '"check_name":"record-missing","fingerprint":"[0-9a-f]\{16\}","severity":"critical","categories":\["Security"\],"location":{"path":"zones/example.inventory.yaml","lines":{"begin":54}}' "$T/out.codequality"
	# a clean run is an empty array
	run -0 dp lint zones/example.net.zone --now "$NOW" --fail-on critical --format codequality
	/usr/bin/python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert isinstance(d, list)' "$output"
}

@test "hostile records and file names cannot forge commands, break XML or JSON, or add results" {
	need_schema
	T0=$BATS_TEST_TMPDIR
	# a directory and file name with LF, CR, comma, colon, percent, <, " and ::
	d=$T0/$'ev\nil\r,x:y%0A::error::<a href="q">'
	mkdir -p "$d"
	cp tests/data/ci/hostile/example.org.zone "$d/example.org.zone"
	cd "$T0"
	rel=${d#"$T0"/}
	formats lint "$rel/example.org.zone" --now "$NOW"
	cd "$DP_SRCDIR"
	# every format parses, and carries one entry per finding with the data intact
	"$CHECK" sarif-schema "$MT/sarif-2.1.0.json" "$T/out.sarif"
	"$CHECK" sarif "$T/report.json" "$T/out.sarif" dnspersist/lint/
	"$CHECK" github "$T/report.json" "$T/out.github"
	"$CHECK" codequality "$T/report.json" "$T/out.codequality"
	xmllint --noout --schema tests/data/ci/junit.xsd "$T/out.junit"
	"$CHECK" junit "$T/report.json" "$T/out.junit"
	[ "$(grep -c '"check_name"' "$T/out.codequality")" -eq 4 ]
	# no line of the github output is anything but the four commands
	[ "$(wc -l <"$T/out.github")" -eq 4 ]
	[ "$(grep -c '^::\(error\|notice\) file=ev\\x0ail\\x0d%2Cx%3Ay%250A%3A%3Aerror%3A%3A<a href="q">/example.org.zone,line=[0-9]*,col=1,title=' "$T/out.github")" -eq 4 ]
	grep -q 'forged3' "$T/out.github"
	run ! grep -q '<b>' "$T/out.junit"
	if [ -x "$MT/Sarif.Multitool" ]; then validate_sarif "$T/out.sarif"; fi
}
