#!/usr/bin/env bats
# SPDX-License-Identifier: BSD-3-Clause
# --format html: a page real programs accept. Chromium (headless) loads the
# report of the example organisation and of one whose DNS holds markup; its
# DOM must hold the run's counts, names and timeline and no element or
# attribute made from data (tests/cli/html_dom.py compares with the JSON
# report of the same run). The Nu HTML Checker (npm vnu-jar, installed by
# ./dev.sh into _tools/npm/) must find no error.

load helper

HOSTILE="$DATA/zones-html"

setup() {
	TMP=$(mktemp -d "${BATS_TMPDIR:-/tmp}/dp-html.XXXXXX")
}

teardown() {
	rm -rf "$TMP"
}

need_chromium() {
	command -v chromium >/dev/null || skip "chromium is not installed (Debian package chromium)"
	command -v python3 >/dev/null || skip "python3 is not installed"
}

# chromium ARGS... FILE: headless, a fresh profile, bounded in time.
chromium_run() {
	local sandbox=()
	[ "$(id -u)" -ne 0 ] || sandbox=(--no-sandbox)
	timeout 120 chromium --headless "${sandbox[@]}" --disable-gpu --no-first-run \
		--user-data-dir="$TMP/profile" "$@" 2>"$TMP/chromium.log"
}

# The example organisation's HTML and JSON reports of one moment.
example_reports() {
	dp scan --inventory "$ZONES/example.inventory.yaml" --zone "$ZONES" --now "$NOW" \
		--format html >"$TMP/report.html" || [ $? -eq 1 ]
	dp scan --inventory "$ZONES/example.inventory.yaml" --zone "$ZONES" --now "$NOW" \
		--format json >"$TMP/report.json" || [ $? -eq 1 ]
}

# The hostile organisation, its zone under a file name that is markup too.
hostile_reports() {
	local zone="$TMP/<img src=x onerror=alert(11)>.zone"
	cp "$HOSTILE/hostile.example.zone" "$zone"
	dp scan --inventory "$HOSTILE/hostile.inventory.yaml" --zone "$zone" --now "$NOW" \
		--format html >"$TMP/hostile.html" || [ $? -eq 1 ]
	dp scan --inventory "$HOSTILE/hostile.inventory.yaml" --zone "$zone" --now "$NOW" \
		--format json >"$TMP/hostile.json" || [ $? -eq 1 ]
}

