/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The live source: the plan's names looked up through resolvers, or each
 * zone's authoritative servers compared; names of owned zones the inventory
 * does not list found by zone transfer; a progress line and counters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/grow.h"
#include "base/arena.h"
#include "base/strmap.h"
#include "dns/authns.h"
#include "dns/axfr.h"
#include "source/live.h"
#include "source/source.h"

#define MAX_SERVERS DP_MAX_SERVERS

/* What a live run looks up: names, and zones whose other names are found by AXFR. */
struct dp_live_names {
	const char *const *names;
	size_t n;
	const char *const *zones;
	size_t n_zones;
};

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
	if (dp_grow(&nm->v, &nm->cap, nm->n, sizeof(*nm->v), 64) != DP_OK) {
		nm->oom = true;
		return;
	}
	copy = dp_arena_strdup(nm->arena, name);
	if (copy == NULL || dp_strmap_put(nm->seen, copy, nm) != DP_OK) {
		nm->oom = true;
		return;
	}
	nm->v[nm->n++] = copy;
}

#define MAX_SERVER_STATS 64

/* One live run: its config, servers, names and counters. */
struct run {
	const struct dp_live_config *a;
	struct dp_resolver_opts ro;
	struct dp_server servers[MAX_SERVERS]; /* the config's, or /etc/resolv.conf */
	size_t n_servers;
	const struct dp_server *ns; /* --ns */
	size_t n_ns;
	struct dp_obs *o;
	struct dp_error *err;
	struct names nm;
	struct progress prog;
	struct dp_resolver_stats total;
	struct dp_resolver_server_stats per[MAX_SERVER_STATS]; /* labels copied into lab */
	char lab[MAX_SERVER_STATS][64];
	size_t n_per;
};

/* A server's counters added to those of the run's earlier resolvers, by label. */
static void add_server(struct run *R, const struct dp_resolver_server_stats *s)
{
	struct dp_resolver_server_stats *t = NULL;

	for (size_t i = 0; i < R->n_per && t == NULL; i++)
		if (strcmp(R->lab[i], s->label) == 0)
			t = &R->per[i];
	if (t == NULL && R->n_per == MAX_SERVER_STATS)
		return; /* --stats shows the first 64 servers */
	if (t == NULL) {
		snprintf(R->lab[R->n_per], sizeof(R->lab[0]), "%s", s->label);
		t = &R->per[R->n_per++];
		*t = (struct dp_resolver_server_stats){.label = R->lab[R->n_per - 1]};
	}
	t->sent += s->sent;
	t->tcp += s->tcp;
	t->drops += s->drops;
	t->slips += s->slips;
	t->cuts += s->cuts;
	t->secs += s->secs;
	t->moved_tcp |= s->moved_tcp;
	if (s->rate > 0)
		t->rate = s->rate;
}

static void add_stats(struct run *R, const struct dp_resolver *r)
{
	struct dp_resolver_stats s;

	dp_resolver_stats(r, &s);
	R->total.asked += s.asked;
	R->total.sent += s.sent;
	R->total.answered += s.answered;
	R->total.dropped += s.dropped;
	R->total.timeouts += s.timeouts;
	R->total.tcp += s.tcp;
	R->total.cached += s.cached;
	for (size_t i = 0; i < dp_resolver_server_count(r); i++) {
		struct dp_resolver_server_stats ss;
		dp_resolver_server_stats(r, i, &ss);
		if (ss.sent > 0)
			add_server(R, &ss);
	}
}

static enum dp_status new_resolver(struct run *R, const struct dp_server *s, size_t n,
                                   bool recursive, struct dp_resolver **out)
{
	struct dp_resolver_opts ro = R->ro;
	enum dp_status st;

	ro.servers = s;
	ro.n_servers = n;
	ro.recursive = recursive;
	st = dp_resolver_new(&ro, out);
	if (st != DP_OK)
		dp_error_set(R->err, st, NULL, 0, 0, "cannot start the resolver: %s",
		             dp_strerror(st));
	return st;
}

/*
 * The authoritative servers of one zone, found through the resolvers
 * (lookup errors are not the report's: a scratch observation takes them).
 */
static size_t zone_servers(struct run *R, const char *zone, struct dp_server *out, size_t max)
{
	struct dp_resolver *r = NULL;
	struct dp_obs *scratch = NULL;
	struct dp_authns_zone *z = NULL;
	size_t nz = 0, n = 0;

	if (new_resolver(R, R->servers, R->n_servers, true, &r) == DP_OK &&
	    dp_obs_new("live", &scratch) == DP_OK &&
	    dp_authns_find(r, scratch, &zone, 1, 53, &z, &nz) == DP_OK && nz == 1) {
		for (; n < z->n_servers && n < max; n++)
			out[n] = z->servers[n];
	}
	if (r != NULL)
		add_stats(R, r);
	dp_authns_free(z, nz);
	dp_obs_free(scratch);
	dp_resolver_free(r);
	return n;
}

