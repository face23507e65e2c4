/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The comparison: each side's authorizations merged per name, CA and
 * account and sorted, then walked together; findings matched by key.
 */
#include "diff/diff.h"

#include <stdlib.h>
#include <string.h>

#include "base/grow.h"
#include "base/arena.h"
#include "base/strmap.h"

struct dp_diff_side {
	struct dp_arena *arena;
	struct dp_strmap *strings; /* interned: files, issuers, accounts and verdicts repeat */
	struct dp_diff_auth *auths;
	size_t n_auths, cap;
	struct dp_diff_finding *findings; /* in the report's order (worst first) */
	size_t n_findings;
	const struct dp_diff_finding **by_key;
	struct dp_diff_caa *caa; /* sorted by name at finish */
	size_t n_caa, cap_caa;
};

/* One copy of each string a side holds more than once. */
static const char *intern(struct dp_diff_side *s, const char *str, bool *oom)
{
	const char *copy;

	if (str == NULL)
		return NULL;
	copy = dp_strmap_intern(s->strings, s->arena, str);
	*oom |= copy == NULL;
	return copy;
}

/* The issuer as CAs compare it: lower case, no trailing dot. */
static const char *issuer_key(struct dp_diff_side *s, const char *issuer, bool *oom)
{
	char buf[256];
	size_t len = strlen(issuer);

	if (len >= sizeof(buf))
		return intern(s, issuer, oom);
	for (size_t i = 0; i <= len; i++)
		buf[i] = (char)(issuer[i] >= 'A' && issuer[i] <= 'Z' ? issuer[i] + 32 : issuer[i]);
	if (len > 1 && buf[len - 1] == '.')
		buf[len - 1] = '\0';
	return intern(s, buf, oom);
}

static struct dp_diff_auth *grow(struct dp_diff_side *s)
{
	if (dp_grow(&s->auths, &s->cap, s->n_auths, sizeof(*s->auths), 64) != DP_OK)
		return NULL;
	return &s->auths[s->n_auths++];
}

static enum dp_status add_auth(struct dp_diff_side *s, const char *name,
                               const struct dp_report_auth *a)
{
	struct dp_diff_auth *d;
	bool oom = false;

	if (a->issuer == NULL || a->accounturi == NULL)
		return DP_OK; /* a valid record has both */
	d = grow(s);
	if (d == NULL)
		return DP_ENOMEM;
	*d = (struct dp_diff_auth){
	    .name = dp_arena_strdup(s->arena, name),
	    .issuer = issuer_key(s, a->issuer, &oom),
	    .accounturi = intern(s, a->accounturi, &oom),
	    .account_id = intern(s, a->account_id, &oom),
	    .covers = a->covers,
	    .has_until = a->has_until,
	    .until = a->until,
	    .caa = intern(s, a->caa, &oom),
	    .caa_allows = a->caa_allows,
	    .caa_wild = intern(s, a->caa_wild, &oom),
	    .caa_wild_allows = a->caa_wild_allows,
	    .file = intern(s, a->file, &oom),
	    .line = a->line,
	    .caa_file = intern(s, a->caa_file, &oom),
	    .caa_line = a->caa_line,
	};
	return oom || d->name == NULL ? DP_ENOMEM : DP_OK;
}

static int cmp_auth(const void *pa, const void *pb)
{
	const struct dp_diff_auth *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);

	if (c == 0)
		c = strcmp(a->issuer, b->issuer);
	return c != 0 ? c : strcmp(a->accounturi, b->accounturi);
}

/*
 * Two records of one account at a name (or its own and a parent's
 * policy=wildcard) are one authorization: the widest scope, the latest
 * end, and the record that brought the scope.
 */
static void merge_into(struct dp_diff_auth *into, const struct dp_diff_auth *a)
{
	if ((a->covers & ~into->covers) != 0) {
		into->file = a->file;
		into->line = a->line;
	}
	into->covers |= a->covers;
	if (!a->has_until || (into->has_until && a->until > into->until)) {
		into->has_until = a->has_until;
		into->until = a->until;
	}
	if (a->caa_wild != NULL && into->caa_wild == NULL) {
		into->caa_wild = a->caa_wild;
		into->caa_wild_allows = a->caa_wild_allows;
	}
}

