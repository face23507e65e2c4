/* SPDX-License-Identifier: BSD-3-Clause */
/* Threshold ranges of the monitoring-plugins interface. */
#include "base/range.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A plain decimal number: [-+]digits[.digits]; no exponent, hex, inf or nan. */
static bool number(const char *s, size_t len, double *out)
{
	char buf[40], *end;
	size_t i = 0, digits = 0, dots = 0;

	if (len == 0 || len >= sizeof(buf))
		return false;
	if (s[0] == '-' || s[0] == '+')
		i++;
	for (; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (s[i] == '.' && dots++ == 0)
			continue;
		else
			return false;
	}
	if (digits == 0)
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	*out = strtod(buf, &end);
	return *end == '\0' && isfinite(*out);
}

enum dp_status dp_range_parse(const char *s, struct dp_range *out, struct dp_error *err)
{
	const char *p = s, *colon;
	size_t len = strlen(s);

	memset(out, 0, sizeof(*out));
	if (len == 0 || len >= sizeof(out->text))
		return dp_error_set(err, DP_ESYNTAX, NULL, 0, 0, "'%s' is not a range", s);
	memcpy(out->text, s, len + 1);
	if (*p == '@') {
		out->inside = true;
		p++;
	}
	colon = strchr(p, ':');
	if (colon == NULL) { /* "10": 0..10 */
		if (!number(p, strlen(p), &out->end))
			goto bad;
		return out->end < 0 ? dp_error_set(err, DP_ESYNTAX, NULL, 0, 0,
		                                   "'%s': the range 0..%s is empty", s, p)
		                    : DP_OK;
	}
	if (colon - p == 1 && *p == '~')
		out->no_start = true;
	else if (!number(p, (size_t)(colon - p), &out->start))
		goto bad;
	if (colon[1] == '\0')
		out->no_end = true;
	else if (!number(colon + 1, strlen(colon + 1), &out->end))
		goto bad;
	if (!out->no_start && !out->no_end && out->start > out->end)
		return dp_error_set(err, DP_ESYNTAX, NULL, 0, 0, "'%s': start is above end", s);
	return DP_OK;
bad:
	return dp_error_set(err, DP_ESYNTAX, NULL, 0, 0,
	                    "'%s' is not a range ([@]start:end, e.g. 10, 10:, ~:10, 10:20, @10:20)",
	                    s);
}

bool dp_range_alert(const struct dp_range *r, double v)
{
	bool in = (r->no_start || v >= r->start) && (r->no_end || v <= r->end);

	return r->inside ? in : !in;
}
