/* SPDX-License-Identifier: BSD-3-Clause */
/* HTML, Markdown and OpenMetrics escaping of data. */
#include "render/escape.h"

#include <string.h>

static const char hex[] = "0123456789abcdef";

static bool html_safe(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '&' && c != '<' && c != '>' && c != '"' && c != '\'' &&
	       c != '\\';
}

static void html_one(struct dp_buf *b, unsigned char c)
{
	switch (c) {
	case '&':
		dp_buf_adds(b, "&amp;");
		return;
	case '<':
		dp_buf_adds(b, "&lt;");
		return;
	case '>':
		dp_buf_adds(b, "&gt;");
		return;
	case '"':
		dp_buf_adds(b, "&quot;");
		return;
	case '\'':
		dp_buf_adds(b, "&#39;");
		return;
	default: {
		/* controls, DEL, non-ASCII, and '\\' so that \xNN is unambiguous */
		char esc[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
		dp_buf_add(b, esc, 4);
	}
	}
}

void dp_esc_html(struct dp_buf *b, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run;

	while (s != NULL && i < len) {
		for (run = i; run < len && html_safe(p[run]); run++)
			;
		dp_buf_add(b, p + i, run - i);
		if (run == len)
			break;
		html_one(b, p[run]);
		i = run + 1;
	}
}

void dp_esc_html_str(struct dp_buf *b, const char *s)
{
	if (s != NULL)
		dp_esc_html(b, s, strlen(s));
}

void dp_esc_html_utf8(struct dp_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; p != NULL && *p; p++) {
		if (*p >= 0x80 || html_safe(*p))
			dp_buf_addc(b, (char)*p);
		else
			html_one(b, *p);
	}
}

void dp_esc_label(struct dp_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; p != NULL && *p; p++) {
		if (*p == '\\' || *p == '"') {
			char esc[2] = {'\\', (char)*p};
			dp_buf_add(b, esc, 2);
		} else if (*p == '\n') {
			dp_buf_adds(b, "\\n");
		} else if (*p < 0x20 || *p >= 0x7f) {
			char esc[5] = {'\\', '\\', 'x', hex[*p >> 4], hex[*p & 15]};
			dp_buf_add(b, esc, 5);
		} else {
			dp_buf_addc(b, (char)*p);
		}
	}
}

void dp_esc_md_cell(struct dp_buf *b, const char *s)
{
	struct dp_buf t = {0};

	if (s == NULL)
		return;
	dp_buf_add_escaped(&t, s, strlen(s)); /* control characters become \xNN first */
	for (const char *c = t.data ? t.data : ""; *c; c++) {
		if (*c == '<')
			dp_buf_adds(b, "&lt;");
		else if (*c == '>')
			dp_buf_adds(b, "&gt;");
		else if (*c == '&')
			dp_buf_adds(b, "&amp;");
		else if (strchr("\\`*_[](){}#+-.!|~:@", *c) != NULL)
			dp_buf_addf(b, "\\%c", *c);
		else
			dp_buf_addc(b, *c);
	}
	dp_buf_free(&t);
}