static void merge_auths(struct dp_diff_side *s)
{
	size_t out = 0;

	if (s->n_auths == 0)
		return;
	qsort(s->auths, s->n_auths, sizeof(*s->auths), cmp_auth);
	for (size_t i = 1; i < s->n_auths; i++) {
		if (cmp_auth(&s->auths[out], &s->auths[i]) == 0)
			merge_into(&s->auths[out], &s->auths[i]);
		else
			s->auths[++out] = s->auths[i];
	}
	s->n_auths = out + 1;
}

static int cmp_key(const void *pa, const void *pb)
{
	const struct dp_diff_finding *a = *(const struct dp_diff_finding *const *)pa;
	const struct dp_diff_finding *b = *(const struct dp_diff_finding *const *)pb;
	return strcmp(a->key, b->key);
}

static enum dp_status add_findings(struct dp_diff_side *s, const struct dp_report *r)
{
	size_t n = dp_report_finding_count(r);
	bool oom = false;

	s->findings = calloc(n ? n : 1, sizeof(*s->findings));
	s->by_key = calloc(n ? n : 1, sizeof(*s->by_key));
	if (s->findings == NULL || s->by_key == NULL)
		return DP_ENOMEM;
	for (size_t i = 0; i < n && !oom; i++) {
		const struct dp_finding *f = dp_report_finding(r, i);
		struct dp_diff_finding *d = &s->findings[i];
		dp_report_finding_key(r, i, d->key);
		d->id = f->id;
		d->severity = f->severity;
		d->name = intern(s, f->name, &oom);
		d->message = dp_arena_strdup(s->arena, f->message);
		d->file = intern(s, f->file, &oom);
		d->line = f->line;
		oom |= d->message == NULL;
		s->by_key[i] = d;
	}
	s->n_findings = n;
	qsort(s->by_key, n, sizeof(*s->by_key), cmp_key);
	return oom ? DP_ENOMEM : DP_OK;
}

enum dp_status dp_diff_side_new(struct dp_diff_side **out)
{
	struct dp_diff_side *s = calloc(1, sizeof(*s));
	enum dp_status st = DP_ENOMEM;

	*out = NULL;
	if (s == NULL)
		return DP_ENOMEM;
	s->arena = dp_arena_new();
	if (s->arena != NULL)
		st = dp_strmap_new(&s->strings);
	if (st != DP_OK) {
		dp_diff_side_free(s);
		return st;
	}
	*out = s;
	return DP_OK;
}

enum dp_status dp_diff_side_add_auth(void *side, const char *name, const struct dp_report_auth *a)
{
	return add_auth(side, name, a);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A property as text, escaped so that nothing in it can pass for a separator or markup. */
static char *caa_property(const struct dp_obs_caa *c)
{
	struct dp_buf b = {0};

	if (c->flags != 0)
		dp_buf_addf(&b, "%u ", (unsigned)c->flags);
	dp_buf_add_escaped(&b, c->tag, strlen(c->tag));
	dp_buf_adds(&b, " \"");
	dp_buf_add_escaped(&b, c->value, c->len);
	dp_buf_adds(&b, "\"");
	if (dp_buf_status(&b) != DP_OK) {
		dp_buf_free(&b);
		return NULL;
	}
	return dp_buf_steal(&b);
}

/*
 * The set as one string: properties sorted, so that order in the file does
 * not count; interned, as most names of a large zone share one set.
 */
static enum dp_status caa_set(struct dp_diff_side *s, const struct dp_obs_node *n, const char **out)
{
	char **v = calloc(n->n_caa, sizeof(*v));
	struct dp_buf b = {0};
	size_t k = 0;
	bool oom = v == NULL;

