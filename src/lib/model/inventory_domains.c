/* SPDX-License-Identifier: BSD-3-Clause */
/* Inventory loader, the domains: each name, its authorizations and its CT allowances. */
#include "model/inventory_int.h"

#include <stdlib.h>
#include <string.h>

static const struct dp_inv_account *account_by_id(const struct dp_inventory *inv, const char *id)
{
	for (size_t i = 0; i < inv->n_accounts; i++)
		if (strcmp(inv->accounts[i].id, id) == 0)
			return &inv->accounts[i];
	return NULL;
}

/* The account of an authorization, by id; an unknown id is an error. */
static enum dp_status load_auth_account(struct loader *l, struct dp_ynode *v, struct dp_inv_auth *a)
{
	const char *ids[256];
	size_t k = 0;
	const char *id;
	struct dp_ynode *n = dp_yaml_get(l->y, v, "account");
	enum dp_status st;

	if (n == NULL)
		return dp_yaml_error(l->y, v, l->err, "an authorization needs an account");
	st = dp_yaml_str(l->y, n, "account", &id, l->err);
	if (st != DP_OK)
		return st;
	a->account = account_by_id(l->inv, id);
	if (a->account != NULL)
		return DP_OK;
	for (size_t i = 0; i < l->inv->n_accounts && k < 256; i++)
		ids[k++] = l->inv->accounts[i].id;
	return dp_inv_undefined(l, n, "account", id, ids, k);
}

static enum dp_status load_auth(struct loader *l, struct dp_ynode *v, struct dp_inv_auth *a)
{
	static const char *const keys[] = {"account", "wildcard", "persist_until", NULL};
	static const char *const reqs[] = {"optional", "required", "forbidden", NULL};
	struct dp_ynode *n;
	int choice;
	enum dp_status st = dp_yaml_map(l->y, v, "an authorization", keys, l->err);

	a->line = dp_yaml_line(v);
	if (st == DP_OK)
		st = load_auth_account(l, v, a);
	if (st != DP_OK)
		return st;
	n = dp_yaml_get(l->y, v, "wildcard");
	if (n != NULL) {
		st = dp_yaml_bool(l->y, n, "wildcard", &a->wildcard, l->err);
		if (st != DP_OK)
			return st;
	}
	n = dp_yaml_get(l->y, v, "persist_until");
	if (n != NULL) {
		st = dp_yaml_choice(l->y, n, "persist_until", reqs, &choice, l->err);
		if (st != DP_OK)
			return st;
		a->persist_until = (enum dp_pu_req)choice;
	}
	return DP_OK;
}

enum dp_status dp_inv_list(struct loader *l, struct dp_ynode *n, const char *what,
                           const char ***out, size_t *len)
{
	enum dp_status st = dp_yaml_seq(l->y, n, what, l->err);

	*len = 0;
	if (st != DP_OK)
		return st;
	*len = dp_yaml_len(n);
	*out = dp_inv_own(l, (*len + 1) * sizeof(**out));
	return *out != NULL ? DP_OK : dp_inv_oom(l);
}

/* A list of names at n (what names it in messages) into *out, kept. */
enum dp_status dp_inv_load_name_list(struct loader *l, struct dp_ynode *n, const char *what,
                                     bool wildcard_ok, const char ***out, size_t *count)
{
	size_t len;
	enum dp_status st = dp_inv_list(l, n, what, out, &len);

	for (size_t i = 0; i < len && st == DP_OK; i++)
		st = dp_inv_load_name(l, dp_yaml_item(l->y, n, i), what, wildcard_ok,
		                      &(*out)[(*count)++]);
	return st;
}

/* ct_allow (CAA domains) and ct_wildcard of a domain. */
static enum dp_status load_domain_ct(struct loader *l, struct dp_ynode *v, struct dp_inv_domain *d)
{
	struct dp_ynode *n = dp_yaml_get(l->y, v, "ct_allow");
	enum dp_status st = DP_OK;