/* Which servers may transfer an owned zone: --ns, its NS set (--authoritative), --server. */
static size_t axfr_servers(struct run *R, const char *zone, struct dp_server *out)
{
	const struct dp_server *from = NULL;
	size_t n = 0;

	if (R->n_ns > 0) {
		from = R->ns;
		n = R->n_ns;
	} else if (R->a->authoritative) {
		return zone_servers(R, zone, out, MAX_SERVERS);
	} else if (R->a->n_servers > 0) {
		from = R->servers;
		n = R->n_servers;
	}
	memcpy(out, from ? from : out, n * sizeof(*out));
	return n;
}

/*
 * A zone-file scan reports records at names the inventory does not list;
 * live, only a zone transfer can find them. Ask the zone's servers in turn;
 * say in the report when none transfers it.
 */
static enum dp_status discover(struct run *R, const char *zone)
{
	struct dp_server from[MAX_SERVERS];
	size_t n = axfr_servers(R, zone, from);
	char why[512] = "", note[768];

	if (n == 0) {
		snprintf(note, sizeof(note),
		         "names in zone %s that the inventory does not list (no server to transfer "
		         "the zone from: give --server, --ns or --authoritative)",
		         zone);
		return dp_obs_add_note(R->o, note);
	}
	for (size_t i = 0; i < n; i++) {
		enum dp_status st = dp_axfr_persist_names(&from[i], zone, R->ro.timeout_ms,
		                                          add_name, &R->nm, why, sizeof(why));
		if (st == DP_OK || st == DP_ENOMEM)
			return R->nm.oom ? DP_ENOMEM : st;
	}
	snprintf(note, sizeof(note), "names in zone %s that the inventory does not list: %s", zone,
	         why);
	return dp_obs_add_note(R->o, note);
}

static enum dp_status with_zones(struct run *R, const struct dp_live_names *in)
{
	enum dp_status st = DP_OK;

	if (dp_strmap_new(&R->nm.seen) != DP_OK)
		return DP_ENOMEM;
	R->nm.arena = dp_arena_new();
	if (R->nm.arena == NULL)
		return DP_ENOMEM;
	for (size_t i = 0; i < in->n && !R->nm.oom; i++)
		add_name(in->names[i], &R->nm);
	for (size_t i = 0; i < in->n_zones && st == DP_OK; i++)
		st = discover(R, in->zones[i]);
	return R->nm.oom ? DP_ENOMEM : st;
}

static void names_free(struct names *nm)
{
	free(nm->v);
	dp_strmap_free(nm->seen);
	dp_arena_free(nm->arena);
}

static void print_stats(const struct run *R)
{
	const struct dp_resolver_stats *s = &R->total;
	struct timespec now;
	double secs;

	clock_gettime(CLOCK_MONOTONIC, &now);
	secs = (double)(now.tv_sec - R->prog.start.tv_sec) +
	       (now.tv_nsec - R->prog.start.tv_nsec) / 1e9;
	fprintf(stderr,
	        "dnspersist: %zu name%s, %lu lookups (%lu shared), %lu queries sent, "
	        "%lu answers, %lu not believed, %lu timeouts, %lu over TCP; %.3f s, "
	        "%.0f queries/s\n",
	        R->nm.n, R->nm.n == 1 ? "" : "s", s->asked, s->cached, s->sent, s->answered,
	        s->dropped, s->timeouts, s->tcp, secs, secs > 0 ? (double)s->sent / secs : 0.0);
}

/* Per server: how often its pace was cut and where it settled, drops, share over TCP. */
static void print_servers(const struct run *R)
{
	for (size_t i = 0; i < R->n_per; i++) {
		const struct dp_resolver_server_stats *t = &R->per[i];
		char pace[64] = "never slowed down", limit[80] = "";
		if (t->cuts > 0)
			snprintf(pace, sizeof(pace), "slowed down %lu time%s", t->cuts,
			         t->cuts == 1 ? "" : "s");
		if (t->conn_limit > 0)
			snprintf(limit, sizeof(limit), "; at most %u answers per TCP connection",
			         t->conn_limit);
		fprintf(stderr,
		        "dnspersist: server %s: %lu queries, %.0f%% over TCP%s, %lu dropped, "
		        "%lu truncated; %s, settled at %.0f queries/s%s\n",
		        t->label, t->sent, t->sent ? 100.0 * (double)t->tcp / (double)t->sent : 0.0,
		        t->moved_tcp ? " (moved there)" : "", t->drops, t->slips, pace,
		        t->secs > 0 ? (double)t->sent / t->secs : 0.0, limit);
	}
}

