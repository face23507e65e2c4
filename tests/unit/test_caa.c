/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for CAA: relevant-set climbing, issue/issuewild, RFC 8657 parameters. */
#include "cmocka_wrap.h"

#include <string.h>

#include "model/caa.h"

#define U    "https://acme-v02.api.letsencrypt.org/acme/acct/1"
#define MAXP 4

struct prop {
	uint8_t flags;
	const char *tag, *value;
};

struct ccase {
	struct prop name_set[MAXP];   /* CAA at the name */
	struct prop parent_set[MAXP]; /* CAA at its parent */
	bool wildcard;
	enum dp_caa_verdict want;
	const char *reason_has;
};

#define P(t, v)                                                                                    \
	{                                                                                          \
		0, t, v                                                                            \
	}
static const struct ccase cases[] = {
    {{{0}}, {{0}}, false, DP_CAA_NO_CAA, "every CA"},
    {{P("issue", "letsencrypt.org")}, {{0}}, false, DP_CAA_PERMITS, "any account"},
    {{P("issue", "LetsEncrypt.org")}, {{0}}, false, DP_CAA_PERMITS, NULL},
    {{P("issue", "sectigo.com")}, {{0}}, false, DP_CAA_FORBIDS, "names this CA"},
    {{P("issue", ";")}, {{0}}, false, DP_CAA_FORBIDS, "empty issuer"},
    {{P("issue", "letsencrypt.org; validationmethods=dns-01,http-01")},
     {{0}},
     false,
     DP_CAA_METHOD_EXCLUDED,
     "does not include"},
    {{P("issue", "letsencrypt.org; validationmethods=http-01,dns-persist-01")},
     {{0}},
     false,
     DP_CAA_PERMITS,
     "with this method"},
    {{P("issue", "letsencrypt.org; validationmethods=DNS-PERSIST-01")},
     {{0}},
     false,
     DP_CAA_METHOD_EXCLUDED,
     NULL},
    {{P("issue", "letsencrypt.org; validationmethods=")},
     {{0}},
     false,
     DP_CAA_UNSATISFIABLE,
     "empty"},
    {{P("issue", "letsencrypt.org; validationmethods=dns-persist-01,")},
     {{0}},
     false,
     DP_CAA_UNSATISFIABLE,
     NULL},
    {{P("issue", "letsencrypt.org; validationmethods=dns-persist-01; "
                 "validationmethods=dns-persist-01")},
     {{0}},
     false,
     DP_CAA_UNSATISFIABLE,
     "more than once"},
    {{P("issue", "letsencrypt.org; accounturi=" U)}, {{0}}, false, DP_CAA_PERMITS, "this account"},
    {{P("issue", "letsencrypt.org; accounturi=" U "2")},
     {{0}},
     false,
     DP_CAA_ACCOUNT_MISMATCH,
     "binds"},
    {{P("issue", "letsencrypt.org; accounturi=" U "; accounturi=" U)},
     {{0}},
     false,
     DP_CAA_UNSATISFIABLE,
     NULL},
    /* one mismatching property does not hide a permitting one */
    {{P("issue", "letsencrypt.org; accounturi=" U "2"), P("issue", "letsencrypt.org")},
     {{0}},
     false,
     DP_CAA_PERMITS,
     NULL},
    /* unparsable values authorize nobody */
    {{P("issue", "letsencrypt.org; bad")}, {{0}}, false, DP_CAA_FORBIDS, NULL},
    {{P("issue", "letsencrypt.org; a=b c")}, {{0}}, false, DP_CAA_FORBIDS, NULL},
    /* tags: critical unknown forbids, non-critical unknown and iodef do not restrict */
    {{{128, "tbs", "x"}, P("issue", "letsencrypt.org")},
     {{0}},
     false,
     DP_CAA_UNSATISFIABLE,
     "critical"},
    {{{128, "iodef", "mailto:a@b"}, P("issue", "letsencrypt.org")},
     {{0}},
     false,
     DP_CAA_PERMITS,
     NULL},
    {{P("tbs", "x")}, {{0}}, false, DP_CAA_PERMITS, "does not restrict"},
    {{P("iodef", "mailto:a@example.com")}, {{0}}, false, DP_CAA_PERMITS, NULL},
    {{P("ISSUE", "letsencrypt.org")}, {{0}}, false, DP_CAA_PERMITS, NULL},
    /* wildcards: issuewild wins when present */
    {{P("issue", "letsencrypt.org"), P("issuewild", "sectigo.com")},
     {{0}},
     true,
     DP_CAA_FORBIDS,
     "issuewild"},
    {{P("issue", "letsencrypt.org"), P("issuewild", "sectigo.com")},
     {{0}},
     false,
     DP_CAA_PERMITS,
     NULL},
    {{P("issue", "letsencrypt.org")}, {{0}}, true, DP_CAA_PERMITS, NULL},
    {{P("issue", "sectigo.com"), P("issuewild", "letsencrypt.org")},
     {{0}},
     true,
     DP_CAA_PERMITS,
     NULL},
    {{P("issuewild", ";")}, {{0}}, true, DP_CAA_FORBIDS, NULL},
    /* climbing: the first non-empty set is the relevant one */
    {{{0}}, {P("issue", "sectigo.com")}, false, DP_CAA_FORBIDS, "example.com"},
    {{P("issue", "letsencrypt.org")},
     {P("issue", "sectigo.com")},
     false,
     DP_CAA_PERMITS,
     "a.example.com"},
};

