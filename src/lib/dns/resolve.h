/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The live DNS engine: many queries in flight over a pool of non-blocking
 * UDP sockets driven by epoll, TCP when an answer is truncated, retries with
 * backoff, an optional rate cap, and a per-run cache shared by every lookup.
 */
#ifndef DP_RESOLVE_H
#define DP_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns/dnswire.h"
#include "dns/server.h"
#include "base/status.h"

struct dp_resolver_opts {
	const struct dp_server *servers; /* copied */
	size_t n_servers;
	unsigned concurrency; /* queries in flight (0: 100) */
	unsigned qps;         /* queries sent per second at most (0: no cap) */
	unsigned timeout_ms;  /* first try (0: 2000); doubled for each retry */
	unsigned retries;     /* tries after the first (the default is 2) */
	bool recursive;       /* RD set; DNSSEC status from AD; bogus detected with CD */
};

struct dp_resolver;

enum dp_status dp_resolver_new(const struct dp_resolver_opts *o, struct dp_resolver **out);
void dp_resolver_free(struct dp_resolver *r);

/*
 * The answer for one lookup, delivered once from dp_resolver_run(). It
 * lives, with its strings, until dp_resolver_free().
 */
typedef void (*dp_resolve_cb)(const struct dp_dns_answer *a, void *ctx);

/*
 * Ask (qname, qtype). server is an index into the servers, asked alone, or
 * -1 for any (the first that is up; retries move on to the next). A lookup
 * asked before is answered from the run's cache. Callbacks may ask more.
 */
enum dp_status dp_resolver_ask(struct dp_resolver *r, const char *qname, uint16_t qtype, int server,
                               dp_resolve_cb cb, void *ctx);

/*
 * The same for a lookup nobody else will ask (a name's own records): not
 * cached, and its memory is released as soon as it has been answered, so
 * that a run over many names stays small. The answer is valid only during
 * the callback.
 */
enum dp_status dp_resolver_ask_once(struct dp_resolver *r, const char *qname, uint16_t qtype,
                                    int server, dp_resolve_cb cb, void *ctx);

/* Run until nothing is queued or in flight. Only a system failure is an error. */
enum dp_status dp_resolver_run(struct dp_resolver *r);

/* Called about every 100 ms while running (progress display). */
void dp_resolver_set_tick(struct dp_resolver *r, void (*tick)(void *ctx), void *ctx);

struct dp_resolver_stats {
	unsigned long asked;    /* lookups asked, cache hits included */
	unsigned long sent;     /* datagrams and TCP queries sent, retries included */
	unsigned long answered; /* responses believed */
	unsigned long dropped;  /* responses not believed */
	unsigned long timeouts; /* lookups that ended without an answer */
	unsigned long tcp;      /* lookups retried over TCP */
	unsigned long cached;   /* lookups that shared another's query (cache or in flight) */
};
void dp_resolver_stats(const struct dp_resolver *r, struct dp_resolver_stats *s);

/* One server's part of a run: how it was paced, what it dropped, how much went over TCP. */
struct dp_resolver_server_stats {
	const char *label;   /* the server's; lives as long as the resolver */
	unsigned long sent;  /* queries sent to it, retries included */
	unsigned long tcp;   /* of those, over TCP */
	unsigned long drops; /* queries it left unanswered (sent again, or timed out) */
	unsigned long slips; /* truncated answers over UDP */
	unsigned long cuts;  /* times its window and pace were cut */
	double rate;         /* its last pacing rate, queries/s; 0: not paced */
	double secs;         /* since the resolver started */
	bool moved_tcp;      /* its traffic moved to TCP for the rest of the run */
	unsigned conn_limit; /* answers per TCP connection before it closes; 0: none seen */
};
size_t dp_resolver_server_count(const struct dp_resolver *r);
void dp_resolver_server_stats(const struct dp_resolver *r, size_t i,
                              struct dp_resolver_server_stats *out);

#endif
