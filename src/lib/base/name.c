/* SPDX-License-Identifier: BSD-3-Clause */
/* Domain-name helpers: normalization and whole-label comparisons. */
#include "base/name.h"

#include <string.h>
#include <strings.h>

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
