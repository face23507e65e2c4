/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Issuer names to CAA domains: crt.sh gives only the issuer's DN, and a
 * certificate can be judged against CAA-style allow lists only through the
 * CAA domains of the CA that owns the issuer. The shipped table
 * (docs/ct.md lists it with its source and date) covers the CAs that issue
 * most publicly-trusted certificates; an inventory extends it.
 */
#ifndef DP_ISSUERS_H
#define DP_ISSUERS_H

#include <stddef.h>

/* One row: an organisation as it appears in issuer names, and its CAA domains. */
struct dp_issuer_map {
	const char *org;        /* matched case-insensitively inside O= (or the whole name) */
	const char *const *caa; /* NULL-terminated */
};

/* The shipped table, NULL-org-terminated. */
const struct dp_issuer_map *dp_issuers_builtin(void);

/*
 * The CAA domains of an issuer name ("C=US, O=Let's Encrypt, CN=R3" or a
 * friendly name): the first row of extra (n_extra rows, the inventory's,
 * tried first) then of the shipped table whose org occurs in the name's
 * O= value (or in the whole name when it has no O=). NULL when none: the
 * issuer is unknown.
 */
const struct dp_issuer_map *dp_issuers_match(const char *issuer, const struct dp_issuer_map *extra,
                                             size_t n_extra);

#endif
