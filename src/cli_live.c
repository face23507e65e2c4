/* SPDX-License-Identifier: BSD-3-Clause */
/* The live-DNS options shared by scan and verify, and the progress display. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "axfr.h"
#include "cli.h"
#include "live.h"
#include "strmap.h"
#include "msg.h"
#include "num.h"

#define MAX_SERVERS 16

bool dp_live_opt(struct dp_live_args *a, int c, const char *arg)
{
	switch (c) {
	case 's':
		return dp_strv_push(&a->servers, arg);
	case DP_OPT_CONCURRENCY:
		a->concurrency = arg;
		return true;
	case DP_OPT_QPS:
		a->qps = arg;
		return true;
	case DP_OPT_TIMEOUT:
		a->timeout = arg;
		return true;
	case DP_OPT_RETRIES:
		a->retries = arg;
		return true;
	case DP_OPT_AUTHORITATIVE:
		a->authoritative = true;
		return true;
	case DP_OPT_STATS:
		a->stats = true;
		return true;
	default:
		return false;
	}
}

static bool count(const char *opt, const char *arg, int64_t min, int64_t max, unsigned *out)
{
	int64_t v;

	if (arg == NULL)
		return true;
	if (dp_parse_int(arg, strlen(arg), false, min, max, &v) != DP_OK) {
		dp_msg_error("%s: '%s' is not a whole number from %lld to %lld", opt, arg,
		             (long long)min, (long long)max);
		return false;
	}
	*out = (unsigned)v;
	return true;
}

/* "2", "0.5" or "1.25" seconds, as milliseconds. */
static bool seconds(const char *arg, unsigned *ms)
{
	const char *dot;
	int64_t whole = 0, frac = 0;
	size_t wlen, flen = 0;

	if (arg == NULL)
		return true;
	dot = strchr(arg, '.');
	wlen = dot ? (size_t)(dot - arg) : strlen(arg);
	if (dot != NULL && ((flen = strlen(dot + 1)) == 0 || flen > 3))
		goto bad;
	if ((wlen > 0 && dp_parse_int(arg, wlen, false, 0, 3600, &whole) != DP_OK) ||
	    (wlen == 0 && dot == NULL) ||
	    (flen > 0 && dp_parse_int(dot + 1, flen, false, 0, 999, &frac) != DP_OK))
		goto bad;
	for (size_t i = flen; i < 3; i++)
		frac *= 10;
	*ms = (unsigned)(whole * 1000 + frac);
	if (*ms >= 10)
		return true;
bad:
	dp_msg_error("--timeout: '%s' is not a number of seconds from 0.01 to 3600", arg);
	return false;
}

bool dp_live_args_check(const struct dp_live_args *a, struct dp_resolver_opts *ro)
{
	*ro = (struct dp_resolver_opts){.concurrency = 100, .timeout_ms = 2000, .retries = 2};
	return count("--concurrency", a->concurrency, 1, 10000, &ro->concurrency) &&
	       count("--qps", a->qps, 1, 10000000, &ro->qps) &&
	       seconds(a->timeout, &ro->timeout_ms) &&
	       count("--retries", a->retries, 0, 10, &ro->retries);
}

static bool servers_of(const struct dp_live_args *a, struct dp_server *out, size_t *n)
{
	struct dp_error err = {0};

	if (a->servers.n > MAX_SERVERS) {
		dp_msg_error("--server: at most %d servers", MAX_SERVERS);
		return false;
	}
	for (*n = 0; *n < a->servers.n; (*n)++)
		if (dp_server_parse(a->servers.v[*n], &out[*n], &err) != DP_OK) {
			dp_msg_error("--server: %s", err.msg);
			return false;
		}
	if (*n > 0)
		return true;
	if (dp_server_resolv_conf(NULL, out, MAX_SERVERS, n, &err) != DP_OK || *n == 0) {
		dp_msg_error(
		    "no resolver to ask: /etc/resolv.conf names none; give --server ADDR[@PORT]");
		return false;
	}
	return true;
}

/* ---- progress on a terminal ---------------------------------------------------------- */

struct progress {
	size_t total, done, failed;
	struct timespec start;
	bool drawn;
};

static void progress_done(const char *name, bool failed, void *ctx)
{
	struct progress *p = ctx;

	(void)name;
	p->done++;
	p->failed += failed;
}

static void progress_draw(void *ctx)
{
	struct progress *p = ctx;
	struct timespec now;
	double secs;

	clock_gettime(CLOCK_MONOTONIC, &now);
	secs = (double)(now.tv_sec - p->start.tv_sec) + (now.tv_nsec - p->start.tv_nsec) / 1e9;
	fprintf(stderr, "\r\033[K%zu/%zu names  %.0f/s  %zu with errors", p->done, p->total,
	        secs > 0 ? (double)p->done / secs : 0.0, p->failed);
	p->drawn = true;
}

/* ---- names in owned zones, by AXFR ------------------------------------------------------ */

struct names {
	const char **v;
	size_t n, cap;
	struct dp_strmap *seen;
	struct dp_arena *arena;
	bool oom;
};

