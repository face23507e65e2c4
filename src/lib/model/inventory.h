/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The inventory: which CAs and ACME accounts an organisation expects to
 * hold authorizations, for which names (YAML, docs/inventory.md).
 */
#ifndef DP_INVENTORY_H
#define DP_INVENTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/record.h"
#include "base/status.h"

enum dp_wildcard_scope {
	DP_SCOPE_SUBDOMAINS,    /* policy=wildcard covers *.name and every name below */
	DP_SCOPE_WILDCARD_ONLY, /* it only adds *.name (Let's Encrypt today) */
};

enum dp_pu_req { DP_PU_OPTIONAL, DP_PU_REQUIRED, DP_PU_FORBIDDEN };

/* Read-only element records; every pointer is owned by the inventory. */
struct dp_inv_ca {
	const char *id;
	const char *issuer; /* normalized issuer-domain-name */
	const char **caa;   /* CAA identities (default: the issuer) */
	size_t n_caa;
	enum dp_wildcard_scope scope;
	enum dp_profile profile; /* how this CA reads records (default strict) */
	unsigned long line;
	const char *directory; /* its ACME directory URL (scan --check-directories), or NULL */
};

struct dp_inv_account {
	const char *id;
	const struct dp_inv_ca *ca;
	const char *uri;
	unsigned long line;
};

struct dp_inv_auth {
	const struct dp_inv_account *account;
	bool wildcard;
	enum dp_pu_req persist_until;
	unsigned long line;
};

struct dp_inv_domain {
	const char *name; /* normalized, never a wildcard; A-labels for Unicode */
	const struct dp_inv_auth *auth;
	size_t n_auth; /* 0: no authorization may exist here */
	unsigned long line;
	const char *display; /* U-label form for display; NULL when name has no xn-- label */
	/* CAs (CAA domains) that may issue for the name beyond its authorizations:
	 * certificates through other validation methods the organisation expects */
	const char **ct_allow;
	size_t n_ct_allow;
	bool ct_wildcard; /* wildcard certificates expected without policy=wildcard */
};

/* An issuer-name to CAA-domains row added to the shipped table. */
struct dp_inv_issuer {
	const char *org;
	const char **caa; /* NULL-terminated */
};

/* The optional ct: section (docs/inventory.md). */
struct dp_inv_ct {
	const char *source; /* certspotter, crtsh, file:PATH: what --ct inventory means; or NULL */
	int64_t lookback;   /* also judge certificates expired less than this long ago */
	const char **ignore_names; /* exact names, or "*.zone" for the zone and below */
	size_t n_ignore_names;
	const char **ignore_issuers; /* case-insensitive substrings of issuer names */
	size_t n_ignore_issuers;
	const struct dp_inv_issuer *issuers;
	size_t n_issuers;
};

struct dp_inventory;

/*
 * Load and validate an inventory. Any problem is DP_ESYNTAX with
 * file:line:column in err (unknown keys come with the closest known one).
 * The caller owns *out (dp_inventory_free).
 */
enum dp_status dp_inventory_load(const char *path, struct dp_inventory **out, struct dp_error *err);
enum dp_status dp_inventory_load_mem(const char *name, const char *data, size_t len,
                                     struct dp_inventory **out, struct dp_error *err);
/*
 * The whole-document reading alone, as dp_inventory_load_mem was before the
 * one-pass reading: the reference the differential fuzzer and tests compare
 * the two with.
 */
enum dp_status dp_inventory_load_tree(const char *name, const char *data, size_t len,
                                      struct dp_inventory **out, struct dp_error *err);
void dp_inventory_free(struct dp_inventory *inv);

const char *dp_inventory_file(const struct dp_inventory *inv);
size_t dp_inventory_domain_count(const struct dp_inventory *inv);
const struct dp_inv_domain *dp_inventory_domain(const struct dp_inventory *inv, size_t i);
size_t dp_inventory_zone_count(const struct dp_inventory *inv);
const char *dp_inventory_zone(const struct dp_inventory *inv, size_t i);
size_t dp_inventory_ca_count(const struct dp_inventory *inv);
const struct dp_inv_ca *dp_inventory_ca(const struct dp_inventory *inv, size_t i);

/* Lookups; NULL when absent. name and issuer normalized. */
const struct dp_inv_domain *dp_inventory_find(const struct dp_inventory *inv, const char *name);
const struct dp_inv_ca *dp_inventory_ca_by_issuer(const struct dp_inventory *inv,
                                                  const char *issuer);
const struct dp_inv_account *dp_inventory_account(const struct dp_inventory *inv,
                                                  const struct dp_inv_ca *ca, const char *uri);
/* The i-th account, or NULL past the last. */
const struct dp_inv_account *dp_inventory_account_at(const struct dp_inventory *inv, size_t i);
/* The ct: section; never NULL (all defaults when absent). */
const struct dp_inv_ct *dp_inventory_ct(const struct dp_inventory *inv);
/* The owned zone name is at or below, or NULL. */
const char *dp_inventory_owner_zone(const struct dp_inventory *inv, const char *name);

#endif
