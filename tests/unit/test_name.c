/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for domain-name helpers. */
#include "cmocka_wrap.h"

#include <stdlib.h>
#include <string.h>

#include "base/name.h"

static void test_normalize(void **state)
{
	static const struct {
		const char *in, *out; /* out NULL: must fail */
	} cases[] = {
	    {"Example.COM.", "example.com"},
	    {"*.example.com", "*.example.com"},
	    {"_validation-persist.example.com", "_validation-persist.example.com"},
	    {"xn--bcher-kva.example", "xn--bcher-kva.example"},
	    {"", NULL},
	    {".", NULL},
	    {"a..b", NULL},
	    {"a.*.b", NULL},
	    {"**.b", NULL},
	    {"b\xc3\xbc"
	     "cher.example",
	     NULL},
	    {"a b.example", NULL},
	    {"a/b.example", NULL},
	    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.x", NULL},
	};
	char out[DP_NAME_MAX];
	struct dp_error err;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		enum dp_status st = dp_name_normalize(cases[i].in, out, &err);
		if (cases[i].out == NULL) {
			if (st == DP_OK)
				fail_msg("'%s' should be refused", cases[i].in);
			assert_true(err.msg[0] != '\0');
		} else {
			assert_int_equal(st, DP_OK);
			assert_string_equal(out, cases[i].out);
		}
	}
	/* A-label hint for non-ASCII input */
	assert_int_not_equal(dp_name_normalize("b\xc3\xbc.de", out, &err), DP_OK);
	assert_non_null(strstr(err.msg, "xn--"));
}

static void test_long_name(void **state)
{
	char in[300], out[DP_NAME_MAX];
	size_t n = 0;

	(void)state;
	while (n < 260) {
		memcpy(in + n, "abcdefghi.", 10);
		n += 10;
	}
	in[n - 1] = '\0';
	assert_int_not_equal(dp_name_normalize(in, out, NULL), DP_OK);
}

static void test_relations(void **state)
{
	(void)state;
	assert_true(dp_name_is_below("a.example.com", "example.com"));
	assert_true(dp_name_is_below("a.b.example.com", "example.com"));
	assert_false(dp_name_is_below("example.com", "example.com"));
	assert_false(dp_name_is_below("otherexample.com", "example.com"));
	assert_false(dp_name_is_below("com", "example.com"));
	assert_true(dp_name_equal("Example.com", "example.COM"));
	assert_string_equal(dp_name_parent("a.example.com"), "example.com");
	assert_null(dp_name_parent("com"));
	assert_string_equal(dp_name_strip_wildcard("*.example.com"), "example.com");
	assert_string_equal(dp_name_strip_wildcard("example.com"), "example.com");
	assert_true(dp_name_is_wildcard("*.x"));
	assert_false(dp_name_is_wildcard("x*.y"));
	assert_int_equal(dp_name_label_count("a.b.c"), 3);
	assert_int_equal(dp_name_label_count(""), 0);
}

static void test_issuer_grammar(void **state)
{
	static const struct {
		const char *s;
		bool ok;
	} cases[] = {
	    {"letsencrypt.org", true}, {"LetsEncrypt.ORG", true},
	    {"a--b.example", true},    {"letsencrypt.org.", false},
	    {"-a.example", false},     {"a-.example", false},
	    {"a_b.example", false},    {"", false},
	    {"a..b", false},           {".a", false},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++)
		if (dp_name_is_issuer_grammar(cases[i].s, strlen(cases[i].s)) != cases[i].ok)
			fail_msg("'%s': want %d", cases[i].s, cases[i].ok);
}

