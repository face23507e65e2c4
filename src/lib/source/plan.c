/* SPDX-License-Identifier: BSD-3-Clause */
/* The plan: names, ancestors, owned zones and the observation filter of a run. */
#include "source/plan.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/name.h"
#include "base/strmap.h"

struct dp_plan {
	const struct dp_inventory *inv; /* NULL for lint and for a plan of names */
	bool filters;
	const char **names;
	size_t n_names;
	const char **zones;
	size_t n_zones;
	struct dp_strmap *interest; /* planned names and their ancestors */
	struct dp_shard shard;      /* count 0: every name */
};

/* The zone a name is sharded by: its owned zone, else its registered domain as it looks. */
static const char *shard_group(const struct dp_inventory *inv, const char *name)
{
	const char *zone = inv ? dp_inventory_owner_zone(inv, name) : NULL;
	const char *g = name, *p;
	size_t labels = dp_name_label_count(name), keep = 2;
	const char *tld, *sld;

	if (zone != NULL)
		return zone;
	if (labels >= 3) {
		tld = name;
		for (size_t i = 0; i + 1 < labels; i++)
			tld = dp_name_parent(tld);
		sld = name;
		for (size_t i = 0; i + 2 < labels; i++)
			sld = dp_name_parent(sld);
		/* co.uk, com.au, ac.jp: a short second level under a country code */
		if (strlen(tld) == 2 && (size_t)(tld - sld) - 1 <= 3)
			keep = 3;
	}
	for (size_t i = labels; i > keep && (p = dp_name_parent(g)) != NULL; i--)
		g = p;
	return g;
}

unsigned dp_shard_of(const struct dp_inventory *inv, const char *name, unsigned count)
{
	uint64_t h = 14695981039346656037u; /* FNV-1a: the same on every machine */

	for (const char *p = shard_group(inv, name); *p; p++) {
		char ch = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
		h = (h ^ (unsigned char)ch) * 1099511628211u;
	}
	return (unsigned)(h % count);
}

bool dp_plan_in_shard(const struct dp_plan *p, const char *name)
{
	return p->shard.count == 0 || dp_shard_of(p->inv, name, p->shard.count) == p->shard.index;
}

static enum dp_status add_interest(struct dp_plan *p, const char *name)
{
	enum dp_status st = DP_OK;

	for (const char *n = name; n != NULL && st == DP_OK; n = dp_name_parent(n))
		st = dp_strmap_put(p->interest, n, (void *)(uintptr_t)n);
	return st;
}

/* Names: the one asked for, or every inventory name; zones only for a whole scan. */
static enum dp_status fill(struct dp_plan *p, const char *only, bool filter)
{
	const struct dp_inventory *inv = p->inv;
	size_t n = only ? 1 : dp_inventory_domain_count(inv);
	size_t nz = only ? 0 : dp_inventory_zone_count(inv);
	enum dp_status st = DP_OK;

	p->names = calloc(n ? n : 1, sizeof(*p->names));
	p->zones = calloc(nz ? nz : 1, sizeof(*p->zones));
	if (p->names == NULL || p->zones == NULL)
		return DP_ENOMEM;
	for (size_t i = 0; i < n && st == DP_OK; i++) {
		const char *name =
		    only ? dp_inventory_find(inv, only)->name : dp_inventory_domain(inv, i)->name;
		if (!dp_plan_in_shard(p, name))
			continue; /* another shard's */
		p->names[p->n_names++] = name;
		if (filter)
			st = add_interest(p, name);
	}
	for (size_t i = 0; i < nz; i++)
		if (dp_plan_in_shard(p, dp_inventory_zone(inv, i)))
			p->zones[p->n_zones++] = dp_inventory_zone(inv, i);
	return st;
}

enum dp_status dp_plan_new(const struct dp_inventory *inv, const char *only, bool filter,
                           const struct dp_shard *shard, struct dp_plan **out)
{
	struct dp_plan *p = calloc(1, sizeof(*p));
	enum dp_status st = DP_ENOMEM;

	*out = NULL;
	if (p == NULL)
		return DP_ENOMEM;
	if (shard != NULL && shard->count > 0 && shard->index >= shard->count) {
		free(p);
		return DP_EINVAL;
	}
	p->inv = inv;
	if (shard != NULL)
		p->shard = *shard;
	if (inv == NULL) {
		*out = p; /* lint: everything in the files */
		return DP_OK;
	}
	if (only != NULL && dp_inventory_find(inv, only) == NULL)
		st = DP_EINVAL;
	else if (filter)
		st = dp_strmap_new(&p->interest);
	else
		st = DP_OK;
	if (st == DP_OK)
		st = fill(p, only, filter);
	p->filters = filter;
	if (st != DP_OK) {
		dp_plan_free(p);
		return st;
	}
	*out = p;
	return DP_OK;
}

enum dp_status dp_plan_new_names(const char *const *names, size_t n, struct dp_plan **out)
{
	struct dp_plan *p = calloc(1, sizeof(*p));
	enum dp_status st = DP_ENOMEM;

	*out = NULL;
	if (p == NULL)
		return DP_ENOMEM;
	p->names = calloc(n ? n : 1, sizeof(*p->names));
	if (p->names != NULL)
		st = dp_strmap_new(&p->interest);
	if (st == DP_OK) {
		p->filters = true;
		for (; p->n_names < n && st == DP_OK; p->n_names++) {
			p->names[p->n_names] = names[p->n_names];
			st = add_interest(p, names[p->n_names]);
		}
	}
	if (st != DP_OK) {
		dp_plan_free(p);
		return st;
	}
	*out = p;
	return DP_OK;
}

void dp_plan_free(struct dp_plan *p)
{
	if (p == NULL)
		return;
	free(p->names);
	free(p->zones);
	dp_strmap_free(p->interest);
	free(p);
}

size_t dp_plan_name_count(const struct dp_plan *p)
{
	return p->n_names;
}

const char *const *dp_plan_names(const struct dp_plan *p)
{
	return p->names;
}

size_t dp_plan_zone_count(const struct dp_plan *p)
{
	return p->n_zones;
}

const char *const *dp_plan_zones(const struct dp_plan *p)
{
	return p->zones;
}

bool dp_plan_filters(const struct dp_plan *p)
{
	return p->filters;
}

bool dp_plan_wants(const char *name, bool cname, void *ctx)
{
	const struct dp_plan *p = ctx;

	const char *zone;

	if (dp_strmap_get(p->interest, name) != NULL)
		return true;
	zone = !cname && p->inv != NULL ? dp_inventory_owner_zone(p->inv, name) : NULL;
	return zone != NULL && dp_plan_in_shard(p, zone);
}
