/* SPDX-License-Identifier: BSD-3-Clause */
/* dnspersist scan and lint: parse the options, build the run, render, exit status. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"

#include "base/msg.h"
#include "base/name.h"
#include "base/num.h"
#include "cli/cli.h"
#include "run.h"
#include "ct/ct.h"
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
	const char *inventory, *rules, *origin, *now, *format, *fail_on, *color, *shard, *baseline;
	const char *zone_format_arg;
	enum dp_zone_format zone_format;
	bool include_anywhere;
	struct dp_strv zones;   /* files and directories, as given */
	struct dp_strv outputs; /* -o FORMAT:FILE, as given */
	struct dp_outputs outs; /* ... checked */
	struct dp_live_args live;
	struct dp_live_config cfg;
	struct dp_shard split; /* --shard K/N */
	struct dp_ct_args ct;
	struct dp_ct_config ct_cfg;
	const struct dp_ct_config *ct_use; /* &ct_cfg with --ct, else NULL */
	char *ct_key;
	int verbose;
	bool check_directories;
	bool help, lint;
};

#define A struct audit_args
#define FORMAT_HELP                                                                                \
	"the output format: text (default), json, html (a page with\nan expiry timeline), "        \
	"openmetrics (node_exporter textfile),\nsarif, github, junit or codequality (CI, see "     \
	"docs/ci.md)"
#define INCLUDE_HELP                                                                               \
	"let $INCLUDE read files outside the zone file's directory\n(trusted zones only)"
#define FAIL_ON_HELP "exit 1 on findings at or above S: critical (default),\nwarning or notice"
#define OUTPUT_HELP                                                                                \
	"write the report in format FMT to FILE, replacing it\n"                                   \
	"atomically (repeatable; FILE '-' is standard output;\n"                                   \
	"with -o, standard output gets --format only if given)"
#define BASELINE_HELP                                                                              \
	"an earlier run's JSON report: its findings do not fail\n"                                 \
	"the run; the report starts with what changed since"

static const struct dp_opt scan_options[] = {
    DP_OPT("inventory", 'I', STR, A, inventory, "F", "the inventory (YAML, see docs/inventory.md)"),
    DP_OPT("rules", 'r', STR, A, rules, "F",
           "the rule set (default: the installed rules/default.yaml)"),
    DP_OPT("zone", 'z', LIST, A, zones, "F", "a zone file, or a directory of them (repeatable)"),
    DP_OPT("origin", 0, STR, A, origin, "N", "origin for zone files without $ORIGIN"),
    DP_OPT("zone-format", 0, STR, A, zone_format_arg, "F", DP_ZONE_FORMAT_HELP),
    DP_OPT("include-anywhere", 0, FLAG, A, include_anywhere, NULL, INCLUDE_HELP),
    DP_LIVE_OPTS(A),
    DP_CT_OPTS(A),
    DP_OPT("check-directories", 0, FLAG, A, check_directories, NULL,
           "fetch each inventory CA's ACME directory (its directory:)\nand compare it with the "
           "records (--ct-cacert, --ct-timeout apply)"),
    DP_OPT("now", 0, STR, A, now, "T", "audit at time T (UNIX seconds, ISO 8601 UTC, +30d)"),
    DP_OPT("shard", 0, STR, A, shard, "K/N",
           "audit only shard K (0 to N-1) of N, split by zone;\n"
           "'dnspersist merge' joins the shards' JSON reports"),
    DP_OPT("format", 'f', STR, A, format, "F", FORMAT_HELP),
    DP_OPT("output", 'o', LIST, A, outputs, "FMT:FILE", OUTPUT_HELP),
    DP_OPT("fail-on", 0, STR, A, fail_on, "S", FAIL_ON_HELP),
    DP_OPT("baseline", 0, STR, A, baseline, "F", BASELINE_HELP),
    DP_OPT("color", 0, STR, A, color, "W",
           "auto (default: on a terminal, unless NO_COLOR), always, never"),
    DP_OPT("verbose", 'v', COUNT, A, verbose, NULL,
           "text: also list the certificates CT shows for each name"),
    DP_OPT("help", 'h', FLAG, A, help, NULL, "show this help and exit"),
};

