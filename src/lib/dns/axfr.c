/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * AXFR (RFC 5936) on a TCP connection of our own, bounded in time, records
 * and octets, keeping only the names that carry _validation-persist records.
 */
#include "dns/axfr.h"

#include <errno.h>
#include <ldns/ldns.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/name.h"
#include "dns/dnswire.h"

#define PREFIX    "_validation-persist."
#define TYPE_AXFR 252

/* One transfer in progress. */
struct xfr {
	const struct dp_server *s;
	const char *zone;
	const struct dp_axfr_limits *lim;
	void (*found)(const char *name, void *ctx);
	void *ctx;
	ldns_rdf *apex;
	int fd;
	uint16_t id;
	int64_t end_ms; /* when the whole transfer must be over */
	size_t records, bytes;
	bool done; /* the closing SOA has come */
	char *why;
	size_t size;
	uint8_t msg[65535];
};

void dp_axfr_default_limits(unsigned timeout_ms, struct dp_axfr_limits *lim)
{
	if (timeout_ms == 0)
		timeout_ms = 2000;
	lim->idle_ms = timeout_ms;
	lim->total_ms = timeout_ms > UINT32_MAX / DP_AXFR_TOTAL_TIMEOUTS
	                    ? UINT32_MAX
	                    : timeout_ms * DP_AXFR_TOTAL_TIMEOUTS;
	lim->max_records = DP_AXFR_MAX_RECORDS;
	lim->max_bytes = DP_AXFR_MAX_BYTES;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Set why to "AXFR of Z from S failed (WHAT)"; DP_ELOOKUP. */
static enum dp_status fail(struct xfr *x, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static enum dp_status fail(struct xfr *x, const char *fmt, ...)
{
	char what[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(x->why, x->size, "AXFR of %s from %s failed (%s)", x->zone, x->s->label, what);
	return DP_ELOOKUP;
}

/* "60 s", or "300 ms" below a second. */
static const char *duration(unsigned ms, char *buf, size_t size)
{
	if (ms % 1000 == 0)
		snprintf(buf, size, "%u s", ms / 1000);
	else
		snprintf(buf, size, "%u ms", ms);
	return buf;
}

static enum dp_status too_long(struct xfr *x)
{
	char d[32];

	return fail(x, "took longer than %s", duration(x->lim->total_ms, d, sizeof(d)));
}

/* Wait until the socket is ready for events, within the idle and the total bound. */
static enum dp_status wait_for(struct xfr *x, short events)
{
	struct pollfd pf = {x->fd, events, 0};
	char d[32];

	for (;;) {
		int64_t left = x->end_ms - now_ms();
		int ms = left < (int64_t)x->lim->idle_ms ? (int)(left > 0 ? left : 0)
		                                         : (int)x->lim->idle_ms;
		int n = poll(&pf, 1, ms);
		if (n > 0)
			return DP_OK;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail(x, "%s", strerror(errno));
		if (left <= (int64_t)x->lim->idle_ms)
			return too_long(x);
		return fail(x, "nothing received for %s", duration(x->lim->idle_ms, d, sizeof(d)));
	}
}

static enum dp_status connect_server(struct xfr *x)
{
	int err = 0;
	socklen_t elen = sizeof(err);
	enum dp_status st;

	x->fd = socket(x->s->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (x->fd < 0)
		return fail(x, "no socket: %s", strerror(errno));
	if (connect(x->fd, (const struct sockaddr *)&x->s->addr, x->s->len) == 0)
		return DP_OK;
	if (errno != EINPROGRESS)
		return fail(x, "no connection: %s", strerror(errno));
	st = wait_for(x, POLLOUT);
	if (st != DP_OK)
		return st;
	if (getsockopt(x->fd, SOL_SOCKET, SO_ERROR, &err, &elen) != 0 || err != 0)
		return fail(x, "no connection: %s", strerror(err ? err : errno));
	return DP_OK;
}

/* The query, length-prefixed: AXFR for the zone, a random ID, no RD. */
static enum dp_status send_query(struct xfr *x)
{
	uint8_t *w = NULL, *p;
	size_t len, off = 0;
	enum dp_status st;

	if (getrandom(&x->id, sizeof(x->id), 0) != (ssize_t)sizeof(x->id))
		x->id = (uint16_t)now_ms();
	st = dp_dns_query_wire(x->zone, TYPE_AXFR, x->id, false, false, false, &w, &len);
	if (st != DP_OK)
		return st == DP_ENOMEM ? st : fail(x, "the zone's name cannot be asked");
	p = malloc(len + 2);
	if (p == NULL) {
		free(w);
		return DP_ENOMEM;
	}
	p[0] = (uint8_t)(len >> 8);
	p[1] = (uint8_t)len;
	memcpy(p + 2, w, len);
	free(w);
	for (st = DP_OK; st == DP_OK && off < len + 2;) {
		ssize_t n = send(x->fd, p + off, len + 2 - off, MSG_NOSIGNAL);
		if (n > 0)
			off += (size_t)n;
		else if (n < 0 && errno == EAGAIN)
			st = wait_for(x, POLLOUT);
		else
			st = fail(x, "the query could not be sent: %s", strerror(errno));
	}
	free(p);
	return st;
}

/* Exactly n octets into buf, counted against the byte bound. */
static enum dp_status read_exact(struct xfr *x, uint8_t *buf, size_t n)
{
	size_t off = 0;
	enum dp_status st;

	while (off < n) {
		ssize_t got = recv(x->fd, buf + off, n - off, 0);
		if (got == 0)
			return fail(x, "the connection closed before the zone's end");
		if (got < 0 && errno != EAGAIN && errno != EINTR)
			return fail(x, "%s", strerror(errno));
		if (got < 0) {
			st = wait_for(x, POLLIN);
			if (st != DP_OK)
				return st;
			continue;
		}
		off += (size_t)got;
		x->bytes += (size_t)got;
		if (x->bytes > x->lim->max_bytes)
			return fail(x, "more than %zu octets", x->lim->max_bytes);
		if (now_ms() >= x->end_ms) /* a server that sends fast never makes us wait */
			return too_long(x);
	}
	return DP_OK;
}

/* X for an RR at _validation-persist.X of a kind that holds or leads to records. */
static bool persist_base(const ldns_rr *rr, char out[DP_NAME_MAX])
{
	ldns_rr_type t = ldns_rr_get_type(rr);
	char *owner;
	bool ok = false;

	if (t != LDNS_RR_TYPE_TXT && t != LDNS_RR_TYPE_CNAME)
		return false;
	owner = ldns_rdf2str(ldns_rr_owner(rr));
	if (owner != NULL && strncasecmp(owner, PREFIX, strlen(PREFIX)) == 0)
		ok = dp_name_normalize(owner + strlen(PREFIX), out, NULL) == DP_OK;
	free(owner);
	return ok;
}

/* One RR: the first must be the zone's SOA, the next SOA at the apex ends the zone. */
static enum dp_status take_rr(struct xfr *x, const ldns_rr *rr)
{
	bool soa = ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA &&
	           ldns_dname_compare(ldns_rr_owner(rr), x->apex) == 0;
	char base[DP_NAME_MAX];

	if (++x->records > x->lim->max_records)
		return fail(x, "more than %zu records", x->lim->max_records);
	if (x->records == 1 && !soa)
		return fail(x, "the transfer does not start with the zone's SOA");
	if (x->records > 1 && soa) {
		x->done = true;
		return DP_OK;
	}
	if (persist_base(rr, base))
		x->found(base, x->ctx);
	return DP_OK;
}

/* One message of the transfer: ours, NOERROR, its answer RRs taken in order. */
static enum dp_status take_message(struct xfr *x, size_t len)
{
	ldns_pkt *pkt = NULL;
	enum dp_status st = DP_OK;
	const ldns_rr_list *an;

	if (ldns_wire2pkt(&pkt, x->msg, len) != LDNS_STATUS_OK)
		return fail(x, "a malformed message");
	if (!ldns_pkt_qr(pkt) || ldns_pkt_id(pkt) != x->id) {
		ldns_pkt_free(pkt);
		return fail(x, "a message that answers another query");
	}
	if (ldns_pkt_get_rcode(pkt) != LDNS_RCODE_NOERROR ||
	    ldns_pkt_edns_extended_rcode(pkt) != 0) {
		const ldns_lookup_table *rc =
		    ldns_lookup_by_id(ldns_rcodes, (int)ldns_pkt_get_rcode(pkt));
		st = ldns_pkt_edns_extended_rcode(pkt) != 0
		         ? fail(x, "extended RCODE %u",
		                (unsigned)ldns_pkt_edns_extended_rcode(pkt) << 4 |
		                    ldns_pkt_get_rcode(pkt))
		         : fail(x, "%s", rc ? rc->name : "unexpected RCODE");
		ldns_pkt_free(pkt);
		return st;
	}
	an = ldns_pkt_answer(pkt);
	for (size_t i = 0; i < ldns_rr_list_rr_count(an) && st == DP_OK && !x->done; i++)
		st = take_rr(x, ldns_rr_list_rr(an, i));
	if (st == DP_OK && ldns_rr_list_rr_count(an) == 0)
		st = fail(x, "an empty message");
	ldns_pkt_free(pkt);
	return st;
}

static enum dp_status transfer(struct xfr *x)
{
	enum dp_status st;

	st = connect_server(x);
	if (st == DP_OK)
		st = send_query(x);
	if (st != DP_OK)
		return st;
	while (!x->done) {
		uint8_t hdr[2];
		size_t len;
		st = read_exact(x, hdr, 2);
		if (st != DP_OK)
			return st;
		len = (size_t)(hdr[0] << 8 | hdr[1]);
		if (len < 12)
			return fail(x, "a message of %zu octets", len);
		st = read_exact(x, x->msg, len);
		if (st == DP_OK)
			st = take_message(x, len);
		if (st != DP_OK)
			return st;
	}
	return DP_OK;
}

enum dp_status dp_axfr_persist_names_within(const struct dp_server *s, const char *zone,
                                            const struct dp_axfr_limits *lim,
                                            void (*found)(const char *name, void *ctx), void *ctx,
                                            char *why, size_t size)
{
	struct xfr *x = calloc(1, sizeof(*x));
	enum dp_status st;

	why[0] = '\0';
	if (x == NULL)
		return DP_ENOMEM;
	*x = (struct xfr){.s = s,
	                  .zone = zone,
	                  .lim = lim,
	                  .found = found,
	                  .ctx = ctx,
	                  .fd = -1,
	                  .why = why,
	                  .size = size};
	x->end_ms = now_ms() + lim->total_ms;
	x->apex = ldns_dname_new_frm_str(zone);
	if (x->apex == NULL)
		st = fail(x, "the zone's name cannot be asked");
	else
		st = transfer(x);
	if (x->fd >= 0)
		close(x->fd);
	ldns_rdf_deep_free(x->apex);
	free(x);
	return st;
}

enum dp_status dp_axfr_persist_names(const struct dp_server *s, const char *zone,
                                     unsigned timeout_ms,
                                     void (*found)(const char *name, void *ctx), void *ctx,
                                     char *why, size_t size)
{
	struct dp_axfr_limits lim;

	dp_axfr_default_limits(timeout_ms, &lim);
	return dp_axfr_persist_names_within(s, zone, &lim, found, ctx, why, size);
}