	for (const struct dp_obs_caa *c = n->caa; c != NULL && !oom && k < n->n_caa; c = c->next) {
		v[k] = caa_property(c);
		oom = v[k++] == NULL;
	}
	if (!oom) {
		qsort(v, k, sizeof(*v), cmp_str);
		for (size_t i = 0; i < k; i++)
			dp_buf_addf(&b, "%s%s", i ? ", " : "", v[i]);
		oom = dp_buf_status(&b) != DP_OK;
	}
	if (!oom)
		*out = intern(s, b.data, &oom);
	for (size_t i = 0; v != NULL && i < k; i++)
		free(v[i]);
	dp_buf_free(&b);
	free(v);
	return oom ? DP_ENOMEM : DP_OK;
}

static enum dp_status add_caa(const struct dp_obs_node *n, void *ctx)
{
	struct dp_diff_side *s = ctx;
	struct dp_diff_caa *c;
	bool oom = false;

	if (dp_grow(&s->caa, &s->cap_caa, s->n_caa, sizeof(*s->caa), 16) != DP_OK)
		return DP_ENOMEM;
	c = &s->caa[s->n_caa];
	*c = (struct dp_diff_caa){.name = dp_arena_strdup(s->arena, n->name),
	                          .file = intern(s, n->caa->file, &oom),
	                          .line = n->caa->line};
	if (c->name == NULL || oom || caa_set(s, n, &c->set) != DP_OK)
		return DP_ENOMEM;
	s->n_caa++;
	return DP_OK;
}

enum dp_status dp_diff_side_add_caa(struct dp_diff_side *s, const struct dp_obs *o)
{
	return dp_obs_each_caa(o, add_caa, s);
}

static int cmp_caa(const void *a, const void *b)
{
	return strcmp(((const struct dp_diff_caa *)a)->name, ((const struct dp_diff_caa *)b)->name);
}

enum dp_status dp_diff_side_finish(struct dp_diff_side *s, const struct dp_report *r)
{
	enum dp_status st = add_findings(s, r);

	if (st == DP_OK)
		merge_auths(s);
	if (s->n_caa > 0)
		qsort(s->caa, s->n_caa, sizeof(*s->caa), cmp_caa);
	return st;
}

void dp_diff_side_free(struct dp_diff_side *s)
{
	if (s == NULL)
		return;
	dp_strmap_free(s->strings);
	dp_arena_free(s->arena);
	free(s->auths);
	free(s->findings);
	free(s->by_key);
	free(s->caa);
	free(s);
}

/* ---- the comparison ------------------------------------------------------------- */

struct dp_diff {
	int64_t now;
	struct dp_diff_change *changes;
	size_t n_changes;
	const struct dp_diff_finding **added, **resolved;
	size_t n_added, n_resolved;
	bool *existing; /* per added finding: in the baseline */
	bool has_baseline;
	struct dp_diff_caa_change *caa;
	size_t n_caa;
};

const char *dp_change_name(enum dp_change c)
{
	return c == DP_CHANGE_GRANT ? "grant" : c == DP_CHANGE_REVOKE ? "revoke" : "change";
}

unsigned dp_diff_usable(const struct dp_diff_auth *a)
{
	unsigned c = a->caa_allows ? a->covers & (DP_COVERS_NAME | DP_COVERS_BELOW) : 0;
	bool wild_ok = a->caa_wild != NULL ? a->caa_wild_allows : a->caa_allows;

	return c | ((a->covers & DP_COVERS_WILDCARD) && wild_ok ? DP_COVERS_WILDCARD : 0);
}

bool dp_diff_caa_flipped(const struct dp_diff_auth *o, const struct dp_diff_auth *n)
{
	return o->caa_allows != n->caa_allows || (o->caa_wild != NULL && n->caa_wild != NULL &&
	                                          o->caa_wild_allows != n->caa_wild_allows);
}

/* Does b last longer than a? */
static bool longer(const struct dp_diff_auth *a, const struct dp_diff_auth *b)
{
	return a->has_until && (!b->has_until || b->until > a->until);
}

static bool differs(const struct dp_diff_auth *a, const struct dp_diff_auth *b)
{
	return a->covers != b->covers || a->has_until != b->has_until ||
	       (a->has_until && a->until != b->until) || dp_diff_usable(a) != dp_diff_usable(b);
}

static struct dp_diff_change *next_change(struct dp_diff *d, enum dp_change kind)
{
	struct dp_diff_change *c = &d->changes[d->n_changes++];

