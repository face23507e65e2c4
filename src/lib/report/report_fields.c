/* SPDX-License-Identifier: BSD-3-Clause */
/* The report reader's members: strings, numbers, arrays and sources, each checked and bounded. */
#include "report/report_read_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"

enum dp_status dp_rd_bad(struct rd *c, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->where[0] == '\0')
		return dp_error_set(c->err, DP_EINVAL, c->file, 0, 0, "%s", msg);
	return dp_error_set(c->err, DP_EINVAL, c->file, 0, 0, "%s: %s", c->where, msg);
}

void dp_rd_at(struct rd *c, const char *what, size_t i)
{
	snprintf(c->where, sizeof(c->where), "%s[%zu]", what, i);
}

/* Append ".member" or "[i]" to where while reading below it; undone by the caller. */
size_t dp_rd_enter(struct rd *c, const char *member)
{
	size_t len = strlen(c->where);

	snprintf(c->where + len, sizeof(c->where) - len, "%s%s", len ? "." : "", member);
	return len;
}

static int hexval(char h)
{
	if (h >= '0' && h <= '9')
		return h - '0';
	if (h >= 'a' && h <= 'f')
		return h - 'a' + 10;
	return -1;
}

/*
 * The octets a writer escaped as \xNN (every control, non-ASCII and
 * backslash octet) back as they were, into the scratch arena; *len their
 * number. The result is NUL-ended, and may hold a NUL when len is asked.
 */
enum dp_status dp_rd_unescape(struct rd *c, const char *key, const char *s, size_t n,
                              const char **out, size_t *len)
{
	char *d = dp_arena_alloc(c->scratch, n + 1);
	size_t k = 0;

	if (d == NULL)
		return DP_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\') {
			d[k++] = s[i];
			continue;
		}
		if (i + 3 >= n || s[i + 1] != 'x' || hexval(s[i + 2]) < 0 || hexval(s[i + 3]) < 0)
			return dp_rd_bad(c, "\"%s\" holds a backslash that is not \\xNN", key);
		d[k++] = (char)(hexval(s[i + 2]) * 16 + hexval(s[i + 3]));
		i += 3;
	}
	d[k] = '\0';
	if (len == NULL && strlen(d) != k)
		return dp_rd_bad(c, "\"%s\" holds a NUL character", key);
	*out = d;
	if (len != NULL)
		*len = k;
	return DP_OK;
}

/* A string member as the writer had it: NULL for null or absent when nullable; bounded. */
enum dp_status dp_rd_get_strn(struct rd *c, const json_t *o, const char *key, bool nullable,
                              const char **out, size_t *len)
{
	const json_t *v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return nullable ? DP_OK : dp_rd_bad(c, "\"%s\" is missing", key);
	if (!json_is_string(v))
		return dp_rd_bad(c, "\"%s\" is not a string", key);
	if (json_string_length(v) > c->lim->max_string)
		return dp_rd_bad(c, "\"%s\" is longer than %zu octets", key, c->lim->max_string);
	if (strlen(json_string_value(v)) != json_string_length(v))
		return dp_rd_bad(c, "\"%s\" holds a NUL character", key);
	return dp_rd_unescape(c, key, json_string_value(v), json_string_length(v), out, len);
}

enum dp_status dp_rd_get_str(struct rd *c, const json_t *o, const char *key, bool nullable,
                             const char **out)
{
	return dp_rd_get_strn(c, o, key, nullable, out, NULL);
}

/* An integer member in [min, max]; *has false for null or absent when nullable. */
enum dp_status dp_rd_get_int(struct rd *c, const json_t *o, const char *key, bool nullable,
                             int64_t min, int64_t max, bool *has, int64_t *out)
{
	const json_t *v = json_object_get(o, key);

	*has = false;
	*out = 0;
	if (v == NULL || json_is_null(v))
		return nullable ? DP_OK : dp_rd_bad(c, "\"%s\" is missing", key);
	if (!json_is_integer(v))
		return dp_rd_bad(c, "\"%s\" is not an integer", key);
	if (json_integer_value(v) < min || json_integer_value(v) > max)
		return dp_rd_bad(c, "\"%s\" is out of range (%" JSON_INTEGER_FORMAT ")", key,
		                 json_integer_value(v));
	*has = true;
	*out = json_integer_value(v);
	return DP_OK;
}

/* An array member of at most max entries (absent: empty when optional). */
enum dp_status dp_rd_get_array(struct rd *c, const json_t *o, const char *key, bool optional,
                               size_t max, const json_t **out)
{
	const json_t *v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL && optional)
		return DP_OK;
	if (v == NULL)
		return dp_rd_bad(c, "\"%s\" is missing", key);
	if (!json_is_array(v))
		return dp_rd_bad(c, "\"%s\" is not an array", key);
	if (json_array_size(v) > max)
		return dp_rd_bad(c, "\"%s\" has more than %zu entries", key, max);
	*out = v;
	return DP_OK;
}

bool dp_rd_is_hex_key(const char *s)
{
	if (s == NULL || strlen(s) != DP_FINDING_KEY_LEN)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

/*
 * Strings text output prints as they are (issuers, inventory ids, file
 * names): no control octet, which could drive the reader's terminal.
 */
enum dp_status dp_rd_printable(struct rd *c, const char *key, const char *s)
{
	for (const char *p = s; p != NULL && *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p == 0x7f)
			return dp_rd_bad(c, "\"%s\" holds a control character", key);
	return DP_OK;
}

/* Names as reports hold them: DNS names in A-label form, maybe a leading "*.". */
bool dp_rd_plausible_name(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len > 254)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' || *p == '*'))
			return false;
	return true;
}

/* "source": null, {"file", "line"}, or {"server", "dnssec"} (a live answer). */
enum dp_status dp_rd_get_source(struct rd *c, const json_t *o, char *buf, size_t size,
                                const char **file, unsigned long *line)
{
	const json_t *v = json_object_get(o, "source");
	const char *f = NULL, *server = NULL, *dnssec = NULL;
	enum dp_status st;
	int64_t n = 0;
	bool has;

	*file = NULL;
	*line = 0;
	if (v == NULL || json_is_null(v))
		return DP_OK;
	if (!json_is_object(v))
		return dp_rd_bad(c, "\"source\" is not an object");
	if (json_object_get(v, "server") != NULL) {
		st = dp_rd_get_str(c, v, "server", false, &server);
		if (st == DP_OK)
			st = dp_rd_get_str(c, v, "dnssec", true, &dnssec);
		if (st == DP_OK)
			st = dp_rd_printable(c, "server", server);
		if (st == DP_OK)
			st = dp_rd_printable(c, "dnssec", dnssec);
		if (st == DP_OK && strlen(server) + (dnssec ? strlen(dnssec) : 0) + 2 > size)
			st = dp_rd_bad(c, "\"source\" is too long");
		if (st == DP_OK)
			snprintf(buf, size, "%s%s%s", server, dnssec ? " " : "",
			         dnssec ? dnssec : "");
		*file = st == DP_OK ? buf : NULL;
		return st;
	}
	st = dp_rd_get_str(c, v, "file", false, &f);
	if (st == DP_OK)
		st = dp_rd_printable(c, "file", f);
	if (st == DP_OK)
		st = dp_rd_get_int(c, v, "line", false, 1, UINT32_MAX, &has, &n);
	*file = f;
	*line = (unsigned long)n;
	return st;
}
