/* SPDX-License-Identifier: BSD-3-Clause */
/* The live DNS engine: epoll over UDP sockets, TCP on truncation, a per-run cache. */
#include "dns/resolve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/num.h"
#include "base/strmap.h"

#define SOCKS_PER_FAMILY 32 /* source ports in the pool, per address family */
#define DOWN_AFTER       3  /* lookups in a row that a server left unanswered */
#define MAX_BACKOFF      3  /* the timeout doubles at most this many times */
#define TCP_TAG          (1ull << 32)

/* ---- servers ---------------------------------------------------------------- */

enum dp_status dp_server_parse(const char *spec, struct dp_server *out, struct dp_error *err)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *at = strrchr(spec, '@');
	size_t hlen = at ? (size_t)(at - spec) : strlen(spec);
	int64_t port = 53;
	struct sockaddr_in *v4 = (struct sockaddr_in *)&out->addr;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&out->addr;

	memset(out, 0, sizeof(*out));
	if (hlen == 0 || hlen >= sizeof(host))
		return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "'%s' is not ADDR[@PORT]", spec);
	memcpy(host, spec, hlen);
	host[hlen] = '\0';
	if (at != NULL && dp_parse_int(at + 1, strlen(at + 1), false, 1, 65535, &port) != DP_OK)
		return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "'%s': the port is not 1..65535",
		                    spec);
	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		out->len = sizeof(*v4);
	} else if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		out->len = sizeof(*v6);
	} else {
		return dp_error_set(err, DP_EINVAL, NULL, 0, 0,
		                    "'%s' is not an IPv4 or IPv6 address (ADDR[@PORT])", spec);
	}
	snprintf(out->label, sizeof(out->label), "%s@%lld", host, (long long)port);
	return DP_OK;
}

enum dp_status dp_server_resolv_conf(const char *path, struct dp_server *out, size_t max, size_t *n,
                                     struct dp_error *err)
{
	FILE *f = fopen(path ? path : "/etc/resolv.conf", "r");
	char line[512], addr[128];

	*n = 0;
	if (f == NULL)
		return dp_error_set(err, DP_EIO, path ? path : "/etc/resolv.conf", 0, 0,
		                    "cannot read: %s", strerror(errno));
	while (*n < max && fgets(line, sizeof(line), f) != NULL) {
		char *pct;
		if (sscanf(line, " nameserver %127s", addr) != 1)
			continue;
		if ((pct = strchr(addr, '%')) != NULL)
			*pct = '\0'; /* a link-local scope: not supported, try the address */
		if (dp_server_parse(addr, &out[*n], NULL) == DP_OK)
			(*n)++;
	}
	fclose(f);
	return DP_OK;
}

static bool same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
		return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;
	return x->sin6_port == y->sin6_port &&
	       memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr)) == 0;
}

/* ---- state ------------------------------------------------------------------ */

struct waiter {
	dp_resolve_cb cb;
	void *ctx;
	struct waiter *next;
};

/* One lookup of the run: asked once, answered to every waiter. */
struct entry {
	const char *qname;
	uint16_t qtype;
	int server;
	const struct dp_dns_answer *ans;     /* NULL until answered */
	const struct dp_dns_answer *partial; /* a chain that needs its target asked */
	struct waiter *waiters;
	struct entry *next_ready;
	size_t depth;         /* chain hops that led to this lookup */
	struct dp_arena *own; /* a lookup asked once: its memory, freed once answered */
	bool ready;
};

enum tcp_state { TCP_NONE, TCP_CONNECTING, TCP_READING };

struct slot {
	struct entry *e; /* NULL when free */
	int sock;        /* UDP pool index */
	int server;      /* asked now */
	uint16_t id;
	unsigned attempt;
	bool cd;
	int64_t deadline;
	const char *why; /* the last response not believed, for the error */
	enum tcp_state tcp;
	int tfd;
	uint8_t *tbuf;
	size_t tlen, toff;
};

struct srv {
	struct dp_server s;
	int64_t last_heard; /* when it last answered (the run's start before that) */
	bool down;
};

