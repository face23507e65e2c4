/* SPDX-License-Identifier: BSD-3-Clause */
/* dnspersist: the command-line front end; dispatches to one subcommand from a table. */
#include <stdio.h>
#include <string.h>

#include "config.h"

#include "base/msg.h"
#include "cli/cli.h"

/* Every command, in the order the usage lists them. */
static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
    {"scan", dp_cmd_scan,
     "audit every inventory name against the inventory and rules,\n"
     "from zone files (--zone) or live DNS"},
    {"lint", dp_cmd_lint, "check every record of zone files on its own (a CI gate)"},
    {"merge", dp_cmd_merge,
     "REPORT.json...: join the JSON reports of scan --shard K/N\n"
     "into one report, in any format, with one exit status"},
    {"diff", dp_cmd_diff,
     "OLD NEW: what a change to zone files does to who can issue\n"
     "(git:REV reads a revision)"},
    {"inventory", dp_cmd_inventory,
     "init ZONES...: write an inventory of today's authorizations\n"
     "(zone files, directories or git:REV), for review;\n"
     "watchlist: the inventory as a certspotter watch list"},
    {"verify", dp_cmd_verify,
     "NAME: would a CA validate NAME with the records given, in\n"
     "zone files or in DNS, and why"},
    {"record", dp_cmd_record, "print the exact TXT record to publish for an issuer and account"},
};

#define N_COMMANDS (sizeof(commands) / sizeof(*commands))

static void usage(FILE *f)
{
	fputs("Usage: dnspersist COMMAND [OPTION]...\n"
	      "Audit and monitor DNS-PERSIST-01 authorizations (_validation-persist TXT and CAA).\n"
	      "Read-only: it never changes DNS and needs no DNS credentials.\n"
	      "\n"
	      "Commands:\n",
	      f);
	for (size_t i = 0; i < N_COMMANDS; i++) {
		const char *s = commands[i].summary, *nl;
		/* a column wide enough for the longest name ("inventory") and a space */
		fprintf(f, "  %-11s", commands[i].name);
		for (nl = strchr(s, '\n'); nl != NULL; nl = strchr(s, '\n')) {
			fprintf(f, "%.*s\n%13s", (int)(nl - s), s, "");
			s = nl + 1;
		}
		fprintf(f, "%s\n", s);
	}
	fputs("\n"
	      "Options:\n"
	      "  -h, --help     show this help and exit\n"
	      "  -V, --version  show the version and exit\n"
	      "\n"
	      "Run 'dnspersist COMMAND --help' for the options of a command; man dnspersist for "
	      "all.\n",
	      f);
}

int main(int argc, char **argv)
{
	const char *cmd;

	dp_msg_init("dnspersist");
	if (argc < 2) {
		usage(stderr);
		return DP_EXIT_USAGE;
	}
	cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
		usage(stdout);
		return DP_EXIT_OK;
	}
	if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
		printf("dnspersist %s\n", PACKAGE_VERSION);
		return DP_EXIT_OK;
	}
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (strcmp(cmd, commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	dp_msg_error("unknown command '%s'", cmd);
	usage(stderr);
	return DP_EXIT_USAGE;
}
