#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Run every libFuzzer harness in DIR for SECONDS on a scratch copy of its seed corpus.
# Exit non-zero on the first crash, leak or timeout; the reproducer is left in DIR.
set -euo pipefail
dir=${1:?usage: run.sh FUZZER_DIR SECONDS}
secs=${2:-60}
here=$(cd "$(dirname "$0")" && pwd)
rc=0
for f in record caa zonefile zonescan octodns inventory rules response report render_ci certspotter crtsh directory; do
	work=$(mktemp -d)
	cp -r "$here/corpus/$f/." "$work/" 2>/dev/null || true
	echo "fuzz_$f: ${secs}s on $(ls "$work" | wc -l) seeds"
	if ! "$dir/fuzz_$f" -max_total_time="$secs" -timeout=5 -rss_limit_mb=2048 \
		-max_len=65536 -print_final_stats=1 -artifact_prefix="$dir/fuzz_$f-" "$work" \
		>"$dir/fuzz_$f.out" 2>&1; then
		echo "fuzz_$f FAILED:"
		tail -40 "$dir/fuzz_$f.out"
		rc=1
	else
		grep -E 'stat::number_of_executed_units|cov:' "$dir/fuzz_$f.out" | tail -2
	fi
	rm -rf "$work"
done
exit $rc
