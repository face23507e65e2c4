/* SPDX-License-Identifier: BSD-3-Clause */
/* Names, numbers and mnemonics as a zone file writes them: decoding, TTLs, classes, types. */
#include "source/zone_text.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <ldns/ldns.h>

#include "base/num.h"
#include "base/timeutil.h"
#include "source/zone_scan.h"

/* ---- names, numbers, strings ------------------------------------------ */

static bool host_octet(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '*';
}

/* Decode one escape at t[*i] (just after a backslash) into *octet. */
static bool decode_escape(const char *t, size_t len, size_t *i, unsigned char *octet)
{
	if (*i >= len)
		return false;
	if (t[*i] >= '0' && t[*i] <= '9') {
		int64_t v;
		if (*i + 3 > len || dp_parse_int(t + *i, 3, false, 0, 255, &v) != DP_OK)
			return false;
		*octet = (unsigned char)v;
		*i += 3;
		return true;
	}
	*octet = (unsigned char)t[(*i)++];
	return true;
}

/* Append the octets of a character-string token (escapes decoded). */
enum dp_status zone_decode_string(struct reader *r, const struct source *s, const struct tok *t,
                                  struct dp_buf *out, size_t *octets)
{
	unsigned char c;
	size_t start = out->len;

	if (!t->escaped) {
		dp_buf_add(out, t->p, t->len);
		*octets = t->len;
		return dp_buf_status(out);
	}
	for (size_t i = 0; i < t->len;) {
		if (t->p[i] == '\\') {
			i++;
			if (!decode_escape(t->p, t->len, &i, &c))
				return zone_tok_error(r, s, t, "bad escape in");
		} else {
			c = (unsigned char)t->p[i++];
		}
		dp_buf_addc(out, (char)c);
	}
	*octets = out->len - start;
	return dp_buf_status(out);
}

#define NAME_WIRE_MAX 255 /* RFC 1035 2.3.4: octets on the wire, root label included */

static const char name_too_long[] = "name longer than 255 octets:";

struct name_out {
	char *p;
	size_t len, label_octets;
	size_t wire; /* octets of the finished labels, length octets included, root not */
};

/* Add one octet to the current label; a message when it does not fit. */
static const char *name_put(struct name_out *o, unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		c = (unsigned char)(c - 'A' + 'a');
	if (++o->label_octets > 63)
		return "label longer than 63 octets in";
	if (o->wire + o->label_octets + 1 + 1 > NAME_WIRE_MAX || o->len + 5 >= ZNAME_MAX)
		return name_too_long;
	if (host_octet(c))
		o->p[o->len++] = (char)c;
	else
		o->len += (size_t)snprintf(o->p + o->len, 5, "\\%03u", c);
	return NULL;
}

static const char *name_end_label(struct name_out *o)
{
	if (o->label_octets == 0)
		return "empty label in";
	o->wire += o->label_octets + 1;
	o->label_octets = 0;
	return NULL;
}

/*
 * Decode the name in token t to presentation form in out; *absolute tells
 * whether it ended with an unescaped dot, *wire how many octets its labels
 * take on the wire (the root's not counted). Returns a message or NULL.
 */
static const char *decode_name(const struct tok *t, char out[ZNAME_MAX], bool *absolute,
                               size_t *wire)
{
	struct name_out o = {out, 0, 0, 0};
	const char *why;
	unsigned char c;

	*absolute = false;
	*wire = 0;
	if (t->len == 1 && t->p[0] == '.') {
		*absolute = true;
		out[0] = '\0';
		return NULL;
	}
	for (size_t i = 0; i < t->len;) {
		if (t->p[i] == '.') {
			why = name_end_label(&o);
			if (why != NULL)
				return why;
			if (++i == t->len)
				*absolute = true;
			else
				o.p[o.len++] = '.';
			continue;
		}
		if (t->p[i] == '\\') {
			i++;
			if (!decode_escape(t->p, t->len, &i, &c))
				return "bad escape in";
		} else {
			c = (unsigned char)t->p[i++];
		}
		why = name_put(&o, c);
		if (why != NULL)
			return why;
	}
	if (!*absolute) {
		why = name_end_label(&o);
		if (why != NULL)
			return why;
	}
	out[o.len] = '\0';
	*wire = o.wire;
	return NULL;
}

