/* SPDX-License-Identifier: BSD-3-Clause */
/* Inventory loader, the ct: section: source, lookback, names and issuers to ignore, issuer rows. */
#include "model/inventory_int.h"

#include <stdlib.h>
#include <string.h>

/* A plain list of strings at n (ct.ignore_issuers), kept. */
static enum dp_status load_str_list(struct loader *l, struct dp_ynode *n, const char *what,
                                    const char ***out, size_t *count)
{
	size_t len;
	const char *str;
	enum dp_status st = dp_inv_list(l, n, what, out, &len);

	for (size_t i = 0; i < len && st == DP_OK; i++) {
		st = dp_yaml_str(l->y, dp_yaml_item(l->y, n, i), what, &str, l->err);
		if (st == DP_OK && str[0] == '\0')
			st = dp_yaml_error(l->y, dp_yaml_item(l->y, n, i), l->err,
			                   "%s: an empty string would match every issuer", what);
		if (st == DP_OK)
			(*out)[(*count)++] = dp_inv_keep(l, str, strlen(str));
		if (st == DP_OK && (*out)[*count - 1] == NULL)
			st = dp_inv_oom(l);
	}
	return st;
}

/* ct.issuers: {"Organisation": [caa domains]} rows added to the shipped table. */
static enum dp_status load_ct_issuers(struct loader *l, struct dp_ynode *m)
{
	struct dp_inv_ct *ct = &l->inv->ct;
	struct dp_inv_issuer *rows;
	size_t len, n;
	enum dp_status st = dp_yaml_map(l->y, m, "ct.issuers", NULL, l->err);

	if (st != DP_OK)
		return st;
	len = dp_yaml_len(m);
	ct->issuers = rows = dp_inv_own(l, (len + 1) * sizeof(*rows));
	if (rows == NULL)
		return dp_inv_oom(l);
	for (size_t i = 0; i < len && st == DP_OK; i++) {
		const char *k = dp_yaml_scalar(dp_yaml_key_at(l->y, m, i), &n);
		size_t count = 0;
		if (k == NULL || n == 0)
			return dp_yaml_error(l->y, dp_yaml_key_at(l->y, m, i), l->err,
			                     "ct.issuers: give an organisation name");
		rows[i].org = dp_inv_keep(l, k, n);
		if (rows[i].org == NULL)
			return dp_inv_oom(l);
		st = dp_inv_load_name_list(l, dp_yaml_value_at(l->y, m, i), "CAA domain", false,
		                           &rows[i].caa, &count);
		ct->n_issuers = i + 1;
	}
	return st;
}

enum dp_status dp_inv_load_ct(struct loader *l, struct dp_ynode *root)
{
	static const char *const keys[] = {"source",         "lookback", "ignore_names",
	                                   "ignore_issuers", "issuers",  NULL};
	struct dp_ynode *m = dp_yaml_get(l->y, root, "ct"), *n;
	struct dp_inv_ct *ct = &l->inv->ct;
	enum dp_status st;

	if (m == NULL)
		return DP_OK;
	st = dp_yaml_map(l->y, m, "ct", keys, l->err);
	n = dp_yaml_get(l->y, m, "source");
	if (st == DP_OK && n != NULL)
		st = dp_yaml_str(l->y, n, "ct.source", &ct->source, l->err);
	if (st == DP_OK && ct->source != NULL) {
		ct->source = dp_inv_keep(l, ct->source, strlen(ct->source));
		if (ct->source == NULL)
			return dp_inv_oom(l);
	}
	n = dp_yaml_get(l->y, m, "lookback");
	if (st == DP_OK && n != NULL)
		st = dp_yaml_duration(l->y, n, "ct.lookback", &ct->lookback, l->err);
	n = dp_yaml_get(l->y, m, "ignore_names");
	if (st == DP_OK && n != NULL)
		st = dp_inv_load_name_list(l, n, "ct.ignore_names", true, &ct->ignore_names,
		                           &ct->n_ignore_names);
	n = dp_yaml_get(l->y, m, "ignore_issuers");
	if (st == DP_OK && n != NULL)
		st = load_str_list(l, n, "ct.ignore_issuers", &ct->ignore_issuers,
		                   &ct->n_ignore_issuers);
	n = dp_yaml_get(l->y, m, "issuers");
	if (st == DP_OK && n != NULL)
		st = load_ct_issuers(l, n);
	return st;
}
