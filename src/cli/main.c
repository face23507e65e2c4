/* SPDX-License-Identifier: BSD-3-Clause */
/* dnspersist: the command-line front end; dispatches to one subcommand. */
#include <stdio.h>
#include <string.h>

#include "config.h"

#include "cli/cli.h"
#include "base/msg.h"

static const char usage[] =
    "Usage: dnspersist COMMAND [OPTION]...\n"
    "Audit and monitor DNS-PERSIST-01 authorizations (_validation-persist TXT and CAA).\n"
    "Read-only: it never changes DNS and needs no DNS credentials.\n"
    "\n"
    "Commands:\n"
    "  verify NAME   would a CA validate NAME with the records given or in zone files, and why\n"
    "  record        print the exact TXT record to publish for an issuer and account\n"
    "\n"
    "Options:\n"
    "  -h, --help     show this help and exit\n"
    "  -V, --version  show the version and exit\n"
    "\n"
    "Run 'dnspersist COMMAND --help' for the options of a command; man dnspersist for all.\n";

int main(int argc, char **argv)
{
	const char *cmd;

	dp_msg_init("dnspersist");
	if (argc < 2) {
		fputs(usage, stderr);
		return DP_EXIT_USAGE;
	}
	cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
		fputs(usage, stdout);
		return DP_EXIT_OK;
	}
	if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
		printf("dnspersist %s\n", PACKAGE_VERSION);
		return DP_EXIT_OK;
	}
	if (strcmp(cmd, "verify") == 0)
		return dp_cmd_verify(argc - 1, argv + 1);
	if (strcmp(cmd, "record") == 0)
		return dp_cmd_record(argc - 1, argv + 1);
	if (strcmp(cmd, "scan") == 0)
		return dp_cmd_scan(argc - 1, argv + 1);
	if (strcmp(cmd, "lint") == 0)
		return dp_cmd_lint(argc - 1, argv + 1);
	dp_msg_error("unknown command '%s'", cmd);
	fputs(usage, stderr);
	return DP_EXIT_USAGE;
}
