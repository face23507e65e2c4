/* SPDX-License-Identifier: BSD-3-Clause */
/* Renderers for scan and lint reports; they never compute verdicts. */
#ifndef DP_RENDER_H
#define DP_RENDER_H

#include <stdbool.h>

#include "base/buf.h"
#include "report/report.h"

struct dp_render_opts {
	bool color;            /* ANSI colour (the caller decides: a terminal, no NO_COLOR) */
	const char *inventory; /* inventory file, for the header; may be NULL */
	const char *version;   /* tool version for JSON */
	/* text only: called with out once it holds 1 MiB, to write it out and empty it */
	bool (*flush)(struct dp_buf *out, void *ctx);
	void *flush_ctx;
};

/* Text grouped by name, worst first, ending with a one-line summary. */
enum dp_status dp_render_text(const struct dp_report *r, const struct dp_render_opts *o,
                              struct dp_buf *out);
/* The versioned JSON document of ARCHITECTURE.md section 5. */
enum dp_status dp_render_json(const struct dp_report *r, const struct dp_render_opts *o,
                              struct dp_buf *out);

#endif
