/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dnspersist diff OLD NEW: audit two versions of the zones the same way and
 * say what the change does to who can issue, and which findings it brings
 * or clears. Each version is a zone file, a directory, or git:REV[:PATH].
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#include "base/msg.h"
#include "base/strmap.h"
#include "cli/cli.h"
#include "diff/diff.h"
#include "report/report_read.h"
#include "run.h"
#include "source/zonefile.h"

static const char diff_head[] =
    "Usage: dnspersist diff OLD NEW [OPTION]...\n"
    "Audit two versions of zone files and print what the change does: which CA\n"
    "account can newly validate which names (+ grant), can no longer (- revoke),\n"
    "or can with another scope, lifetime or CAA verdict (~ change), and the\n"
    "findings it introduces and resolves. OLD and NEW are each a zone file, a\n"
    "directory of them, or git:REV or git:REV:PATH (read with git, no checkout;\n"
    "PATH is relative to the current directory and defaults to it).\n"
    "\n";

static const char diff_tail[] = "\n"
                                "Exit status: 0 no new finding at or above --fail-on (and, with\n"
                                "--fail-on-grant, no new or widened authorization), 1 otherwise,\n"
                                "2 usage or input error. A finding --baseline has does not fail;\n"
                                "a grant fails --fail-on-grant with or without a baseline.\n";

struct diff_args {
	const char *inventory, *rules, *origin, *now, *format, *fail_on, *zone_format_arg,
	    *baseline;
	enum dp_zone_format zone_format;
	bool fail_on_grant, help;
	struct dp_strv operands;
};

#define A struct diff_args
static const struct dp_opt diff_options[] = {
    DP_OPT("inventory", 'I', STR, A, inventory, "F",
           "audit both versions against this inventory (default: on\ntheir own, as lint does)"),
    DP_OPT("rules", 'r', STR, A, rules, "F", "the rule set (severities, ignored names)"),
    DP_OPT("origin", 0, STR, A, origin, "N", "origin for zone files without $ORIGIN"),
    DP_OPT("zone-format", 0, STR, A, zone_format_arg, "F", DP_ZONE_FORMAT_HELP),
    DP_OPT("now", 0, STR, A, now, "T", "audit both versions at time T"),
    DP_OPT("format", 'f', STR, A, format, "F",
           "text (default), json or markdown; a report format (such\nas sarif) prints NEW's "
           "report in it"),
    DP_OPT("fail-on", 0, STR, A, fail_on, "S",
           "exit 1 on new findings at or above S: critical\n(default), warning or notice"),
    DP_OPT("fail-on-grant", 0, FLAG, A, fail_on_grant, NULL,
           "exit 1 also when the change grants or widens an\nauthorization"),
    DP_OPT("baseline", 0, STR, A, baseline, "F",
           "an earlier run's JSON report (scan or lint --format\njson): new findings it has "
           "are existing and do not\nfail --fail-on; grants still fail --fail-on-grant"),
    DP_OPT("help", 'h', FLAG, A, help, NULL, "show this help and exit"),
};
#undef A
#define N_OPTS (sizeof(diff_options) / sizeof(*diff_options))

/* Audit one side, its authorizations told to *side as they are found; *run stays. */
static enum dp_status side_run(const struct diff_args *a, const struct dp_cli_input *in,
                               int64_t now, struct dp_run **run, struct dp_diff_side **side,
                               struct dp_error *err)
{
	struct dp_run_opts o = {.lint = a->inventory == NULL,
	                        .inventory = a->inventory,
	                        .rules = a->rules,
	                        .now = now,
	                        .on_auth = dp_diff_side_add_auth};
	enum dp_status st = dp_diff_side_new(side);

	dp_cli_input_source(in, &o);
	o.auth_ctx = *side;
	if (st == DP_OK)
		st = dp_run_new(&o, run, err);
	if (st == DP_OK)
		st = dp_run_execute(*run, err);
	if (st == DP_OK)
		st = dp_diff_side_add_caa(*side, dp_run_obs(*run));
	if (st == DP_OK)
		st = dp_diff_side_finish(*side, dp_run_report(*run));
	return st;
}

struct diff_job {
	const struct diff_args *a;
	int64_t now;
	enum dp_severity fail_on;
	const struct dp_diff_renderer *fmt;   /* a diff format, or */
	const struct dp_renderer *report_fmt; /* NEW's report in a report format */
};

static int exit_status(const struct diff_job *j, const struct dp_diff *d)
{
	if (dp_diff_new_at_least(d, j->fail_on) > 0)
		return DP_EXIT_FAIL;
	return j->a->fail_on_grant && dp_diff_widened_count(d) > 0 ? DP_EXIT_FAIL : DP_EXIT_OK;
}

/*
 * In a report format, NEW's findings that the change introduced and the
 * baseline lacks are new; the rest (OLD had them, or the baseline) are
 * existing, as the exit status counts them.
 */
static bool introduced(const struct dp_report *r, size_t i, void *ctx)
{
	char key[DP_FINDING_KEY_LEN + 1];

	dp_report_finding_key(r, i, key);
	return dp_strmap_get(ctx, key) != NULL;
}

static bool existing(const struct dp_report *r, size_t i, void *ctx)
{
	return !introduced(r, i, ctx);
}

static enum dp_status introduced_keys(const struct dp_diff *d, struct dp_strmap **out)
{
	static int yes; /* the value: only the keys matter */
	enum dp_status st = dp_strmap_new(out);

