/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for the HTML and OpenMetrics escaping of data. */
#include "cmocka_wrap.h"

#include <string.h>

#include "render/escape.h"

static void test_html(void **state)
{
	static const struct {
		const char *in;
		size_t len;
		const char *want;
	} cases[] = {
	    {"plain text", 10, "plain text"},
	    {"<script>alert(1)</script>", 25, "&lt;script&gt;alert(1)&lt;/script&gt;"},
	    {"</svg>", 6, "&lt;/svg&gt;"},
	    {"\"onload=", 8, "&quot;onload="},
	    {"'x'", 3, "&#39;x&#39;"},
	    {"a&amp;b", 7, "a&amp;amp;b"},
	    {"javascript:alert(1)", 19, "javascript:alert(1)"}, /* text, never an href */
	    {"\x1b[31m", 5, "\\x1b[31m"},
	    {"nul\0x", 5, "nul\\x00x"},
	    {"\x7f\x80\xff", 3, "\\x7f\\x80\\xff"},
	    {"\xe2\x80\xae", 3, "\\xe2\\x80\\xae"}, /* U+202E, a bidi override */
	    {"back\\slash", 10, "back\\x5cslash"},
	    {"", 0, ""},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct dp_buf b = {0};
		dp_esc_html(&b, cases[i].in, cases[i].len);
		assert_string_equal(b.data ? b.data : "", cases[i].want);
		dp_buf_free(&b);
	}
}

static void test_html_utf8(void **state)
{
	struct dp_buf b = {0};

	(void)state;
	dp_esc_html_utf8(&b, "m\xc3\xbcnchen<b>\x01");
	assert_string_equal(b.data, "m\xc3\xbcnchen&lt;b&gt;\\x01");
	dp_buf_free(&b);
	dp_esc_html_str(&b, NULL);
	dp_esc_html_utf8(&b, NULL);
	assert_null(b.data);
}

static void test_label(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
	    {"example.com", "example.com"},
	    {"a\"b", "a\\\"b"},
	    {"a\\b", "a\\\\b"},
	    {"line\nbreak", "line\\nbreak"},
	    {"\x1b\x7f\xc3\xbc", "\\\\x1b\\\\x7f\\\\xc3\\\\xbc"},
	    {"} 1\nfake_metric{x=\"", "} 1\\nfake_metric{x=\\\""},
	    {"", ""},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct dp_buf b = {0};
		dp_esc_label(&b, cases[i].in);
		assert_string_equal(b.data ? b.data : "", cases[i].want);
		dp_buf_free(&b);
	}
}

/* One Markdown table cell: no column or line break, markup, autolink or mention. */
static void test_md_cell(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
	    {"www.example.com", "www\\.example\\.com"},
	    {"a|b", "a\\|b"},
	    {"line\nbreak", "line\\\\x0abreak"},
	    {"<script>", "&lt;script&gt;"},
	    {"@team #1", "\\@team \\#1"},
	    {"https://x", "https\\://x"},
	    {"**b** [l](u) `c`", "\\*\\*b\\*\\* \\[l\\]\\(u\\) \\`c\\`"},
	    {"", ""},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct dp_buf b = {0};
		dp_esc_md_cell(&b, cases[i].in);
		assert_string_equal(b.data ? b.data : "", cases[i].want);
		dp_buf_free(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_html),
	    cmocka_unit_test(test_html_utf8),
	    cmocka_unit_test(test_label),
	    cmocka_unit_test(test_md_cell),
	};
	return cmocka_run_group_tests_name("escape", tests, NULL, NULL);
}