struct dp_resolver {
	struct dp_resolver_opts o;
	struct srv *servers;
	int ep;
	int socks[2][SOCKS_PER_FAMILY]; /* [0] IPv4, [1] IPv6; -1 until opened */
	unsigned next_sock;
	struct slot *slots;
	unsigned n_busy;
	int32_t *tab; /* (sock, id) -> slot, open addressing */
	size_t mask;
	struct entry **queue;
	size_t q_head, q_len, q_cap;
	struct entry *ready;
	struct dp_strmap *cache;
	struct dp_arena *arena;
	uint8_t rnd[4096];
	size_t rnd_left;
	int64_t next_send_us; /* the rate cap */
	int64_t next_deadline;
	void (*tick)(void *);
	void *tick_ctx;
	int64_t last_tick;
	struct dp_resolver_stats st;
	bool oom;
	uint8_t buf[65536];
};

/* Where a lookup's answer lives: its own arena when asked once, else the run's. */
static struct dp_arena *arena_of(const struct dp_resolver *r, const struct entry *e)
{
	return e->own != NULL ? e->own : r->arena;
}

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Unpredictable 16-bit IDs, drawn from the kernel in batches. */
static uint16_t random_id(struct dp_resolver *r)
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

/* ---- life cycle --------------------------------------------------------------- */

enum dp_status dp_resolver_new(const struct dp_resolver_opts *o, struct dp_resolver **out)
{
	struct dp_resolver *r = calloc(1, sizeof(*r));
	size_t cap = 4;

	*out = NULL;
	if (r == NULL)
		return DP_ENOMEM;
	r->o = *o;
	if (r->o.concurrency == 0)
		r->o.concurrency = 100;
	if (r->o.timeout_ms == 0)
		r->o.timeout_ms = 2000;
	while (cap < 4 * (size_t)r->o.concurrency)
		cap *= 2;
	r->mask = cap - 1;
	memset(r->socks, -1, sizeof(r->socks));
	r->servers = calloc(o->n_servers ? o->n_servers : 1, sizeof(*r->servers));
	r->slots = calloc(r->o.concurrency, sizeof(*r->slots));
	r->tab = malloc(cap * sizeof(*r->tab));
	r->arena = dp_arena_new();
	r->ep = epoll_create1(EPOLL_CLOEXEC);
	if (r->servers == NULL || r->slots == NULL || r->tab == NULL || r->arena == NULL ||
	    r->ep < 0 || dp_strmap_new(&r->cache) != DP_OK || o->n_servers == 0) {
		dp_resolver_free(r);
		return o->n_servers == 0 ? DP_EINVAL : DP_ENOMEM;
	}
	memset(r->tab, -1, cap * sizeof(*r->tab));
	for (size_t i = 0; i < o->n_servers; i++) {
		r->servers[i].s = o->servers[i];
		r->servers[i].last_heard = now_us();
	}
	r->o.servers = NULL; /* copied above */
	*out = r;
	return DP_OK;
}

static void entry_drop(struct entry *e)
{
	for (struct waiter *w = e->waiters, *n; w != NULL; w = n) {
		n = w->next;
		free(w);
	}
	e->waiters = NULL;
	if (e->own != NULL) {
		dp_arena_free(e->own);
		free(e);
	}
}

/* Lookups still pending when a run stopped early (out of memory, a system error). */
static void drop_pending(struct dp_resolver *r)
{
	for (size_t i = r->q_head; i < r->q_len; i++)
		entry_drop(r->queue[i]);
	for (unsigned i = 0; r->slots != NULL && i < r->o.concurrency; i++)
		if (r->slots[i].e != NULL)
			entry_drop(r->slots[i].e);
	for (struct entry *e = r->ready, *n; e != NULL; e = n) {
		n = e->next_ready;
		entry_drop(e);
	}
}

void dp_resolver_free(struct dp_resolver *r)
{
	if (r == NULL)
		return;
	drop_pending(r);
	for (unsigned i = 0; r->slots != NULL && i < r->o.concurrency; i++) {
		if (r->slots[i].tfd > 0)
			close(r->slots[i].tfd);
		free(r->slots[i].tbuf);
	}
	for (int f = 0; f < 2; f++)
		for (int i = 0; i < SOCKS_PER_FAMILY; i++)
			if (r->socks[f][i] >= 0)
				close(r->socks[f][i]);
	if (r->ep >= 0)
		close(r->ep);
	dp_strmap_free(r->cache);
	dp_arena_free(r->arena);
	free(r->queue);
	free(r->tab);
	free(r->slots);
	free(r->servers);
	free(r);
}

