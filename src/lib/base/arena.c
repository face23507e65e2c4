/* SPDX-License-Identifier: BSD-3-Clause */
/* Bump allocation in blocks (64 KiB unless asked); large requests get a block of their own. */
#include "base/arena.h"

#include <stdlib.h>
#include <string.h>

/*
 * A reset keeps one block for the next use, except under AddressSanitizer:
 * there it frees every block, so that a pointer kept past dp_arena_reset()
 * is a use after free however soon the arena is used again (a kept block
 * would hand the same memory to the next user, unnoticed).
 */
#if defined(__SANITIZE_ADDRESS__)
#define KEEP_BLOCK 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KEEP_BLOCK 0
#endif
#endif
#ifndef KEEP_BLOCK
#define KEEP_BLOCK 1
#endif

#define BLOCK 65536

struct block {
	struct block *next;
	size_t used, size;
	char data[];
};

struct dp_arena {
	struct block *head;
	size_t total;
	size_t block;
};

struct dp_arena *dp_arena_new(void)
{
	return dp_arena_new_block(BLOCK);
}

struct dp_arena *dp_arena_new_block(size_t block)
{
	struct dp_arena *a = calloc(1, sizeof(struct dp_arena));

	if (a != NULL)
		a->block = block < 256 ? 256 : block;
	return a;
}

static void free_blocks(struct block *b)
{
	for (struct block *n; b != NULL; b = n) {
		n = b->next;
		free(b);
	}
}

/*
 * An arena reset once per name (the report's details) would otherwise
 * give its block back and ask for it again every time: the first block of
 * the usual size is kept, emptied, and the others freed.
 */
void dp_arena_reset(struct dp_arena *a)
{
	struct block *keep = a->head;

	if (!KEEP_BLOCK || keep == NULL || keep->size != a->block) {
		free_blocks(keep);
		a->head = NULL;
		a->total = 0;
		return;
	}
	free_blocks(keep->next);
	keep->next = NULL;
	keep->used = 0;
	a->total = keep->size;
}

void dp_arena_free(struct dp_arena *a)
{
	if (a == NULL)
		return;
	free_blocks(a->head);
	free(a);
}

void *dp_arena_alloc(struct dp_arena *a, size_t size)
{
	struct block *b = a->head;
	void *p;

	size = (size + 7) & ~(size_t)7;
	if (b == NULL || b->size - b->used < size) {
		size_t cap = size > a->block / 4 ? size : a->block;
		b = malloc(sizeof(*b) + cap);
		if (b == NULL)
			return NULL;
		b->used = 0;
		b->size = cap;
		if (cap == size && a->head != NULL) {
			/* keep the current block for small requests */
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
		a->total += cap;
	}
	p = b->data + b->used;
	b->used += size;
	return memset(p, 0, size);
}

char *dp_arena_strndup(struct dp_arena *a, const char *s, size_t len)
{
	char *d = dp_arena_alloc(a, len + 1);
	if (d != NULL) {
		memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}

char *dp_arena_strdup(struct dp_arena *a, const char *s)
{
	return dp_arena_strndup(a, s, strlen(s));
}

size_t dp_arena_size(const struct dp_arena *a)
{
	return a->total;
}
