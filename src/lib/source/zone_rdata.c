/* SPDX-License-Identifier: BSD-3-Clause */
/* RDATA of the kept types: TXT strings, CAA, CNAME, and RFC 3597 generic data. */
#include "source/zone_rdata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "base/num.h"
#include "source/zone_text.h"

#define RDATA_MAX 65535u /* RFC 1035 3.2.1: RDLENGTH is 16 bits */

/* ---- RDATA ------------------------------------------------------------- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* RFC 3597 "\# len hex..." starting at token i; decoded octets go to r->rdata. */
static enum dp_status decode_generic(struct reader *r, const struct source *s, size_t i)
{
	const struct entry *e = &r->e;
	int64_t len;
	int hi = -1;

	if (i + 1 >= e->n ||
	    dp_parse_int(e->t[i + 1].p, e->t[i + 1].len, false, 0, 65535, &len) != DP_OK)
		return zone_tok_error(r, s, &e->t[i], "generic RDATA needs a length after");
	for (size_t k = i + 2; k < e->n; k++) {
		for (size_t j = 0; j < e->t[k].len; j++) {
			int v = hexval(e->t[k].p[j]);
			if (v < 0)
				return zone_tok_error(r, s, &e->t[k], "not hexadecimal:");
			if (hi < 0) {
				hi = v;
			} else {
				dp_buf_addc(&r->rdata, (char)(hi << 4 | v));
				hi = -1;
			}
		}
	}
	if (hi >= 0 || r->rdata.len != (size_t)len)
		return zone_syntax(r, s, e->t[i].line, e->t[i].col,
		                   "generic RDATA length %lld does not match %zu octets of data",
		                   (long long)len, r->rdata.len + (hi >= 0));
	return dp_buf_status(&r->rdata);
}

static bool is_generic(const struct entry *e, size_t i)
{
	return i < e->n && !e->t[i].quoted && e->t[i].len == 2 && memcmp(e->t[i].p, "\\#", 2) == 0;
}

/* TXT wire data (length-prefixed strings) to joined octets. */
static enum dp_status txt_from_wire(struct reader *r, const struct source *s, const struct tok *t,
                                    struct dp_zrr *rr)
{
	const unsigned char *w = (const unsigned char *)r->rdata.data;
	size_t n = r->rdata.len, i = 0;

	dp_buf_reset(&r->scratch);
	rr->txt_strings = 0;
	while (i < n) {
		size_t l = w[i++];
		if (l > n - i)
			return zone_tok_error(r, s, t, "TXT string overruns the RDATA in");
		dp_buf_add(&r->scratch, w + i, l);
		i += l;
		rr->txt_strings++;
	}
	if (rr->txt_strings == 0)
		return zone_tok_error(r, s, t, "TXT RDATA holds no string:");
	rr->txt = r->scratch.data;
	rr->txt_len = r->scratch.len;
	return dp_buf_status(&r->scratch);
}

enum dp_status zone_parse_txt(struct reader *r, const struct source *s, size_t i, struct dp_zrr *rr)
{
	const struct entry *e = &r->e;
	size_t octets;
	enum dp_status st;

	if (i >= e->n)
		return zone_syntax(r, s, e->t[0].line, 0, "TXT record without RDATA");
	if (is_generic(e, i)) {
		st = decode_generic(r, s, i);
		return st != DP_OK ? st : txt_from_wire(r, s, &e->t[i], rr);
	}
	for (size_t k = i; k < e->n; k++) {
		st = zone_decode_string(r, s, &e->t[k], &r->rdata, &octets);
		if (st != DP_OK)
			return st;
		if (octets > 255)
			return zone_syntax(r, s, e->t[k].line, e->t[k].col,
			                   "TXT character-string of %zu octets (at most 255)",
			                   octets);
		/* on the wire each string has a length octet */
		if (r->rdata.len + (k - i + 1) > RDATA_MAX)
			return zone_syntax(r, s, e->t[k].line, e->t[k].col,
			                   "TXT RDATA longer than %u octets", RDATA_MAX);
	}
	rr->txt = r->rdata.data ? r->rdata.data : "";
	rr->txt_len = r->rdata.len;
	rr->txt_strings = e->n - i;
	return DP_OK;
}

static bool caa_tag_ok(const char *p, size_t len)
{
	if (len == 0 || len > 15)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') ||
		      (p[i] >= '0' && p[i] <= '9')))
			return false;
	return true;
}

