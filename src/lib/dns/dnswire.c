/* SPDX-License-Identifier: BSD-3-Clause */
/* Building queries and judging responses with ldns; no I/O. */
#include "dns/dnswire.h"

#include <ctype.h>
#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/name.h"

const char *dp_dns_kind_name(enum dp_dns_kind k)
{
	static const char *const names[] = {"NOERROR", "NODATA",  "NXDOMAIN", "SERVFAIL",
	                                    "REFUSED", "timeout", "error"};
	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}

bool dp_dns_kind_ok(enum dp_dns_kind k)
{
	return k == DP_DNS_DATA || k == DP_DNS_NODATA || k == DP_DNS_NXDOMAIN;
}

const char *dp_dnssec_name(enum dp_dnssec s)
{
	static const char *const names[] = {"unchecked", "insecure", "secure", "bogus"};
	return (unsigned)s < 4 ? names[s] : "?";
}

/*
 * ldns turns the name into wire form (its escapes and limits); the 12-octet
 * header, the question's type and class and the OPT RR are fixed fields
 * written here: ldns_pkt2wire's name compression cost a quarter of the
 * engine's time and a query has nothing to compress.
 */
enum dp_status dp_dns_query_wire(const char *qname, uint16_t qtype, uint16_t id, bool rd, bool cd,
                                 bool dnssec, uint8_t **wire, size_t *len)
{
	ldns_rdf *name = ldns_dname_new_frm_str(qname);
	size_t nlen, n = 0;
	uint8_t *w;

	*wire = NULL;
	if (name == NULL)
		return DP_EINVAL;
	nlen = ldns_rdf_size(name);
	w = malloc(12 + nlen + 4 + 11);
	if (w == NULL) {
		ldns_rdf_deep_free(name);
		return DP_ENOMEM;
	}
	w[n++] = (uint8_t)(id >> 8);
	w[n++] = (uint8_t)id;
	w[n++] = rd ? 0x01 : 0x00;            /* QR=0, opcode QUERY, RD */
	w[n++] = cd ? 0x10 : 0x00;            /* CD */
	memcpy(w + n, "\0\1\0\0\0\0\0\1", 8); /* QD 1, AN 0, NS 0, AR 1 (OPT) */
	n += 8;
	memcpy(w + n, ldns_rdf_data(name), nlen);
	n += nlen;
	ldns_rdf_deep_free(name);
	w[n++] = (uint8_t)(qtype >> 8);
	w[n++] = (uint8_t)qtype;
	w[n++] = 0;
	w[n++] = 1; /* class IN */
	/* OPT: root owner, type 41, 1232 octets (DNS Flag Day 2020: no fragments), DO */
	memcpy(w + n, "\0\0\x29\x04\xd0\0\0", 7);
	n += 7;
	w[n++] = dnssec ? 0x80 : 0x00;
	w[n++] = 0;
	w[n++] = 0;
	w[n++] = 0; /* RDLENGTH 0 */
	*wire = w;
	*len = n;
	return DP_OK;
}

/*
 * A name as our presentation form (lower case, no trailing dot, the root as
 * ""), in the arena, straight from its wire labels: letters, digits, '-'
 * and '_' as they are, anything else as \\DDD, so that hostile labels
 * cannot forge dots or bytes in our text.
 */
static const char *name_of(struct dp_arena *a, const ldns_rdf *rdf)
{
	const uint8_t *d = ldns_rdf_data(rdf);
	size_t size = ldns_rdf_size(rdf), i = 0, o = 0;
	char *out = dp_arena_alloc(a, size * 4 + 1);

	if (out == NULL)
		return NULL;
	while (i < size && d[i] != 0) {
		size_t len = d[i++];
		if (o > 0)
			out[o++] = '.';
		for (size_t k = 0; k < len && i < size; k++, i++) {
			unsigned c = d[i];
			if (isalnum(c) || c == '-' || c == '_' || c == '*')
				out[o++] = (char)tolower(c);
			else
				o += (size_t)snprintf(out + o, 5, "\\%03u", c);
		}
	}
	out[o] = '\0';
	return out;
}

