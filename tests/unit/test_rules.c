/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for rule sets: the documented shape, patterns, severities, errors. */
#include "cmocka_wrap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/rules.h"

static struct dp_rules *load(const char *y)
{
	struct dp_rules *r = NULL;
	struct dp_error err = {0};

	if (dp_rules_load_mem("rules.yaml", y, strlen(y), &r, &err) != DP_OK)
		fail_msg("%s:%lu:%lu: %s", err.file, err.line, err.col, err.msg);
	return r;
}

static void test_issue_shape(void **state)
{
	static const char y[] =
	    "version: 1\n"
	    "persist_until: {warn_before: 30d, crit_before: 7d, require: false, max_horizon: "
	    "400d}\n"
	    "accounts: {allow_uri: ['^https://acme-v02\\.api\\.letsencrypt\\.org/acme/acct/"
	    "[0-9]+$']}\n"
	    "names: {forbid_wildcard: ['(^|\\.)prod\\.example\\.com$'], ignore: []}\n"
	    "caa: {require: false, require_accounturi: false, require_method: false}\n"
	    "dnssec: {require: false}\n"
	    "severity: {wildcard-unneeded: warning}\n";
	struct dp_rules *r = load(y);
	const struct dp_rules_params *p = dp_rules_params(r);

	(void)state;
	assert_int_equal(p->warn_before, 30 * 86400);
	assert_int_equal(p->crit_before, 7 * 86400);
	assert_int_equal(p->max_horizon, 400 * 86400);
	assert_true(
	    dp_rules_account_allowed(r, "https://acme-v02.api.letsencrypt.org/acme/acct/12"));
	assert_false(dp_rules_account_allowed(
	    r, "https://acme-staging-v02.api.letsencrypt.org/acme/acct/12"));
	assert_true(dp_rules_wildcard_forbidden(r, "prod.example.com"));
	assert_true(dp_rules_wildcard_forbidden(r, "a.prod.example.com"));
	assert_false(dp_rules_wildcard_forbidden(r, "preprod.example.com"));
	assert_false(dp_rules_ignored(r, "example.com"));
	assert_int_equal(dp_rules_severity(r, DP_F_WILDCARD_UNNEEDED, DP_SEV_CRITICAL),
	                 DP_SEV_WARNING);
	assert_int_equal(dp_rules_severity(r, DP_F_RECORD_MISSING, DP_SEV_CRITICAL),
	                 DP_SEV_CRITICAL);
	dp_rules_free(r);
}

/* rules/default.yaml and the built-in defaults must not drift apart. */
static void test_default_file_matches_builtin(void **state)
{
	char path[1024];
	const char *src = getenv("DP_SRCDIR");
	struct dp_rules *file = NULL, *builtin = NULL;
	struct dp_error err = {0};

	(void)state;
	snprintf(path, sizeof(path), "%s/rules/default.yaml", src ? src : ".");
	assert_int_equal(dp_rules_load(path, &file, &err), DP_OK);
	assert_int_equal(dp_rules_default(&builtin), DP_OK);
	assert_memory_equal(dp_rules_params(file), dp_rules_params(builtin),
	                    sizeof(struct dp_rules_params));
	snprintf(path, sizeof(path), "%s/rules/strict.yaml", src ? src : ".");
	dp_rules_free(file);
	assert_int_equal(dp_rules_load(path, &file, &err), DP_OK);
	assert_true(dp_rules_params(file)->require_persist_until);
	dp_rules_free(file);
	dp_rules_free(builtin);
}

static void test_errors(void **state)
{
	static const struct {
		const char *yaml;
		unsigned long line, col;
		const char *msg_has;
	} cases[] = {
	    {"version: 1\naccounts: {allow_uri: ['a(b']}\n", 2, 28, "missing closing parenthesis"},
	    {"version: 1\nnames:\n  ignore:\n    - ab[\n", 4, 10, "missing terminating ]"},
	    {"version: 1\npersist_until: {warn_before: 30x}\n", 2, 30, "duration"},
	    {"version: 1\npersist_until: {warn_before: 1d, crit_before: 2d}\n", 2, 16,
	     "longer than warn_before"},
	    {"version: 1\nseverity: {wildcard-unneded: notice}\n", 2, 12,
	     "did you mean 'wildcard-unneeded'"},
	    {"version: 1\nseverity: {record-missing: fatal}\n", 2, 28, "one of off, notice"},
	    {"version: 1\ncaa: {require: 1}\n", 2, 16, "true or false"},
	    {"version: 1\ncaa: {requires: true}\n", 2, 7, "did you mean 'require'"},
	    {"version: 3\n", 1, 10, "not supported"},
	    {"persist_until: {}\n", 1, 1, "version"},
	};
	struct dp_rules *r = NULL;
	struct dp_error err;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		dp_error_clear(&err);
		if (dp_rules_load_mem("rules.yaml", cases[i].yaml, strlen(cases[i].yaml), &r,
		                      &err) == DP_OK) {
			dp_rules_free(r);
			fail_msg("case %zu accepted", i);
		}
		if (err.line != cases[i].line || err.col != cases[i].col ||
		    strstr(err.msg, cases[i].msg_has) == NULL)
			fail_msg("case %zu: got %s:%lu:%lu: %s", i, err.file, err.line, err.col,
			         err.msg);
	}
}

