/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * "Would this CA validate NAME?": gathers the _validation-persist RRs and
 * the CAA RRsets of a name (given, or from zone files), and judges them
 * under every profile at once so that disagreements can be shown.
 */
#ifndef DP_VERIFY_H
#define DP_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/caa.h"
#include "model/record.h"
#include "base/status.h"

struct dp_verify_input {
	const char *name;           /* normalized; "*.x" implies wildcard */
	const char *const *issuers; /* the CA's issuer-domain-names, normalized */
	size_t n_issuers;
	const char *const *caa_ids; /* the CA's CAA identities; NULL: the issuers */
	size_t n_caa_ids;
	const char *account;         /* the ACME account URL (used for CAA) */
	const char *const *accounts; /* accounturi forms accepted in records */
	size_t n_accounts;
	bool wildcard;
	int64_t now;
	enum dp_profile profile;
};

struct dp_verify;

/* The caller owns *out (dp_verify_free). Strings in in are copied. */
enum dp_status dp_verify_new(const struct dp_verify_input *in, struct dp_verify **out);
void dp_verify_free(struct dp_verify *v);

/* Add one RR value (character-strings joined); file may be NULL. */
enum dp_status dp_verify_add_txt(struct dp_verify *v, const char *value, size_t len,
                                 const char *file, unsigned long line);

/*
 * Read the records of the name (following a CNAME at the record's owner)
 * and the CAA RRsets of the name and its ancestors from zone files.
 */
enum dp_status dp_verify_load_zones(struct dp_verify *v, const char *const *files, size_t n,
                                    const char *origin, struct dp_error *err);

/* The same from observations a source filled (live DNS); v owns obs from now on. */
struct dp_obs;
enum dp_status dp_verify_use_obs(struct dp_verify *v, struct dp_obs *obs);

/* Judge everything gathered. Call once, after the adds/loads. */
enum dp_status dp_verify_run(struct dp_verify *v);

/* ---- results (borrowed from v, valid until dp_verify_free) ---- */
const char *dp_verify_name(const struct dp_verify *v);
const char *dp_verify_owner(const struct dp_verify *v); /* _validation-persist.<name> */
const char *dp_verify_cname(const struct dp_verify *v); /* where a CNAME led, or NULL */
enum dp_profile dp_verify_profile(const struct dp_verify *v);
int64_t dp_verify_now(const struct dp_verify *v);
const struct dp_verify_input *dp_verify_input(const struct dp_verify *v);
enum dp_verdict dp_verify_verdict(const struct dp_verify *v, enum dp_profile p);
const char *dp_verify_reason(const struct dp_verify *v, enum dp_profile p);
bool dp_verify_profiles_disagree(const struct dp_verify *v);

size_t dp_verify_record_count(const struct dp_verify *v);
const struct dp_record *dp_verify_record(const struct dp_verify *v, size_t i);
/* Joined value of record i and its length. */
const char *dp_verify_record_rdata(const struct dp_verify *v, size_t i, size_t *len);
/* Source of record i: file (NULL for --txt) and line. */
const char *dp_verify_record_file(const struct dp_verify *v, size_t i, unsigned long *line);
enum dp_verdict dp_verify_record_verdict(const struct dp_verify *v, size_t i, enum dp_profile p);
const char *dp_verify_record_reason(const struct dp_verify *v, size_t i, enum dp_profile p);

/* CAA: whether it was read (zone mode) and the result. */
bool dp_verify_caa_read(const struct dp_verify *v);
const struct dp_caa_result *dp_verify_caa(const struct dp_verify *v);
/* Source of the deciding CAA property, if any. */
const char *dp_verify_caa_file(const struct dp_verify *v, unsigned long *line);

/* Did the lookups fail, so that nothing could be judged (exit 3)? */
bool dp_verify_lookup_failed(const struct dp_verify *v);

/* The one decision: would the CA following the chosen profile issue? */
bool dp_verify_issuable(const struct dp_verify *v);

#endif
