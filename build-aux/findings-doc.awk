# SPDX-License-Identifier: BSD-3-Clause
# docs/findings.md as a C table, so the reports (the HTML fix texts, the CI
# formats' rules and help) say what the catalogue says and cannot drift
# from it: one row per
# "### id" section, its prose up to "**Fix:**" as the description, the rest
# as the fix, the severity lead ("*critical.*", "*warning* (only with
# caa.require).") dropped: rules may change severities.
#   awk -f build-aux/findings-doc.awk docs/findings.md > findings_doc.inc
function cstr(s) {
	gsub(/\\/, "\\\\", s)
	gsub(/"/, "\\\"", s)
	return "\"" s "\""
}
function flush(    d, f, i) {
	if (id == "")
		return
	sub(/^ +/, "", text)
	sub(/ +$/, "", text)
	# the severity lead: "*critical.*", or "*warning* (only with ...)." up to its first ". "
	if (!sub(/^\*[a-z]+\.\* */, "", text) && substr(text, 1, 1) == "*" && (i = index(text, ". ")))
		text = substr(text, i + 2)
	i = index(text, "**Fix:**")
	d = i ? substr(text, 1, i - 1) : text
	f = i ? substr(text, i + 8) : ""
	sub(/ +$/, "", d)
	sub(/^ +/, "", f)
	printf "    {%s,\n     %s,\n     %s},\n", cstr(id), cstr(d), cstr(f)
	id = ""
}
BEGIN {
	print "/* Generated from docs/findings.md by build-aux/findings-doc.awk: do not edit. */"
}
/^#/ { flush() }
/^### [a-z0-9-]+ *$/ { id = $2; text = ""; next }
id != "" && NF > 0 { text = text " " $0 }
END { flush() }
