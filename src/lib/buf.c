/* SPDX-License-Identifier: BSD-3-Clause */
/* Growable buffer: one place for bounded, checked string building. */
#include "buf.h"

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

void dp_buf_add(struct dp_buf *b, const void *data, size_t len)
{
	if (!grow(b, len))
		return;
	if (len > 0)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void dp_buf_adds(struct dp_buf *b, const char *s)
{
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
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] < 0x20 || p[i] >= 0x7f || p[i] == '\\')
			dp_buf_addf(b, "\\x%02x", p[i]);
		else
			dp_buf_addc(b, (char)p[i]);
	}
}

enum dp_status dp_buf_status(const struct dp_buf *b)
{
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
