/* SPDX-License-Identifier: BSD-3-Clause */
/* A string-keyed hash map (open addressing); keys are borrowed, values are pointers. */
#ifndef DP_STRMAP_H
#define DP_STRMAP_H

#include <stddef.h>

#include "base/status.h"

struct dp_arena;
struct dp_strmap;

/* The caller owns *out; keys must outlive the map. */
enum dp_status dp_strmap_new(struct dp_strmap **out);
void dp_strmap_free(struct dp_strmap *m);
/* Insert or replace; returns DP_ENOMEM on failure. */
enum dp_status dp_strmap_put(struct dp_strmap *m, const char *key, void *value);
/* The value for key, or NULL. */
void *dp_strmap_get(const struct dp_strmap *m, const char *key);
size_t dp_strmap_count(const struct dp_strmap *m);
/* Room for n keys in all without growing (each growth hashes every key again). */
enum dp_status dp_strmap_reserve(struct dp_strmap *m, size_t n);
/*
 * The one copy of s in a map used as a string pool (each key its own
 * value): the one it holds, else a copy made in arena and added. NULL
 * when out of memory.
 */
const char *dp_strmap_intern(struct dp_strmap *m, struct dp_arena *arena, const char *s);
/* fn on every entry, in no particular order, until it returns other than DP_OK (returned). */
enum dp_status dp_strmap_each(const struct dp_strmap *m,
                              enum dp_status (*fn)(const char *key, void *value, void *ctx),
                              void *ctx);

#endif
