/* SPDX-License-Identifier: BSD-3-Clause */
/* A run against its baseline: findings by key, authorizations and persistUntil by identity. */
#include "report/changes.h"

#include <stdlib.h>
#include <string.h>

#include "base/grow.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/strmap.h"
#include "report/report_read.h"

struct dp_changes {
	struct dp_arena *arena;
	struct dp_change *v;
	size_t n, cap;
	bool *existing; /* by finding index of the compared report */
	size_t n_findings;
	int64_t base_now;
};

/* The comparison's state: what the baseline had, by identity, and what was met again. */
struct cmp {
	struct dp_changes *c;
	struct dp_strmap *auths;   /* "name\nissuer\naccounturi\ncovers" -> baseline auth */
	struct dp_strmap *records; /* "name\nowner\nissuer\naccounturi\nordinal" -> record */
	struct dp_strmap *met;     /* identities of both maps found in this run */
	struct dp_buf key;
};

const char *dp_change_kind_name(enum dp_change_kind k)
{
	static const char *const names[] = {"new", "resolved", "granted", "revoked",
	                                    "persist_until_moved"};
	return (unsigned)k < DP_CHANGE_KINDS ? names[k] : "?";
}

static const char *keep(struct dp_changes *c, const char *s, bool *oom)
{
	char *d;

	if (s == NULL)
		return NULL;
	d = dp_arena_strdup(c->arena, s);
	*oom |= d == NULL;
	return d;
}

/* Append ch with its strings copied: the compared report's details do not last. */
static enum dp_status add(struct dp_changes *c, const struct dp_change *ch)
{
	struct dp_change *d;
	bool oom = false;

	if (dp_grow(&c->v, &c->cap, c->n, sizeof(*c->v), 32) != DP_OK)
		return DP_ENOMEM;
	d = &c->v[c->n];
	*d = *ch;
	d->name = keep(c, ch->name, &oom);
	d->key = keep(c, ch->key, &oom);
	d->message = keep(c, ch->message, &oom);
	d->issuer = keep(c, ch->issuer, &oom);
	d->accounturi = keep(c, ch->accounturi, &oom);
	d->account = keep(c, ch->account, &oom);
	d->owner = keep(c, ch->owner, &oom);
	if (oom)
		return DP_ENOMEM;
	c->n++;
	return DP_OK;
}

static struct dp_change finding_change(enum dp_change_kind k, const struct dp_finding *f,
                                       const char *key)
{
	return (struct dp_change){.kind = k,
	                          .name = f->name,
	                          .id = f->id,
	                          .severity = f->severity,
	                          .key = key,
	                          .message = f->message};
}

/* Findings by key: this run's in the baseline are existing, the rest new; the baseline's left
 * resolved. */
static enum dp_status compare_findings(struct cmp *m, const struct dp_report *base,
                                       const struct dp_report *cur)
{
	char key[DP_FINDING_KEY_LEN + 1];
	struct dp_strmap *seen = NULL, *had = NULL;
	enum dp_status st = dp_strmap_new(&had);

	if (st == DP_OK)
		st = dp_strmap_new(&seen);
	for (size_t i = 0; st == DP_OK && i < dp_report_finding_count(base); i++) {
		dp_report_finding_key(base, i, key);
		const char *k = dp_arena_strdup(m->c->arena, key);
		st = k ? dp_strmap_put(had, k, (void *)k) : DP_ENOMEM;
	}
	for (size_t i = 0; st == DP_OK && i < dp_report_finding_count(cur); i++) {
		dp_report_finding_key(cur, i, key);
		const char *k = dp_strmap_get(had, key);
		m->c->existing[i] = k != NULL;
		if (k != NULL)
			st = dp_strmap_put(seen, k, (void *)k);
		else {
			struct dp_change ch =
			    finding_change(DP_CHANGE_NEW, dp_report_finding(cur, i), key);
			st = add(m->c, &ch);
		}
	}
	for (size_t i = 0; st == DP_OK && i < dp_report_finding_count(base); i++) {
		dp_report_finding_key(base, i, key);
		if (dp_strmap_get(seen, key) == NULL) {
			struct dp_change ch =
			    finding_change(DP_CHANGE_RESOLVED, dp_report_finding(base, i), key);
			st = add(m->c, &ch);
		}
	}
	dp_strmap_free(had);
	dp_strmap_free(seen);
	return st;
}

