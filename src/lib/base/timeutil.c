/* SPDX-License-Identifier: BSD-3-Clause */
/* Time parsing and formatting without locale or TZ dependence. */
#include "base/timeutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/num.h"

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int64_t dp_time_from_civil(int64_t y, int m, int d, int hh, int mm, int ss)
{
	return days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss;
}

static bool digits(const char *s, size_t n, int64_t *out)
{
	return dp_parse_int(s, n, false, 0, INT64_MAX, out) == DP_OK;
}

static int days_in_month(int64_t y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : dm[m - 1];
}

/* "HH:MM[:SS]" followed by "Z", "+00:00", "+0000" or nothing (UTC is implied). */
static bool parse_clock(const char *s, int *hh, int *mm, int *ss)
{
	int64_t h, m, sec = 0;
	size_t n = strlen(s);

	if (n < 5 || s[2] != ':' || !digits(s, 2, &h) || !digits(s + 3, 2, &m))
		return false;
	s += 5;
	if (*s == ':') {
		if (!digits(s + 1, 2, &sec) || strlen(s) < 3)
			return false;
		s += 3;
	}
	if (strcmp(s, "Z") != 0 && strcmp(s, "") != 0 && strcmp(s, "+00:00") != 0 &&
	    strcmp(s, "+0000") != 0)
		return false;
	if (h > 23 || m > 59 || sec > 60)
		return false;
	*hh = (int)h;
	*mm = (int)m;
	*ss = (int)sec;
	return true;
}

static bool parse_iso(const char *s, int64_t *out)
{
	int64_t y, mo, d;
	int hh = 0, mm = 0, ss = 0;

	if (strlen(s) < 10 || s[4] != '-' || s[7] != '-')
		return false;
	if (!digits(s, 4, &y) || !digits(s + 5, 2, &mo) || !digits(s + 8, 2, &d))
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, (int)mo))
		return false;
	if (s[10] != '\0') {
		if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
			return false;
		if (!parse_clock(s + 11, &hh, &mm, &ss))
			return false;
	}
	*out = dp_time_from_civil(y, (int)mo, (int)d, hh, mm, ss);
	return true;
}

enum dp_status dp_time_parse(const char *s, int64_t now, int64_t *out, struct dp_error *err)
{
	int64_t v;

	if (strcmp(s, "now") == 0) {
		*out = now;
		return DP_OK;
	}
	if (s[0] == '+' || s[0] == '-') {
		if (dp_duration_parse(s + 1, &v, err) != DP_OK)
			return dp_error_set(err, DP_ESYNTAX, NULL, 0, 0,
			                    "'%s': not a relative time such as +90d or -12h", s);
		*out = s[0] == '+' ? now + v : now - v;
		return DP_OK;
	}
	if (digits(s, strlen(s), &v)) {
		*out = v;
		return DP_OK;
	}
	if (parse_iso(s, out))
		return DP_OK;
	return dp_error_set(err, DP_ESYNTAX, NULL, 0, 0,
	                    "'%s': not a time (UNIX seconds, 2026-12-31, 2026-12-31T23:59:59Z, "
	                    "now, +90d)",
	                    s);
}

static int64_t unit_seconds(char u)
{
	switch (u) {
	case 's':
		return 1;
	case 'm':
		return 60;
	case 'h':
		return 3600;
	case 'd':
		return 86400;
	case 'w':
		return 604800;
	}
	return 0;
}

enum dp_status dp_duration_parse(const char *s, int64_t *out, struct dp_error *err)
{
	int64_t total = 0, v, mul;
	const char *p = s;

	if (*p == '\0')
		goto bad;
	while (*p) {
		size_t n = strspn(p, "0123456789");
		if (n == 0 || dp_parse_int(p, n, false, 0, INT64_MAX, &v) != DP_OK)
			goto bad;
		p += n;
		mul = 1;
		if (*p != '\0') {
			mul = unit_seconds(*p);
			if (mul == 0)
				goto bad;
			p++;
		} else if (p != s + n) {
			goto bad; /* "1d30" is ambiguous */
		}
		if (v > (INT64_MAX / 4 - total) / mul)
			goto bad;
		total += v * mul;
	}
	*out = total;
	return DP_OK;
bad:
	return dp_error_set(err, DP_ESYNTAX, NULL, 0, 0,
	                    "'%s': not a duration (for example 30d, 12h, 1d12h, 3600)", s);
}

const char *dp_time_format(int64_t t, char buf[DP_TIME_STR])
{
	int64_t days = t / 86400, rem = t % 86400, z, era, doe, yoe, y, doy, mp, d, m;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	/* civil_from_days (H. Hinnant), the inverse of days_from_civil */
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += (m <= 2);
	snprintf(buf, DP_TIME_STR, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)y, (int)m, (int)d,
	         (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
	return buf;
}