static const struct dp_opt lint_options[] = {
    DP_OPT("origin", 0, STR, A, origin, "N", "origin for zone files without $ORIGIN"),
    DP_OPT("zone-format", 0, STR, A, zone_format_arg, "F", DP_ZONE_FORMAT_HELP),
    DP_OPT("include-anywhere", 0, FLAG, A, include_anywhere, NULL, INCLUDE_HELP),
    DP_OPT("rules", 'r', STR, A, rules, "F", "the rule set (severities, ignored names)"),
    DP_OPT("now", 0, STR, A, now, "T", "judge at time T"),
    DP_OPT("format", 'f', STR, A, format, "F", FORMAT_HELP),
    DP_OPT("output", 'o', LIST, A, outputs, "FMT:FILE", OUTPUT_HELP),
    DP_OPT("fail-on", 0, STR, A, fail_on, "S", FAIL_ON_HELP),
    DP_OPT("baseline", 0, STR, A, baseline, "F", BASELINE_HELP),
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
	dp_strv_free(&a->outputs);
	dp_outputs_free(&a->outs);
	dp_live_args_free(&a->live);
	dp_ct_key_free(a->ct_key);
}

static bool parse_audit_args(int argc, char **argv, struct audit_args *a)
{
	const char *bad;

	if (a->lint)
		return dp_opts_parse(lint_options, N_OPTS(lint_options), argc, argv, a, &a->zones,
		                     false, &bad);
	return dp_opts_parse(scan_options, N_OPTS(scan_options), argc, argv, a, NULL, false, &bad);
}

static bool is_live(const struct audit_args *a)
{
	return !a->lint && a->zones.n == 0;
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
	                               is_live(a) ? (const void *)&a->cfg : (const void *)zc,
	                           .shard = a->split,
	                           .baseline = a->baseline,
	                           .ct = a->ct_use,
	                           .check_directories = a->check_directories,
	                           .ct_transport = &a->ct_cfg};
}

/*
 * Standard output (fmt; NULL when only -o files were asked for), then every
 * -o file. The audit's exit status when everything was written, else 2: a
 * report that could not be written is an error the nightly job must see.
 */
static int render_all(struct dp_run *run, const struct audit_args *a, const struct dp_renderer *fmt,
                      const struct dp_render_opts *ro, enum dp_severity fail_on)
{
	struct dp_buf out = {0};
	enum dp_status st = DP_OK;
	bool ok = true;

	if (fmt != NULL) {
		st = dp_run_render(run, fmt, ro, &out);
		ok = st == DP_OK && dp_cli_write(&out);
		if (st != DP_OK)
			dp_cli_error(st, NULL);
	}
	dp_buf_free(&out);
	ok = dp_outputs_write(run, &a->outs, ro) && ok;
	return ok ? dp_cli_exit_status(dp_run_report(run), fail_on) : DP_EXIT_USAGE;
}

/* Seconds on the monotonic clock, for the run's duration. */
static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What the report says it read: the zone files and directories, or the servers. */
static void sources(const struct audit_args *a, struct dp_render_opts *ro)
{
	static const char *const resolv[] = {"/etc/resolv.conf resolvers"};

	if (a->zones.n > 0) {
		ro->sources = a->zones.v;
		ro->n_sources = a->zones.n;
	} else if (a->live.ns.n > 0 || a->live.servers.n > 0) {
		ro->sources = a->live.ns.n > 0 ? a->live.ns.v : a->live.servers.v;
		ro->n_sources = a->live.ns.n > 0 ? a->live.ns.n : a->live.servers.n;
	} else {
		ro->sources = resolv;
		ro->n_sources = 1;
	}
}