void dp_resolver_set_tick(struct dp_resolver *r, void (*tick)(void *ctx), void *ctx)
{
	r->tick = tick;
	r->tick_ctx = ctx;
}

void dp_resolver_stats(const struct dp_resolver *r, struct dp_resolver_stats *s)
{
	*s = r->st;
}

/* ---- the (socket, id) -> slot table ------------------------------------------ */

static size_t hash(const struct dp_resolver *r, int sock, uint16_t id)
{
	return ((size_t)sock * 40503u + id * 2654435761u) & r->mask;
}

static int32_t tab_find(const struct dp_resolver *r, int sock, uint16_t id)
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
static void tab_del(struct dp_resolver *r, int32_t slot)
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

/* ---- lookups, the cache and delivery --------------------------------------------- */

static void mark_ready(struct dp_resolver *r, struct entry *e)
{
	if (e->ready)
		return;
	e->ready = true;
	e->next_ready = r->ready;
	r->ready = e;
}

static void deliver_ready(struct dp_resolver *r)
{
	while (r->ready != NULL) {
		struct entry *e = r->ready;
		struct waiter *w = e->waiters, *next;
		r->ready = e->next_ready;
		e->ready = false;
		e->waiters = NULL;
		for (; w != NULL; w = next) {
			next = w->next;
			w->cb(e->ans, w->ctx);
			free(w);
		}
		if (e->own != NULL) { /* nobody else can ask for it: done with it */
			dp_arena_free(e->own);
			free(e);
		}
	}
}

static enum dp_status enqueue(struct dp_resolver *r, struct entry *e)
{
	if (r->q_head > 0 && r->q_head == r->q_len) {
		r->q_head = r->q_len = 0; /* drained: start over at the front */
	}
	if (r->q_len == r->q_cap) {
		size_t cap = r->q_cap ? r->q_cap * 2 : 256;
		struct entry **q = realloc(r->queue, cap * sizeof(*q));
		if (q == NULL)
			return DP_ENOMEM;
		r->queue = q;
		r->q_cap = cap;
	}
	r->queue[r->q_len++] = e;
	return DP_OK;
}

static struct entry *new_entry(struct dp_resolver *r, const char *qname, uint16_t qtype, int server)
{
	struct entry *e = dp_arena_alloc(r->arena, sizeof(*e));

	if (e == NULL)
		return NULL;
	memset(e, 0, sizeof(*e));
	e->qname = dp_arena_strdup(r->arena, qname);
	e->qtype = qtype;
	e->server = server;
	return e->qname && enqueue(r, e) == DP_OK ? e : NULL;
}

static enum dp_status add_waiter(struct dp_resolver *r, struct entry *e, dp_resolve_cb cb,
                                 void *ctx)
{
	struct waiter *w = malloc(sizeof(*w));

	if (w == NULL)
		return DP_ENOMEM;
	*w = (struct waiter){cb, ctx, e->waiters};
	e->waiters = w;
	if (e->ans != NULL)
		mark_ready(r, e);
	return DP_OK;
}

enum dp_status dp_resolver_ask_once(struct dp_resolver *r, const char *qname, uint16_t qtype,
                                    int server, dp_resolve_cb cb, void *ctx)
{
	struct entry *e = calloc(1, sizeof(*e));

	r->st.asked++;
	if (e == NULL || (e->own = dp_arena_new_block(1024)) == NULL ||
	    (e->qname = dp_arena_strdup(e->own, qname)) == NULL || enqueue(r, e) != DP_OK) {
		if (e != NULL)
			dp_arena_free(e->own);
		free(e);
		return DP_ENOMEM;
	}
	e->qtype = qtype;
	e->server = server;
	return add_waiter(r, e, cb, ctx);
}