	if (n != NULL)
		st = dp_inv_load_name_list(l, n, "ct_allow", false, &d->ct_allow, &d->n_ct_allow);
	n = dp_yaml_get(l->y, v, "ct_wildcard");
	if (st == DP_OK && n != NULL)
		st = dp_yaml_bool(l->y, n, "ct_wildcard", &d->ct_wildcard, l->err);
	return st;
}

enum dp_status dp_inv_load_domain(struct loader *l, struct dp_ynode *v, struct dp_inv_domain *d)
{
	static const char *const keys[] = {"name",     "authorize",   "note",
	                                   "ct_allow", "ct_wildcard", NULL};
	struct dp_ynode *n, *auth;
	struct dp_inv_auth *a;
	size_t len;
	enum dp_status st = dp_yaml_map(l->y, v, "a domain", keys, l->err);

	d->line = dp_yaml_line(v);
	if (st != DP_OK)
		return st;
	n = dp_yaml_get(l->y, v, "name");
	if (n == NULL)
		return dp_yaml_error(l->y, v, l->err, "a domain needs a name");
	st = dp_inv_load_name(l, n, "name", false, &d->name);
	if (st == DP_OK)
		st = dp_inv_load_display(l, d->name, &d->display);
	if (st != DP_OK)
		return st;
	st = load_domain_ct(l, v, d);
	if (st != DP_OK)
		return st;
	auth = dp_yaml_get(l->y, v, "authorize");
	if (auth == NULL)
		return dp_yaml_error(l->y, v, l->err,
		                     "domain %s needs authorize: (a list; [] for none)", d->name);
	st = dp_yaml_seq(l->y, auth, "authorize", l->err);
	if (st != DP_OK)
		return st;
	len = dp_yaml_len(auth);
	d->auth = a = dp_inv_own(l, (len ? len : 1) * sizeof(*a));
	if (a == NULL)
		return dp_inv_oom(l);
	for (size_t i = 0; i < len && st == DP_OK; i++) {
		st = load_auth(l, dp_yaml_item(l->y, auth, i), &a[i]);
		d->n_auth = i + 1;
		for (size_t j = 0; st == DP_OK && j < i; j++)
			if (a[j].account == a[i].account)
				st = dp_yaml_error(l->y, dp_yaml_item(l->y, auth, i), l->err,
				                   "account '%s' is listed twice for %s",
				                   a[i].account->id, d->name);
	}
	return st;
}

enum dp_status dp_inv_load_domains(struct loader *l, struct dp_ynode *root)
{
	struct dp_ynode *s = dp_yaml_get(l->y, root, "domains");
	struct dp_inventory *inv = l->inv;
	size_t len;
	enum dp_status st;

	if (s == NULL)
		return DP_OK;
	st = dp_yaml_seq(l->y, s, "domains", l->err);
	if (st != DP_OK)
		return st;
	len = dp_yaml_len(s);
	inv->domains = calloc(len ? len : 1, sizeof(*inv->domains));
	if (inv->domains == NULL || dp_strmap_reserve(inv->by_name, len) != DP_OK)
		return dp_inv_oom(l);
	for (size_t i = 0; i < len && st == DP_OK; i++) {
		struct dp_ynode *item = dp_yaml_item(l->y, s, i);
		struct dp_inv_domain *d = &inv->domains[inv->n_domains++], *prev;
		st = dp_inv_load_domain(l, item, d);
		if (st != DP_OK)
			break;
		prev = dp_strmap_get(inv->by_name, d->name);
		if (prev != NULL)
			return dp_yaml_error(l->y, item, l->err,
			                     "domain %s is listed twice (first on line %lu)",
			                     d->name, prev->line);
		if (dp_strmap_put(inv->by_name, d->name, d) != DP_OK)
			return dp_inv_oom(l);
	}
	return st;
}
