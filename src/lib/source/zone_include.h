/* SPDX-License-Identifier: BSD-3-Clause */
/* Internal to the zone-file reader: opening files, $INCLUDE and its confinement. */
#ifndef DP_ZONE_INCLUDE_H
#define DP_ZONE_INCLUDE_H

#include "source/zone_reader.h"

/*
 * Open a top-level zone file into s (directories refused; a pipe named by
 * the user is read). Counts towards the load's file bound.
 */
enum dp_status zone_open_top(struct reader *r, struct source *s, const char *path);
void zone_close_source(struct source *s);

/*
 * Map a large regular file whole instead of reading it (on the first
 * refill): no copy, and no entry split across two reads. False for pipes,
 * special and small files, or when mmap fails: then it is read.
 */
bool zone_map(struct source *s);

/*
 * Give the pages of a mapped file that were read back to the kernel every
 * few MiB, so the file does not count in the peak RSS; they are read again
 * from the page cache if ever touched.
 */
void zone_drop_read(struct source *s);

/* Set s->shown to path, escaped for messages. */
void zone_show_path(struct source *s, const char *path);

/*
 * Where $INCLUDE may reach: below the directory of path (realpath). When
 * that directory cannot be resolved, $INCLUDE is refused unless the
 * options allow any file.
 */
void zone_set_root(struct reader *r, const char *path);

/*
 * *seen when this file was already read in this scope (origin, owner);
 * else it is noted, and s->reread set when it was read in another scope.
 */
enum dp_status zone_seen(struct reader *r, struct source *s, bool *seen);

/* The $INCLUDE directive in r->e. */
enum dp_status zone_include(struct reader *r, struct source *s);

#endif
