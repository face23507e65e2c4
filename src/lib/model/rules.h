/* SPDX-License-Identifier: BSD-3-Clause */
/* Policy rule sets (YAML, docs/rules.md): lifetimes, patterns, CAA and severities. */
#ifndef DP_RULES_H
#define DP_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "model/finding.h"
#include "base/status.h"

struct dp_rules_params {
	int64_t warn_before; /* persist-until-expiring as warning within this (s) */
	int64_t crit_before; /* ... as critical within this (s) */
	bool require_persist_until;
	int64_t max_horizon; /* 0: no limit */
	bool caa_require;
	bool caa_require_accounturi;
	bool caa_require_method;
	bool dnssec_require;
};

struct dp_rules;

/* The parameters of a rule set that sets none (the built-in defaults). */
const struct dp_rules_params *dp_rules_params_default(void);

/*
 * Load a rule set; patterns are compiled once. Errors are DP_ESYNTAX with
 * file:line:column (for a bad pattern, PCRE2's message and the column of
 * the offending character). The caller owns *out (dp_rules_free).
 */
enum dp_status dp_rules_load(const char *path, struct dp_rules **out, struct dp_error *err);
enum dp_status dp_rules_load_mem(const char *name, const char *data, size_t len,
                                 struct dp_rules **out, struct dp_error *err);
/* The built-in defaults, identical to rules/default.yaml. */
enum dp_status dp_rules_default(struct dp_rules **out);
void dp_rules_free(struct dp_rules *r);

const struct dp_rules_params *dp_rules_params(const struct dp_rules *r);
/* Require DNSSEC whatever the rule set says (the plugin's --dnssec-required). */
void dp_rules_require_dnssec(struct dp_rules *r);
/*
 * The pattern questions. Each match is bounded (match and depth limits,
 * docs/rules.md); a match that cannot be completed (a limit reached, or any
 * other PCRE2 error) is DP_ELIMIT with a message in err (may be NULL)
 * naming the rule key, the pattern and the subject: an input error, never
 * a pass. On an error the out-value is still the fail-closed answer
 * (not allowed, forbidden, not ignored).
 */
/* *allowed: no allow_uri pattern is set, or one matches uri. */
enum dp_status dp_rules_check_account(const struct dp_rules *r, const char *uri, bool *allowed,
                                      struct dp_error *err);
/* *forbidden: a forbid_wildcard pattern matches name. */
enum dp_status dp_rules_check_wildcard(const struct dp_rules *r, const char *name, bool *forbidden,
                                       struct dp_error *err);
/* *ignored: an ignore pattern matches name. */
enum dp_status dp_rules_check_ignored(const struct dp_rules *r, const char *name, bool *ignored,
                                      struct dp_error *err);

/*
 * Unchecked forms for tests and fuzzers: the fail-closed answer of the
 * checked form above, without the message. The audit uses the checked ones.
 */
bool dp_rules_account_allowed(const struct dp_rules *r, const char *uri);
bool dp_rules_wildcard_forbidden(const struct dp_rules *r, const char *name);
bool dp_rules_ignored(const struct dp_rules *r, const char *name);
/* The severity for a finding: the override, else the catalogue's default. */
enum dp_severity dp_rules_severity(const struct dp_rules *r, enum dp_finding_id id,
                                   enum dp_severity computed);

#endif
