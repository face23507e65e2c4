/* SPDX-License-Identifier: BSD-3-Clause */
/* The run object: load, plan, observe, audit, render; one way for every front end. */
#include "run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ldns/sha2.h>

#include "audit/audit.h"
#include "report/changes.h"

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
	struct dp_changes *changes; /* since the baseline, or NULL */
	struct dp_ct_obs *ct;
	struct dp_ct_config ct_cfg; /* --ct inventory: the inventory's ct.source filled in */
	struct dp_dir_obs *dirs;
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

/* 64 bits of SHA-256 of a file's bytes as hex, or of what stands for it (built-in rules). */
static enum dp_status digest(const char *path, const char *instead,
                             char out[DP_FINDING_KEY_LEN + 1], struct dp_error *err)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[LDNS_SHA256_DIGEST_LENGTH];
	struct dp_buf b = {0};
	char chunk[65536];
	size_t got = 1;
	FILE *f = path ? fopen(path, "rb") : NULL;

	if (path != NULL && f == NULL)
		return dp_error_set(err, DP_EIO, path, 0, 0, "%s", strerror(errno));
	if (f == NULL)
		dp_buf_adds(&b, instead);
	while (f != NULL && got > 0) {
		got = fread(chunk, 1, sizeof(chunk), f);
		dp_buf_add(&b, chunk, got);
	}
	if (f != NULL)
		fclose(f);
	if (dp_buf_status(&b) != DP_OK) {
		dp_buf_free(&b);
		return DP_ENOMEM;
	}
	ldns_sha256((unsigned char *)(b.data ? b.data : ""), (unsigned)b.len, md);
	dp_buf_free(&b);
	for (size_t i = 0; i < DP_FINDING_KEY_LEN / 2; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[DP_FINDING_KEY_LEN] = '\0';
	return DP_OK;
}

/*
 * A shard's report says which shard it is and digests of the rules and
 * inventory that judged it: merge refuses shards of different runs.
 */
static enum dp_status mark_shard(struct dp_run *run, struct dp_error *err)
{
	struct dp_report_shard s = {run->o.shard.index, run->o.shard.count, "", ""};
	const char *installed = DP_DATADIR "/rules/default.yaml";
	const char *rules = run->o.rules;
	enum dp_status st;

	if (rules == NULL && access(installed, R_OK) == 0)
		rules = installed;
	st = digest(rules, "built-in rules", s.rules, err);
	if (st == DP_OK)
		st = digest(run->o.inventory, "inventory in memory", s.inventory, err);
	if (st == DP_OK)
		dp_report_set_shard(run->report, &s);
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
	if (st == DP_OK && o->names != NULL)
		st = dp_plan_new_names(o->names, o->n_names, &run->plan);
	else if (st == DP_OK)
		st = dp_plan_new(run->inv, o->only, o->source->filters, &o->shard, &run->plan);
	if (st == DP_OK)
		st = dp_obs_new(o->source->name, &run->obs);
	if (st == DP_OK)
		st = dp_report_new(o->source->name, o->now, &run->report);
	if (st == DP_OK && o->shard.count > 0)
		st = mark_shard(run, err);
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
	dp_changes_free(run->changes);
	dp_ct_obs_free(run->ct);
	dp_dir_obs_free(run->dirs);
	dp_obs_free(run->obs);
	dp_plan_free(run->plan);
	dp_rules_free(run->rules);
	dp_inventory_free(run->inv);
	free(run);
}

static enum dp_status observe_ct(struct dp_run *run, struct dp_error *err)
{
	const char *src = dp_inventory_ct(run->inv)->source;

	run->ct_cfg = *run->o.ct;
	if (run->ct_cfg.kind == DP_CT_INVENTORY && (src == NULL || strcmp(src, "inventory") == 0 ||
	                                            !dp_ct_source_parse(src, &run->ct_cfg)))
		return dp_error_set(
		    err, DP_EINVAL, dp_inventory_file(run->inv), 0, 0,
		    "--ct inventory: ct.source is not certspotter, crtsh or file:PATH");
	return dp_ct_observe(&run->ct_cfg, run->inv, run->o.now, &run->ct);
}

enum dp_status dp_run_execute(struct dp_run *run, struct dp_error *err)
{
	struct dp_audit_input in = {.inv = run->inv,
	                            .rules = run->rules,
	                            .obs = run->obs,
	                            .now = run->o.now,
	                            .only = run->o.only,
	                            .err = err,
	                            .plan = run->plan,
	                            .on_auth = run->o.on_auth,
	                            .auth_ctx = run->o.auth_ctx};
	enum dp_status st = run->o.source->observe(run->o.source_config, run->plan, run->obs, err);

	/* the third source: what CT logs show, next to what the records say */
	if (st == DP_OK && run->o.ct != NULL && !run->o.lint)
		st = observe_ct(run, err);
	if (st == DP_OK && run->o.check_directories && !run->o.lint && run->o.ct_transport != NULL)
		st = dp_dir_probe(run->o.ct_transport, run->inv, &run->dirs);
	in.ct = run->ct;
	in.dirs = run->dirs;
	if (st != DP_OK)
		return st;
	st = run->o.lint ? dp_audit_lint(&in, run->report) : dp_audit_scan(&in, run->report);
	if (st == DP_OK && run->o.baseline != NULL)
		st = dp_changes_since_file(run->o.baseline, run->report, &run->changes, err);
	if (st == DP_OK)
		dp_report_set_changes(run->report, run->changes);
	return st;
}

enum dp_status dp_run_render(struct dp_run *run, const struct dp_renderer *r,
                             const struct dp_render_opts *o, struct dp_buf *out)
{
	struct dp_render_opts with_rules = *o;

	/* the horizons the audit judged by, for renderers that draw them */
	if (with_rules.lifetimes == NULL)
		with_rules.lifetimes = dp_rules_params(run->rules);
	return dp_render_report(run->report, r, &with_rules, out);
}

const struct dp_report *dp_run_report(const struct dp_run *run)
{
	return run->report;
}

const struct dp_rules *dp_run_rules(const struct dp_run *run)
{
	return run->rules;
}

const struct dp_obs *dp_run_obs(const struct dp_run *run)
{
	return run->obs;
}