/* Unicode input: A-labels by IDNA2008 + UTS #46 (non-transitional); ASCII as before. */
static void test_from_input(void **state)
{
	static const struct {
		const char *in, *out; /* out NULL: must fail with msg_has in the message */
		const char *msg_has;
	} cases[] = {
	    {"münchen.example", "xn--mnchen-3ya.example", NULL},
	    {"bücher.example.", "xn--bcher-kva.example", NULL},
	    {"MÜNCHEN.Example", "xn--mnchen-3ya.example", NULL}, /* Unicode upper case */
	    {"ß.example", "xn--zca.example", NULL},              /* non-transitional */
	    {"straße.example", "xn--strae-oqa.example", NULL},
	    {"ΣΊΣΥΦΟΣ.example", "xn--kxa6akbbkh.example", NULL}, /* case folded */
	    {"*.münchen.example", "*.xn--mnchen-3ya.example", NULL},
	    {"_validation-persist.bücher.example", "_validation-persist.xn--bcher-kva.example",
	     NULL},
	    {"日本語abc.example", "xn--abc-s08fl0dtz6h.example", NULL}, /* mixed script */
	    {"пример.рф", "xn--e1afmkfd.xn--p1ai", NULL},
	    {"Example.COM", "example.com", NULL}, /* ASCII: the plain normaliser */
	    {"xn--mnchen-3ya.example", "xn--mnchen-3ya.example", NULL},
	    {"☕.example", NULL, "label 1 '☕' holds a character IDNA2008 does not allow"},
	    {"a.\xcc\x81x.example", NULL, "label 2 '\xcc\x81x' starts with a combining mark"},
	    {"\xcc\x81", NULL, "combining mark"},
	    {"aא.example", NULL, "right-to-left"},
	    {"a\xff.example", NULL, "not valid UTF-8"},
	    {"ääääääääääääääääääääääääääääääääääääääääääääääääääääääääääää.example", NULL,
	     "longer than 63 octets"},
	    {"münchen..example", NULL, "empty label"},
	    {"a.*.münchen.example", NULL, "leftmost"},
	    {"a b.münchen.example", NULL, "not allowed in a host name"},
	};
	char out[DP_NAME_MAX];
	struct dp_error err;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		enum dp_status st;
		dp_error_clear(&err);
		st = dp_name_from_input(cases[i].in, out, &err);
		if (cases[i].out != NULL) {
			if (st != DP_OK || strcmp(out, cases[i].out) != 0)
				fail_msg("'%s': status %d, '%s' (%s); want '%s'", cases[i].in, st,
				         st == DP_OK ? out : "", err.msg, cases[i].out);
		} else if (st == DP_OK || strstr(err.msg, cases[i].msg_has) == NULL) {
			fail_msg("'%s': status %d, message '%s'; want an error with '%s'",
			         cases[i].in, st, err.msg, cases[i].msg_has);
		}
	}
}

/* The U-label form for display, or NULL. */
static void test_to_display(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"xn--mnchen-3ya.example", "münchen.example"},
	    {"*.xn--mnchen-3ya.example", "*.münchen.example"},
	    {"_validation-persist.xn--bcher-kva.example", "_validation-persist.bücher.example"},
	    {"xn--zca.example", "ß.example"},
	    {"xn--e1afmkfd.xn--p1ai", "пример.рф"},
	    {"example.com", NULL},    /* nothing to decode */
	    {"xn--zz.example", NULL}, /* not valid punycode */
	    {"xn--Mnchen-3ya.example", "münchen.example"},
	    {"xn--ab-h4t.example", NULL}, /* decodes to "ab" + U+202E RTL override: refused */
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *d = dp_name_to_display(cases[i].in);
		if (cases[i].out == NULL ? d != NULL : d == NULL || strcmp(d, cases[i].out) != 0)
			fail_msg("'%s': got '%s', want '%s'", cases[i].in, d ? d : "(null)",
			         cases[i].out ? cases[i].out : "(null)");
		free(d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_normalize),  cmocka_unit_test(test_long_name),
	    cmocka_unit_test(test_relations),  cmocka_unit_test(test_issuer_grammar),
	    cmocka_unit_test(test_from_input), cmocka_unit_test(test_to_display),
	};
	return cmocka_run_group_tests_name("name", tests, NULL, NULL);
}
