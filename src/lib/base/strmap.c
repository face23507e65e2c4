/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Open-addressing hash map grown at 50% load. Keys are names read from
 * zone files and reports, so hostile: the hash takes eight octets a step
 * under a seed drawn per map. Slots hold the key and value only (keeping
 * each key's hash too saved 1% of lint's instructions for 2 MiB more at
 * its peak). Nothing prints a map in its slot order (dp_strmap_each's
 * callers sort), so the seed changes no output.
 */
#include "base/strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "base/arena.h"

struct slot {
	const char *key;
	void *value;
};

struct dp_strmap {
	struct slot *slots;
	size_t cap, count;
	uint64_t seed;
};

#define K1 0xbf58476d1ce4e5b9ull
#define K2 0x94d049bb133111ebull

static uint64_t hash(uint64_t seed, const char *s)
{
	size_t n = strlen(s), len = n;
	uint64_t h = seed ^ (n * K2), w = 0;

	for (; n > 8; n -= 8, s += 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * K1;
		h ^= h >> 31;
	}
	if (len >= 8) {
		memcpy(&w, s + n - 8, 8); /* the last 8 octets, overlapping the step before */
	} else {
		for (size_t i = 0; i < n; i++)
			w |= (uint64_t)(unsigned char)s[i] << (8 * i);
	}
	h = (h ^ w) * K1;
	h ^= h >> 29; /* the slot index takes the low bits: fold the high ones in */
	h *= K2;
	h ^= h >> 32;
	return h;
}

/* A seed nobody writing a zone file can know; the clock when the kernel gives none. */
static uint64_t new_seed(const void *salt)
{
	uint64_t s;
	struct timespec ts;

	if (getrandom(&s, sizeof(s), GRND_NONBLOCK) == (ssize_t)sizeof(s))
		return s;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec) ^
	       (uint64_t)(uintptr_t)salt;
}

enum dp_status dp_strmap_new(struct dp_strmap **out)
{
	struct dp_strmap *m = calloc(1, sizeof(*m));

	*out = NULL;
	if (m == NULL)
		return DP_ENOMEM;
	m->cap = 64;
	m->seed = new_seed(m);
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

static struct slot *find(struct slot *slots, size_t cap, uint64_t h, const char *key)
{
	size_t i = (size_t)h & (cap - 1);

	while (slots[i].key != NULL && strcmp(slots[i].key, key) != 0)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

/* The empty slot for a key known to be absent (rehashing): no string compared. */
static struct slot *find_free(struct slot *slots, size_t cap, uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);

	while (slots[i].key != NULL)
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
			*find_free(n, cap, hash(m->seed, m->slots[i].key)) = m->slots[i];
	free(m->slots);
	m->slots = n;
	m->cap = cap;
	return DP_OK;
}

enum dp_status dp_strmap_put(struct dp_strmap *m, const char *key, void *value)
{
	struct slot *s;
	uint64_t h;

	if ((m->count + 1) * 2 > m->cap && grow(m) != DP_OK)
		return DP_ENOMEM;
	h = hash(m->seed, key);
	s = find(m->slots, m->cap, h, key);
	if (s->key == NULL)
		m->count++;
	*s = (struct slot){key, value};
	return DP_OK;
}

void *dp_strmap_get(const struct dp_strmap *m, const char *key)
{
	return find(m->slots, m->cap, hash(m->seed, key), key)->value;
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
