/* SPDX-License-Identifier: BSD-3-Clause */
/* Inventory loader: YAML to validated, cross-referenced element records. */
#include "model/inventory.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/arena.h"
#include "base/name.h"
#include "base/strmap.h"
#include "model/inventory_int.h"
#include "model/yamlutil.h"

/* Strings and arrays live in the inventory's arena: one bump a string, freed together. */
const char *dp_inv_keep(struct loader *l, const char *s, size_t len)
{
	return dp_arena_strndup(l->inv->arena, s, len);
}

enum dp_status dp_inv_oom(struct loader *l)
{
	return dp_error_set(l->err, DP_ENOMEM, dp_yaml_file(l->y), 0, 0, "out of memory");
}

/* size zeroed octets that live as long as the inventory, or NULL. */
void *dp_inv_own(struct loader *l, size_t size)
{
	return dp_arena_alloc(l->inv->arena, size ? size : 1);
}

/*
 * A host name at node n, normalized and kept. It may be given in Unicode:
 * the A-label form (xn--...) is the name kept. wildcard_ok allows "*.x".
 */
enum dp_status dp_inv_load_name(struct loader *l, struct dp_ynode *n, const char *what,
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
	*out = dp_inv_keep(l, norm, strlen(norm));
	return *out ? DP_OK : dp_inv_oom(l);
}

/* The U-label form of a kept name, kept too; NULL when it has no xn-- label. */
enum dp_status dp_inv_load_display(struct loader *l, const char *name, const char **out)
{
	char *u = dp_name_to_display(name);

	*out = NULL;
	if (u == NULL)
		return DP_OK;
	*out = dp_inv_keep(l, u, strlen(u));
	free(u);
	return *out ? DP_OK : dp_inv_oom(l);
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
	*out = dp_inv_keep(l, s, strlen(s));
	return *out ? DP_OK : dp_inv_oom(l);
}

enum dp_status dp_inv_load_version(struct loader *l, struct dp_ynode *root)
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
		return dp_inv_oom(l);
	for (size_t i = 0; i < len && st == DP_OK; i++)
		st = dp_inv_load_name(l, dp_yaml_item(l->y, n, i), "caa identity", false,
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
		return dp_inv_oom(l);
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

	ca->id = k ? dp_inv_keep(l, k, klen) : NULL;
	ca->line = dp_yaml_line(key);
	if (ca->id == NULL)
		return dp_inv_oom(l);
	if (st != DP_OK)
		return st;
	n = dp_yaml_get(l->y, v, "issuer");
	if (n == NULL)
		return dp_yaml_error(l->y, v, l->err, "CA '%s' needs an issuer", ca->id);
	st = dp_inv_load_name(l, n, "issuer", false, &ca->issuer);
	if (st == DP_OK)
		st = load_ca_caa(l, v, ca);
	if (st == DP_OK)
		st = load_ca_choices(l, v, ca);
	n = dp_yaml_get(l->y, v, "directory");
	if (st == DP_OK && n != NULL)
		st = load_uri(l, n, &ca->directory);
	return st;
}

enum dp_status dp_inv_load_cas(struct loader *l, struct dp_ynode *root)
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
		return dp_inv_oom(l);
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
enum dp_status dp_inv_undefined(struct loader *l, struct dp_ynode *n, const char *kind,
                                const char *id, const char **ids, size_t n_ids)
{
	const char **list = calloc(n_ids + 1, sizeof(*list));
	const char *hint;
	enum dp_status st;

	if (list == NULL)
		return dp_inv_oom(l);
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
	return dp_inv_undefined(l, n, "CA", id, ids, k);
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

	a->id = k ? dp_inv_keep(l, k, klen) : NULL;
	a->line = dp_yaml_line(key);
	if (a->id == NULL)
		return dp_inv_oom(l);
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

enum dp_status dp_inv_load_accounts(struct loader *l, struct dp_ynode *root)
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
		return dp_inv_oom(l);
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

enum dp_status dp_inv_load_zones(struct loader *l, struct dp_ynode *root)
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
		return dp_inv_oom(l);
	for (size_t i = 0; i < len && st == DP_OK; i++)
		st = dp_inv_load_name(l, dp_yaml_item(l->y, s, i), "zone", false,
		                      &l->inv->zones[l->inv->n_zones++]);
	return st;
}

