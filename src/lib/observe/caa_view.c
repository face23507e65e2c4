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

/* A name has at most 127 labels (255 octets on the wire). */
#define MAX_LEVELS 128

/* One level of the climb, looked up once for the view and its checks. */
struct level {
	const char *name;
	const struct dp_obs_node *node;
	const struct dp_obs_caa *first; /* the CAA RRs its lookup yields */
	const char *at;                 /* where its CNAMEs end (the level itself without) */
};

/* The levels of name's climb, name first; *rrs the CAA RRs they yield in all. */
static size_t climb(const struct dp_obs *o, const char *name, struct level *lv, size_t *rrs)
{
	size_t n = 0;

	*rrs = 0;
	for (const char *l = name; l != NULL && *l && n < MAX_LEVELS; l = up(l), n++) {
		lv[n].name = l;
		lv[n].node = dp_obs_get(o, l);
		lv[n].first = node_caa(o, l, lv[n].node, &lv[n].at);
		for (const struct dp_obs_caa *c = lv[n].first; c != NULL; c = c->next)
			(*rrs)++;
	}
	return n;
}

/* The first level whose lookup loops before any CAA RRset is found, or NULL. */
static const char *broken_at(const struct dp_obs *o, const struct level *lv, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (lv[i].node != NULL && lv[i].node->cname != NULL &&
		    dp_obs_loops(o, lv[i].name, true))
			return lv[i].name;
		if (lv[i].first != NULL)
			return NULL; /* a CA stops at the first CAA RRset */
	}
	return NULL;
}

const char *dp_obs_caa_broken(const struct dp_obs *o, const char *name)
{
	struct level lv[MAX_LEVELS];
	size_t rrs, n = climb(o, name, lv, &rrs);

	return broken_at(o, lv, n);
}

/* The view's four arrays in one zeroed block (one allocation a view, not four). */
static bool view_alloc(struct dp_obs_caa_view *v, size_t levels, size_t total)
{
	size_t sets = (levels ? levels : 1) * sizeof(*v->sets),
	       rrs = (total ? total : 1) * sizeof(*v->rrs),
	       src = (total ? total : 1) * sizeof(*v->src),
	       labels = (levels ? levels : 1) * sizeof(*v->labels);
	char *block = calloc(1, sets + rrs + src + labels);

	_Static_assert(sizeof(struct dp_caa_rrset) % _Alignof(struct dp_caa_rr) == 0 &&
	                   sizeof(struct dp_caa_rr) % _Alignof(const struct dp_obs_caa *) == 0 &&
	                   sizeof(const struct dp_obs_caa *) % _Alignof(char *) == 0,
	               "each array of the block starts aligned for its type");
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
	struct level lv[MAX_LEVELS];
	size_t total, k = 0, levels = climb(o, name, lv, &total);

	memset(v, 0, sizeof(*v));
	if (!view_alloc(v, levels, total))
		return DP_ENOMEM;
	for (size_t i = 0; i < levels; i++) {
		struct dp_caa_rrset *set = &v->sets[v->n];
		set->owner = lv[i].name;
		if (strcmp(lv[i].at, lv[i].name) != 0) {
			size_t len = strlen(lv[i].name) + strlen(lv[i].at) + 16;
			v->labels[v->n] = malloc(len);
			if (v->labels[v->n] == NULL) {
				dp_obs_caa_view_free(v);
				return DP_ENOMEM;
			}
			snprintf(v->labels[v->n], len, "%s (CNAME to %s)", lv[i].name, lv[i].at);
			set->owner = v->labels[v->n];
		}
		v->n++;
		set->rrs = v->rrs + k;
		for (const struct dp_obs_caa *c = lv[i].first; c != NULL; c = c->next) {
			v->src[k] = c;
			v->rrs[k++] = (struct dp_caa_rr){c->flags, c->tag, c->value, c->len};
			set->n++;
		}
	}
	v->broken = broken_at(o, lv, levels);
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
