/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for the inventory loader: the documented shape, and every error with its position. */
#include "cmocka_wrap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../support/inv_dump.h"
#include "model/inventory.h"
#include "model/inventory_int.h"

#define HEAD                                                                                       \
	"version: 1\n"                                                                             \
	"cas:\n"                                                                                   \
	"  letsencrypt:\n"                                                                         \
	"    issuer: letsencrypt.org\n"                                                            \
	"accounts:\n"                                                                              \
	"  le-prod:\n"                                                                             \
	"    ca: letsencrypt\n"                                                                    \
	"    uri: https://acme-v02.api.letsencrypt.org/acme/acct/1234567890\n"

static void test_issue_shape(void **state)
{
	static const char y[] =
	    "version: 1\n"
	    "cas:\n"
	    "  letsencrypt:\n"
	    "    issuer: letsencrypt.org          # issuer-domain-name in the records\n"
	    "    caa: [letsencrypt.org]\n"
	    "    wildcard_scope: wildcard-only\n"
	    "accounts:\n"
	    "  le-prod:\n"
	    "    ca: letsencrypt\n"
	    "    uri: https://acme-v02.api.letsencrypt.org/acme/acct/1234567890\n"
	    "zones: [example.com]\n"
	    "domains:\n"
	    "  - name: example.com\n"
	    "    authorize:\n"
	    "      - account: le-prod\n"
	    "        wildcard: true\n"
	    "        persist_until: optional\n"
	    "  - name: Legacy.Example.com.\n"
	    "    authorize: []\n";
	struct dp_inventory *inv = NULL;
	struct dp_error err = {0};
	const struct dp_inv_domain *d;

	(void)state;
	assert_int_equal(dp_inventory_load_mem("inv.yaml", y, strlen(y), &inv, &err), DP_OK);
	assert_int_equal(dp_inventory_domain_count(inv), 2);
	d = dp_inventory_find(inv, "example.com");
	assert_non_null(d);
	assert_int_equal(d->n_auth, 1);
	assert_true(d->auth[0].wildcard);
	assert_string_equal(d->auth[0].account->ca->issuer, "letsencrypt.org");
	assert_int_equal(d->auth[0].account->ca->scope, DP_SCOPE_WILDCARD_ONLY);
	assert_int_equal(d->line, 13);
	d = dp_inventory_find(inv, "legacy.example.com");
	assert_non_null(d);
	assert_int_equal(d->n_auth, 0);
	assert_non_null(dp_inventory_ca_by_issuer(inv, "letsencrypt.org"));
	assert_string_equal(dp_inventory_owner_zone(inv, "a.b.example.com"), "example.com");
	assert_null(dp_inventory_owner_zone(inv, "example.net"));
	assert_null(dp_inventory_owner_zone(inv, "notexample.com"));
	dp_inventory_free(inv);
}

/* Unicode names: the A-label is the name, the U-label its display form. */
static void test_unicode_names(void **state)
{
	static const char y[] = HEAD "zones: [bücher.example]\n"
	                             "domains:\n"
	                             "  - {name: München.Example, authorize: []}\n"
	                             "  - {name: shop.bücher.example, authorize: []}\n"
	                             "  - {name: xn--zca.example, authorize: []}\n"
	                             "  - {name: plain.example, authorize: []}\n";
	static const struct {
		const char *name, *display;
	} want[] = {
	    {"xn--mnchen-3ya.example", "münchen.example"},
	    {"shop.xn--bcher-kva.example", "shop.bücher.example"},
	    {"xn--zca.example", "ß.example"},
	    {"plain.example", NULL},
	};
	struct dp_inventory *inv = NULL;
	struct dp_error err = {0};

	(void)state;
	if (dp_inventory_load_mem("inv.yaml", y, strlen(y), &inv, &err) != DP_OK)
		fail_msg("%lu:%lu: %s", err.line, err.col, err.msg);
	assert_int_equal(dp_inventory_domain_count(inv), ARRAY_LEN(want));
	for (size_t i = 0; i < ARRAY_LEN(want); i++) {
		const struct dp_inv_domain *d = dp_inventory_find(inv, want[i].name);
		if (d == NULL)
			fail_msg("%s not found", want[i].name);
		if (want[i].display == NULL)
			assert_null(d->display);
		else
			assert_string_equal(d->display, want[i].display);
	}
	assert_string_equal(dp_inventory_zone(inv, 0), "xn--bcher-kva.example");
	assert_string_equal(dp_inventory_owner_zone(inv, "shop.xn--bcher-kva.example"),
	                    "xn--bcher-kva.example");
	dp_inventory_free(inv);
}

