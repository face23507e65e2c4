/* SPDX-License-Identifier: BSD-3-Clause */
/* The run object: load, plan, observe, audit, render; one way for every front end. */
#include "run.h"

#include <stdlib.h>
#include <unistd.h>

#include "audit/audit.h"

#ifndef DP_DATADIR
#define DP_DATADIR "/usr/share/dnspersist"
#endif

struct dp_run {
	struct dp_run_opts o;
	struct dp_inventory *inv;
	struct dp_rules *rules;
	struct dp_plan *plan;
	struct dp_obs *obs;
	struct dp_report *report;
};

/* --rules F, else the installed rules/default.yaml, else the built-in defaults. */
static enum dp_status load_rules(const char *path, struct dp_rules **out, struct dp_error *err)
{
	const char *installed = DP_DATADIR "/rules/default.yaml";

	if (path != NULL)
		return dp_rules_load(path, out, err);
	if (access(installed, R_OK) == 0)
		return dp_rules_load(installed, out, err);
	return dp_rules_default(out); /* not installed: the same defaults, built in */
}

static enum dp_status load(struct dp_run *run, struct dp_error *err)
{
	const struct dp_run_opts *o = &run->o;
	enum dp_status st = DP_OK;

	if (o->inv != NULL)
		run->inv = o->inv;
	else if (!o->lint)
		st = dp_inventory_load(o->inventory, &run->inv, err);
	if (st == DP_OK)
		st = load_rules(o->rules, &run->rules, err);
	if (st == DP_OK && o->require_dnssec)
		dp_rules_require_dnssec(run->rules);
	if (st == DP_OK && o->only != NULL && dp_inventory_find(run->inv, o->only) == NULL)
		st =
		    dp_error_set(err, DP_EINVAL, NULL, 0, 0, "%s is not in the inventory", o->only);
	return st;
}

enum dp_status dp_run_new(const struct dp_run_opts *o, struct dp_run **out, struct dp_error *err)
{
	struct dp_run *run = calloc(1, sizeof(*run));
	enum dp_status st;

	*out = NULL;
	if (run == NULL) {
		dp_inventory_free(o->inv);
		return DP_ENOMEM;
	}
	run->o = *o;
	st = load(run, err);
	if (st == DP_OK)
		st = dp_plan_new(run->inv, o->only, o->source->filters, &run->plan);
	if (st == DP_OK)
		st = dp_obs_new(o->source->name, &run->obs);
	if (st == DP_OK)
		st = dp_report_new(o->source->name, o->now, &run->report);
	if (st != DP_OK) {
		dp_run_free(run);
		return st;
	}
	*out = run;
	return DP_OK;
}

void dp_run_free(struct dp_run *run)
{
	if (run == NULL)
		return;
	dp_report_free(run->report);
	dp_obs_free(run->obs);
	dp_plan_free(run->plan);
	dp_rules_free(run->rules);
	dp_inventory_free(run->inv);
	free(run);
}

enum dp_status dp_run_execute(struct dp_run *run, struct dp_error *err)
{
	struct dp_audit_input in = {run->inv,    run->rules, run->obs,       run->o.now,
	                            run->o.only, err,        run->o.on_auth, run->o.auth_ctx};
	enum dp_status st = run->o.source->observe(run->o.source_config, run->plan, run->obs, err);

	if (st != DP_OK)
		return st;
	return run->o.lint ? dp_audit_lint(&in, run->report) : dp_audit_scan(&in, run->report);
}

enum dp_status dp_run_render(struct dp_run *run, const struct dp_renderer *r,
                             const struct dp_render_opts *o, struct dp_buf *out)
{
	return dp_render_report(run->report, r, o, out);
}

const struct dp_report *dp_run_report(const struct dp_run *run)
{
	return run->report;
}

const struct dp_rules *dp_run_rules(const struct dp_run *run)
{
	return run->rules;
}
