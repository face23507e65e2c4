/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Inside the live DNS engine: the state its files share and the calls
 * between them. resolve.c keeps the lookups, the cache and the loop;
 * resolve_send.c the query IDs, the (socket, id) table, sending, timeouts
 * and retries; resolve_answer.c judges responses; resolve_tcp.c keeps the
 * TCP connections; resolve_cc.c paces each server (congestion control).
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
#define CONNS_PER_SERVER 4 /* RFC 7766 6.2.2: a few connections, many queries on each */
#define CONN_BASE        (2 * SOCKS_PER_FAMILY) /* table socket number of connection 0 */
#define MAX_RESENDS      6 /* early resends within one try (UDP loss, a closed connection) */
#define MAX_FREE         4 /* tries a throttling server's timeouts do not use up */

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

struct slot {
	struct entry *e; /* NULL when free */
	int sock;        /* in the table: a UDP pool index or CONN_BASE + connection; -1: none */
	int server;      /* asked now */
	uint16_t id;
	unsigned attempt;
	unsigned resends;    /* early resends in this try */
	unsigned free_tries; /* timeouts forgiven because the server was throttling */
	bool cd;
	bool tcp;         /* this lookup goes over TCP (its answer was truncated) */
	bool parked;      /* every connection was full: it waits for room, not a resend */
	int64_t sent_at;  /* the last send: round trips, and what a cut already covers */
	int64_t lost_at;  /* no answer by then: taken as lost and sent again */
	int64_t deadline; /* the end of this try */
	const char *why;  /* the last response not believed, for the error */
};

/* One TCP connection of a server's pool (RFC 7766: pipelined, answers in any order). */
struct conn {
	int fd; /* -1: closed */
	int server;
	bool connecting, want_out;
	uint8_t *out; /* length-prefixed queries not yet written */
	size_t out_len, out_off, out_cap;
	uint8_t *in; /* 2 + 65535 octets while open */
	size_t in_len;
	unsigned inflight;
	unsigned sent, answered; /* queries written to it, answers matched on it */
	int64_t idle_us;         /* closed when idle this long (ours, or RFC 7828 keepalive) */
	int64_t last_io, last_read;
	uint32_t gen; /* told apart from an earlier connection of the same index (24 bits) */
};

/* A server's congestion state: a window, a pacing rate, what it has seen. */
struct cc {
	double cwnd;     /* queries in flight at most */
	double rate;     /* queries per second at most; 0: not paced */
	double rate_cut; /* the rate after the last cut: the step of the increase */
	unsigned inflight;
	int64_t next_send, last_cut;
	int64_t srtt, rttvar; /* microseconds; srtt 0: no sample yet */
	int64_t epoch;        /* start of the 100 ms the counters below cover */
	unsigned ep_sent, ep_ans, ep_bad;
	double send_rate, ans_rate; /* over the last whole epoch */
	unsigned tc_seen, loss_cuts;
	bool tcp; /* moved to TCP for the rest of the run */
	unsigned long sent, tcp_sent, answered, losses, cuts;
};

struct srv {
	struct dp_server s;
	int64_t last_heard;  /* when it last answered (the run's start before that) */
	unsigned conn_limit; /* answers per TCP connection before it closes (0: none seen) */
	bool down;
	struct cc cc;
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
	struct conn *conns;   /* CONNS_PER_SERVER per server */
	int64_t next_send_us; /* the rate cap */
	int64_t pace_wake;    /* a paced server may send again then (0: none waits) */
	int64_t start;
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
void dp_res_tab_put(struct dp_resolver *r, int32_t slot);
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

enum dp_status dp_res_send(struct dp_resolver *r, struct slot *s, int64_t now);
void dp_res_sent(struct dp_resolver *r, struct slot *s, bool tcp, int64_t now);
void dp_res_wake_at(struct dp_resolver *r, int64_t when);
void dp_res_unhook(struct dp_resolver *r, struct slot *s);
void dp_res_lost_soon(struct dp_resolver *r, struct slot *s, int64_t when, const char *why);

/* resolve_tcp.c: the connection pools. */
enum dp_status dp_res_send_tcp(struct dp_resolver *r, struct slot *s, int64_t now);
enum dp_status dp_res_tcp_event(struct dp_resolver *r, uint64_t tag, uint32_t events, int64_t now);
void dp_res_conn_keepalive(struct dp_resolver *r, const struct slot *s, int timeout);
void dp_res_conn_stalled(struct dp_resolver *r, const struct slot *s, int64_t now);
void dp_res_conns_idle(struct dp_resolver *r, int64_t now);
void dp_res_conns_free(struct dp_resolver *r);

/* resolve_cc.c: per-server congestion control. */
void dp_cc_init(struct dp_resolver *r, struct srv *v, int64_t now);
bool dp_cc_may_send(struct dp_resolver *r, struct srv *v, int64_t now);
void dp_cc_sent(struct dp_resolver *r, struct srv *v, bool tcp, int64_t now);
void dp_cc_answer(struct dp_resolver *r, struct srv *v, const struct slot *s, enum dp_dns_kind kind,
                  int64_t now);
void dp_cc_loss(struct dp_resolver *r, struct srv *v, const struct slot *s, int64_t now);
void dp_cc_truncated(struct dp_resolver *r, struct srv *v, const struct slot *s, int64_t now);
int64_t dp_cc_rto(const struct dp_resolver *r, const struct srv *v, unsigned resends);

#endif
