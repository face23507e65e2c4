/* SPDX-License-Identifier: BSD-3-Clause */
/* The live DNS engine sends: query IDs, the (socket, id) table, UDP, timeouts and retries. */
#include "dns/resolve_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <unistd.h>

/* ---- query IDs ---------------------------------------------------------------- */

/* Unpredictable 16-bit IDs, drawn from the kernel in batches. */
uint16_t dp_res_random_id(struct dp_resolver *r)
{
	uint16_t v;

	if (r->rnd_left < 2) {
		ssize_t got = getrandom(r->rnd, sizeof(r->rnd), 0);
		r->rnd_left = got > 0 ? (size_t)got : 0;
		if (r->rnd_left < 2)
			return (uint16_t)(now_us() ^ (int64_t)r->st.sent * 40503);
	}
	r->rnd_left -= 2;
	memcpy(&v, r->rnd + r->rnd_left, 2);
	return v;
}

/* ---- the (socket, id) -> slot table ------------------------------------------ */

static size_t hash(const struct dp_resolver *r, int sock, uint16_t id)
{
	return ((size_t)sock * 40503u + id * 2654435761u) & r->mask;
}

int32_t dp_res_tab_find(const struct dp_resolver *r, int sock, uint16_t id)
{
	for (size_t h = hash(r, sock, id);; h = (h + 1) & r->mask) {
		int32_t s = r->tab[h];
		if (s < 0)
			return -1;
		if (r->slots[s].sock == sock && r->slots[s].id == id)
			return s;
	}
}

void dp_res_tab_put(struct dp_resolver *r, int32_t slot)
{
	size_t h = hash(r, r->slots[slot].sock, r->slots[slot].id);

	while (r->tab[h] >= 0)
		h = (h + 1) & r->mask;
	r->tab[h] = slot;
}

/* Remove with backward shifting, so that probes never stop at a hole. */
void dp_res_tab_del(struct dp_resolver *r, int32_t slot)
{
	size_t h = hash(r, r->slots[slot].sock, r->slots[slot].id), j;

	while (r->tab[h] != slot) {
		if (r->tab[h] < 0)
			return;
		h = (h + 1) & r->mask;
	}
	r->tab[h] = -1;
	for (j = (h + 1) & r->mask; r->tab[j] >= 0; j = (j + 1) & r->mask) {
		const struct slot *s = &r->slots[r->tab[j]];
		size_t home = hash(r, s->sock, s->id);
		/* move j into the hole when its home does not lie in (h, j] */
		if ((j > h && (home <= h || home > j)) || (j < h && home <= h && home > j)) {
			r->tab[h] = r->tab[j];
			r->tab[j] = -1;
			h = j;
		}
	}
}

/* ---- sending ------------------------------------------------------------------ */

static int family_index(const struct dp_server *s)
{
	return s->addr.ss_family == AF_INET6 ? 1 : 0;
}