/* Wire octets of a name of n characters in our presentation form (every escape is \DDD). */
static size_t wire_length(const char *name, size_t n)
{
	size_t escapes = 0;

	if (n == 0)
		return 1;
	for (const char *p = name; (p = memchr(p, '\\', n - (size_t)(p - name))) != NULL; p++)
		escapes++;
	return n - 3 * escapes + 2;
}

/* A host-name octet lower-cased; 0 for any other octet (dots included). */
static unsigned char plain_octet(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return (unsigned char)(c - 'A' + 'a');
	return host_octet(c) ? c : 0;
}

/*
 * The name nearly every entry has: letters, digits, '-', '_' and '*' in
 * labels of 1 to 63 octets, copied lower-cased in one pass. False for
 * anything else (escapes, '@', the root, empty or long labels, long names),
 * which decode_name reads and, when wrong, explains; the same output.
 */
static bool plain_name(const struct tok *t, char out[ZNAME_MAX], bool *absolute, size_t *wire)
{
	size_t label = 0;

	/* 253 octets keep the name and its root within 255 on the wire */
	if (t->escaped || t->len == 0 || t->len > 253)
		return false;
	for (size_t i = 0; i < t->len; i++) {
		unsigned char c = (unsigned char)t->p[i];
		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
			out[i] = '.';
			continue;
		}
		c = plain_octet(c);
		if (c == 0 || ++label > 63)
			return false;
		out[i] = (char)c;
	}
	*absolute = label == 0;
	out[t->len - *absolute] = '\0';
	*wire = t->len - *absolute + 1;
	return true;
}

static enum dp_status no_origin(struct reader *r, const struct source *s, const struct tok *t)
{
	char q[QUOTE_SIZE];

	zone_quote(q, sizeof(q), t->p, t->len);
	return dp_error_set(r->err, DP_ENOORIGIN, s->shown, t->line, t->col,
	                    "relative name '%s' but no origin: add $ORIGIN, give --origin, or "
	                    "name the file after the zone (example.com.zone, db.example.com)",
	                    q);
}

/* Resolve a name token against origin into out (absolute, no trailing dot). */
enum dp_status zone_resolve_name(struct reader *r, const struct source *s, const struct tok *t,
                                 const char *origin, bool has_origin, char out[ZNAME_MAX])
{
	bool absolute;
	const char *why;
	size_t n, wire, olen;

	if (t->len == 1 && t->p[0] == '@' && !t->quoted) {
		if (!has_origin)
			return no_origin(r, s, t);
		memmove(out, origin, strlen(origin) + 1);
		return DP_OK;
	}
	why = zone_scan_skim() && plain_name(t, out, &absolute, &wire)
	          ? NULL
	          : decode_name(t, out, &absolute, &wire);
	if (why != NULL)
		return zone_tok_error(r, s, t, why);
	if (absolute)
		return DP_OK;
	if (!has_origin)
		return no_origin(r, s, t);
	olen = strlen(origin);
	if (wire + wire_length(origin, olen) > NAME_WIRE_MAX)
		return zone_tok_error(r, s, t, "name longer than 255 octets with the origin:");
	n = strlen(out);
	if (olen > 0) {
		if (n + 1 + olen + 1 > ZNAME_MAX)
			return zone_tok_error(r, s, t, name_too_long);
		out[n] = '.';
		memcpy(out + n + 1, origin, olen + 1);
	}
	return DP_OK;
}

/*
 * A TTL: seconds, or BIND units (1h30m, 2D), at most 2^32-1. Above 2^31-1
 * it reads as 0 (RFC 2181 section 8; BIND warns and does the same) and
 * *big is set.
 */
