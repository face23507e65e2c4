/* SPDX-License-Identifier: BSD-3-Clause */
/* Report storage: arena-backed copies, deferred details, one overall level. */
#include "report/report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/name.h"
#include "base/strmap.h"
#include "report/report_int.h"

/* Point the tails at n's lists (walked once when another name's were last). */
static void tails_of(struct dp_report *r, const struct dp_report_name *n)
{
	if (r->tail.name == n)
		return;
	r->tail.name = n;
	r->tail.rec = n->records;
	while (r->tail.rec != NULL && r->tail.rec->next != NULL)
		r->tail.rec = r->tail.rec->next;
	r->tail.caa = n->caa;
	while (r->tail.caa != NULL && r->tail.caa->next != NULL)
		r->tail.caa = r->tail.caa->next;
	r->tail.auth = n->auths;
	while (r->tail.auth != NULL && r->tail.auth->next != NULL)
		r->tail.auth = r->tail.auth->next;
	r->tail.cert = n->certs;
	while (r->tail.cert != NULL && r->tail.cert->next != NULL)
		r->tail.cert = r->tail.cert->next;
}

const char *dp_level_name(enum dp_level l)
{
	static const char *const names[] = {"ok", "notice", "warning", "critical", "unknown"};
	return (unsigned)l < 5 ? names[l] : "?";
}

enum dp_status dp_report_new(const char *mode, int64_t now, struct dp_report **out)
{
	struct dp_report *r = calloc(1, sizeof(*r));

	*out = NULL;
	if (r == NULL)
		return DP_ENOMEM;
	r->now = now;
	r->arena = dp_arena_new();
	if (r->arena != NULL)
		r->mode = dp_arena_strdup(r->arena, mode); /* a report read back names its own */
	if (r->mode == NULL || dp_strmap_new(&r->by_name) != DP_OK ||
	    dp_strmap_new(&r->strings) != DP_OK) {
		dp_report_free(r);
		return DP_ENOMEM;
	}
	*out = r;
	return DP_OK;
}

void dp_report_free(struct dp_report *r)
{
	if (r == NULL)
		return;
	if (r->detail != NULL)
		dp_arena_free(r->detail->arena);
	free(r->detail);
	dp_arena_free(r->arena);
	dp_strmap_free(r->by_name);
	dp_strmap_free(r->strings);
	free(r->names);
	free(r->findings);
	free(r->notes);
	free(r);
}

/* Inside the detail function: details are kept for the shown name only. */
static bool rebuilding(const struct dp_report *r)
{
	return r->detail != NULL && r->detail->active;
}

/* Whether details added now are kept: always, unless deferred to rendering. */
bool dp_report_keeps_details(const struct dp_report *r)
{
	return r->detail == NULL || r->detail->active;
}

bool dp_report_keeps_findings(const struct dp_report *r)
{
	return !rebuilding(r);
}

static struct dp_arena *details_arena(struct dp_report *r)
{
	return rebuilding(r) ? r->detail->arena : r->arena;
}

/*
 * One arena copy per distinct string: a large report repeats the same
 * issuer, account URI, reason and file name for thousands of records.
 */
static const char *copy(struct dp_report *r, const char *s, bool *oom)
{
	char *d;

	if (s == NULL)
		return NULL;
	if (rebuilding(r)) {
		/* gone with the next name: no interning */
		d = dp_arena_strdup(r->detail->arena, s);
		*oom |= d == NULL;
		return d;
	}
	s = dp_strmap_intern(r->strings, r->arena, s);
	*oom |= s == NULL;
	return s;
}

struct dp_report_name *dp_report_name(struct dp_report *r, const char *name)
{
	struct dp_report_name *n = dp_strmap_get(r->by_name, name);

	if (n != NULL || rebuilding(r))
		return n;
	if (r->n_names == r->cap_names) {
		size_t cap = r->cap_names ? r->cap_names * 2 : 32;
		struct dp_report_name **p = realloc(r->names, cap * sizeof(*p));
		if (p == NULL)
			return NULL;
		r->names = p;
		r->cap_names = cap;
	}
	/* names are unique: the map above finds them, interning would only cost */
	n = dp_arena_alloc(r->arena, sizeof(*n));
	if (n == NULL)
		return NULL;
	n->name = dp_arena_strdup(r->arena, name);
	if (n->name == NULL || dp_strmap_put(r->by_name, n->name, n) != DP_OK)
		return NULL;
	r->names[r->n_names++] = n;
	return n;
}