enum dp_status dp_resolver_ask(struct dp_resolver *r, const char *qname, uint16_t qtype, int server,
                               dp_resolve_cb cb, void *ctx)
{
	char key[320];
	struct entry *e;

	snprintf(key, sizeof(key), "%d/%u/%s", server, qtype, qname);
	r->st.asked++;
	e = dp_strmap_get(r->cache, key);
	if (e == NULL) {
		e = new_entry(r, qname, qtype, server);
		if (e == NULL ||
		    dp_strmap_put(r->cache, dp_arena_strdup(r->arena, key), e) != DP_OK)
			return DP_ENOMEM;
	} else {
		r->st.cached++; /* answered, or being asked: either way not asked again */
	}
	return add_waiter(r, e, cb, ctx);
}

static struct dp_dns_answer *failed(struct dp_resolver *r, const struct entry *e,
                                    enum dp_dns_kind kind, const char *server, const char *why)
{
	struct dp_dns_answer *a = dp_arena_alloc(arena_of(r, e), sizeof(*a));

	if (a == NULL)
		return NULL;
	memset(a, 0, sizeof(*a));
	a->kind = kind;
	a->qname = a->owner = e->qname;
	a->qtype = e->qtype;
	a->server = server;
	a->detail = why ? dp_arena_strdup(arena_of(r, e), why) : NULL;
	return a;
}

struct follow {
	struct dp_resolver *r;
	struct entry *e;
};

/* The target's answer completes a chain that ended without data. */
static void merge_cb(const struct dp_dns_answer *t, void *ctx)
{
	const struct follow *f = ctx;
	struct dp_resolver *r = f->r;
	struct entry *e = f->e;
	const struct dp_dns_answer *p = e->partial;
	struct dp_dns_answer *m = dp_arena_alloc(r->arena, sizeof(*m));
	size_t n = p->n_chain + t->n_chain;
	const char **chain = dp_arena_alloc(r->arena, (n ? n : 1) * sizeof(*chain));

	if (m == NULL || chain == NULL) {
		r->oom = true;
		e->ans = p; /* something to deliver; the run fails anyway */
	} else {
		*m = *t;
		memcpy(chain, p->chain, p->n_chain * sizeof(*chain));
		memcpy(chain + p->n_chain, t->chain, t->n_chain * sizeof(*chain));
		m->chain = chain;
		m->n_chain = n;
		m->qname = p->qname;
		m->qtype = p->qtype;
		if (e->depth + n > DP_DNS_MAX_CHAIN) {
			m->kind = DP_DNS_ERROR;
			m->detail = "CNAME chain longer than 8";
		}
		e->ans = m;
	}
	mark_ready(r, e);
}

/*
 * A chain that ends in another zone without data (an authoritative server):
 * ask the target, in a lookup of its own that the cache does not share, so
 * that chains spread over several answers can neither loop nor deadlock.
 */
static void follow_chain(struct dp_resolver *r, struct entry *e, const struct dp_dns_answer *a)
{
	struct follow *f = dp_arena_alloc(r->arena, sizeof(*f));
	struct entry *t;

	e->partial = a;
	if (e->depth + a->n_chain >= DP_DNS_MAX_CHAIN) {
		struct dp_dns_answer *m = dp_arena_alloc(r->arena, sizeof(*m));
		if (m != NULL) {
			*m = *a;
			m->kind = DP_DNS_ERROR;
			m->detail = "CNAME chain longer than 8";
		}
		e->ans = m ? m : a;
		mark_ready(r, e);
		return;
	}
	t = f ? new_entry(r, a->owner, e->qtype, e->server) : NULL;
	if (t == NULL || add_waiter(r, t, merge_cb, f) != DP_OK) {
		r->oom = true;
		e->ans = a;
		mark_ready(r, e);
		return;
	}
	t->depth = e->depth + a->n_chain;
	*f = (struct follow){r, e};
}

static void finish(struct dp_resolver *r, struct entry *e, struct dp_dns_answer *a)
{
	if (a == NULL) {
		r->oom = true;
		return;
	}
	if (a->incomplete) {
		follow_chain(r, e, a);
		return;
	}
	e->ans = a;
	mark_ready(r, e);
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

static int sock_fd(const struct dp_resolver *r, int sock)
{
	return r->socks[sock / SOCKS_PER_FAMILY][sock % SOCKS_PER_FAMILY];
}

static int64_t try_timeout(const struct dp_resolver *r, unsigned attempt)
{
	return (int64_t)r->o.timeout_ms * 1000 << (attempt < MAX_BACKOFF ? attempt : MAX_BACKOFF);
}

static void set_deadline(struct dp_resolver *r, struct slot *s, int64_t now)
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
		tab_del(r, (int32_t)(s - r->slots));
	}
}

