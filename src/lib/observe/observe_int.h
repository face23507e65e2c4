/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The observation store's inside, shared by observe.c (the store) and
 * observe_zone.c (the zone-file source that fills it). Other modules see
 * struct dp_obs through observe.h only.
 */
#ifndef DP_OBSERVE_INT_H
#define DP_OBSERVE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "observe/observe.h"
#include "source/zonefile.h"

#define DP_OBS_PERSIST_PREFIX "_validation-persist"
struct dp_obs {
	const char *mode;
	struct dp_arena *arena;
	struct dp_strmap *nodes;
	struct dp_strmap *files;  /* interned file names */
	struct dp_strmap *values; /* interned TXT values */
	struct dp_obs_node **persist;
	size_t n_persist, cap_persist;
	bool (*wants)(const char *name, bool cname, void *ctx);
	void *wants_ctx;
	struct dp_strmap *wanted;     /* owners whose TXT a record CNAME leads to */
	struct dp_strmap *wanted_caa; /* owners whose CAA a name's CNAME leads to */
	struct dp_strmap *fresh_caa;  /* those of them the next pass reads (not read yet) */
	bool txt_done;                /* the TXT of wanted owners has been read */
	struct dp_obs_node **aliases; /* nodes with a CNAME at the name itself */
	size_t n_aliases, cap_aliases;
	bool pass2;
	bool include_anywhere; /* $INCLUDE may leave the zone file's directory */
	enum dp_zone_format zone_format;
	unsigned long records;
	const char **notes;
	size_t n_notes;
};

/* Whether the filter (if any) keeps the records of name. */
bool dp_obs_kept(const struct dp_obs *o, const char *name);
/* "_validation-persist.X" gives X; "_validation-persist" gives ""; else NULL. */
const char *dp_obs_persist_base(const char *owner);

#endif
