#!/usr/bin/env bats
# SPDX-License-Identifier: BSD-3-Clause
# -o FORMAT:FILE: several formats from one run, each file replaced atomically.
#
# The kill and disk-full tests need the window between "the temporary file
# exists" and "it was renamed" to be hit every time, not by luck. They run
# dnspersist under strace, whose fault injection stops the process at an
# exact system call: SIGKILL at the first write(2) into the temporary (it
# exists and is empty), at its fsync(2) (it exists and is complete) or at
# the rename; ENOSPC or EIO returned by write(2) or fsync(2). Nothing in
# dnspersist knows about the tests. The disk-full test also runs once on a
# real 64 KiB tmpfs in a private mount namespace when the machine allows
# one (unshare), and says so in its TAP output when it has to inject the
# error instead. (strace runs the plain binary: valgrind and ASan's leak
# checker cannot run under ptrace.)

bats_require_minimum_version 1.5.0
load helper

setup() {
	cd "$DP_SRCDIR"
	INV=zones/example.inventory.yaml
	D=$BATS_TEST_TMPDIR/reports
	mkdir -p "$D"
}

# scan of the example organisation at $NOW with extra arguments (through valgrind)
scan() {
	dp scan --inventory "$INV" --zone zones/ --now 2026-11-24 "$@"
}

# yesterday's report in $D/r.json, and a copy to compare with
yesterday() {
	scan --now 2026-11-23 -o json:"$D/r.json" || [ $? -eq 1 ]
	cp "$D/r.json" "$BATS_TEST_TMPDIR/old.json"
}

# The plain binary under strace with one fault injected: $1 the syscall
# set to trace and inject at, $2 the injection (signal=SIGKILL, error=ENOSPC...).
under_strace() {
	local sys=$1 what=$2
	shift 2
	command -v strace >/dev/null || skip "strace is not installed"
	ASAN_OPTIONS=detect_leaks=0 strace -f -qq -o /dev/null -e trace="$sys" \
		-e inject="$sys:$what:when=1" "$DP_BUILDDIR/dnspersist" "$@"
}

# the files in $D, hidden ones included, one line
files() {
	(cd "$D" && ls -A | tr '\n' ' ')
}

same_as_yesterday() {
	cmp "$BATS_TEST_TMPDIR/old.json" "$D/r.json"
}

# the formats a front end offers, from its own error message (so new renderers are covered)
formats_of() {
	"$DP_BUILDDIR/dnspersist" "$@" -o no-such-format:x 2>&1 | sed -n 's/.*known: //p' | tr -d ,
}

@test "several formats from one scan match the single-format runs byte for byte" {
	run scan -o json:"$D/r.json" -o text:"$D/r.txt"
	status_is 1
	[ -z "$output" ] # -o alone: nothing on standard output
	scan --format json >"$BATS_TEST_TMPDIR/single.json" || [ $? -eq 1 ]
	scan --format text --color always >"$BATS_TEST_TMPDIR/single.txt" || [ $? -eq 1 ]
	cmp "$BATS_TEST_TMPDIR/single.json" "$D/r.json"
	# files never get colour, whatever --color says for the terminal
	sed 's/\x1b\[[0-9;]*m//g' "$BATS_TEST_TMPDIR/single.txt" | cmp - "$D/r.txt"
	[ "$(stat -c %s "$D/r.json")" -gt 1000 ]
}

# a report without the last field of the lines listed in vary.$1
unvary() {
	awk -v keys="$BATS_TEST_TMPDIR/vary.$1" '
		BEGIN { while ((getline k < keys) > 0) vary[k] = 1 }
		{ k = $0; sub(/ [^ ]*$/, "", k); if (k in vary) print k " *"; else print }'
}

