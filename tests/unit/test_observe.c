/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for the observation store: shared values, held RRsets, repeated CNAMEs. */
#include "cmocka_wrap.h"

#include <string.h>

#include "observe/observe.h"

#define LE "letsencrypt.org; accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/1"

static struct dp_obs *store(void)
{
	struct dp_obs *o = NULL;
	assert_int_equal(dp_obs_new("live", &o), DP_OK);
	return o;
}

static void add_txt(struct dp_obs *o, const char *owner, const char *v, size_t len)
{
	assert_int_equal(dp_obs_add_txt(o, owner, v, len, "src", 0), DP_OK);
}

/* One account's value at many names is held once; odd values are kept exactly. */
static void test_values_shared(void **state)
{
	struct dp_obs *o = store();
	static const char nul[] = "letsencrypt.org;\0accounturi=x";
	char big[2000];

	(void)state;
	memset(big, 'a', sizeof(big));
	add_txt(o, "_validation-persist.a.test", LE, strlen(LE));
	add_txt(o, "_validation-persist.b.test", LE, strlen(LE));
	add_txt(o, "_validation-persist.c.test", nul, sizeof(nul) - 1);
	add_txt(o, "_validation-persist.d.test", big, sizeof(big));
	add_txt(o, "_validation-persist.e.test", LE "; policy=wildcard", strlen(LE) + 17);
	assert_ptr_equal(dp_obs_get(o, "a.test")->txt->value, dp_obs_get(o, "b.test")->txt->value);
	assert_string_equal(dp_obs_get(o, "b.test")->txt->value, LE);
	assert_int_equal(dp_obs_get(o, "c.test")->txt->len, sizeof(nul) - 1);
	assert_memory_equal(dp_obs_get(o, "c.test")->txt->value, nul, sizeof(nul));
	assert_int_equal(dp_obs_get(o, "d.test")->txt->len, sizeof(big));
	assert_memory_equal(dp_obs_get(o, "d.test")->txt->value, big, sizeof(big));
	assert_string_equal(dp_obs_get(o, "e.test")->txt->value, LE "; policy=wildcard");
	dp_obs_free(o);
}

static void test_has_rrset(void **state)
{
	struct dp_obs *o = store();

	(void)state;
	assert_false(dp_obs_has_rrset(o, "_validation-persist.a.test", false));
	add_txt(o, "_validation-persist.a.test", LE, strlen(LE));
	assert_true(dp_obs_has_rrset(o, "_validation-persist.a.test", false));
	/* the TXT at the name itself (a CNAME target) and its CAA are other RRsets */
	assert_false(dp_obs_has_rrset(o, "a.test", false));
	assert_false(dp_obs_has_rrset(o, "a.test", true));
	add_txt(o, "records.a.test", LE, strlen(LE));
	assert_true(dp_obs_has_rrset(o, "records.a.test", false));
	assert_int_equal(dp_obs_add_caa(o, "a.test", 0, "issue", "ca.example", 10, "src", 0),
	                 DP_OK);
	assert_true(dp_obs_has_rrset(o, "a.test", true));
	assert_false(dp_obs_has_rrset(o, "_validation-persist", false));
	dp_obs_free(o);
}

/* A shared live answer brings its CNAME chain to every name that asked. */
static void test_cname_again(void **state)
{
	struct dp_obs *o = store();
	const char *first;

	(void)state;
	assert_int_equal(dp_obs_add_cname(o, "_validation-persist.a.test", "r.test", "s", 0),
	                 DP_OK);
	first = dp_obs_get(o, "a.test")->persist_cname;
	assert_int_equal(dp_obs_add_cname(o, "_validation-persist.a.test", "r.test", "s", 0),
	                 DP_OK);
	assert_ptr_equal(dp_obs_get(o, "a.test")->persist_cname, first);
	assert_int_equal(dp_obs_add_cname(o, "_validation-persist.a.test", "q.test", "s", 0),
	                 DP_OK);
	assert_string_equal(dp_obs_get(o, "a.test")->persist_cname, "q.test");
	assert_int_equal(dp_obs_add_cname(o, "www.a.test", "cdn.test", "s", 0), DP_OK);
	assert_int_equal(dp_obs_add_cname(o, "www.a.test", "cdn.test", "s", 0), DP_OK);
	assert_string_equal(dp_obs_get(o, "www.a.test")->cname, "cdn.test");
	dp_obs_free(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_values_shared),
	    cmocka_unit_test(test_has_rrset),
	    cmocka_unit_test(test_cname_again),
	};
	return cmocka_run_group_tests_name("observe", tests, NULL, NULL);
}