static enum dp_status load_all(struct loader *l)
{
	static const char *const keys[] = {"version", "cas", "accounts", "zones",
	                                   "domains", "ct",  NULL};
	struct dp_ynode *root = dp_yaml_root(l->y);
	enum dp_status st = dp_yaml_map(l->y, root, "the inventory", keys, l->err);

	if (st == DP_OK)
		st = dp_inv_load_version(l, root);
	if (st == DP_OK)
		st = dp_inv_load_cas(l, root);
	if (st == DP_OK)
		st = dp_inv_load_accounts(l, root);
	if (st == DP_OK)
		st = dp_inv_load_zones(l, root);
	if (st == DP_OK)
		st = dp_inv_load_domains(l, root);
	if (st == DP_OK)
		st = dp_inv_load_ct(l, root);
	return st;
}

struct dp_inventory *dp_inv_new(const char *file)
{
	struct dp_inventory *inv = calloc(1, sizeof(*inv));

	if (inv == NULL)
		return NULL;
	inv->file = strdup(file);
	inv->arena = dp_arena_new();
	if (inv->file == NULL || inv->arena == NULL || dp_strmap_new(&inv->by_name) != DP_OK) {
		dp_inventory_free(inv);
		return NULL;
	}
	return inv;
}

/* The reading every message comes from: the whole document, section by section. */
static enum dp_status finish(struct dp_yaml *y, void *result, struct dp_error *err)
{
	struct dp_inventory **out = result;
	struct dp_inventory *inv = dp_inv_new(dp_yaml_file(y));
	struct loader l = {y, inv, err};
	enum dp_status st;

	if (inv == NULL)
		return DP_ENOMEM;
	st = load_all(&l);
	if (st != DP_OK) {
		dp_inventory_free(inv);
		return st;
	}
	*out = inv;
	return DP_OK;
}

/*
 * The one-pass reading first (dp_inv_load_streamed: the domains list never
 * held whole); when it refuses the document for any reason, the whole-document
 * reading runs, so every message and position is exactly that one's.
 */
static enum dp_status load_bytes(const char *name, const char *data, size_t len,
                                 struct dp_inventory **out, struct dp_error *err)
{
	enum dp_status st = dp_inv_load_streamed(name, data, len, out, err);

	if (st == DP_OK || st == DP_ENOMEM)
		return st;
	dp_error_clear(err);
	return dp_yaml_build(name, data, len, finish, out, err);
}

enum dp_status dp_inventory_load(const char *path, struct dp_inventory **out, struct dp_error *err)
{
	struct dp_buf b = {0};
	enum dp_status st = dp_yaml_read(path, &b, err);

	*out = NULL;
	if (st == DP_OK)
		st = load_bytes(path, b.data ? b.data : "", b.len, out, err);
	dp_buf_free(&b);
	return st;
}

enum dp_status dp_inventory_load_mem(const char *name, const char *data, size_t len,
                                     struct dp_inventory **out, struct dp_error *err)
{
	*out = NULL;
	return load_bytes(name, data, len, out, err);
}

enum dp_status dp_inventory_load_tree(const char *name, const char *data, size_t len,
                                      struct dp_inventory **out, struct dp_error *err)
{
	*out = NULL;
	return dp_yaml_build(name, data, len, finish, out, err);
}

void dp_inventory_free(struct dp_inventory *inv)
{
	if (inv == NULL)
		return;
	for (size_t i = 0; i < inv->n_cas; i++)
		free(inv->cas[i].caa);
	dp_arena_free(inv->arena);
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
