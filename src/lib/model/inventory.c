/* SPDX-License-Identifier: BSD-3-Clause */
/* Inventory loader: YAML to validated, cross-referenced element records. */
#include "model/inventory.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/name.h"
#include "base/strmap.h"
#include "model/yamlutil.h"

struct dp_inventory {
	char *file;
	char **strings; /* every string the elements point to */
	size_t n_strings;
	struct dp_inv_ca *cas;
	size_t n_cas;
	struct dp_inv_account *accounts;
	size_t n_accounts;
	const char **zones;
	size_t n_zones;
	struct dp_inv_domain *domains;
	size_t n_domains;
	struct dp_strmap *by_name;
	struct dp_inv_ct ct;
};

/* Loading state: the document and the inventory being filled. */
struct loader {
	struct dp_yaml *y;
	struct dp_inventory *inv;
	struct dp_error *err;
};

static const char *keep(struct loader *l, const char *s, size_t len)
{
	struct dp_inventory *inv = l->inv;
	char **n = realloc(inv->strings, (inv->n_strings + 1) * sizeof(*n));
	char *d;

	if (n == NULL)
		return NULL;
	inv->strings = n;
	d = malloc(len + 1);
	if (d == NULL)
		return NULL;
	memcpy(d, s, len);
	d[len] = '\0';
	return inv->strings[inv->n_strings++] = d;
}

static enum dp_status oom(struct loader *l)
{
	return dp_error_set(l->err, DP_ENOMEM, dp_yaml_file(l->y), 0, 0, "out of memory");
}

/* size zeroed octets that live as long as the inventory, or NULL. */
static void *own(struct loader *l, size_t size)
{
	struct dp_inventory *inv = l->inv;
	char **n = realloc(inv->strings, (inv->n_strings + 1) * sizeof(*n));
	void *d;

	if (n == NULL)
		return NULL;
	inv->strings = n;
	d = calloc(1, size ? size : 1);
	if (d != NULL)
		inv->strings[inv->n_strings++] = d;
	return d;
}

/*
 * A host name at node n, normalized and kept. It may be given in Unicode:
 * the A-label form (xn--...) is the name kept. wildcard_ok allows "*.x".
 */
static enum dp_status load_name(struct loader *l, struct dp_ynode *n, const char *what,
                                bool wildcard_ok, const char **out)
{
	char norm[DP_NAME_MAX];
	struct dp_error nerr = {0};
	const char *s;
	enum dp_status st = dp_yaml_str(l->y, n, what, &s, l->err);

	if (st != DP_OK)
		return st;
	if (dp_name_from_input(s, norm, &nerr) != DP_OK)
		return dp_yaml_error(l->y, n, l->err, "%s: %s", what, nerr.msg);
	if (!wildcard_ok && strchr(norm, '*') != NULL)
		return dp_yaml_error(l->y, n, l->err,
		                     "%s: give the name without '*.'; wildcard: true asks for "
		                     "policy=wildcard",
		                     what);
	*out = keep(l, norm, strlen(norm));
	return *out ? DP_OK : oom(l);
}

/* The U-label form of a kept name, kept too; NULL when it has no xn-- label. */
static enum dp_status load_display(struct loader *l, const char *name, const char **out)
{
	char *u = dp_name_to_display(name);

	*out = NULL;
	if (u == NULL)
		return DP_OK;
	*out = keep(l, u, strlen(u));
	free(u);
	return *out ? DP_OK : oom(l);
}

/* An absolute URI that fits a record parameter value. */
static enum dp_status load_uri(struct loader *l, struct dp_ynode *n, const char **out)
{
	const char *s, *colon;
	enum dp_status st = dp_yaml_str(l->y, n, "uri", &s, l->err);

	if (st != DP_OK)
		return st;
	colon = strchr(s, ':');
	if (colon == NULL || colon == s)
		return dp_yaml_error(l->y, n, l->err, "uri '%.200s' is not an absolute URI", s);
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x21 || (unsigned char)*p > 0x7e || *p == ';')
			return dp_yaml_error(l->y, n, l->err,
			                     "uri holds a space, ';', control or non-ASCII "
			                     "character, which no record can carry");
	*out = keep(l, s, strlen(s));
	return *out ? DP_OK : oom(l);
}

