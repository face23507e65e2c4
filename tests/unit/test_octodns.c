/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for the octoDNS zone reader: kept records, unescaping, errors with positions. */
#include "cmocka_wrap.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "source/octodns.h"

/* Each kept record as one line: "line owner TYPE data". */
static enum dp_status collect_cb(const struct dp_zrr *rr, void *ctx, struct dp_error *err)
{
	struct dp_buf *out = ctx;

	(void)err;
	dp_buf_addf(out, "%lu %s ", rr->line, rr->owner);
	if (rr->type == DP_RR_TXT) {
		dp_buf_adds(out, "TXT ");
		dp_buf_add_escaped(out, rr->txt, rr->txt_len);
	} else if (rr->type == DP_RR_CAA) {
		dp_buf_addf(out, "CAA %u %s ", rr->caa_flags, rr->caa_tag);
		dp_buf_add_escaped(out, rr->caa_value, rr->caa_value_len);
	} else {
		dp_buf_addf(out, "CNAME %s", rr->target);
	}
	dp_buf_addf(out, " ttl=%u\n", rr->ttl);
	return DP_OK;
}

static enum dp_status read(const char *name, const char *text, struct dp_buf *out,
                           struct dp_error *err)
{
	struct dp_zone_opts opts = {.no_include = true};
	dp_buf_reset(out);
	dp_error_clear(err);
	return dp_octodns_read(name, text, strlen(text), &opts, collect_cb, out, err);
}

static void test_kept_records(void **state)
{
	static const char zone[] =
	    "---\n"
	    "'':\n"
	    "  - type: CAA\n"
	    "    values:\n"
	    "      - flags: 0\n"
	    "        tag: issue\n"
	    "        value: letsencrypt.org\n"
	    "      - {flags: 128, tag: issuewild, value: ';'}\n"
	    "  - type: A\n"
	    "    value: 192.0.2.1\n"
	    "_validation-persist:\n"
	    "  type: TXT\n"
	    "  ttl: 300\n"
	    "  value: letsencrypt.org\\; accounturi=https://a/1\\; policy=wildcard\n"
	    "_validation-persist.WWW:\n"
	    "  type: TXT\n"
	    "  values:\n"
	    "    - \"x\\\\; accounturi=https://a/2\"\n"
	    "    - back\\slash\n"
	    "www:\n"
	    "  type: CNAME\n"
	    "  value: Target.Example.NET.\n"
	    "other:\n"
	    "  type: TXT\n"
	    "  value: not kept; not even read\n";
	struct dp_buf out = {0};
	struct dp_error err;

	(void)state;
	assert_int_equal(read("zones/example.com.yaml", zone, &out, &err), DP_OK);
	assert_string_equal(out.data,
	                    "7 example.com CAA 0 issue letsencrypt.org ttl=0\n"
	                    "8 example.com CAA 128 issuewild ; ttl=0\n"
	                    "14 _validation-persist.example.com TXT letsencrypt.org; "
	                    "accounturi=https://a/1; policy=wildcard ttl=300\n"
	                    "18 _validation-persist.www.example.com TXT x; accounturi=https://a/2 "
	                    "ttl=0\n"
	                    "19 _validation-persist.www.example.com TXT back\\x5cslash ttl=0\n"
	                    "22 www.example.com CNAME target.example.net ttl=0\n");
	dp_buf_free(&out);
}

static void test_origin_from_name(void **state)
{
	char o[DP_NAME_MAX];

	(void)state;
	assert_true(dp_octodns_origin("zones/example.com.yaml", o));
	assert_string_equal(o, "example.com");
	assert_true(dp_octodns_origin("Example.ORG.yml", o));
	assert_string_equal(o, "example.org");
	assert_false(dp_octodns_origin("zones/example.com.zone", o));
	assert_false(dp_octodns_origin("config.yaml", o)); /* one label: not a zone */
	assert_false(dp_octodns_origin(".yaml", o));
	assert_true(dp_octodns_is_file("a.yml"));
	assert_false(dp_octodns_is_file("yaml"));
}

