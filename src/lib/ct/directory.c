/* SPDX-License-Identifier: BSD-3-Clause */
/* Fetch each inventory CA's ACME directory (libcurl, the CT transport rules) and parse it. */
#include "ct/directory.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

/* an ACME directory is a few KiB; a megabyte is already a wrong answer */
#define DIRECTORY_MAX (1u << 20)

static enum dp_status on_dir(void *ctx, size_t job, const struct dp_http_answer *a, char **next)
{
	struct dp_dir_obs *o = ctx;
	struct dp_dir_result *r = &o->v[job];
	struct dp_error err = {0};
	const char *why = a->error;

	*next = NULL;
	if (why == NULL && dp_acme_dir_parse(a->body, a->len, &r->dir, &err) != DP_OK)
		why = err.msg;
	if (why != NULL) {
		r->error = strdup(why);
		return r->error ? DP_OK : DP_ENOMEM;
	}
	return DP_OK;
}

/* Fetch o's n directories (st: how setting them up went); *out = o, or o freed on failure. */
static enum dp_status fetch_all(const struct dp_ct_config *cfg, struct dp_dir_obs *o,
                                const char **urls, enum dp_status st, struct dp_dir_obs **out)
{
	struct dp_buf ua = {0};
	struct dp_http_opts ho;

	if (st == DP_OK) {
		dp_ct_http_opts(cfg, DIRECTORY_MAX, &ua, &ho);
		st = dp_http_run(&ho, urls, o->n, on_dir, o);
	}
	dp_buf_free(&ua);
	if (st != DP_OK) {
		dp_dir_obs_free(o);
		return st;
	}
	*out = o;
	return DP_OK;
}

enum dp_status dp_dir_fetch(const struct dp_ct_config *cfg, const char *url,
                            struct dp_dir_obs **out)
{
	struct dp_dir_obs *o = calloc(1, sizeof(*o));
	enum dp_status st = DP_OK;

	*out = NULL;
	if (o != NULL)
		o->v = calloc(1, sizeof(*o->v));
	if (o == NULL || o->v == NULL) {
		st = DP_ENOMEM;
	} else {
		o->n = 1;
		o->v[0].url = url;
	}
	return fetch_all(cfg, o, &url, st, out);
}

enum dp_status dp_dir_probe(const struct dp_ct_config *cfg, const struct dp_inventory *inv,
                            struct dp_dir_obs **out)
{
	struct dp_dir_obs *o = calloc(1, sizeof(*o));
	size_t n = dp_inventory_ca_count(inv);
	const char **urls = calloc(n ? n : 1, sizeof(*urls));
	enum dp_status st = DP_OK;

	*out = NULL;
	if (o != NULL)
		o->v = calloc(n ? n : 1, sizeof(*o->v));
	if (o == NULL || urls == NULL || o->v == NULL)
		st = DP_ENOMEM;
	for (size_t i = 0; st == DP_OK && i < n; i++) {
		const struct dp_inv_ca *ca = dp_inventory_ca(inv, i);
		if (ca->directory == NULL)
			continue;
		o->v[o->n].ca = ca;
		o->v[o->n].url = ca->directory;
		urls[o->n++] = ca->directory;
	}
	st = fetch_all(cfg, o, urls, st, out);
	free(urls);
	return st;
}

void dp_dir_obs_free(struct dp_dir_obs *o)
{
	if (o == NULL)
		return;
	for (size_t i = 0; i < o->n; i++) {
		free(o->v[i].error);
		dp_acme_dir_clear(&o->v[i].dir);
	}
	free(o->v);
	free(o);
}