static void release(struct dp_resolver *r, struct slot *s)
{
	unhook(r, s);
	s->e = NULL;
	r->n_busy--;
}

/* A query for the slot's lookup: a fresh ID, DO and (for bogus checks) CD. */
static enum dp_status wire_for(struct dp_resolver *r, struct slot *s, uint8_t **w, size_t *len)
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

	if ((s->sock = pool_socket(r, srv)) < 0)
		return DP_ELOOKUP;
	do
		s->id = random_id(r);
	while (tab_find(r, s->sock, s->id) >= 0);
	if ((st = wire_for(r, s, &w, &len)) != DP_OK)
		return st;
	tab_put(r, (int32_t)(s - r->slots));
	if (sendto(sock_fd(r, s->sock), w, len, 0, (const struct sockaddr *)&srv->addr, srv->len) <
	    0)
		s->why = "the query could not be sent";
	r->st.sent++;
	free(w);
	set_deadline(r, s, now);
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
static enum dp_status pump(struct dp_resolver *r, int64_t now)
{
	while (r->q_head < r->q_len && r->n_busy < r->o.concurrency) {
		struct entry *e = r->queue[r->q_head];
		int srv = pick_server(r, e, 0);
		struct slot *s;
		enum dp_status st;
		if (srv < 0) { /* no server left to ask: fail now, without using the rate */
			r->q_head++;
			finish(r, e,
			       failed(r, e, DP_DNS_TIMEOUT, down_label(r, e), down_reason(r, e)));
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
			release(r, s);
			finish(r, e, failed(r, e, DP_DNS_ERROR, NULL, "the name cannot be asked"));
		} else if (st != DP_OK) {
			return st;
		}
	}
	return r->oom ? DP_ENOMEM : DP_OK;
}

/* ---- answers ------------------------------------------------------------------ */

static void dnssec_status(const struct dp_resolver *r, const struct slot *s,
                          struct dp_dns_answer *a)
{
	if (s->cd)
		a->dnssec = DP_DNSSEC_BOGUS; /* it failed validation, and answers without it */
	else if (!r->o.recursive || !a->ra)
		a->dnssec = DP_DNSSEC_UNCHECKED;
	else
		a->dnssec = a->ad ? DP_DNSSEC_SECURE : DP_DNSSEC_INSECURE;
}

static enum dp_status start_tcp(struct dp_resolver *r, struct slot *s, int64_t now);
static enum dp_status retry(struct dp_resolver *r, struct slot *s, int64_t now);

/* A believed response for slot s. */
static enum dp_status take(struct dp_resolver *r, struct slot *s, struct dp_dns_answer *a,
                           int64_t now)
{
	struct entry *e = s->e;

	r->st.answered++;
	r->servers[s->server].last_heard = now;
	if (a->tc && s->tcp == TCP_NONE) {
		r->st.tcp++;
		tab_del(r, (int32_t)(s - r->slots));
		return start_tcp(r, s, now);
	}
	if (a->kind == DP_DNS_SERVFAIL && r->o.recursive && !s->cd) {
		s->cd = true; /* does it answer without validation? then it is bogus */
		s->attempt = 0;
		return retry(r, s, now);
	}
	if (a->tc) {
		a->kind = DP_DNS_ERROR;
		a->detail = "truncated over TCP";
	}
	if (s->cd && a->kind == DP_DNS_SERVFAIL)
		s->cd = false; /* SERVFAIL either way: a plain failure */
	dnssec_status(r, s, a);
	a->server = r->servers[s->server].s.label;
	release(r, s);
	finish(r, e, a);
	return DP_OK;
}

/* Judge a response for slot s; not believed ones are counted and ignored. */
static enum dp_status judge(struct dp_resolver *r, struct slot *s, const uint8_t *p, size_t len,
                            int64_t now)
{
	struct dp_arena *arena = arena_of(r, s->e);
	struct dp_dns_answer *a = dp_arena_alloc(arena, sizeof(*a));
	enum dp_status st;

	if (a == NULL)
		return DP_ENOMEM;
	st = dp_dns_parse(arena, p, len, s->id, s->e->qname, s->e->qtype, a);
	if (st == DP_ENOMEM)
		return st;
	if (st != DP_OK) {
		r->st.dropped++;
		s->why = st == DP_ESYNTAX ? "malformed responses" : "responses to another question";
		return DP_OK;
	}
	return take(r, s, a, now);
}

