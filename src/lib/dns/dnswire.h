/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DNS messages on ldns: build one query, and judge one response to it. Pure
 * functions without I/O, so that hostile responses can be fuzzed directly.
 */
#ifndef DP_DNSWIRE_H
#define DP_DNSWIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/status.h"

#define DP_DNS_TXT   16
#define DP_DNS_CAA   257
#define DP_DNS_SOA   6
#define DP_DNS_NS    2
#define DP_DNS_A     1
#define DP_DNS_AAAA  28
#define DP_DNS_CNAME 5

/* What became of one lookup. */
enum dp_dns_kind {
	DP_DNS_DATA,     /* NOERROR with RRs of the type */
	DP_DNS_NODATA,   /* NOERROR, none of the type */
	DP_DNS_NXDOMAIN, /* the (last) name does not exist */
	DP_DNS_SERVFAIL,
	DP_DNS_REFUSED,
	DP_DNS_TIMEOUT, /* no believable answer within the tries */
	DP_DNS_ERROR,   /* any other failure; detail says which */
};
const char *dp_dns_kind_name(enum dp_dns_kind k);
/* True for the kinds that say something about the data (DATA, NODATA, NXDOMAIN). */
bool dp_dns_kind_ok(enum dp_dns_kind k);

enum dp_dnssec {
	DP_DNSSEC_UNCHECKED, /* the server does not validate (authoritative) */
	DP_DNSSEC_INSECURE,  /* a validating resolver answered without AD */
	DP_DNSSEC_SECURE,    /* AD set */
	DP_DNSSEC_BOGUS,     /* SERVFAIL that succeeds with CD: validation failed */
};
const char *dp_dnssec_name(enum dp_dnssec s);

/* One RR of the asked type: TXT strings joined; CAA flags, tag and value; names as text. */
struct dp_dns_rr {
	uint8_t flags;
	const char *tag;
	const char *data;
	size_t len;
	struct dp_dns_rr *next;
};

struct dp_dns_answer {
	enum dp_dns_kind kind;
	enum dp_dnssec dnssec;
	bool tc, aa, ra, ad;
	const char *qname;
	uint16_t qtype;
	const char *owner;  /* where the CNAME chain ended; qname without one */
	const char **chain; /* the chain's targets in order: qname -> chain[0] -> ... */
	size_t n_chain;
	struct dp_dns_rr *rrs; /* of qtype at owner, in answer order */
	size_t n_rrs;
	const char *zone;   /* apex named by an SOA in the authority section, or NULL */
	bool incomplete;    /* a chain ends without data or SOA: the target must be asked */
	const char *server; /* who answered (set by the resolver) */
	int keepalive;      /* RFC 7828 edns-tcp-keepalive timeout (100 ms units); -1: none */
	const char *detail; /* why DP_DNS_ERROR, or a note; NULL otherwise */
};

/* Longest CNAME chain followed before giving up. */
#define DP_DNS_MAX_CHAIN 8

/*
 * The query for (qname, qtype) in wire form, with EDNS0 (1232 octets) and
 * DO when dnssec. The caller frees *wire with free().
 */
enum dp_status dp_dns_query_wire(const char *qname, uint16_t qtype, uint16_t id, bool rd, bool cd,
                                 bool dnssec, uint8_t **wire, size_t *len);

/*
 * Judge a response to (id, qname, qtype). DP_ESYNTAX when it does not parse
 * or contradicts itself (more than one OPT RR, or an OPT outside the
 * additional section; an RR of another type at a name of the CNAME chain),
 * out->detail then a static string saying which; DP_EINVAL when it is no
 * response to that question (wrong ID, name, type or class): either way it
 * must not be believed. On DP_OK *out describes it, strings allocated in a
 * (which owns them). An RCODE other than NOERROR, NXDOMAIN, SERVFAIL and
 * REFUSED, extended ones (RFC 6891: BADVERS...) included, is DP_DNS_ERROR
 * with its name in detail.
 */
enum dp_status dp_dns_parse(struct dp_arena *a, const uint8_t *wire, size_t len, uint16_t id,
                            const char *qname, uint16_t qtype, struct dp_dns_answer *out);

/*
 * Bailiwick: how many names of a's chain, from the question's name on
 * (qname, chain[0], chain[1], ...), lie at or below apex, counting up to
 * the first that does not. A server authoritative for apex speaks for the
 * RRs owned by those names only: the CNAME at name i (the link to name
 * i + 1) when i < n, and the RRs of a->rrs (owned by a->owner, the last
 * name) only when n == a->n_chain + 1. The name after the last one in the
 * zone is to be asked of its own zone's servers. apex "" is the root.
 */
size_t dp_dns_in_bailiwick(const struct dp_dns_answer *a, const char *apex);

#endif