struct ecase {
	const char *yaml;
	unsigned long line, col;
	const char *msg_has;
};

static void test_errors(void **state)
{
	static const struct ecase cases[] = {
	    {"", 1, 1, "empty"},
	    {"version: 2\n", 1, 10, "version 2 is not supported"},
	    {"domains: []\n", 1, 1, "missing 'version: 1'"},
	    {"version: 1\ndomain: []\n", 2, 1, "unknown key 'domain' (did you mean 'domains'?)"},
	    {"version: 1\nversion: 1\n", 2, 1, "appears twice"},
	    {"version: [1\n", 2, 1, "YAML"},
	    /* our tree of libyaml's events: aliases refused, depth bounded */
	    {"version: &v 1\nzones: [*v]\n", 2, 9, "aliases (*name) are not supported"},
	    {"version: 1\nx: "
	     "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n",
	     2, 67, "nested more than 64 levels deep"},
	    {"version: 1\n---\nversion: 2\n", 2, 1, "a second YAML document"},
	    {"version: 1\ndomains: {}\n", 2, 10, "must be a list"},
	    {HEAD "domains:\n  - name: example.com\n    authorise: []\n", 11, 5,
	     "did you mean 'authorize'"},
	    {HEAD "domains:\n  - name: example.com\n", 10, 5, "needs authorize"},
	    {HEAD "domains:\n  - name: example.com\n    authorize:\n      - account: le-prd\n", 12,
	     18, "undefined account 'le-prd' (did you mean 'le-prod'?)"},
	    {HEAD "domains:\n  - {name: a.example, authorize: []}\n  - {name: A.example., "
	          "authorize: []}\n",
	     11, 5, "listed twice (first on line 10)"},
	    {HEAD "domains:\n  - {name: 'a..b', authorize: []}\n", 10, 12, "empty label"},
	    {HEAD "domains:\n  - {name: '*.example.com', authorize: []}\n", 10, 12, "without '*.'"},
	    {HEAD "domains:\n  - name: example.com\n    authorize:\n      - {account: le-prod, "
	          "wildcard: yes}\n",
	     12, 38, "true or false"},
	    {HEAD "domains:\n  - name: example.com\n    authorize:\n      - {account: le-prod, "
	          "persist_until: always}\n",
	     12, 43, "one of optional, required, forbidden"},
	    {HEAD "  le-2:\n    ca: letsencrpt\n    uri: x:y\n", 10, 9,
	     "undefined CA 'letsencrpt' (did you mean 'letsencrypt'?)"},
	    {HEAD "  le-2:\n    ca: letsencrypt\n    uri: 'https://a b'\n", 11, 10, "space"},
	    {HEAD "  le-2:\n    ca: letsencrypt\n    uri: relative/path\n", 11, 10,
	     "not an absolute URI"},
	    {HEAD "  le-2:\n    ca: letsencrypt\n    uri: "
	          "https://acme-v02.api.letsencrypt.org/acme/acct/1234567890\n",
	     9, 3, "repeats the uri"},
	    {"version: 1\ncas:\n  x:\n    issuer: 'bad issuer'\n", 4, 13, "not allowed"},
	    {"version: 1\ncas:\n  x:\n    caa: [a.example]\n", 4, 5, "needs an issuer"},
	    {"version: 1\ncas:\n  x: {issuer: a.example, wildcard_scope: wildcard}\n", 3, 42,
	     "did you mean 'wildcard-only'"},
	    {"version: 1\nzones: [example.com, 'exa mple.com']\n", 2, 22, "not allowed"},
	    {"version: 1\ndomains:\n\t- name: x\n", 3, 1, "YAML"},
	    /* Unicode names that IDNA2008 refuses: which label, and why */
	    {HEAD "domains:\n  - {name: 'www.☕.example', authorize: []}\n", 10, 12,
	     "label 2 '☕' holds a character IDNA2008 does not allow"},
	    {HEAD "domains:\n  - {name: \"\\u0301x.example\", authorize: []}\n", 10, 12,
	     "label 1 '\xcc\x81x' starts with a combining mark"},
	    {"version: 1\nzones: ['aא.example']\n", 2, 9, "right-to-left"},
	};
	struct dp_inventory *inv = NULL;
	struct dp_error err;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		dp_error_clear(&err);
		enum dp_status st = dp_inventory_load_mem("inv.yaml", cases[i].yaml,
		                                          strlen(cases[i].yaml), &inv, &err);
		if (st == DP_OK) {
			dp_inventory_free(inv);
			fail_msg("case %zu accepted", i);
		}
		if (cases[i].msg_has == NULL)
			continue; /* rejected is enough */
		if (err.line != cases[i].line || err.col != cases[i].col ||
		    strstr(err.msg, cases[i].msg_has) == NULL)
			fail_msg("case %zu: got %s:%lu:%lu: %s", i, err.file, err.line, err.col,
			         err.msg);
		assert_null(inv);
	}
}