static enum dp_status read_udp(struct dp_resolver *r, int sock, int64_t now)
{
	for (;;) {
		struct sockaddr_storage from;
		socklen_t flen = sizeof(from);
		ssize_t n = recvfrom(sock_fd(r, sock), r->buf, sizeof(r->buf), 0,
		                     (struct sockaddr *)&from, &flen);
		int32_t k;
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK || errno == ECONNREFUSED ||
			               errno == EINTR
			           ? DP_OK
			           : DP_ELOOKUP;
		k = n >= 12 ? tab_find(r, sock, (uint16_t)(r->buf[0] << 8 | r->buf[1])) : -1;
		if (k < 0 || !same_addr(&from, &r->servers[r->slots[k].server].s.addr)) {
			r->st.dropped++; /* late, or from someone we did not ask */
			continue;
		}
		enum dp_status st = judge(r, &r->slots[k], r->buf, (size_t)n, now);
		if (st != DP_OK)
			return st;
	}
}

/* ---- TCP ------------------------------------------------------------------------ */

static enum dp_status start_tcp(struct dp_resolver *r, struct slot *s, int64_t now)
{
	const struct dp_server *srv = &r->servers[s->server].s;
	struct epoll_event ev = {.events = EPOLLOUT,
	                         .data.u64 = TCP_TAG | (uint64_t)(s - r->slots)};
	uint8_t *w = NULL;
	size_t len;
	enum dp_status st;

	s->tcp = TCP_CONNECTING;
	s->id = random_id(r);
	if ((st = wire_for(r, s, &w, &len)) != DP_OK)
		return st;
	s->tbuf = malloc(len + 2);
	s->tfd = socket(srv->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->tbuf == NULL || s->tfd < 0) {
		free(w);
		return s->tbuf == NULL ? DP_ENOMEM : DP_ELOOKUP;
	}
	s->tbuf[0] = (uint8_t)(len >> 8);
	s->tbuf[1] = (uint8_t)len;
	memcpy(s->tbuf + 2, w, len);
	free(w);
	s->tlen = len + 2;
	s->toff = 0;
	if ((connect(s->tfd, (const struct sockaddr *)&srv->addr, srv->len) != 0 &&
	     errno != EINPROGRESS) ||
	    epoll_ctl(r->ep, EPOLL_CTL_ADD, s->tfd, &ev) != 0)
		s->deadline = now; /* refused at once: the next timeout check retries */
	else
		set_deadline(r, s, now);
	r->st.sent++;
	return DP_OK;
}

/* Write the length-prefixed query, then wait for the answer. */
static void tcp_write(struct dp_resolver *r, struct slot *s)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = TCP_TAG | (uint64_t)(s - r->slots)};
	ssize_t n = write(s->tfd, s->tbuf + s->toff, s->tlen - s->toff);

	if (n < 0) {
		if (errno != EAGAIN)
			s->deadline = 0, s->why = "the TCP connection failed";
		return;
	}
	s->toff += (size_t)n;
	if (s->toff < s->tlen)
		return;
	free(s->tbuf);
	s->tbuf = malloc(65535 + 2);
	s->toff = 0;
	s->tcp = TCP_READING;
	if (s->tbuf == NULL || epoll_ctl(r->ep, EPOLL_CTL_MOD, s->tfd, &ev) != 0)
		s->deadline = 0, s->why = "the TCP connection failed";
}

static enum dp_status tcp_read(struct dp_resolver *r, struct slot *s, int64_t now)
{
	size_t want = s->toff < 2 ? 2 : 2 + (size_t)(s->tbuf[0] << 8 | s->tbuf[1]);
	ssize_t n = read(s->tfd, s->tbuf + s->toff, want - s->toff);

