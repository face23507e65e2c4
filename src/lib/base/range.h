/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Monitoring-plugin threshold ranges, [@]start:end (our implementation of
 * the Monitoring Plugins grammar): "10" alerts outside 0..10, "10:" below 10,
 * "~:10" above 10, "10:20" outside 10..20, "@10:20" inside 10..20.
 */
#ifndef DP_RANGE_H
#define DP_RANGE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/status.h"

struct dp_range {
	double start, end;
	bool no_start; /* "~": no lower bound */
	bool no_end;   /* "10:": no upper bound */
	bool inside;   /* "@": alert inside the range, not outside */
	char text[64]; /* as given, for perfdata */
};

/* Parse s; DP_ESYNTAX with the reason in err->msg on a bad range. */
enum dp_status dp_range_parse(const char *s, struct dp_range *out, struct dp_error *err);
/* Does value v raise the alert? */
bool dp_range_alert(const struct dp_range *r, double v);

#endif
