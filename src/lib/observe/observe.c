/* SPDX-License-Identifier: BSD-3-Clause */
/* The observation store (observe_zone.c fills it from zone files). */
#include "observe/observe.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/msg.h"
#include "observe/observe_int.h"

enum dp_status dp_obs_new(const char *mode, struct dp_obs **out)
{
	struct dp_obs *o = calloc(1, sizeof(*o));

	*out = NULL;
	if (o == NULL)
		return DP_ENOMEM;
	o->mode = mode;
	o->arena = dp_arena_new();
	if (o->arena == NULL || dp_strmap_new(&o->nodes) != DP_OK ||
	    dp_strmap_new(&o->files) != DP_OK || dp_strmap_new(&o->values) != DP_OK ||
	    dp_strmap_new(&o->wanted) != DP_OK || dp_strmap_new(&o->wanted_caa) != DP_OK) {
		dp_obs_free(o);
		return DP_ENOMEM;
	}
	*out = o;
	return DP_OK;
}

void dp_obs_free(struct dp_obs *o)
{
	if (o == NULL)
		return;
	dp_strmap_free(o->nodes);
	dp_strmap_free(o->files);
	dp_strmap_free(o->values);
	dp_strmap_free(o->wanted);
	dp_strmap_free(o->wanted_caa);
	dp_strmap_free(o->fresh_caa);
	dp_arena_free(o->arena);
	free(o->aliases);
	free(o->persist);
	free(o->notes);
	free(o);
}

const char *dp_obs_mode(const struct dp_obs *o)
{
	return o->mode;
}

void dp_obs_set_filter(struct dp_obs *o, bool (*wants)(const char *name, bool cname, void *ctx),
                       void *ctx)
{
	o->wants = wants;
	o->wants_ctx = ctx;
}

bool dp_obs_kept(const struct dp_obs *o, const char *name)
{
	return o->wants == NULL || o->wants(name, false, o->wants_ctx);
}

/* "_validation-persist.X" gives X; "_validation-persist" gives ""; else NULL. */
const char *dp_obs_persist_base(const char *owner)
{
	size_t n = strlen(DP_OBS_PERSIST_PREFIX);

	if (strncmp(owner, DP_OBS_PERSIST_PREFIX, n) != 0)
		return NULL;
	if (owner[n] == '\0')
		return owner + n;
	return owner[n] == '.' ? owner + n + 1 : NULL;
}

static struct dp_obs_node *node(struct dp_obs *o, const char *name)
{
	struct dp_obs_node *n = dp_strmap_get(o->nodes, name);

	if (n != NULL)
		return n;
	n = dp_arena_alloc(o->arena, sizeof(*n));
	if (n == NULL)
		return NULL;
	n->name = dp_arena_strdup(o->arena, name);
	if (n->name == NULL)
		return NULL;
	if (dp_strmap_put(o->nodes, n->name, n) != DP_OK)
		return NULL;
	return n;
}

static const char *intern_file(struct dp_obs *o, const char *file)
{
	char *f;

	if (file == NULL)
		return NULL;
	f = dp_strmap_get(o->files, file);
	if (f != NULL)
		return f;
	f = dp_arena_strdup(o->arena, file);
	if (f == NULL || dp_strmap_put(o->files, f, f) != DP_OK)
		return NULL;
	return f;
}

static enum dp_status remember_persist(struct dp_obs *o, struct dp_obs_node *n)
{
	if (n->txt != NULL || n->persist_cname != NULL)
		return DP_OK; /* already listed */
	if (o->n_persist == o->cap_persist) {
		size_t cap = o->cap_persist ? o->cap_persist * 2 : 64;
		struct dp_obs_node **p = realloc(o->persist, cap * sizeof(*p));
		if (p == NULL)
			return DP_ENOMEM;
		o->persist = p;
		o->cap_persist = cap;
	}
	o->persist[o->n_persist++] = n;
	return DP_OK;
}

/*
 * A record names a CA and an account, not a name: thousands of names carry
 * the same few values, so each distinct value is held once. Values with a
 * NUL (no C string key) or longer than any sane record are copied as they are.
 */
static const char *intern_value(struct dp_obs *o, const char *value, size_t len)
{
	char key[1024], *v;

	if (len >= sizeof(key) || memchr(value, '\0', len) != NULL)
		return dp_arena_strndup(o->arena, value, len);
	memcpy(key, value, len);
	key[len] = '\0';
	v = dp_strmap_get(o->values, key);
	if (v != NULL)
		return v;
	v = dp_arena_strndup(o->arena, value, len);
	if (v == NULL || dp_strmap_put(o->values, v, v) != DP_OK)
		return NULL;
	return v;
}