/* Look names up through servers s; compare: every server each question. */
static enum dp_status observe_with(struct run *R, const struct dp_server *s, size_t n,
                                   bool recursive, const char *zone, const char *const *names,
                                   size_t n_names)
{
	struct dp_live_opts lo = {.compare = !recursive && n > 1, .n_servers = n, .zone = zone};
	struct dp_resolver *r = NULL;
	enum dp_status st = new_resolver(R, s, n, recursive, &r);

	if (st != DP_OK)
		return st;
	if (R->a->progress && R->nm.n > 1) {
		lo.done = progress_done;
		lo.ctx = &R->prog;
		dp_resolver_set_tick(r, progress_draw, &R->prog);
	}
	st = dp_live_observe(r, R->o, names, n_names, &lo);
	add_stats(R, r);
	dp_resolver_free(r);
	return st;
}

/* --authoritative without --ns: each zone's NS set, asked directly, zone by zone. */
static enum dp_status observe_zones(struct run *R)
{
	struct dp_authns_zone *z = NULL;
	struct dp_resolver *r = NULL;
	size_t nz = 0;
	enum dp_status st = new_resolver(R, R->servers, R->n_servers, true, &r);

	if (st == DP_OK) {
		st = dp_authns_find(r, R->o, R->nm.v, R->nm.n, 53, &z, &nz);
		add_stats(R, r);
		dp_resolver_free(r);
	}
	for (size_t i = 0; st == DP_OK && i < nz; i++)
		if (z[i].n_names > 0)
			st = observe_with(R, z[i].servers, z[i].n_servers, false, z[i].apex,
			                  z[i].names, z[i].n_names);
	dp_authns_free(z, nz);
	return st;
}

/* The configured resolvers, else those of /etc/resolv.conf. */
static enum dp_status resolvers(struct run *R)
{
	const struct dp_live_config *a = R->a;

	if (a->n_servers > 0) {
		memcpy(R->servers, a->servers, a->n_servers * sizeof(*a->servers));
		R->n_servers = a->n_servers;
		return DP_OK;
	}
	if (a->n_ns > 0)
		return DP_OK; /* --ns alone: no resolver needed */
	if (dp_server_resolv_conf(NULL, R->servers, MAX_SERVERS, &R->n_servers, R->err) != DP_OK ||
	    R->n_servers == 0)
		return dp_error_set(R->err, DP_EINVAL, NULL, 0, 0,
		                    "no resolver to ask: /etc/resolv.conf names none; give "
		                    "--server ADDR[@PORT]");
	return DP_OK;
}

static enum dp_status observe_all(struct run *R)
{
	if (R->n_ns > 0)
		return observe_with(R, R->ns, R->n_ns, false, NULL, R->nm.v, R->nm.n);
	if (R->a->authoritative)
		return observe_zones(R);
	return observe_with(R, R->servers, R->n_servers, true, NULL, R->nm.v, R->nm.n);
}

static enum dp_status live_observe(const void *cfg, const struct dp_plan *plan, struct dp_obs *o,
                                   struct dp_error *err)
{
	const struct dp_live_config *a = cfg;
	struct run *R = calloc(1, sizeof(*R));
	struct dp_live_names in = {dp_plan_names(plan), dp_plan_name_count(plan),
	                           dp_plan_zones(plan), dp_plan_zone_count(plan)};
	enum dp_status st;

	if (R == NULL)
		return DP_ENOMEM;
	*R = (struct run){.a = a, .ro = a->ro, .o = o, .err = err, .ns = a->ns, .n_ns = a->n_ns};
	clock_gettime(CLOCK_MONOTONIC, &R->prog.start);
	st = resolvers(R);
	if (st == DP_OK)
		st = with_zones(R, &in);
	if (st == DP_OK) {
		R->prog.total = R->nm.n;
		st = observe_all(R);
		if (R->prog.drawn)
			fputs("\r\033[K", stderr);
		if (a->stats) {
			print_servers(R);
			print_stats(R);
		}
		if (st != DP_OK && err->msg[0] == '\0')
			dp_error_set(err, st, NULL, 0, 0, "live lookups failed: %s",
			             dp_strerror(st));
	}
	names_free(&R->nm);
	free(R);
	return st == DP_OK || st == DP_ENOMEM || st == DP_EINVAL ? st : DP_ELOOKUP;
}

const struct dp_source dp_source_live = {"live", false, live_observe};
