/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for the CT answers' parsers, the issuer table and the URL policy. */
#include "cmocka_wrap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "ct/acme_dir.h"
#include "ct/ctjson.h"
#include "ct/http.h"
#include "ct/issuers.h"

#define LE_ISSUER                                                                                  \
	"\"issuer\":{\"friendly_name\":\"Let's Encrypt\",\"name\":\"C=US, O=Let's Encrypt, "       \
	"CN=R11\","                                                                                \
	"\"caa_domains\":[\"letsencrypt.org\"]}"

static struct dp_ct_set *fresh(void)
{
	struct dp_ct_set *s = NULL;
	assert_int_equal(dp_ct_set_new(&s), DP_OK);
	return s;
}

/* Bad input of either format: a syntax error, never a crash or a certificate. */
static void test_bad_input(void **state)
{
	static const char *const cases[] = {
	    "",
	    "{",
	    "[{\"id\":\"1\",\"dns_names\":[\"a.example.com\"]",      /* truncated */
	    "<html><body>502 Bad Gateway</body></html>",             /* HTML */
	    "{\"code\":\"rate_limited\",\"message\":\"slow down\"}", /* an error object */
	    "42",
	    "[1]",
	    "[{\"dns_names\":[\"a.example.com\"]}]",            /* no id */
	    "[{\"id\":\"1\",\"dns_names\":\"a.example.com\"}]", /* names not a list */
	    "[{\"id\":\"1\",\"dns_names\":[\"a.example.com\"],\"not_before\":\"yesterday\","
	    "\"not_after\":\"2030-01-01T00:00:00Z\"}]",
	    "[{\"id\":\"1\",\"dns_names\":[\"a.example.com\"],\"not_before\":7,"
	    "\"not_after\":\"2030-01-01T00:00:00Z\"}]",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct dp_ct_set *s = fresh();
		struct dp_error err = {0};
		size_t n;
		const char *last;
		enum dp_status st = dp_ct_parse_certspotter(s, "example.com", cases[i],
		                                            strlen(cases[i]), &n, &last, &err);
		if (st != DP_ESYNTAX)
			fail_msg("case %zu: status %d, want DP_ESYNTAX", i, st);
		assert_true(err.msg[0] != '\0');
		assert_int_equal(dp_ct_set_count(s), 0);
		dp_ct_set_free(s);
	}
	for (size_t i = 0; i < 7; i++) { /* the format-free ones, as crt.sh answers */
		struct dp_ct_set *s = fresh();
		struct dp_error err = {0};
		if (dp_ct_parse_crtsh(s, "example.com", cases[i], strlen(cases[i]), &err) !=
		    DP_ESYNTAX)
			fail_msg("crt.sh case %zu accepted", i);
		dp_ct_set_free(s);
	}
}

/* A precertificate and its certificate (one tbs_sha256) are one issuance; names outside the zone
 * go. */