static enum dp_status load_version(struct loader *l, struct dp_ynode *root)
{
	struct dp_ynode *v = dp_yaml_get(l->y, root, "version");
	int64_t version;
	enum dp_status st;

	if (v == NULL)
		return dp_yaml_error(l->y, root, l->err, "missing 'version: 1'");
	st = dp_yaml_int(l->y, v, "version", 0, 1000, &version, l->err);
	if (st == DP_OK && version != 1)
		return dp_yaml_error(l->y, v, l->err,
		                     "inventory version %lld is not supported (this dnspersist "
		                     "reads version 1)",
		                     (long long)version);
	return st;
}

static enum dp_status load_caa_ids(struct loader *l, struct dp_ynode *n, struct dp_inv_ca *ca)
{
	size_t len;
	enum dp_status st = dp_yaml_seq(l->y, n, "caa", l->err);

	if (st != DP_OK)
		return st;
	len = dp_yaml_len(n);
	if (len == 0)
		return dp_yaml_error(l->y, n, l->err, "caa: list at least one CAA identity");
	ca->caa = calloc(len, sizeof(*ca->caa));
	if (ca->caa == NULL)
		return oom(l);
	for (size_t i = 0; i < len && st == DP_OK; i++)
		st = load_name(l, dp_yaml_item(l->y, n, i), "caa identity", false,
		               &ca->caa[ca->n_caa++]);
	return st;
}

/* The CAA identities of a CA: the caa list, else its issuer alone. */
static enum dp_status load_ca_caa(struct loader *l, struct dp_ynode *v, struct dp_inv_ca *ca)
{
	struct dp_ynode *n = dp_yaml_get(l->y, v, "caa");

	if (n != NULL)
		return load_caa_ids(l, n, ca);
	ca->caa = calloc(1, sizeof(*ca->caa));
	if (ca->caa == NULL)
		return oom(l);
	ca->caa[ca->n_caa++] = ca->issuer;
	return DP_OK;
}

/* The optional choices of a CA: wildcard_scope and profile. */
static enum dp_status load_ca_choices(struct loader *l, struct dp_ynode *v, struct dp_inv_ca *ca)
{
	static const char *const scopes[] = {"subdomains", "wildcard-only", NULL};
	static const char *const profiles[] = {"strict", "boulder", "pebble", NULL};
	struct dp_ynode *n = dp_yaml_get(l->y, v, "wildcard_scope");
	int choice;
	enum dp_status st;

	if (n != NULL) {
		st = dp_yaml_choice(l->y, n, "wildcard_scope", scopes, &choice, l->err);
		if (st != DP_OK)
			return st;
		ca->scope = (enum dp_wildcard_scope)choice;
	}
	n = dp_yaml_get(l->y, v, "profile");
	if (n != NULL) {
		st = dp_yaml_choice(l->y, n, "profile", profiles, &choice, l->err);
		if (st != DP_OK)
			return st;
		ca->profile = (enum dp_profile)choice;
	}
	return DP_OK;
}

static enum dp_status load_ca(struct loader *l, struct dp_ynode *key, struct dp_ynode *v,
                              struct dp_inv_ca *ca)
{
	static const char *const keys[] = {"issuer",    "caa", "wildcard_scope", "profile", "note",
	                                   "directory", NULL};
	struct dp_ynode *n;
	enum dp_status st = dp_yaml_map(l->y, v, "a CA", keys, l->err);

	size_t klen = 0;
	const char *k = dp_yaml_scalar(key, &klen);

	ca->id = k ? keep(l, k, klen) : NULL;
	ca->line = dp_yaml_line(key);
	if (ca->id == NULL)
		return oom(l);
	if (st != DP_OK)
		return st;
	n = dp_yaml_get(l->y, v, "issuer");
	if (n == NULL)
		return dp_yaml_error(l->y, v, l->err, "CA '%s' needs an issuer", ca->id);
	st = load_name(l, n, "issuer", false, &ca->issuer);
	if (st == DP_OK)
		st = load_ca_caa(l, v, ca);
	if (st == DP_OK)
		st = load_ca_choices(l, v, ca);
	n = dp_yaml_get(l->y, v, "directory");
	if (st == DP_OK && n != NULL)
		st = load_uri(l, n, &ca->directory);
	return st;
}