/*
 * A pattern that backtracks exponentially reaches the match limit: that is
 * an error naming the pattern and the subject, and the unchecked forms give
 * the fail-closed answer (issue 10 item 3: it used to read as "no match",
 * so a forbidden wildcard passed). Each case must stay fast.
 */
static void test_match_limit_fails_closed(void **state)
{
	static const char y[] = "version: 1\n"
	                        "accounts: {allow_uri: ['^(a+)+$|^https://ok/']}\n"
	                        "names:\n"
	                        "  forbid_wildcard: ['^(a+)+$|example\\.org$']\n"
	                        "  ignore: ['^(a+)+$|^lab\\.']\n";
	char subject[128];
	struct dp_rules *r = load(y);
	struct dp_error err;
	bool answer;
	clock_t t0 = clock();

	(void)state;
	memset(subject, 'a', 40);
	snprintf(subject + 40, sizeof(subject) - 40, ".example.org");

	dp_error_clear(&err);
	answer = false;
	assert_int_equal(dp_rules_check_wildcard(r, subject, &answer, &err), DP_ELIMIT);
	assert_true(answer);
	assert_non_null(strstr(err.msg, "names.forbid_wildcard pattern '^(a+)+$|example\\.org$'"));
	assert_non_null(strstr(err.msg, subject));
	assert_non_null(strstr(err.msg, "limit"));
	assert_true(dp_rules_wildcard_forbidden(r, subject));

	subject[40] = '\0'; /* "aaa...a" matches the first branch only after backtracking */
	snprintf(subject + 40, sizeof(subject) - 40, "!");
	answer = true;
	assert_int_equal(dp_rules_check_ignored(r, subject, &answer, &err), DP_ELIMIT);
	assert_false(answer);
	assert_false(dp_rules_ignored(r, subject));
	answer = true;
	assert_int_equal(dp_rules_check_account(r, subject, &answer, &err), DP_ELIMIT);
	assert_false(answer);
	assert_false(dp_rules_account_allowed(r, subject));

	/* ordinary subjects still answer, with no error */
	assert_int_equal(dp_rules_check_wildcard(r, "www.example.org", &answer, &err), DP_OK);
	assert_true(answer);
	assert_int_equal(dp_rules_check_wildcard(r, "www.example.com", &answer, &err), DP_OK);
	assert_false(answer);
	assert_int_equal(dp_rules_check_ignored(r, "lab.example.com", &answer, &err), DP_OK);
	assert_true(answer);
	assert_int_equal(dp_rules_check_account(r, "https://ok/acct/1", &answer, &err), DP_OK);
	assert_true(answer);
	assert_int_equal(dp_rules_check_account(r, "https://bad/acct/1", &answer, &err), DP_OK);
	assert_false(answer);
	/* subjects of 2048 octets and more go to the interpreter, with the same bounds */
	{
		char *big = malloc(3001);
		assert_non_null(big);
		memcpy(big, "https://ok/", 11);
		memset(big + 11, 'x', 3000 - 11);
		big[3000] = '\0';
		assert_int_equal(dp_rules_check_account(r, big, &answer, &err), DP_OK);
		assert_true(answer);
		memset(big, 'a', 3000);
		big[2999] = '!';
		assert_int_equal(dp_rules_check_account(r, big, &answer, &err), DP_ELIMIT);
		assert_false(answer);
		free(big);
	}
	/* the bounded matches are cheap: well under PCRE2's default 0.1-0.3 s each */
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 0.5);
	dp_rules_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_issue_shape),
	    cmocka_unit_test(test_default_file_matches_builtin),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_match_limit_fails_closed),
	};
	return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}
