#!/usr/bin/env bats
# SPDX-License-Identifier: BSD-3-Clause
# The Debian package that `./dev.sh deb` built (DP_DEB: its path). Run by
# dev.sh deb and .ci/run, not by make check (building the package is the
# expensive part; these checks take seconds plus lintian).
#
# What "installs in a fresh Debian 12 root" means here, honestly: dpkg
# itself installs the .deb into an empty root directory (dpkg --root, its
# own database there): it unpacks every file, registers the conffiles and
# runs the maintainer scripts (without chroot, with DPKG_ROOT set, as
# debhelper's snippets and systemd-sysusers --root support), which creates
# the dnspersist user in that root's /etc/passwd. The empty root has no C
# library, so the installed programs then run against this machine's
# Debian 12 libraries (--force-depends: dpkg cannot check Depends in an
# empty root); a separate test checks that Depends names the package of
# every library they load. Not covered: resolving Depends with apt from a
# mirror (tests never touch the network), and booting systemd in the root.

bats_require_minimum_version 1.5.0

setup_file() {
	[ -n "${DP_DEB:-}" ] && [ -f "$DP_DEB" ] || {
		echo "DP_DEB must name the .deb (./dev.sh deb sets it)" >&2
		return 1
	}
	export R=$BATS_FILE_TMPDIR/root
	mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates" "$R/var/lib/dpkg/triggers"
	touch "$R/var/lib/dpkg/status"
	dpkg --root="$R" --force-depends --force-script-chrootless -i "$DP_DEB" \
		>"$BATS_FILE_TMPDIR/dpkg.log" 2>&1 || {
		cat "$BATS_FILE_TMPDIR/dpkg.log" >&2
		return 1
	}
}

@test "dpkg installs it in an empty root: configured, conffiles registered, the user created" {
	run dpkg --root="$R" -s dnspersist
	[ "$status" -eq 0 ]
	[[ "$output" == *"Status: install ok installed"* ]]
	[[ "$output" == *"/etc/dnspersist/nightly.conf "* ]]
	[[ "$output" == *"/etc/nagios-plugins/config/dnspersist.cfg "* ]]
	grep -q '^dnspersist:' "$R/etc/passwd"
	grep -q '^dnspersist:.*:/var/lib/dnspersist:/usr/sbin/nologin$' "$R/etc/passwd"
}

@test "dnspersist --version and check_dnspersist -V run from the installed root" {
	run "$R/usr/bin/dnspersist" --version
	[ "$status" -eq 0 ]
	[[ "$output" == "dnspersist $(dpkg-deb -f "$DP_DEB" Version | sed 's/-[^-]*$//')"* ]]
	# monitoring-plugins convention (NAGIOS.md): --version exits 3, UNKNOWN
	run "$R/usr/lib/nagios/plugins/check_dnspersist" -V
	[ "$status" -eq 3 ]
	[[ "$output" == "check_dnspersist $(dpkg-deb -f "$DP_DEB" Version | sed 's/-[^-]*$//')"* ]]
}

@test "the installed rules and the example inventory give the example audit" {
	local ex=$R/usr/share/doc/dnspersist/examples
	run "$R/usr/bin/dnspersist" scan --inventory "$ex/example.inventory.yaml" \
		--zone "$ex/example.com.zone" --zone "$ex/example.net.zone" \
		--rules "$R/usr/share/dnspersist/rules/default.yaml" --now 2026-11-24
	[ "$status" -eq 1 ]
	[[ "$output" == *"critical: 9 names"* ]]
	# the default rules are looked up where the package puts them
	strings "$R/usr/bin/dnspersist" | grep -q '^/usr/share/dnspersist'
}

@test "every piece is where Debian wants it" {
	local p
	for p in usr/bin/dnspersist usr/lib/nagios/plugins/check_dnspersist \
		usr/share/dnspersist/rules/default.yaml usr/share/dnspersist/rules/strict.yaml \
		usr/share/man/man1/dnspersist.1.gz usr/share/man/man1/check_dnspersist.1.gz \
		lib/systemd/system/dnspersist-audit.service lib/systemd/system/dnspersist-audit.timer \
		usr/lib/sysusers.d/dnspersist.conf usr/libexec/dnspersist/dnspersist-nightly \
		etc/dnspersist/nightly.conf etc/nagios-plugins/config/dnspersist.cfg \
		usr/share/doc/dnspersist/examples/icinga2/dnspersist.conf \
		usr/share/doc/dnspersist/examples/nagios/services.cfg \
		usr/share/doc/dnspersist/examples/cron.d/dnspersist \
		usr/share/doc/dnspersist/operations.md.gz usr/share/doc/dnspersist/copyright; do
		[ -f "$R/$p" ] || { echo "missing: /$p"; return 1; }
	done
	[ -x "$R/usr/libexec/dnspersist/dnspersist-nightly" ]
	# the units as shipped in contrib/, the timer not enabled by the installation
	cmp "$R/lib/systemd/system/dnspersist-audit.service" \
		"$DP_SRCDIR/contrib/systemd/dnspersist-audit.service"
	[ -z "$(find "$R/etc/systemd" -name 'dnspersist*' 2>/dev/null)" ]
}

@test "Depends names the package of every shared library the programs load" {
	local depends lib path pkg missing=""
	depends=$(dpkg-deb -f "$DP_DEB" Depends)
	for bin in usr/bin/dnspersist usr/lib/nagios/plugins/check_dnspersist; do
		for lib in $(readelf -d "$R/$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
			path=$(ldconfig -p | awk -v l="$lib" '$1 == l {print $NF; exit}')
			[ -n "$path" ] || { echo "$lib: not found on this machine"; return 1; }
			# dpkg knows the path it installed, /lib or /usr/lib (merged /usr)
			pkg=$({ dpkg -S "$path" || dpkg -S "$(readlink -f "$path")"; } 2>/dev/null |
				head -n1 | cut -d: -f1)
			[ -n "$pkg" ] || { echo "$path: no package"; return 1; }
			[[ "$depends" =~ (^|, )$pkg( |,|$) ]] || missing+=" $lib($pkg)"
		done
	done
	[ -z "$missing" ] || { echo "not in Depends ($depends):$missing"; return 1; }
}

@test "lintian reports no error" {
	command -v lintian >/dev/null || skip "lintian is not installed"
	run lintian --fail-on error "$DP_DEB"
	echo "$output"
	[ "$status" -eq 0 ]
	echo "# lintian: $(grep -c '^E:' <<<"$output") errors, $(grep -c '^W:' <<<"$output") warnings" >&3
}