static enum dp_status load_cas(struct loader *l, struct dp_ynode *root)
{
	struct dp_ynode *m = dp_yaml_get(l->y, root, "cas");
	size_t len;
	enum dp_status st = DP_OK;

	if (m == NULL)
		return DP_OK;
	st = dp_yaml_map(l->y, m, "cas", NULL, l->err);
	if (st != DP_OK)
		return st;
	len = dp_yaml_len(m);
	l->inv->cas = calloc(len ? len : 1, sizeof(*l->inv->cas));
	if (l->inv->cas == NULL)
		return oom(l);
	for (size_t i = 0; i < len && st == DP_OK; i++) {
		struct dp_inv_ca *ca = &l->inv->cas[l->inv->n_cas++];
		st = load_ca(l, dp_yaml_key_at(l->y, m, i), dp_yaml_value_at(l->y, m, i), ca);
		for (size_t j = 0; st == DP_OK && j + 1 < l->inv->n_cas; j++)
			if (strcmp(l->inv->cas[j].issuer, ca->issuer) == 0)
				st = dp_yaml_error(l->y, dp_yaml_key_at(l->y, m, i), l->err,
				                   "CA '%s' has the same issuer as CA '%s'", ca->id,
				                   l->inv->cas[j].id);
	}
	return st;
}

static const struct dp_inv_ca *ca_by_id(const struct dp_inventory *inv, const char *id)
{
	for (size_t i = 0; i < inv->n_cas; i++)
		if (strcmp(inv->cas[i].id, id) == 0)
			return &inv->cas[i];
	return NULL;
}

