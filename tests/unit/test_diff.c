/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for the diff: CAA sets compared as sets, and a baseline's findings by key. */
#include "cmocka_wrap.h"

#include <string.h>

#include "diff/diff.h"
#include "observe/observe.h"

#define NOW 1764460800

static void add_caa(struct dp_obs *o, const char *owner, uint8_t flags, const char *tag,
                    const char *value, unsigned long line)
{
	assert_int_equal(dp_obs_add_caa(o, owner, flags, tag, value, strlen(value), "z", line),
	                 DP_OK);
}

/* A side from observed CAA sets and a report with the findings given (id, name, subject). */
static struct dp_diff_side *side(struct dp_obs *o, struct dp_report *r)
{
	struct dp_diff_side *s = NULL;

	assert_int_equal(dp_diff_side_new(&s), DP_OK);
	assert_int_equal(dp_diff_side_add_caa(s, o), DP_OK);
	assert_int_equal(dp_report_finish(r), DP_OK);
	assert_int_equal(dp_diff_side_finish(s, r), DP_OK);
	dp_obs_free(o);
	return s;
}

static struct dp_obs *obs(void)
{
	struct dp_obs *o = NULL;
	assert_int_equal(dp_obs_new("zone", &o), DP_OK);
	return o;
}

static struct dp_report *report(void)
{
	struct dp_report *r = NULL;
	assert_int_equal(dp_report_new("zone", NOW, &r), DP_OK);
	return r;
}

/* Reordered properties are no change; an added, a removed and a changed set are. */
static void test_caa_sets(void **state)
{
	struct dp_obs *a = obs(), *b = obs();
	struct dp_report *ra = report(), *rb = report();
	struct dp_diff_side *old, *new;
	struct dp_diff *d = NULL;

	(void)state;
	add_caa(a, "example.test", 0, "issue", "ca.test", 1);
	add_caa(a, "example.test", 0, "issuewild", ";", 2);
	add_caa(a, "gone.example.test", 0, "issue", "ca.test", 3);
	add_caa(a, "shop.example.test", 0, "issue", "ca.test", 4);
	add_caa(b, "example.test", 0, "issuewild", ";", 7);
	add_caa(b, "example.test", 0, "issue", "ca.test", 8);
	add_caa(b, "shop.example.test", 128, "issue", "ca.test", 9);
	add_caa(b, "www.example.test", 0, "issue", "other.test\n| x |", 10);
	old = side(a, ra);
	new = side(b, rb);
	assert_int_equal(dp_diff_new(old, new, NOW, &d), DP_OK);
	assert_int_equal(dp_diff_caa_count(d), 3);
	assert_string_equal(dp_diff_caa_at(d, 0)->old->name, "gone.example.test");
	assert_null(dp_diff_caa_at(d, 0)->new);
	assert_string_equal(dp_diff_caa_at(d, 1)->old->set, "issue \"ca.test\"");
	assert_string_equal(dp_diff_caa_at(d, 1)->new->set, "128 issue \"ca.test\"");
	assert_int_equal(dp_diff_caa_at(d, 1)->new->line, 9);
	assert_null(dp_diff_caa_at(d, 2)->old);
	/* stored escaped: a line break cannot start another line of the diff */
	assert_string_equal(dp_diff_caa_at(d, 2)->new->set, "issue \"other.test\\x0a| x |\"");
	/* informational: nothing widened, no finding */
	assert_int_equal(dp_diff_widened_count(d), 0);
	assert_int_equal(dp_diff_new_at_least(d, DP_SEV_NOTICE), 0);
	dp_diff_free(d);
	dp_diff_side_free(old);
	dp_diff_side_free(new);
	dp_report_free(ra);
	dp_report_free(rb);
}

static void finding(struct dp_report *r, enum dp_finding_id id, const char *name)
{
	assert_int_equal(dp_report_add_finding(r, id, DP_SEV_CRITICAL, name, "", NULL, 0, "m"),
	                 DP_OK);
}

/* New findings the baseline has are existing and do not count against --fail-on. */
static void test_baseline(void **state)
{
	struct dp_report *ro = report(), *rn = report(), *rb = report();
	struct dp_diff_side *old, *new;
	struct dp_diff_baseline *b = NULL;
	struct dp_diff *d = NULL;

	(void)state;
	finding(rn, DP_F_RECORD_MALFORMED, "a.test");
	finding(rn, DP_F_RECORD_MALFORMED, "b.test");
	finding(rb, DP_F_RECORD_MALFORMED, "b.test");
	finding(rb, DP_F_PERSIST_UNTIL_EXPIRED, "a.test"); /* another id: another key */
	old = side(obs(), ro);
	new = side(obs(), rn);
	assert_int_equal(dp_report_finish(rb), DP_OK);
	assert_int_equal(dp_diff_baseline_new(rb, &b), DP_OK);
	assert_int_equal(dp_diff_new(old, new, NOW, &d), DP_OK);
	assert_false(dp_diff_has_baseline(d));
	assert_int_equal(dp_diff_new_at_least(d, DP_SEV_CRITICAL), 2);
	dp_diff_use_baseline(d, b);
	assert_true(dp_diff_has_baseline(d));
	assert_int_equal(dp_diff_new_count(d), 2);
	assert_int_equal(dp_diff_existing_count(d), 1);
	for (size_t i = 0; i < 2; i++)
		assert_int_equal(dp_diff_new_existing(d, i),
		                 strcmp(dp_diff_new_at(d, i)->name, "b.test") == 0);
	assert_int_equal(dp_diff_new_at_least(d, DP_SEV_CRITICAL), 1);
	dp_diff_free(d);
	dp_diff_baseline_free(b);
	dp_diff_side_free(old);
	dp_diff_side_free(new);
	dp_report_free(ro);
	dp_report_free(rn);
	dp_report_free(rb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_caa_sets),
	    cmocka_unit_test(test_baseline),
	};
	return cmocka_run_group_tests_name("diff", tests, NULL, NULL);
}
