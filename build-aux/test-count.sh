#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Compare what a 'make check' ran with what the tree declares, and print the
# closing count line. A harness that cannot lose tests: a test program or
# bats file that did not run, or ran fewer tests than its source declares,
# fails the run, and so does a skip when CI=true (CI installs everything).
#
#   build-aux/test-count.sh [--all] SRCDIR BUILDDIR TEST...
#
# --all: the TESTs are every test the Makefile declares; then a test source
# in the tree that is not among them (tests/unit/test_*.c,
# tests/cli/*.bats, tests/integration/*.bats) is a problem too.
#
# TEST is a name from the Makefile's TESTS (tests/unit/test_x or
# tests/cli/x.bats). Declared counts come from the sources: the
# cmocka_unit_test* entries of tests/unit/test_x.c, the @test lines of a
# .bats file. (A case table runs inside one cmocka test and is one TAP
# line, so the count of entries is the count that runs; a test file that
# registers tests in a loop would need its own rule here.) Results come
# from the .trs files the TAP driver wrote in
# BUILDDIR. Prints one problem per line on stderr, then
# "N passed, N failed, N skipped" on stdout; exits 1 on any problem or
# failed test.
set -eu

all=
if [ "${1:-}" = --all ]; then
	all=1
	shift
fi
if [ $# -lt 2 ]; then
	echo "usage: $0 [--all] SRCDIR BUILDDIR TEST..." >&2
	exit 2
fi
srcdir=$1
builddir=$2
shift 2

# How many tests a source declares; the file name decides the kind.
declared() {
	case $1 in
	*.bats)
		grep -c '^[[:space:]]*@test[[:space:]]' "$srcdir/$1" || true
		;;
	*)
		grep -o 'cmocka_unit_test[a-z_]*[[:space:]]*(' "$srcdir/$1.c" | wc -l
		;;
	esac
}

source_of() {
	case $1 in
	*.bats) echo "$srcdir/$1" ;;
	*) echo "$srcdir/$1.c" ;;
	esac
}

problems=0
problem() {
	echo "test-count: $*" >&2
	problems=$((problems + 1))
}

# A test file nobody listed in Makefile.am is a test lost.
if [ -n "$all" ]; then
	for f in "$srcdir"/tests/unit/test_*.c "$srcdir"/tests/cli/*.bats \
		"$srcdir"/tests/integration/*.bats; do
		[ -f "$f" ] || continue
		rel=${f#"$srcdir"/}
		case $rel in *.c) rel=${rel%.c} ;; esac
		case " $* " in
		*" $rel "*) ;;
		*) problem "$rel: in the tree but not in the Makefile's tests" ;;
		esac
	done
fi

passed=0
failed=0
skipped=0
for t in "$@"; do
	src=$(source_of "$t")
	if [ ! -f "$src" ]; then
		problem "$t: no source $src"
		continue
	fi
	want=$(declared "$t")
	base=${t%.bats}
	trs="$builddir/$base.trs"
	if [ ! -f "$trs" ]; then
		problem "$t: did not run (no $base.trs; $want tests declared)"
		continue
	fi
	# p f s e: passed, failed, skipped, errors (not a test of their own)
	set -- $(awk '
		/^:test-result: (PASS|XFAIL)/ { p++ }
		/^:test-result: (FAIL|XPASS)/ { f++ }
		/^:test-result: SKIP/ { s++ }
		/^:test-result: ERROR/ { e++ }
		END { printf "%d %d %d %d\n", p, f, s, e }' "$trs")
	p=$1 f=$2 s=$3 e=$4
	# "1..0 # SKIP reason": the whole file skipped, every declared test with it
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && [ -f "$builddir/$base.log" ] &&
		grep -q '^1\.\.0' "$builddir/$base.log"; then
		s=$want
	fi
	ran=$((p + f + s))
	if [ "$ran" -lt "$want" ]; then
		problem "$t: ran $ran of the $want tests its source declares ($((want - ran)) missing)"
	elif [ "$ran" -gt "$want" ]; then
		problem "$t: ran $ran tests but its source declares $want (is the count in $(basename "$src") wrong?)"
	fi
	if [ "$s" -gt 0 ] && [ "${CI:-}" = true ]; then
		problem "$t: $s skipped, and CI installs everything: a skip is a failure here"
		grep -i -E '^(ok .*# skip|1\.\.0)' "$builddir/$base.log" 2>/dev/null |
			sed 's/^/  /' >&2 || true
	fi
	# an ERROR beside failed tests is their consequence (the exit status), not one more
	[ "$f" -gt 0 ] && e=0
	passed=$((passed + p))
	failed=$((failed + f + e))
	skipped=$((skipped + s))
done

total=$((passed + failed + skipped))
if [ "$total" -eq 0 ]; then
	problem "no test ran"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$problems" -eq 0 ] && [ "$failed" -eq 0 ]
