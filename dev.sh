#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# One entry point for a fresh Debian 12 machine:
#   ./dev.sh demo       install build deps, build, run the main job on the shipped examples
#   ./dev.sh check      the same set-up, then the whole test suite (make check and the
#                       Debian package), ending with one count line
#   ./dev.sh sanitize   the test suite again in an ASan+UBSan build (_build-san)
#   ./dev.sh fuzz [S]   build the libFuzzer harnesses (_build-fuzz) and run each S seconds
#   ./dev.sh build      just install and build
#   ./dev.sh need P...  install the Debian packages P that are missing (bench scripts)
#   ./dev.sh deb        build the Debian package in _build-deb/ from 'make dist', then test it
#   ./dev.sh tools      install the npm packages the tests use into _tools/npm
#   ./dev.sh sum L...   add up count lines (N passed, N failed, N skipped)
set -euo pipefail
cd "$(dirname "$0")"
top=$PWD

build_pkgs=(build-essential autoconf automake pkg-config libldns-dev libyaml-dev
	libcurl4-openssl-dev libjansson-dev libpcre2-dev libidn2-dev)
test_pkgs=(libcmocka-dev bats valgrind nsd unbound ldnsutils iproute2 man-db
	nagios4-core icinga2-bin monitoring-plugins-standard clang-format python3 groff-base
	strace systemd prometheus chromium default-jre-headless python3-yaml yamllint
	python3-jsonschema libxml2-utils pre-commit git dnsdist openssl curl)
# npm packages the tests call, installed into _tools/npm (git-ignored), pinned:
# the SARIF validator GitHub's rules come in (tests/cli/ci.bats) and the Nu
# HTML Checker, run on Debian's Java (tests/cli/html.bats)
npm_pkgs=(@microsoft/sarif-multitool@5.7.0 @microsoft/sarif-multitool-linux@5.7.0 vnu-jar@26.9.27)
fuzz_pkgs=(clang libclang-rt-14-dev)
deb_pkgs=(debhelper dpkg-dev lintian bats systemd)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Install what is missing: apt-get as root, otherwise print the exact command and stop.
need() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "dev.sh: missing packages; run this, then dev.sh again:" >&2
		echo "  sudo apt-get install -y ${missing[*]}" >&2
		exit 2
	fi
	say "installing ${missing[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null
	installed=1
}
installed=0

# The npm packages into _tools/npm, once per pinned set; npm from Debian when
# there is none (a Node.js from elsewhere brings its own).
npm_tools() {
	local dir=$top/_tools/npm want
	want=$(printf '%s\n' "${npm_pkgs[@]}")
	[ "$(cat "$dir/.installed" 2>/dev/null)" = "$want" ] && return 0
	command -v npm >/dev/null || need npm
	say "npm install ${npm_pkgs[*]} (into _tools/npm)"
	mkdir -p "$dir"
	npm install --prefix "$dir" --no-audit --no-fund --no-save --ignore-scripts --loglevel=error \
		"${npm_pkgs[@]}" >/dev/null
	# the validator is a native binary the package's install script marks executable
	chmod u+x "$dir/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
	printf '%s\n' "$want" >"$dir/.installed"
}

# Build in DIR (default: in place if configured in place, else _build) with configure ARGS.
builddir() {
	if [ -f "$top/config.status" ]; then echo "$top"; else echo "$top/_build"; fi
}

# True when the configuration in DIR found cmocka and bats. (config.status
# holds what configure substituted.)
has_test_tools() {
	grep -q '^S\["have_cmocka"\]="yes"' "$1/config.status" 2>/dev/null &&
		grep -q '^S\["BATS"\]="..*"' "$1/config.status"
}

# A build directory configured before the test tools were installed would
# run no test; configure it again, with the arguments it was configured with.
reconfigure_if_stale() {
	local dir=$1 why=
	[ -f "$dir/config.status" ] || return 0
	if [ "$installed" -eq 1 ]; then
		why="packages were installed after it was configured"
	elif ! has_test_tools "$dir" && pkg-config --exists cmocka 2>/dev/null &&
		command -v bats >/dev/null; then
		why="it was configured without cmocka or bats, which are installed now"
	else
		return 0
	fi
	say "reconfigure $dir: $why"
	(cd "$dir" && ./config.status --recheck >/dev/null && ./config.status >/dev/null)
}

build_in() {
	local dir=$1
	shift
	[ -x "$top/configure" ] || (say "autoreconf" && autoreconf -fi)
	mkdir -p "$dir"
	reconfigure_if_stale "$dir"
	if [ ! -f "$dir/Makefile" ]; then
		if [ "$dir" != "$top" ] && [ -f "$top/config.status" ]; then
			echo "dev.sh: the source tree is configured in place; run 'make distclean' first" >&2
			exit 2
		fi
		say "configure $*"
		(cd "$dir" && "$top/configure" -q "$@")
	fi
	say "make ($dir)"
	make -C "$dir" -s -j"$(nproc)" >/dev/null
}

# The closing count line of the last 'make check', over every test the tree
# declares; fails when one did not run or ran fewer tests than it declares
# (and, with CI=true, on any skip). build-aux/test-count.sh does the counting.
summary() {
	make -C "$1" -s --no-print-directory test-count
}

