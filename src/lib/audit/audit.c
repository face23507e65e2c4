/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The audit driver: every name of the inventory (or every record owner for
 * lint) through the record, expectation, CAA and DNS checks, and the same
 * audit of one name again when the run loads its details for printing.
 */
#include "audit/audit.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "audit/audit_int.h"

enum dp_status dp_audit_emit(const struct scope *s, enum dp_finding_id id, const char *subject,
                             const char *file, unsigned long line, const char *fmt, ...)
{
	char msg[900];
	va_list ap;

	if (!dp_report_keeps_findings(s->r))
		return DP_OK; /* the details pass: the first pass has the finding */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return dp_report_add_finding(
	    s->r, id, dp_rules_severity(s->in->rules, id, dp_finding_info(id)->severity), s->name,
	    subject, file, line, "%s", msg);
}

const char *dp_audit_record_subject(const struct dp_record *rec, const struct dp_obs_txt *txt,
                                    struct dp_buf *b)
{
	const char *issuer = dp_record_issuer(rec), *uri = dp_record_accounturi(rec);

	if (issuer != NULL && uri != NULL)
		dp_buf_addf(b, "%s %s", issuer, uri);
	else
		dp_buf_add_escaped(b, txt->value, txt->len);
	return b->data ? b->data : "";
}

static enum dp_status audit_name(const struct scope *scope)
{
	struct records recs;
	struct scope with = *scope;
	const struct scope *s = &with;
	/* the details pass skips the checks that only add findings */
	bool finding = dp_report_keeps_findings(scope->r);
	bool stop;
	enum dp_status st = dp_audit_dns(scope, &stop);

	if (st != DP_OK || stop)
		return st;
	st =
	    dp_audit_load_records(scope->in, scope->name, dp_report_keeps_details(scope->r), &recs);
	if (st != DP_OK)
		return st;
	with.recs = &recs;
	st = finding ? dp_audit_loops(s) : DP_OK;
	if (st == DP_OK)
		st = dp_audit_records(s);
	if (st == DP_OK && finding)
		st = dp_audit_expected(s);
	if (st == DP_OK && (!s->lint || s->in->on_auth != NULL))
		st = dp_audit_effective(s);
	if (st == DP_OK)
		st = dp_audit_report_caa(s);
	if (st == DP_OK)
		st = dp_audit_ct(s);
	dp_audit_free_records(&recs);
	return st;
}

/* What the report needs to ask for a name's details again while it is printed. */
struct deferred {
	struct dp_audit_input in;
	bool lint;
};

/*
 * The same audit of one name as the first pass (same input, same clock), so
 * the records, CAA and authorizations printed are those that were judged.
 */
static enum dp_status details_again(const void *ctx, struct dp_report *r, struct dp_report_name *rn)
{
	const struct deferred *d = ctx;
	struct scope s = {&d->in, r, rn, rn->name, NULL, NULL, d->lint, NULL};

	if (!d->lint) {
		s.dom = dp_inventory_find(d->in.inv, rn->name);
		if (s.dom == NULL)
			s.owned_zone = dp_inventory_owner_zone(d->in.inv, rn->name);
	}
	return audit_name(&s);
}

static enum dp_status defer_details(const struct dp_audit_input *in, bool lint, struct dp_report *r)
{
	struct deferred d = {*in, lint};
	return dp_report_defer_details(r, details_again, &d, sizeof(d));
}

/* Audit the name unless the rules ignore it or another was asked for. */
static enum dp_status audit_one(struct scope *s)
{
	const struct dp_audit_input *in = s->in;
	bool ignored;
	enum dp_status st = dp_rules_check_ignored(in->rules, s->name, &ignored, in->err);

	if (st != DP_OK || ignored || (in->only != NULL && strcmp(in->only, s->name) != 0))
		return st;
	if (in->plan != NULL && !dp_plan_in_shard(in->plan, s->name))
		return DP_OK; /* another shard's run reports it */
	s->rn = dp_report_name(s->r, s->name);
	if (s->rn == NULL)
		return DP_ENOMEM;
	return audit_name(s);
}

/* Records in owned zones at names the inventory does not list. */
static enum dp_status unlisted(const struct dp_audit_input *in, struct dp_report *r)
{
	enum dp_status st = DP_OK;

	for (size_t i = 0; st == DP_OK && i < dp_obs_persist_count(in->obs); i++) {
		const char *x = dp_obs_persist(in->obs, i)->name;
		struct scope s = {in,    r,   NULL, x, NULL, dp_inventory_owner_zone(in->inv, x),
		                  false, NULL};
		if (!dp_inventory_find(in->inv, x) && s.owned_zone != NULL)
			st = audit_one(&s);
	}
	return st;
}

enum dp_status dp_audit_scan(const struct dp_audit_input *in, struct dp_report *r)
{
	const struct dp_inventory *inv = in->inv;
	enum dp_status st = defer_details(in, false, r);

	for (size_t i = 0; st == DP_OK && i < dp_inventory_domain_count(inv); i++) {
		const struct dp_inv_domain *d = dp_inventory_domain(inv, i);
		struct scope s = {in, r, NULL, d->name, d, NULL, false, NULL};
		st = audit_one(&s);
	}
	/* what the source could not look at (a zone not transferred) leaves the run
	 * unevaluated: records there would be unseen, never an OK */
	for (size_t i = 0; st == DP_OK && i < dp_obs_note_count(in->obs); i++) {
		st = dp_report_add_note(r, dp_obs_note(in->obs, i));
		dp_report_set_unknown(r, "an owned zone's other names could not be listed");
	}
	if (st == DP_OK)
		st = unlisted(in, r);
	if (st == DP_OK && in->ct != NULL)
		st = dp_audit_ct_run(in, r);
	if (st == DP_OK && in->dirs != NULL)
		st = dp_audit_directories(in, r);
	return st == DP_OK ? dp_report_finish(r) : st;
}

/*
 * A lint of listed names read live (inventory init --names): a name whose
 * lookups failed has no record to be linted, yet must not pass for a name
 * without any; it gets its dns-error and leaves the run unknown.
 */
static enum dp_status failed_names(const struct dp_audit_input *in, struct dp_report *r)
{
	size_t n = in->plan != NULL ? dp_plan_name_count(in->plan) : 0;
	enum dp_status st = DP_OK;

	for (size_t i = 0; st == DP_OK && i < n; i++) {
		const char *x = dp_plan_names(in->plan)[i];
		const struct dp_obs_dns *d = dp_obs_dns_get(in->obs, x);
		struct scope s = {in, r, NULL, x, NULL, NULL, true, NULL};
		if (d != NULL && d->error != NULL && dp_report_lookup(r, x) == NULL)
			st = audit_one(&s);
	}
	return st;
}

enum dp_status dp_audit_lint(const struct dp_audit_input *in, struct dp_report *r)
{
	enum dp_status st = defer_details(in, true, r);

	for (size_t i = 0; st == DP_OK && i < dp_obs_persist_count(in->obs); i++) {
		const char *x = dp_obs_persist(in->obs, i)->name;
		struct scope s = {in, r, NULL, x, NULL, NULL, true, NULL};
		st = audit_one(&s);
	}
	if (st == DP_OK)
		st = failed_names(in, r);
	return st == DP_OK ? dp_report_finish(r) : st;
}
