/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for the JSON report reader: round trip, hostile documents, limits, merging. */
#include "cmocka_wrap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"
#include "report/report_read.h"

/* A small report with every kind of detail, as an audit would leave it. */
static struct dp_report *sample(const char *name, int64_t now)
{
	struct dp_report *r = NULL;
	struct dp_report_name *n;
	struct dp_report_record rec = {.owner = "_validation-persist.a.example",
	                               .rdata = "ca.example; accounturi=https://ca/acct/1",
	                               .issuer = "ca.example",
	                               .accounturi = "https://ca/acct/1",
	                               .wildcard = true,
	                               .has_persist_until = true,
	                               .persist_until = 2000000000,
	                               .verdict = DP_VERDICT_VALID,
	                               .reason = "fine",
	                               .file = "z.zone",
	                               .line = 7};
	struct dp_report_caa caa = {0, "issue", "ca.example", 10, "z.zone", 3, NULL};
	struct dp_report_auth auth = {.issuer = "ca.example",
	                              .accounturi = "https://ca/acct/1",
	                              .account_id = "acct",
	                              .via = "_vp.a",
	                              .covers =
	                                  DP_COVERS_NAME | DP_COVERS_WILDCARD | DP_COVERS_BELOW,
	                              .has_until = true,
	                              .until = 2000000000,
	                              .caa = "permits"};

	rec.len = strlen(rec.rdata);
	assert_int_equal(dp_report_new("zone", now, &r), DP_OK);
	n = dp_report_name(r, name);
	assert_non_null(n);
	assert_int_equal(dp_report_add_record(r, n, &rec), DP_OK);
	assert_int_equal(dp_report_set_caa_owner(r, n, "example"), DP_OK);
	assert_int_equal(dp_report_add_caa(r, n, &caa), DP_OK);
	assert_int_equal(dp_report_add_auth(r, n, &auth), DP_OK);
	assert_int_equal(dp_report_set_note(r, n, "not all"), DP_OK);
	assert_int_equal(dp_report_add_finding(r, DP_F_PERSIST_UNTIL_EXPIRED, DP_SEV_CRITICAL, name,
	                                       "subj", "z.zone", 7, "expired \x01 at %d", 1),
	                 DP_OK);
	assert_int_equal(dp_report_add_finding(r, DP_F_RECORD_MISSING, DP_SEV_WARNING, name, "",
	                                       "8.8.8.8 insecure", 0, "missing"),
	                 DP_OK);
	assert_int_equal(dp_report_add_note(r, "zone x not listed"), DP_OK);
	dp_report_set_unknown(r, "a zone could not be listed");
	assert_int_equal(dp_report_finish(r), DP_OK);
	return r;
}

static char *to_json(struct dp_report *r)
{
	struct dp_render_opts o = {.version = "1"};
	struct dp_buf b = {0};

	assert_int_equal(dp_render_report(r, &dp_render_json, &o, &b), DP_OK);
	return b.data;
}

static void test_round_trip(void **state)
{
	struct dp_report *r = sample("a.example", 1700000000), *back = NULL;
	char *json = to_json(r), *again;
	struct dp_report_file info;
	struct dp_error err = {0};
	char k1[DP_FINDING_KEY_LEN + 1], k2[DP_FINDING_KEY_LEN + 1];

	(void)state;
	assert_int_equal(
	    dp_report_read_json_mem("t.json", json, strlen(json), NULL, &back, &info, &err), DP_OK);
	assert_int_equal(info.now, 1700000000);
	assert_string_equal(info.mode, "zone");
	assert_false(info.sharded);
	again = to_json(back);
	if (strcmp(json, again) != 0)
		fail_msg("round trip differs:\n%s\n%s", strstr(json, "\"findings"),
		         strstr(again, "\"findings"));
	dp_report_finding_key(r, 0, k1);
	dp_report_finding_key(back, 0, k2);
	assert_string_equal(k1, k2);
	assert_int_equal(dp_report_level(back), DP_LEVEL_UNKNOWN);
	assert_int_equal(dp_report_record_count(back), 1);
	free(json);
	free(again);
	dp_report_free(r);
	dp_report_free(back);
}