/* Is the response about our question? */
static bool answers(const ldns_pkt *pkt, uint16_t id, const ldns_rdf *qname, uint16_t qtype)
{
	const ldns_rr_list *q = ldns_pkt_question(pkt);
	const ldns_rr *rr;

	if (!ldns_pkt_qr(pkt) || ldns_pkt_id(pkt) != id || ldns_pkt_qdcount(pkt) != 1 ||
	    q == NULL || ldns_rr_list_rr_count(q) != 1)
		return false;
	rr = ldns_rr_list_rr(q, 0);
	return ldns_rr_get_type(rr) == qtype && ldns_rr_get_class(rr) == LDNS_RR_CLASS_IN &&
	       ldns_dname_compare(ldns_rr_owner(rr), qname) == 0;
}

/* The CNAME target at owner in the answer section, or NULL. */
static const ldns_rdf *cname_at(const ldns_rr_list *an, const ldns_rdf *owner)
{
	for (size_t i = 0; i < ldns_rr_list_rr_count(an); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(an, i);
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_CNAME && ldns_rr_rd_count(rr) == 1 &&
		    ldns_dname_compare(ldns_rr_owner(rr), owner) == 0)
			return ldns_rr_rdf(rr, 0);
	}
	return NULL;
}

static bool has_type_at(const ldns_rr_list *an, const ldns_rdf *owner, uint16_t qtype)
{
	for (size_t i = 0; i < ldns_rr_list_rr_count(an); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(an, i);
		if (ldns_rr_get_type(rr) == qtype &&
		    ldns_dname_compare(ldns_rr_owner(rr), owner) == 0)
			return true;
	}
	return false;
}

/*
 * Follow the chain from qname; the names on it (qname first, the final
 * owner last) go to seen, their number to *n_seen.
 */
static enum dp_status follow(struct dp_arena *a, const ldns_rr_list *an, const ldns_rdf *qname,
                             uint16_t qtype, struct dp_dns_answer *out,
                             const ldns_rdf *seen[DP_DNS_MAX_CHAIN + 1], size_t *n_seen)
{
	const ldns_rdf *cur = qname, *next;
	size_t n = 0;

	out->chain = dp_arena_alloc(a, sizeof(*out->chain) * DP_DNS_MAX_CHAIN);
	if (out->chain == NULL)
		return DP_ENOMEM;
	seen[n] = cur;
	while (!has_type_at(an, cur, qtype)) {
		next = cname_at(an, cur);
		if (next == NULL)
			break;
		for (size_t i = 0; i <= n; i++)
			if (ldns_dname_compare(seen[i], next) == 0) {
				out->detail = "CNAME loop";
				return DP_ELIMIT;
			}
		if (n == DP_DNS_MAX_CHAIN) {
			out->detail = "CNAME chain longer than 8";
			return DP_ELIMIT;
		}
		out->chain[n] = name_of(a, next);
		if (out->chain[n] == NULL)
			return DP_ENOMEM;
		seen[++n] = cur = next;
	}
	out->n_chain = n;
	*n_seen = n + 1;
	return DP_OK;
}

/*
 * At a name of the chain an answer holds the CNAME, the type asked, or
 * their signatures (RFC 1034 4.3.2, RFC 4035 3.1.1); an RR of any other
 * type there answers another question (RRs at other names, a DNAME's
 * owner for one, say nothing about ours).
 */
static bool foreign_type(const ldns_rr_list *an, const ldns_rdf *const *seen, size_t n_seen,
                         uint16_t qtype)
{
	for (size_t i = 0; i < ldns_rr_list_rr_count(an); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(an, i);
		ldns_rr_type t = ldns_rr_get_type(rr);
		if (t == qtype || t == LDNS_RR_TYPE_CNAME || t == LDNS_RR_TYPE_RRSIG)
			continue;
		for (size_t k = 0; k < n_seen; k++)
			if (ldns_dname_compare(ldns_rr_owner(rr), seen[k]) == 0)
				return true;
	}
	return false;
}

