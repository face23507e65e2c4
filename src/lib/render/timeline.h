/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The expiry timeline of the HTML report: every authorization's
 * persistUntil as a mark on a time axis with today and the critical and
 * warning horizons, open-ended authorizations in a lane of their own, drawn
 * as inline SVG. Marks are gathered name by name while the report is
 * written, then drawn once; a column with many marks becomes one bar.
 */
#ifndef DP_TIMELINE_H
#define DP_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/status.h"

struct dp_timeline;

/*
 * A timeline at now, its horizons in seconds (crit_before <= warn_before);
 * the axis reaches max_horizon (or 400 days when 0). The caller owns *out
 * (dp_timeline_free).
 */
enum dp_status dp_timeline_new(int64_t now, int64_t warn_before, int64_t crit_before,
                               int64_t max_horizon, struct dp_timeline **out);
void dp_timeline_free(struct dp_timeline *t);

/*
 * One mark. name is borrowed and must outlive the timeline (the report's
 * names do); issuer and account are copied (once per distinct string).
 */
enum dp_status dp_timeline_add(struct dp_timeline *t, const char *name, const char *issuer,
                               const char *account, bool has_until, int64_t until);

/* Marks added so far. */
size_t dp_timeline_count(const struct dp_timeline *t);

/*
 * The figure: an <svg> element, every datum escaped (dp_esc_html), then a
 * paragraph with the counts per band. Sorts the marks.
 */
void dp_timeline_svg(struct dp_timeline *t, struct dp_buf *out);

#endif