/* Each document is refused, and the message says where. */
static void test_bad(void **state)
{
	static const struct {
		const char *doc, *msg;
	} cases[] = {
	    {"", "not JSON"},
	    {"{\"format\":2,\n  \"mode\": }", "not JSON"},
	    {"[]", "not a JSON object"},
	    {"{\"format\":1}", "format 1 is not 2"},
	    {"{\"format\":\"2\"}", "\"format\" is not an integer"},
	    {"{\"format\":2,\"mode\":\"Zone!\",\"now\":1}", "not a source name"},
	    {"{\"format\":2,\"mode\":\"zone\"}", "\"now\" is missing"},
	    {"{\"format\":2,\"mode\":\"zone\",\"now\":1,\"names\":{}}",
	     "\"names\" is not an array"},
	    {"{\"format\":2,\"mode\":\"zone\",\"now\":1,\"names\":[1],\"findings\":[]}",
	     "names[0]: not an object"},
	    {"{\"format\":2,\"mode\":\"zone\",\"now\":1,\"names\":[{\"name\":\"a b\"}],"
	     "\"findings\":[]}",
	     "names[0]: \"name\" is not a DNS name"},
	    {"{\"format\":2,\"mode\":\"zone\",\"now\":1,\"names\":[{\"name\":\"a\",\"records\":[],"
	     "\"caa\":{\"properties\":[]},\"authorizations\":[]},{\"name\":\"a\"}],"
	     "\"findings\":[]}",
	     "names[1]: a is listed twice"},
	    {"{\"format\":2,\"mode\":\"zone\",\"now\":1,\"names\":[{\"name\":\"a\",\"records\":[{"
	     "\"owner\":\"o\",\"rdata\":\"r\",\"verdict\":\"great\"}]}],\"findings\":[]}",
	     "names[0].records[0]: unknown verdict 'great'"},
	    {"{\"format\":2,\"mode\":\"zone\",\"now\":1,\"names\":[{\"name\":\"a\",\"records\":[{"
	     "\"owner\":\"o\\u0000x\",\"rdata\":\"r\",\"verdict\":\"valid\"}]}],\"findings\":[]}",
	     "\"owner\" holds a NUL character"},
	    {"{\"format\":2,\"mode\":\"zone\",\"now\":1,\"names\":[{\"name\":\"a\",\"records\":[],"
	     "\"caa\":{\"properties\":[{\"flags\":256,\"tag\":\"issue\",\"value\":\"\"}]}}],"
	     "\"findings\":[]}",
	     "names[0].caa.properties[0]: \"flags\" is out of range"},
	    {"{\"format\":2,\"mode\":\"zone\",\"now\":1,\"names\":[{\"name\":\"a\",\"records\":[],"
	     "\"caa\":{\"properties\":[]},\"authorizations\":[{\"issuer\":\"i\",\"accounturi\":"
	     "\"u\",\"covers\":[\"b\"]}]}],\"findings\":[]}",
	     "\"covers\"[0] is not a or a wildcard below it"},
	    {"{\"format\":2,\"mode\":\"zone\",\"now\":1,\"names\":[],\"findings\":[{\"id\":"
	     "\"nope\"}]}",
	     "findings[0]: unknown finding id 'nope'"},
	    {"{\"format\":2,\"mode\":\"zone\",\"now\":1,\"names\":[],\"findings\":[{\"id\":"
	     "\"record-missing\",\"severity\":\"off\"}]}",
	     "severity 'off' is not critical"},
	    {"{\"format\":2,\"mode\":\"zone\",\"now\":1,\"names\":[],\"findings\":[{\"id\":"
	     "\"record-missing\",\"severity\":\"warning\",\"key\":\"XYZ\"}]}",
	     "\"key\" is not 16 hex digits"},
	    {"{\"format\":2,\"mode\":\"zone\",\"now\":1,\"names\":[],\"findings\":[{\"id\":"
	     "\"record-missing\",\"severity\":\"warning\",\"key\":\"0123456789abcdef\",\"name\":"
	     "\"x\"}]}",
	     "findings[0]: its name is not among the report's names"},
	    {"{\"format\":2,\"mode\":\"zone\",\"now\":1,\"shard\":{\"count\":2,\"index\":2}}",
	     "\"index\" is out of range"},
	    {"{\"format\":2,\"format\":2}", "duplicate"},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct dp_report *r = NULL;
		struct dp_error err = {0};
		enum dp_status st = dp_report_read_json_mem(
		    "bad.json", cases[i].doc, strlen(cases[i].doc), NULL, &r, NULL, &err);
		if (st == DP_OK || strstr(err.msg, cases[i].msg) == NULL)
			fail_msg("case %zu: status %d, message '%s', wanted '%s'", i, st, err.msg,
			         cases[i].msg);
		assert_string_equal(err.file, "bad.json");
		assert_null(r);
	}
	(void)state;
}

