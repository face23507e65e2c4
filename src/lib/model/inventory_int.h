/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the inventory loader's parts share (inventory.c: the document, CAs,
 * accounts, zones and the lookups; inventory_domains.c: the domains and
 * their authorizations; inventory_ct.c: the ct: section). Not for other
 * modules: they see struct dp_inventory through inventory.h only.
 */
#ifndef DP_INVENTORY_INT_H
#define DP_INVENTORY_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/status.h"
#include "base/strmap.h"
#include "model/inventory.h"
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

/* A copy of s[0..len) that lives as long as the inventory, or NULL. */
const char *dp_inv_keep(struct loader *l, const char *s, size_t len);
/* size zeroed octets that live as long as the inventory, or NULL. */
void *dp_inv_own(struct loader *l, size_t size);
/* The out-of-memory error, set and returned. */
enum dp_status dp_inv_oom(struct loader *l);
/* A host name at node n, normalized (A-labels) and kept; wildcard_ok allows "*.x". */
enum dp_status dp_inv_load_name(struct loader *l, struct dp_ynode *n, const char *what,
                                bool wildcard_ok, const char **out);
/* The Unicode form of a kept name for display, or the name itself. */
enum dp_status dp_inv_load_display(struct loader *l, const char *name, const char **out);
/* "undefined KIND 'id' (did you mean 'x'?)" over ids, as an error at n. */
enum dp_status dp_inv_undefined(struct loader *l, struct dp_ynode *n, const char *kind,
                                const char *id, const char **ids, size_t n_ids);

/* The sequence at n (what names it in messages): its length, and room for as many strings and a
 * NULL. */
enum dp_status dp_inv_list(struct loader *l, struct dp_ynode *n, const char *what,
                           const char ***out, size_t *len);
/* A list of names at n (what names it in messages) into *out, kept; *count grows. */
enum dp_status dp_inv_load_name_list(struct loader *l, struct dp_ynode *n, const char *what,
                                     bool wildcard_ok, const char ***out, size_t *count);

/* The domains: section (after the CAs and accounts it refers to). */
enum dp_status dp_inv_load_domains(struct loader *l, struct dp_ynode *root);
/* The ct: section. */
enum dp_status dp_inv_load_ct(struct loader *l, struct dp_ynode *root);

#endif
