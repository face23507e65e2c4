/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for the string map used as a string pool. */
#include "cmocka_wrap.h"

#include <string.h>

#include "base/arena.h"
#include "base/strmap.h"

/* Equal strings give one copy, in the arena, never the caller's buffer. */
static void test_intern(void **state)
{
	struct dp_strmap *m = NULL;
	struct dp_arena *a = dp_arena_new();
	char buf[16] = "letsencrypt.org";
	const char *one, *two, *other;

	(void)state;
	assert_non_null(a);
	assert_int_equal(dp_strmap_new(&m), DP_OK);
	one = dp_strmap_intern(m, a, buf);
	assert_non_null(one);
	assert_ptr_not_equal(one, buf);
	buf[0] = 'L'; /* the caller's buffer changes; the pool's copy does not */
	assert_string_equal(one, "letsencrypt.org");
	two = dp_strmap_intern(m, a, "letsencrypt.org");
	assert_ptr_equal(one, two);
	other = dp_strmap_intern(m, a, buf);
	assert_ptr_not_equal(other, one);
	assert_string_equal(other, "Letsencrypt.org");
	assert_int_equal(dp_strmap_count(m), 2);
	dp_strmap_free(m);
	dp_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_intern)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