/* A syntax error carries jansson's line and column. */
static void test_position(void **state)
{
	const char *doc = "{\"format\": 2,\n\"mode\": zone}";
	struct dp_report *r = NULL;
	struct dp_error err = {0};

	(void)state;
	assert_int_equal(dp_report_read_json_mem("p.json", doc, strlen(doc), NULL, &r, NULL, &err),
	                 DP_EINVAL);
	assert_int_equal(err.line, 2);
	assert_true(err.col > 0);
}

static void test_limits(void **state)
{
	struct dp_report *r = sample("a.example", 1), *back = NULL;
	char *json = to_json(r);
	struct dp_report_limits lim = dp_report_default_limits;
	struct dp_error err = {0};

	(void)state;
	lim.max_bytes = strlen(json) - 1;
	assert_int_not_equal(
	    dp_report_read_json_mem("l.json", json, strlen(json), &lim, &back, NULL, &err), DP_OK);
	assert_non_null(strstr(err.msg, "larger than"));
	lim = dp_report_default_limits;
	lim.max_names = 0;
	assert_int_not_equal(
	    dp_report_read_json_mem("l.json", json, strlen(json), &lim, &back, NULL, &err), DP_OK);
	assert_non_null(strstr(err.msg, "\"names\" has more than 0 entries"));
	lim = dp_report_default_limits;
	lim.max_string = 5;
	assert_int_not_equal(
	    dp_report_read_json_mem("l.json", json, strlen(json), &lim, &back, NULL, &err), DP_OK);
	assert_non_null(strstr(err.msg, "longer than 5 octets"));
	assert_null(back);
	free(json);
	dp_report_free(r);
}

/* Two reads into one report: disjoint names merge, an overlap or another now does not. */
static void test_into(void **state)
{
	struct dp_report *a = sample("a.example", 5), *b = sample("b.example", 5);
	struct dp_report *c = sample("c.example", 6), *m = NULL;
	char *ja = to_json(a), *jb = to_json(b), *jc = to_json(c);
	struct dp_error err = {0};

	(void)state;
	assert_int_equal(dp_report_read_json_mem("a", ja, strlen(ja), NULL, &m, NULL, &err), DP_OK);
	assert_int_equal(dp_report_read_json_mem("b", jb, strlen(jb), NULL, &m, NULL, &err), DP_OK);
	assert_int_equal(dp_report_name_count(m), 2);
	assert_int_equal(dp_report_finding_count(m), 4);
	assert_int_equal(dp_report_read_json_mem("b2", jb, strlen(jb), NULL, &m, NULL, &err),
	                 DP_EINVAL);
	assert_non_null(strstr(err.msg, "b.example is also in an earlier report"));
	dp_report_free(m);
	m = NULL;
	assert_int_equal(dp_report_read_json_mem("a", ja, strlen(ja), NULL, &m, NULL, &err), DP_OK);
	assert_int_equal(dp_report_read_json_mem("c", jc, strlen(jc), NULL, &m, NULL, &err),
	                 DP_EINVAL);
	assert_non_null(strstr(err.msg, "now 6 differs"));
	dp_report_free(m);
	free(ja);
	free(jb);
	free(jc);
	dp_report_free(a);
	dp_report_free(b);
	dp_report_free(c);
}

static void test_missing_file(void **state)
{
	struct dp_report *r = NULL;
	struct dp_error err = {0};

	(void)state;
	assert_int_equal(dp_report_read_json("/nonexistent/x.json", NULL, &r, NULL, &err), DP_EIO);
	assert_string_equal(err.file, "/nonexistent/x.json");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip), cmocka_unit_test(test_bad),
	    cmocka_unit_test(test_position),   cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_into),       cmocka_unit_test(test_missing_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
