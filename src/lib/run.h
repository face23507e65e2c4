/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One run: options, inventory, rules, plan, observations and report, built
 * the same way by every front end (scan, lint, check_dnspersist), so that
 * they cannot disagree on what to look at or how to judge it. A front end
 * parses its options, builds the run, executes it, renders it and decides
 * its exit status from the report.
 */
#ifndef DP_RUN_H
#define DP_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "audit/audit.h"
#include "base/status.h"
#include "ct/ct.h"
#include "model/inventory.h"
#include "model/rules.h"
#include "render/render.h"
#include "report/report.h"
#include "source/source.h"

struct dp_run_opts {
	bool lint;                      /* every record on its own; no inventory */
	const char *inventory;          /* the inventory file (scan, plugin) ... */
	struct dp_inventory *inv;       /* ... or one built in memory: the run takes it */
	const char *rules;              /* --rules, or NULL: the installed default, or built in */
	bool require_dnssec;            /* the plugin's --dnssec-required */
	const char *only;               /* the one inventory name to audit (-H), or NULL */
	int64_t now;                    /* the audit's clock */
	const struct dp_source *source; /* dp_source_zone or dp_source_live */
	const void *source_config;      /* its struct dp_zone_config or dp_live_config, borrowed */
	struct dp_shard shard;          /* scan --shard K/N; count 0: every name */
	const char *baseline;           /* --baseline: an earlier run's JSON report, or NULL */
	const struct dp_ct_config *ct;  /* the CT cross-check (--ct), borrowed; NULL: none */
	/* fetch each inventory CA's ACME directory (transport: ct_transport) */
	bool check_directories;
	const struct dp_ct_config *ct_transport;
	/* lint, live: look at these names (and their ancestors' CAA) without an inventory */
	const char *const *names;
	size_t n_names;
	dp_audit_auth_fn on_auth; /* told each effective authorization (diff), or NULL */
	void *auth_ctx;
};

struct dp_run;

/*
 * Load the inventory and rules and make the plan. On an input error (bad
 * YAML, -H not in the inventory) err says why. The caller owns *out
 * (dp_run_free), which keeps o's strings borrowed.
 */
enum dp_status dp_run_new(const struct dp_run_opts *o, struct dp_run **out, struct dp_error *err);
void dp_run_free(struct dp_run *run);

/*
 * Observe through the source, then audit, then compare with the baseline
 * when there is one (dp_report_changes() of the report). DP_ELOOKUP: the
 * source could not look; a baseline that cannot be read is an input error.
 */
enum dp_status dp_run_execute(struct dp_run *run, struct dp_error *err);

/*
 * The report through a renderer: begin, every name in print order (the run
 * loads a name's details first when the renderer wants them: the second
 * pass), end. out may be flushed on the way (o->flush).
 */
enum dp_status dp_run_render(struct dp_run *run, const struct dp_renderer *r,
                             const struct dp_render_opts *o, struct dp_buf *out);

const struct dp_report *dp_run_report(const struct dp_run *run);
/* What the source observed (diff reads the CAA sets from it). */
const struct dp_obs *dp_run_obs(const struct dp_run *run);
const struct dp_rules *dp_run_rules(const struct dp_run *run);

#endif
