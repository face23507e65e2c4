/* SPDX-License-Identifier: BSD-3-Clause */
/* The finding catalogue: stable ids, default severities, one-line meanings. */
#ifndef DP_FINDING_H
#define DP_FINDING_H

#include <stdbool.h>

enum dp_severity {
	DP_SEV_OFF = 0, /* a rule set switched the finding off */
	DP_SEV_NOTICE,
	DP_SEV_WARNING,
	DP_SEV_CRITICAL,
};

const char *dp_severity_name(enum dp_severity s);
bool dp_severity_parse(const char *s, enum dp_severity *out);

enum dp_finding_id {
	/* record */
	DP_F_RECORD_MALFORMED,
	DP_F_RECORD_NONCANONICAL,
	DP_F_RECORD_DIVERGENT,
	DP_F_RECORD_DUPLICATE,
	/* inventory */
	DP_F_RECORD_MISSING,
	DP_F_ACCOUNT_UNEXPECTED,
	DP_F_ISSUER_UNEXPECTED,
	DP_F_AUTHORIZATION_UNEXPECTED,
	DP_F_WILDCARD_UNNEEDED,
	DP_F_WILDCARD_MISSING,
	/* lifetime */
	DP_F_PERSIST_UNTIL_EXPIRED,
	DP_F_PERSIST_UNTIL_EXPIRING,
	DP_F_PERSIST_UNTIL_ABSENT,
	DP_F_PERSIST_UNTIL_TOO_FAR,
	DP_F_PERSIST_UNTIL_PRESENT,
	/* rules */
	DP_F_ACCOUNT_URI_PATTERN,
	DP_F_WILDCARD_FORBIDDEN,
	/* CAA */
	DP_F_CAA_FORBIDS_ISSUER,
	DP_F_CAA_METHOD_EXCLUDED,
	DP_F_CAA_ACCOUNT_MISMATCH,
	DP_F_CAA_UNSATISFIABLE,
	DP_F_CAA_ACCOUNT_UNBOUND,
	DP_F_CAA_METHOD_UNBOUND,
	DP_F_CAA_MISSING,
	/* DNS (live scans) */
	DP_F_DNS_ERROR,
	DP_F_DNSSEC_INSECURE,
	DP_F_DNSSEC_BOGUS,
	DP_F_NS_INCONSISTENT,
	DP_F_CNAME_DANGLING,
	DP_F_CNAME_LOOP,
	/* CT cross-check (--ct) */
	DP_F_CT_ISSUER_UNEXPECTED,
	DP_F_CT_NAME_UNEXPECTED,
	DP_F_CT_WILDCARD_UNEXPECTED,
	DP_F_AUTHORIZATION_UNUSED,
	DP_F_CT_AFTER_PERSIST_UNTIL,
	DP_F_CT_ISSUER_UNKNOWN,
	DP_F_CT_ERROR,
	/* ACME directories (--check-directories) */
	DP_F_CA_DIRECTORY_MISMATCH,
	DP_F_DIRECTORY_ERROR,
	DP_F_COUNT
};

struct dp_finding_info {
	const char *id;
	enum dp_severity severity; /* default */
	const char *summary;
};

const struct dp_finding_info *dp_finding_info(enum dp_finding_id id);
bool dp_finding_parse(const char *s, enum dp_finding_id *out);
/* NULL-terminated list of every id, for suggestions. */
const char *const *dp_finding_ids(void);

#endif