bool zone_parse_ttl(const struct tok *t, uint32_t *out, bool *big)
{
	char low[32];
	int64_t v;

	if (t->len == 0 || t->len >= sizeof(low) || t->quoted)
		return false;
	for (size_t i = 0; i < t->len; i++)
		low[i] = (char)((t->p[i] >= 'A' && t->p[i] <= 'Z') ? t->p[i] - 'A' + 'a' : t->p[i]);
	low[t->len] = '\0';
	if (dp_duration_parse(low, &v, NULL) != DP_OK || v > UINT32_MAX)
		return false;
	*big = v > INT32_MAX;
	*out = *big ? 0 : (uint32_t)v;
	return true;
}

/* Case-insensitive match of an unquoted token against an upper-case literal. */
bool zone_tok_is(const struct tok *t, const char *lit)
{
	size_t i = 0;

	if (t->quoted)
		return false;
	for (; i < t->len && lit[i] != '\0'; i++)
		if ((t->p[i] & ~0x20) != lit[i] && t->p[i] != lit[i])
			return false;
	return i == t->len && lit[i] == '\0';
}

/*
 * Does t[0..n) spell lit, lower-case letters only, in either case? c | 0x20
 * also maps NUL to ' ' and '@' to '`', but no letter: exact for letters.
 */
static bool folds_to(const char *t, const char *lit, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)t[i] | 0x20) != (unsigned char)lit[i])
			return false;
	return true;
}

/* 1 for IN, 2 for another class, 0 when the token is not a class. */
int zone_classify_class(const struct tok *t)
{
	int64_t v;

	if (t->quoted)
		return 0;
	switch (t->len) {
	case 2: /* IN, the class of nearly every entry that names one */
		if (folds_to(t->p, "in", 2))
			return 1;
		return folds_to(t->p, "ch", 2) || folds_to(t->p, "cs", 2) || folds_to(t->p, "hs", 2)
		           ? 2
		           : 0;
	case 3:
		return folds_to(t->p, "any", 3) ? 2 : 0;
	case 4:
		return folds_to(t->p, "none", 4) ? 2 : 0;
	}
	if (t->len > 5 && folds_to(t->p, "class", 5) &&
	    dp_parse_int(t->p + 5, t->len - 5, false, 0, 65535, &v) == DP_OK)
		return v == 1 ? 1 : 2;
	return 0;
}

/* The types most zones are made of, by length: no table search, no copy. */
static uint16_t common_type(const struct tok *t)
{
	const char *p = t->p;

	switch (t->len) {
	case 1:
		return (p[0] | 0x20) == 'a' ? 1 : 0;
	case 2:
		return folds_to(p, "ns", 2)   ? 2
		       : folds_to(p, "mx", 2) ? 15
		       : folds_to(p, "ds", 2) ? 43
		                              : 0;
	case 3:
		return folds_to(p, "txt", 3)   ? DP_RR_TXT
		       : folds_to(p, "caa", 3) ? DP_RR_CAA
		       : folds_to(p, "soa", 3) ? 6
		       : folds_to(p, "ptr", 3) ? 12
		       : folds_to(p, "srv", 3) ? 33
		                               : 0;
	case 4:
		return folds_to(p, "aaaa", 4) ? 28 : 0;
	case 5:
		return folds_to(p, "cname", 5) ? DP_RR_CNAME : 0;
	}
	return 0;
}

/* Type code of a mnemonic or TYPEnnn; 0 when unknown. Common types without ldns. */
uint16_t zone_classify_type(const struct tok *t)
{
	char name[32];
	int64_t v;
	uint16_t common = t->quoted ? 0 : common_type(t);

	if (common != 0)
		return common;
	if (t->quoted || t->len == 0 || t->len >= sizeof(name))
		return 0;
	if (t->len > 4 && strncasecmp(t->p, "TYPE", 4) == 0)
		return dp_parse_int(t->p + 4, t->len - 4, false, 0, 65535, &v) == DP_OK
		           ? (uint16_t)v
		           : 0;
	v = zone_type_by_name(t->p, t->len);
	if (v != 0)
		return (uint16_t)v;
	memcpy(name, t->p, t->len); /* the few our table leaves out (UINFO...) */
	name[t->len] = '\0';
	return (uint16_t)ldns_get_rr_type_by_name(name);
}
