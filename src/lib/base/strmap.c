/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Open-addressing hash map grown at 50% load. Keys are names and record
 * values read from zone files and reports, so hostile: a zone whose keys all
 * hash alike would make every lookup walk them all. The hash is SipHash-1-3
 * (Aumasson and Bernstein; Rust's default for the same reason) under a key
 * drawn per map, so nobody writing a zone can tell which keys collide. Slots
 * hold the key and value only (keeping each key's hash too saved 1% of
 * lint's instructions for 2 MiB more at its peak). Nothing prints a map in
 * its slot order (dp_strmap_each's callers sort), so the key changes no
 * output.
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
	uint64_t k0, k1;
};

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                                                   \
	do {                                                                                       \
		v0 += v1;                                                                          \
		v1 = ROTL(v1, 13);                                                                 \
		v1 ^= v0;                                                                          \
		v0 = ROTL(v0, 32);                                                                 \
		v2 += v3;                                                                          \
		v3 = ROTL(v3, 16);                                                                 \
		v3 ^= v2;                                                                          \
		v0 += v3;                                                                          \
		v3 = ROTL(v3, 21);                                                                 \
		v3 ^= v0;                                                                          \
		v2 += v1;                                                                          \
		v1 = ROTL(v1, 17);                                                                 \
		v1 ^= v2;                                                                          \
		v2 = ROTL(v2, 32);                                                                 \
	} while (0)

/* SipHash-1-3 of the string s (words in host order: the value never leaves the process). */
static uint64_t hash(const struct dp_strmap *m, const char *s)
{
	size_t n = strlen(s);
	uint64_t v0 = m->k0 ^ 0x736f6d6570736575ull, v1 = m->k1 ^ 0x646f72616e646f6dull,
	         v2 = m->k0 ^ 0x6c7967656e657261ull, v3 = m->k1 ^ 0x7465646279746573ull;
	uint64_t w = (uint64_t)n << 56;

	for (size_t left = n; left >= 8; left -= 8, s += 8) {
		uint64_t word;
		memcpy(&word, s, 8);
		v3 ^= word;
		SIPROUND;
		v0 ^= word;
	}
	for (size_t i = 0; i < (n & 7); i++)
		w |= (uint64_t)(unsigned char)s[i] << (8 * i);
	v3 ^= w;
	SIPROUND;
	v0 ^= w;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

/* A key nobody writing a zone file can know; the clock when the kernel gives none. */
static void new_key(struct dp_strmap *m)
{
	uint64_t k[2];
	struct timespec ts;

	if (getrandom(k, sizeof(k), GRND_NONBLOCK) != (ssize_t)sizeof(k)) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		k[0] = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
		k[1] = (uint64_t)(uintptr_t)m ^ 0x9e3779b97f4a7c15ull;
	}
	m->k0 = k[0];
	m->k1 = k[1];
}

enum dp_status dp_strmap_new(struct dp_strmap **out)
{
	struct dp_strmap *m = calloc(1, sizeof(*m));

	*out = NULL;
	if (m == NULL)
		return DP_ENOMEM;
	m->cap = 64;
	new_key(m);
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

static enum dp_status resize(struct dp_strmap *m, size_t cap)
{
	struct slot *n = calloc(cap, sizeof(*n));

	if (n == NULL)
		return DP_ENOMEM;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key != NULL)
			*find_free(n, cap, hash(m, m->slots[i].key)) = m->slots[i];
	free(m->slots);
	m->slots = n;
	m->cap = cap;
	return DP_OK;
}

static enum dp_status grow(struct dp_strmap *m)
{
	return resize(m, m->cap * 2);
}

enum dp_status dp_strmap_reserve(struct dp_strmap *m, size_t n)
{
	size_t cap = m->cap;

	while (cap / 2 < n) {
		if (cap > SIZE_MAX / 4)
			return DP_ENOMEM;
		cap *= 2;
	}
	return cap == m->cap ? DP_OK : resize(m, cap);
}

enum dp_status dp_strmap_put(struct dp_strmap *m, const char *key, void *value)
{
	struct slot *s;
	uint64_t h;

	if ((m->count + 1) * 2 > m->cap && grow(m) != DP_OK)
		return DP_ENOMEM;
	h = hash(m, key);
	s = find(m->slots, m->cap, h, key);
	if (s->key == NULL)
		m->count++;
	*s = (struct slot){key, value};
	return DP_OK;
}

void *dp_strmap_get(const struct dp_strmap *m, const char *key)
{
	return find(m->slots, m->cap, hash(m, key), key)->value;
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