/* TXT: the character-strings joined (ldns keeps each with its length octet). */
static bool txt_rr(struct dp_arena *a, const ldns_rr *rr, struct dp_dns_rr *o)
{
	size_t total = 0, off = 0;
	char *buf;

	for (size_t i = 0; i < ldns_rr_rd_count(rr); i++)
		total += ldns_rdf_size(ldns_rr_rdf(rr, i)) - 1;
	buf = dp_arena_alloc(a, total + 1);
	if (buf == NULL)
		return false;
	for (size_t i = 0; i < ldns_rr_rd_count(rr); i++) {
		const ldns_rdf *f = ldns_rr_rdf(rr, i);
		memcpy(buf + off, ldns_rdf_data(f) + 1, ldns_rdf_size(f) - 1);
		off += ldns_rdf_size(f) - 1;
	}
	buf[total] = '\0';
	o->data = buf;
	o->len = total;
	return true;
}

/* CAA: flags, tag (length-prefixed in ldns), value. */
static bool caa_rr(struct dp_arena *a, const ldns_rr *rr, struct dp_dns_rr *o)
{
	const ldns_rdf *fl, *tag, *val;

	if (ldns_rr_rd_count(rr) != 3)
		return false;
	fl = ldns_rr_rdf(rr, 0);
	tag = ldns_rr_rdf(rr, 1);
	val = ldns_rr_rdf(rr, 2);
	if (ldns_rdf_size(fl) != 1 || ldns_rdf_size(tag) < 1)
		return false;
	o->flags = ldns_rdf_data(fl)[0];
	o->tag = dp_arena_strndup(a, (const char *)ldns_rdf_data(tag) + 1, ldns_rdf_size(tag) - 1);
	o->data = dp_arena_strndup(a, (const char *)ldns_rdf_data(val), ldns_rdf_size(val));
	o->len = ldns_rdf_size(val);
	return o->tag != NULL && o->data != NULL;
}

/* Anything else (NS, A, AAAA, CNAME): the RDATA as text. */
static bool text_rr(struct dp_arena *a, const ldns_rr *rr, struct dp_dns_rr *o)
{
	char *s;

	if (ldns_rr_rd_count(rr) < 1)
		return false;
	if (ldns_rdf_get_type(ldns_rr_rdf(rr, 0)) == LDNS_RDF_TYPE_DNAME) {
		o->data = name_of(a, ldns_rr_rdf(rr, 0));
	} else {
		s = ldns_rdf2str(ldns_rr_rdf(rr, 0));
		o->data = s ? dp_arena_strdup(a, s) : NULL;
		free(s);
	}
	o->len = o->data ? strlen(o->data) : 0;
	return o->data != NULL;
}

static enum dp_status collect(struct dp_arena *a, const ldns_rr_list *an, const ldns_rdf *owner,
                              uint16_t qtype, struct dp_dns_answer *out)
{
	struct dp_dns_rr **tail = &out->rrs;

	for (size_t i = 0; i < ldns_rr_list_rr_count(an); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(an, i);
		struct dp_dns_rr *o;
		bool ok;
		if (ldns_rr_get_type(rr) != qtype ||
		    ldns_dname_compare(ldns_rr_owner(rr), owner) != 0)
			continue;
		o = dp_arena_alloc(a, sizeof(*o));
		if (o == NULL)
			return DP_ENOMEM;
		memset(o, 0, sizeof(*o));
		ok = qtype == DP_DNS_TXT   ? txt_rr(a, rr, o)
		     : qtype == DP_DNS_CAA ? caa_rr(a, rr, o)
		                           : text_rr(a, rr, o);
		if (!ok) {
			out->detail = "malformed RDATA";
			return DP_ESYNTAX;
		}
		*tail = o;
		tail = &o->next;
		out->n_rrs++;
	}
	return DP_OK;
}

static const char *soa_zone(struct dp_arena *a, const ldns_pkt *pkt)
{
	const ldns_rr_list *ns = ldns_pkt_authority(pkt);

	for (size_t i = 0; i < ldns_rr_list_rr_count(ns); i++)
		if (ldns_rr_get_type(ldns_rr_list_rr(ns, i)) == LDNS_RR_TYPE_SOA)
			return name_of(a, ldns_rr_owner(ldns_rr_list_rr(ns, i)));
	return NULL;
}