	for (size_t i = 0; st == DP_OK && i < dp_diff_new_count(d); i++)
		if (!dp_diff_new_existing(d, i))
			st = dp_strmap_put(*out, dp_diff_new_at(d, i)->key, &yes);
	return st;
}

static enum dp_status render(const struct diff_job *j, const struct dp_diff *d,
                             struct dp_run *new_run, struct dp_buf *out)
{
	struct dp_diff_render_opts o = {j->a->operands.v[0], j->a->operands.v[1], PACKAGE_VERSION};
	struct dp_render_opts ro = {.inventory = j->a->inventory,
	                            .version = PACKAGE_VERSION,
	                            .command = "diff",
	                            .warn = dp_cli_warn,
	                            .existing = existing,
	                            .existing_label = j->a->baseline != NULL
	                                                  ? "in the baseline or the old version"
	                                                  : "in the old version"};
	struct dp_strmap *keys = NULL;
	enum dp_status st;

	if (j->report_fmt == NULL)
		return j->fmt->render(d, &o, out);
	st = introduced_keys(d, &keys);
	ro.existing_ctx = keys;
	if (st == DP_OK)
		st = dp_run_render(new_run, j->report_fmt, &ro, out);
	dp_strmap_free(keys);
	return st;
}

/* The baseline's finding keys, read before either side so a bad file fails at once. */
static enum dp_status read_baseline(const char *path, struct dp_diff_baseline **out,
                                    struct dp_error *err)
{
	struct dp_report *r = NULL;
	enum dp_status st;

	*out = NULL;
	if (path == NULL)
		return DP_OK;
	st = dp_report_read_json(path, NULL, &r, NULL, err);
	if (st == DP_OK)
		st = dp_diff_baseline_new(r, out);
	dp_report_free(r);
	return st;
}

/* Old first, freed before new is read: two versions of a large zone are never held at once. */
static int run_diff(const struct diff_job *j)
{
	struct dp_cli_input in[2] = {{.is_git = false}, {.is_git = false}};
	struct dp_diff_side *side[2] = {NULL, NULL};
	struct dp_run *run[2] = {NULL, NULL};
	struct dp_diff *d = NULL;
	struct dp_diff_baseline *base = NULL;
	struct dp_error err = {0};
	struct dp_buf out = {0};
	int rc = DP_EXIT_USAGE;
	enum dp_status st = read_baseline(j->a->baseline, &base, &err);

	for (int k = 0; k < 2 && st == DP_OK; k++) {
		st = dp_cli_input_open(&j->a->operands.v[k], 1, j->a->origin, j->a->zone_format,
		                       &in[k], &err);
		if (st == DP_OK)
			st = side_run(j->a, &in[k], j->now, &run[k], &side[k], &err);
		if (k == 0) {
			dp_run_free(run[0]);
			run[0] = NULL;
			dp_cli_input_free(&in[0]);
		}
	}
	if (st == DP_OK)
		st = dp_diff_new(side[0], side[1], j->now, &d);
	if (st == DP_OK && base != NULL)
		dp_diff_use_baseline(d, base);
	if (st == DP_OK)
		st = render(j, d, run[1], &out);
	if (st == DP_OK && dp_cli_write(&out))
		rc = exit_status(j, d);
	else if (st != DP_OK)
		dp_cli_error(st, &err);
	dp_buf_free(&out);
	dp_diff_free(d);
	dp_diff_baseline_free(base);
	for (int k = 0; k < 2; k++) {
		dp_diff_side_free(side[k]);
		dp_run_free(run[k]);
		dp_cli_input_free(&in[k]);
	}
	return rc;
}

static bool pick_format(const char *name, struct diff_job *j)
{
	struct dp_buf known = {0};

	j->fmt = dp_diff_renderer_find(name ? name : "text");
	if (j->fmt == NULL)
		j->report_fmt = dp_renderer_find(name, DP_RENDER_SCAN | DP_RENDER_LINT);
	if (j->fmt != NULL || j->report_fmt != NULL)
		return true;
	dp_diff_renderer_list(&known);
	dp_msg_error("--format: unknown format '%s'; known: %s, or a report format of scan", name,
	             known.data ? known.data : "");
	dp_buf_free(&known);
	return false;
}

static bool check_args(struct diff_args *a, struct diff_job *j)
{
	if (a->operands.n != 2) {
		dp_msg_error("give two versions to compare: OLD NEW");
		return false;
	}
	if (!dp_cli_fail_on(a->fail_on, &j->fail_on))
		return false;
	return pick_format(a->format, j) && dp_cli_now(a->now, &j->now) &&
	       dp_cli_zone_format(a->zone_format_arg, &a->zone_format);
}

int dp_cmd_diff(int argc, char **argv)
{
	struct diff_args a = {0};
	struct diff_job j = {.a = &a, .fail_on = DP_SEV_CRITICAL};
	const char *bad;
	int rc = DP_EXIT_USAGE;

	if (!dp_opts_parse(diff_options, N_OPTS, argc, argv, &a, &a.operands, false, &bad)) {
		rc = dp_cli_usage_error("diff");
	} else if (a.help) {
		fputs(diff_head, stdout);
		dp_opts_help(diff_options, N_OPTS, stdout);
		fputs(diff_tail, stdout);
		rc = DP_EXIT_OK;
	} else if (!check_args(&a, &j)) {
		rc = dp_cli_usage_error("diff");
	} else {
		rc = run_diff(&j);
	}
	dp_strv_free(&a.operands);
	return rc;
}