/* One reading as text: status and error, or every field of the inventory. */
static void reading(bool tree, const char *y, size_t len, struct dp_buf *out)
{
	struct dp_inventory *inv = NULL;
	struct dp_error err = {0};
	enum dp_status st = tree ? dp_inventory_load_tree("inv.yaml", y, len, &inv, &err)
	                         : dp_inventory_load_mem("inv.yaml", y, len, &inv, &err);

	dp_buf_addf(out, "status %d\n", (int)st);
	if (st != DP_OK) {
		dp_buf_addf(out, "%s:%lu:%lu: %s\n", err.file, err.line, err.col, err.msg);
		return;
	}
	inv_dump(inv, out);
	dp_inventory_free(inv);
}

/*
 * The one-pass reading takes the usual layout itself and gives up on the
 * others (then the whole-document reading decides): either way the same
 * inventory, or the same error at the same place, as the whole-document
 * reading alone.
 */
static void test_one_pass(void **state)
{
	static const struct {
		const char *yaml;
		bool streamed; /* the one-pass reading takes it (else it gives up) */
	} cases[] = {
	    {HEAD "zones: [example.com]\n"
	          "domains:\n"
	          "  - name: example.com\n"
	          "    ct_allow: [digicert.com]\n"
	          "    ct_wildcard: true\n"
	          "    authorize:\n"
	          "      - {account: le-prod, wildcard: true, persist_until: required}\n"
	          "  - {name: 'www.bücher.example', authorize: [{account: le-prod}]}\n"
	          "  - {name: legacy.example.com, authorize: [], note: {any: [thing]}}\n"
	          "ct:\n  source: crtsh\n  lookback: 30d\n  ignore_issuers: [Test CA]\n"
	          "  issuers: {Example Org: [example-ca.test]}\n",
	     true},
	    {HEAD "domains: [{name: a.example, authorize: [{account: le-prod}]}]\n", true},
	    {HEAD "domains: []\n", true},
	    {HEAD, true},
	    /* entries before the accounts they name: read whole */
	    {"version: 1\ndomains: [{name: a.example, authorize: [{account: le-prod}]}]\n"
	     "cas: {letsencrypt: {issuer: letsencrypt.org}}\n"
	     "accounts: {le-prod: {ca: letsencrypt, uri: 'https://a.example/acct/1'}}\n",
	     false},
	    {"version: 1\ndomains: [{name: a.example, authorize: []}]\n"
	     "cas: {letsencrypt: {issuer: letsencrypt.org}}\n",
	     false},
	    /* errors: the whole-document reading's message, wherever they are */
	    {HEAD
	     "domains: [{name: a.example, authorize: []}, {name: A.example., authorize: []}]\n",
	     false},
	    {HEAD
	     "domains: [{name: a.example, authorize: []}, {name: b, authorize: [{account: x}]}]\n",
	     false},
	    {HEAD "domains: [{name: a.example, authorize: []}, just-a-string]\n", false},
	    {HEAD "domains: [{name: a.example, authorize: []}]\nctt: {}\n", false},
	    {"cas: {letsencrypt: {issuer: letsencrypt.org}}\n"
	     "domains: [{name: a.example, authorize: []}]\n",
	     false},
	    {HEAD "domains: [{name: a.example, authorize: []}]\ndomains: []\n", false},
	    {HEAD "domains: [{name: a.example, authorize: []}]\nzones: ['bad zone']\n", false},
	    {HEAD "domains:\n  - name: a.example\n    authorize: []\n  - [\n", false},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const char *y = cases[i].yaml;
		struct dp_buf one = {0}, whole = {0};
		struct dp_inventory *inv = NULL;
		struct dp_error err = {0};
		enum dp_status st = dp_inv_load_streamed("inv.yaml", y, strlen(y), &inv, &err);

		dp_inventory_free(inv);
		if ((st == DP_OK) != cases[i].streamed)
			fail_msg("case %zu: the one-pass reading %s it (%d)", i,
			         st == DP_OK ? "took" : "gave up on", (int)st);
		reading(false, y, strlen(y), &one);
		reading(true, y, strlen(y), &whole);
		assert_non_null(one.data);
		if (strcmp(one.data, whole.data) != 0)
			fail_msg("case %zu: one-pass\n%s\nwhole\n%s", i, one.data, whole.data);
		dp_buf_free(&one);
		dp_buf_free(&whole);
	}
}

