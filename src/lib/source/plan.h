/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The plan: what a run must observe, decided once for every front end.
 * Inventory names (or the one name asked for), their ancestors, owned
 * zones whose other names are found by transfer, and which CNAMEs a CAA
 * climb passes. Sources fill observations from it and decide nothing.
 */
#ifndef DP_PLAN_H
#define DP_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "base/status.h"
#include "model/inventory.h"

struct dp_plan;

/*
 * One shard of a run (scan --shard K/N): the names whose zone hashes to
 * index, of count shards. count 0: the whole run. A name's zone is the
 * inventory's owned zone holding it, else its registered domain as far as
 * the name shows it (the last two labels, three under a two-letter
 * country code's short second level such as co.uk), so that the names of
 * one zone, their CAA climbs and their cached answers stay in one shard.
 */
struct dp_shard {
	unsigned index, count;
};

/*
 * inv NULL: lint, every record of the files is of interest. only: the one
 * inventory name to look at (the plugin's -H), or NULL for all. filter:
 * build the observation filter (a source that reads whole zones needs it;
 * its map of names costs memory a live scan of a million names need not
 * spend). shard: only that shard's names and owned zones, or NULL for
 * all. inv is borrowed and must outlive the plan; the caller owns *out
 * (dp_plan_free).
 */
enum dp_status dp_plan_new(const struct dp_inventory *inv, const char *only, bool filter,
                           const struct dp_shard *shard, struct dp_plan **out);
/* A plan of names without an inventory (verify NAME): they and their ancestors. */
enum dp_status dp_plan_new_names(const char *const *names, size_t n, struct dp_plan **out);
void dp_plan_free(struct dp_plan *p);

/* The names to look up, and the owned zones whose other names a live source transfers. */
size_t dp_plan_name_count(const struct dp_plan *p);
const char *const *dp_plan_names(const struct dp_plan *p);
size_t dp_plan_zone_count(const struct dp_plan *p);
const char *const *dp_plan_zones(const struct dp_plan *p);

/*
 * The observation filter (dp_obs_set_filter): TXT and CAA at planned names,
 * their ancestors and names in owned zones; a CNAME only where a CAA climb
 * from a planned name passes. ctx is the plan. Not installed for lint.
 */
bool dp_plan_wants(const char *name, bool cname, void *ctx);
/* Whether name (an inventory name, or one in an owned zone) is this plan's shard's. */
bool dp_plan_in_shard(const struct dp_plan *p, const char *name);
/* The shard name falls in of count (count > 0): the same on every machine. */
unsigned dp_shard_of(const struct dp_inventory *inv, const char *name, unsigned count);

/* Whether the plan filters at all (not for lint, nor when not asked to). */
bool dp_plan_filters(const struct dp_plan *p);

#endif
