/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The CA directory probe (scan --check-directories): each inventory CA's
 * ACME directory fetched once, with the CT source's transport rules, and
 * kept (or why not) for the audit to compare with the records.
 */
#ifndef DP_DIRECTORY_H
#define DP_DIRECTORY_H

#include "ct/acme_dir.h"
#include "ct/ct.h"
#include "model/inventory.h"

struct dp_dir_result {
	const struct dp_inv_ca *ca;
	const char *url;
	char *error; /* NULL when dir holds the answer */
	struct dp_acme_dir dir;
};

struct dp_dir_obs {
	struct dp_dir_result *v;
	size_t n;
};

/*
 * Fetch the directory of every inventory CA that names one. cfg gives
 * --ct-cacert, the timeout and the version (its source is not used).
 * Failures are kept per CA. The caller owns *out (dp_dir_obs_free).
 */
enum dp_status dp_dir_probe(const struct dp_ct_config *cfg, const struct dp_inventory *inv,
                            struct dp_dir_obs **out);
void dp_dir_obs_free(struct dp_dir_obs *o);

/* One directory at url (verify --directory): *out as one result; free with dp_dir_obs_free. */
enum dp_status dp_dir_fetch(const struct dp_ct_config *cfg, const char *url,
                            struct dp_dir_obs **out);

#endif
