/* SPDX-License-Identifier: BSD-3-Clause */
/* dnspersist merge: the JSON reports of a run's shards read into one, rendered, one exit status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#include "base/msg.h"
#include "cli/cli.h"
#include "report/changes.h"
#include "report/report_read.h"

static const char merge_head[] =
    "Usage: dnspersist merge REPORT.json... [OPTION]...\n"
    "Join the JSON reports of one run's shards (scan --shard K/N --format json) into\n"
    "the report the run over every name would have made, in any format, with the\n"
    "exit status scan would have had. Every shard must be given once; shards of\n"
    "different runs (another now, rules or inventory) or that overlap are refused.\n"
    "\n";

static const char merge_exit[] =
    "\n"
    "Exit status: 0 nothing at or above --fail-on, 1 findings at or above it,\n"
    "2 usage or input error, 3 a shard could not evaluate everything.\n";

struct merge_args {
	const char *format, *fail_on, *color, *baseline;
	struct dp_strv reports;
	bool help;
};

#define A struct merge_args
static const struct dp_opt merge_options[] = {
    DP_OPT("format", 'f', STR, A, format, "F", "the output format: text (default), json, ..."),
    DP_OPT("fail-on", 0, STR, A, fail_on, "S",
           "exit 1 on findings at or above S: critical (default),\nwarning or notice"),
    DP_OPT("baseline", 0, STR, A, baseline, "F",
           "an earlier run's JSON report: its findings do not fail\n"
           "the run; the report starts with what changed since"),
    DP_OPT("color", 0, STR, A, color, "W", "auto (default), always, never"),
    DP_OPT("help", 'h', FLAG, A, help, NULL, "show this help and exit"),
};
#undef A
#define N_OPTS (sizeof(merge_options) / sizeof(*merge_options))

static void usage(void)
{
	fputs(merge_head, stdout);
	dp_opts_help(merge_options, N_OPTS, stdout);
	fputs(merge_exit, stdout);
}

static bool check_args(const struct merge_args *a, enum dp_severity *fail_on,
                       const struct dp_renderer **fmt)
{
	static const char *const colors[] = {"auto", "always", "never", NULL};

	if (a->reports.n == 0) {
		dp_msg_error("give the JSON reports to merge");
		return false;
	}
	if (!dp_cli_fail_on(a->fail_on, fail_on))
		return false;
	if (a->color != NULL && dp_cli_choice("--color", a->color, colors) < 0)
		return false;
	if (a->format != NULL)
		*fmt = dp_cli_renderer(a->format, DP_RENDER_SCAN);
	return *fmt != NULL;
}

static int merge(const struct merge_args *a, const struct dp_renderer *fmt,
                 enum dp_severity fail_on)
{
	struct dp_render_opts ro = {.color = dp_cli_color(a->color),
	                            .version = PACKAGE_VERSION,
	                            .flush = dp_cli_flush_stdout};
	struct dp_report *r = NULL;
	struct dp_changes *changes = NULL;
	struct dp_error err = {0};
	struct dp_buf out = {0};
	enum dp_status st;
	int rc = DP_EXIT_USAGE;

	st = dp_report_merge_json(a->reports.v, a->reports.n, NULL, &r, &err);
	if (st == DP_OK && a->baseline != NULL)
		st = dp_changes_since_file(a->baseline, r, &changes, &err);
	if (st == DP_OK) {
		dp_report_set_changes(r, changes);
		st = dp_render_report(r, fmt, &ro, &out);
	}
	if (st == DP_OK && dp_cli_write(&out))
		rc = dp_cli_exit_status(r, fail_on);
	else if (st != DP_OK)
		dp_cli_error(st, &err);
	dp_buf_free(&out);
	dp_report_free(r);
	dp_changes_free(changes);
	return rc;
}

int dp_cmd_merge(int argc, char **argv)
{
	struct merge_args a = {0};
	enum dp_severity fail_on = DP_SEV_CRITICAL;
	const struct dp_renderer *fmt = &dp_render_text;
	const char *bad;
	int rc = DP_EXIT_USAGE;

	if (!dp_opts_parse(merge_options, N_OPTS, argc, argv, &a, &a.reports, false, &bad)) {
		rc = dp_cli_usage_error("merge");
	} else if (a.help) {
		usage();
		rc = DP_EXIT_OK;
	} else if (!check_args(&a, &fail_on, &fmt)) {
		rc = dp_cli_usage_error("merge");
	} else {
		rc = merge(&a, fmt, fail_on);
	}
	dp_strv_free(&a.reports);
	return rc;
}
