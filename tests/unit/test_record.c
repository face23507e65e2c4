/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for the record engine: every rule of spec sections 2, 3, 5 and 8. */
#include "cmocka_wrap.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "model/record.h"

#define A   "https://acme-v02.api.letsencrypt.org/acme/acct/1234567890"
#define NOW 1790000000

enum {
	V = DP_VERDICT_VALID,
	M = DP_VERDICT_MALFORMED,
	U = DP_VERDICT_UNAUTHORIZED,
	I = DP_VERDICT_IGNORED
};

struct rcase {
	const char *value;
	bool wildcard;
	int strict, boulder, pebble;
	const char *reason_has; /* substring of the strict reason, or NULL */
};

static const struct rcase cases[] = {
    /* plain and well-formed */
    {"letsencrypt.org; accounturi=" A, false, V, V, V, "account match"},
    {"  letsencrypt.org\t;\taccounturi = " A "  ", false, V, V, V, NULL},
    {"letsencrypt.org;accounturi=" A, false, V, V, V, NULL},
    /* section 8: issuer spelling */
    {"LETSENCRYPT.ORG.; accounturi=" A, false, M, V, I, "trailing dot"},
    {"LetsEncrypt.org; accounturi=" A, false, V, V, I, NULL},
    /* section 8: unknown tag twice, bad tag, empty policy */
    {"letsencrypt.org; accounturi=" A "; foo=bar; foo=baz", false, M, V, M, "more than once"},
    {"letsencrypt.org; accounturi=" A "; FOO=bar; foo=baz", false, M, V, M, NULL},
    {"letsencrypt.org; accounturi=" A "; bad tag=value", false, M, V, V, "tag"},
    {"letsencrypt.org; accounturi=" A "; -x=value", false, M, V, V, NULL},
    {"letsencrypt.org; accounturi=" A "; policy=", false, V, V, V, NULL},
    {"letsencrypt.org; accounturi=" A "; persistUntil=+1800000000", false, V, V, V, NULL},
    /* malformed for every profile */
    {"letsencrypt.org; accounturi=" A ";", false, M, M, M, "empty parameter"},
    {"letsencrypt.org;; accounturi=" A, false, M, M, M, "empty parameter"},
    {"letsencrypt.org; accounturi", false, M, M, M, "not tag=value"},
    {"letsencrypt.org; =x; accounturi=" A, false, M, M, M, "empty tag"},
    {"letsencrypt.org; accounturi=", false, M, M, M, "empty"},
    {"letsencrypt.org; accounturi=" A "; accounturi=" A, false, M, M, M, "more than once"},
    {"letsencrypt.org; accounturi=" A "; Policy=wildcard; POLICY=wildcard", false, M, M, M,
     "more than once"},
    {"letsencrypt.org; accounturi=" A "; persistUntil=abc", false, M, M, M, "integer"},
    {"letsencrypt.org; accounturi=" A "; persistUntil=", false, M, M, M, "integer"},
    {"letsencrypt.org; accounturi=" A "; persistUntil=1e9", false, M, M, M, "integer"},
    {"letsencrypt.org; accounturi=" A "; x=a\rb", false, M, M, M, "control"},
    {"letsencrypt.org; accounturi=" A "; x=a\x80", false, M, M, M, "non-ASCII"},
    {"letsencrypt.org; policy=wildcard", false, M, M, M, "missing"},
    {"letsencrypt.org", false, M, M, M, "missing"},
    /* case-insensitive tags (with a note), values may hold '=' */
    {"letsencrypt.org; ACCOUNTURI=" A, false, V, V, V, NULL},
    {"letsencrypt.org; accounturi=" A "; x=a=b=c", false, V, V, V, NULL},
    /* not this CA's: ignored everywhere, even when malformed */
    {"sectigo.com; accounturi=" A, false, I, I, I, "not this CA"},
    {"sectigo.com; accounturi=" A "; foo", false, I, I, I, NULL},
    {"; accounturi=" A, false, I, I, I, "no issuer"},
    {"le\x01.org; accounturi=" A, false, I, I, I, "cannot be normalized"},
    {"letsencrypt.org accounturi=" A, false, I, I, I, "cannot be normalized"},
    {"letsencrypt.org.evil.example; accounturi=" A, false, I, I, I, NULL},
    /* unauthorized: account, wildcard, expiry */
    {"letsencrypt.org; accounturi=" A "1", false, U, U, U, "not the requesting account"},
    {"letsencrypt.org; accounturi=HTTPS://ACME-V02.API.LETSENCRYPT.ORG/acme/acct/1234567890", false,
     U, U, U, NULL},
    {"letsencrypt.org; accounturi=" A, true, U, U, U, "policy=wildcard"},
    {"letsencrypt.org; accounturi=" A "; policy=other", true, U, U, U, NULL},
    {"letsencrypt.org; accounturi=" A "; policy=WildCard", true, V, V, V, "wildcard"},
    {"letsencrypt.org; accounturi=" A "; persistUntil=1790000000", false, V, V, V, NULL},
    {"letsencrypt.org; accounturi=" A "; persistUntil=1789999999", false, U, U, U, "passed"},
    {"letsencrypt.org; accounturi=" A "; persistUntil=0", false, U, U, U, NULL},
    {"letsencrypt.org; accounturi=" A "; persistUntil=-1", false, U, U, U, NULL},
    {"letsencrypt.org; accounturi=" A "; persistUntil=99999999999999999999", false, M, M, M, NULL},
};