/* "undefined CA 'x' (did you mean 'y'?)" over the ids of one kind. */
static enum dp_status undefined(struct loader *l, struct dp_ynode *n, const char *kind,
                                const char *id, const char **ids, size_t n_ids)
{
	const char **list = calloc(n_ids + 1, sizeof(*list));
	const char *hint;
	enum dp_status st;

	if (list == NULL)
		return oom(l);
	memcpy(list, ids, n_ids * sizeof(*list));
	hint = dp_closest(id, list);
	st = dp_yaml_error(l->y, n, l->err, "undefined %s '%s'%s%s%s", kind, id,
	                   hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
	free(list);
	return st;
}

static enum dp_status undefined_ca(struct loader *l, struct dp_ynode *n, const char *id)
{
	const char *ids[64];
	size_t k = 0;

	for (size_t i = 0; i < l->inv->n_cas && k < 64; i++)
		ids[k++] = l->inv->cas[i].id;
	return undefined(l, n, "CA", id, ids, k);
}

static enum dp_status load_account(struct loader *l, struct dp_ynode *key, struct dp_ynode *v,
                                   struct dp_inv_account *a)
{
	static const char *const keys[] = {"ca", "uri", "note", NULL};
	struct dp_ynode *n;
	const char *ca;
	enum dp_status st = dp_yaml_map(l->y, v, "an account", keys, l->err);

	size_t klen = 0;
	const char *k = dp_yaml_scalar(key, &klen);

	a->id = k ? keep(l, k, klen) : NULL;
	a->line = dp_yaml_line(key);
	if (a->id == NULL)
		return oom(l);
	if (st != DP_OK)
		return st;
	n = dp_yaml_get(l->y, v, "ca");
	if (n == NULL)
		return dp_yaml_error(l->y, v, l->err, "account '%s' needs a ca", a->id);
	st = dp_yaml_str(l->y, n, "ca", &ca, l->err);
	if (st != DP_OK)
		return st;
	a->ca = ca_by_id(l->inv, ca);
	if (a->ca == NULL)
		return undefined_ca(l, n, ca);
	n = dp_yaml_get(l->y, v, "uri");
	if (n == NULL)
		return dp_yaml_error(l->y, v, l->err, "account '%s' needs a uri", a->id);
	return load_uri(l, n, &a->uri);
}

static enum dp_status load_accounts(struct loader *l, struct dp_ynode *root)
{
	struct dp_ynode *m = dp_yaml_get(l->y, root, "accounts");
	struct dp_inventory *inv = l->inv;
	size_t len;
	enum dp_status st;

	if (m == NULL)
		return DP_OK;
	st = dp_yaml_map(l->y, m, "accounts", NULL, l->err);
	if (st != DP_OK)
		return st;
	len = dp_yaml_len(m);
	inv->accounts = calloc(len ? len : 1, sizeof(*inv->accounts));
	if (inv->accounts == NULL)
		return oom(l);
	for (size_t i = 0; i < len && st == DP_OK; i++) {
		struct dp_inv_account *a = &inv->accounts[inv->n_accounts++];
		st = load_account(l, dp_yaml_key_at(l->y, m, i), dp_yaml_value_at(l->y, m, i), a);
		for (size_t j = 0; st == DP_OK && j + 1 < inv->n_accounts; j++)
			if (inv->accounts[j].ca == a->ca &&
			    strcmp(inv->accounts[j].uri, a->uri) == 0)
				st = dp_yaml_error(l->y, dp_yaml_key_at(l->y, m, i), l->err,
				                   "account '%s' repeats the uri of account '%s'",
				                   a->id, inv->accounts[j].id);
	}
	return st;
}

static enum dp_status load_zones(struct loader *l, struct dp_ynode *root)
{
	struct dp_ynode *s = dp_yaml_get(l->y, root, "zones");
	size_t len;
	enum dp_status st;

	if (s == NULL)
		return DP_OK;
	st = dp_yaml_seq(l->y, s, "zones", l->err);
	if (st != DP_OK)
		return st;
	len = dp_yaml_len(s);
	l->inv->zones = calloc(len ? len : 1, sizeof(*l->inv->zones));
	if (l->inv->zones == NULL)
		return oom(l);
	for (size_t i = 0; i < len && st == DP_OK; i++)
		st = load_name(l, dp_yaml_item(l->y, s, i), "zone", false,
		               &l->inv->zones[l->inv->n_zones++]);
	return st;
}

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
	return undefined(l, n, "account", id, ids, k);
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

/* A list of names at n (what names it in messages) into *out, kept. */
static enum dp_status load_name_list(struct loader *l, struct dp_ynode *n, const char *what,
                                     bool wildcard_ok, const char ***out, size_t *count)
{
	size_t len;
	enum dp_status st = dp_yaml_seq(l->y, n, what, l->err);

	if (st != DP_OK)
		return st;
	len = dp_yaml_len(n);
	*out = own(l, (len + 1) * sizeof(**out));
	if (*out == NULL)
		return oom(l);
	for (size_t i = 0; i < len && st == DP_OK; i++)
		st = load_name(l, dp_yaml_item(l->y, n, i), what, wildcard_ok, &(*out)[(*count)++]);
	return st;
}

/* ct_allow (CAA domains) and ct_wildcard of a domain. */
static enum dp_status load_domain_ct(struct loader *l, struct dp_ynode *v, struct dp_inv_domain *d)
{
	struct dp_ynode *n = dp_yaml_get(l->y, v, "ct_allow");
	enum dp_status st = DP_OK;

	if (n != NULL)
		st = load_name_list(l, n, "ct_allow", false, &d->ct_allow, &d->n_ct_allow);
	n = dp_yaml_get(l->y, v, "ct_wildcard");
	if (st == DP_OK && n != NULL)
		st = dp_yaml_bool(l->y, n, "ct_wildcard", &d->ct_wildcard, l->err);
	return st;
}

static enum dp_status load_domain(struct loader *l, struct dp_ynode *v, struct dp_inv_domain *d)
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
	st = load_name(l, n, "name", false, &d->name);
	if (st == DP_OK)
		st = load_display(l, d->name, &d->display);
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
	d->auth = a = calloc(len ? len : 1, sizeof(*a));
	if (a == NULL)
		return oom(l);
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

static enum dp_status load_domains(struct loader *l, struct dp_ynode *root)
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
	if (inv->domains == NULL)
		return oom(l);
	for (size_t i = 0; i < len && st == DP_OK; i++) {
		struct dp_ynode *item = dp_yaml_item(l->y, s, i);
		struct dp_inv_domain *d = &inv->domains[inv->n_domains++], *prev;
		st = load_domain(l, item, d);
		if (st != DP_OK)
			break;
		prev = dp_strmap_get(inv->by_name, d->name);
		if (prev != NULL)
			return dp_yaml_error(l->y, item, l->err,
			                     "domain %s is listed twice (first on line %lu)",
			                     d->name, prev->line);
		if (dp_strmap_put(inv->by_name, d->name, d) != DP_OK)
			return oom(l);
	}
	return st;
}

