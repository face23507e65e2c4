/* SPDX-License-Identifier: BSD-3-Clause */
/* Domain-name helpers: normalization and whole-label comparisons. */
#include "base/name.h"

#include <idn2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define IDN_FLAGS (IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL)

static bool is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_host_char(unsigned char c)
{
	return is_alnum(c) || c == '-' || c == '_';
}

/* Check one label [p, p+len) of a name being normalized; i is its index. */
static enum dp_status check_label(const char *in, const char *p, size_t len, size_t i,
                                  struct dp_error *err)
{
	size_t k;

	if (len == 0)
		return dp_error_set(err, DP_ESYNTAX, NULL, 0, 0, "'%s': empty label", in);
	if (len > 63)
		return dp_error_set(err, DP_ESYNTAX, NULL, 0, 0,
		                    "'%s': label longer than 63 octets", in);
	if (len == 1 && p[0] == '*') {
		if (i != 0)
			return dp_error_set(err, DP_ESYNTAX, NULL, 0, 0,
			                    "'%s': '*' is only allowed as the leftmost label", in);
		return DP_OK;
	}
	for (k = 0; k < len; k++) {
		unsigned char c = (unsigned char)p[k];
		if (c >= 0x80)
			return dp_error_set(err, DP_ESYNTAX, NULL, 0, 0,
			                    "'%s': not ASCII; give the A-label form (xn--...)", in);
		if (!is_host_char(c))
			return dp_error_set(err, DP_ESYNTAX, NULL, 0, 0,
			                    "'%s': character '%c' is not allowed in a host name",
			                    in, c >= 0x20 && c < 0x7f ? c : '?');
	}
	return DP_OK;
}

enum dp_status dp_name_normalize(const char *in, char out[DP_NAME_MAX], struct dp_error *err)
{
	size_t len = strlen(in), i, start, label = 0;
	enum dp_status st;

	if (len > 0 && in[len - 1] == '.')
		len--;
	if (len == 0)
		return dp_error_set(err, DP_ESYNTAX, NULL, 0, 0, "empty domain name");
	if (len > 253)
		return dp_error_set(err, DP_ESYNTAX, NULL, 0, 0,
		                    "domain name longer than 253 octets");
	for (i = 0, start = 0; i <= len; i++) {
		if (i < len && in[i] != '.')
			continue;
		st = check_label(in, in + start, i - start, label++, err);
		if (st != DP_OK)
			return st;
		start = i + 1;
	}
	for (i = 0; i < len; i++)
		out[i] = (in[i] >= 'A' && in[i] <= 'Z') ? (char)(in[i] - 'A' + 'a') : in[i];
	out[len] = '\0';
	return DP_OK;
}

