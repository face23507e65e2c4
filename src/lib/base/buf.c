/* SPDX-License-Identifier: BSD-3-Clause */
/* Growable buffer: one place for bounded, checked string building. */
#include "base/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dp_buf_free(struct dp_buf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	memset(b, 0, sizeof(*b));
}

void dp_buf_reset(struct dp_buf *b)
{
	if (b == NULL)
		return;
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

static bool grow(struct dp_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (b->failed)
		return false;
	if (extra > ((size_t)-1) / 2 - b->len) {
		b->failed = true;
		return false;
	}
	need = b->len + extra + 1;
	if (need <= b->cap)
		return true;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	p = realloc(b->data, cap);
	if (p == NULL) {
		b->failed = true;
		return false;
	}
	b->data = p;
	b->cap = cap;
	return true;
}

void dp_buf_reserve(struct dp_buf *b, size_t n)
{
	if (b != NULL)
		(void)grow(b, n);
}

void dp_buf_add(struct dp_buf *b, const void *data, size_t len)
{
	if (b == NULL)
		return;
	if (b->len + len < b->cap && !b->failed) {
		memcpy(b->data + b->len, data, len);
		b->len += len;
		b->data[b->len] = '\0';
		return;
	}
	if (!grow(b, len))
		return;
	if (len > 0)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void dp_buf_adds(struct dp_buf *b, const char *s)
{
	if (b != NULL)
		dp_buf_add(b, s, strlen(s));
}

void dp_buf_addc(struct dp_buf *b, char c)
{
	dp_buf_add(b, &c, 1);
}

void dp_buf_addf(struct dp_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b == NULL || b->failed)
		return;
	/* one formatting pass when it fits, which is nearly always */
	if (b->cap > b->len + 1) {
		va_start(ap, fmt);
		n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return;
		}
		b->data[b->len] = '\0';
	}
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = true;
		return;
	}
	if (!grow(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void dp_buf_add_escaped(struct dp_buf *b, const void *data, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = data;
	size_t i = 0, run;

	while (b != NULL && i < len) {
		for (run = i; run < len && p[run] >= 0x20 && p[run] < 0x7f && p[run] != '\\'; run++)
			;
		dp_buf_add(b, p + i, run - i);
		if (run == len)
			break;
		char esc[4] = {'\\', 'x', hex[p[run] >> 4], hex[p[run] & 15]};
		dp_buf_add(b, esc, 4);
		i = run + 1;
	}
}

enum dp_status dp_buf_status(const struct dp_buf *b)
{
	if (b == NULL)
		return DP_OK;
	return b->failed ? DP_ENOMEM : DP_OK;
}

char *dp_buf_steal(struct dp_buf *b)
{
	char *p;

	if (b->failed)
		return NULL;
	if (b->data == NULL)
		return strdup("");
	p = b->data;
	memset(b, 0, sizeof(*b));
	return p;
}

void dp_buf_add_ulong(struct dp_buf *b, unsigned long v)
{
	char digits[24];
	size_t i = sizeof(digits);

	do {
		digits[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	dp_buf_add(b, digits + i, sizeof(digits) - i);
}

char *dp_str_join(char *out, size_t size, ...)
{
	va_list ap;
	size_t at = 0;

	if (size == 0)
		return out;
	va_start(ap, size);
	for (const char *s = va_arg(ap, const char *); s != NULL; s = va_arg(ap, const char *)) {
		size_t n = strlen(s);
		if (n > size - 1 - at)
			n = size - 1 - at;
		memcpy(out + at, s, n);
		at += n;
	}
	va_end(ap);
	out[at] = '\0';
	return out;
}

void dp_buf_add_where(struct dp_buf *b, const char *file, unsigned long line)
{
	const char *sp = line == 0 ? strchr(file, ' ') : NULL;

	if (line > 0) {
		dp_buf_adds(b, file);
		dp_buf_addc(b, ':');
		dp_buf_add_ulong(b, line);
	} else if (sp != NULL) /* live: "server status" */
		dp_buf_addf(b, "%.*s, DNSSEC %s", (int)(sp - file), file, sp + 1);
	else
		dp_buf_adds(b, file);
}
