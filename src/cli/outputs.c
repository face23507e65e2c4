/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * -o FORMAT:FILE for scan and lint: every spec checked before the run, then
 * one run rendered into each file through the renderer table, each file
 * replaced atomically (base/atomicfile), so a nightly job that fails or is
 * killed leaves yesterday's reports as they were.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/atomicfile.h"
#include "base/msg.h"
#include "cli/cli.h"
#include "run.h"

#define FORMAT_MAX 32

/* "FORMAT:FILE" into its renderer and path; false after a message. */
static bool parse_spec(const char *spec, unsigned by, struct dp_output *o)
{
	const char *colon = strchr(spec, ':');
	char name[FORMAT_MAX];
	struct dp_buf known = {0};

	if (colon == NULL || colon == spec || colon[1] == '\0') {
		dp_msg_error("-o: '%s' is not FORMAT:FILE (e.g. json:report.json)", spec);
		return false;
	}
	o->path = colon + 1;
	o->fmt = NULL;
	if ((size_t)(colon - spec) < sizeof(name)) {
		memcpy(name, spec, (size_t)(colon - spec));
		name[colon - spec] = '\0';
		o->fmt = dp_renderer_find(name, by);
	}
	if (o->fmt != NULL)
		return true;
	dp_renderer_list(by, &known);
	dp_msg_error("-o: unknown format '%.*s'; known: %s", (int)(colon - spec), spec,
	             known.data ? known.data : "");
	dp_buf_free(&known);
	return false;
}

/* The same file twice, or stdout twice, would have two runs' worth of writers. */
static bool check_unique(const struct dp_outputs *outs, bool stdout_taken)
{
	for (size_t i = 0; i < outs->n; i++) {
		bool out = strcmp(outs->v[i].path, "-") == 0;
		if (out && stdout_taken) {
			dp_msg_error("-o %s:-: standard output already has --format",
			             outs->v[i].fmt->name);
			return false;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(outs->v[i].path, outs->v[j].path) == 0) {
				dp_msg_error("-o: '%s' is given twice", outs->v[i].path);
				return false;
			}
	}
	return true;
}

/* A file that cannot be replaced is an error now, not after an hour-long live scan. */
static bool check_paths(const struct dp_outputs *outs)
{
	struct dp_error err = {0};

	for (size_t i = 0; i < outs->n; i++)
		if (strcmp(outs->v[i].path, "-") != 0 &&
		    dp_atomicfile_check(outs->v[i].path, &err) != DP_OK) {
			dp_msg_dp_error(&err);
			return false;
		}
	return true;
}

bool dp_outputs_parse(const struct dp_strv *specs, unsigned by, bool stdout_taken,
                      struct dp_outputs *outs)
{
	outs->n = 0;
	outs->v = NULL;
	if (specs->n == 0)
		return true;
	outs->v = calloc(specs->n, sizeof(*outs->v));
	if (outs->v == NULL) {
		dp_msg_error("out of memory");
		return false;
	}
	for (; outs->n < specs->n; outs->n++)
		if (!parse_spec(specs->v[outs->n], by, &outs->v[outs->n]))
			return false;
	return check_unique(outs, stdout_taken) && check_paths(outs);
}

void dp_outputs_free(struct dp_outputs *outs)
{
	free(outs->v);
	outs->v = NULL;
	outs->n = 0;
}

/* ---- writing ---- */

/*
 * The temporary being written, for the signal handler: SIGTERM from
 * systemd's timeout or ^C removes it instead of leaving ".NAME.XXXXXX"
 * behind (SIGKILL cannot be caught; the old file is intact either way).
 */
static char pending_path[4096];
static volatile sig_atomic_t pending;

static void on_signal(int sig)
{
	if (pending)
		unlink(pending_path);
	raise(sig); /* SA_RESETHAND: the default action, once this handler returns */
}

static const int caught[] = {SIGHUP, SIGINT, SIGTERM};
#define N_CAUGHT (sizeof(caught) / sizeof(*caught))

static void catch_signals(struct sigaction *old)
{
	struct sigaction sa = {0};

	sa.sa_handler = on_signal;
	sa.sa_flags = (int)SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < N_CAUGHT; i++)
		sigaction(caught[i], &sa, &old[i]);
}

static void restore_signals(const struct sigaction *old)
{
	for (size_t i = 0; i < N_CAUGHT; i++)
		sigaction(caught[i], &old[i], NULL);
}

static void set_pending(const struct dp_atomicfile *f)
{
	const char *p = f != NULL ? dp_atomicfile_temp_path(f) : NULL;

	pending = 0;
	if (p != NULL && strlen(p) < sizeof(pending_path)) {
		memcpy(pending_path, p, strlen(p) + 1);
		pending = 1;
	}
}

struct file_sink {
	struct dp_atomicfile *f;
	struct dp_error err;
};

static bool flush_file(struct dp_buf *out, void *ctx)
{
	struct file_sink *s = ctx;
	enum dp_status st = dp_buf_status(out);

	if (st == DP_OK && out->len > 0)
		st = dp_atomicfile_write(s->f, out->data, out->len, &s->err);
	else if (st != DP_OK)
		dp_error_set(&s->err, st, "", 0, 0, "%s", dp_strerror(st));
	dp_buf_reset(out);
	return st == DP_OK;
}

/* One format into one file: render through the temporary, then commit or abort. */
static bool write_file(struct dp_run *run, const struct dp_output *o,
                       const struct dp_render_opts *base, struct dp_buf *out)
{
	struct file_sink s = {0};
	struct dp_render_opts ro = *base;
	enum dp_status st = dp_atomicfile_open(o->path, &s.f, &s.err);

	if (st == DP_OK) {
		set_pending(s.f);
		ro.flush = flush_file;
		ro.flush_ctx = &s;
		st = dp_run_render(run, o->fmt, &ro, out);
		if (st == DP_OK && !flush_file(out, &s))
			st = DP_EIO;
		if (st == DP_OK)
			st = dp_atomicfile_commit(s.f, &s.err);
		else
			dp_atomicfile_abort(s.f);
		set_pending(NULL);
	}
	dp_buf_reset(out);
	if (st != DP_OK)
		dp_cli_error(st, &s.err);
	return st == DP_OK;
}

static bool write_stdout(struct dp_run *run, const struct dp_output *o,
                         const struct dp_render_opts *base, struct dp_buf *out)
{
	struct dp_render_opts ro = *base;
	enum dp_status st;
	bool ok;

	ro.flush = dp_cli_flush_stdout;
	ro.flush_ctx = NULL;
	st = dp_run_render(run, o->fmt, &ro, out);
	ok = st == DP_OK && dp_cli_write(out);
	if (st != DP_OK)
		dp_cli_error(st, NULL);
	dp_buf_reset(out);
	return ok;
}

bool dp_outputs_write(struct dp_run *run, const struct dp_outputs *outs,
                      const struct dp_render_opts *base)
{
	struct sigaction old[N_CAUGHT];
	struct dp_render_opts ro = *base;
	struct dp_buf out = {0};
	bool ok = true;

	ro.color = false; /* files and pipes are not terminals */
	catch_signals(old);
	for (size_t i = 0; i < outs->n; i++) {
		const struct dp_output *o = &outs->v[i];
		if (strcmp(o->path, "-") == 0)
			ok = write_stdout(run, o, &ro, &out) && ok;
		else
			ok = write_file(run, o, &ro, &out) && ok;
	}
	restore_signals(old);
	dp_buf_free(&out);
	return ok;
}