static enum dp_dns_kind kind_of(unsigned rc, size_t n_rrs)
{
	switch (rc) {
	case LDNS_RCODE_NOERROR:
		return n_rrs > 0 ? DP_DNS_DATA : DP_DNS_NODATA;
	case LDNS_RCODE_NXDOMAIN:
		return DP_DNS_NXDOMAIN;
	case LDNS_RCODE_SERVFAIL:
		return DP_DNS_SERVFAIL;
	case LDNS_RCODE_REFUSED:
		return DP_DNS_REFUSED;
	default:
		return DP_DNS_ERROR;
	}
}

/*
 * The 12-bit RCODE (RFC 6891 6.1.3): the OPT TTL's high octet is its upper
 * eight bits, the header's four bits the lower ones. A response without
 * OPT has an extended part of 0.
 */
static unsigned full_rcode(const ldns_pkt *pkt)
{
	return (unsigned)ldns_pkt_edns_extended_rcode(pkt) << 4 | (ldns_pkt_get_rcode(pkt) & 0xf);
}

/* The name of an RCODE that is no answer, in a; NULL when out of memory. */
static const char *rcode_name(struct dp_arena *a, unsigned rc)
{
	const ldns_lookup_table *lt = ldns_lookup_by_id(ldns_rcodes, (int)rc);
	char buf[32];

	if (rc == 16)
		return "BADVERS"; /* RFC 6891: in an OPT, 16 is BADVERS, never BADSIG */
	if (rc == 23)
		return "BADCOOKIE"; /* RFC 7873 */
	if (rc < 16 && lt != NULL)
		return lt->name;
	snprintf(buf, sizeof(buf), "%s RCODE %u", rc < 16 ? "unexpected" : "extended", rc);
	return dp_arena_strdup(a, buf);
}

/*
 * RFC 6891 6.1.1: one OPT RR at most, in the additional section. ldns
 * takes every OPT out of that section, keeping the last one's fields (a
 * second OPT would hide the first one's extended RCODE), so the OPTs are
 * counted as the header's ARCOUNT less the RRs ldns kept there.
 */
static bool opt_ok(const ldns_pkt *pkt, const uint8_t *wire)
{
	size_t ar = (size_t)(wire[10] << 8 | wire[11]);

	if (ar > (size_t)ldns_pkt_arcount(pkt) + 1)
		return false;
	for (int sec = 0; sec < 2; sec++) {
		const ldns_rr_list *l = sec ? ldns_pkt_authority(pkt) : ldns_pkt_answer(pkt);
		for (size_t i = 0; i < ldns_rr_list_rr_count(l); i++)
			if (ldns_rr_get_type(ldns_rr_list_rr(l, i)) == LDNS_RR_TYPE_OPT)
				return false;
	}
	return true;
}

/*
 * The chain and the RRs of the type asked, for NOERROR and NXDOMAIN.
 * DP_ELIMIT: believed but unusable (a loop, a long chain, bad RDATA), the
 * kind set to DP_DNS_ERROR; DP_ESYNTAX: not to be believed.
 */
static enum dp_status read_answer(struct dp_arena *a, const ldns_pkt *pkt, const ldns_rdf *qname,
                                  uint16_t qtype, unsigned rc, struct dp_dns_answer *out)
{
	const ldns_rr_list *an = ldns_pkt_answer(pkt);
	const ldns_rdf *seen[DP_DNS_MAX_CHAIN + 1];
	size_t n_seen = 1;
	enum dp_status st = DP_OK;

	seen[0] = qname;
	if (rc == LDNS_RCODE_NOERROR || rc == LDNS_RCODE_NXDOMAIN)
		st = follow(a, an, qname, qtype, out, seen, &n_seen);
	if (st == DP_OK && foreign_type(an, seen, n_seen, qtype)) {
		out->detail = "malformed responses: an answer of another type";
		return DP_ESYNTAX;
	}
	if (st == DP_OK) {
		out->owner = name_of(a, seen[n_seen - 1]);
		if (out->owner == NULL)
			st = DP_ENOMEM;
	}
	if (st == DP_OK && rc == LDNS_RCODE_NOERROR)
		st = collect(a, an, seen[n_seen - 1], qtype, out);
	if (st == DP_ELIMIT || st == DP_ESYNTAX) {
		out->kind = DP_DNS_ERROR; /* believed, but unusable: detail says why */
		return DP_ELIMIT;
	}
	return st;
}

