/* SPDX-License-Identifier: BSD-3-Clause */
/* ACME directory meta fields (jansson); unknown keys ignored. */
#include "ct/acme_dir.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define STR_MAX 512 /* longer strings are not names anyone publishes */

static char *dup_str(json_t *v)
{
	const char *s = json_string_value(v);

	if (s == NULL || json_string_length(v) > STR_MAX || strlen(s) != json_string_length(v))
		return NULL;
	return strdup(s);
}

static void take_list(json_t *arr, char **v, size_t *n, bool *has)
{
	size_t i;
	json_t *x;

	if (!json_is_array(arr))
		return;
	*has = true;
	json_array_foreach(arr, i, x)
	{
		char *s = *n < DP_ACME_DIR_MAX ? dup_str(x) : NULL;
		if (s != NULL)
			v[(*n)++] = s;
	}
}

static void take_profiles(json_t *obj, struct dp_acme_dir *d)
{
	const char *k;
	json_t *v;

	if (!json_is_object(obj))
		return;
	json_object_foreach(obj, k, v)
	{
		(void)v;
		if (d->n_profiles < DP_ACME_DIR_MAX && strlen(k) <= STR_MAX)
			d->profiles[d->n_profiles] = strdup(k);
		if (d->n_profiles < DP_ACME_DIR_MAX && d->profiles[d->n_profiles] != NULL)
			d->n_profiles++;
	}
}

enum dp_status dp_acme_dir_parse(const char *body, size_t len, struct dp_acme_dir *out,
                                 struct dp_error *err)
{
	json_error_t je;
	json_t *root = json_loadb(body, len, 0, &je), *meta;

	memset(out, 0, sizeof(*out));
	if (root == NULL)
		return dp_error_set(err, DP_ESYNTAX, NULL, 0, 0, "not JSON: %.200s", je.text);
	if (!json_is_object(root) || !json_is_string(json_object_get(root, "newNonce"))) {
		json_decref(root);
		return dp_error_set(err, DP_ESYNTAX, NULL, 0, 0,
		                    "not an ACME directory (no newNonce URL)");
	}
	meta = json_object_get(root, "meta");
	if (json_is_object(meta)) {
		take_list(json_object_get(meta, "caaIdentities"), out->caa, &out->n_caa,
		          &out->has_caa);
		take_list(json_object_get(meta, "issuerDomainNames"), out->issuers, &out->n_issuers,
		          &out->has_issuers);
		out->hash_prefix = dup_str(json_object_get(meta, "accountHashPrefix"));
		out->ear = json_is_true(json_object_get(meta, "externalAccountRequired"));
		take_profiles(json_object_get(meta, "profiles"), out);
	}
	json_decref(root);
	return DP_OK;
}

void dp_acme_dir_clear(struct dp_acme_dir *d)
{
	for (size_t i = 0; i < d->n_caa; i++)
		free(d->caa[i]);
	for (size_t i = 0; i < d->n_issuers; i++)
		free(d->issuers[i]);
	for (size_t i = 0; i < d->n_profiles; i++)
		free(d->profiles[i]);
	free(d->hash_prefix);
	memset(d, 0, sizeof(*d));
}

bool dp_acme_dir_lists(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(v[i], s) == 0)
			return true;
	return false;
}