static size_t fill(const struct prop *p, struct dp_caa_rr *rrs)
{
	size_t n = 0;
	for (; n < MAXP && p[n].tag != NULL; n++)
		rrs[n] = (struct dp_caa_rr){p[n].flags, p[n].tag, p[n].value, strlen(p[n].value)};
	return n;
}

static void test_cases(void **state)
{
	static const char *const ids[] = {"letsencrypt.org"};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct dp_caa_rr a[MAXP], b[MAXP];
		struct dp_caa_rrset sets[2] = {{"a.example.com", a, fill(cases[i].name_set, a)},
		                               {"example.com", b, fill(cases[i].parent_set, b)}};
		struct dp_caa_query q = {ids, 1, U, NULL, cases[i].wildcard, false};
		struct dp_caa_result res;

		dp_caa_evaluate(sets, 2, &q, &res);
		{
			/* quiet mode: the same verdict, no reason formatted */
			struct dp_caa_query qq = q;
			struct dp_caa_result quiet;
			qq.quiet = true;
			dp_caa_evaluate(sets, 2, &qq, &quiet);
			assert_int_equal(quiet.verdict, res.verdict);
			assert_string_equal(quiet.reason, "");
		}
		if (res.verdict != cases[i].want)
			fail_msg("case %zu: got %s, want %s (%s)", i,
			         dp_caa_verdict_name(res.verdict),
			         dp_caa_verdict_name(cases[i].want), res.reason);
		if (cases[i].reason_has && !strstr(res.reason, cases[i].reason_has))
			fail_msg("case %zu: reason '%s' lacks '%s'", i, res.reason,
			         cases[i].reason_has);
	}
}

static void test_bound_flags(void **state)
{
	static const char *const ids[] = {"letsencrypt.org"};
	struct dp_caa_rr rr = {
	    0, "issue", "letsencrypt.org; accounturi=" U "; validationmethods=dns-persist-01", 0};
	struct dp_caa_rrset set = {"example.com", &rr, 1};
	struct dp_caa_query q = {ids, 1, U, NULL, false, false};
	struct dp_caa_result res;

	(void)state;
	rr.value_len = strlen(rr.value);
	dp_caa_evaluate(&set, 1, &q, &res);
	assert_int_equal(res.verdict, DP_CAA_PERMITS);
	assert_true(res.account_bound);
	assert_true(res.method_bound);
	assert_int_equal(res.rr_index, 0);
	assert_string_equal(res.owner, "example.com");
	/* With no account in the query, accounturi does not exclude. */
	q.account = NULL;
	dp_caa_evaluate(&set, 1, &q, &res);
	assert_int_equal(res.verdict, DP_CAA_PERMITS);
}

static void test_value_check(void **state)
{
	char why[128];

	(void)state;
	assert_true(dp_caa_value_check("letsencrypt.org", 15, why, sizeof(why)));
	assert_true(dp_caa_value_check(";", 1, why, sizeof(why)));
	assert_true(dp_caa_value_check("ca.example;", 11, why, sizeof(why)));
	assert_false(dp_caa_value_check("ca.example; x", 13, why, sizeof(why)));
	assert_false(dp_caa_value_check("bad_issuer", 10, why, sizeof(why)));
	assert_false(dp_caa_value_check("ca.example; a=\x01", 15, why, sizeof(why)));
	assert_true(dp_caa_verdict_allows(DP_CAA_NO_CAA));
	assert_false(dp_caa_verdict_allows(DP_CAA_FORBIDS));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cases),
	    cmocka_unit_test(test_bound_flags),
	    cmocka_unit_test(test_value_check),
	};
	return cmocka_run_group_tests_name("caa", tests, NULL, NULL);
}
