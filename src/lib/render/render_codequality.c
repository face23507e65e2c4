/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * GitLab Code Quality: a JSON array of issues (description, check_name,
 * fingerprint, severity, location.path and location.lines.begin), shown on
 * the merge request's changed lines. The fingerprint is the finding key, so
 * GitLab tells new findings from old ones by what is wrong, not by where.
 * GitLab needs a path for every issue: one without a file in the
 * repository (a live answer) points at the inventory, else at ".".
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/jsonutil.h"
#include "render/render.h"
#include "render/render_ci.h"

static bool no_details(const struct dp_render_opts *o)
{
	(void)o;
	return false;
}

static enum dp_status begin(const struct dp_report *r, const struct dp_render_opts *o,
                            struct dp_buf *out)
{
	(void)r, (void)o;
	dp_buf_adds(out, "[\n");
	return dp_buf_status(out);
}

static enum dp_status each(const struct dp_report *r, const struct dp_render_opts *o, size_t i,
                           const struct dp_report_name *n, struct dp_buf *out)
{
	(void)r, (void)o, (void)i, (void)n, (void)out;
	return DP_OK;
}

/* Where GitLab shows the issue: the file and line, else the inventory, else ".". */
static void where(const struct dp_finding *f, const struct dp_render_opts *o, struct dp_ci_where *w)
{
	dp_ci_where_or_inventory(f, o, w);
	if (w->path == NULL) {
		w->path = strdup(".");
		w->line = 1;
	}
}

static json_t *issue(const struct dp_report *r, const struct dp_render_opts *o, size_t i)
{
	const struct dp_finding *f = dp_report_finding(r, i);
	char key[DP_FINDING_KEY_LEN + 1];
	struct dp_buf desc = {0};
	struct dp_ci_where w;
	json_t *j;

	dp_report_finding_key(r, i, key);
	where(f, o, &w);
	if (f->name != NULL && f->name[0] != '\0')
		dp_buf_addf(&desc, "%s: ", f->name);
	dp_buf_adds(&desc, f->message);
	j = json_pack("{s:s,s:o,s:s,s:s,s:s,s:[s],s:{s:o,s:{s:I}}}", "type", "issue", "description",
	              dp_json_cstr(desc.data ? desc.data : ""), "check_name", dp_ci_id(f),
	              "fingerprint", key, "severity", dp_ci_codequality_severity(f->severity),
	              "categories", "Security", "location", "path", dp_json_cstr(w.path), "lines",
	              "begin", (json_int_t)w.line);
	dp_buf_free(&desc);
	free(w.path);
	return j;
}

static enum dp_status end(const struct dp_report *r, const struct dp_render_opts *o,
                          struct dp_buf *out)
{
	size_t n = dp_report_finding_count(r);

	for (size_t i = 0; i < n; i++) {
		if (!dp_json_put(issue(r, o, i), out))
			return DP_ENOMEM;
		dp_buf_adds(out, i + 1 < n ? ",\n" : "\n");
		if (!dp_render_flushed(o, out))
			return DP_EIO;
	}
	dp_buf_adds(out, "]\n");
	return dp_buf_status(out);
}

const struct dp_renderer dp_render_codequality = {
    "codequality", DP_RENDER_SCAN | DP_RENDER_LINT, no_details, begin, each, end,
};
