/* SPDX-License-Identifier: BSD-3-Clause */
/* Times and durations as users write them: UNIX seconds, ISO 8601 UTC, 30d, +90d. */
#ifndef DP_TIMEUTIL_H
#define DP_TIMEUTIL_H

#include <stdint.h>

#include "base/status.h"

#define DP_TIME_STR 48

/*
 * Parse a point in time: "now", UNIX seconds ("1767225600"), ISO 8601 UTC
 * ("2026-12-31", "2026-12-31T23:59:59Z", "2026-12-31 23:59Z", "...+00:00")
 * or a duration relative to now ("+90d", "-12h"). err gets the reason.
 */
enum dp_status dp_time_parse(const char *s, int64_t now, int64_t *out, struct dp_error *err);

/*
 * Parse a duration: one or more <number><unit> with unit s, m, h, d or w
 * ("30d", "1d12h"); a bare number is seconds. Result in seconds, >= 0.
 */
enum dp_status dp_duration_parse(const char *s, int64_t *out, struct dp_error *err);

/* Format as "2026-12-31T23:59:59Z" into buf (DP_TIME_STR bytes); returns buf. */
const char *dp_time_format(int64_t t, char buf[DP_TIME_STR]);

/* Seconds since the epoch for a UTC civil date and time; no range checks. */
int64_t dp_time_from_civil(int64_t y, int m, int d, int hh, int mm, int ss);

#endif
