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

#include "base/arena.h"
#include "base/status.h"
#include "base/strmap.h"
#include "model/inventory.h"
#include "model/yamlutil.h"

struct dp_inventory {
	char *file;
	struct dp_arena *arena; /* every string and list the elements point to */
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

/* An empty inventory read from file, or NULL when out of memory. */
struct dp_inventory *dp_inv_new(const char *file);
/* The sections of the document at root: each is OK when absent. */
enum dp_status dp_inv_load_version(struct loader *l, struct dp_ynode *root);
enum dp_status dp_inv_load_cas(struct loader *l, struct dp_ynode *root);
enum dp_status dp_inv_load_accounts(struct loader *l, struct dp_ynode *root);
enum dp_status dp_inv_load_zones(struct loader *l, struct dp_ynode *root);
/* The domains: section (after the CAs and accounts it refers to). */
enum dp_status dp_inv_load_domains(struct loader *l, struct dp_ynode *root);
/* One entry of domains: at v into d (not yet indexed by name). */
enum dp_status dp_inv_load_domain(struct loader *l, struct dp_ynode *v, struct dp_inv_domain *d);
/*
 * The one-pass reading (inventory_stream.c): DP_OK with *out, DP_ENOMEM, or
 * another status when the document is not one it takes as it is (any
 * error, or sections in an order it cannot read in one pass), after which
 * the whole-document reading gives the verdict and the message.
 */
enum dp_status dp_inv_load_streamed(const char *name, const char *data, size_t len,
                                    struct dp_inventory **out, struct dp_error *err);
/* The ct: section. */
enum dp_status dp_inv_load_ct(struct loader *l, struct dp_ynode *root);

#endif