/* An authorization's identity: who can issue for which names, whatever the record's line. */
static const char *auth_id(struct cmp *m, const char *name, const struct dp_report_auth *a)
{
	dp_buf_reset(&m->key);
	dp_buf_addf(&m->key, "%s\n%s\n%s\n%u", name, a->issuer ? a->issuer : "",
	            a->accounturi ? a->accounturi : "", a->covers);
	return m->key.data;
}

/* A record's identity, with its ordinal among identical ones at the name. */
static const char *record_id(struct cmp *m, const char *name, const struct dp_report_record *r,
                             const struct dp_report_record *first)
{
	unsigned ordinal = 0;

	for (const struct dp_report_record *o = first; o != r; o = o->next)
		ordinal += strcmp(o->owner, r->owner) == 0 &&
		           strcmp(o->issuer ? o->issuer : "", r->issuer ? r->issuer : "") == 0 &&
		           strcmp(o->accounturi ? o->accounturi : "",
		                  r->accounturi ? r->accounturi : "") == 0;
	dp_buf_reset(&m->key);
	dp_buf_addf(&m->key, "%s\n%s\n%s\n%s\n%u", name, r->owner, r->issuer ? r->issuer : "",
	            r->accounturi ? r->accounturi : "", ordinal);
	return m->key.data;
}

static enum dp_status remember(struct cmp *m, struct dp_strmap *map, const char *id, void *v)
{
	char *k = dp_arena_strdup(m->c->arena, id);

	if (k == NULL || dp_buf_status(&m->key) != DP_OK)
		return DP_ENOMEM;
	return dp_strmap_put(map, k, v);
}

/* The baseline's authorizations and dated records, by identity (its details stay put). */
static enum dp_status index_base(struct cmp *m, const struct dp_report *base)
{
	enum dp_status st = DP_OK;

	for (size_t i = 0; st == DP_OK && i < dp_report_name_count(base); i++) {
		const struct dp_report_name *n = dp_report_name_at(base, i);
		for (const struct dp_report_auth *a = n->auths; st == DP_OK && a; a = a->next)
			st = remember(m, m->auths, auth_id(m, n->name, a), (void *)a);
		for (const struct dp_report_record *r = n->records; st == DP_OK && r; r = r->next)
			if (r->issuer != NULL && r->accounturi != NULL)
				st = remember(m, m->records, record_id(m, n->name, r, n->records),
				              (void *)r);
	}
	return st;
}

static struct dp_change auth_change(enum dp_change_kind k, const char *name,
                                    const struct dp_report_auth *a)
{
	return (struct dp_change){.kind = k,
	                          .name = name,
	                          .issuer = a->issuer,
	                          .accounturi = a->accounturi,
	                          .account = a->account_id,
	                          .covers = a->covers,
	                          .has_until = a->has_until,
	                          .until = a->until};
}

/* A record of this run met in the baseline: a change when its persistUntil moved. */
static enum dp_status compare_record(struct cmp *m, const char *name,
                                     const struct dp_report_record *r, const char *id)
{
	const struct dp_report_record *b = dp_strmap_get(m->records, id);
	struct dp_change ch;

	if (b == NULL)
		return DP_OK;
	if (b->has_persist_until == r->has_persist_until &&
	    (!r->has_persist_until || b->persist_until == r->persist_until))
		return DP_OK;
	ch = (struct dp_change){.kind = DP_CHANGE_MOVED,
	                        .name = name,
	                        .issuer = r->issuer,
	                        .accounturi = r->accounturi,
	                        .owner = r->owner,
	                        .had_was = b->has_persist_until,
	                        .was = b->persist_until,
	                        .has_until = r->has_persist_until,
	                        .until = r->persist_until};
	return add(m->c, &ch);
}

static enum dp_status compare_name(struct cmp *m, const struct dp_report_name *n)
{
	enum dp_status st = DP_OK;

	for (const struct dp_report_auth *a = n->auths; st == DP_OK && a; a = a->next) {
		const char *id = auth_id(m, n->name, a);
		if (dp_strmap_get(m->auths, id) != NULL) {
			st = remember(m, m->met, id, (void *)a);
		} else {
			struct dp_change ch = auth_change(DP_CHANGE_GRANTED, n->name, a);
			st = add(m->c, &ch);
		}
	}
	for (const struct dp_report_record *r = n->records; st == DP_OK && r; r = r->next)
		if (r->issuer != NULL && r->accounturi != NULL)
			st = compare_record(m, n->name, r, record_id(m, n->name, r, n->records));
	return st;
}

