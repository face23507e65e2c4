/* SPDX-License-Identifier: BSD-3-Clause */
/* Small helpers shared by the subcommands: lists, --now, --format, output. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"

#include "cli/cli.h"
#include "base/msg.h"
#include "model/rules.h"
#include "report/changes.h"
#include "base/timeutil.h"

bool dp_strv_push(struct dp_strv *sv, const char *s)
{
	const char **n = realloc(sv->v, (sv->n + 1) * sizeof(*n));
	if (n == NULL)
		return false;
	sv->v = n;
	sv->v[sv->n++] = s;
	return true;
}

void dp_strv_free(struct dp_strv *sv)
{
	free(sv->v);
	sv->v = NULL;
	sv->n = 0;
}

bool dp_cli_now(const char *arg, int64_t *now)
{
	struct dp_error err = {0};
	int64_t clock_now = (int64_t)time(NULL);

	if (arg == NULL) {
		*now = clock_now;
		return true;
	}
	if (dp_time_parse(arg, clock_now, now, &err) != DP_OK) {
		dp_msg_error("--now: %s", err.msg);
		return false;
	}
	return true;
}

int dp_cli_choice(const char *opt, const char *arg, const char *const *allowed)
{
	struct dp_buf known = {0};

	for (int i = 0; allowed[i] != NULL; i++)
		if (strcmp(arg, allowed[i]) == 0)
			return i;
	for (int i = 0; allowed[i] != NULL; i++)
		dp_buf_addf(&known, "%s%s", i ? ", " : "", allowed[i]);
	dp_msg_error("%s: unknown value '%s'; known: %s", opt, arg, known.data ? known.data : "");
	dp_buf_free(&known);
	return -1;
}

const struct dp_renderer *dp_cli_renderer(const char *arg, unsigned by)
{
	const struct dp_renderer *r = dp_renderer_find(arg, by);
	struct dp_buf known = {0};

	if (r != NULL)
		return r;
	dp_renderer_list(by, &known);
	dp_msg_error("--format: unknown format '%s'; known: %s", arg, known.data ? known.data : "");
	dp_buf_free(&known);
	return NULL;
}

bool dp_cli_zone_format(const char *arg, enum dp_zone_format *out)
{
	static const char *const formats[] = {"bind", "octodns", NULL};
	int i = arg ? dp_cli_choice("--zone-format", arg, formats) : -1;

	*out = i == 0 ? DP_ZONE_BIND : i == 1 ? DP_ZONE_OCTODNS : DP_ZONE_AUTO;
	return arg == NULL || i >= 0;
}

void dp_cli_error(enum dp_status st, const struct dp_error *err)
{
	if (err != NULL && err->msg[0] != '\0')
		dp_msg_dp_error(err);
	else
		dp_msg_error("%s", dp_strerror(st));
}

/* ---- option tables ---- */

#define MAX_OPTS 64

static void *field(void *args, const struct dp_opt *o)
{
	return (char *)args + o->field;
}

static bool apply(const struct dp_opt *o, void *args, const char *arg)
{
	switch (o->kind) {
	case DP_OPT_STR:
		*(const char **)field(args, o) = arg;
		return true;
	case DP_OPT_FLAG:
		*(bool *)field(args, o) = true;
		return true;
	case DP_OPT_LIST:
		return dp_strv_push(field(args, o), arg);
	case DP_OPT_COUNT:
		(*(int *)field(args, o))++;
		return true;
	}
	return false;
}

/* getopt_long's array and short string; a long-only option returns 256 + its row. */
static bool build(const struct dp_opt *t, size_t n, struct option *lo, char *shorts)
{
	size_t k = 0;

	if (n >= MAX_OPTS)
		return false;
	shorts[k++] = ':'; /* a missing value is reported as ':' */
	for (size_t i = 0; i < n; i++) {
		int has = t[i].meta != NULL ? required_argument : no_argument;
		lo[i] =
		    (struct option){t[i].name, has, NULL, t[i].letter ? t[i].letter : 256 + (int)i};
		if (t[i].letter) {
			shorts[k++] = t[i].letter;
			if (has == required_argument)
				shorts[k++] = ':';
		}
	}
	lo[n] = (struct option){NULL, 0, NULL, 0};
	shorts[k] = '\0';
	return true;
}

static const struct dp_opt *row_of(const struct dp_opt *t, size_t n, int c)
{
	if (c >= 256 && (size_t)(c - 256) < n)
		return &t[c - 256];
	for (size_t i = 0; c > 0 && c < 256 && i < n; i++)
		if (t[i].letter == c)
			return &t[i];
	return NULL;
}

bool dp_opts_parse(const struct dp_opt *t, size_t n, int argc, char **argv, void *args,
                   struct dp_strv *operands, bool quiet, const char **bad)
{
	struct option lo[MAX_OPTS + 1];
	char shorts[2 * MAX_OPTS + 2];
	const struct dp_opt *o;
	int c;