/*
 * The server's RFC 7828 edns-tcp-keepalive timeout, in units of 100 ms;
 * -1 when the OPT carries none (or one of another length).
 */
static int keepalive_of(const ldns_pkt *pkt)
{
	const ldns_rdf *d = ldns_pkt_edns_data(pkt);
	const uint8_t *p = d ? ldns_rdf_data(d) : NULL;
	size_t n = d ? ldns_rdf_size(d) : 0, off = 0;

	while (p != NULL && n - off >= 4) {
		unsigned code = (unsigned)(p[off] << 8 | p[off + 1]);
		size_t len = (size_t)(p[off + 2] << 8 | p[off + 3]);
		if (n - off - 4 < len)
			return -1;
		if (code == 11 && len == 2)
			return p[off + 4] << 8 | p[off + 5];
		off += 4 + len;
	}
	return -1;
}

static enum dp_status judge(struct dp_arena *a, const ldns_pkt *pkt, const uint8_t *wire,
                            const ldns_rdf *qname, uint16_t qtype, struct dp_dns_answer *out)
{
	unsigned rc = full_rcode(pkt);
	enum dp_status st;

	out->tc = ldns_pkt_tc(pkt);
	out->aa = ldns_pkt_aa(pkt);
	out->ra = ldns_pkt_ra(pkt);
	out->ad = ldns_pkt_ad(pkt);
	out->keepalive = keepalive_of(pkt);
	if (!opt_ok(pkt, wire)) {
		out->detail = "malformed responses: more than one OPT RR";
		return DP_ESYNTAX;
	}
	st = read_answer(a, pkt, qname, qtype, rc, out);
	if (st != DP_OK)
		return st == DP_ELIMIT ? DP_OK : st;
	out->zone = soa_zone(a, pkt);
	out->kind = kind_of(rc, out->n_rrs);
	if (out->kind == DP_DNS_ERROR) {
		out->detail = rcode_name(a, rc);
		if (out->detail == NULL)
			return DP_ENOMEM;
	}
	out->incomplete =
	    out->kind == DP_DNS_NODATA && out->n_chain > 0 && out->zone == NULL && !out->tc;
	return DP_OK;
}

enum dp_status dp_dns_parse(struct dp_arena *a, const uint8_t *wire, size_t len, uint16_t id,
                            const char *qname, uint16_t qtype, struct dp_dns_answer *out)
{
	ldns_pkt *pkt = NULL;
	ldns_rdf *q = ldns_dname_new_frm_str(qname);
	enum dp_status st;

	memset(out, 0, sizeof(*out));
	out->keepalive = -1;
	if (q == NULL)
		return DP_EINVAL;
	if (ldns_wire2pkt(&pkt, wire, len) != LDNS_STATUS_OK) {
		ldns_rdf_deep_free(q);
		return DP_ESYNTAX;
	}
	if (!answers(pkt, id, q, qtype)) {
		st = DP_EINVAL;
	} else {
		out->qname = dp_arena_strdup(a, qname);
		out->qtype = qtype;
		st = out->qname ? judge(a, pkt, wire, q, qtype, out) : DP_ENOMEM;
	}
	ldns_pkt_free(pkt);
	ldns_rdf_deep_free(q);
	return st;
}

size_t dp_dns_in_bailiwick(const struct dp_dns_answer *a, const char *apex)
{
	size_t n = 0;

	for (; n <= a->n_chain; n++) {
		const char *name = n == 0 ? a->qname : a->chain[n - 1];
		if (apex[0] != '\0' && !dp_name_equal(name, apex) && !dp_name_is_below(name, apex))
			break;
	}
	return n;
}
