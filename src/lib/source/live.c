/* SPDX-License-Identifier: BSD-3-Clause */
/* The live source: per-name lookup jobs on the resolve engine, filling observations. */
#include "source/live.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/name.h"

#define PREFIX "_validation-persist."
#define WINDOW 2048 /* names looked up at once; bounds memory on huge inventories */

struct live {
	struct dp_resolver *r;
	struct dp_obs *o;
	const struct dp_live_opts *opts;
	const char *const *names;
	size_t n, next, active;
	bool oom;
};

struct job {
	struct live *L;
	const char *name; /* the base name, "*." removed */
	const char *apex; /* learned from an SOA, or NULL */
	unsigned pending;
	bool failed;
};

typedef void (*step_fn)(struct job *j, const struct dp_dns_answer *a);

/* One question of a job; in compare mode, asked of every server. */
struct ask {
	struct job *j;
	step_fn step;
	size_t n, got;
	const struct dp_dns_answer **ans;
};

struct part {
	struct ask *q;
	size_t i;
};

static void start_next(struct live *L);

/* ---- notes ------------------------------------------------------------------ */

static struct dp_obs_dns *dns_of(struct job *j)
{
	struct dp_obs_dns *d = dp_obs_dns(j->L->o, j->name);

	if (d == NULL)
		j->L->oom = true;
	return d;
}

static const char *type_name(uint16_t t)
{
	return t == DP_DNS_TXT ? "TXT" : t == DP_DNS_CAA ? "CAA" : "query";
}

/* "TXT _validation-persist.x: timeout (the server stopped answering) from 192.0.2.1@53" */
static const char *describe(struct job *j, const struct dp_dns_answer *a, const char *what)
{
	char buf[768];

	snprintf(buf, sizeof(buf), "%s %s: %s%s%s%s%s%s", type_name(a->qtype), a->qname,
	         what ? what : dp_dns_kind_name(a->kind), a->detail ? " (" : "",
	         a->detail ? a->detail : "", a->detail ? ")" : "", a->server ? " from " : "",
	         a->server ? a->server : "");
	const char *s = dp_obs_strdup(j->L->o, buf);
	if (s == NULL)
		j->L->oom = true;
	return s;
}

static void note_error(struct job *j, const struct dp_dns_answer *a)
{
	struct dp_obs_dns *d = dns_of(j);

	j->failed = true;
	if (d != NULL && d->error == NULL)
		d->error = describe(j, a, NULL);
}

static void note_bogus(struct job *j, const struct dp_dns_answer *a)
{
	struct dp_obs_dns *d = dns_of(j);

	if (d != NULL && d->bogus == NULL)
		d->bogus = describe(j, a, "validation failed");
}

/* The climbs stop at level: the server refuses the names above. */
static void note_cut(struct job *j, const struct dp_dns_answer *a)
{
	struct dp_obs_dns *d = dns_of(j);
	char buf[512];

	if (d == NULL || d->cut != NULL)
		return;
	snprintf(buf, sizeof(buf), "%s refused %s %s: the levels from there up were not checked",
	         a->server ? a->server : "the server", type_name(a->qtype), a->qname);
	d->cut = dp_obs_strdup(j->L->o, buf);
	if (d->cut == NULL)
		j->L->oom = true;
}

/* ---- observations --------------------------------------------------------------- */

/* Where the data came from: the server and the DNSSEC status. */
static const char *source(const struct dp_dns_answer *a, char *buf, size_t size)
{
	snprintf(buf, size, "%s %s", a->server ? a->server : "dns", dp_dnssec_name(a->dnssec));
	return buf;
}

/*
 * A chain's end belongs to the lookup that followed it: kept with the
 * asking name (its base for TXT), so that neither the target's own lookup
 * nor another name's chain to it can stand in for this answer.
 */
static enum dp_status add_chain_end(struct job *j, const struct dp_dns_answer *a, const char *src)
{
	struct dp_obs *o = j->L->o;
	bool caa = a->qtype == DP_DNS_CAA, oom = false;
	const char *x = caa ? a->qname : a->qname + strlen(PREFIX);
	enum dp_status st = DP_OK;