run_check() {
	local dir=$1 rc=0
	find "$dir/tests" \( -name '*.trs' -o -name '*.log' \) -delete 2>/dev/null || true
	say "make check ($dir)"
	make -C "$dir" -s -j"$(nproc)" check >/dev/null 2>&1 || rc=$?
	if [ $rc -ne 0 ]; then
		# show what failed, from the test logs
		# (|| true: head closing the pipe early is not a failure of the run)
		grep -l -E '^(not ok|ERROR|FAIL)' "$dir"/tests/*/*.log 2>/dev/null | while read -r l; do
			echo "--- $l" >&2
			grep -E -B2 -A12 '^(not ok|# )' "$l" | head -60 >&2 || true
		done || true
		[ -f "$dir/test-suite.log" ] || make -C "$dir" check 2>&1 | tail -30 >&2
	fi
	summary "$dir" || rc=1
	return $rc
}

demo() {
	local d
	d=$(builddir)
	local dp="$d/dnspersist"
	local acct=https://acme-v02.api.letsencrypt.org/acme/acct/1234567890
	say "dnspersist scan: the example organisation's zones against its inventory (offline)"
	"$dp" scan --inventory zones/example.inventory.yaml --zone zones/ || true
	echo
	say "dnspersist verify shop.example.com: would Let's Encrypt validate it, and why?"
	"$dp" verify shop.example.com --issuer letsencrypt.org --account-uri "$acct" \
		--zone zones/example.com.zone || true
	echo
	say "dnspersist record: what to publish for www.example.com, for 90 days"
	"$dp" record --issuer letsencrypt.org --account-uri "$acct" --name www.example.com \
		--persist-until +90d
}

# The Debian package, out of the tree: the release tarball of a build ('make
# dist', so a file missing from it fails here too) unpacked in _build-deb/
# with debian/ beside it, built with dpkg-buildpackage -b. Prints the .deb.
build_deb() {
	local d out=$top/_build-deb ver src
	d=$(builddir)
	ver=$(sed -n 's/^PACKAGE_VERSION = //p' "$d/Makefile")
	say "make dist, then dpkg-buildpackage -b in $out"
	make -C "$d" -s dist >/dev/null
	rm -rf "$out"
	mkdir -p "$out"
	tar -C "$out" -xzf "$d/dnspersist-$ver.tar.gz"
	src=$out/dnspersist-$ver
	cp -a "$top/debian" "$src/"
	if ! (cd "$src" && dpkg-buildpackage -b -us -uc) >"$out/build.log" 2>&1; then
		tail -40 "$out/build.log" >&2
		echo "dev.sh: the package did not build; the whole log: $out/build.log" >&2
		return 1
	fi
	ls "$out"/dnspersist_"$ver"-*_*.deb
}

# tests/package/deb.bats on a built .deb, ending with the count line (with
# CI=true a skip is a failure, as in make check).
test_deb() {
	local tap rc=0 counts
	tap=$(DP_DEB=$1 DP_SRCDIR=$top bats --tap "$top/tests/package/deb.bats") || rc=$?
	printf '%s\n' "$tap" >&2
	counts=$(awk '/^ok .*# skip/ {s++; next} /^ok / {p++} /^not ok / {f++}
		END {printf "%d passed, %d failed, %d skipped", p, f, s}' <<<"$tap")
	echo "$counts"
	case $counts in *" 0 skipped") ;; *) [ "${CI:-}" != true ] || rc=1 ;; esac
	return $rc
}

# Count lines ("N passed, N failed, N skipped") summed into one; a line
# that is not one (a step that stopped early) counts as nothing.
sum_counts() {
	printf '%s\n' "$@" | awk '/^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$/ {p += $1; f += $3; s += $5}
		END {printf "%d passed, %d failed, %d skipped\n", p, f, s}'
}

cmd=${1:-}
case $cmd in
build)
	need "${build_pkgs[@]}"
	build_in "$(builddir)"
	;;
demo)
	need "${build_pkgs[@]}"
	build_in "$(builddir)"
	demo
	;;
check)
	# the whole suite: make check, then the Debian package built and tested,
	# summed into one count line
	need "${build_pkgs[@]}" "${test_pkgs[@]}" "${deb_pkgs[@]}"
	npm_tools
	build_in "$(builddir)"
	rc=0
	suite=$(run_check "$(builddir)") || rc=1
	printf 'make check: %s\n' "$suite" >&2
	deb=$(build_deb) || rc=1
	package="0 passed, 0 failed, 0 skipped"
	if [ -n "$deb" ]; then
		package=$(test_deb "$deb") || rc=1
	fi
	printf 'Debian package: %s\n' "$package" >&2
	sum_counts "$suite" "$package"
	exit $rc
	;;
sanitize)
	need "${build_pkgs[@]}" "${test_pkgs[@]}"
	npm_tools
	build_in "$top/_build-san" --enable-sanitizers
	run_check "$top/_build-san"
	;;
deb)
	need "${build_pkgs[@]}" "${deb_pkgs[@]}"
	build_in "$(builddir)"
	deb=$(build_deb)
	test_deb "$deb"
	;;
tools)
	npm_tools
	;;
sum)
	shift
	sum_counts "$@"
	;;
need)
	shift
	need "$@"
	;;
fuzz)
	need "${build_pkgs[@]}" "${fuzz_pkgs[@]}"
	build_in "$top/_build-fuzz" --enable-fuzzers CC=clang
	make -C "$top/_build-fuzz" -s -j"$(nproc)" tests/fuzz/fuzz_record tests/fuzz/fuzz_caa \
		tests/fuzz/fuzz_zonefile tests/fuzz/fuzz_inventory tests/fuzz/fuzz_rules \
		tests/fuzz/fuzz_response tests/fuzz/fuzz_report tests/fuzz/fuzz_render_ci \
		tests/fuzz/fuzz_certspotter tests/fuzz/fuzz_crtsh tests/fuzz/fuzz_directory \
		tests/fuzz/fuzz_octodns tests/fuzz/fuzz_zonescan >/dev/null
	"$top/tests/fuzz/run.sh" "$top/_build-fuzz/tests/fuzz" "${2:-60}"
	;;
*)
	sed -n '3,13p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
	;;
esac
