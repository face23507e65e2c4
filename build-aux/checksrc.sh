#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The mechanical part of the house style (docs: ARCHITECTURE.md section 7),
# run by 'make checksrc' over the C files under src/ and tests/:
#   1. formatting: clang-format --dry-run -Werror with the committed .clang-format
#   2. banned calls: atoi atol sprintf vsprintf strcpy strcat strtok gets
#   3. assignments inside if (...) and while (...) conditions,
#      e.g. if ((x = f())) or if ((st = f()) == DP_OK)
# Prints file:line for each violation, then one count line per kind; exits
# 1 when there is any. Reads and never changes the files.
#
#   build-aux/checksrc.sh [SRCDIR] [FILE...]
#
# CLANG_FORMAT names the binary (default: clang-format, else clang-format-14).
set -eu

top=${1:-.}
[ $# -gt 0 ] && shift
cd "$top"
if [ $# -eq 0 ]; then
	set -- $(find src tests -type f \( -name '*.c' -o -name '*.h' \) | LC_ALL=C sort)
fi

cf=${CLANG_FORMAT:-}
if [ -z "$cf" ]; then
	for c in clang-format clang-format-14; do
		if command -v "$c" >/dev/null 2>&1; then
			cf=$c
			break
		fi
	done
fi
if [ -z "$cf" ]; then
	echo "checksrc: clang-format not found; install the Debian package clang-format" >&2
	exit 2
fi

# 1. Formatting: one line per place clang-format would change.
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
cf_rc=0
"$cf" --dry-run -Werror --style=file "$@" >"$tmp" 2>&1 || cf_rc=$?
fmt=$(awk -F: '/: error: code should be clang-formatted/ {
	print $1 ":" $2 ": formatting: not as .clang-format has it" }' "$tmp")
if [ "$cf_rc" -ne 0 ] && [ -z "$fmt" ]; then
	cat "$tmp" >&2
	echo "checksrc: $cf failed (exit $cf_rc)" >&2
	exit 2
fi

# 2 and 3. On each file with comments, strings and character constants
# blanked (lines kept), so neither a comment nor a message text counts.
rest=$(awk '
function clean(s,    out, i, c, n) {
	out = ""
	n = length(s)
	for (i = 1; i <= n; i++) {
		c = substr(s, i, 1)
		if (state == "comment") {
			if (c == "*" && substr(s, i + 1, 1) == "/") { state = ""; i++; out = out "  "; continue }
			out = out " "
		} else if (state == "str" || state == "chr") {
			if (c == "\\") { out = out "  "; i++; continue }
			if ((state == "str" && c == "\"") || (state == "chr" && c == "\047")) {
				state = ""; out = out c; continue
			}
			out = out " "
		} else if (c == "/" && substr(s, i + 1, 1) == "*") {
			state = "comment"; out = out "  "; i++
		} else if (c == "/" && substr(s, i + 1, 1) == "/") {
			break
		} else if (c == "\"") {
			state = "str"; out = out c
		} else if (c == "\047") {
			state = "chr"; out = out c
		} else {
			out = out c
		}
	}
	if (state == "str" || state == "chr")
		state = ""   # unterminated: a line continuation in a macro, at most
	return out
}
# An assignment operator in a condition: "=" that is not part of ==, !=,
# <=, >=, plus the compound forms (+=, <<=, ...).
function has_assignment(s,    i, n, c, p, q) {
	n = length(s)
	for (i = 1; i <= n; i++) {
		if (substr(s, i, 1) != "=")
			continue
		p = substr(s, i - 1, 1)
		q = substr(s, i + 1, 1)
		if (q == "=") { i++; continue }
		if (p == "=" || p == "!")
			continue
		if (p == "<" || p == ">") {
			if (substr(s, i - 2, 1) == p)
				return 1   # <<= or >>=
			continue
		}
		return 1
	}
	return 0
}
function report_cond(    text) {
	if (has_assignment(cond)) {
		text = cond_src
		gsub(/^[ \t]+|[ \t]+$/, "", text)
		gsub(/[ \t]+/, " ", text)
		if (length(text) > 90)
			text = substr(text, 1, 87) "..."
		printf "%s:%d: assignment in condition: %s\n", FILENAME, cond_line, text
		nassign++
	}
}
# Follow an if/while condition through line s from position i (inside it).
function follow(s, i,    n, c) {
	n = length(s)
	for (; i <= n; i++) {
		c = substr(s, i, 1)
		cond = cond c
		if (c == "(")
			depth++
		else if (c == ")" && --depth == 0) {
			report_cond()
			capturing = 0
			return i + 1
		}
	}
	cond = cond " "
	return n + 1
}
FNR == 1 { state = ""; capturing = 0 }
{
	line = clean($0)
	if (line ~ /^[ \t]*#/)
		next   # preprocessor lines: #if is not if
	rest = line
	# banned calls
	while (match(rest, /(^|[^A-Za-z0-9_])(atoi|atol|sprintf|vsprintf|strcpy|strcat|strtok|gets)[ \t]*\(/)) {
		name = substr(rest, RSTART, RLENGTH)
		sub(/^[^A-Za-z_]/, "", name)
		sub(/[ \t]*\($/, "", name)
		printf "%s:%d: banned call: %s\n", FILENAME, FNR, name
		nbanned++
		rest = substr(rest, RSTART + RLENGTH)
	}
	# if/while conditions, possibly over several lines
	pos = 1
	if (capturing)
		pos = follow(line, 1)
	while (!capturing) {
		s = substr(line, pos)
		if (!match(s, /(^|[^A-Za-z0-9_])(if|while)[ \t]*\(/))
			break
		capturing = 1
		depth = 0
		cond = ""
		cond_line = FNR
		cond_src = $0
		pos = follow(line, pos + RSTART + RLENGTH - 2)
	}
}
END {
	printf "#counts %d %d\n", nbanned, nassign
}' "$@")

printf '%s' "$fmt${fmt:+
}"
printf '%s\n' "$rest" | grep -v '^#counts ' || true
counts=$(printf '%s\n' "$rest" | sed -n 's/^#counts //p')
nbanned=${counts% *}
nassign=${counts#* }
nfmt=$(printf '%s' "$fmt" | grep -c . || true)
echo "checksrc: $nfmt formatting, $nbanned banned calls, $nassign assignments in conditions" \
	"(in $# files)"
[ "$nfmt" -eq 0 ] && [ "$nbanned" -eq 0 ] && [ "$nassign" -eq 0 ]
