/* SPDX-License-Identifier: BSD-3-Clause */
/* The live DNS engine's core: its life cycle, the lookups with their cache, and the loop. */
#include "base/grow.h"
#include "dns/resolve_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

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
	r->conns = calloc((o->n_servers ? o->n_servers : 1) * CONNS_PER_SERVER, sizeof(*r->conns));
	for (size_t c = 0; r->conns != NULL && c < o->n_servers * CONNS_PER_SERVER; c++)
		r->conns[c] = (struct conn){.fd = -1, .server = (int)(c / CONNS_PER_SERVER)};
	r->arena = dp_arena_new();
	r->ep = epoll_create1(EPOLL_CLOEXEC);
	if (r->servers == NULL || r->slots == NULL || r->tab == NULL || r->conns == NULL ||
	    r->arena == NULL || r->ep < 0 || dp_strmap_new(&r->cache) != DP_OK ||
	    o->n_servers == 0) {
		dp_resolver_free(r);
		return o->n_servers == 0 ? DP_EINVAL : DP_ENOMEM;
	}
	memset(r->tab, -1, cap * sizeof(*r->tab));
	r->start = now_us();
	for (size_t i = 0; i < o->n_servers; i++) {
		r->servers[i].s = o->servers[i];
		r->servers[i].last_heard = r->start;
		dp_cc_init(r, &r->servers[i], r->start);
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
	dp_res_conns_free(r);
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
	if (dp_grow(&r->queue, &r->q_cap, r->q_len, sizeof(*r->queue), 256) != DP_OK)
		return DP_ENOMEM;
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

/* The entry's arena, its copy of qname, its place in the queue. */
static enum dp_status entry_start(struct dp_resolver *r, struct entry *e, const char *qname)
{
	e->own = dp_arena_new_block(1024);
	if (e->own == NULL)
		return DP_ENOMEM;
	e->qname = dp_arena_strdup(e->own, qname);
	if (e->qname == NULL)
		return DP_ENOMEM;
	return enqueue(r, e);
}

enum dp_status dp_resolver_ask_once(struct dp_resolver *r, const char *qname, uint16_t qtype,
                                    int server, dp_resolve_cb cb, void *ctx)
{
	struct entry *e = calloc(1, sizeof(*e));

	r->st.asked++;
	if (e == NULL || entry_start(r, e, qname) != DP_OK) {
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

struct dp_dns_answer *dp_res_failed(struct dp_resolver *r, const struct entry *e,
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

void dp_res_finish(struct dp_resolver *r, struct entry *e, struct dp_dns_answer *a)
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

/* ---- the loop ----------------------------------------------------------------------- */

static int wait_ms(const struct dp_resolver *r, int64_t now)
{
	int64_t until = now + 100000; /* at least every 100 ms, for the tick */

	if (r->next_deadline != 0 && r->next_deadline < until)
		until = r->next_deadline;
	if (r->o.qps > 0 && r->q_head < r->q_len && r->next_send_us < until)
		until = r->next_send_us;
	if (r->pace_wake != 0 && r->pace_wake < until)
		until = r->pace_wake;
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
			st = dp_res_tcp_event(r, d, ev[i].events, now);
		else
			st = dp_res_read_udp(r, (int)d, now);
	}
	return st;
}

enum dp_status dp_resolver_run(struct dp_resolver *r)
{
	enum dp_status st = DP_OK;

	for (;;) {
		int64_t now = now_us();
		deliver_ready(r);
		st = dp_res_pump(r, now);
		if (st != DP_OK)
			break;
		if (r->ready != NULL)
			continue;
		if (r->n_busy == 0 && r->q_head == r->q_len)
			break;
		st = events(r, now);
		if (st == DP_OK)
			st = dp_res_expire(r, now_us());
		if (st != DP_OK)
			break;
		if (now - r->last_tick >= 100000) {
			r->last_tick = now;
			dp_res_conns_idle(r, now);
			if (r->tick != NULL)
				r->tick(r->tick_ctx);
		}
	}
	return st != DP_OK ? st : r->oom ? DP_ENOMEM : DP_OK;
}