/* Baseline authorizations not met in this run. */
static enum dp_status revoked(struct cmp *m, const struct dp_report *base)
{
	enum dp_status st = DP_OK;

	for (size_t i = 0; st == DP_OK && i < dp_report_name_count(base); i++) {
		const struct dp_report_name *n = dp_report_name_at(base, i);
		for (const struct dp_report_auth *a = n->auths; st == DP_OK && a; a = a->next)
			if (dp_strmap_get(m->met, auth_id(m, n->name, a)) == NULL) {
				struct dp_change ch = auth_change(DP_CHANGE_REVOKED, n->name, a);
				st = add(m->c, &ch);
			}
	}
	return st;
}

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int cmp_change(const void *pa, const void *pb)
{
	const struct dp_change *a = pa, *b = pb;
	int c;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	c = cmp_str(a->name, b->name);
	if (c == 0)
		c = cmp_str(a->issuer, b->issuer);
	if (c == 0)
		c = cmp_str(a->accounturi, b->accounturi);
	if (c == 0)
		c = cmp_str(a->owner, b->owner);
	if (c == 0 && a->covers != b->covers)
		c = a->covers < b->covers ? -1 : 1;
	return c != 0 ? c : cmp_str(a->key, b->key);
}

static enum dp_status compare(struct cmp *m, const struct dp_report *base, struct dp_report *cur)
{
	enum dp_status st = compare_findings(m, base, cur);

	if (st == DP_OK)
		st = index_base(m, base);
	for (size_t i = 0; st == DP_OK && i < dp_report_name_count(cur); i++) {
		const struct dp_report_name *n = NULL;
		st = dp_report_load_details(cur, i, &n);
		if (st == DP_OK)
			st = compare_name(m, n);
	}
	if (st == DP_OK)
		st = revoked(m, base);
	if (st == DP_OK && m->c->n > 1)
		qsort(m->c->v, m->c->n, sizeof(*m->c->v), cmp_change);
	return st;
}

enum dp_status dp_changes_compare(const struct dp_report *base, struct dp_report *cur,
                                  struct dp_changes **out)
{
	struct cmp m = {0};
	struct dp_changes *c = calloc(1, sizeof(*c));
	enum dp_status st = c ? DP_OK : DP_ENOMEM;

	*out = NULL;
	if (st == DP_OK) {
		m.c = c;
		c->arena = dp_arena_new();
		c->n_findings = dp_report_finding_count(cur);
		c->existing = calloc(c->n_findings + 1, sizeof(*c->existing));
		c->base_now = dp_report_now(base);
		if (c->arena == NULL || c->existing == NULL)
			st = DP_ENOMEM;
	}
	if (st == DP_OK && (dp_strmap_new(&m.auths) != DP_OK ||
	                    dp_strmap_new(&m.records) != DP_OK || dp_strmap_new(&m.met) != DP_OK))
		st = DP_ENOMEM;
	if (st == DP_OK)
		st = compare(&m, base, cur);
	dp_strmap_free(m.auths);
	dp_strmap_free(m.records);
	dp_strmap_free(m.met);
	dp_buf_free(&m.key);
	if (st != DP_OK) {
		dp_changes_free(c);
		return st;
	}
	*out = c;
	return DP_OK;
}

enum dp_status dp_changes_since_file(const char *path, struct dp_report *cur,
                                     struct dp_changes **out, struct dp_error *err)
{
	struct dp_report *base = NULL;
	enum dp_status st = dp_report_read_json(path, NULL, &base, NULL, err);

	*out = NULL;
	if (st == DP_OK)
		st = dp_changes_compare(base, cur, out);
	dp_report_free(base);
	return st;
}

void dp_changes_free(struct dp_changes *c)
{
	if (c == NULL)
		return;
	dp_arena_free(c->arena);
	free(c->v);
	free(c->existing);
	free(c);
}

size_t dp_changes_count(const struct dp_changes *c)
{
	return c->n;
}

const struct dp_change *dp_changes_at(const struct dp_changes *c, size_t i)
{
	return &c->v[i];
}

size_t dp_changes_count_kind(const struct dp_changes *c, enum dp_change_kind k)
{
	size_t n = 0;

	for (size_t i = 0; i < c->n; i++)
		n += c->v[i].kind == k;
	return n;
}

bool dp_changes_existing(const struct dp_changes *c, size_t i)
{
	return i < c->n_findings && c->existing[i];
}

int64_t dp_changes_baseline_now(const struct dp_changes *c)
{
	return c->base_now;
}
