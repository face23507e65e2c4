/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * GitHub Actions workflow commands: one "::error file=…,line=…::message"
 * line per finding, which GitHub shows as an annotation on the line, and a
 * Markdown summary for the job page (o->summary; the front end appends it
 * to $GITHUB_STEP_SUMMARY). A command is a whole line, so no DNS datum may
 * end one or start another: text goes through dp_ci_text() (no control
 * character survives it), then GitHub's own escaping of %, CR and LF, and
 * in properties also ':' and ','. A finding that was there before (the
 * baseline's, or OLD's in a diff) is a notice, so only what is new is
 * shown in red.
 */
#include <stdlib.h>
#include <string.h>

#include "render/render.h"
#include "render/escape.h"
#include "render/render_ci.h"

/* The most findings the summary lists; GitHub takes 1 MiB of summary a step. */
#define SUMMARY_ROWS 1000

/* GitHub's escaping: of %, CR, LF in messages; of ':' and ',' too in properties. */
static void escape(struct dp_buf *out, const char *s, bool property)
{
	struct dp_buf t = {0};

	dp_ci_text(&t, s);
	for (size_t i = 0; i < t.len; i++) {
		char c = t.data[i];
		if (c == '%' || c == '\r' || c == '\n' || (property && (c == ':' || c == ',')))
			dp_buf_addf(out, "%%%02X", (unsigned char)c);
		else
			dp_buf_addc(out, c);
	}
	dp_buf_free(&t);
}

static const char *command(enum dp_severity s)
{
	return s == DP_SEV_CRITICAL ? "error" : s == DP_SEV_WARNING ? "warning" : "notice";
}

/* An existing finding (NULL: none is) is a notice whatever its severity: it fails nothing. */
static void annotation(const struct dp_finding *f, const char *existing, struct dp_buf *out)
{
	struct dp_ci_where w;
	struct dp_buf title = {0};

	dp_ci_where(f, NULL, &w);
	dp_buf_addf(out, "::%s ", existing ? "notice" : command(f->severity));
	if (w.path != NULL) {
		dp_buf_adds(out, "file=");
		escape(out, w.path, true);
		dp_buf_addf(out, ",line=%lu,col=1,", w.line);
	}
	dp_buf_addf(&title, "%s %s", dp_severity_name(f->severity), dp_ci_id(f));
	if (f->name != NULL && f->name[0] != '\0')
		dp_buf_addf(&title, " (%s)", f->name);
	if (existing)
		dp_buf_addf(&title, ", %s", existing);
	dp_buf_adds(out, "title=");
	escape(out, title.data, true);
	dp_buf_adds(out, "::");
	escape(out, f->message, false);
	dp_buf_addc(out, '\n');
	dp_buf_free(&title);
	free(w.path);
}

static void summary_row(const struct dp_finding *f, const char *state, struct dp_buf *md)
{
	struct dp_ci_where w;

	dp_ci_where(f, NULL, &w);
	dp_buf_addf(md, "| %s%s | `%s` | ", dp_severity_name(f->severity), state, dp_ci_id(f));
	dp_esc_md_cell(md, f->name);
	dp_buf_adds(md, " | ");
	if (w.path != NULL) {
		dp_esc_md_cell(md, w.path);
		dp_buf_addf(md, ":%lu", w.line);
	}
	dp_buf_adds(md, " | ");
	dp_esc_md_cell(md, f->message);
	dp_buf_adds(md, " |\n");
	free(w.path);
}

/* With a baseline, a summary row says whether its finding is new. */
static const char *state(const struct dp_report *r, const struct dp_render_opts *o, size_t i)
{
	if (!dp_ci_has_baseline(r, o))
		return "";
	return dp_ci_existing(r, o, i) ? " (existing)" : " (new)";
}

static void summary(const struct dp_report *r, const struct dp_render_opts *o, struct dp_buf *md)
{
	size_t n = dp_report_finding_count(r);

	dp_buf_addf(md, "### dnspersist %s: %s\n\n", o->command ? o->command : "",
	            dp_level_name(dp_report_level(r)));
	dp_buf_addf(md, "%zu names; findings: %zu critical, %zu warning, %zu notice.\n\n",
	            dp_report_name_count(r), dp_report_count(r, DP_SEV_CRITICAL),
	            dp_report_count(r, DP_SEV_WARNING), dp_report_count(r, DP_SEV_NOTICE));
	if (dp_ci_has_baseline(r, o)) {
		size_t fresh = 0;
		for (size_t i = 0; i < n; i++)
			fresh += !dp_ci_existing(r, o, i);
		dp_buf_addf(md, "%zu new; %zu existing (%s).\n\n", fresh, n - fresh,
		            dp_ci_existing_label(o));
	}
	if (n == 0)
		return;
	dp_buf_adds(md, "| Severity | Finding | Name | Where | Message |\n|---|---|---|---|---|\n");
	for (size_t i = 0; i < n && i < SUMMARY_ROWS; i++)
		summary_row(dp_report_finding(r, i), state(r, o, i), md);
	if (n > SUMMARY_ROWS)
		dp_buf_addf(md, "\n%zu more findings are not listed here.\n", n - SUMMARY_ROWS);
	dp_buf_addc(md, '\n');
}

static bool no_details(const struct dp_render_opts *o)
{
	(void)o;
	return false;
}

static enum dp_status begin(const struct dp_report *r, const struct dp_render_opts *o,
                            struct dp_buf *out)
{
	(void)r, (void)o, (void)out;
	return DP_OK;
}

static enum dp_status each(const struct dp_report *r, const struct dp_render_opts *o, size_t i,
                           const struct dp_report_name *n, struct dp_buf *out)
{
	(void)r, (void)o, (void)i, (void)n, (void)out;
	return DP_OK;
}

static enum dp_status end(const struct dp_report *r, const struct dp_render_opts *o,
                          struct dp_buf *out)
{
	for (size_t i = 0; i < dp_report_finding_count(r); i++) {
		annotation(dp_report_finding(r, i),
		           dp_ci_existing(r, o, i) ? dp_ci_existing_label(o) : NULL, out);
		if (!dp_render_flushed(o, out))
			return DP_EIO;
	}
	if (o->summary != NULL) {
		summary(r, o, o->summary);
		if (dp_buf_status(o->summary) != DP_OK)
			return DP_ENOMEM;
	}
	return dp_buf_status(out);
}

const struct dp_renderer dp_render_github = {
    "github", DP_RENDER_SCAN | DP_RENDER_LINT, no_details, begin, each, end,
};