	*bad = NULL;
	if (!build(t, n, lo, shorts))
		return false;
	optind = 1;
	opterr = 0; /* our own message, below */
	for (;;) {
		c = getopt_long(argc, argv, shorts, lo, NULL);
		if (c == -1)
			break;
		o = row_of(t, n, c);
		if (o == NULL || !apply(o, args, optarg)) {
			*bad = argv[optind - 1];
			if (!quiet)
				dp_msg_error("%s: %s", *bad,
				             c == ':' ? "needs a value" : "unknown option");
			return false;
		}
	}
	for (; optind < argc; optind++)
		if (operands == NULL || !dp_strv_push(operands, argv[optind])) {
			*bad = argv[optind];
			if (!quiet)
				dp_msg_error("unexpected argument '%s'", argv[optind]);
			return false;
		}
	return true;
}

void dp_opts_help(const struct dp_opt *t, size_t n, FILE *f)
{
	for (size_t i = 0; i < n; i++) {
		char head[64];
		const char *h = t[i].help, *nl;
		int len = snprintf(head, sizeof(head), "%c%c%c --%s%s%s", t[i].letter ? '-' : ' ',
		                   t[i].letter ? t[i].letter : ' ', t[i].letter ? ',' : ' ',
		                   t[i].name, t[i].meta ? " " : "", t[i].meta ? t[i].meta : "");
		fprintf(f, "  %s%*s", head, len < 24 ? 24 - len : 1, "");
		for (nl = strchr(h, '\n'); nl != NULL; nl = strchr(h, '\n')) {
			fprintf(f, "%.*s\n%26s", (int)(nl - h), h, "");
			h = nl + 1;
		}
		fprintf(f, "%s\n", h);
	}
}

bool dp_cli_write(const struct dp_buf *b)
{
	if (dp_buf_status(b) != DP_OK) {
		dp_msg_error("out of memory");
		return false;
	}
	if (b->len > 0 && fwrite(b->data, 1, b->len, stdout) != b->len) {
		dp_msg_error("cannot write output: %s", strerror(errno));
		return false;
	}
	if (fflush(stdout) != 0) {
		dp_msg_error("cannot write output: %s", strerror(errno));
		return false;
	}
	return true;
}

void dp_cli_warn(const char *text)
{
	dp_msg_warn("%s", text);
}

void dp_cli_step_summary(const struct dp_buf *md)
{
	const char *path = getenv("GITHUB_STEP_SUMMARY");
	FILE *f;

	if (md->len == 0 || path == NULL || path[0] == '\0')
		return;
	f = fopen(path, "a");
	if (f == NULL || fwrite(md->data, 1, md->len, f) != md->len) {
		dp_msg_warn("GITHUB_STEP_SUMMARY %s: %s", path, strerror(errno));
		if (f != NULL)
			fclose(f);
		return;
	}
	if (fclose(f) != 0)
		dp_msg_warn("GITHUB_STEP_SUMMARY %s: %s", path, strerror(errno));
}

int dp_cli_usage_error(const char *cmd)
{
	fprintf(stderr, "Try 'dnspersist %s --help' for more information.\n", cmd);
	return DP_EXIT_USAGE;
}

bool dp_cli_fail_on(const char *arg, enum dp_severity *out)
{
	enum dp_severity s;

	if (arg == NULL)
		return true;
	if (!dp_severity_parse(arg, &s) || s == DP_SEV_OFF) {
		dp_msg_error("--fail-on: '%s' is not critical, warning or notice", arg);
		return false;
	}
	*out = s;
	return true;
}

bool dp_cli_color(const char *arg)
{
	const char *nc = getenv("NO_COLOR");

	if (arg != NULL && strcmp(arg, "always") == 0)
		return true;
	if (arg != NULL && strcmp(arg, "never") == 0)
		return false;
	return isatty(STDOUT_FILENO) && (nc == NULL || nc[0] == '\0');
}

bool dp_cli_flush_stdout(struct dp_buf *out, void *ctx)
{
	bool ok = dp_cli_write(out);

	(void)ctx;
	dp_buf_reset(out);
	return ok;
}

/*
 * The one exit-status decision for scan, lint and merge. With a baseline,
 * findings it had are existing and do not fail: a repository adopts the
 * gate before it has fixed its backlog.
 */
int dp_cli_exit_status(const struct dp_report *r, enum dp_severity fail_on)
{
	const struct dp_changes *c = dp_report_changes(r);

	if (dp_report_level(r) == DP_LEVEL_UNKNOWN)
		return DP_EXIT_LOOKUP;
	for (size_t i = 0; i < dp_report_finding_count(r); i++)
		if (dp_report_finding(r, i)->severity >= fail_on &&
		    (c == NULL || !dp_changes_existing(c, i)))
			return DP_EXIT_FAIL;
	return DP_EXIT_OK;
}
