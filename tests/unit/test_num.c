/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for the checked integer parser. */
#include "cmocka_wrap.h"

#include <string.h>

#include "base/num.h"

static void test_parse(void **state)
{
	static const struct {
		const char *s;
		bool sign;
		int64_t min, max;
		enum dp_status st;
		int64_t want;
	} cases[] = {
	    {"0", false, 0, 10, DP_OK, 0},
	    {"10", false, 0, 10, DP_OK, 10},
	    {"11", false, 0, 10, DP_ELIMIT, 0},
	    {"", false, 0, 10, DP_ESYNTAX, 0},
	    {"-1", false, -5, 10, DP_ESYNTAX, 0},
	    {"-1", true, -5, 10, DP_OK, -1},
	    {"+7", true, 0, 10, DP_OK, 7},
	    {"+", true, 0, 10, DP_ESYNTAX, 0},
	    {"1 ", false, 0, 10, DP_ESYNTAX, 0},
	    {"0x1", false, 0, 10, DP_ESYNTAX, 0},
	    {"9223372036854775807", false, 0, INT64_MAX, DP_OK, INT64_MAX},
	    {"9223372036854775808", false, 0, INT64_MAX, DP_ELIMIT, 0},
	    {"-9223372036854775808", true, INT64_MIN, 0, DP_OK, INT64_MIN},
	    {"-9223372036854775809", true, INT64_MIN, 0, DP_ELIMIT, 0},
	    {"99999999999999999999999", false, 0, INT64_MAX, DP_ELIMIT, 0},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		int64_t v = 0;
		enum dp_status st = dp_parse_int(cases[i].s, strlen(cases[i].s), cases[i].sign,
		                                 cases[i].min, cases[i].max, &v);
		if (st != cases[i].st)
			fail_msg("'%s': status %d, want %d", cases[i].s, st, cases[i].st);
		if (st == DP_OK)
			assert_int_equal(v, cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_parse)};
	return cmocka_run_group_tests_name("num", tests, NULL, NULL);
}
