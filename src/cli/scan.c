/* SPDX-License-Identifier: BSD-3-Clause */
/* dnspersist scan and lint: parse the options, build the run, render, exit status. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

#include "base/msg.h"
#include "base/name.h"
#include "cli/cli.h"
#include "run.h"
#include "source/zonefile.h"

static const char scan_head[] =
    "Usage: dnspersist scan --inventory F [--zone F... | --server ADDR[@PORT]...] [OPTION]...\n"
    "Audit the _validation-persist and CAA records of every inventory name against\n"
    "what the inventory expects and what the rules allow: from zone files with --zone,\n"
    "else live from DNS (the resolvers of /etc/resolv.conf, or --server).\n"
    "\n";

static const char lint_head[] =
    "Usage: dnspersist lint ZONEFILE... [OPTION]...\n"
    "Check every _validation-persist and CAA record of zone files on its own: syntax\n"
    "under each CA profile, expired persistUntil, CAA that contradicts a record.\n"
    "\n";

static const char exit_text[] =
    "\n"
    "Exit status: 0 nothing at or above --fail-on, 1 findings at or above it,\n"
    "2 usage or input error, 3 could not evaluate.\n";

struct audit_args {
	const char *inventory, *rules, *origin, *now, *format, *fail_on, *color, *zone_format_arg;
	enum dp_zone_format zone_format;
	bool include_anywhere;
	struct dp_strv zones; /* files and directories, as given */
	struct dp_live_args live;
	struct dp_live_config cfg;
	bool help, lint;
};

#define A           struct audit_args
#define FORMAT_HELP "the output format: text (default) or json"
#define INCLUDE_HELP                                                                               \
	"let $INCLUDE read files outside the zone file's directory\n(trusted zones only)"
#define FAIL_ON_HELP "exit 1 on findings at or above S: critical (default),\nwarning or notice"

static const struct dp_opt scan_options[] = {
    DP_OPT("inventory", 'I', STR, A, inventory, "F", "the inventory (YAML, see docs/inventory.md)"),
    DP_OPT("rules", 'r', STR, A, rules, "F",
           "the rule set (default: the installed rules/default.yaml)"),
    DP_OPT("zone", 'z', LIST, A, zones, "F", "a zone file, or a directory of them (repeatable)"),
    DP_OPT("origin", 0, STR, A, origin, "N", "origin for zone files without $ORIGIN"),
    DP_OPT("zone-format", 0, STR, A, zone_format_arg, "F", DP_ZONE_FORMAT_HELP),
    DP_OPT("include-anywhere", 0, FLAG, A, include_anywhere, NULL, INCLUDE_HELP),
    DP_LIVE_OPTS(A),
    DP_OPT("now", 0, STR, A, now, "T", "audit at time T (UNIX seconds, ISO 8601 UTC, +30d)"),
    DP_OPT("format", 'f', STR, A, format, "F", FORMAT_HELP),
    DP_OPT("fail-on", 0, STR, A, fail_on, "S", FAIL_ON_HELP),
    DP_OPT("color", 0, STR, A, color, "W",
           "auto (default: on a terminal, unless NO_COLOR), always, never"),
    DP_OPT("help", 'h', FLAG, A, help, NULL, "show this help and exit"),
};

static const struct dp_opt lint_options[] = {
    DP_OPT("origin", 0, STR, A, origin, "N", "origin for zone files without $ORIGIN"),
    DP_OPT("zone-format", 0, STR, A, zone_format_arg, "F", DP_ZONE_FORMAT_HELP),
    DP_OPT("include-anywhere", 0, FLAG, A, include_anywhere, NULL, INCLUDE_HELP),
    DP_OPT("rules", 'r', STR, A, rules, "F", "the rule set (severities, ignored names)"),
    DP_OPT("now", 0, STR, A, now, "T", "judge at time T"),
    DP_OPT("format", 'f', STR, A, format, "F", FORMAT_HELP),
    DP_OPT("fail-on", 0, STR, A, fail_on, "S", FAIL_ON_HELP),
    DP_OPT("color", 0, STR, A, color, "W", "auto (default), always, never"),
    DP_OPT("help", 'h', FLAG, A, help, NULL, "show this help and exit"),
};

#undef A
#define N_OPTS(t) (sizeof(t) / sizeof(*(t)))

static void usage(bool lint)
{
	fputs(lint ? lint_head : scan_head, stdout);
	if (lint)
		dp_opts_help(lint_options, N_OPTS(lint_options), stdout);
	else
		dp_opts_help(scan_options, N_OPTS(scan_options), stdout);
	fputs(exit_text, stdout);
}

static void audit_args_free(struct audit_args *a)
{
	dp_strv_free(&a->zones);
	dp_live_args_free(&a->live);
}

static bool parse_audit_args(int argc, char **argv, struct audit_args *a)
{
	const char *bad;

	if (a->lint)
		return dp_opts_parse(lint_options, N_OPTS(lint_options), argc, argv, a, &a->zones,
		                     false, &bad);
	return dp_opts_parse(scan_options, N_OPTS(scan_options), argc, argv, a, NULL, false, &bad);
}

static bool use_color(const char *arg)
{
	const char *nc = getenv("NO_COLOR");

	if (arg != NULL && strcmp(arg, "always") == 0)
		return true;
	if (arg != NULL && strcmp(arg, "never") == 0)
		return false;
	return isatty(STDOUT_FILENO) && (nc == NULL || nc[0] == '\0');
}

