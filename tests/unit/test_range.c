/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for threshold ranges: every form of the grammar, and bad ranges. */
#include "cmocka_wrap.h"

#include <string.h>

#include "base/range.h"

static void test_forms(void **state)
{
	static const struct {
		const char *range;
		double v;
		bool alert;
	} cases[] = {
	    /* "10": outside 0..10 */
	    {"10", -1, true},
	    {"10", 0, false},
	    {"10", 10, false},
	    {"10", 10.5, true},
	    /* "10:": below 10 */
	    {"10:", 9.99, true},
	    {"10:", 10, false},
	    {"10:", 1e9, false},
	    /* "~:10": above 10 */
	    {"~:10", -1e9, false},
	    {"~:10", 10, false},
	    {"~:10", 11, true},
	    /* "10:20": outside 10..20, inclusive */
	    {"10:20", 9, true},
	    {"10:20", 10, false},
	    {"10:20", 20, false},
	    {"10:20", 21, true},
	    /* "@10:20": inside 10..20, inclusive */
	    {"@10:20", 9, false},
	    {"@10:20", 10, true},
	    {"@10:20", 15, true},
	    {"@10:20", 20, true},
	    {"@10:20", 20.1, false},
	    /* the plugin's defaults on days left */
	    {"30:", 29, true},
	    {"30:", 30, false},
	    {"7:", 6, true},
	    {"7:", -3, true},
	    /* negative and decimal bounds, "@" with one bound */
	    {"-5:5", -5, false},
	    {"-5:5", -6, true},
	    {"0.5:1.5", 1.5, false},
	    {"0.5:1.5", 0.4, true},
	    {"@10", 5, true},
	    {"@10", 11, false},
	    {"@~:0", -1, true},
	    {"+3", 2, false},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct dp_range r;
		struct dp_error err = {0};
		if (dp_range_parse(cases[i].range, &r, &err) != DP_OK)
			fail_msg("'%s': %s", cases[i].range, err.msg);
		if (dp_range_alert(&r, cases[i].v) != cases[i].alert)
			fail_msg("'%s' at %g: alert should be %d", cases[i].range, cases[i].v,
			         cases[i].alert);
		assert_string_equal(r.text, cases[i].range);
	}
}

static void test_bad(void **state)
{
	static const char *const bad[] = {
	    "",       "@",
	    ":",      "~",
	    "abc",    "10:5",
	    "1e3",    "0x10",
	    "inf",    "nan",
	    "--1",    "1..2",
	    "1.2.3",  "~:~",
	    "10:abc", "@@10",
	    "-1",     "1 ",
	    " 1",     "5:~",
	    "1:2:3",  "123456789012345678901234567890123456789012345678901234567890123456789",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		struct dp_range r;
		struct dp_error err = {0};
		if (dp_range_parse(bad[i], &r, &err) == DP_OK)
			fail_msg("'%s' should be refused", bad[i]);
		assert_true(err.msg[0] != '\0');
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_forms),
	    cmocka_unit_test(test_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