static void test_certspotter_fold(void **state)
{
	static const char page[] =
	    "[{\"id\":\"10\",\"tbs_sha256\":\"aa\",\"dns_names\":[\"example.com\",\"*.example."
	    "com\","
	    "\"www.example.org\",\"notexample.com\",\"bad name.example.com\"],"
	    "\"not_before\":\"2026-01-01T00:00:00Z\",\"not_after\":\"2026-04-01T00:00:"
	    "00Z\"," LE_ISSUER "},"
	    "{\"id\":\"11\",\"tbs_sha256\":\"aa\",\"dns_names\":[\"example.com\"],"
	    "\"not_before\":\"2026-01-01T00:00:00Z\",\"not_after\":\"2026-04-01T00:00:"
	    "00Z\"," LE_ISSUER "},"
	    "{\"id\":\"12\",\"tbs_sha256\":\"bb\",\"dns_names\":[\"api.example.com\"],"
	    "\"not_before\":\"2026-02-01T00:00:00.123Z\",\"not_after\":\"2026-05-01T00:00:00Z\","
	    "\"issuer\":{\"friendly_name\":\"Odd CA\",\"caa_domains\":null}}]";
	struct dp_ct_set *s = fresh();
	struct dp_error err = {0};
	const struct dp_ct_cert *c;
	size_t n;
	const char *last;

	(void)state;
	assert_int_equal(
	    dp_ct_parse_certspotter(s, "example.com", page, strlen(page), &n, &last, &err), DP_OK);
	assert_int_equal(n, 3);
	assert_string_equal(last, "12");
	assert_int_equal(dp_ct_set_count(s), 2);
	c = dp_ct_set_get(s, 0);
	assert_int_equal(c->n_names, 2);
	assert_string_equal(c->names[0], "example.com");
	assert_string_equal(c->names[1], "*.example.com");
	assert_true(c->caa_given);
	assert_string_equal(c->caa[0], "letsencrypt.org");
	c = dp_ct_set_get(s, 1);
	assert_false(c->caa_given); /* null: the table will have to map it */
	assert_int_equal(c->n_caa, 0);
	assert_int_equal(c->not_before, 1769904000);
	dp_ct_set_free(s);
}

static void test_crtsh(void **state)
{
	static const char rows[] =
	    "[{\"id\":7,\"issuer_name\":\"C=US, O=Let's Encrypt, CN=R3\",\"common_name\":\"x\","
	    "\"name_value\":\"a.example.com\\nB.EXAMPLE.COM\\nexample.net\\nevilexample.com\","
	    "\"not_before\":\"2026-01-01T00:00:00\",\"not_after\":\"2026-04-01T00:00:00\"},"
	    "{\"id\":7,\"issuer_name\":\"dup\",\"name_value\":\"c.example.com\","
	    "\"not_before\":\"2026-01-01T00:00:00\",\"not_after\":\"2026-04-01T00:00:00\"},"
	    "{\"id\":8,\"issuer_name\":\"X\",\"name_value\":\"example.net\","
	    "\"not_before\":\"2026-01-01T00:00:00\",\"not_after\":\"2026-04-01T00:00:00\"}]";
	struct dp_ct_set *s = fresh();
	struct dp_error err = {0};
	const struct dp_ct_cert *c;

	(void)state;
	assert_int_equal(dp_ct_parse_crtsh(s, "example.com", rows, strlen(rows), &err), DP_OK);
	assert_int_equal(dp_ct_set_count(s), 1); /* 7 once; 8 has no name in the zone */
	c = dp_ct_set_get(s, 0);
	assert_int_equal(c->n_names, 2);
	assert_string_equal(c->names[1], "b.example.com");
	assert_string_equal(c->link, "https://crt.sh/?id=7");
	dp_ct_set_free(s);
}

/* crt.sh's silent cap: 10,000 rows is incomplete. */
static void test_crtsh_cap(void **state)
{
	struct dp_buf b = {0};
	struct dp_ct_set *s = fresh();
	struct dp_error err = {0};

	(void)state;
	dp_buf_addc(&b, '[');
	for (int i = 0; i < DP_CRTSH_ROW_CAP; i++)
		dp_buf_addf(
		    &b,
		    "%s{\"id\":%d,\"issuer_name\":\"I\",\"name_value\":\"h%d.example.com\","
		    "\"not_before\":\"2026-01-01T00:00:00\",\"not_after\":\"2026-04-01T00:00:00\"}",
		    i ? "," : "", i, i);
	dp_buf_addc(&b, ']');
	assert_int_equal(dp_ct_parse_crtsh(s, "example.com", b.data, b.len, &err), DP_ELIMIT);
	assert_non_null(strstr(err.msg, "incomplete"));
	dp_buf_free(&b);
	dp_ct_set_free(s);
}

