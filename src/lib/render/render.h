/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Renderers for scan, lint and plugin reports, as rows of one table: each
 * formats what it is handed and never computes a verdict or asks the audit
 * for anything. The run drives them: begin, then every name in print order
 * (its details loaded by the run when the renderer wants them), then end.
 */
#ifndef DP_RENDER_H
#define DP_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "report/report.h"

struct dp_nagios_opts;
struct dp_nagios_verdict;
struct dp_rules_params;

struct dp_render_opts {
	bool color;            /* ANSI colour (the caller decides: a terminal, no NO_COLOR) */
	const char *inventory; /* inventory file, for the header; may be NULL */
	const char *version;   /* tool version for JSON */
	/* called with out once it holds 1 MiB, to write it out and empty it */
	bool (*flush)(struct dp_buf *out, void *ctx);
	void *flush_ctx;
	/* nagios only: the ranges and the state the plugin decided */
	const struct dp_nagios_opts *nagios;
	const struct dp_nagios_verdict *verdict;
	/* html: the warning and critical horizons of the timeline (the run's
	 * rules when NULL: dp_run_render fills it in) */
	const struct dp_rules_params *lifetimes;
	/* html: what was read, for the header ("zones/", "192.0.2.1@53") */
	const char *const *sources;
	size_t n_sources;
	/* openmetrics: seconds from the run's start to rendering; 0 when unknown */
	double duration;
	/* the command ("scan", "lint", "diff"): CI formats name their run by it; may be NULL */
	const char *command;
	/* a note for the user's log (stderr), e.g. that a CI format cut results; may be NULL */
	void (*warn)(const char *text);
	/* when not NULL, a format with a Markdown summary for CI pages adds it here (github) */
	struct dp_buf *summary;
	bool verbose; /* text: also the certificates CT shows for each name (-v) */
	/*
	 * CI formats: whether finding i was there before, when the front end
	 * knows better than the report's baseline (diff: a finding OLD had too).
	 * NULL: the report's --baseline changes decide.
	 */
	bool (*existing)(const struct dp_report *r, size_t i, void *ctx);
	void *existing_ctx;
	/* what an existing finding is called ("in the baseline" when NULL) */
	const char *existing_label;
};

/* Which front ends offer a format. */
#define DP_RENDER_SCAN   1u
#define DP_RENDER_LINT   2u
#define DP_RENDER_PLUGIN 4u

struct dp_renderer {
	const char *name;
	unsigned offered_by; /* DP_RENDER_* */
	/* whether name() needs the name's records, CAA and authorizations */
	bool (*wants_details)(const struct dp_render_opts *o);
	enum dp_status (*begin)(const struct dp_report *r, const struct dp_render_opts *o,
	                        struct dp_buf *out);
	/* the i-th name of dp_report_name_count(r) */
	enum dp_status (*each)(const struct dp_report *r, const struct dp_render_opts *o, size_t i,
	                       const struct dp_report_name *n, struct dp_buf *out);
	enum dp_status (*end)(const struct dp_report *r, const struct dp_render_opts *o,
	                      struct dp_buf *out);
};

/* The renderer called name offered by front end `by`, or NULL. */
const struct dp_renderer *dp_renderer_find(const char *name, unsigned by);
/* "text, json" for messages: the names offered by `by`, into out. */
void dp_renderer_list(unsigned by, struct dp_buf *out);

extern const struct dp_renderer dp_render_text;
extern const struct dp_renderer dp_render_json;
extern const struct dp_renderer dp_render_nagios;
extern const struct dp_renderer dp_render_html;
extern const struct dp_renderer dp_render_openmetrics;
extern const struct dp_renderer dp_render_sarif;
extern const struct dp_renderer dp_render_github;
extern const struct dp_renderer dp_render_junit;
extern const struct dp_renderer dp_render_codequality;

/*
 * The driver: begin, every name in print order (its details loaded first,
 * the second pass, when the renderer wants them), end. out may be flushed
 * on the way (o->flush). The report is not const: loading details changes
 * which name's details it holds.
 */
enum dp_status dp_render_report(struct dp_report *rep, const struct dp_renderer *r,
                                const struct dp_render_opts *o, struct dp_buf *out);

/* " = münchen.example" after a name with xn-- labels (its U-label form), else nothing. */
void dp_render_unicode_form(struct dp_buf *out, const char *name);

/* Append a large buffer's content through o->flush when it has grown past 1 MiB. */
bool dp_render_flushed(const struct dp_render_opts *o, struct dp_buf *out);

#endif
