#!/usr/bin/env bats
# SPDX-License-Identifier: BSD-3-Clause
# check_dnspersist under a real Nagios Core 4 (Debian nagios4): a minimal
# configuration in a temporary directory, the integration NSD as the server,
# and the state, output and perfdata read back from Nagios's own status
# file. And nagios/dnspersist.conf validated by icinga2 daemon -C.

bats_require_minimum_version 1.5.0
load ../cli/helper

setup_file() {
	source "$BATS_TEST_DIRNAME/servers.sh"
	local missing
	missing=$(dpi_have) || skip "not installed: $missing"
	export DPI_DIR="$BATS_FILE_TMPDIR/servers" DPI_NO_AUTH53=1
	dpi_start || { dpi_stop; false; }
}

teardown_file() {
	source "$BATS_TEST_DIRNAME/servers.sh"
	[ -f "$BATS_FILE_TMPDIR/nagios.pid" ] && dpi_kill "$(cat "$BATS_FILE_TMPDIR/nagios.pid")"
	pkill -f "nagios4 $BATS_FILE_TMPDIR/ng/nagios.cfg" 2>/dev/null || true
	dpi_stop
}

NAGIOS=$(PATH=$PATH:/usr/sbin command -v nagios4 || true)
ICINGA=$(PATH=$PATH:/usr/sbin command -v icinga2 || true)

# One servicestatus block's field: field SERVICE NAME
field() {
	awk -v svc="$1" -v key="$2" '
		/^servicestatus \{/ { inblk = 1; desc = ""; val = ""; next }
		inblk && /^\t}/ { if (desc == svc) { print val; exit } inblk = 0; next }
		inblk {
			line = $0; sub(/^\t/, "", line)
			k = line; sub(/=.*/, "", k); v = line; sub(/^[^=]*=/, "", v)
			if (k == "service_description") desc = v
			if (k == key) val = v
		}' "$NG/status.dat"
}

service() { # NAME CHECK_COMMAND
	cat <<-EOF
		define service {
		    host_name             dns
		    service_description   $1
		    check_command         $2
		    max_check_attempts    1
		    check_interval        60
		    retry_interval        60
		    check_period          24x7
		    contacts              nobody
		    notification_interval 0
		    notification_period   24x7
		}
	EOF
}

write_nagios_config() {
	local server="--server 127.0.0.1@$DPI_NSD_PORT --now $NOW --inventory $ZONES/example.inventory.yaml"
	mkdir -p "$NG/checkresults"
	printf '$USER1$=%s\n' "$DP_BUILDDIR" >"$NG/resource.cfg"
	sed "s|@NG@|$NG|g; s|@USER@|$(id -un)|; s|@GROUP@|$(id -gn)|" \
		"$BATS_TEST_DIRNAME/nagios/nagios.cfg.in" >"$NG/nagios.cfg"
	{
		cat "$BATS_TEST_DIRNAME/nagios/objects.cfg"
		# the command as shipped for users, then the three services
		cat "$DP_SRCDIR/nagios/commands.cfg"
		printf 'define command {\n    command_name dnspersist\n    command_line $USER1$/check_dnspersist $ARG1$\n}\n'
		service ok "dnspersist!-H example.com $server"
		service warning "dnspersist!-H edge.example.com $server"
		service critical "dnspersist!-H shop.example.com $server"
		service shipped-command "check_dnspersist!shop.example.com!$ZONES/example.inventory.yaml!--server 127.0.0.1@$DPI_NSD_PORT --now $NOW"
	} >"$NG/objects.cfg"
}

@test "Nagios Core runs the plugin and records its state, output and perfdata" {
	[ -n "$NAGIOS" ] || skip "nagios4 is not installed"
	NG="$BATS_FILE_TMPDIR/ng"
	write_nagios_config
	run "$NAGIOS" -v "$NG/nagios.cfg"
	status_is 0
	has "Total Errors:   0"
	"$NAGIOS" "$NG/nagios.cfg" >"$NG/run.out" 2>&1 &
	echo $! >"$BATS_FILE_TMPDIR/nagios.pid"
	local i
	for i in $(seq 1 100); do
		[ -f "$NG/status.dat" ] && [ "$(field ok has_been_checked)" = 1 ] &&
			[ "$(field warning has_been_checked)" = 1 ] &&
			[ "$(field critical has_been_checked)" = 1 ] &&
			[ "$(field shipped-command has_been_checked)" = 1 ] && break
		sleep 0.2
	done
	[ "$(field ok current_state)" = 0 ]
	[ "$(field ok plugin_output)" = "DNSPERSIST OK - 1 name, 1 record" ]
	[[ "$(field ok performance_data)" == "records=1;;;0 findings_critical=0;;;0 findings_warning=0;;;0 persist_days_min=U;30:;7:;; time="*"s;;;0" ]]
	[ "$(field warning current_state)" = 1 ]
	[ "$(field warning plugin_output)" = "DNSPERSIST WARNING - record-divergent at edge.example.com" ]
	[[ "$(field warning performance_data)" == "records=1;;;0 findings_critical=0;;;0 findings_warning=1;;;0 "* ]]
	[ "$(field critical current_state)" = 2 ]
	[ "$(field critical plugin_output)" = "DNSPERSIST CRITICAL - account-unexpected at shop.example.com" ]
	[[ "$(field critical performance_data)" == "records=2;;;0 findings_critical=1;;;0 findings_warning=0;;;0 "* ]]
	[[ "$(field critical long_plugin_output)" == "CRITICAL: account-unexpected at shop.example.com: "* ]]
	[ "$(field shipped-command current_state)" = 2 ]
}

@test "icinga2 daemon -C accepts nagios/dnspersist.conf and rejects a broken copy" {
	[ -n "$ICINGA" ] || skip "icinga2 is not installed"
	local ic="$BATS_TEST_TMPDIR/icinga2" d
	for d in cache data log run spool; do mkdir -p "$ic/$d"; done
	sed "s|@CONF@|$DP_SRCDIR/nagios/dnspersist.conf|; s|@PLUGINDIR@|$DP_BUILDDIR|; s|@ZONES@|$ZONES|g" \
		"$BATS_TEST_DIRNAME/nagios/icinga2.conf.in" >"$ic/icinga2.conf"
	defines=(-DCacheDir="$ic/cache" -DDataDir="$ic/data" -DLogDir="$ic/log"
		-DInitRunDir="$ic/run" -DSpoolDir="$ic/spool" -DRunAsUser="$(id -un)"
		-DRunAsGroup="$(id -gn)")
	run "$ICINGA" daemon -C -c "$ic/icinga2.conf" "${defines[@]}"
	status_is 0
	has "Finished validating the configuration file(s)"
	has "Instantiated 3 Services"
	# a misspelt attribute must fail, or the check above proves nothing
	sed 's/set_if = "$dnspersist_wildcard$"/set_iff = "$dnspersist_wildcard$"/' \
		"$DP_SRCDIR/nagios/dnspersist.conf" >"$ic/broken.conf"
	sed "s|$DP_SRCDIR/nagios/dnspersist.conf|$ic/broken.conf|" "$ic/icinga2.conf" >"$ic/bad.conf"
	run "$ICINGA" daemon -C -c "$ic/bad.conf" "${defines[@]}"
	[ "$status" -ne 0 ]
	has "set_iff"
}
