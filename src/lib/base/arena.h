/* SPDX-License-Identifier: BSD-3-Clause */
/* A bump allocator for many small, same-lifetime objects (observations, findings). */
#ifndef DP_ARENA_H
#define DP_ARENA_H

#include <stddef.h>

struct dp_arena;

struct dp_arena *dp_arena_new(void);
/* The same with blocks of this size: for many small, short-lived arenas. */
struct dp_arena *dp_arena_new_block(size_t block);
/* Forget everything allocated, keeping the arena (and one block) for reuse. */
void dp_arena_reset(struct dp_arena *a);
/* Free every block; NULL is fine. */
void dp_arena_free(struct dp_arena *a);
/* Zeroed, 8-byte aligned memory owned by the arena; NULL when out of memory. */
void *dp_arena_alloc(struct dp_arena *a, size_t size);
/* A NUL-terminated copy of [s, s+len) owned by the arena. */
char *dp_arena_strndup(struct dp_arena *a, const char *s, size_t len);
char *dp_arena_strdup(struct dp_arena *a, const char *s);
/* Bytes held, for reports and benchmarks. */
size_t dp_arena_size(const struct dp_arena *a);

#endif
