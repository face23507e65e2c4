/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * JUnit XML as GitLab and Jenkins read it: one suite for the run, a
 * failing test case per finding (class: the name, test: id and key, so
 * every test name is unique and stays the same from run to run while the
 * finding does) and a passing one per name without findings, so a clean
 * run shows what was checked. Text is printable ASCII (dp_ci_text) with
 * XML's entities: no DNS datum can end an attribute or open an element.
 */
#include <stdlib.h>
#include <string.h>

#include "render/render.h"
#include "render/escape.h"
#include "render/render_ci.h"

static bool no_details(const struct dp_render_opts *o)
{
	(void)o;
	return false;
}

static size_t clean_names(const struct dp_report *r)
{
	size_t n = 0;

	for (size_t i = 0; i < dp_report_name_count(r); i++)
		n += dp_report_name_at(r, i)->n_findings == 0;
	return n;
}

static enum dp_status begin(const struct dp_report *r, const struct dp_render_opts *o,
                            struct dp_buf *out)
{
	size_t failures = dp_report_finding_count(r), tests = failures + clean_names(r);
	const char *cmd = o->command ? o->command : dp_report_mode(r);

	dp_buf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	dp_buf_addf(
	    out, "<testsuites name=\"dnspersist\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n",
	    tests, failures);
	dp_buf_addf(out,
	            "<testsuite name=\"dnspersist %s\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
	            "skipped=\"0\">\n",
	            cmd, tests, failures);
	return dp_buf_status(out);
}

static void classname(struct dp_buf *out, const char *name)
{
	dp_buf_adds(out, "<testcase classname=\"");
	dp_esc_html_str(out, name != NULL && name[0] != '\0' ? name : "dnspersist");
	dp_buf_adds(out, "\" ");
}

static enum dp_status each(const struct dp_report *r, const struct dp_render_opts *o, size_t i,
                           const struct dp_report_name *n, struct dp_buf *out)
{
	(void)r, (void)i;
	if (n->n_findings > 0)
		return DP_OK;
	classname(out, n->name);
	dp_buf_adds(out, "name=\"no finding\"/>\n");
	return dp_render_flushed(o, out) ? dp_buf_status(out) : DP_EIO;
}

static void testcase(const struct dp_report *r, size_t i, struct dp_buf *out)
{
	const struct dp_finding *f = dp_report_finding(r, i);
	char key[DP_FINDING_KEY_LEN + 1];
	struct dp_ci_where w;

	dp_report_finding_key(r, i, key);
	dp_ci_where(f, NULL, &w);
	classname(out, f->name);
	dp_buf_addf(out, "name=\"%s %s\"", dp_ci_id(f), key);
	if (w.path != NULL) {
		dp_buf_adds(out, " file=\"");
		dp_esc_html_str(out, w.path);
		dp_buf_addf(out, "\" line=\"%lu\"", w.line);
	}
	dp_buf_addf(out, ">\n<failure type=\"%s\" message=\"", dp_severity_name(f->severity));
	dp_esc_html_str(out, f->message);
	dp_buf_addf(out, "\">%s %s: ", dp_severity_name(f->severity), dp_ci_id(f));
	dp_esc_html_str(out, f->message);
	if (w.path != NULL) {
		dp_buf_adds(out, " [");
		dp_esc_html_str(out, w.path);
		dp_buf_addf(out, ":%lu]", w.line);
	}
	dp_buf_adds(out, "</failure>\n</testcase>\n");
	free(w.path);
}

static enum dp_status end(const struct dp_report *r, const struct dp_render_opts *o,
                          struct dp_buf *out)
{
	for (size_t i = 0; i < dp_report_finding_count(r); i++) {
		testcase(r, i, out);
		if (!dp_render_flushed(o, out))
			return DP_EIO;
	}
	dp_buf_adds(out, "</testsuite>\n</testsuites>\n");
	return dp_buf_status(out);
}

const struct dp_renderer dp_render_junit = {
    "junit", DP_RENDER_SCAN | DP_RENDER_LINT, no_details, begin, each, end,
};
