/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Lexical pieces of the RFC 8659 issue-value grammar, shared by the
 * _validation-persist record parser and the CAA issue/issuewild parser.
 */
#ifndef DP_ISSUEVALUE_H
#define DP_ISSUEVALUE_H

#include <stdbool.h>
#include <stddef.h>

/* A borrowed slice of an input value. */
struct dp_span {
	const char *p;
	size_t len;
};

/* The slice without leading and trailing WSP (space and tab only). */
struct dp_span dp_span_trim(const char *p, size_t len);
/* Exact length and bytes, or case-insensitive ASCII when icase. */
bool dp_span_is(struct dp_span s, const char *lit, bool icase);
/* parameter-value = *(%x21-3A / %x3C-7E): printable ASCII, no space, no ';'. */
bool dp_issue_value_ok(struct dp_span v);
/* parameter-tag = (ALPHA / DIGIT) *( *("-") (ALPHA / DIGIT)). */
bool dp_issue_tag_ok(struct dp_span tag);

#endif