static bool is_live(const struct audit_args *a)
{
	return !a->lint && a->zones.n == 0;
}

/* The one exit-status decision for scan and lint. */
static int exit_status(const struct dp_report *r, enum dp_severity fail_on)
{
	if (dp_report_level(r) == DP_LEVEL_UNKNOWN)
		return DP_EXIT_LOOKUP;
	for (int s = DP_SEV_CRITICAL; s >= (int)fail_on; s--)
		if (dp_report_count(r, (enum dp_severity)s) > 0)
			return DP_EXIT_FAIL;
	return DP_EXIT_OK;
}

static bool flush_stdout(struct dp_buf *out, void *ctx)
{
	bool ok = dp_cli_write(out);

	(void)ctx;
	dp_buf_reset(out);
	return ok;
}

/* What the run is asked to do: the same for scan and lint, and for the plugin. */
static void run_opts(const struct audit_args *a, const struct dp_zone_config *zc, int64_t now,
                     struct dp_run_opts *ro)
{
	*ro = (struct dp_run_opts){.lint = a->lint,
	                           .inventory = a->inventory,
	                           .rules = a->rules,
	                           .now = now,
	                           .source = is_live(a) ? &dp_source_live : &dp_source_zone,
	                           .source_config =
	                               is_live(a) ? (const void *)&a->cfg : (const void *)zc};
}

static int run_audit(struct audit_args *a, int64_t now, const struct dp_renderer *fmt,
                     enum dp_severity fail_on)
{
	struct dp_zone_config zc = {a->zones.v, a->zones.n, a->origin, a->include_anywhere,
	                            a->zone_format};
	struct dp_render_opts ro = {
	    use_color(a->color), a->inventory, PACKAGE_VERSION, flush_stdout, NULL, NULL, NULL};
	struct dp_run_opts o;
	struct dp_run *run = NULL;
	struct dp_error err = {0};
	struct dp_buf out = {0};
	enum dp_status st;
	int rc = DP_EXIT_USAGE;

	a->cfg.progress = isatty(STDERR_FILENO);
	run_opts(a, &zc, now, &o);
	st = dp_run_new(&o, &run, &err);
	if (st == DP_OK)
		st = dp_run_execute(run, &err);
	if (st == DP_OK) {
		st = dp_run_render(run, fmt, &ro, &out);
		if (st == DP_OK && dp_cli_write(&out))
			rc = exit_status(dp_run_report(run), fail_on);
		else if (st != DP_OK)
			dp_cli_error(st, NULL);
	} else {
		dp_cli_error(st, &err);
		rc = st == DP_ELOOKUP ? DP_EXIT_LOOKUP : DP_EXIT_USAGE;
	}
	dp_buf_free(&out);
	dp_run_free(run);
	return rc;
}

static bool check_audit_args(struct audit_args *a, enum dp_severity *fail_on)
{
	static const char *const colors[] = {"auto", "always", "never", NULL};

	if (!a->lint && a->inventory == NULL) {
		dp_msg_error("--inventory is required");
		return false;
	}
	if (a->lint && a->zones.n == 0) {
		dp_msg_error("give the zone files to lint");
		return false;
	}
	if (a->zones.n > 0 &&
	    (a->live.servers.n > 0 || a->live.authoritative || a->live.ns.n > 0)) {
		dp_msg_error(
		    "--zone reads zone files; --server and --authoritative are for live scans");
		return false;
	}
	if ((a->origin != NULL || a->include_anywhere) && a->zones.n == 0) {
		dp_msg_error("--origin and --include-anywhere go with --zone");
		return false;
	}
	if (a->fail_on != NULL &&
	    (!dp_severity_parse(a->fail_on, fail_on) || *fail_on == DP_SEV_OFF)) {
		dp_msg_error("--fail-on: '%s' is not critical, warning or notice", a->fail_on);
		return false;
	}
	if (a->color != NULL && dp_cli_choice("--color", a->color, colors) < 0)
		return false;
	if (!dp_cli_zone_format(a->zone_format_arg, &a->zone_format))
		return false;
	struct dp_error err = {0};
	if (!dp_live_args_check(&a->live, &a->cfg, &err)) {
		dp_msg_dp_error(&err);
		return false;
	}
	return true;
}

static int cmd_audit(int argc, char **argv, bool lint)
{
	struct audit_args a = {.lint = lint};
	enum dp_severity fail_on = DP_SEV_CRITICAL;
	const struct dp_renderer *fmt = &dp_render_text;
	int64_t now;
	int rc = DP_EXIT_USAGE;

	if (!parse_audit_args(argc, argv, &a))
		goto usage;
	if (a.help) {
		usage(lint);
		rc = DP_EXIT_OK;
		goto out;
	}
	if (a.format) {
		fmt = dp_cli_renderer(a.format, lint ? DP_RENDER_LINT : DP_RENDER_SCAN);
		if (fmt == NULL)
			goto usage;
	}
	if (!dp_cli_now(a.now, &now) || !check_audit_args(&a, &fail_on))
		goto usage;
	rc = run_audit(&a, now, fmt, fail_on);
	goto out;
usage:
	dp_cli_usage_error(lint ? "lint" : "scan");
out:
	audit_args_free(&a);
	return rc;
}

int dp_cmd_scan(int argc, char **argv)
{
	return cmd_audit(argc, argv, false);
}

int dp_cmd_lint(int argc, char **argv)
{
	return cmd_audit(argc, argv, true);
}
