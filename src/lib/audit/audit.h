/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The audit: a table of short checks over inventory, rules, observations
 * and a fixed "now", appending findings to a report. It does no I/O.
 */
#ifndef DP_AUDIT_H
#define DP_AUDIT_H

#include <stdint.h>

#include "ct/ct.h"
#include "ct/directory.h"
#include "model/inventory.h"
#include "observe/observe.h"
#include "report/report.h"
#include "model/rules.h"
#include "source/plan.h"

/*
 * Told each effective authorization of an audited name once, as the audit
 * finds it (not again when details are loaded for printing); a status
 * other than DP_OK stops the audit. a and its strings are borrowed.
 */
typedef enum dp_status (*dp_audit_auth_fn)(void *ctx, const char *name,
                                           const struct dp_report_auth *a);

struct dp_audit_input {
	const struct dp_inventory *inv; /* NULL for lint */
	const struct dp_rules *rules;
	const struct dp_obs *obs;
	int64_t now;
	const char *only;     /* audit this one name (the plugin's -H), or NULL for all */
	struct dp_error *err; /* why the audit failed (a rule pattern over its limits), or NULL */
	const struct dp_plan *plan; /* names outside its shard are another run's; NULL: all */
	const struct dp_ct_obs *ct; /* the CT cross-check's certificates (--ct), or NULL */
	const struct dp_dir_obs
	    *dirs;                /* the CAs' ACME directories (--check-directories), or NULL */
	dp_audit_auth_fn on_auth; /* or NULL; set, lint computes them too (diff) */
	void *auth_ctx;
};

/*
 * Everything the inventory expects against what was observed. The report
 * keeps names and findings and asks the audit again for a name's records,
 * CAA and authorizations while it is printed: in's inventory, rules and
 * observations (and only) must outlive the report.
 */
enum dp_status dp_audit_scan(const struct dp_audit_input *in, struct dp_report *r);
/* Every record on its own: syntax, expiry, CAA contradictions. */
enum dp_status dp_audit_lint(const struct dp_audit_input *in, struct dp_report *r);

#endif