	*c = (struct dp_diff_change){.kind = kind};
	return c;
}

static void compare_pair(struct dp_diff *d, const struct dp_diff_auth *o,
                         const struct dp_diff_auth *n)
{
	struct dp_diff_change *c;

	if (o == NULL || n == NULL) {
		c = next_change(d, o == NULL ? DP_CHANGE_GRANT : DP_CHANGE_REVOKE);
		c->old = o;
		c->new = n;
		c->gained = n ? n->covers : 0;
		c->lost = o ? o->covers : 0;
		c->widened = n != NULL && dp_diff_usable(n) != 0;
		return;
	}
	if (!differs(o, n))
		return;
	c = next_change(d, DP_CHANGE_CHANGE);
	c->old = o;
	c->new = n;
	c->gained = n->covers & ~o->covers;
	c->lost = o->covers & ~n->covers;
	c->widened = (dp_diff_usable(n) & ~dp_diff_usable(o)) != 0 ||
	             (dp_diff_usable(n) != 0 && longer(o, n));
}

static enum dp_status compare_auths(struct dp_diff *d, const struct dp_diff_side *o,
                                    const struct dp_diff_side *n)
{
	size_t i = 0, j = 0;

	d->changes = calloc(o->n_auths + n->n_auths + 1, sizeof(*d->changes));
	if (d->changes == NULL)
		return DP_ENOMEM;
	while (i < o->n_auths || j < n->n_auths) {
		int c = i == o->n_auths   ? 1
		        : j == n->n_auths ? -1
		                          : cmp_auth(&o->auths[i], &n->auths[j]);
		compare_pair(d, c <= 0 ? &o->auths[i] : NULL, c >= 0 ? &n->auths[j] : NULL);
		i += c <= 0;
		j += c >= 0;
	}
	return DP_OK;
}

/* The CAA sets of both sides walked together by name: the ones that differ. */
static enum dp_status compare_caa(struct dp_diff *d, const struct dp_diff_side *o,
                                  const struct dp_diff_side *n)
{
	size_t i = 0, j = 0;

	d->caa = calloc(o->n_caa + n->n_caa + 1, sizeof(*d->caa));
	if (d->caa == NULL)
		return DP_ENOMEM;
	while (i < o->n_caa || j < n->n_caa) {
		int c = i == o->n_caa   ? 1
		        : j == n->n_caa ? -1
		                        : strcmp(o->caa[i].name, n->caa[j].name);
		const struct dp_diff_caa *a = c <= 0 ? &o->caa[i] : NULL;
		const struct dp_diff_caa *b = c >= 0 ? &n->caa[j] : NULL;
		if (a == NULL || b == NULL || strcmp(a->set, b->set) != 0)
			d->caa[d->n_caa++] = (struct dp_diff_caa_change){a, b};
		i += c <= 0;
		j += c >= 0;
	}
	return DP_OK;
}

static bool has_key(const struct dp_diff_side *s, const struct dp_diff_finding *f)
{
	return bsearch(&f, s->by_key, s->n_findings, sizeof(*s->by_key), cmp_key) != NULL;
}

/* Findings of a (in its order) whose key b does not have. */
static enum dp_status unmatched(const struct dp_diff_side *a, const struct dp_diff_side *b,
                                const struct dp_diff_finding ***out, size_t *n)
{
	*out = calloc(a->n_findings + 1, sizeof(**out));
	if (*out == NULL)
		return DP_ENOMEM;
	for (size_t i = 0; i < a->n_findings; i++)
		if (!has_key(b, &a->findings[i]))
			(*out)[(*n)++] = &a->findings[i];
	return DP_OK;
}

enum dp_status dp_diff_new(const struct dp_diff_side *old, const struct dp_diff_side *new,
                           int64_t now, struct dp_diff **out)
{
	struct dp_diff *d = calloc(1, sizeof(*d));
	enum dp_status st;

	*out = NULL;
	if (d == NULL)
		return DP_ENOMEM;
	d->now = now;
	st = compare_auths(d, old, new);
	if (st == DP_OK)
		st = unmatched(new, old, &d->added, &d->n_added);
	if (st == DP_OK)
		st = unmatched(old, new, &d->resolved, &d->n_resolved);
	if (st == DP_OK)
		st = compare_caa(d, old, new);
	if (st == DP_OK) {
		d->existing = calloc(d->n_added + 1, sizeof(*d->existing));
		st = d->existing ? DP_OK : DP_ENOMEM;
	}
	if (st != DP_OK) {
		dp_diff_free(d);
		return st;
	}
	*out = d;
	return DP_OK;
}

void dp_diff_free(struct dp_diff *d)
{
	if (d == NULL)
		return;
	free(d->changes);
	free(d->added);
	free(d->resolved);
	free(d->existing);
	free(d->caa);
	free(d);
}

int64_t dp_diff_now(const struct dp_diff *d)
{
	return d->now;
}

size_t dp_diff_change_count(const struct dp_diff *d)
{
	return d->n_changes;
}

const struct dp_diff_change *dp_diff_change_at(const struct dp_diff *d, size_t i)
{
	return &d->changes[i];
}

size_t dp_diff_new_count(const struct dp_diff *d)
{
	return d->n_added;
}

const struct dp_diff_finding *dp_diff_new_at(const struct dp_diff *d, size_t i)
{
	return d->added[i];
}

size_t dp_diff_resolved_count(const struct dp_diff *d)
{
	return d->n_resolved;
}

const struct dp_diff_finding *dp_diff_resolved_at(const struct dp_diff *d, size_t i)
{
	return d->resolved[i];
}

size_t dp_diff_caa_count(const struct dp_diff *d)
{
	return d->n_caa;
}

const struct dp_diff_caa_change *dp_diff_caa_at(const struct dp_diff *d, size_t i)
{
	return &d->caa[i];
}

size_t dp_diff_new_at_least(const struct dp_diff *d, enum dp_severity sev)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n_added; i++)
		n += d->added[i]->severity >= sev && d->added[i]->severity != DP_SEV_OFF &&
		     !d->existing[i];
	return n;
}