/* A copy of a record, CAA or authorization view, its strings still the caller's. */
static void *clone(struct dp_report *r, const void *src, size_t size)
{
	void *d = dp_arena_alloc(details_arena(r), size);
	return d != NULL ? memcpy(d, src, size) : NULL;
}

/* The plugin's -w/-c judge days to the earliest end a CA could still act on. */
static void note_earliest(struct dp_report_name *n, const struct dp_report_record *rec)
{
	if (!rec->has_persist_until || rec->verdict == DP_VERDICT_MALFORMED)
		return;
	if (!n->has_earliest || rec->persist_until < n->earliest)
		n->earliest = rec->persist_until;
	n->has_earliest = true;
}

enum dp_status dp_report_add_record(struct dp_report *r, struct dp_report_name *n,
                                    const struct dp_report_record *src)
{
	struct dp_report_record *d;
	bool oom = false;

	if (!rebuilding(r)) {
		r->records++; /* counted once, in the first pass */
		note_earliest(n, src);
	}
	if (!dp_report_keeps_details(r))
		return DP_OK;
	d = clone(r, src, sizeof(*src));
	if (d == NULL)
		return DP_ENOMEM;
	d->next = NULL;
	d->owner = copy(r, src->owner, &oom);
	d->rdata = dp_arena_strndup(details_arena(r), src->rdata, src->len); /* mostly unique */
	d->issuer = copy(r, src->issuer, &oom);
	d->accounturi = copy(r, src->accounturi, &oom);
	d->reason = copy(r, src->reason, &oom);
	d->file = copy(r, src->file, &oom);
	if (oom || d->rdata == NULL)
		return DP_ENOMEM;
	tails_of(r, n);
	if (r->tail.rec)
		r->tail.rec->next = d;
	else
		n->records = d;
	r->tail.rec = d;
	return DP_OK;
}

enum dp_status dp_report_add_caa(struct dp_report *r, struct dp_report_name *n,
                                 const struct dp_report_caa *src)
{
	struct dp_report_caa *d;
	bool oom = false;

	if (!dp_report_keeps_details(r))
		return DP_OK;
	d = clone(r, src, sizeof(*src));
	if (d == NULL)
		return DP_ENOMEM;
	d->next = NULL;
	d->tag = copy(r, src->tag, &oom);
	d->value = dp_arena_strndup(details_arena(r), src->value, src->len); /* may hold a NUL */
	d->file = copy(r, src->file, &oom);
	if (oom || d->value == NULL)
		return DP_ENOMEM;
	tails_of(r, n);
	if (r->tail.caa)
		r->tail.caa->next = d;
	else
		n->caa = d;
	r->tail.caa = d;
	return DP_OK;
}

enum dp_status dp_report_add_cert(struct dp_report *r, struct dp_report_name *n,
                                  const struct dp_report_cert *src)
{
	struct dp_report_cert *d;

	if (!dp_report_keeps_details(r))
		return DP_OK;
	d = clone(r, src, sizeof(*src));
	if (d == NULL)
		return DP_ENOMEM;
	d->next = NULL;
	tails_of(r, n);
	if (r->tail.cert)
		r->tail.cert->next = d;
	else
		n->certs = d;
	r->tail.cert = d;
	return DP_OK;
}

void dp_report_set_ct(struct dp_report *r, const char *source, long certs)
{
	r->ct_source = source;
	r->ct_certs = certs;
}

const char *dp_report_ct_source(const struct dp_report *r)
{
	return r->ct_source;
}

long dp_report_ct_certs(const struct dp_report *r)
{
	return r->ct_source ? r->ct_certs : -1;
}