/* Bad input: the status, and where and why. */
static const struct bad_case {
	const char *text;
	enum dp_status st;
	const char *where; /* "line:col" */
	const char *msg;   /* part of the message */
} bad_cases[] = {
    {"- a\n- b\n", DP_ESYNTAX, "1:1", "mapping of names to records"},
    {"_validation-persist:\n  type: TXT\n  value: a; b\n", DP_ESYNTAX, "3:10", "unescaped ';'"},
    {"_validation-persist:\n  value: x\n", DP_ESYNTAX, "2:3", "needs a type"},
    {"_validation-persist:\n  type: TXT\n", DP_ESYNTAX, "2:3", "value or values"},
    {"_validation-persist:\n  type: TXT\n  value: a\n  values: [b]\n", DP_ESYNTAX, "2:3",
     "not both"},
    {"_validation-persist:\n  type: TXT\n  values: x\n", DP_ESYNTAX, "3:11", "values"},
    {"_validation-persist:\n  type: TXT\n  value: {a: b}\n", DP_ESYNTAX, "3:10",
     "must be a string"},
    {"x: 5\n", DP_ESYNTAX, "1:4", "must be a mapping"},
    {"'':\n  type: CAA\n  value: {tag: issue}\n", DP_ESYNTAX, "3:10", "tag and a value"},
    {"'':\n  type: CAA\n  value: {flags: 300, tag: issue, value: x}\n", DP_ESYNTAX, "3:18",
     "from 0 to 255"},
    {"'':\n  type: CAA\n  value: {tag: issue, value: x, extra: 1}\n", DP_ESYNTAX, "3:33", "extra"},
    {"w:\n  type: CNAME\n  value: relative\n", DP_ESYNTAX, "3:10", "ending in '.'"},
    {"w:\n  - type: CNAME\n    value: a.example.\n  - type: TXT\n    value: x\n", DP_ESYNTAX, "1:1",
     "CNAME cannot stand beside"},
    {"'a..b':\n  type: TXT\n  value: x\n", DP_ESYNTAX, "1:1", "not a name relative"},
    {"'www.':\n  type: TXT\n  value: x\n", DP_ESYNTAX, "1:1", "not a name relative"},
    {"_validation-persist:\n  type: TXT\n  ttl: -1\n  value: x\n", DP_ESYNTAX, "3:8", "ttl"},
    {"a: &x {type: TXT, value: y}\nb: *x\n", DP_ESYNTAX, NULL, "alias"},
    {"a: [unclosed\n", DP_ESYNTAX, NULL, NULL},
    {"", DP_ESYNTAX, NULL, NULL},
};

static void test_bad_input(void **state)
{
	struct dp_buf out = {0};
	struct dp_error err;
	char where[64];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];
		enum dp_status st = read("example.com.yaml", c->text, &out, &err);
		if (st != c->st || (c->msg && strstr(err.msg, c->msg) == NULL))
			fail_msg("case %zu: status %d, message '%s'", i, (int)st, err.msg);
		snprintf(where, sizeof(where), "%lu:%lu", err.line, err.col);
		if (c->where != NULL && strcmp(where, c->where) != 0)
			fail_msg("case %zu: at %s, expected %s (%s)", i, where, c->where, err.msg);
		assert_string_equal(err.file, "example.com.yaml");
	}
	dp_buf_free(&out);
}

static void test_no_origin(void **state)
{
	struct dp_buf out = {0};
	struct dp_error err;
	struct dp_zone_opts opts = {.origin = "example.net"};
	static const char caa[] = "'': {type: CAA, value: {tag: issue, value: x}}\n";

	(void)state;
	assert_int_equal(read("zone.yaml", caa, &out, &err), DP_ENOORIGIN);
	dp_buf_reset(&out);
	assert_int_equal(
	    dp_octodns_read("zone.yaml", caa, strlen(caa), &opts, collect_cb, &out, &err), DP_OK);
	assert_string_equal(out.data, "1 example.net CAA 0 issue x ttl=0\n");
	dp_buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kept_records),
	    cmocka_unit_test(test_origin_from_name),
	    cmocka_unit_test(test_bad_input),
	    cmocka_unit_test(test_no_origin),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