@test "every format the renderer table offers: one run equals the single runs" {
	local f fmts args=() varying=""
	fmts=$(formats_of scan --inventory "$INV" --zone zones/)
	[[ " $fmts " == *" json "* && " $fmts " == *" text "* ]]
	for f in $fmts; do args+=(-o "$f:$D/r.$f"); done
	run scan "${args[@]}" --format text
	status_is 1
	for f in $fmts; do
		scan --format "$f" >"$BATS_TEST_TMPDIR/a.$f" || [ $? -eq 1 ]
		scan --format "$f" >"$BATS_TEST_TMPDIR/b.$f" || [ $? -eq 1 ]
		# the run's duration in metrics (milliseconds) is a measurement: two
		# fast runs may print the same value and a third another one
		echo "dnspersist_last_run_duration_seconds" >"$BATS_TEST_TMPDIR/vary.$f"
		if cmp -s "$BATS_TEST_TMPDIR/a.$f" "$BATS_TEST_TMPDIR/b.$f"; then
			diff <(unvary "$f" <"$BATS_TEST_TMPDIR/a.$f") <(unvary "$f" <"$D/r.$f")
			continue
		fi
		# A line that differs between two identical runs is compared without
		# its last field; all others byte for byte.
		varying+=" $f"
		diff "$BATS_TEST_TMPDIR/a.$f" "$BATS_TEST_TMPDIR/b.$f" | sed -n 's/^[<>] //p' |
			sed 's/ [^ ]*$//' | sort -u >>"$BATS_TEST_TMPDIR/vary.$f"
		[ "$(wc -l <"$BATS_TEST_TMPDIR/vary.$f")" -le 2 ] # a few lines, not everything
		diff <(unvary "$f" <"$BATS_TEST_TMPDIR/a.$f") <(unvary "$f" <"$D/r.$f")
	done
	[ -z "$varying" ] || echo "# lines that differ between two identical runs, compared without their value:$varying" >&3
}

@test "lint: several formats from one run match the single runs; -o json:- is standard output" {
	local z=(zones/example.com.zone zones/example.net.zone)
	run --separate-stderr dp lint "${z[@]}" --now 2026-11-24 -o json:"$D/l.json" -o text:-
	status_is 1
	dp lint "${z[@]}" --now 2026-11-24 --format json >"$BATS_TEST_TMPDIR/l.json" || [ $? -eq 1 ]
	dp lint "${z[@]}" --now 2026-11-24 --format text >"$BATS_TEST_TMPDIR/l.txt" || [ $? -eq 1 ]
	cmp "$BATS_TEST_TMPDIR/l.json" "$D/l.json"
	cmp "$BATS_TEST_TMPDIR/l.txt" <(printf '%s\n' "$output")
}

@test "a bad -o is exit 2 before anything is written" {
	yesterday
	local bad
	for bad in "xml:$D/r.json" "json" ":$D/r.json" "json:" "json:$D/" "json:$D/nodir/r.json" \
		"json:/dev/null" "json:$D"; do
		run --separate-stderr scan --format text -o "$bad"
		status_is 2
		[ -z "$output" ] || { echo "wrote to stdout for -o $bad"; return 1; }
		[[ "$stderr" == *"error: "* ]]
	done
	run --separate-stderr scan -o json:"$D/r.json" -o text:"$D/r.json"
	status_is 2
	[[ "$stderr" == *"is given twice"* ]]
	ln -s r.json "$D/link.json"
	run --separate-stderr scan -o json:"$D/link.json"
	status_is 2
	[[ "$stderr" == *"not a regular file"* ]]
	run --separate-stderr scan -o xml:"$D/x"
	[[ "$stderr" == *"unknown format 'xml'; known: text, json"* ]]
	run --separate-stderr dp lint zones/example.com.zone -o text:- --format json -o json:-
	status_is 2
	same_as_yesterday
	[ "$(files)" = "link.json r.json " ]
}

@test "new files get the umask's mode; a replaced file too" {
	(umask 027 && scan -o json:"$D/a.json") || [ $? -eq 1 ]
	[ "$(stat -c %a "$D/a.json")" = 640 ]
	chmod 600 "$D/a.json"
	(umask 022 && scan -o json:"$D/a.json") || [ $? -eq 1 ]
	[ "$(stat -c %a "$D/a.json")" = 644 ]
}

@test "SIGKILL at the first write into the temporary leaves yesterday's report" {
	yesterday
	run under_strace write signal=SIGKILL scan --inventory "$INV" --zone zones/ -o json:"$D/r.json"
	status_is 137
	same_as_yesterday
	# the kill came after the temporary appeared: it is still there (nothing
	# can catch SIGKILL), empty
	[[ "$(files)" =~ ^\.r\.json\.[A-Za-z0-9]{6}\ r\.json\ $ ]]
	[ ! -s "$(echo "$D"/.r.json.??????)" ]
}

