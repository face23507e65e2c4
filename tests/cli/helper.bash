# SPDX-License-Identifier: BSD-3-Clause
# Shared set-up for the bats CLI tests: where the binary and data are, and a
# wrapper that runs dnspersist under valgrind (plain builds) so that any leak
# or memory error fails the test with exit status 99.

: "${DP_BUILDDIR:=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}"
: "${DP_SRCDIR:=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}"
ZONES="$DP_SRCDIR/zones"
DATA="$DP_SRCDIR/tests/data"
ACCT=https://acme-v02.api.letsencrypt.org/acme/acct/1234567890
NOW=2026-11-24T00:00:00Z

dp() {
	if [ -n "${DP_VALGRIND:-}" ]; then
		"$DP_VALGRIND" -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
			--error-exitcode=99 "$DP_BUILDDIR/dnspersist" "$@"
	else
		"$DP_BUILDDIR/dnspersist" "$@"
	fi
}

# Fail with the output shown when the last `run` did not exit with $1.
status_is() {
	if [ "$status" -ne "$1" ]; then
		echo "exit status $status, expected $1; output:" >&2
		echo "$output" >&2
		return 1
	fi
}

# Fail unless the last output contains the fixed string $1.
has() {
	if [[ "$output" != *"$1"* ]]; then
		echo "output lacks: $1" >&2
		echo "$output" >&2
		return 1
	fi
}

hasnt() {
	if [[ "$output" == *"$1"* ]]; then
		echo "output should not contain: $1" >&2
		echo "$output" >&2
		return 1
	fi
}