static struct dp_obs_txt *new_txt(struct dp_obs *o, const char *value, size_t len, const char *file,
                                  unsigned long line)
{
	struct dp_obs_txt *t = dp_arena_alloc(o->arena, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->value = intern_value(o, value, len);
	if (t->value == NULL)
		return NULL;
	t->len = len;
	t->file = intern_file(o, file);
	t->line = line;
	return (file && !t->file) ? NULL : t;
}

enum dp_status dp_obs_add_txt(struct dp_obs *o, const char *owner, const char *value, size_t len,
                              const char *file, unsigned long line)
{
	const char *base = dp_obs_persist_base(owner);
	struct dp_obs_node *n = node(o, base ? base : owner);
	struct dp_obs_txt *t = n ? new_txt(o, value, len, file, line) : NULL;

	if (t == NULL)
		return DP_ENOMEM;
	if (base == NULL) {
		if (n->other_tail)
			n->other_tail->next = t;
		else
			n->other_txt = t;
		n->other_tail = t;
		return DP_OK;
	}
	if (remember_persist(o, n) != DP_OK)
		return DP_ENOMEM;
	if (n->txt_tail)
		n->txt_tail->next = t;
	else
		n->txt = t;
	n->txt_tail = t;
	n->n_txt++;
	return DP_OK;
}

static struct dp_obs_caa *new_caa(struct dp_obs *o, uint8_t flags, const char *tag,
                                  const char *value, size_t len, const char *file,
                                  unsigned long line)
{
	struct dp_obs_caa *c = dp_arena_alloc(o->arena, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->tag = dp_arena_strdup(o->arena, tag);
	c->value = dp_arena_strndup(o->arena, value, len);
	if (c->tag == NULL || c->value == NULL)
		return NULL;
	c->flags = flags;
	c->len = len;
	c->file = intern_file(o, file);
	c->line = line;
	c->next = NULL;
	return c;
}

enum dp_status dp_obs_add_caa(struct dp_obs *o, const char *owner, uint8_t flags, const char *tag,
                              const char *value, size_t len, const char *file, unsigned long line)
{
	struct dp_obs_node *n = node(o, owner);
	struct dp_obs_caa *c = n ? new_caa(o, flags, tag, value, len, file, line) : NULL;

	if (c == NULL)
		return DP_ENOMEM;
	if (n->caa_tail)
		n->caa_tail->next = c;
	else
		n->caa = c;
	n->caa_tail = c;
	n->n_caa++;
	return DP_OK;
}

enum dp_status dp_obs_add_cname(struct dp_obs *o, const char *owner, const char *target,
                                const char *file, unsigned long line)
{
	const char *base = dp_obs_persist_base(owner);
	struct dp_obs_node *n = node(o, base ? base : owner);
	const char *had = n == NULL ? NULL : base ? n->persist_cname : n->cname;
	char *t;

	if (had != NULL && strcmp(had, target) == 0)
		return DP_OK; /* a shared live answer, given to each name that asked */
	if (n == NULL)
		return DP_ENOMEM;
	t = dp_arena_strdup(o->arena, target);
	if (t == NULL)
		return DP_ENOMEM;
	if (base == NULL) {
		if (n->cname == NULL && o->n_aliases == o->cap_aliases) {
			size_t cap = o->cap_aliases ? o->cap_aliases * 2 : 16;
			struct dp_obs_node **p = realloc(o->aliases, cap * sizeof(*p));
			if (p == NULL)
				return DP_ENOMEM;
			o->aliases = p;
			o->cap_aliases = cap;
		}
		if (n->cname == NULL)
			o->aliases[o->n_aliases++] = n;
		n->cname = t;
		return DP_OK;
	}
	if (remember_persist(o, n) != DP_OK)
		return DP_ENOMEM;
	n->persist_cname = t;
	n->persist_cname_file = intern_file(o, file);
	n->persist_cname_line = line;
	return DP_OK;
}

const struct dp_obs_node *dp_obs_get(const struct dp_obs *o, const char *name)
{
	return dp_strmap_get(o->nodes, name);
}

struct each_caa {
	enum dp_status (*fn)(const struct dp_obs_node *n, void *ctx);
	void *ctx;
};

static enum dp_status node_caa(const char *key, void *value, void *ctx)
{
	const struct dp_obs_node *n = value;
	const struct each_caa *e = ctx;

	(void)key;
	return n->n_caa > 0 ? e->fn(n, e->ctx) : DP_OK;
}

enum dp_status dp_obs_each_caa(const struct dp_obs *o,
                               enum dp_status (*fn)(const struct dp_obs_node *n, void *ctx),
                               void *ctx)
{
	struct each_caa e = {fn, ctx};

	return dp_strmap_each(o->nodes, node_caa, &e);
}

bool dp_obs_has_rrset(const struct dp_obs *o, const char *owner, bool caa)
{
	const char *base = caa ? NULL : dp_obs_persist_base(owner);
	const struct dp_obs_node *n = dp_strmap_get(o->nodes, base ? base : owner);

	if (n == NULL)
		return false;
	return caa ? n->caa != NULL : base ? n->txt != NULL : n->other_txt != NULL;
}

size_t dp_obs_persist_count(const struct dp_obs *o)
{
	return o->n_persist;
}

const struct dp_obs_node *dp_obs_persist(const struct dp_obs *o, size_t i)
{
	return o->persist[i];
}

const struct dp_obs_txt *dp_obs_records(const struct dp_obs *o, const char *name, const char **via)
{
	const struct dp_obs_node *n = dp_strmap_get(o->nodes, name);
	const char *target;

	*via = NULL;
	if (n != NULL && n->dns != NULL && n->dns->chain_txt_set) {
		*via = n->dns->chain_txt_owner; /* live: what this name's own lookup met */
		return n->dns->chain_txt;
	}
	for (int hop = 0; n != NULL && n->persist_cname != NULL && hop < DP_OBS_MAX_HOPS; hop++) {
		target = n->persist_cname;
		*via = target;
		const char *base = dp_obs_persist_base(target);
		if (base == NULL) {
			n = dp_strmap_get(o->nodes, target);
			return n ? n->other_txt : NULL;
		}
		n = dp_strmap_get(o->nodes, base);
	}
	return n ? n->txt : NULL;
}

bool dp_obs_loops(const struct dp_obs *o, const char *name, bool caa)
{
	const struct dp_obs_node *n = dp_strmap_get(o->nodes, name);

	for (int hop = 0; n != NULL; hop++) {
		const char *next = caa ? n->cname : n->persist_cname;
		const char *base;
		if (next == NULL)
			return false;
		if (hop == DP_OBS_MAX_HOPS)
			return true;
		base = caa ? NULL : dp_obs_persist_base(next);
		if (!caa && base == NULL)
			return false; /* out of the _validation-persist space: a TXT there ends it
			               */
		n = dp_strmap_get(o->nodes, base ? base : next);
	}
	return false;
}

bool dp_obs_chain_begin(struct dp_obs *o, const char *x, bool caa, const char *owner, bool *oom)
{
	struct dp_obs_dns *d = dp_obs_dns(o, x);
	const char *copy;

	if (d == NULL || (caa ? d->chain_caa_set : d->chain_txt_set)) {
		*oom |= d == NULL;
		return false;
	}
	copy = dp_arena_strdup(o->arena, owner);
	if (copy == NULL) {
		*oom = true;
		return false;
	}
	if (caa) {
		d->chain_caa_set = true;
		d->chain_caa_owner = copy;
	} else {
		d->chain_txt_set = true;
		d->chain_txt_owner = copy;
	}
	return true;
}

enum dp_status dp_obs_add_chain_txt(struct dp_obs *o, const char *x, const char *value, size_t len,
                                    const char *file)
{
	struct dp_obs_dns *d = dp_obs_dns(o, x);
	struct dp_obs_txt *t = d ? new_txt(o, value, len, file, 0) : NULL;

	if (t == NULL)
		return DP_ENOMEM;
	if (d->chain_txt_tail)
		d->chain_txt_tail->next = t;
	else
		d->chain_txt = t;
	d->chain_txt_tail = t;
	return DP_OK;
}

enum dp_status dp_obs_add_chain_caa(struct dp_obs *o, const char *x, uint8_t flags, const char *tag,
                                    const char *value, size_t len, const char *file)
{
	struct dp_obs_dns *d = dp_obs_dns(o, x);
	struct dp_obs_caa *c = d ? new_caa(o, flags, tag, value, len, file, 0) : NULL;

	if (c == NULL)
		return DP_ENOMEM;
	if (d->chain_caa_tail)
		d->chain_caa_tail->next = c;
	else
		d->chain_caa = c;
	d->chain_caa_tail = c;
	return DP_OK;
}

struct dp_obs_dns *dp_obs_dns(struct dp_obs *o, const char *name)
{
	struct dp_obs_node *n = node(o, name);

	if (n == NULL)
		return NULL;
	if (n->dns != NULL)
		return n->dns;
	n->dns = dp_arena_alloc(o->arena, sizeof(*n->dns));
	if (n->dns != NULL)
		memset(n->dns, 0, sizeof(*n->dns));
	return n->dns;
}

const struct dp_obs_dns *dp_obs_dns_get(const struct dp_obs *o, const char *name)
{
	const struct dp_obs_node *n = dp_strmap_get(o->nodes, name);
	return n ? n->dns : NULL;
}

enum dp_status dp_obs_add_note(struct dp_obs *o, const char *text)
{
	const char **n = realloc(o->notes, (o->n_notes + 1) * sizeof(*n));
	const char *copy = dp_arena_strdup(o->arena, text);

	if (n == NULL || copy == NULL) {
		if (n != NULL)
			o->notes = n;
		return DP_ENOMEM;
	}
	o->notes = n;
	o->notes[o->n_notes++] = copy;
	return DP_OK;
}

size_t dp_obs_note_count(const struct dp_obs *o)
{
	return o->n_notes;
}

const char *dp_obs_note(const struct dp_obs *o, size_t i)
{
	return o->notes[i];
}

const char *dp_obs_strdup(struct dp_obs *o, const char *s)
{
	return dp_arena_strdup(o->arena, s);
}
