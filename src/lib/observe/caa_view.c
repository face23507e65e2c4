/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The CAA climb of RFC 8659 over the observations: where a CAA lookup at
 * each level lands after CNAMEs, the RRsets a CA would consider, and where
 * the climb fails on a CNAME loop. Reads the observations through their
 * public interface only.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "observe/observe.h"

const char *dp_obs_caa_target(const struct dp_obs *o, const char *name)
{
	const struct dp_obs_node *n = dp_obs_get(o, name);
	const char *cur = name;

	for (int hop = 0; n != NULL && n->cname != NULL && hop < DP_OBS_MAX_HOPS; hop++) {
		cur = n->cname;
		n = dp_obs_get(o, cur);
	}
	return cur;
}

/* The parent of a name, or NULL at the last label. */
static const char *up(const char *l)
{
	const char *dot = strchr(l, '.');
	return dot ? dot + 1 : NULL;
}

/*
 * The CAA RRs a lookup at level l yields and *at, where its CNAMEs end:
 * live, what that lookup itself met (another lookup's chain to the same
 * target may have been answered otherwise); from zones, the target's RRs.
 */
static const struct dp_obs_caa *node_caa(const struct dp_obs *o, const char *l,
                                         const struct dp_obs_node *n, const char **at)
{
	if (n != NULL && n->dns != NULL && n->dns->chain_caa_set) {
		*at = n->dns->chain_caa_owner;
		return n->dns->chain_caa;
	}
	if (n == NULL || n->cname == NULL) {
		*at = l; /* no CNAME: the level itself, looked up once (most names) */
		return n ? n->caa : NULL;
	}
	*at = dp_obs_caa_target(o, l);
	n = dp_obs_get(o, *at);
	return n ? n->caa : NULL;
}

/* node_caa of level l, l looked up here. */
static const struct dp_obs_caa *level_caa(const struct dp_obs *o, const char *l, const char **at)
{
	return node_caa(o, l, dp_obs_get(o, l), at);
}

static void count_caa(const struct dp_obs *o, const char *name, size_t *levels, size_t *rrs)
{
	const char *at;

	*levels = *rrs = 0;
	for (const char *l = name; l != NULL && *l; l = up(l)) {
		(*levels)++;
		for (const struct dp_obs_caa *c = level_caa(o, l, &at); c != NULL; c = c->next)
			(*rrs)++;
	}
}

const char *dp_obs_caa_broken(const struct dp_obs *o, const char *name)
{
	for (const char *l = name; l != NULL && *l; l = up(l)) {
		const struct dp_obs_node *n = dp_obs_get(o, l);
		if (n != NULL && n->cname != NULL && dp_obs_loops(o, l, true))
			return l;
		const char *at;
		if (node_caa(o, l, n, &at) != NULL)
			return NULL; /* a CA stops at the first CAA RRset */
	}
	return NULL;
}

/* The view's four arrays in one zeroed block (one allocation a view, not four). */
static bool view_alloc(struct dp_obs_caa_view *v, size_t levels, size_t total)
{
	size_t sets = (levels ? levels : 1) * sizeof(*v->sets),
	       rrs = (total ? total : 1) * sizeof(*v->rrs),
	       src = (total ? total : 1) * sizeof(*v->src),
	       labels = (levels ? levels : 1) * sizeof(*v->labels);
	char *block = calloc(1, sets + rrs + src + labels);

	_Static_assert(sizeof(struct dp_caa_rrset) % sizeof(void *) == 0 &&
	                   sizeof(struct dp_caa_rr) % sizeof(void *) == 0,
	               "each array of the block starts aligned");
	if (block == NULL)
		return false;
	v->sets = (struct dp_caa_rrset *)(void *)block;
	v->rrs = (struct dp_caa_rr *)(void *)(block + sets);
	v->src = (const struct dp_obs_caa **)(void *)(block + sets + rrs);
	v->labels = (char **)(void *)(block + sets + rrs + src);
	return true;
}

enum dp_status dp_obs_caa_view(const struct dp_obs *o, const char *name, struct dp_obs_caa_view *v)
{
	size_t levels, total, k = 0;

	count_caa(o, name, &levels, &total);
	memset(v, 0, sizeof(*v));
	if (!view_alloc(v, levels, total))
		return DP_ENOMEM;
	for (const char *l = name; l != NULL && *l && v->n < levels; l = up(l)) {
		const char *at;
		const struct dp_obs_caa *first = level_caa(o, l, &at);
		struct dp_caa_rrset *set = &v->sets[v->n];
		set->owner = l;
		if (strcmp(at, l) != 0) {
			size_t len = strlen(l) + strlen(at) + 16;
			v->labels[v->n] = malloc(len);
			if (v->labels[v->n] == NULL) {
				dp_obs_caa_view_free(v);
				return DP_ENOMEM;
			}
			snprintf(v->labels[v->n], len, "%s (CNAME to %s)", l, at);
			set->owner = v->labels[v->n];
		}
		v->n++;
		set->rrs = v->rrs + k;
		for (const struct dp_obs_caa *c = first; c != NULL; c = c->next) {
			v->src[k] = c;
			v->rrs[k++] = (struct dp_caa_rr){c->flags, c->tag, c->value, c->len};
			set->n++;
		}
	}
	v->broken = dp_obs_caa_broken(o, name);
	return DP_OK;
}

void dp_obs_caa_view_free(struct dp_obs_caa_view *v)
{
	for (size_t i = 0; v->labels != NULL && i < v->n; i++)
		free(v->labels[i]);
	free(v->sets); /* the block view_alloc made */
	memset(v, 0, sizeof(*v));
}

void dp_obs_caa_evaluate(const struct dp_obs_caa_view *v, const struct dp_caa_query *q,
                         struct dp_caa_result *res)
{
	dp_caa_evaluate(v->sets, v->n, q, res);
	if (v->broken == NULL)
		return;
	res->verdict = DP_CAA_UNSATISFIABLE;
	res->owner = NULL;
	res->rr_index = SIZE_MAX;
	snprintf(res->reason, sizeof(res->reason),
	         "the CAA lookup at %s fails: its CNAME chain loops or runs past 8 hops",
	         v->broken);
}

const struct dp_obs_caa *dp_obs_caa_decider(const struct dp_obs_caa_view *v,
                                            const struct dp_caa_result *res)
{
	for (size_t i = 0; i < v->n; i++) {
		if (v->sets[i].n == 0)
			continue;
		if (res->rr_index == SIZE_MAX || res->rr_index >= v->sets[i].n)
			return NULL;
		return v->src[(size_t)(v->sets[i].rrs - v->rrs) + res->rr_index];
	}
	return NULL;
}