/* A plain list of strings at n (ct.ignore_issuers), kept. */
static enum dp_status load_str_list(struct loader *l, struct dp_ynode *n, const char *what,
                                    const char ***out, size_t *count)
{
	size_t len;
	const char *str;
	enum dp_status st = dp_yaml_seq(l->y, n, what, l->err);

	if (st != DP_OK)
		return st;
	len = dp_yaml_len(n);
	*out = own(l, (len + 1) * sizeof(**out));
	if (*out == NULL)
		return oom(l);
	for (size_t i = 0; i < len && st == DP_OK; i++) {
		st = dp_yaml_str(l->y, dp_yaml_item(l->y, n, i), what, &str, l->err);
		if (st == DP_OK && str[0] == '\0')
			st = dp_yaml_error(l->y, dp_yaml_item(l->y, n, i), l->err,
			                   "%s: an empty string would match every issuer", what);
		if (st == DP_OK)
			(*out)[(*count)++] = keep(l, str, strlen(str));
		if (st == DP_OK && (*out)[*count - 1] == NULL)
			st = oom(l);
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
	ct->issuers = rows = own(l, (len + 1) * sizeof(*rows));
	if (rows == NULL)
		return oom(l);
	for (size_t i = 0; i < len && st == DP_OK; i++) {
		const char *k = dp_yaml_scalar(dp_yaml_key_at(l->y, m, i), &n);
		size_t count = 0;
		if (k == NULL || n == 0)
			return dp_yaml_error(l->y, dp_yaml_key_at(l->y, m, i), l->err,
			                     "ct.issuers: give an organisation name");
		rows[i].org = keep(l, k, n);
		if (rows[i].org == NULL)
			return oom(l);
		st = load_name_list(l, dp_yaml_value_at(l->y, m, i), "CAA domain", false,
		                    &rows[i].caa, &count);
		ct->n_issuers = i + 1;
	}
	return st;
}

static enum dp_status load_ct(struct loader *l, struct dp_ynode *root)
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
		ct->source = keep(l, ct->source, strlen(ct->source));
		if (ct->source == NULL)
			return oom(l);
	}
	n = dp_yaml_get(l->y, m, "lookback");
	if (st == DP_OK && n != NULL)
		st = dp_yaml_duration(l->y, n, "ct.lookback", &ct->lookback, l->err);
	n = dp_yaml_get(l->y, m, "ignore_names");
	if (st == DP_OK && n != NULL)
		st = load_name_list(l, n, "ct.ignore_names", true, &ct->ignore_names,
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

static enum dp_status load_all(struct loader *l)
{
	static const char *const keys[] = {"version", "cas", "accounts", "zones",
	                                   "domains", "ct",  NULL};
	struct dp_ynode *root = dp_yaml_root(l->y);
	enum dp_status st = dp_yaml_map(l->y, root, "the inventory", keys, l->err);

	if (st == DP_OK)
		st = load_version(l, root);
	if (st == DP_OK)
		st = load_cas(l, root);
	if (st == DP_OK)
		st = load_accounts(l, root);
	if (st == DP_OK)
		st = load_zones(l, root);
	if (st == DP_OK)
		st = load_domains(l, root);
	if (st == DP_OK)
		st = load_ct(l, root);
	return st;
}

static enum dp_status finish(struct dp_yaml *y, void *result, struct dp_error *err)
{
	struct dp_inventory **out = result;
	struct dp_inventory *inv = calloc(1, sizeof(*inv));
	struct loader l = {y, inv, err};
	enum dp_status st;

	if (inv == NULL)
		return DP_ENOMEM;
	inv->file = strdup(dp_yaml_file(y));
	if (inv->file == NULL || dp_strmap_new(&inv->by_name) != DP_OK) {
		dp_inventory_free(inv);
		return DP_ENOMEM;
	}
	st = load_all(&l);
	if (st != DP_OK) {
		dp_inventory_free(inv);
		return st;
	}
	*out = inv;
	return DP_OK;
}

enum dp_status dp_inventory_load(const char *path, struct dp_inventory **out, struct dp_error *err)
{
	*out = NULL;
	return dp_yaml_build(path, NULL, 0, finish, out, err);
}

enum dp_status dp_inventory_load_mem(const char *name, const char *data, size_t len,
                                     struct dp_inventory **out, struct dp_error *err)
{
	*out = NULL;
	return dp_yaml_build(name, data, len, finish, out, err);
}

void dp_inventory_free(struct dp_inventory *inv)
{
	if (inv == NULL)
		return;
	for (size_t i = 0; i < inv->n_strings; i++)
		free(inv->strings[i]);
	for (size_t i = 0; i < inv->n_cas; i++)
		free(inv->cas[i].caa);
	for (size_t i = 0; i < inv->n_domains; i++)
		free((void *)(uintptr_t)inv->domains[i].auth);
	free(inv->strings);
	free(inv->cas);
	free(inv->accounts);
	free(inv->zones);
	free(inv->domains);
	dp_strmap_free(inv->by_name);
	free(inv->file);
	free(inv);
}

const struct dp_inv_account *dp_inventory_account_at(const struct dp_inventory *inv, size_t i)
{
	return i < inv->n_accounts ? &inv->accounts[i] : NULL;
}

const struct dp_inv_ct *dp_inventory_ct(const struct dp_inventory *inv)
{
	return &inv->ct;
}

const char *dp_inventory_file(const struct dp_inventory *inv)
{
	return inv->file;
}

size_t dp_inventory_domain_count(const struct dp_inventory *inv)
{
	return inv->n_domains;
}

const struct dp_inv_domain *dp_inventory_domain(const struct dp_inventory *inv, size_t i)
{
	return &inv->domains[i];
}

size_t dp_inventory_zone_count(const struct dp_inventory *inv)
{
	return inv->n_zones;
}

const char *dp_inventory_zone(const struct dp_inventory *inv, size_t i)
{
	return inv->zones[i];
}

size_t dp_inventory_ca_count(const struct dp_inventory *inv)
{
	return inv->n_cas;
}

const struct dp_inv_ca *dp_inventory_ca(const struct dp_inventory *inv, size_t i)
{
	return &inv->cas[i];
}

const struct dp_inv_domain *dp_inventory_find(const struct dp_inventory *inv, const char *name)
{
	return dp_strmap_get(inv->by_name, name);
}

const struct dp_inv_ca *dp_inventory_ca_by_issuer(const struct dp_inventory *inv,
                                                  const char *issuer)
{
	for (size_t i = 0; issuer != NULL && i < inv->n_cas; i++)
		if (strcmp(inv->cas[i].issuer, issuer) == 0)
			return &inv->cas[i];
	return NULL;
}

const struct dp_inv_account *dp_inventory_account(const struct dp_inventory *inv,
                                                  const struct dp_inv_ca *ca, const char *uri)
{
	for (size_t i = 0; uri != NULL && i < inv->n_accounts; i++)
		if (inv->accounts[i].ca == ca && strcmp(inv->accounts[i].uri, uri) == 0)
			return &inv->accounts[i];
	return NULL;
}

const char *dp_inventory_owner_zone(const struct dp_inventory *inv, const char *name)
{
	const char *best = NULL;

	for (size_t i = 0; i < inv->n_zones; i++) {
		const char *z = inv->zones[i];
		if ((dp_name_equal(name, z) || dp_name_is_below(name, z)) &&
		    (best == NULL || strlen(z) > strlen(best)))
			best = z;
	}
	return best;
}