/* CAA from generic RDATA: flags, tag length, tag, value. */
static enum dp_status caa_from_wire(struct reader *r, const struct source *s, const struct tok *t,
                                    struct dp_zrr *rr)
{
	const char *w = r->rdata.data;
	size_t n = r->rdata.len, tl;

	tl = n < 2 ? 0 : (unsigned char)w[1];
	if (n < 2 || tl > n - 2 || !caa_tag_ok(w + 2, tl))
		return zone_tok_error(r, s, t,
		                      "CAA generic RDATA is not flags, tag length, tag, value:");
	dp_buf_reset(&r->scratch);
	dp_buf_add(&r->scratch, w + 2, tl);
	rr->caa_flags = (uint8_t)w[0];
	rr->caa_tag = r->scratch.data;
	rr->caa_value = w + 2 + tl;
	rr->caa_value_len = n - 2 - tl;
	return dp_buf_status(&r->scratch);
}

enum dp_status zone_parse_caa(struct reader *r, const struct source *s, size_t i, struct dp_zrr *rr)
{
	const struct entry *e = &r->e;
	int64_t flags;
	size_t octets;
	enum dp_status st;

	if (is_generic(e, i)) {
		st = decode_generic(r, s, i);
		return st != DP_OK ? st : caa_from_wire(r, s, &e->t[i], rr);
	}
	if (i + 3 != e->n)
		return zone_syntax(
		    r, s, e->t[0].line, i < e->n ? e->t[i].col : 0,
		    "CAA needs flags, tag and one value (quote a value with spaces)");
	if (dp_parse_int(e->t[i].p, e->t[i].len, false, 0, 255, &flags) != DP_OK)
		return zone_tok_error(r, s, &e->t[i], "CAA flags must be 0..255, not");
	if (e->t[i + 1].quoted || !caa_tag_ok(e->t[i + 1].p, e->t[i + 1].len))
		return zone_tok_error(r, s, &e->t[i + 1],
		                      "CAA tag must be 1-15 letters and digits, not");
	dp_buf_reset(&r->scratch);
	dp_buf_add(&r->scratch, e->t[i + 1].p, e->t[i + 1].len);
	st = zone_decode_string(r, s, &e->t[i + 2], &r->rdata, &octets);
	if (st != DP_OK)
		return st;
	if (2 + e->t[i + 1].len + octets > RDATA_MAX)
		return zone_syntax(r, s, e->t[i + 2].line, e->t[i + 2].col,
		                   "CAA RDATA longer than %u octets", RDATA_MAX);
	rr->caa_flags = (uint8_t)flags;
	rr->caa_tag = r->scratch.data;
	rr->caa_value = r->rdata.data ? r->rdata.data : "";
	rr->caa_value_len = r->rdata.len;
	return dp_buf_status(&r->scratch);
}

/* CNAME target from generic RDATA: the one place ldns parses for us. */
static enum dp_status cname_from_wire(struct reader *r, const struct source *s, const struct tok *t,
                                      char out[ZNAME_MAX])
{
	ldns_rdf *dname = NULL;
	size_t pos = 0;
	char *str;

	if (ldns_wire2dname(&dname, (const uint8_t *)r->rdata.data, r->rdata.len, &pos) !=
	        LDNS_STATUS_OK ||
	    pos != r->rdata.len) {
		ldns_rdf_deep_free(dname);
		return zone_tok_error(r, s, t, "CNAME generic RDATA is not one uncompressed name:");
	}
	str = ldns_rdf2str(dname);
	ldns_rdf_deep_free(dname);
	if (str == NULL)
		return DP_ENOMEM;
	size_t n = strlen(str);
	if (n > 0 && str[n - 1] == '.')
		str[--n] = '\0';
	for (size_t k = 0; k < n; k++)
		if (str[k] >= 'A' && str[k] <= 'Z')
			str[k] = (char)(str[k] - 'A' + 'a');
	snprintf(out, ZNAME_MAX, "%s", str);
	free(str);
	return DP_OK;
}

enum dp_status zone_parse_cname(struct reader *r, const struct source *s, size_t i,
                                char target[ZNAME_MAX])
{
	const struct entry *e = &r->e;
	enum dp_status st;

	if (is_generic(e, i)) {
		st = decode_generic(r, s, i);
		return st != DP_OK ? st : cname_from_wire(r, s, &e->t[i], target);
	}
	if (i + 1 != e->n)
		return zone_syntax(r, s, e->t[0].line, i < e->n ? e->t[i].col : 0,
		                   "CNAME needs exactly one target name");
	return zone_resolve_name(r, s, &e->t[i], s->origin, s->has_origin, target);
}