/* A pool socket for the server's family; the kernel picks a random source port. */
static int pool_socket(struct dp_resolver *r, const struct dp_server *s)
{
	int f = family_index(s), i = (int)(r->next_sock++ % SOCKS_PER_FAMILY);
	struct epoll_event ev = {.events = EPOLLIN};
	int fd = r->socks[f][i];

	if (fd >= 0)
		return f * SOCKS_PER_FAMILY + i;
	fd = socket(s->addr.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	ev.data.u64 = (uint64_t)(f * SOCKS_PER_FAMILY + i);
	if (epoll_ctl(r->ep, EPOLL_CTL_ADD, fd, &ev) != 0) {
		close(fd);
		return -1;
	}
	r->socks[f][i] = fd;
	return f * SOCKS_PER_FAMILY + i;
}

int dp_res_sock_fd(const struct dp_resolver *r, int sock)
{
	return r->socks[sock / SOCKS_PER_FAMILY][sock % SOCKS_PER_FAMILY];
}

static int64_t try_timeout(const struct dp_resolver *r, unsigned attempt)
{
	return (int64_t)r->o.timeout_ms * 1000 << (attempt < MAX_BACKOFF ? attempt : MAX_BACKOFF);
}

void dp_res_wake_at(struct dp_resolver *r, int64_t when)
{
	if (r->next_deadline == 0 || when < r->next_deadline)
		r->next_deadline = when;
}

/* A new try: its own timeout, and early resends allowed again. */
void dp_res_set_deadline(struct dp_resolver *r, struct slot *s, int64_t now)
{
	s->deadline = now + try_timeout(r, s->attempt);
	s->resends = 0;
	dp_res_wake_at(r, s->deadline);
}

/* The slot no longer waits on a socket: its table entry (and connection's count) go. */
void dp_res_unhook(struct dp_resolver *r, struct slot *s)
{
	if (s->sock < 0)
		return;
	dp_res_tab_del(r, (int32_t)(s - r->slots));
	if (s->sock >= CONN_BASE)
		r->conns[s->sock - CONN_BASE].inflight--;
	s->sock = -1;
}

/* Off its socket; sent again at when (within this try), unless the try ends first. */
void dp_res_lost_soon(struct dp_resolver *r, struct slot *s, int64_t when, const char *why)
{
	dp_res_unhook(r, s);
	s->lost_at = when;
	if (why != NULL)
		s->why = why;
	dp_res_wake_at(r, when);
}

void dp_res_release(struct dp_resolver *r, struct slot *s)
{
	dp_res_unhook(r, s);
	r->servers[s->server].cc.inflight--;
	s->e = NULL;
	r->n_busy--;
}

/*
 * Count a query just sent for s, and say when it will be taken as lost. A
 * query on a TCP connection is never lost on the wire: it is answered, or
 * its connection closes (sent again then) or stalls (the try's timeout).
 * Sending it again early would only queue a duplicate behind the first on
 * a busy connection, answer the first under an ID no longer asked, and use
 * up the try's resends.
 */
void dp_res_sent(struct dp_resolver *r, struct slot *s, bool tcp, int64_t now)
{
	struct srv *v = &r->servers[s->server];

	s->sent_at = now;
	s->lost_at = tcp ? INT64_MAX : now + dp_cc_rto(r, v, s->resends);
	if (!tcp && s->resends < MAX_RESENDS)
		dp_res_wake_at(r, s->lost_at);
	r->st.sent++;
	r->st.tcp += tcp;
	dp_cc_sent(r, v, tcp, now);
}

/* A query for the slot's lookup: a fresh ID, DO and (for bogus checks) CD. */
enum dp_status dp_res_wire_for(struct dp_resolver *r, struct slot *s, uint8_t **w, size_t *len)
{
	return dp_dns_query_wire(s->e->qname, s->e->qtype, s->id, r->o.recursive, s->cd, true, w,
	                         len);
}

/* Send the slot's query over UDP; a failure to send waits for the deadline like a loss. */
static enum dp_status send_udp(struct dp_resolver *r, struct slot *s, int64_t now)
{
	const struct dp_server *srv = &r->servers[s->server].s;
	uint8_t *w = NULL;
	size_t len;
	enum dp_status st;
	int sock = pool_socket(r, srv);

	if (sock < 0)
		return DP_ELOOKUP;
	do
		s->id = dp_res_random_id(r);
	while (dp_res_tab_find(r, sock, s->id) >= 0);
	st = dp_res_wire_for(r, s, &w, &len);
	if (st != DP_OK)
		return st;
	s->sock = sock;
	dp_res_tab_put(r, (int32_t)(s - r->slots));
	if (sendto(dp_res_sock_fd(r, s->sock), w, len, 0, (const struct sockaddr *)&srv->addr,
	           srv->len) < 0)
		s->why = "the query could not be sent";
	free(w);
	dp_res_sent(r, s, false, now);
	return DP_OK;
}

/* Send the slot's query to its server: over TCP when the lookup or the server went there. */
enum dp_status dp_res_send(struct dp_resolver *r, struct slot *s, int64_t now)
{
	dp_res_unhook(r, s);
	s->parked = false;
	if (s->tcp || r->servers[s->server].cc.tcp)
		return dp_res_send_tcp(r, s, now);
	return send_udp(r, s, now);
}

/* The server for a try: the one asked for, else the next one that is up. */
static int pick_server(const struct dp_resolver *r, const struct entry *e, unsigned attempt)
{
	if (e->server >= 0)
		return r->servers[e->server].down ? -1 : e->server;
	for (size_t k = 0; k < r->o.n_servers; k++) {
		size_t i = (attempt + k) % r->o.n_servers;
		if (!r->servers[i].down)
			return (int)i;
	}
	return -1;
}

static struct slot *free_slot(struct dp_resolver *r)
{
	for (unsigned i = 0; i < r->o.concurrency; i++) {
		unsigned k = (r->n_busy + i) % r->o.concurrency;
		if (r->slots[k].e == NULL)
			return &r->slots[k];
	}
	return NULL;
}

static bool rate_allows(struct dp_resolver *r, int64_t now)
{
	int64_t gap;

	if (r->o.qps == 0)
		return true;
	gap = 1000000 / r->o.qps;
	if (now < r->next_send_us)
		return false;
	r->next_send_us = (r->next_send_us + gap > now - gap ? r->next_send_us : now) + gap;
	return true;
}

static const char *down_reason(const struct dp_resolver *r, const struct entry *e)
{
	return e->server >= 0 || r->o.n_servers == 1 ? "the server stopped answering"
	                                             : "every server stopped answering";
}

/* Who a lookup that could not be sent would have asked. */
static const char *down_label(const struct dp_resolver *r, const struct entry *e)
{
	if (e->server >= 0)
		return r->servers[e->server].s.label;
	return r->o.n_servers == 1 ? r->servers[0].s.label : NULL;
}

/* A slot for lookup e, asked of server srv. */
static enum dp_status start(struct dp_resolver *r, struct entry *e, int srv, int64_t now)
{
	struct slot *s = free_slot(r);
	enum dp_status st;

	*s = (struct slot){.e = e, .server = srv, .sock = -1};
	r->n_busy++;
	r->servers[srv].cc.inflight++;
	dp_res_set_deadline(r, s, now);
	st = dp_res_send(r, s, now);
	if (st == DP_EINVAL) { /* ldns cannot put the name in a query */
		dp_res_release(r, s);
		dp_res_finish(r, e,
		              dp_res_failed(r, e, DP_DNS_ERROR, NULL, "the name cannot be asked"));
		return DP_OK;
	}
	return st;
}

/* Start queued lookups while slots, the server's window and the rate caps allow. */
enum dp_status dp_res_pump(struct dp_resolver *r, int64_t now)
{
	r->pace_wake = 0;
	while (r->q_head < r->q_len && r->n_busy < r->o.concurrency) {
		struct entry *e = r->queue[r->q_head];
		int srv = pick_server(r, e, 0);
		enum dp_status st;
		if (srv < 0) { /* no server left to ask: fail now, without using the rate */
			r->q_head++;
			dp_res_finish(r, e,
			              dp_res_failed(r, e, DP_DNS_TIMEOUT, down_label(r, e),
			                            down_reason(r, e)));
			continue;
		}
		if (!dp_cc_may_send(r, &r->servers[srv], now) || !rate_allows(r, now))
			break;
		r->q_head++;
		st = start(r, e, srv, now);
		if (st != DP_OK)
			return st;
	}
	return r->oom ? DP_ENOMEM : DP_OK;
}

/* ---- timeouts and retries -------------------------------------------------------- */

/* The next try, of the same server or the next one up; none left: the lookup fails. */
enum dp_status dp_res_retry(struct dp_resolver *r, struct slot *s, int64_t now)
{
	int srv = pick_server(r, s->e, s->attempt);

	if (srv < 0) {
		struct entry *e = s->e;
		dp_res_release(r, s);
		dp_res_finish(
		    r, e, dp_res_failed(r, e, DP_DNS_TIMEOUT, down_label(r, e), down_reason(r, e)));
		return DP_OK;
	}
	dp_res_unhook(r, s);
	r->servers[s->server].cc.inflight--;
	r->servers[srv].cc.inflight++;
	s->server = srv;
	dp_res_set_deadline(r, s, now);
	return dp_res_send(r, s, now);
}

/*
 * A lookup that used up its tries. When the server has not answered
 * anything for as long as a lookup's tries last, it is down: the queries
 * still queued for it fail at once, so a scan of a dead server ends. A
 * server that drops some queries (response rate limiting) answers others
 * meanwhile and stays up.
 */
static void give_up(struct dp_resolver *r, struct slot *s, int64_t now)
{
	struct srv *srv = &r->servers[s->server];
	struct entry *e = s->e;
	const char *why = s->why;
	int64_t window = 0;

	for (unsigned k = 0; k <= r->o.retries; k++)
		window += try_timeout(r, k);
	if (now - srv->last_heard >= window)
		srv->down = true;
	r->st.timeouts++;
	dp_res_release(r, s);
	dp_res_finish(r, e, dp_res_failed(r, e, DP_DNS_TIMEOUT, srv->s.label, why));
}

/*
 * No answer yet, well within the try's time: sent again, on the same try
 * (a few times at most: a server that closes every connection it is asked
 * on gets no more than that before the try's timeout).
 */
static enum dp_status lost(struct dp_resolver *r, struct slot *s, int64_t now)
{
	if (s->parked) /* never sent: waiting for room costs no resend */
		return dp_res_send(r, s, now);
	if (s->resends >= MAX_RESENDS) {
		s->lost_at = INT64_MAX;
		return DP_OK;
	}
	if (s->sock >= 0) /* lost on the wire, not on a connection that closed */
		dp_cc_loss(r, &r->servers[s->server], s, now);
	s->resends++;
	return dp_res_send(r, s, now);
}

/*
 * The try's time is up. A server that answered others since this query
 * went out is throttling, not down: its window has shrunk, and the try is
 * asked again without using up the lookup's tries (a few times at most,
 * so that every lookup still ends).
 */
static enum dp_status try_over(struct dp_resolver *r, struct slot *s, int64_t now)
{
	struct srv *v = &r->servers[s->server];
	bool throttled = v->last_heard > s->sent_at && s->free_tries < MAX_FREE;

	if (s->sock >= 0) {
		dp_cc_loss(r, v, s, now);
		if (s->sock >= CONN_BASE)
			dp_res_conn_stalled(r, s, now);
	}
	if (throttled) {
		s->free_tries++;
		dp_res_set_deadline(r, s, now);
		return dp_res_send(r, s, now);
	}
	if (s->attempt >= r->o.retries) {
		give_up(r, s, now);
		return DP_OK;
	}
	s->attempt++;
	return dp_res_retry(r, s, now);
}

enum dp_status dp_res_expire(struct dp_resolver *r, int64_t now)
{
	if (r->next_deadline == 0 || now < r->next_deadline)
		return DP_OK;
	r->next_deadline = 0;
	for (unsigned i = 0; i < r->o.concurrency; i++) {
		struct slot *s = &r->slots[i];
		enum dp_status st = DP_OK;
		if (s->e == NULL)
			continue;
		if (s->deadline <= now)
			st = try_over(r, s, now);
		else if (s->lost_at <= now)
			st = lost(r, s, now);
		if (st != DP_OK)
			return st;
		if (s->e == NULL)
			continue;
		dp_res_wake_at(r, s->deadline);
		if (s->parked || s->resends < MAX_RESENDS)
			dp_res_wake_at(r, s->lost_at);
	}
	return DP_OK;
}
