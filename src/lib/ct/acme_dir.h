/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ACME directories (RFC 8555 section 7.1.1): the meta fields that bear on
 * DNS-PERSIST-01 records, parsed from hostile input. Unknown keys are
 * ignored (Let's Encrypt adds random ones).
 */
#ifndef DP_ACME_DIR_H
#define DP_ACME_DIR_H

#include <stdbool.h>
#include <stddef.h>

#include "base/status.h"

#define DP_ACME_DIR_MAX 32 /* entries kept of each list */

struct dp_acme_dir {
	char *caa[DP_ACME_DIR_MAX]; /* meta.caaIdentities */
	size_t n_caa;
	bool has_caa;
	char *issuers[DP_ACME_DIR_MAX]; /* meta.issuerDomainNames (draft -02) */
	size_t n_issuers;
	bool has_issuers;
	char *hash_prefix;               /* meta.accountHashPrefix, or NULL */
	bool ear;                        /* meta.externalAccountRequired */
	char *profiles[DP_ACME_DIR_MAX]; /* the names of meta.profiles */
	size_t n_profiles;
};

/* Parse a directory; DP_ESYNTAX with err's message when it is not one. Release with _clear. */
enum dp_status dp_acme_dir_parse(const char *body, size_t len, struct dp_acme_dir *out,
                                 struct dp_error *err);
void dp_acme_dir_clear(struct dp_acme_dir *d);

/* Whether a list holds s (case-insensitive: domain names). */
bool dp_acme_dir_lists(char *const *v, size_t n, const char *s);

#endif
