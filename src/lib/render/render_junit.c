/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * JUnit XML as GitLab and Jenkins read it: one suite for the run, a
 * failing test case per finding (class: the name, test: id and key, so
 * every test name is unique and stays the same from run to run while the
 * finding does) and a passing one per name without findings, so a clean
 * run shows what was checked. With --baseline, a finding the baseline had
 * is a skipped test, not a failure: it fails no gate. Text is printable ASCII (dp_ci_text) with
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
	size_t found = dp_report_finding_count(r), tests = found + clean_names(r), skipped = 0;
	const char *cmd = o->command ? o->command : dp_report_mode(r);
	size_t failures;

	for (size_t i = 0; i < found; i++)
		skipped += dp_ci_existing(r, o, i);
	failures = found - skipped;

	dp_buf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	dp_buf_addf(
	    out, "<testsuites name=\"dnspersist\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n",
	    tests, failures);
	dp_buf_addf(out,
	            "<testsuite name=\"dnspersist %s\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
	            "skipped=\"%zu\">\n",
	            cmd, tests, failures, skipped);
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

static void testcase(const struct dp_report *r, const struct dp_render_opts *o, size_t i,
                     struct dp_buf *out)
{
	const struct dp_finding *f = dp_report_finding(r, i);
	char key[DP_FINDING_KEY_LEN + 1];
	struct dp_ci_where w;
	bool existing = dp_ci_existing(r, o, i);
	const char *element = existing ? "skipped" : "failure";

	dp_report_finding_key(r, i, key);
	dp_ci_where(f, NULL, &w);
	classname(out, f->name);
	dp_buf_addf(out, "name=\"%s %s\"", dp_ci_id(f), key);
	if (w.path != NULL) {
		dp_buf_adds(out, " file=\"");
		dp_esc_html_str(out, w.path);
		dp_buf_addf(out, "\" line=\"%lu\"", w.line);
	}
	dp_buf_addf(out, ">\n<%s", element);
	if (!existing) /* the schemas give <skipped> a message only */
		dp_buf_addf(out, " type=\"%s\"", dp_severity_name(f->severity));
	dp_buf_adds(out, " message=\"");
	dp_esc_html_str(out, f->message);
	dp_buf_adds(out, "\">");
	if (existing)
		dp_buf_addf(out, "%s: ", dp_ci_existing_label(o));
	dp_buf_addf(out, "%s %s: ", dp_severity_name(f->severity), dp_ci_id(f));
	dp_esc_html_str(out, f->message);
	if (w.path != NULL) {
		dp_buf_adds(out, " [");
		dp_esc_html_str(out, w.path);
		dp_buf_addf(out, ":%lu]", w.line);
	}
	dp_buf_addf(out, "</%s>\n</testcase>\n", element);
	free(w.path);
}

static enum dp_status end(const struct dp_report *r, const struct dp_render_opts *o,
                          struct dp_buf *out)
{
	for (size_t i = 0; i < dp_report_finding_count(r); i++) {
		testcase(r, o, i, out);
		if (!dp_render_flushed(o, out))
			return DP_EIO;
	}
	dp_buf_adds(out, "</testsuite>\n</testsuites>\n");
	return dp_buf_status(out);
}

const struct dp_renderer dp_render_junit = {
    "junit", DP_RENDER_SCAN | DP_RENDER_LINT, no_details, begin, each, end,
};
