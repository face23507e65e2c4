#!/usr/bin/env bats
# SPDX-License-Identifier: BSD-3-Clause
# Every long option of every command appears in its --help and in the man page.
# The option tables in the sources are the authority.

bats_require_minimum_version 1.5.0
load helper

# long options of one option table (file, table name): its DP_OPT rows, and
# the shared live-DNS rows of src/cli/cli.h where the table includes them
options_of() {
	local t
	t=$(sed -n "/^static const struct dp_opt $2\\[\\]/,/^};/p" "$DP_SRCDIR/src/$1")
	local m
	for m in $(grep -oE 'DP_(LIVE_OPT|CT_OPTS)[A-Z_]*' <<<"$t" | sort -u); do
		[ "$m" = DP_LIVE_OPTS ] && m=DP_LIVE_OPT_
		t+=$'\n'$(sed -n "/^#define $m/,/^#define DP_LIVE_OPTS\|[^\\]\$/p" "$DP_SRCDIR/src/cli/cli.h")
	done
	grep -oE 'DP_OPT\("[a-z0-9-]+"' <<<"$t" | grep -oE '"[a-z0-9-]+"' | tr -d '"'
}

check_command() {
	local cmd=$1 src=$2 table=$3 opt missing=""
	local help man page=${4:-dnspersist.1}
	if [ "$cmd" = check_dnspersist ]; then
		help=$("$DP_BUILDDIR/check_dnspersist" --help || true)
		page=check_dnspersist.1
	else
		help=$(dp "$cmd" --help)
		# a command with a page of its own (dnspersist-diff.1) is documented there
		[ -f "$DP_SRCDIR/docs/dnspersist-$cmd.1" ] && page=dnspersist-$cmd.1
	fi
	man=$(sed 's/\\-/-/g; s/\\f[BIRP]//g' "$DP_SRCDIR/docs/$page")
	local n=0
	for opt in $(options_of "$src" "$table"); do
		n=$((n + 1))
		[[ "$help" == *"--$opt"* ]] || missing+=" --$opt(help)"
		[[ "$man" == *"--$opt"* ]] || missing+=" --$opt(man)"
	done
	[ "$n" -gt 3 ] || { echo "found only $n options in $src"; return 1; }
	[ -z "$missing" ] || { echo "$cmd: undocumented:$missing"; return 1; }
}

@test "verify: every long option is in --help and the man page" {
	check_command verify cli/verify.c verify_options
}

@test "record: every long option is in --help and the man page" {
	check_command record cli/record.c record_options
}

@test "scan: every long option is in --help and the man page" {
	check_command scan cli/scan.c scan_options
}

@test "lint: every long option is in --help and the man page" {
	check_command lint cli/scan.c lint_options
}

@test "merge: every long option is in --help and its man page" {
	check_command merge cli/merge.c merge_options dnspersist-merge.1
}

@test "diff: every long option is in --help and its man page" {
	check_command diff cli/diff.c diff_options
}

@test "inventory init: every long option is in --help and its man page" {
	check_command inventory cli/inventory.c init_options
}

@test "check_dnspersist: every long option is in --help and the man page" {
	check_command check_dnspersist plugin/check_dnspersist.c plugin_options
}

@test "the man pages render without warnings" {
	command -v man >/dev/null || skip "man is not installed"
	for page in dnspersist.1 check_dnspersist.1 dnspersist-diff.1 dnspersist-inventory.1; do
		run man --warnings -l "$DP_SRCDIR/docs/$page"
		[ "$status" -eq 0 ]
		[ -z "$(man --warnings -l "$DP_SRCDIR/docs/$page" 2>&1 >/dev/null)" ]
	done
}

@test "the check itself notices an undocumented option" {
	help=$(dp verify --help)
	[[ "$help" != *"--no-such-option"* ]]
}

@test "the man page renders without warnings" {
	command -v groff >/dev/null || skip "groff not installed"
	run --separate-stderr timeout 10 groff -man -Tascii -P-cbou -ww "$DP_SRCDIR/docs/dnspersist.1"
	status_is 0
	[ -z "$stderr" ] || { echo "groff: $stderr"; return 1; }
	has "EXIT STATUS"
}