static int run_audit(struct audit_args *a, int64_t now, const struct dp_renderer *fmt,
                     enum dp_severity fail_on)
{
	struct dp_zone_config zc = {a->zones.v, a->zones.n, a->origin, a->include_anywhere,
	                            a->zone_format};
	struct dp_render_opts ro = {.color = dp_cli_color(a->color),
	                            .inventory = a->inventory,
	                            .version = PACKAGE_VERSION,
	                            .flush = dp_cli_flush_stdout};
	double started = seconds();
	struct dp_run_opts o;
	struct dp_run *run = NULL;
	struct dp_error err = {0};
	struct dp_buf summary = {0};
	enum dp_status st;
	int rc = DP_EXIT_USAGE;

	ro.verbose = a->verbose > 0;
	a->cfg.progress = isatty(STDERR_FILENO);
	ro.command = a->lint ? "lint" : "scan";
	ro.warn = dp_cli_warn;
	ro.summary = getenv("GITHUB_STEP_SUMMARY") ? &summary : NULL;
	run_opts(a, &zc, now, &o);
	st = dp_run_new(&o, &run, &err);
	if (st == DP_OK)
		st = dp_run_execute(run, &err);
	if (st == DP_OK) {
		sources(a, &ro);
		ro.duration = seconds() - started;
		rc = render_all(run, a, fmt, &ro, fail_on);
		/* a summary that cannot be written only warns */
		dp_cli_step_summary(&summary);
	} else {
		dp_cli_error(st, &err);
		rc = st == DP_ELOOKUP ? DP_EXIT_LOOKUP : DP_EXIT_USAGE;
	}
	dp_buf_free(&summary);
	dp_run_free(run);
	return rc;
}

/* "K/N": shard K of N, K from 0 (as JOB_COMPLETION_INDEX counts) to N-1. */
static bool parse_shard(const char *arg, struct dp_shard *out)
{
	const char *slash = strchr(arg, '/');
	int64_t k = -1, n = 0;

	if (slash == NULL ||
	    dp_parse_int(slash + 1, strlen(slash + 1), false, 1, 65536, &n) != DP_OK ||
	    dp_parse_int(arg, (size_t)(slash - arg), false, 0, n - 1, &k) != DP_OK) {
		dp_msg_error("--shard: '%s' is not K/N with N from 1 to 65536 and K from 0 to N-1",
		             arg);
		return false;
	}
	out->index = (unsigned)k;
	out->count = (unsigned)n;
	return true;
}

/* --ct and its options; the transport alone for --check-directories without --ct. */
static bool ct_check(struct audit_args *a, struct dp_error *err)
{
	if (a->check_directories && a->ct.source == NULL)
		return dp_ct_transport_check(&a->ct, PACKAGE_VERSION, &a->ct_cfg, err);
	return dp_ct_args_check(&a->ct, PACKAGE_VERSION, &a->ct_cfg, &a->ct_use, &a->ct_key, err);
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
	if (!dp_cli_fail_on(a->fail_on, fail_on))
		return false;
	if (a->color != NULL && dp_cli_choice("--color", a->color, colors) < 0)
		return false;
	if (a->shard != NULL && !parse_shard(a->shard, &a->split))
		return false;
	if (!dp_cli_zone_format(a->zone_format_arg, &a->zone_format))
		return false;
	struct dp_error err = {0};
	if (!dp_live_args_check(&a->live, &a->cfg, &err) || (!a->lint && !ct_check(a, &err))) {
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
	if (a.outputs.n > 0 && a.format == NULL)
		fmt = NULL; /* -o alone: the files, nothing on standard output */
	if (!dp_outputs_parse(&a.outputs, lint ? DP_RENDER_LINT : DP_RENDER_SCAN, fmt != NULL,
	                      &a.outs))
		goto usage;
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
