/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for the comparison with a baseline: each kind of change, and existing findings. */
#include "cmocka_wrap.h"

#include <string.h>

#include "report/changes.h"

struct rec {
	const char *name, *owner, *uri;
	bool has_until;
	int64_t until;
	unsigned covers; /* 0: no authorization */
};

/* A report of records (each maybe granting an authorization) and findings at names. */
static struct dp_report *build(const struct rec *recs, size_t n, const char *const *finding_names,
                               size_t nf)
{
	struct dp_report *r = NULL;

	assert_int_equal(dp_report_new("zone", 100, &r), DP_OK);
	for (size_t i = 0; i < n; i++) {
		struct dp_report_name *rn = dp_report_name(r, recs[i].name);
		struct dp_report_record rec = {.owner = recs[i].owner,
		                               .rdata = "x",
		                               .len = 1,
		                               .issuer = "ca.example",
		                               .accounturi = recs[i].uri,
		                               .has_persist_until = recs[i].has_until,
		                               .persist_until = recs[i].until};
		struct dp_report_auth a = {.issuer = "ca.example",
		                           .accounturi = recs[i].uri,
		                           .covers = recs[i].covers,
		                           .has_until = recs[i].has_until,
		                           .until = recs[i].until};
		assert_non_null(rn);
		assert_int_equal(dp_report_add_record(r, rn, &rec), DP_OK);
		if (recs[i].covers)
			assert_int_equal(dp_report_add_auth(r, rn, &a), DP_OK);
	}
	for (size_t i = 0; i < nf; i++)
		assert_int_equal(dp_report_add_finding(r, DP_F_RECORD_MISSING, DP_SEV_CRITICAL,
		                                       finding_names[i], "", NULL, 0, "missing"),
		                 DP_OK);
	assert_int_equal(dp_report_finish(r), DP_OK);
	return r;
}

static const struct dp_change *only(const struct dp_changes *c, enum dp_change_kind k)
{
	const struct dp_change *found = NULL;

	assert_int_equal(dp_changes_count_kind(c, k), 1);
	for (size_t i = 0; i < dp_changes_count(c); i++)
		if (dp_changes_at(c, i)->kind == k)
			found = dp_changes_at(c, i);
	return found;
}

static void test_every_kind(void **state)
{
	static const struct rec before[] = {
	    {"a.example", "_vp.a.example", "https://ca/1", true, 1000, DP_COVERS_NAME},
	    {"b.example", "_vp.b.example", "https://ca/2", false, 0, DP_COVERS_NAME},
	    {"c.example", "_vp.c.example", "https://ca/3", false, 0, DP_COVERS_NAME},
	};
	static const struct rec after[] = {
	    {"a.example", "_vp.a.example", "https://ca/1", true, 2000, DP_COVERS_NAME},
	    {"c.example", "_vp.c.example", "https://ca/3", false, 0,
	     DP_COVERS_NAME | DP_COVERS_WILDCARD},
	    {"d.example", "_vp.d.example", "https://ca/4", false, 0, DP_COVERS_NAME},
	};
	static const char *const f_before[] = {"a.example", "b.example"};
	static const char *const f_after[] = {"a.example", "d.example"};
	struct dp_report *base = build(before, 3, f_before, 2), *cur = build(after, 3, f_after, 2);
	struct dp_changes *c = NULL;
	const struct dp_change *ch;

	(void)state;
	assert_int_equal(dp_changes_compare(base, cur, &c), DP_OK);
	assert_int_equal(dp_changes_baseline_now(c), 100);
	ch = only(c, DP_CHANGE_NEW);
	assert_string_equal(ch->name, "d.example");
	ch = only(c, DP_CHANGE_RESOLVED);
	assert_string_equal(ch->name, "b.example");
	ch = only(c, DP_CHANGE_MOVED);
	assert_string_equal(ch->owner, "_vp.a.example");
	assert_true(ch->had_was && ch->has_until);
	assert_int_equal(ch->was, 1000);
	assert_int_equal(ch->until, 2000);
	/* granted: d, and c widened to its wildcard; revoked: b, and c's narrower one */
	assert_int_equal(dp_changes_count_kind(c, DP_CHANGE_GRANTED), 2);
	assert_int_equal(dp_changes_count_kind(c, DP_CHANGE_REVOKED), 2);
	for (size_t i = 0; i < dp_changes_count(c); i++) {
		ch = dp_changes_at(c, i);
		if (ch->kind == DP_CHANGE_GRANTED && strcmp(ch->name, "c.example") == 0)
			assert_int_equal(ch->covers, DP_COVERS_NAME | DP_COVERS_WILDCARD);
		if (ch->kind == DP_CHANGE_REVOKED && strcmp(ch->name, "c.example") == 0)
			assert_int_equal(ch->covers, DP_COVERS_NAME);
		if (i > 0) /* sorted by kind */
			assert_true(dp_changes_at(c, i - 1)->kind <= ch->kind);
	}
	/* a.example's finding was in the baseline, d.example's was not */
	for (size_t i = 0; i < dp_report_finding_count(cur); i++)
		assert_int_equal(dp_changes_existing(c, i),
		                 strcmp(dp_report_finding(cur, i)->name, "a.example") == 0);
	assert_false(dp_changes_existing(c, 99));
	dp_changes_free(c);
	dp_report_free(base);
	dp_report_free(cur);
}

static void test_unchanged(void **state)
{
	static const struct rec recs[] = {
	    {"a.example", "_vp.a.example", "https://ca/1", true, 1000, DP_COVERS_NAME},
	};
	static const char *const f[] = {"a.example"};
	struct dp_report *base = build(recs, 1, f, 1), *cur = build(recs, 1, f, 1);
	struct dp_changes *c = NULL;

	(void)state;
	assert_int_equal(dp_changes_compare(base, cur, &c), DP_OK);
	assert_int_equal(dp_changes_count(c), 0);
	assert_true(dp_changes_existing(c, 0));
	dp_changes_free(c);
	dp_report_free(base);
	dp_report_free(cur);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_kind),
	    cmocka_unit_test(test_unchanged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
