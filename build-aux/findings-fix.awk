# SPDX-License-Identifier: BSD-3-Clause
# The fix texts of docs/findings.md as a C table, made at build time so that
# the report's "how to fix" can never drift from the catalogue: for every
# "### id" section, the text after "**Fix:**" to the end of its paragraph,
# lines joined with one space, markdown kept (backticks mark code).
#   awk -f build-aux/findings-fix.awk docs/findings.md >finding_fix.inc
function flush() {
	if (id != "" && fix != "") {
		gsub(/\\/, "\\\\", fix)
		gsub(/"/, "\\\"", fix)
		printf "\t{\"%s\", \"%s\"},\n", id, fix
	}
	infix = 0
	fix = ""
}
BEGIN {
	print "/* Generated from docs/findings.md by build-aux/findings-fix.awk: do not edit. */"
}
/^#/ { flush(); id = ""; if ($0 ~ /^### /) id = $2; next }
/^[ \t]*$/ { flush(); next }
infix { fix = fix " " $0; next }
/\*\*Fix:\*\*/ {
	infix = 1
	fix = $0
	sub(/.*\*\*Fix:\*\*[ \t]*/, "", fix)
	next
}
END { flush() }