static void test_issuers(void **state)
{
	static const char *const mine_caa[] = {"ca.example", NULL};
	const struct dp_issuer_map mine[] = {{"Example PKI", mine_caa}};
	const struct dp_issuer_map *m;

	(void)state;
	m = dp_issuers_match("C=US, O=Let's Encrypt, CN=R3", NULL, 0);
	assert_non_null(m);
	assert_string_equal(m->caa[0], "letsencrypt.org");
	m = dp_issuers_match("C=GB, O=Sectigo Limited, CN=Sectigo RSA DV", NULL, 0);
	assert_string_equal(m->caa[0], "sectigo.com");
	/* the organisation decides, not a CN that mentions another CA */
	assert_null(dp_issuers_match("C=XX, O=Evil Corp, CN=Not Let's Encrypt", NULL, 0));
	assert_null(dp_issuers_match("", NULL, 0));
	m = dp_issuers_match("C=US, O=Example PKI Inc, CN=Issuing 1", mine, 1);
	assert_non_null(m);
	assert_string_equal(m->caa[0], "ca.example");
}

static void test_url_policy(void **state)
{
	static const struct {
		const char *url;
		bool ok;
	} cases[] = {
	    {"https://api.certspotter.com/v1/issuances", true},
	    {"HTTPS://crt.sh/?q=x", true},
	    {"http://127.0.0.1:8080/x", true},
	    {"http://localhost/x", true},
	    {"http://[::1]:99/x", true},
	    {"http://crt.sh/", false},
	    {"http://127.0.0.1.evil.example/", false},
	    {"http://127.0.0.1@evil.example/", false},
	    {"file:///etc/passwd", false},
	    {"ftp://x/", false},
	    {"", false},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const char *why = NULL;
		if (dp_http_url_allowed(cases[i].url, &why) != cases[i].ok)
			fail_msg("%s: want %s", cases[i].url, cases[i].ok ? "allowed" : "refused");
		if (!cases[i].ok)
			assert_non_null(why);
	}
	assert_int_equal(dp_http_retry_after(" 7\r\n", 4), 7);
	assert_int_equal(dp_http_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 29), -1);
	assert_int_equal(dp_http_retry_after("-3", 2), -1);
}

/* ACME directories: bad input refused; unknown keys ignored; the meta fields kept. */
static void test_directory(void **state)
{
	static const char *const bad[] = {
	    "", "[]", "{\"meta\":{}}", "<html></html>", "{\"newNonce\":7}", "{\"newNonce\":\"x\"",
	};
	static const char good[] =
	    "{\"newNonce\":\"https://a/n\",\"zZ9\":\"random\",\"meta\":{\"caaIdentities\":"
	    "[\"letsencrypt.org\",7,null],\"issuerDomainNames\":[\"letsencrypt.org\"],"
	    "\"accountHashPrefix\":\"https://a/h/\",\"externalAccountRequired\":true,"
	    "\"profiles\":{\"classic\":\"x\",\"shortlived\":{}}}}";
	struct dp_acme_dir d;
	struct dp_error err = {0};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		if (dp_acme_dir_parse(bad[i], strlen(bad[i]), &d, &err) != DP_ESYNTAX)
			fail_msg("bad directory %zu accepted", i);
		dp_acme_dir_clear(&d);
	}
	assert_int_equal(dp_acme_dir_parse(good, strlen(good), &d, &err), DP_OK);
	assert_true(d.has_caa);
	assert_int_equal(d.n_caa, 1);
	assert_true(dp_acme_dir_lists(d.caa, d.n_caa, "LetsEncrypt.org"));
	assert_true(d.has_issuers);
	assert_string_equal(d.hash_prefix, "https://a/h/");
	assert_true(d.ear);
	assert_int_equal(d.n_profiles, 2);
	dp_acme_dir_clear(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bad_input), cmocka_unit_test(test_certspotter_fold),
	    cmocka_unit_test(test_crtsh),     cmocka_unit_test(test_crtsh_cap),
	    cmocka_unit_test(test_issuers),   cmocka_unit_test(test_url_policy),
	    cmocka_unit_test(test_directory),
	};
	return cmocka_run_group_tests_name("ct", tests, NULL, NULL);
}
