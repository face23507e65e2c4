/* SPDX-License-Identifier: BSD-3-Clause */
/* The renderer table: one row per output format, looked up by name. */
#include "render/render.h"

#include <stdlib.h>
#include <string.h>

#include "base/name.h"

/* Every format, in the order --help and messages list them; one row per line. */
/* clang-format off */
static const struct dp_renderer *const renderers[] = {
    &dp_render_text,        /* the terminal */
    &dp_render_json,        /* the versioned report */
    &dp_render_nagios,      /* the plugin */
    &dp_render_html,        /* the nightly report for people */
    &dp_render_openmetrics, /* node_exporter's textfile collector */
    &dp_render_sarif,       /* CI (docs/ci.md): code scanning */
    &dp_render_github,      /* workflow commands and step summary */
    &dp_render_junit,       /* GitLab and Jenkins test reports */
    &dp_render_codequality, /* GitLab Code Quality */
};
/* clang-format on */

#define N_RENDERERS (sizeof(renderers) / sizeof(*renderers))

const struct dp_renderer *dp_renderer_find(const char *name, unsigned by)
{
	for (size_t i = 0; i < N_RENDERERS; i++)
		if ((renderers[i]->offered_by & by) && strcmp(renderers[i]->name, name) == 0)
			return renderers[i];
	return NULL;
}

void dp_renderer_list(unsigned by, struct dp_buf *out)
{
	const char *sep = "";

	for (size_t i = 0; i < N_RENDERERS; i++) {
		if (!(renderers[i]->offered_by & by))
			continue;
		dp_buf_addf(out, "%s%s", sep, renderers[i]->name);
		sep = ", ";
	}
}

void dp_render_unicode_form(struct dp_buf *out, const char *name)
{
	char *u = strstr(name, "xn--") ? dp_name_to_display(name) : NULL;

	/* validated IDNA2008 U-labels: letters, no controls, no bidi overrides */
	if (u != NULL)
		dp_buf_addf(out, " = %s", u);
	free(u);
}

bool dp_render_flushed(const struct dp_render_opts *o, struct dp_buf *out)
{
	return o->flush == NULL || out->len <= (1u << 20) || o->flush(out, o->flush_ctx);
}

enum dp_status dp_render_report(struct dp_report *rep, const struct dp_renderer *r,
                                const struct dp_render_opts *o, struct dp_buf *out)
{
	bool details = r->wants_details(o);
	enum dp_status st = r->begin(rep, o, out);

	for (size_t i = 0; st == DP_OK && i < dp_report_name_count(rep); i++) {
		const struct dp_report_name *n = dp_report_name_at(rep, i);
		if (details)
			st = dp_report_load_details(rep, i, &n);
		if (st == DP_OK)
			st = r->each(rep, o, i, n, out);
	}
	return st == DP_OK ? r->end(rep, o, out) : st;
}
