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
		if (r->slots[s].sock == sock && r->slots[s].id == id && r->slots[s].tcp == TCP_NONE)
			return s;
	}
}

static void tab_put(struct dp_resolver *r, int32_t slot)
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

void dp_res_set_deadline(struct dp_resolver *r, struct slot *s, int64_t now)
{
	s->deadline = now + try_timeout(r, s->attempt);
	if (r->next_deadline == 0 || s->deadline < r->next_deadline)
		r->next_deadline = s->deadline;
}

/* The slot no longer waits for an answer: its TCP connection or its table entry goes. */
static void unhook(struct dp_resolver *r, struct slot *s)
{
	if (s->tcp != TCP_NONE) {
		epoll_ctl(r->ep, EPOLL_CTL_DEL, s->tfd, NULL);
		close(s->tfd);
		free(s->tbuf);
		s->tbuf = NULL;
		s->tfd = -1;
		s->tcp = TCP_NONE;
	} else {
		dp_res_tab_del(r, (int32_t)(s - r->slots));
	}
}

void dp_res_release(struct dp_resolver *r, struct slot *s)
{
	unhook(r, s);
	s->e = NULL;
	r->n_busy--;
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

	s->sock = pool_socket(r, srv);
	if (s->sock < 0)
		return DP_ELOOKUP;
	do
		s->id = dp_res_random_id(r);
	while (dp_res_tab_find(r, s->sock, s->id) >= 0);
	st = dp_res_wire_for(r, s, &w, &len);
	if (st != DP_OK)
		return st;
	tab_put(r, (int32_t)(s - r->slots));
	if (sendto(dp_res_sock_fd(r, s->sock), w, len, 0, (const struct sockaddr *)&srv->addr,
	           srv->len) < 0)
		s->why = "the query could not be sent";
	r->st.sent++;
	free(w);
	dp_res_set_deadline(r, s, now);
	return DP_OK;
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

/* Start queued lookups while slots and the rate cap allow. */
enum dp_status dp_res_pump(struct dp_resolver *r, int64_t now)
{
	while (r->q_head < r->q_len && r->n_busy < r->o.concurrency) {
		struct entry *e = r->queue[r->q_head];
		int srv = pick_server(r, e, 0);
		struct slot *s;
		enum dp_status st;
		if (srv < 0) { /* no server left to ask: fail now, without using the rate */
			r->q_head++;
			dp_res_finish(r, e,
			              dp_res_failed(r, e, DP_DNS_TIMEOUT, down_label(r, e),
			                            down_reason(r, e)));
			continue;
		}
		if (!rate_allows(r, now))
			break;
		r->q_head++;
		s = free_slot(r);
		*s = (struct slot){.e = e, .server = srv, .tfd = -1};
		r->n_busy++;
		st = send_udp(r, s, now);
		if (st == DP_EINVAL) { /* ldns cannot put the name in a query */
			dp_res_release(r, s);
			dp_res_finish(
			    r, e,
			    dp_res_failed(r, e, DP_DNS_ERROR, NULL, "the name cannot be asked"));
		} else if (st != DP_OK) {
			return st;
		}
	}
	return r->oom ? DP_ENOMEM : DP_OK;
}

/* ---- timeouts and retries -------------------------------------------------------- */

enum dp_status dp_res_retry(struct dp_resolver *r, struct slot *s, int64_t now)
{
	bool tcp = s->tcp != TCP_NONE;
	int srv = pick_server(r, s->e, s->attempt);

	if (srv < 0) {
		struct entry *e = s->e;
		dp_res_release(r, s);
		dp_res_finish(
		    r, e, dp_res_failed(r, e, DP_DNS_TIMEOUT, down_label(r, e), down_reason(r, e)));
		return DP_OK;
	}
	unhook(r, s);
	s->server = srv;
	return tcp ? dp_res_start_tcp(r, s, now) : send_udp(r, s, now);
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
		if (s->deadline <= now && s->attempt >= r->o.retries) {
			give_up(r, s, now);
			continue;
		}
		if (s->deadline <= now) {
			s->attempt++;
			st = dp_res_retry(r, s, now);
		}
		if (st != DP_OK)
			return st;
		if (s->e != NULL && (r->next_deadline == 0 || s->deadline < r->next_deadline))
			r->next_deadline = s->deadline;
	}
	return DP_OK;
}
