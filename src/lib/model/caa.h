/* SPDX-License-Identifier: BSD-3-Clause */
/* CAA (RFC 8659, RFC 8657): pick the relevant RRset and decide what it permits. */
#ifndef DP_CAA_H
#define DP_CAA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"

#define DP_CAA_METHOD "dns-persist-01"

/* One CAA RR as read from DNS or a zone; strings borrowed. */
struct dp_caa_rr {
	uint8_t flags;
	const char *tag;
	const char *value; /* may hold any octet */
	size_t value_len;
};

/* The CAA RRset at one owner; sets are passed from the name up to the TLD. */
struct dp_caa_rrset {
	const char *owner;
	const struct dp_caa_rr *rrs;
	size_t n;
};

enum dp_caa_verdict {
	DP_CAA_PERMITS,
	DP_CAA_FORBIDS,          /* issuer not listed, or issue ";" */
	DP_CAA_METHOD_EXCLUDED,  /* validationmethods lacks dns-persist-01 */
	DP_CAA_ACCOUNT_MISMATCH, /* accounturi binds another account */
	DP_CAA_UNSATISFIABLE,    /* duplicate parameters, empty method list, critical unknown tag */
	DP_CAA_NO_CAA,           /* no relevant RRset: every CA may issue */
};
const char *dp_caa_verdict_name(enum dp_caa_verdict v);
/* True for the verdicts that let the CA issue (permits, no-caa). */
bool dp_caa_verdict_allows(enum dp_caa_verdict v);

/* What the CA would check. Strings borrowed. */
struct dp_caa_query {
	const char *const *identities; /* the CA's CAA issuer identities */
	size_t n_identities;
	const char *account; /* the requesting account URI; NULL: any account */
	const char *method;  /* validation method label; NULL: DP_CAA_METHOD */
	bool wildcard;
	bool quiet; /* leave result.reason empty: callers that only need the verdict */
};

struct dp_caa_result {
	enum dp_caa_verdict verdict;
	const char *owner;  /* owner of the relevant RRset (borrowed), NULL for no-caa */
	size_t rr_index;    /* the deciding property, or SIZE_MAX */
	bool account_bound; /* the permitting property carries accounturi */
	bool method_bound;  /* the permitting property carries validationmethods */
	char reason[512];
};

/* Evaluate sets[0..n) (the name first, then its ancestors) for q. */
void dp_caa_evaluate(const struct dp_caa_rrset *sets, size_t n, const struct dp_caa_query *q,
                     struct dp_caa_result *res);

/*
 * Check one issue/issuewild value against the RFC 8659 grammar. Returns
 * true when it parses; otherwise reason (reason_size bytes) says why.
 */
bool dp_caa_value_check(const char *value, size_t len, char *reason, size_t reason_size);

/* True for tags this CA understands (issue, issuewild, iodef), case-insensitive. */
bool dp_caa_tag_known(const char *tag);

#endif
