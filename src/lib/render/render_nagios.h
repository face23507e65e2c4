/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The monitoring-plugin view of a report (shared/design/NAGIOS.md): one
 * state decided from the findings and the days until the earliest
 * persistUntil against the -w/-c ranges, and the output: a short first line
 * with perfdata, then one long-output line per finding. DNS data can never
 * put a '|', a newline or a control character into it.
 */
#ifndef DP_RENDER_NAGIOS_H
#define DP_RENDER_NAGIOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/range.h"
#include "report/report.h"

enum dp_nagios_state {
	DP_NAGIOS_OK = 0,
	DP_NAGIOS_WARNING = 1,
	DP_NAGIOS_CRITICAL = 2,
	DP_NAGIOS_UNKNOWN = 3,
};
const char *dp_nagios_state_name(enum dp_nagios_state s);

struct dp_nagios_opts {
	struct dp_range warn, crit; /* on days until the earliest persistUntil */
	int verbose;                /* 1: records too; 2: authorizations too */
	double elapsed;             /* seconds, for the time perfdata */
	size_t max_lines;           /* long-output lines before "... and N more" (0: 20) */
};

/* What the state rests on; filled by dp_nagios_decide. */
struct dp_nagios_verdict {
	enum dp_nagios_state state;
	bool have_days;
	int64_t days;          /* whole days until the earliest persistUntil (negative: passed) */
	const char *days_name; /* the name whose record it is */
	enum dp_nagios_state days_state;
};

/* The one state decision. */
void dp_nagios_decide(const struct dp_report *r, const struct dp_nagios_opts *o,
                      struct dp_nagios_verdict *v);

/* The plugin's output is the "nagios" row of the renderer table (render.h). */

/*
 * Append s for plugin output: '|' becomes '/', control characters and
 * newlines a space, at most max bytes (then "...").
 */
void dp_nagios_clean(struct dp_buf *b, const char *s, size_t max);

#endif