	if (!dp_obs_chain_begin(o, x, caa, a->owner, &oom))
		return oom ? DP_ENOMEM : DP_OK; /* a shared answer, held already */
	for (const struct dp_dns_rr *rr = a->rrs; rr != NULL && st == DP_OK; rr = rr->next)
		st = caa ? dp_obs_add_chain_caa(o, x, rr->flags, rr->tag, rr->data, rr->len, src)
		         : dp_obs_add_chain_txt(o, x, rr->data, rr->len, src);
	return st;
}

static enum dp_status add_rrs(struct job *j, const struct dp_dns_answer *a, const char *src)
{
	struct dp_obs *o = j->L->o;
	const char *prev = a->qname;
	enum dp_status st = DP_OK;

	for (size_t i = 0; i < a->n_chain && st == DP_OK; prev = a->chain[i++])
		st = dp_obs_add_cname(o, prev, a->chain[i], src, 0);
	if (st == DP_OK && a->n_chain > 0)
		return add_chain_end(j, a, src);
	/* an RRset comes whole in one answer: held already means added already */
	if (st != DP_OK || a->rrs == NULL || dp_obs_has_rrset(o, a->owner, a->qtype == DP_DNS_CAA))
		return st;
	for (const struct dp_dns_rr *rr = a->rrs; rr != NULL && st == DP_OK; rr = rr->next)
		st = a->qtype == DP_DNS_TXT ? dp_obs_add_txt(o, a->owner, rr->data, rr->len, src, 0)
		                            : dp_obs_add_caa(o, a->owner, rr->flags, rr->tag,
		                                             rr->data, rr->len, src, 0);
	return st;
}

/*
 * Bailiwick: the servers of one zone are believed for names in that zone
 * only. A CNAME chain that leaves it ends the lookup in an error naming the
 * target, rather than let data made up for another zone stand in for what
 * that zone's own servers say.
 */
static bool out_of_bailiwick(struct job *j, const struct dp_dns_answer *a)
{
	const char *zone = j->L->opts->zone;
	char why[600];

	/* every name of the chain must be the zone's, or the data is another zone's */
	if (zone == NULL || dp_dns_in_bailiwick(a, zone) == a->n_chain + 1)
		return false;
	snprintf(why, sizeof(why),
	         "a CNAME leads out of zone %s to %s: what the servers of %s say about it is not "
	         "believed (follow it with a resolver, --server)",
	         zone, a->owner, zone);
	note_error(j, &(struct dp_dns_answer){.kind = DP_DNS_ERROR,
	                                      .qname = a->qname,
	                                      .qtype = a->qtype,
	                                      .detail = why,
	                                      .server = a->server});
	return true;
}

/* Put an answer into the observations once, however many names share it. */
static void record(struct job *j, const struct dp_dns_answer *a)
{
	char src[128];

	if (!dp_dns_kind_ok(a->kind) || a->dnssec == DP_DNSSEC_BOGUS)
		return; /* a CA sees no data here */
	if (out_of_bailiwick(j, a))
		return;
	if (add_rrs(j, a, source(a, src, sizeof(src))) != DP_OK)
		j->L->oom = true;
}

/* Learn the zone apex from an SOA, when it is about the name asked. */
static void learn_apex(struct job *j, const struct dp_dns_answer *a, const char *level)
{
	if (j->apex != NULL || a->zone == NULL || a->n_chain > 0)
		return;
	if (!dp_name_equal(level, a->zone) && !dp_name_is_below(level, a->zone))
		return;
	j->apex = strdup(a->zone);
	if (j->apex == NULL)
		j->L->oom = true;
}

/* Does the ancestor climb go on from level to its parent? */
static bool climbs(const struct job *j, const char *level)
{
	const char *p = dp_name_parent(level);

	if (p == NULL)
		return false;
	if (j->apex != NULL)
		return dp_name_is_below(level, j->apex);
	return dp_name_label_count(p) >= 2; /* apex unknown: not up to the TLD */
}

