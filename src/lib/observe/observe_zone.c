/* SPDX-License-Identifier: BSD-3-Clause */
/* The zone-file source: zone files read into the observation store, in passes. */
#include "observe/observe_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/msg.h"

/* ---- zone source ---------------------------------------------------------- */

/*
 * RFC 1034 3.6.2 at the owners the observations keep: a CNAME holds no
 * other data, and one owner has one CNAME. (The reader checks neighbouring
 * records of every owner, and the whole load when nothing filters it.)
 */
static enum dp_status zone_conflict(const struct dp_obs *o, const struct dp_zrr *rr,
                                    const char *base, struct dp_error *err)
{
	const struct dp_obs_node *n = dp_strmap_get(o->nodes, base ? base : rr->owner);
	bool cname = rr->type == DP_RR_CNAME, clash;
	const char *had;

	if (n == NULL)
		return DP_OK;
	had = base ? n->persist_cname : n->cname;
	if (cname)
		clash = (had != NULL && strcmp(had, rr->target) != 0) ||
		        (base ? n->txt != NULL : n->caa != NULL || n->other_txt != NULL);
	else
		clash = had != NULL;
	if (!clash)
		return DP_OK;
	return dp_error_set(err, DP_ESYNTAX, rr->file, rr->line, 0,
	                    "%s at '%s': a CNAME owner holds no other data (RFC 1034 3.6.2; BIND, "
	                    "NSD and Knot refuse the zone)",
	                    cname && had != NULL ? "a second CNAME"
	                    : cname              ? "a CNAME beside other data"
	                                         : "data beside a CNAME",
	                    rr->owner);
}

static enum dp_status later_pass(struct dp_obs *o, const struct dp_zrr *rr)
{
	bool fresh = o->fresh_caa != NULL && dp_strmap_get(o->fresh_caa, rr->owner) != NULL;

	if (rr->type == DP_RR_TXT && !o->txt_done && dp_strmap_get(o->wanted, rr->owner))
		return dp_obs_add_txt(o, rr->owner, rr->txt, rr->txt_len, rr->file, rr->line);
	if (rr->type == DP_RR_CAA && fresh)
		return dp_obs_add_caa(o, rr->owner, rr->caa_flags, rr->caa_tag, rr->caa_value,
		                      rr->caa_value_len, rr->file, rr->line);
	/* a CAA lookup follows the target's own CNAME too (loops must show) */
	if (rr->type == DP_RR_CNAME && fresh)
		return dp_obs_add_cname(o, rr->owner, rr->target, rr->file, rr->line);
	return DP_OK;
}

static enum dp_status zone_cb(const struct dp_zrr *rr, void *ctx, struct dp_error *err)
{
	struct dp_obs *o = ctx;
	const char *base = dp_obs_persist_base(rr->owner);
	enum dp_status st = zone_conflict(o, rr, rr->type == DP_RR_CAA ? NULL : base, err);

	if (st != DP_OK)
		return st;
	o->records++;
	if (o->pass2) /* each later pass reads what no pass before it read */
		return later_pass(o, rr);
	switch (rr->type) {
	case DP_RR_TXT:
		return base && dp_obs_kept(o, base)
		           ? dp_obs_add_txt(o, rr->owner, rr->txt, rr->txt_len, rr->file, rr->line)
		           : DP_OK;
	case DP_RR_CAA:
		return dp_obs_kept(o, rr->owner)
		           ? dp_obs_add_caa(o, rr->owner, rr->caa_flags, rr->caa_tag, rr->caa_value,
		                            rr->caa_value_len, rr->file, rr->line)
		           : DP_OK;
	case DP_RR_CNAME:
		if ((base != NULL && dp_obs_kept(o, base)) ||
		    (o->wants && o->wants(rr->owner, true, o->wants_ctx)))
			return dp_obs_add_cname(o, rr->owner, rr->target, rr->file, rr->line);
		return DP_OK;
	}
	return DP_OK;
}

/* Zone files, or one buffer (tests, fuzzing), or buffers (a git revision's files). */
struct zone_src {
	const char *const *files;
	size_t n;
	const char *name, *data;
	size_t len;
	const struct dp_zone_buf *bufs;
	size_t n_bufs;
};

static enum dp_status read_all(struct dp_obs *o, const struct zone_src *src,
                               const struct dp_zone_opts *opts, struct dp_error *err)
{
	enum dp_status st = DP_OK;

	if (src->data != NULL)
		return dp_zone_read_mem(src->name, src->data, src->len, opts, zone_cb, o, err);
	for (size_t i = 0; i < src->n_bufs && st == DP_OK; i++)
		st = dp_zone_read_mem(src->bufs[i].name, src->bufs[i].data, src->bufs[i].len, opts,
		                      zone_cb, o, err);
	if (src->bufs != NULL)
		return st;
	/* one load: a file given twice is read once, and the bounds count over all */
	return dp_zone_read_files(src->files, src->n, opts, zone_cb, o, err);
}

static enum dp_status collect_caa_targets(struct dp_obs *o, size_t *added);

/* Owners whose TXT a record CNAME leads to and pass one did not keep. */
static enum dp_status collect_wanted(struct dp_obs *o)
{
	for (size_t i = 0; i < o->n_persist; i++) {
		const char *via = NULL;
		const struct dp_obs_node *n = o->persist[i];
		if (n->persist_cname == NULL)
			continue;
		const struct dp_obs_txt *have = dp_obs_records(o, n->name, &via);
		/* a target the filter dropped, or outside the _validation-persist space */
		if (via != NULL && have == NULL && !dp_strmap_get(o->wanted, via) &&
		    dp_strmap_put(o->wanted, via, (void *)(uintptr_t)via) != DP_OK)
			return DP_ENOMEM;
	}
	return collect_caa_targets(o, NULL);
}