@test "SIGKILL after the temporary is complete (at its fsync) leaves yesterday's report" {
	yesterday
	run under_strace fsync signal=SIGKILL scan --inventory "$INV" --zone zones/ --now 2026-11-24 \
		-o json:"$D/r.json"
	status_is 137
	same_as_yesterday
	scan --format json >"$BATS_TEST_TMPDIR/today.json" || [ $? -eq 1 ]
	! cmp -s "$BATS_TEST_TMPDIR/today.json" "$D/r.json" # today's report differs ...
	cmp "$BATS_TEST_TMPDIR/today.json" "$D"/.r.json.??????  # ... and was all written
}

@test "SIGKILL at the rename leaves yesterday's report" {
	yesterday
	run under_strace '/^rename' signal=SIGKILL scan --inventory "$INV" --zone zones/ -o json:"$D/r.json"
	status_is 137
	same_as_yesterday
	[[ "$(files)" =~ ^\.r\.json\.[A-Za-z0-9]{6}\ r\.json\ $ ]]
}

@test "SIGTERM while writing leaves yesterday's report and removes the temporary" {
	yesterday
	run under_strace fsync signal=SIGTERM scan --inventory "$INV" --zone zones/ -o json:"$D/r.json"
	status_is 143
	same_as_yesterday
	[ "$(files)" = "r.json " ]
}

@test "ENOSPC or EIO while writing: exit 2, a clear message, yesterday's report" {
	yesterday
	run --separate-stderr under_strace write error=ENOSPC scan --inventory "$INV" --zone zones/ \
		-o json:"$D/r.json"
	status_is 2
	[[ "$stderr" == *"$D/r.json: cannot write: No space left on device; the file is left as it was"* ]]
	same_as_yesterday
	[ "$(files)" = "r.json " ]
	run --separate-stderr under_strace fsync error=EIO scan --inventory "$INV" --zone zones/ \
		-o json:"$D/r.json"
	status_is 2
	[[ "$stderr" == *"r.json: cannot write (fsync): Input/output error"* ]]
	same_as_yesterday
	[ "$(files)" = "r.json " ]
}

@test "one output failing does not stop the others; the exit status says so" {
	yesterday
	run --separate-stderr under_strace fsync error=ENOSPC scan --inventory "$INV" --zone zones/ \
		-o json:"$D/r.json" -o text:"$D/r.txt"
	status_is 2
	same_as_yesterday
	[ -s "$D/r.txt" ] # the second fsync was not injected
	[ "$(files)" = "r.json r.txt " ]
}

# Inside a private mount namespace: a 64 KiB tmpfs at $1 holding yesterday's
# report, filled up, then today's run; results copied out to $2.
full_disk_script='
set -u
mnt=$1 out=$2 dp=$3
shift 3
mount -t tmpfs -o size=64k tmpfs "$mnt" || exit 90
"$dp" "$@" --now 2026-11-23 -o json:"$mnt/r.json"
cp "$mnt/r.json" "$out/old.json"
dd if=/dev/zero of="$mnt/fill" bs=1k 2>/dev/null
"$dp" "$@" --now 2026-11-24 -o json:"$mnt/r.json" 2>"$out/stderr"
echo $? >"$out/status"
cp "$mnt/r.json" "$out/after.json"
(cd "$mnt" && ls -A | tr "\n" " ") >"$out/files"
'

@test "a full output directory (a real tmpfs when possible) leaves yesterday's report" {
	local ns="" args=(scan --inventory "$INV" --zone zones/)
	if unshare -rm true 2>/dev/null; then
		ns="unshare -rm"
	elif [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null; then
		ns="unshare -m"
	fi
	mkdir -p "$D/mnt"
	if [ -n "$ns" ] && ASAN_OPTIONS=detect_leaks=0 $ns sh -c "$full_disk_script" sh \
		"$D/mnt" "$BATS_TEST_TMPDIR" "$DP_BUILDDIR/dnspersist" "${args[@]}"; then
		[ "$(cat "$BATS_TEST_TMPDIR/status")" = 2 ]
		grep -q "cannot write: No space left on device; the file is left as it was" \
			"$BATS_TEST_TMPDIR/stderr"
		cmp "$BATS_TEST_TMPDIR/old.json" "$BATS_TEST_TMPDIR/after.json"
		[ "$(cat "$BATS_TEST_TMPDIR/files")" = "fill r.json " ]
		return 0
	fi
	echo "# no private mount namespace here: ENOSPC injected by strace instead" >&3
	yesterday
	run --separate-stderr under_strace write error=ENOSPC "${args[@]}" -o json:"$D/r.json"
	status_is 2
	same_as_yesterday
}
