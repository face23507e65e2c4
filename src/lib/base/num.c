/* SPDX-License-Identifier: BSD-3-Clause */
/* Checked decimal parsing with explicit bounds (no atoi, no silent wrap). */
#include "base/num.h"

enum dp_status dp_parse_int(const char *s, size_t len, bool allow_sign, int64_t min, int64_t max,
                            int64_t *out)
{
	bool neg = false;
	uint64_t v = 0, limit;
	size_t i = 0;

	if (len > 0 && allow_sign && (s[0] == '+' || s[0] == '-')) {
		neg = (s[0] == '-');
		i = 1;
	}
	if (i == len)
		return DP_ESYNTAX;
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < len; i++) {
		unsigned d;
		if (s[i] < '0' || s[i] > '9')
			return DP_ESYNTAX;
		d = (unsigned)(s[i] - '0');
		if (v > (limit - d) / 10)
			return DP_ELIMIT;
		v = v * 10 + d;
	}
	if (neg) {
		int64_t r = (v == (uint64_t)INT64_MAX + 1) ? INT64_MIN : -(int64_t)v;
		if (r < min)
			return DP_ELIMIT;
		*out = r;
		return DP_OK;
	}
	if ((int64_t)v > max || (int64_t)v < min)
		return DP_ELIMIT;
	*out = (int64_t)v;
	return DP_OK;
}