/* ---- asking ----------------------------------------------------------------------- */

static void job_done(struct job *j)
{
	struct live *L = j->L;

	L->active--;
	if (L->opts->done != NULL)
		L->opts->done(j->name, j->failed, L->opts->ctx);
	free((void *)j->apex);
	free(j);
	start_next(L);
}

/* Two answers say the same: the same outcome and the same RRs in any order. */
static bool same_answer(const struct dp_dns_answer *a, const struct dp_dns_answer *b)
{
	if (a->kind != b->kind || a->n_rrs != b->n_rrs || a->n_chain != b->n_chain)
		return false;
	for (const struct dp_dns_rr *x = a->rrs; x != NULL; x = x->next) {
		bool found = false;
		for (const struct dp_dns_rr *y = b->rrs; y != NULL && !found; y = y->next)
			found = x->len == y->len && x->flags == y->flags &&
			        memcmp(x->data, y->data, x->len) == 0 &&
			        (x->tag == NULL) == (y->tag == NULL) &&
			        (x->tag == NULL || strcmp(x->tag, y->tag) == 0);
		if (!found)
			return false;
	}
	return true;
}

static void note_inconsistent(struct job *j, const struct dp_dns_answer *a,
                              const struct dp_dns_answer *b)
{
	struct dp_obs_dns *d = dns_of(j);
	char buf[768];

	if (d == NULL || d->inconsistent != NULL)
		return;
	snprintf(
	    buf, sizeof(buf), "%s %s: %s answers %s with %zu RR(s), %s answers %s with %zu RR(s)",
	    type_name(a->qtype), a->qname, a->server ? a->server : "?", dp_dns_kind_name(a->kind),
	    a->n_rrs, b->server ? b->server : "?", dp_dns_kind_name(b->kind), b->n_rrs);
	if (b->kind == a->kind && b->n_rrs == a->n_rrs)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), ", which differ");
	d->inconsistent = dp_obs_strdup(j->L->o, buf);
	if (d->inconsistent == NULL)
		j->L->oom = true;
}

/*
 * Every server has answered: compare, and go on with the first answer that
 * failed, if any. A CA may ask any of a zone's servers: one that is silent,
 * SERVFAILs or refuses while the others answer is a finding, never dropped.
 */
static const struct dp_dns_answer *settle(struct ask *q)
{
	for (size_t i = 1; i < q->n; i++)
		if (dp_dns_kind_ok(q->ans[i]->kind) && dp_dns_kind_ok(q->ans[0]->kind) &&
		    !same_answer(q->ans[0], q->ans[i]))
			note_inconsistent(q->j, q->ans[0], q->ans[i]);
	for (size_t i = 0; i < q->n; i++)
		if (!dp_dns_kind_ok(q->ans[i]->kind))
			return q->ans[i];
	return q->ans[0];
}

static void answered(struct ask *q, const struct dp_dns_answer *a)
{
	struct job *j = q->j;

	q->step(j, a);
	free(q->ans);
	free(q);
	if (--j->pending == 0)
		job_done(j);
}

static void one_cb(const struct dp_dns_answer *a, void *ctx)
{
	answered(ctx, a);
}

static void part_cb(const struct dp_dns_answer *a, void *ctx)
{
	struct part *p = ctx;
	struct ask *q = p->q;

	q->ans[p->i] = a;
	free(p);
	if (++q->got == q->n)
		answered(q, settle(q));
}

/*
 * Ask a question for job j. once: only this job asks it (its own name), so
 * the engine need not keep the answer; compare mode keeps every answer
 * until all servers have given theirs.
 */