/*
 * CAA lookups follow CNAMEs: fetch the CAA (and CNAME) at targets the
 * passes so far did not keep. *added (may be NULL) counts the new ones.
 */
static enum dp_status collect_caa_targets(struct dp_obs *o, size_t *added)
{
	for (size_t i = 0; i < o->n_aliases; i++) {
		const char *target = dp_obs_caa_target(o, o->aliases[i]->name);
		const struct dp_obs_node *t = dp_strmap_get(o->nodes, target);
		if ((t == NULL || (t->caa == NULL && t->cname == NULL)) &&
		    !dp_strmap_get(o->wanted_caa, target)) {
			if (o->fresh_caa == NULL && dp_strmap_new(&o->fresh_caa) != DP_OK)
				return DP_ENOMEM;
			if (dp_strmap_put(o->wanted_caa, target, (void *)(uintptr_t)target) !=
			        DP_OK ||
			    dp_strmap_put(o->fresh_caa, target, (void *)(uintptr_t)target) != DP_OK)
				return DP_ENOMEM;
			if (added != NULL)
				(*added)++;
		}
	}
	return DP_OK;
}

/* CNAMEs a CA would follow on the way to a CAA set: at names that matter only. */
static bool cname_wanted(const char *owner, void *ctx)
{
	const struct dp_obs *o = ctx;
	return o->wants != NULL && o->wants(owner, true, o->wants_ctx);
}

/* In the later passes: also the CNAMEs at the targets a CAA climb reached. */
static bool cname_wanted_later(const char *owner, void *ctx)
{
	const struct dp_obs *o = ctx;
	return dp_strmap_get(o->wanted_caa, owner) != NULL || cname_wanted(owner, ctx);
}

/* Pass one keeps records, CAA and CNAMEs; pass two, only when a record's
 * owner is an alias, fetches the TXT at the alias targets. */
/*
 * What BIND would warn about, said once per load (the zone is still read).
 * An origin taken from the file name is the documented convention for a
 * directory of zones (example.com.zone), so it is not warned about.
 */
static void warn_stats(const struct dp_zone_stats *s)
{
	if (s->big_ttls > 0)
		dp_msg_warn("%lu TTL%s above 2147483647 read as 0, as BIND does", s->big_ttls,
		            s->big_ttls == 1 ? "" : "s");
}

static enum dp_status load(struct dp_obs *o, const struct zone_src *src, const char *origin,
                           struct dp_error *err)
{
	struct dp_zone_stats stats = {0};
	struct dp_zone_opts opts = {.origin = origin,
	                            .stats = &stats,
	                            .include_anywhere = o->include_anywhere,
	                            .format = o->zone_format,
	                            .no_include = src->data != NULL || src->bufs != NULL,
	                            .persist_cnames_only = o->wants == NULL,
	                            .cname_filter = o->wants ? cname_wanted : NULL};
	enum dp_status st = read_all(o, src, &opts, err);

	opts.stats = NULL; /* the later passes read the same files again */
	if (st == DP_OK) {
		warn_stats(&stats);
		st = collect_wanted(o);
	}
	if (st != DP_OK || dp_strmap_count(o->wanted) + dp_strmap_count(o->wanted_caa) == 0)
		return st;
	o->pass2 = true;
	opts.all_txt = true;
	opts.persist_cnames_only = false;
	opts.cname_filter = cname_wanted_later;
	/* a chain of CNAMEs on the CAA climb is read one link a pass, up to a loop */
	for (int pass = 0; st == DP_OK && pass < DP_OBS_MAX_HOPS; pass++) {
		size_t added = 0;
		st = read_all(o, src, &opts, err);
		o->txt_done = true;
		dp_strmap_free(o->fresh_caa); /* read now: the next pass wants only new ones */
		o->fresh_caa = NULL;
		if (st == DP_OK)
			st = collect_caa_targets(o, &added);
		if (added == 0)
			break;
	}
	o->pass2 = false;
	o->txt_done = false;
	return st;
}

enum dp_status dp_obs_load_zones(struct dp_obs *o, const char *const *files, size_t n,
                                 const char *origin, struct dp_error *err)
{
	struct zone_src src = {.files = files, .n = n};
	return load(o, &src, origin, err);
}

enum dp_status dp_obs_load_zone_text(struct dp_obs *o, const char *name, const char *data,
                                     size_t len, const char *origin, struct dp_error *err)
{
	struct zone_src src = {.name = name, .data = data, .len = len};
	return load(o, &src, origin, err);
}

enum dp_status dp_obs_load_zone_bufs(struct dp_obs *o, const struct dp_zone_buf *bufs, size_t n,
                                     const char *origin, struct dp_error *err)
{
	struct zone_src src = {.bufs = bufs, .n_bufs = n};
	return n == 0 ? DP_OK : load(o, &src, origin, err);
}

void dp_obs_set_zone_format(struct dp_obs *o, enum dp_zone_format format)
{
	o->zone_format = format;
}

void dp_obs_set_include_anywhere(struct dp_obs *o, bool anywhere)
{
	o->include_anywhere = anywhere;
}

unsigned long dp_obs_records_read(const struct dp_obs *o)
{
	return o->records;
}
