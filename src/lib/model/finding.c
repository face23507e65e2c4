/* SPDX-License-Identifier: BSD-3-Clause */
/* The finding table; docs/findings.md explains each id and its fix. */
#include "model/finding.h"

#include <string.h>

static const struct dp_finding_info table[DP_F_COUNT] = {
    [DP_F_RECORD_MALFORMED] = {"record-malformed", DP_SEV_CRITICAL,
                               "a record no CA following the profile would use"},
    [DP_F_RECORD_NONCANONICAL] = {"record-noncanonical", DP_SEV_NOTICE,
                                  "a record CAs accept but spelled unlike the draft"},
    [DP_F_RECORD_DIVERGENT] = {"record-divergent", DP_SEV_WARNING,
                               "CA implementations disagree on a record"},
    [DP_F_RECORD_DUPLICATE] = {"record-duplicate", DP_SEV_NOTICE,
                               "two records authorize the same CA and account"},
    [DP_F_RECORD_MISSING] = {"record-missing", DP_SEV_CRITICAL,
                             "an expected authorization has no usable record"},
    [DP_F_ACCOUNT_UNEXPECTED] = {"account-unexpected", DP_SEV_CRITICAL,
                                 "a record for an account the inventory does not expect"},
    [DP_F_ISSUER_UNEXPECTED] = {"issuer-unexpected", DP_SEV_CRITICAL,
                                "a record for a CA the inventory does not know"},
    [DP_F_AUTHORIZATION_UNEXPECTED] = {"authorization-unexpected", DP_SEV_CRITICAL,
                                       "an authorization where the inventory expects none"},
    [DP_F_WILDCARD_UNNEEDED] = {"wildcard-unneeded", DP_SEV_WARNING,
                                "policy=wildcard where the inventory expects none"},
    [DP_F_WILDCARD_MISSING] = {"wildcard-missing", DP_SEV_CRITICAL,
                               "the inventory expects policy=wildcard, the record lacks it"},
    [DP_F_PERSIST_UNTIL_EXPIRED] = {"persist-until-expired", DP_SEV_CRITICAL,
                                    "persistUntil has passed"},
    [DP_F_PERSIST_UNTIL_EXPIRING] = {"persist-until-expiring", DP_SEV_WARNING,
                                     "persistUntil is near"},
    [DP_F_PERSIST_UNTIL_ABSENT] = {"persist-until-absent", DP_SEV_WARNING,
                                   "persistUntil is required but absent"},
    [DP_F_PERSIST_UNTIL_TOO_FAR] = {"persist-until-too-far", DP_SEV_WARNING,
                                    "persistUntil lies beyond the allowed horizon"},
    [DP_F_PERSIST_UNTIL_PRESENT] = {"persist-until-present", DP_SEV_WARNING,
                                    "persistUntil is set where the inventory forbids it"},
    [DP_F_ACCOUNT_URI_PATTERN] = {"account-uri-pattern", DP_SEV_WARNING,
                                  "an accounturi matches none of the allowed patterns"},
    [DP_F_WILDCARD_FORBIDDEN] = {"wildcard-forbidden", DP_SEV_CRITICAL,
                                 "policy=wildcard on a name the rules forbid it for"},
    [DP_F_CAA_FORBIDS_ISSUER] = {"caa-forbids-issuer", DP_SEV_CRITICAL,
                                 "CAA does not allow the record's CA"},
    [DP_F_CAA_METHOD_EXCLUDED] = {"caa-method-excluded", DP_SEV_CRITICAL,
                                  "CAA validationmethods excludes dns-persist-01"},
    [DP_F_CAA_ACCOUNT_MISMATCH] = {"caa-account-mismatch", DP_SEV_CRITICAL,
                                   "CAA accounturi binds another account"},
    [DP_F_CAA_UNSATISFIABLE] = {"caa-unsatisfiable", DP_SEV_CRITICAL,
                                "CAA can be satisfied by no request"},
    [DP_F_CAA_ACCOUNT_UNBOUND] = {"caa-account-unbound", DP_SEV_WARNING,
                                  "CAA allows the CA for any account"},
    [DP_F_CAA_METHOD_UNBOUND] = {"caa-method-unbound", DP_SEV_WARNING,
                                 "CAA allows the CA with any validation method"},
    [DP_F_CAA_MISSING] = {"caa-missing", DP_SEV_WARNING, "no CAA record governs the name"},
    [DP_F_DNS_ERROR] = {"dns-error", DP_SEV_CRITICAL,
                        "a lookup failed: the name was not evaluated"},
    [DP_F_DNSSEC_INSECURE] = {"dnssec-insecure", DP_SEV_WARNING,
                              "the records are not DNSSEC-signed where the rules require it"},
    [DP_F_DNSSEC_BOGUS] = {"dnssec-bogus", DP_SEV_CRITICAL,
                           "DNSSEC validation fails: CAs cannot use the records"},
    [DP_F_NS_INCONSISTENT] = {"ns-inconsistent", DP_SEV_WARNING,
                              "the authoritative servers give different answers"},
    [DP_F_CNAME_DANGLING] = {"cname-dangling", DP_SEV_CRITICAL,
                             "the name is a CNAME to a name that does not exist"},
    [DP_F_CNAME_LOOP] = {"cname-loop", DP_SEV_CRITICAL,
                         "a CNAME chain loops or is too long: a CA's lookup fails"},
    [DP_F_CT_ISSUER_UNEXPECTED] = {"ct-issuer-unexpected", DP_SEV_CRITICAL,
                                   "CT shows a certificate from a CA not allowed for the name"},
    [DP_F_CT_NAME_UNEXPECTED] = {"ct-name-unexpected", DP_SEV_WARNING,
                                 "CT shows a certificate for an owned name no entry covers"},
    [DP_F_CT_WILDCARD_UNEXPECTED] =
        {"ct-wildcard-unexpected", DP_SEV_WARNING,
         "CT shows a wildcard certificate the inventory does not allow"},
    [DP_F_AUTHORIZATION_UNUSED] = {"authorization-unused", DP_SEV_NOTICE,
                                   "a standing authorization no certificate in CT has used"},
    [DP_F_CT_AFTER_PERSIST_UNTIL] = {"ct-after-persist-until", DP_SEV_WARNING,
                                     "a certificate issued after its only record's persistUntil"},
    [DP_F_CT_ISSUER_UNKNOWN] = {"ct-issuer-unknown", DP_SEV_WARNING,
                                "a certificate issuer that maps to no CAA domain"},
    [DP_F_CT_ERROR] = {"ct-error", DP_SEV_CRITICAL,
                       "a CT source failed: names were not cross-checked"},
    [DP_F_CA_DIRECTORY_MISMATCH] = {"ca-directory-mismatch", DP_SEV_CRITICAL,
                                    "the CA's ACME directory disagrees with the records"},
    [DP_F_DIRECTORY_ERROR] = {"directory-error", DP_SEV_CRITICAL,
                              "a CA's ACME directory could not be read"},
};

static const char *ids[DP_F_COUNT + 1];

const char *dp_severity_name(enum dp_severity s)
{
	static const char *const names[] = {"off", "notice", "warning", "critical"};
	return (unsigned)s < 4 ? names[s] : "?";
}

bool dp_severity_parse(const char *s, enum dp_severity *out)
{
	for (int i = 0; i < 4; i++) {
		if (strcmp(s, dp_severity_name((enum dp_severity)i)) == 0) {
			*out = (enum dp_severity)i;
			return true;
		}
	}
	return false;
}

const struct dp_finding_info *dp_finding_info(enum dp_finding_id id)
{
	return &table[id];
}

bool dp_finding_parse(const char *s, enum dp_finding_id *out)
{
	for (int i = 0; i < DP_F_COUNT; i++) {
		if (strcmp(s, table[i].id) == 0) {
			*out = (enum dp_finding_id)i;
			return true;
		}
	}
	return false;
}

const char *const *dp_finding_ids(void)
{
	for (int i = 0; i < DP_F_COUNT; i++)
		ids[i] = table[i].id;
	return ids;
}