static void ask(struct job *j, const char *qname, uint16_t qtype, step_fn step, bool once)
{
	struct live *L = j->L;
	struct ask *q = calloc(1, sizeof(*q));
	size_t n = L->opts->compare ? L->opts->n_servers : 1;

	if (q != NULL)
		q->ans = calloc(n, sizeof(*q->ans));
	if (q == NULL || q->ans == NULL) {
		free(q);
		L->oom = true;
		return;
	}
	q->j = j;
	q->step = step;
	q->n = n;
	j->pending++;
	if (!L->opts->compare) {
		enum dp_status st = once ? dp_resolver_ask_once(L->r, qname, qtype, -1, one_cb, q)
		                         : dp_resolver_ask(L->r, qname, qtype, -1, one_cb, q);
		if (st != DP_OK)
			L->oom = true;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct part *p = malloc(sizeof(*p));
		if (p == NULL) {
			L->oom = true;
			continue;
		}
		*p = (struct part){q, i};
		if (dp_resolver_ask(L->r, qname, qtype, (int)i, part_cb, p) != DP_OK)
			L->oom = true;
	}
}

static void ask_txt(struct job *j, const char *level, step_fn step, bool once)
{
	char q[DP_NAME_MAX + sizeof(PREFIX)];

	snprintf(q, sizeof(q), PREFIX "%s", level);
	ask(j, q, DP_DNS_TXT, step, once);
}

/* ---- the steps of a job -------------------------------------------------------------- */

static void txt_step(struct job *j, const struct dp_dns_answer *a)
{
	const char *level = a->qname + strlen(PREFIX);
	bool own = strcmp(level, j->name) == 0;

	record(j, a);
	if (a->dnssec == DP_DNSSEC_BOGUS) {
		note_bogus(j, a); /* the CA sees nothing here; the climb goes on */
	} else if (a->kind == DP_DNS_REFUSED && !own) {
		note_cut(j, a); /* above the zones an authoritative server serves */
		return;
	} else if (!dp_dns_kind_ok(a->kind)) {
		note_error(j, a);
		return;
	}
	if (own && a->dnssec != DP_DNSSEC_UNCHECKED && a->dnssec != DP_DNSSEC_BOGUS) {
		struct dp_obs_dns *d = dns_of(j);
		if (d != NULL)
			d->dnssec = a->dnssec;
	}
	learn_apex(j, a, level);
	if (climbs(j, level))
		ask_txt(j, dp_name_parent(level), txt_step, false);
}

/* RFC 8659: the name, then each parent, until a CAA RRset is found. */
static void caa_step(struct job *j, const struct dp_dns_answer *a)
{
	const char *level = a->qname;
	bool own = strcmp(level, j->name) == 0;
	struct dp_obs_dns *d;

	record(j, a);
	if (own && a->kind == DP_DNS_NXDOMAIN && a->n_chain > 0) {
		d = dns_of(j);
		if (d != NULL)
			d->dangling = dp_obs_strdup(j->L->o, a->owner);
	}
	if (a->dnssec == DP_DNSSEC_BOGUS) {
		note_bogus(j, a);
		return;
	}
	if (a->kind == DP_DNS_REFUSED && (!own || a->n_chain > 0)) {
		note_cut(j, a);
		return;
	}
	if (!dp_dns_kind_ok(a->kind)) {
		note_error(j, a);
		return;
	}
	if (a->kind != DP_DNS_DATA && dp_name_parent(level) != NULL)
		ask(j, dp_name_parent(level), DP_DNS_CAA, caa_step, false);
}

static void start_job(struct live *L, const char *name)
{
	struct job *j = calloc(1, sizeof(*j));

	if (j == NULL) {
		L->oom = true;
		return;
	}
	j->L = L;
	j->name = dp_name_strip_wildcard(name);
	L->active++;
	ask_txt(j, j->name, txt_step, true);
	ask(j, j->name, DP_DNS_CAA, caa_step, true);
	if (j->pending == 0)
		job_done(j);
}

static void start_next(struct live *L)
{
	while (L->next < L->n && L->active < WINDOW && !L->oom)
		start_job(L, L->names[L->next++]);
}

enum dp_status dp_live_observe(struct dp_resolver *r, struct dp_obs *o, const char *const *names,
                               size_t n, const struct dp_live_opts *opts)
{
	struct live L = {.r = r, .o = o, .opts = opts, .names = names, .n = n};
	enum dp_status st;

	start_next(&L);
	st = dp_resolver_run(r);
	return st == DP_OK && L.oom ? DP_ENOMEM : st;
}