static void add_name(const char *name, void *ctx)
{
	struct names *nm = ctx;
	const char *copy;

	if (nm->oom || dp_strmap_get(nm->seen, name) != NULL)
		return;
	if (nm->n == nm->cap) {
		size_t cap = nm->cap ? nm->cap * 2 : 64;
		const char **v = realloc(nm->v, cap * sizeof(*v));
		if (v == NULL) {
			nm->oom = true;
			return;
		}
		nm->v = v;
		nm->cap = cap;
	}
	copy = dp_arena_strdup(nm->arena, name);
	if (copy == NULL || dp_strmap_put(nm->seen, copy, nm) != DP_OK) {
		nm->oom = true;
		return;
	}
	nm->v[nm->n++] = copy;
}

/*
 * A zone-file scan reports records at names the inventory does not list;
 * live, only a zone transfer can find them. Ask the given servers in turn;
 * say in the report when none transfers the zone.
 */
static enum dp_status discover(const struct dp_live_args *a, const struct dp_server *servers,
                               size_t n_servers, unsigned timeout_ms, const char *zone,
                               struct names *nm, struct dp_obs *o)
{
	char why[512] = "", note[768];

	if (a->servers.n == 0) {
		snprintf(note, sizeof(note),
		         "names in zone %s that the inventory does not list (no --server to "
		         "transfer the zone from)",
		         zone);
		return dp_obs_add_note(o, note);
	}
	for (size_t i = 0; i < n_servers; i++) {
		enum dp_status st = dp_axfr_persist_names(&servers[i], zone, timeout_ms, add_name,
		                                          nm, why, sizeof(why));
		if (st == DP_OK || st == DP_ENOMEM)
			return nm->oom ? DP_ENOMEM : st;
	}
	snprintf(note, sizeof(note), "names in zone %s that the inventory does not list: %s", zone,
	         why);
	return dp_obs_add_note(o, note);
}

static enum dp_status with_zones(const struct dp_live_args *a, const struct dp_server *servers,
                                 size_t n_servers, unsigned timeout_ms,
                                 const struct dp_live_names *in, struct names *nm, struct dp_obs *o)
{
	enum dp_status st = DP_OK;

	if (dp_strmap_new(&nm->seen) != DP_OK || (nm->arena = dp_arena_new()) == NULL)
		return DP_ENOMEM;
	for (size_t i = 0; i < in->n && !nm->oom; i++)
		add_name(in->names[i], nm);
	for (size_t i = 0; i < in->n_zones && st == DP_OK; i++)
		st = discover(a, servers, n_servers, timeout_ms, in->zones[i], nm, o);
	return nm->oom ? DP_ENOMEM : st;
}

static void names_free(struct names *nm)
{
	free(nm->v);
	dp_strmap_free(nm->seen);
	dp_arena_free(nm->arena);
}

static void print_stats(const struct dp_resolver *r, size_t names, const struct timespec *t0)
{
	struct dp_resolver_stats s;
	struct timespec now;
	double secs;

	dp_resolver_stats(r, &s);
	clock_gettime(CLOCK_MONOTONIC, &now);
	secs = (double)(now.tv_sec - t0->tv_sec) + (now.tv_nsec - t0->tv_nsec) / 1e9;
	fprintf(stderr,
	        "dnspersist: %zu names, %lu lookups (%lu shared), %lu queries sent, "
	        "%lu answers, %lu not believed, %lu timeouts, %lu over TCP; %.3f s, "
	        "%.0f queries/s\n",
	        names, s.asked, s.cached, s.sent, s.answered, s.dropped, s.timeouts, s.tcp, secs,
	        secs > 0 ? (double)s.sent / secs : 0.0);
}

enum dp_status dp_cli_live(const struct dp_live_args *a, const struct dp_resolver_opts *base,
                           const struct dp_live_names *in, struct dp_obs *o)
{
	struct dp_server servers[MAX_SERVERS];
	struct dp_resolver_opts ro = *base;
	struct dp_live_opts lo = {0};
	struct dp_resolver *r = NULL;
	struct names nm = {0};
	struct progress prog = {0};
	enum dp_status st;

	if (!servers_of(a, servers, &ro.n_servers))
		return DP_EINVAL;
	if ((st = with_zones(a, servers, ro.n_servers, ro.timeout_ms, in, &nm, o)) != DP_OK) {
		dp_msg_error("%s", dp_strerror(st));
		names_free(&nm);
		return st;
	}
	prog.total = nm.n;
	ro.servers = servers;
	ro.recursive = !a->authoritative;
	lo.compare = a->authoritative && ro.n_servers > 1;
	lo.n_servers = ro.n_servers;
	if ((st = dp_resolver_new(&ro, &r)) != DP_OK) {
		dp_msg_error("cannot start the resolver: %s", dp_strerror(st));
		return st;
	}
	if (isatty(STDERR_FILENO) && nm.n > 1) {
		lo.done = progress_done;
		lo.ctx = &prog;
		dp_resolver_set_tick(r, progress_draw, &prog);
	}
	clock_gettime(CLOCK_MONOTONIC, &prog.start);
	st = dp_live_observe(r, o, nm.v, nm.n, &lo);
	if (prog.drawn)
		fputs("\r\033[K", stderr);
	if (a->stats)
		print_stats(r, nm.n, &prog.start);
	if (st != DP_OK)
		dp_msg_error("live lookups failed: %s", dp_strerror(st));
	dp_resolver_free(r);
	names_free(&nm);
	return st == DP_OK || st == DP_ENOMEM ? st : DP_ELOOKUP;
}
