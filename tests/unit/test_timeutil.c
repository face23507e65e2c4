/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for time and duration parsing and formatting. */
#include "cmocka_wrap.h"

#include <string.h>

#include "base/timeutil.h"

#define NOW 1790000000

static void test_time_parse(void **state)
{
	static const struct {
		const char *s;
		bool ok;
		int64_t want;
	} cases[] = {
	    {"now", true, NOW},
	    {"1767225600", true, 1767225600},
	    {"0", true, 0},
	    {"2026-01-01", true, 1767225600},
	    {"2026-01-01T00:00:00Z", true, 1767225600},
	    {"2026-01-01T00:00Z", true, 1767225600},
	    {"2026-01-01 00:00:01Z", true, 1767225601},
	    {"2026-01-01T00:00:00+00:00", true, 1767225600},
	    {"2024-02-29", true, 1709164800},
	    {"+90d", true, NOW + 90 * 86400},
	    {"-12h", true, NOW - 12 * 3600},
	    {"+1d12h", true, NOW + 129600},
	    {"2023-02-29", false, 0},
	    {"2026-13-01", false, 0},
	    {"2026-01-01T24:00:00Z", false, 0},
	    {"2026-01-01T00:00:00+02:00", false, 0},
	    {"2026-1-1", false, 0},
	    {"tomorrow", false, 0},
	    {"", false, 0},
	    {"+", false, 0},
	    {"+90x", false, 0},
	    {"12abc", false, 0},
	};
	struct dp_error err;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		int64_t t = -1;
		enum dp_status st = dp_time_parse(cases[i].s, NOW, &t, &err);
		if ((st == DP_OK) != cases[i].ok)
			fail_msg("'%s': status %d", cases[i].s, st);
		if (cases[i].ok)
			assert_int_equal(t, cases[i].want);
	}
}

static void test_duration(void **state)
{
	static const struct {
		const char *s;
		bool ok;
		int64_t want;
	} cases[] = {
	    {"30d", true, 2592000},  {"12h", true, 43200},  {"90m", true, 5400},
	    {"45s", true, 45},       {"2w", true, 1209600}, {"3600", true, 3600},
	    {"1d12h", true, 129600}, {"1d30", false, 0},    {"d", false, 0},
	    {"", false, 0},          {"-1d", false, 0},     {"99999999999999999999d", false, 0},
	    {"1y", false, 0},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		int64_t v = -1;
		enum dp_status st = dp_duration_parse(cases[i].s, &v, NULL);
		if ((st == DP_OK) != cases[i].ok)
			fail_msg("'%s': status %d", cases[i].s, st);
		if (cases[i].ok)
			assert_int_equal(v, cases[i].want);
	}
}

static void test_format(void **state)
{
	char buf[DP_TIME_STR];

	(void)state;
	dp_time_format(0, buf);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	dp_time_format(1767225599, buf);
	assert_string_equal(buf, "2025-12-31T23:59:59Z");
	dp_time_format(1709164800, buf);
	assert_string_equal(buf, "2024-02-29T00:00:00Z");
	dp_time_format(-1, buf);
	assert_string_equal(buf, "1969-12-31T23:59:59Z");
	assert_int_equal(dp_time_from_civil(2000, 3, 1, 0, 0, 0), 951868800);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_time_parse),
	    cmocka_unit_test(test_duration),
	    cmocka_unit_test(test_format),
	};
	return cmocka_run_group_tests_name("timeutil", tests, NULL, NULL);
}