enum dp_status dp_report_add_auth(struct dp_report *r, struct dp_report_name *n,
                                  const struct dp_report_auth *src)
{
	struct dp_report_auth *d;
	bool oom = false;

	if (!dp_report_keeps_details(r))
		return DP_OK;
	d = clone(r, src, sizeof(*src));
	if (d == NULL)
		return DP_ENOMEM;
	d->next = NULL;
	d->issuer = copy(r, src->issuer, &oom);
	d->accounturi = copy(r, src->accounturi, &oom);
	d->account_id = copy(r, src->account_id, &oom);
	d->via = copy(r, src->via, &oom);
	d->caa = copy(r, src->caa, &oom);
	d->file = copy(r, src->file, &oom);
	d->caa_wild = copy(r, src->caa_wild, &oom);
	d->caa_file = copy(r, src->caa_file, &oom);
	if (oom)
		return DP_ENOMEM;
	tails_of(r, n);
	if (r->tail.auth)
		r->tail.auth->next = d;
	else
		n->auths = d;
	r->tail.auth = d;
	return DP_OK;
}

enum dp_status dp_report_add_finding(struct dp_report *r, enum dp_finding_id id,
                                     enum dp_severity sev, const char *name, const char *subject,
                                     const char *file, unsigned long line, const char *fmt, ...)
{
	char msg[1024];
	struct dp_finding *f;
	struct dp_report_name *n;
	bool oom = false;
	va_list ap;

	if (sev == DP_SEV_OFF || rebuilding(r))
		return DP_OK;
	n = dp_report_name(r, name);
	if (n == NULL)
		return DP_ENOMEM;
	if (r->n_findings == r->cap_findings) {
		size_t cap = r->cap_findings ? r->cap_findings * 2 : 64;
		struct dp_finding *p = realloc(r->findings, cap * sizeof(*p));
		if (p == NULL)
			return DP_ENOMEM;
		r->findings = p;
		r->cap_findings = cap;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	f = &r->findings[r->n_findings];
	*f = (struct dp_finding){id,
	                         sev,
	                         n->name,
	                         copy(r, subject ? subject : "", &oom),
	                         copy(r, msg, &oom),
	                         copy(r, file, &oom),
	                         line,
	                         NULL};
	if (oom)
		return DP_ENOMEM;
	r->n_findings++;
	r->counts[sev]++;
	if (sev > n->worst)
		n->worst = sev;
	return DP_OK;
}

enum dp_status dp_report_add_finding_keyed(struct dp_report *r, const struct dp_finding *f,
                                           const char *key)
{
	struct dp_finding *d;
	enum dp_status st;
	bool oom = false;

	st = dp_report_add_finding(r, f->id, f->severity, f->name, "", f->file, f->line, "%s",
	                           f->message);
	if (st != DP_OK || f->severity == DP_SEV_OFF || rebuilding(r))
		return st;
	d = &r->findings[r->n_findings - 1];
	d->message = copy(r, f->message, &oom); /* whole, past the formatted message's bound */
	d->key = dp_arena_strdup(r->arena, key);
	return oom || d->key == NULL ? DP_ENOMEM : DP_OK;
}

const struct dp_report_name *dp_report_lookup(const struct dp_report *r, const char *name)
{
	return dp_strmap_get(r->by_name, name);
}

enum dp_status dp_report_set_caa_owner(struct dp_report *r, struct dp_report_name *n,
                                       const char *owner)
{
	bool oom = false;

	if (!dp_report_keeps_details(r))
		return DP_OK;
	n->caa_owner = copy(r, owner, &oom);
	return oom ? DP_ENOMEM : DP_OK;
}

enum dp_status dp_report_set_note(struct dp_report *r, struct dp_report_name *n, const char *note)
{
	bool oom = false;

	if (rebuilding(r))
		return DP_OK;
	n->note = copy(r, note, &oom);
	return oom ? DP_ENOMEM : DP_OK;
}

enum dp_status dp_report_add_note(struct dp_report *r, const char *note)
{
	const char **n;
	bool oom = false;

	if (rebuilding(r))
		return DP_OK;
	n = realloc(r->notes, (r->n_notes + 1) * sizeof(*n));
	if (n == NULL)
		return DP_ENOMEM;
	r->notes = n;
	r->notes[r->n_notes] = copy(r, note, &oom);
	if (r->notes[r->n_notes] == NULL)
		return DP_ENOMEM;
	r->n_notes++;
	return DP_OK;
}

size_t dp_report_note_count(const struct dp_report *r)
{
	return r->n_notes;
}

const char *dp_report_note(const struct dp_report *r, size_t i)
{
	return r->notes[i];
}

void dp_report_set_unknown(struct dp_report *r, const char *why)
{
	bool oom = false;

	if (rebuilding(r))
		return;
	r->unknown = true;
	if (r->unknown_why == NULL)
		r->unknown_why = copy(r, why, &oom);
}

const char *dp_report_mode(const struct dp_report *r)
{
	return r->mode;
}

int64_t dp_report_now(const struct dp_report *r)
{
	return r->now;
}

size_t dp_report_name_count(const struct dp_report *r)
{
	return r->n_names;
}

enum dp_status dp_report_defer_details(struct dp_report *r, dp_report_detail_fn fn, const void *ctx,
                                       size_t size)
{
	struct detail *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return DP_ENOMEM;
	d->ctx = dp_arena_alloc(r->arena, size);
	if (d->ctx != NULL)
		d->arena = dp_arena_new_block(4096);
	if (d->ctx == NULL || d->arena == NULL) {
		free(d);
		return DP_ENOMEM;
	}
	memcpy(d->ctx, ctx, size);
	d->fn = fn;
	r->detail = d;
	return DP_OK;
}

/* Drop the shown name's details and have fn add those of n. */
static enum dp_status show(struct dp_report *r, struct detail *d, struct dp_report_name *n)
{
	enum dp_status st;

	if (d->shown != NULL) {
		struct dp_report_name *o = d->shown;
		o->records = NULL;
		o->caa = NULL;
		o->auths = NULL;
		o->caa_owner = NULL;
		o->certs = NULL;
		r->tail.name = NULL; /* its lists are gone with the arena */
	}
	dp_arena_reset(d->arena);
	d->shown = n;
	d->active = true;
	st = d->fn(d->ctx, r, n);
	d->active = false;
	return st;
}

enum dp_status dp_report_load_details(struct dp_report *r, size_t i,
                                      const struct dp_report_name **out)
{
	enum dp_status st = DP_OK;

	if (r->detail != NULL && r->detail->shown != r->names[i])
		st = show(r, r->detail, r->names[i]);
	*out = r->names[i];
	return st;
}

const struct dp_report_name *dp_report_name_at(const struct dp_report *r, size_t i)
{
	return r->names[i];
}

size_t dp_report_finding_count(const struct dp_report *r)
{
	return r->n_findings;
}

const struct dp_finding *dp_report_finding(const struct dp_report *r, size_t i)
{
	return &r->findings[i];
}

size_t dp_report_count(const struct dp_report *r, enum dp_severity s)
{
	return (unsigned)s < 4 ? r->counts[s] : 0;
}

enum dp_level dp_report_level(const struct dp_report *r)
{
	if (r->unknown)
		return DP_LEVEL_UNKNOWN;
	if (r->counts[DP_SEV_CRITICAL])
		return DP_LEVEL_CRITICAL;
	if (r->counts[DP_SEV_WARNING])
		return DP_LEVEL_WARNING;
	if (r->counts[DP_SEV_NOTICE])
		return DP_LEVEL_NOTICE;
	return DP_LEVEL_OK;
}

void dp_report_set_shard(struct dp_report *r, const struct dp_report_shard *s)
{
	r->sharded = s != NULL;
	if (s != NULL)
		r->shard = *s;
}

void dp_report_set_changes(struct dp_report *r, const struct dp_changes *c)
{
	r->changes = c;
}

const struct dp_changes *dp_report_changes(const struct dp_report *r)
{
	return r->changes;
}

const struct dp_report_shard *dp_report_shard(const struct dp_report *r)
{
	return r->sharded ? &r->shard : NULL;
}

const char *dp_report_unknown_reason(const struct dp_report *r)
{
	return r->unknown_why;
}

size_t dp_report_record_count(const struct dp_report *r)
{
	return r->records;
}