static void test_cases(void **state)
{
	static const char *const issuers[] = {"letsencrypt.org"};
	static const char *const accounts[] = {A};
	char reason[512];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const struct rcase *c = &cases[i];
		struct dp_ca_request req = {issuers, 1, accounts, 1, c->wildcard, NOW};
		struct dp_record *rec = NULL;
		int want[DP_PROFILE_COUNT] = {c->strict, c->boulder, c->pebble};

		assert_int_equal(dp_record_parse(c->value, strlen(c->value), &rec), DP_OK);
		for (unsigned p = 0; p < DP_PROFILE_COUNT; p++) {
			int got = (int)dp_record_evaluate(rec, (enum dp_profile)p, &req, reason,
			                                  sizeof(reason));
			if (got != want[p])
				fail_msg("case %zu '%s' under %s: got %s, want %s (%s)", i,
				         c->value, dp_profile_name((enum dp_profile)p),
				         dp_verdict_name((enum dp_verdict)got),
				         dp_verdict_name((enum dp_verdict)want[p]), reason);
			if (p == DP_PROFILE_STRICT && c->reason_has &&
			    !strstr(reason, c->reason_has))
				fail_msg("case %zu: reason '%s' lacks '%s'", i, reason,
				         c->reason_has);
		}
		dp_record_free(rec);
	}
}

static void test_fields_and_notes(void **state)
{
	const char *v = "letsencrypt.org; ACCOUNTURI=" A "; policy=WILDCARD; persistUntil=+0123";
	struct dp_record *rec = NULL;
	int64_t t = 0;
	bool noncanonical = false, spelled = false;

	(void)state;
	assert_int_equal(dp_record_parse(v, strlen(v), &rec), DP_OK);
	assert_string_equal(dp_record_issuer(rec), "letsencrypt.org");
	assert_string_equal(dp_record_accounturi(rec), A);
	assert_true(dp_record_policy_wildcard(rec));
	assert_true(dp_record_persist_until(rec, &t));
	assert_int_equal(t, 123);
	for (size_t i = 0; i < dp_record_note_count(rec); i++) {
		noncanonical |= strstr(dp_record_note(rec, i), "non-canonical") != NULL;
		spelled |= strstr(dp_record_note(rec, i), "'accounturi'") != NULL;
	}
	assert_true(noncanonical);
	assert_true(spelled);
	assert_int_equal(dp_record_account_form(rec), DP_ACCOUNT_PLAIN);
	dp_record_free(rec);
}

static void test_nul_in_issuer_is_not_truncated(void **state)
{
	static const char v[] = "letsencrypt.org\0x; accounturi=" A;
	static const char *const issuers[] = {"letsencrypt.org"};
	static const char *const accounts[] = {A};
	struct dp_ca_request req = {issuers, 1, accounts, 1, false, NOW};
	struct dp_record *rec = NULL;

	(void)state;
	assert_int_equal(dp_record_parse(v, sizeof(v) - 1, &rec), DP_OK);
	for (unsigned p = 0; p < DP_PROFILE_COUNT; p++)
		assert_int_equal(dp_record_evaluate(rec, (enum dp_profile)p, &req, NULL, 0),
		                 DP_VERDICT_IGNORED);
	dp_record_free(rec);
}

