/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Inside the live DNS engine: the state its files share and the calls
 * between them. resolve.c keeps the lookups, the cache and the loop;
 * resolve_send.c the query IDs, the (socket, id) table, sending, timeouts
 * and retries; resolve_answer.c judges responses; resolve_tcp.c does TCP.
 * Nothing outside src/lib/dns/resolve*.c includes this.
 */
#ifndef DP_RESOLVE_INT_H
#define DP_RESOLVE_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "base/arena.h"
#include "base/strmap.h"
#include "dns/resolve.h"

#define SOCKS_PER_FAMILY 32 /* source ports in the pool, per address family */
#define MAX_BACKOFF      3  /* the timeout doubles at most this many times */
#define TCP_TAG          (1ull << 32)

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
static inline struct dp_arena *arena_of(const struct dp_resolver *r, const struct entry *e)
{
	return e->own != NULL ? e->own : r->arena;
}

static inline int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* resolve.c: ending a lookup. */
struct dp_dns_answer *dp_res_failed(struct dp_resolver *r, const struct entry *e,
                                    enum dp_dns_kind kind, const char *server, const char *why);
void dp_res_finish(struct dp_resolver *r, struct entry *e, struct dp_dns_answer *a);

/* resolve_send.c: IDs, the table, sending, timeouts and retries. */
uint16_t dp_res_random_id(struct dp_resolver *r);
int32_t dp_res_tab_find(const struct dp_resolver *r, int sock, uint16_t id);
void dp_res_tab_del(struct dp_resolver *r, int32_t slot);
void dp_res_set_deadline(struct dp_resolver *r, struct slot *s, int64_t now);
void dp_res_release(struct dp_resolver *r, struct slot *s);
enum dp_status dp_res_wire_for(struct dp_resolver *r, struct slot *s, uint8_t **w, size_t *len);
int dp_res_sock_fd(const struct dp_resolver *r, int sock);
enum dp_status dp_res_pump(struct dp_resolver *r, int64_t now);
enum dp_status dp_res_retry(struct dp_resolver *r, struct slot *s, int64_t now);
enum dp_status dp_res_expire(struct dp_resolver *r, int64_t now);

/* resolve_answer.c: responses. */
enum dp_status dp_res_judge(struct dp_resolver *r, struct slot *s, const uint8_t *p, size_t len,
                            int64_t now);
enum dp_status dp_res_read_udp(struct dp_resolver *r, int sock, int64_t now);

/* resolve_tcp.c */
enum dp_status dp_res_start_tcp(struct dp_resolver *r, struct slot *s, int64_t now);
enum dp_status dp_res_tcp_event(struct dp_resolver *r, struct slot *s, uint32_t events,
                                int64_t now);

#endif