# The example organisation against its own JSON report, after a change whose
# account URI is markup: the page must show the change first, as text.
changed_report() {
	mkdir -p "$TMP/zones"
	cp "$ZONES"/*.zone "$TMP/zones/"
	dp scan --inventory "$ZONES/example.inventory.yaml" --zone "$TMP/zones" --now "$NOW" \
		--format json >"$TMP/base.json" || [ $? -eq 1 ]
	printf '%s\n' '_validation-persist.new IN TXT "letsencrypt.org; accounturi=https://x.example/<script>alert(1)</script>"' \
		>>"$TMP/zones/example.com.zone"
	dp scan --inventory "$ZONES/example.inventory.yaml" --zone "$TMP/zones" --now "$NOW" \
		--baseline "$TMP/base.json" --format html >"$TMP/changes.html" || [ $? -eq 1 ]
}

@test "html: Chromium shows the example report's counts, names and timeline; screenshot" {
	need_chromium
	example_reports
	chromium_run --dump-dom "file://$TMP/report.html" >"$TMP/dom.html"
	run python3 "$BATS_TEST_DIRNAME/html_dom.py" "$TMP/dom.html" "$TMP/report.json" \
		"legacy.example.com" "remove the record (or the parent's policy=wildcard)" \
		"DNS-PERSIST-01 authorization audit" "zones/example.inventory.yaml"
	status_is 0
	chromium_run --hide-scrollbars --window-size=1200,1800 \
		--screenshot="$TMP/report.png" "file://$TMP/report.html" >/dev/null
	# a PNG, and not a blank one: a page this size compresses to more than 20 kB
	[ "$(head -c 8 "$TMP/report.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]
	[ "$(stat -c %s "$TMP/report.png")" -gt 20000 ]
}

@test "html: markup in DNS data and file names makes no element or attribute in Chromium" {
	need_chromium
	hostile_reports
	chromium_run --dump-dom "file://$TMP/hostile.html" >"$TMP/dom.html"
	# shown as text, every one of them, and not one element or attribute
	run python3 "$BATS_TEST_DIRNAME/html_dom.py" "$TMP/dom.html" "$TMP/hostile.json" \
		'<script>alert(4)</script>' '</title></svg><script>alert(1)</script>' \
		'javascript:alert(2)' '"onload="alert(3)' '"><svg onload=alert(8)>' \
		"1'onmouseover='alert(9)" 'javascript:alert(5)//"onload=alert(6)' \
		'<img src=x onerror=alert(11)>.zone' '&lt;b&gt;not-bold' '\x1b[31m\xc8\xff' \
		'münchen.hostile.example'
	status_is 0
}

@test "html: the example and hostile reports validate with the Nu HTML Checker" {
	local jar="${VNU_JAR:-${DP_TOOLS:-$DP_SRCDIR/_tools}/npm/node_modules/vnu-jar/build/dist/vnu.jar}"
	[ -s "$jar" ] || skip "vnu.jar not installed (./dev.sh check installs npm vnu-jar)"
	command -v java >/dev/null || skip "java is not installed (default-jre-headless)"
	example_reports
	hostile_reports
	changed_report
	run timeout 300 java -jar "$jar" --errors-only "$TMP/report.html" "$TMP/hostile.html" \
		"$TMP/changes.html"
	status_is 0
	[ -z "$output" ]
}

@test "html: self-contained: no script, no stylesheet or image fetched, no data in attributes" {
	hostile_reports
	run cat "$TMP/hostile.html"
	hasnt "<script"
	hasnt "<link"
	hasnt "<img"
	hasnt "url("
	hasnt "@import"
	has "<style>"
	has "<svg id=\"timeline-svg\""
	# no tag loads anything or has an event handler; every href stays in the page
	[ -z "$(grep -o '<[a-zA-Z][^>]*>' "$TMP/hostile.html" | grep -E ' (src|on[a-z]+)=')" ]
	[ -z "$(grep -o 'href="[^"]*"' "$TMP/hostile.html" | grep -v 'href="#')" ]
	# the data is there, escaped
	has "&lt;script&gt;alert(4)&lt;/script&gt;"
	has "&quot;onload=&quot;alert(3)"
	has "&lt;img src=x onerror=alert(11)&gt;.zone"
}

@test "html: findings carry the fix text of docs/findings.md; the timeline marks the horizons" {
	example_reports
	run cat "$TMP/report.html"
	has '<b>Fix:</b> publish a new record with a later <code>persistUntil</code>'
	has 'id="timeline-today"'
	has 'critical: 7 days'
	has 'warning: 30 days'
	# open-ended authorizations have a lane of their own
	has 'class="mark m-open"'
	has 'id="timeline-open-lane"'
	# the run's rules set the horizons
	cat >"$TMP/rules.yaml" <<-'EOF'
		version: 1
		persist_until:
		  warn_before: 60d
		  crit_before: 10d
	EOF
	run dp scan --inventory "$ZONES/example.inventory.yaml" --zone "$ZONES" --now "$NOW" \
		--rules "$TMP/rules.yaml" --format html
	status_is 1
	has 'critical: 10 days'
	has 'warning: 60 days'
}

@test "html: lint writes a page too, its records on the timeline" {
	run dp lint "$ZONES/example.com.zone" --now "$NOW" --format html
	status_is 1
	has "<!DOCTYPE html>"
	has "</html>"
	has 'class="mark m-passed"'
}

@test "html: with --baseline the changes come first, data as text" {
	changed_report
	grep -q '<section id="changes">' "$TMP/changes.html"
	# the section precedes the names table in the document
	awk '/<section id="changes">/ {c = NR} /<section id="names">/ {n = NR}
		END {exit !(c > 0 && n > c)}' "$TMP/changes.html"
	grep -q '1 new, 0 resolved finding(s); 1 granted, 0 revoked' "$TMP/changes.html"
	grep -q '<tr class="change-new"><td>new</td><td>new.example.com</td>' "$TMP/changes.html"
	grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$TMP/changes.html"
	! grep -q '<script' "$TMP/changes.html"
	# without a baseline there is no such section
	example_reports
	! grep -q 'id="changes"' "$TMP/report.html"
}

@test "html: with --ct each name lists its certificates, links as text" {
	dp scan --inventory "$ZONES/example.inventory.yaml" --zone "$ZONES" --now "$NOW" \
		--ct "file:$ZONES/example.ct.json" --format html >"$TMP/ct.html" || [ $? -eq 1 ]
	grep -q '<h4>Certificates in CT</h4>' "$TMP/ct.html"
	grep -q '<tr><td>DigiCert</td><td>digicert.com, www.digicert.com</td><td>shop.example.com, www.shop.example.com</td>' "$TMP/ct.html"
	# a certificate's link is shown, never followed: no href leaves the page
	grep -q '<code>https://crt.sh/?sha256=' "$TMP/ct.html"
	! grep -q 'href="http' "$TMP/ct.html"
	# without --ct there is no such table
	example_reports
	! grep -q 'Certificates in CT' "$TMP/report.html"
}