static bool is_ascii(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

/* Why libidn2 refused a label, in words a user can act on. */
static const char *idn_reason(int rc)
{
	switch (rc) {
	case IDN2_ENCODING_ERROR:
		return "not valid UTF-8";
	case IDN2_DISALLOWED:
		return "holds a character IDNA2008 does not allow in names";
	case IDN2_LEADING_COMBINING:
		return "starts with a combining mark";
	case IDN2_BIDI:
		return "mixes right-to-left and left-to-right text in a way IDNA2008 forbids";
	case IDN2_TOO_BIG_LABEL:
	case IDN2_PUNYCODE_BIG_OUTPUT:
		return "its A-label would be longer than 63 octets";
	default:
		return idn2_strerror(rc);
	}
}

/* Append n bytes of s to buf (size bytes) at *used; false when it would not fit. */
static bool append(char *buf, size_t size, size_t *used, const char *s, size_t n)
{
	if (*used + n >= size)
		return false;
	memcpy(buf + *used, s, n);
	*used += n;
	return true;
}

static enum dp_status too_long(const char *in, struct dp_error *err)
{
	return dp_error_set(err, DP_ESYNTAX, NULL, 0, 0, "'%s': domain name longer than 253 octets",
	                    in);
}

/* Append the A-label of label i, [p, p+len), to buf; ASCII labels as they are. */
static enum dp_status add_label(const char *in, const char *p, size_t len, size_t i, char *buf,
                                size_t size, size_t *used, struct dp_error *err)
{
	char label[256], *a = NULL;
	int rc;
	bool fits;

	if (is_ascii(p, len)) /* checked by dp_name_normalize afterwards */
		return append(buf, size, used, p, len) ? DP_OK : too_long(in, err);
	if (len >= sizeof(label))
		return dp_error_set(err, DP_ESYNTAX, NULL, 0, 0,
		                    "'%s': label %zu is longer than 63 octets", in, i + 1);
	memcpy(label, p, len);
	label[len] = '\0';
	rc = idn2_to_ascii_8z(label, &a, IDN_FLAGS);
	if (rc != IDN2_OK)
		return dp_error_set(err, rc == IDN2_MALLOC ? DP_ENOMEM : DP_ESYNTAX, NULL, 0, 0,
		                    "'%s': label %zu '%s' %s", in, i + 1, label, idn_reason(rc));
	fits = append(buf, size, used, a, strlen(a));
	idn2_free(a);
	return fits ? DP_OK : too_long(in, err);
}

enum dp_status dp_name_from_input(const char *in, char out[DP_NAME_MAX], struct dp_error *err)
{
	char buf[4 * DP_NAME_MAX];
	size_t len = strlen(in), i, start, label = 0, used = 0;
	enum dp_status st;

	if (is_ascii(in, len))
		return dp_name_normalize(in, out, err);
	if (len >= sizeof(buf))
		return too_long(in, err);
	for (i = 0, start = 0; i <= len; i++) {
		if (i < len && in[i] != '.')
			continue;
		st = add_label(in, in + start, i - start, label++, buf, sizeof(buf), &used, err);
		if (st != DP_OK)
			return st;
		if (i < len && !append(buf, sizeof(buf), &used, ".", 1))
			return too_long(in, err);
		start = i + 1;
	}
	buf[used] = '\0';
	return dp_name_normalize(buf, out, err);
}

/* The U-label of the A-label [p, p+len), checked by converting it back. */
static char *to_ulabel(const char *p, size_t len)
{
	char label[64], *u = NULL, *back = NULL;
	bool ok;

	if (len >= sizeof(label))
		return NULL;
	for (size_t i = 0; i < len; i++) /* lower case: punycode keeps case annotations */
		label[i] = (p[i] >= 'A' && p[i] <= 'Z') ? (char)(p[i] - 'A' + 'a') : p[i];
	label[len] = '\0';
	if (idn2_to_unicode_8z8z(label, &u, 0) != IDN2_OK)
		return NULL;
	ok = idn2_to_ascii_8z(u, &back, IDN_FLAGS) == IDN2_OK && strcasecmp(back, label) == 0;
	idn2_free(back);
	if (!ok) {
		idn2_free(u);
		return NULL;
	}
	return u;
}

static bool is_alabel(const char *label)
{
	return strncasecmp(label, "xn--", 4) == 0;
}

static bool has_alabel(const char *name)
{
	for (const char *p = name;; p++) {
		if (is_alabel(p))
			return true;
		p = strchr(p, '.');
		if (p == NULL)
			return false;
	}
}

/* Append label [p, p+len) to out (cap bytes) at *used, decoded when an A-label. */
static bool add_ulabel(char *out, size_t cap, size_t *used, const char *p, size_t len)
{
	char *u;
	bool ok;

	if (!is_alabel(p))
		return append(out, cap, used, p, len);
	u = to_ulabel(p, len);
	ok = u != NULL && append(out, cap, used, u, strlen(u));
	idn2_free(u);
	return ok;
}

char *dp_name_to_display(const char *name)
{
	size_t cap = 4 * strlen(name) + 1, used = 0;
	char *out;

	if (!has_alabel(name))
		return NULL;
	out = malloc(cap);
	if (out == NULL)
		return NULL;
	for (const char *p = name;;) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);
		/* an A-label that does not decode: no display form at all */
		if (!add_ulabel(out, cap, &used, p, len) ||
		    (dot != NULL && !append(out, cap, &used, ".", 1))) {
			free(out);
			return NULL;
		}
		if (dot == NULL)
			break;
		p = dot + 1;
	}
	out[used] = '\0';
	return out;
}

bool dp_name_is_wildcard(const char *name)
{
	return name[0] == '*' && name[1] == '.';
}

const char *dp_name_strip_wildcard(const char *name)
{
	return dp_name_is_wildcard(name) ? name + 2 : name;
}

const char *dp_name_parent(const char *name)
{
	const char *dot = strchr(name, '.');
	return dot ? dot + 1 : NULL;
}

bool dp_name_equal(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

bool dp_name_is_below(const char *name, const char *ancestor)
{
	size_t n = strlen(name), a = strlen(ancestor);

	if (a == 0)
		return n > 0;
	if (n <= a + 1)
		return false;
	return name[n - a - 1] == '.' && strcasecmp(name + n - a, ancestor) == 0;
}

size_t dp_name_label_count(const char *name)
{
	size_t n = 0;

	if (*name == '\0')
		return 0;
	for (n = 1; *name; name++)
		n += (*name == '.');
	return n;
}

bool dp_name_is_issuer_grammar(const char *s, size_t len)
{
	size_t i, start = 0;

	if (len == 0 || len > 253)
		return false;
	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '.') {
			if (!is_alnum((unsigned char)s[i]) && s[i] != '-')
				return false;
			continue;
		}
		/* label [start, i): alnum at both ends, 1..63 */
		if (i == start || i - start > 63)
			return false;
		if (!is_alnum((unsigned char)s[start]) || !is_alnum((unsigned char)s[i - 1]))
			return false;
		start = i + 1;
	}
	return true;
}
