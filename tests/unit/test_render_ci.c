/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests for what the CI formats share: repository-relative paths,
 * the escaping of each medium, the catalogue prose made from
 * docs/findings.md, and findings without a file (live answers) in every
 * CI format.
 */
#include "cmocka_wrap.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "render/render.h"
#include "render/escape.h"
#include "render/render_ci.h"

static void test_paths(void **state)
{
	static const struct {
		const char *file;
		unsigned long line;
		const char *path; /* NULL: none */
	} cases[] = {
	    {"zones/a.zone", 3, "zones/a.zone"},
	    {"./zones/./a.zone", 3, "zones/a.zone"},
	    {"zones//a.zone", 3, "zones/a.zone"},
	    {"a.zone", 9, "a.zone"},
	    {NULL, 0, NULL},
	    {"192.0.2.1@53 insecure", 0, NULL}, /* a live answer */
	    {"../outside.zone", 1, NULL},       /* no such file: cannot be placed */
	    {"/nonexistent/x.zone", 1, NULL},
	};
	char *cwd = getcwd(NULL, 0), abs[4096];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct dp_finding f = {.file = cases[i].file, .line = cases[i].line};
		struct dp_ci_where w;
		dp_ci_where(&f, NULL, &w);
		if (cases[i].path == NULL)
			assert_null(w.path);
		else
			assert_string_equal(w.path, cases[i].path);
		free(w.path);
	}
	/* an absolute path below the current directory: relative to it */
	snprintf(abs, sizeof(abs), "%s/.", cwd);
	{
		struct dp_finding f = {.file = abs, .line = 1};
		struct dp_ci_where w;
		dp_ci_where(&f, "/", &w);
		assert_non_null(w.path);
		assert_string_equal(w.path, cwd + 1);
		free(w.path);
	}
	free(cwd);
}

static void test_escaping(void **state)
{
	struct dp_buf b = {0};

	(void)state;
	/* JUnit's text and attributes: the XML escaper the HTML report uses */
	dp_esc_html_str(&b, "<a href=\"x\">&'\n\x01\xc3\xa9\\</a>");
	assert_string_equal(
	    b.data, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;\\x0a\\x01\\xc3\\xa9\\x5c&lt;/a&gt;");
	dp_buf_reset(&b);
	dp_ci_uri(&b, "zones/a b%:,\n\xc3\xa9-._~.zone");
	assert_string_equal(b.data, "zones/a%20b%25%3A%2C%0A%C3%A9-._~.zone");
	dp_buf_reset(&b);
	dp_ci_plain(&b, "a `code`, **Fix:** see [rules.md](rules.md) and *.example");
	assert_string_equal(b.data, "a code, Fix: see rules.md and *.example");
	dp_buf_free(&b);
}

static void test_catalogue(void **state)
{
	(void)state;
	for (int id = 0; id < DP_F_COUNT; id++) {
		struct dp_ci_doc d;
		dp_ci_doc((enum dp_finding_id)id, &d);
		/* every id has its section in docs/findings.md, longer than the summary */
		assert_non_null(d.description);
		assert_true(strlen(d.description) > strlen(dp_finding_info(id)->summary));
		assert_null(strstr(d.description, "**Fix:**"));
		assert_false(d.description[0] == '*');
	}
}

/* A report with one live finding (no file) and one from a zone file. */
static struct dp_report *live_report(void)
{
	struct dp_report *r = NULL;

	assert_int_equal(dp_report_new("live", 0, &r), DP_OK);
	assert_non_null(dp_report_name(r, "example.com"));
	assert_int_equal(dp_report_add_finding(r, DP_F_DNS_ERROR, DP_SEV_CRITICAL, "example.com",
	                                       "", "192.0.2.1@53 insecure", 0, "SERVFAIL from %s",
	                                       "192.0.2.1"),
	                 DP_OK);
	assert_int_equal(dp_report_add_finding(r, DP_F_CAA_MISSING, DP_SEV_WARNING, "example.com",
	                                       "", NULL, 0, "no CAA"),
	                 DP_OK);
	assert_int_equal(dp_report_finish(r), DP_OK);
	return r;
}

static char *render(struct dp_report *r, const struct dp_renderer *fmt, const char *inventory)
{
	struct dp_render_opts o = {.version = "t", .inventory = inventory, .command = "scan"};
	struct dp_buf out = {0};

	assert_int_equal(dp_render_report(r, fmt, &o, &out), DP_OK);
	return dp_buf_steal(&out);
}

static void test_no_file(void **state)
{
	struct dp_report *r = live_report();
	json_error_t e;
	char *s;
	json_t *j;

	(void)state;
	s = render(r, &dp_render_sarif, NULL);
	j = json_loads(s, 0, &e);
	assert_non_null(j);
	json_t *res = json_object_get(json_array_get(json_object_get(j, "runs"), 0), "results");
	assert_int_equal(json_array_size(res), 2);
	for (size_t i = 0; i < 2; i++) {
		json_t *loc =
		    json_array_get(json_object_get(json_array_get(res, i), "locations"), 0);
		assert_null(json_object_get(loc, "physicalLocation"));
		assert_non_null(json_object_get(loc, "logicalLocations"));
	}
	json_decref(j);
	free(s);
	s = render(r, &dp_render_github, NULL);
	assert_string_equal(
	    s, "::error title=critical dns-error (example.com)::SERVFAIL from 192.0.2.1\n"
	       "::warning title=warning caa-missing (example.com)::no CAA\n");
	free(s);
	s = render(r, &dp_render_codequality, NULL);
	assert_non_null(strstr(s, "\"location\":{\"path\":\".\",\"lines\":{\"begin\":1}}"));
	free(s);
	s = render(r, &dp_render_junit, NULL);
	assert_non_null(strstr(s, "<testcase classname=\"example.com\" name=\"dns-error "));
	assert_null(strstr(s, "file="));
	free(s);
	dp_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_paths),
	    cmocka_unit_test(test_escaping),
	    cmocka_unit_test(test_catalogue),
	    cmocka_unit_test(test_no_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