size_t dp_diff_widened_count(const struct dp_diff *d)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n_changes; i++)
		n += d->changes[i].widened;
	return n;
}

/* ---- the baseline ------------------------------------------------------------------ */

struct dp_diff_baseline {
	char (*keys)[DP_FINDING_KEY_LEN + 1]; /* sorted */
	size_t n;
};

static int cmp_bkey(const void *a, const void *b)
{
	return strcmp(a, b);
}

enum dp_status dp_diff_baseline_new(const struct dp_report *r, struct dp_diff_baseline **out)
{
	struct dp_diff_baseline *b = calloc(1, sizeof(*b));
	size_t n = dp_report_finding_count(r);

	*out = NULL;
	if (b != NULL)
		b->keys = calloc(n ? n : 1, sizeof(*b->keys));
	if (b == NULL || b->keys == NULL) {
		dp_diff_baseline_free(b);
		return DP_ENOMEM;
	}
	for (b->n = 0; b->n < n; b->n++)
		dp_report_finding_key(r, b->n, b->keys[b->n]);
	qsort(b->keys, b->n, sizeof(*b->keys), cmp_bkey);
	*out = b;
	return DP_OK;
}

void dp_diff_baseline_free(struct dp_diff_baseline *b)
{
	if (b == NULL)
		return;
	free(b->keys);
	free(b);
}

void dp_diff_use_baseline(struct dp_diff *d, const struct dp_diff_baseline *b)
{
	d->has_baseline = true;
	for (size_t i = 0; i < d->n_added; i++)
		d->existing[i] =
		    bsearch(d->added[i]->key, b->keys, b->n, sizeof(*b->keys), cmp_bkey) != NULL;
}

bool dp_diff_has_baseline(const struct dp_diff *d)
{
	return d->has_baseline;
}

bool dp_diff_new_existing(const struct dp_diff *d, size_t i)
{
	return d->existing[i];
}

size_t dp_diff_existing_count(const struct dp_diff *d)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n_added; i++)
		n += d->existing[i];
	return n;
}
