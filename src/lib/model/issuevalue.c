/* SPDX-License-Identifier: BSD-3-Clause */
/* RFC 8659 issue-value lexing: one definition of WSP, tags and values. */
#include "model/issuevalue.h"

#include <string.h>
#include <strings.h>

#include "base/name.h"

static bool is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

struct dp_span dp_span_trim(const char *p, size_t len)
{
	while (len > 0 && is_wsp(*p)) {
		p++;
		len--;
	}
	while (len > 0 && is_wsp(p[len - 1]))
		len--;
	return (struct dp_span){p, len};
}

bool dp_span_is(struct dp_span s, const char *lit, bool icase)
{
	size_t n = strlen(lit);

	if (s.len != n)
		return false;
	return icase ? strncasecmp(s.p, lit, n) == 0 : memcmp(s.p, lit, n) == 0;
}

bool dp_issue_value_ok(struct dp_span v)
{
	for (size_t i = 0; i < v.len; i++) {
		unsigned char c = (unsigned char)v.p[i];
		if (c < 0x21 || c > 0x7e || c == ';')
			return false;
	}
	return true;
}

bool dp_issue_tag_ok(struct dp_span tag)
{
	/* A tag is one label of the issuer-domain-name grammar. */
	return dp_name_is_issuer_grammar(tag.p, tag.len) && memchr(tag.p, '.', tag.len) == NULL;
}
