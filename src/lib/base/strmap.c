/* SPDX-License-Identifier: BSD-3-Clause */
/* Open-addressing hash map with FNV-1a, grown at 50% load. */
#include "base/strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"

struct slot {
	const char *key;
	void *value;
};

struct dp_strmap {
	struct slot *slots;
	size_t cap, count;
};

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

enum dp_status dp_strmap_new(struct dp_strmap **out)
{
	struct dp_strmap *m = calloc(1, sizeof(*m));

	*out = NULL;
	if (m == NULL)
		return DP_ENOMEM;
	m->cap = 64;
	m->slots = calloc(m->cap, sizeof(*m->slots));
	if (m->slots == NULL) {
		free(m);
		return DP_ENOMEM;
	}
	*out = m;
	return DP_OK;
}

void dp_strmap_free(struct dp_strmap *m)
{
	if (m == NULL)
		return;
	free(m->slots);
	free(m);
}

static struct slot *find(struct slot *slots, size_t cap, const char *key)
{
	size_t i = (size_t)hash(key) & (cap - 1);

	while (slots[i].key != NULL && strcmp(slots[i].key, key) != 0)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static enum dp_status grow(struct dp_strmap *m)
{
	size_t cap = m->cap * 2;
	struct slot *n = calloc(cap, sizeof(*n));

	if (n == NULL)
		return DP_ENOMEM;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key != NULL)
			*find(n, cap, m->slots[i].key) = m->slots[i];
	free(m->slots);
	m->slots = n;
	m->cap = cap;
	return DP_OK;
}

enum dp_status dp_strmap_put(struct dp_strmap *m, const char *key, void *value)
{
	struct slot *s;

	if ((m->count + 1) * 2 > m->cap && grow(m) != DP_OK)
		return DP_ENOMEM;
	s = find(m->slots, m->cap, key);
	if (s->key == NULL)
		m->count++;
	s->key = key;
	s->value = value;
	return DP_OK;
}

void *dp_strmap_get(const struct dp_strmap *m, const char *key)
{
	return find(m->slots, m->cap, key)->value;
}

size_t dp_strmap_count(const struct dp_strmap *m)
{
	return m->count;
}

enum dp_status dp_strmap_each(const struct dp_strmap *m,
                              enum dp_status (*fn)(const char *key, void *value, void *ctx),
                              void *ctx)
{
	enum dp_status st = DP_OK;

	for (size_t i = 0; i < m->cap && st == DP_OK; i++)
		if (m->slots[i].key != NULL)
			st = fn(m->slots[i].key, m->slots[i].value, ctx);
	return st;
}

const char *dp_strmap_intern(struct dp_strmap *m, struct dp_arena *arena, const char *s)
{
	char *c = dp_strmap_get(m, s);

	if (c != NULL)
		return c;
	c = dp_arena_strdup(arena, s);
	if (c == NULL || dp_strmap_put(m, c, c) != DP_OK)
		return NULL; /* an arena copy is freed with the arena */
	return c;
}