	if (n <= 0) {
		if (n == 0 || errno != EAGAIN)
			s->deadline = 0, s->why = "the TCP connection closed early";
		return DP_OK;
	}
	s->toff += (size_t)n;
	if (s->toff == 2 && want == 2)
		return tcp_read(r, s, now); /* the length is in: read the message */
	if (s->toff < want || want == 2)
		return DP_OK;
	enum dp_status st = judge(r, s, s->tbuf + 2, want - 2, now);
	if (st == DP_OK && s->e != NULL && s->tcp == TCP_READING)
		s->deadline = 0; /* a response over TCP we could not believe: try again */
	return st;
}

static enum dp_status tcp_event(struct dp_resolver *r, struct slot *s, uint32_t events, int64_t now)
{
	int err = 0;
	socklen_t elen = sizeof(err);

	if (s->e == NULL || s->tcp == TCP_NONE)
		return DP_OK; /* a stale event for a slot already done */
	if (s->tcp == TCP_CONNECTING) {
		if ((events & (EPOLLERR | EPOLLHUP)) ||
		    getsockopt(s->tfd, SOL_SOCKET, SO_ERROR, &err, &elen) != 0 || err != 0) {
			s->deadline = 0;
			s->why = "the TCP connection failed";
			return DP_OK;
		}
		tcp_write(r, s);
		return DP_OK;
	}
	return tcp_read(r, s, now);
}

/* ---- timeouts and retries -------------------------------------------------------- */

static enum dp_status retry(struct dp_resolver *r, struct slot *s, int64_t now)
{
	bool tcp = s->tcp != TCP_NONE;
	int srv = pick_server(r, s->e, s->attempt);

	if (srv < 0) {
		struct entry *e = s->e;
		release(r, s);
		finish(r, e, failed(r, e, DP_DNS_TIMEOUT, down_label(r, e), down_reason(r, e)));
		return DP_OK;
	}
	unhook(r, s);
	s->server = srv;
	return tcp ? start_tcp(r, s, now) : send_udp(r, s, now);
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
	release(r, s);
	finish(r, e, failed(r, e, DP_DNS_TIMEOUT, srv->s.label, why));
}

static enum dp_status expire(struct dp_resolver *r, int64_t now)
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
			st = retry(r, s, now);
		}
		if (st != DP_OK)
			return st;
		if (s->e != NULL && (r->next_deadline == 0 || s->deadline < r->next_deadline))
			r->next_deadline = s->deadline;
	}
	return DP_OK;
}

/* ---- the loop ----------------------------------------------------------------------- */

static int wait_ms(const struct dp_resolver *r, int64_t now)
{
	int64_t until = now + 100000; /* at least every 100 ms, for the tick */

	if (r->next_deadline != 0 && r->next_deadline < until)
		until = r->next_deadline;
	if (r->o.qps > 0 && r->q_head < r->q_len && r->next_send_us < until)
		until = r->next_send_us;
	return until <= now ? 0 : (int)((until - now + 999) / 1000);
}

static enum dp_status events(struct dp_resolver *r, int64_t now)
{
	struct epoll_event ev[64];
	int n = epoll_wait(r->ep, ev, 64, wait_ms(r, now));
	enum dp_status st = DP_OK;

	if (n < 0)
		return errno == EINTR ? DP_OK : DP_ELOOKUP;
	now = now_us();
	for (int i = 0; i < n && st == DP_OK; i++) {
		uint64_t d = ev[i].data.u64;
		if (d & TCP_TAG)
			st = tcp_event(r, &r->slots[(uint32_t)d], ev[i].events, now);
		else
			st = read_udp(r, (int)d, now);
	}
	return st;
}

enum dp_status dp_resolver_run(struct dp_resolver *r)
{
	enum dp_status st = DP_OK;

	for (;;) {
		int64_t now = now_us();
		deliver_ready(r);
		if ((st = pump(r, now)) != DP_OK)
			break;
		if (r->ready != NULL)
			continue;
		if (r->n_busy == 0 && r->q_head == r->q_len)
			break;
		if ((st = events(r, now)) != DP_OK || (st = expire(r, now_us())) != DP_OK)
			break;
		if (r->tick != NULL && now - r->last_tick >= 100000) {
			r->last_tick = now;
			r->tick(r->tick_ctx);
		}
	}
	return st != DP_OK ? st : r->oom ? DP_ENOMEM : DP_OK;
}
