/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A set of owner names with what each holds, built for a few hundred
 * thousand kept records: open addressing on a 64-bit hash of the name, and
 * only the hash is kept (16 octets a name, no copy of it). Two names with
 * one hash would read as one owner: at 10^6 owners the chance is about
 * 3 in 10^8, and the cost a zone refused with a message naming both lines'
 * owner, never a record missed.
 */
#include "source/zone_owners.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct slot {
	uint64_t hash; /* 0: empty */
	char kind;     /* 'C' or 'O' */
};

struct zone_owners {
	struct slot *slots;
	size_t cap, count;
};

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	h ^= h >> 29; /* FNV-1a's low bits are weak; the slot index uses them */
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 32;
	return h ? h : 1;
}

struct zone_owners *zone_owners_new(void)
{
	struct zone_owners *o = calloc(1, sizeof(*o));

	if (o == NULL)
		return NULL;
	o->cap = 1024;
	o->slots = calloc(o->cap, sizeof(*o->slots));
	if (o->slots == NULL) {
		zone_owners_free(o);
		return NULL;
	}
	return o;
}

void zone_owners_free(struct zone_owners *o)
{
	if (o == NULL)
		return;
	free(o->slots);
	free(o);
}

static struct slot *find(struct slot *slots, size_t cap, uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);

	while (slots[i].hash != 0 && slots[i].hash != h)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static bool grow(struct zone_owners *o)
{
	size_t cap = o->cap * 2;
	struct slot *n = calloc(cap, sizeof(*n));

	if (n == NULL)
		return false;
	for (size_t i = 0; i < o->cap; i++)
		if (o->slots[i].hash != 0)
			*find(n, cap, o->slots[i].hash) = o->slots[i];
	free(o->slots);
	o->slots = n;
	o->cap = cap;
	return true;
}

enum dp_status zone_owners_note(struct zone_owners *o, const char *owner, bool cname, char *had)
{
	uint64_t h = hash(owner);
	struct slot *s = find(o->slots, o->cap, h);

	*had = s->hash != 0 ? s->kind : 0;
	if (s->hash != 0) {
		if (cname)
			s->kind = 'C';
		return DP_OK;
	}
	if ((o->count + 1) * 2 > o->cap) {
		if (!grow(o))
			return DP_ENOMEM;
		s = find(o->slots, o->cap, h);
	}
	s->hash = h;
	s->kind = cname ? 'C' : 'O';
	o->count++;
	return DP_OK;
}
