/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for the checked integer parser and the array growth that checks its sizes. */
#include "cmocka_wrap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/grow.h"
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

/* Room only when full, doubling from the first size; an overflow changes nothing. */
static void test_grow(void **state)
{
	int *v = NULL;
	size_t cap = 0, n;
	int *before;

	(void)state;
	for (n = 0; n < 100; n++) {
		assert_int_equal(dp_grow(&v, &cap, n, sizeof(*v), 4), DP_OK);
		assert_true(cap > n);
		v[n] = (int)n;
	}
	assert_int_equal(cap, 128); /* 4, 8, ..., 128 */
	for (n = 0; n < 100; n++)
		assert_int_equal(v[n], (int)n);
	assert_int_equal(dp_grow(&v, &cap, 50, sizeof(*v), 4), DP_OK); /* not full */
	assert_int_equal(cap, 128);
	before = v;
	assert_int_equal(dp_grow(&v, &cap, 128, SIZE_MAX / 200, 4), DP_ENOMEM);
	assert_ptr_equal(v, before);
	assert_int_equal(cap, 128);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_parse),
	                                   cmocka_unit_test(test_grow)};
	return cmocka_run_group_tests_name("num", tests, NULL, NULL);
}
