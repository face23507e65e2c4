#!/usr/bin/env bats
# SPDX-License-Identifier: BSD-3-Clause
# build-aux/test-count.sh, the harness's closing count: on a fake tree, it
# fails when a test did not run, ran fewer tests than declared, or skipped in CI.

bats_require_minimum_version 1.5.0
load helper

setup() {
	src=$BATS_TEST_TMPDIR/src
	bld=$BATS_TEST_TMPDIR/build
	mkdir -p "$src/tests/unit" "$src/tests/cli" "$bld/tests/unit" "$bld/tests/cli"
	# a unit test declaring 3 tests (one with setup/teardown), a bats file declaring 2
	cat >"$src/tests/unit/test_a.c" <<'C'
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_one),
	    cmocka_unit_test(test_two),
	    cmocka_unit_test_setup_teardown(test_three, up, down),
	};
C
	printf '@test "one" {\n\ttrue\n}\n\n@test "two" {\n\ttrue\n}\n' >"$src/tests/cli/b.bats"
	unset CI
}

# trs NAME RESULT...: the .trs file the TAP driver would write
trs() {
	local f=$bld/$1.trs r
	shift
	: >"$f"
	for r in "$@"; do
		echo ":test-result: $r" >>"$f"
	done
}

count() {
	run --separate-stderr sh "$DP_SRCDIR/build-aux/test-count.sh" "$@" "$src" "$bld" \
		tests/unit/test_a tests/cli/b.bats
}

@test "every declared test ran: the count line, exit 0" {
	trs tests/unit/test_a PASS PASS PASS
	trs tests/cli/b PASS FAIL ERROR # ERROR: the driver's "exited with status 1"
	count
	status_is 1 # a failed test fails the count too
	[ "$output" = "4 passed, 1 failed, 0 skipped" ]
	[ -z "$stderr" ]
	trs tests/cli/b PASS PASS ERROR # e.g. a crash after the last test
	count
	status_is 1
	[ "$output" = "5 passed, 1 failed, 0 skipped" ]
	trs tests/cli/b PASS PASS
	count
	status_is 0
	[ "$output" = "5 passed, 0 failed, 0 skipped" ]
}

@test "a test program that did not run fails, naming it and its declared count" {
	trs tests/cli/b PASS PASS
	count
	status_is 1
	[ "$output" = "2 passed, 0 failed, 0 skipped" ]
	[[ "$stderr" == *"tests/unit/test_a: did not run (no tests/unit/test_a.trs; 3 tests declared)"* ]]
}

@test "fewer tests than the source declares fails" {
	trs tests/unit/test_a PASS PASS
	trs tests/cli/b PASS PASS
	count
	status_is 1
	[[ "$stderr" == *"tests/unit/test_a: ran 2 of the 3 tests its source declares (1 missing)"* ]]
}

@test "nothing ran at all fails" {
	run --separate-stderr sh "$DP_SRCDIR/build-aux/test-count.sh" "$src" "$bld"
	status_is 1
	[ "$output" = "0 passed, 0 failed, 0 skipped" ]
	[[ "$stderr" == *"no test ran"* ]]
}

@test "skips count as run; with CI=true a skip fails" {
	trs tests/unit/test_a PASS PASS SKIP
	trs tests/cli/b SKIP
	printf '1..0 # SKIP not installed: nsd\n' >"$bld/tests/cli/b.log"
	count
	status_is 0
	[ "$output" = "2 passed, 0 failed, 3 skipped" ]
	CI=true count
	status_is 1
	[[ "$stderr" == *"tests/unit/test_a: 1 skipped, and CI installs everything"* ]]
	[[ "$stderr" == *"tests/cli/b.bats: 2 skipped"* ]]
}

@test "--all: a test file in the tree but not in the Makefile is lost, and fails" {
	trs tests/unit/test_a PASS PASS PASS
	trs tests/cli/b PASS PASS
	touch "$src/tests/cli/forgotten.bats"
	count --all
	status_is 1
	[[ "$stderr" == *"tests/cli/forgotten.bats: in the tree but not in the Makefile's tests"* ]]
}

# build-aux/checksrc.sh on a file of lookalikes; clang-format replaced by
# `true` so that only the two grep-like checks speak.
@test "checksrc: banned calls and assignments in conditions, not their lookalikes" {
	mkdir -p "$src/src"
	cat >"$src/src/x.c" <<'C'
/* if ((x = y)) and strcpy(a, b) in a comment do not count */
#if A == 1
static int f(char *a, const char *b, int x, int c)
{
	char buf[8];
	if (a == b || x <= 2 || x >= 3 || x != 4 || a[0] == '=')
		return snprintf(buf, sizeof(buf), "if ((x = 1)) %s", b);
	for (x = 0; x < 3; x++)
		my_strcpy(a, b);
	if ((x = c) != 0)
		return 1;
	while (x > 0 &&
	       (c = x--) != 0)
		strcpy(a, b);
	if (x <<= 1)
		return sprintf(buf, "%d", x) + atoi(b);
	return 0;
}
#endif
C
	run --separate-stderr env CLANG_FORMAT=true sh "$DP_SRCDIR/build-aux/checksrc.sh" "$src"
	status_is 1
	[ "$output" = "src/x.c:10: assignment in condition: if ((x = c) != 0)
src/x.c:12: assignment in condition: while (x > 0 &&
src/x.c:14: banned call: strcpy
src/x.c:15: assignment in condition: if (x <<= 1)
src/x.c:16: banned call: sprintf
src/x.c:16: banned call: atoi
checksrc: 0 formatting, 3 banned calls, 3 assignments in conditions (in 2 files)" ] ||
		{ echo "$output" >&2; false; }
}