/* The shipped example, from its file: the same inventory either way. */
static void test_one_pass_example(void **state)
{
	const char *dir = getenv("DP_SRCDIR");
	char path[4096];
	struct dp_buf bytes = {0}, one = {0}, whole = {0};
	struct dp_inventory *inv = NULL;
	struct dp_error err = {0};

	(void)state;
	snprintf(path, sizeof(path), "%s/zones/example.inventory.yaml", dir ? dir : ".");
	assert_int_equal(dp_yaml_read(path, &bytes, &err), DP_OK);
	assert_int_equal(dp_inventory_load(path, &inv, &err), DP_OK);
	inv_dump(inv, &one);
	dp_inventory_free(inv);
	assert_int_equal(dp_inventory_load_tree(path, bytes.data, bytes.len, &inv, &err), DP_OK);
	inv_dump(inv, &whole);
	dp_inventory_free(inv);
	assert_string_equal(one.data, whole.data);
	assert_non_null(strstr(one.data, "domain "));
	assert_int_equal(dp_inv_load_streamed(path, bytes.data, bytes.len, &inv, &err), DP_OK);
	dp_inventory_free(inv);
	dp_buf_free(&bytes);
	dp_buf_free(&one);
	dp_buf_free(&whole);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_issue_shape),      cmocka_unit_test(test_unicode_names),
	    cmocka_unit_test(test_errors),           cmocka_unit_test(test_one_pass),
	    cmocka_unit_test(test_one_pass_example),
	};
	return cmocka_run_group_tests_name("inventory", tests, NULL, NULL);
}