static void test_aggregate(void **state)
{
	enum dp_verdict ignored[] = {DP_VERDICT_IGNORED, DP_VERDICT_IGNORED};
	enum dp_verdict mixed[] = {DP_VERDICT_UNAUTHORIZED, DP_VERDICT_MALFORMED};
	enum dp_verdict winner[] = {DP_VERDICT_MALFORMED, DP_VERDICT_VALID, DP_VERDICT_IGNORED};
	enum dp_verdict unauth[] = {DP_VERDICT_IGNORED, DP_VERDICT_UNAUTHORIZED};

	(void)state;
	assert_int_equal(dp_record_aggregate(NULL, 0), DP_VERDICT_NO_RECORD);
	assert_int_equal(dp_record_aggregate(ignored, 2), DP_VERDICT_UNAUTHORIZED);
	assert_int_equal(dp_record_aggregate(mixed, 2), DP_VERDICT_MALFORMED);
	assert_int_equal(dp_record_aggregate(winner, 3), DP_VERDICT_VALID);
	assert_int_equal(dp_record_aggregate(unauth, 2), DP_VERDICT_UNAUTHORIZED);
}

static void test_format(void **state)
{
	struct dp_buf b = {0};
	struct dp_record_spec full = {"letsencrypt.org", A, true, true, 1767225600};
	struct dp_record_spec plain = {"letsencrypt.org", A, false, false, 0};

	(void)state;
	dp_record_format(&full, &b);
	assert_string_equal(b.data, "letsencrypt.org; accounturi=" A
	                            "; policy=wildcard; persistUntil=1767225600");
	dp_buf_reset(&b);
	dp_record_format(&plain, &b);
	assert_string_equal(b.data, "letsencrypt.org; accounturi=" A);
	dp_buf_free(&b);
}

static void test_txt_rdata_split_and_escape(void **state)
{
	char value[300];
	struct dp_buf b = {0};

	(void)state;
	memset(value, 'x', sizeof(value));
	dp_record_format_txt_rdata(value, sizeof(value), &b);
	/* 255 + 45 octets: two strings */
	assert_int_equal(b.len, 1 + 255 + 1 + 1 + 1 + 45 + 1);
	assert_int_equal(b.data[256], '"');
	assert_int_equal(b.data[257], ' ');
	dp_buf_reset(&b);
	dp_record_format_txt_rdata("a\"b\\c\x01", 6, &b);
	assert_string_equal(b.data, "\"a\\\"b\\\\c\\001\"");
	dp_buf_reset(&b);
	dp_record_format_txt_rdata("", 0, &b);
	assert_string_equal(b.data, "\"\"");
	dp_buf_free(&b);
}

static void test_hash_vectors(void **state)
{
	struct dp_buf b = {0};
	struct dp_error err = {0};
	const char *tp = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";
	const char *pfx = "https://ca.example/account-hash/";

	(void)state;
	assert_int_equal(
	    dp_record_hash_account(pfx, "example.com", tp, "https://ca.example/acct/123", &b, &err),
	    DP_OK);
	assert_string_equal(b.data, "https://ca.example/account-hash/sha-256/"
	                            "5SQm7n6tPh2-PlLbCKGnViTXX5z19SCN4cPGQHSk-kw");
	assert_true(dp_record_is_hashed_uri(b.data));
	dp_buf_reset(&b);
	assert_int_equal(
	    dp_record_hash_account(pfx, "*", tp, "https://ca.example/acct/123", &b, &err), DP_OK);
	assert_string_equal(b.data, "https://ca.example/account-hash/sha-256/"
	                            "NpDnSwUthQK8zCgFdefYxAdAVPnygMLbs9US6oO-5ug");
	dp_buf_reset(&b);
	assert_int_equal(dp_record_hash_account(pfx, "example.com", "short", "u", &b, &err),
	                 DP_EINVAL);
	assert_int_equal(dp_record_hash_account(pfx, "", tp, "u", &b, &err), DP_EINVAL);
	dp_buf_free(&b);
	assert_false(dp_record_is_hashed_uri(A));
	assert_false(dp_record_is_hashed_uri("https://x/sha-256/tooshort"));
}

static void test_profiles(void **state)
{
	enum dp_profile p;

	(void)state;
	assert_int_equal(dp_profile_parse("boulder", &p), DP_OK);
	assert_int_equal(p, DP_PROFILE_BOULDER);
	assert_int_equal(dp_profile_parse("Boulder", &p), DP_EINVAL);
	assert_string_equal(dp_profile_name(DP_PROFILE_PEBBLE), "pebble");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cases),
	    cmocka_unit_test(test_fields_and_notes),
	    cmocka_unit_test(test_nul_in_issuer_is_not_truncated),
	    cmocka_unit_test(test_aggregate),
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_txt_rdata_split_and_escape),
	    cmocka_unit_test(test_hash_vectors),
	    cmocka_unit_test(test_profiles),
	};
	return cmocka_run_group_tests_name("record", tests, NULL, NULL);
}
