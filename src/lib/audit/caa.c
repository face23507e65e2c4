/* SPDX-License-Identifier: BSD-3-Clause */
/* CAA checks: what the relevant CAA RRset lets each CA and account do at a name. */
#include <stdio.h>
#include <strings.h>

#include "audit/audit_int.h"

static enum dp_finding_id caa_finding(enum dp_caa_verdict v)
{
	switch (v) {
	case DP_CAA_FORBIDS:
		return DP_F_CAA_FORBIDS_ISSUER;
	case DP_CAA_METHOD_EXCLUDED:
		return DP_F_CAA_METHOD_EXCLUDED;
	case DP_CAA_ACCOUNT_MISMATCH:
		return DP_F_CAA_ACCOUNT_MISMATCH;
	default:
		return DP_F_CAA_UNSATISFIABLE;
	}
}

bool dp_audit_climb_cut(const struct dp_audit_input *in, const char *name)
{
	const struct dp_obs_dns *d = dp_obs_dns_get(in->obs, dp_name_strip_wildcard(name));
	return d != NULL && d->cut != NULL;
}

static const char *who(const struct caa_ask *q, char *b, size_t size)
{
	snprintf(b, size, "%s account %s", q->who_issuer, q->who_account);
	return b;
}

/* The finding a CAA result calls for, if any, with its message. */
static bool caa_problem(const struct dp_audit_input *in, const struct caa_ask *q,
                        const struct dp_caa_result *res, enum dp_finding_id *id, char *msg,
                        size_t size)
{
	const struct dp_rules_params *p = dp_rules_params(in->rules);
	bool bound_check = res->verdict == DP_CAA_PERMITS && res->owner != NULL;
	char w[600];

	if (!dp_caa_verdict_allows(res->verdict)) {
		*id = caa_finding(res->verdict);
		snprintf(msg, size, "%s%s cannot issue: %s",
		         q->wildcard ? "for the wildcard, " : "", who(q, w, sizeof(w)),
		         res->reason);
	} else if (res->verdict == DP_CAA_NO_CAA && p->caa_require &&
	           !dp_audit_climb_cut(in, q->name)) {
		*id = DP_F_CAA_MISSING;
		snprintf(msg, size, "no CAA restricts which CA may issue for %s", q->name);
	} else if (bound_check && p->caa_require_accounturi && !res->account_bound) {
		*id = DP_F_CAA_ACCOUNT_UNBOUND;
		snprintf(msg, size, "CAA at %s allows %s for any of its accounts (add accounturi=)",
		         res->owner, q->ids[0]);
	} else if (bound_check && p->caa_require_method && !res->method_bound) {
		*id = DP_F_CAA_METHOD_UNBOUND;
		snprintf(msg, size,
		         "CAA at %s allows %s with every validation method (add "
		         "validationmethods=)",
		         res->owner, q->ids[0]);
	} else {
		return false;
	}
	return true;
}

static enum dp_status caa_emit(const struct scope *s, const struct caa_ask *q,
                               const struct dp_caa_result *res, const char *file,
                               unsigned long line)
{
	enum dp_finding_id id;
	char msg[1200], subject[700], w[600]; /* msg: the longest who and reason fit */

	if (!dp_report_keeps_findings(s->r) || !caa_problem(s->in, q, res, &id, msg, sizeof(msg)))
		return DP_OK;
	/* caa-missing is about the name; the others about one CA and account */
	snprintf(subject, sizeof(subject), "%s%s",
	         id == DP_F_CAA_MISSING ? "" : who(q, w, sizeof(w)),
	         q->wildcard && id != DP_F_CAA_MISSING ? " (wildcard)" : "");
	return dp_audit_emit(s, id, subject, file, line, "%s", msg);
}

enum dp_status dp_audit_check_caa(const struct scope *s, const struct caa_ask *q,
                                  enum dp_caa_verdict *verdict)
{
	struct dp_obs_caa_view view;
	struct dp_caa_query query = {q->ids, q->n_ids, q->account, NULL, q->wildcard, true};
	struct dp_caa_result res;
	const struct dp_obs_caa *src;
	const char *file = q->file;
	unsigned long line = q->line;
	enum dp_status st = dp_obs_caa_view(s->in->obs, q->name, &view);

	if (st != DP_OK)
		return st;
	dp_obs_caa_evaluate(&view, &query, &res);
	*verdict = res.verdict;
	if (view.broken != NULL) {
		/* no CA may issue; cname-loop says why, once */
		dp_obs_caa_view_free(&view);
		return DP_OK;
	}
	if (!dp_caa_verdict_allows(res.verdict)) {
		query.quiet = false; /* a finding follows: now say why */
		dp_obs_caa_evaluate(&view, &query, &res);
	}
	src = dp_obs_caa_decider(&view, &res);
	if (src != NULL) {
		file = src->file;
		line = src->line;
	}
	st = caa_emit(s, q, &res, file, line);
	dp_obs_caa_view_free(&view);
	return st;
}

/*
 * When no one property decided (none names the CA): the relevant set's
 * first issuewild property for a wildcard, if it has one, else its first
 * issue property, else its first property.
 */
static const struct dp_obs_caa *relevant_property(const struct dp_obs_caa_view *v, bool wildcard)
{
	const struct dp_obs_caa *first = NULL, *issue = NULL, *wild = NULL;

	for (size_t i = 0; i < v->n && first == NULL; i++) {
		const struct dp_obs_caa *const *src = v->src + (v->sets[i].rrs - v->rrs);
		for (size_t k = 0; k < v->sets[i].n; k++) {
			first = first ? first : src[k];
			if (issue == NULL && strcasecmp(src[k]->tag, "issue") == 0)
				issue = src[k];
			if (wild == NULL && strcasecmp(src[k]->tag, "issuewild") == 0)
				wild = src[k];
		}
	}
	return wildcard && wild ? wild : issue ? issue : first;
}

/* One verdict of the CAA climb at the name for the grant's CA and account. */
static void grant_verdict(const struct scope *s, const struct dp_obs_caa_view *view,
                          struct dp_caa_query *q, bool *allows, const char **name,
                          const struct dp_obs_caa **decider)
{
	struct dp_caa_result res;

	dp_obs_caa_evaluate(view, q, &res);
	*name = dp_caa_verdict_name(res.verdict);
	*allows = dp_caa_verdict_allows(res.verdict) && view->broken == NULL;
	if (res.verdict == DP_CAA_NO_CAA && dp_audit_climb_cut(s->in, s->name))
		*name = "not checked above the zone"; /* no CAA found where we could look */
	*decider = dp_obs_caa_decider(view, &res);
	if (*decider == NULL)
		*decider = relevant_property(view, q->wildcard);
}

enum dp_status dp_audit_caa_for_grant(const struct scope *s, const struct grant *g,
                                      struct dp_report_auth *a)
{
	const struct parsed *p = g->p;
	const char *issuer = dp_record_issuer(p->rec);
	struct dp_caa_query query = {p->ca ? p->ca->caa : &issuer,
	                             p->ca ? p->ca->n_caa : 1,
	                             dp_record_accounturi(p->rec),
	                             NULL,
	                             false,
	                             true};
	struct dp_obs_caa_view view;
	const struct dp_obs_caa *decider, *wild;
	enum dp_status st = dp_obs_caa_view(s->in->obs, s->name, &view);

	if (st != DP_OK)
		return st;
	grant_verdict(s, &view, &query, &a->caa_allows, &a->caa, &decider);
	if (a->covers & DP_COVERS_WILDCARD) {
		query.wildcard = true; /* issuewild, when the relevant set has any */
		grant_verdict(s, &view, &query, &a->caa_wild_allows, &a->caa_wild, &wild);
		/* point at what stops issuance when only the wildcard is stopped */
		if (decider == NULL || (a->caa_allows && !a->caa_wild_allows))
			decider = wild;
	}
	if (decider != NULL) {
		a->caa_file = decider->file;
		a->caa_line = decider->line;
	}
	dp_obs_caa_view_free(&view);
	return DP_OK;
}

static enum dp_status add_set(const struct scope *s, const struct dp_obs_caa_view *view,
                              const struct dp_caa_rrset *set)
{
	enum dp_status st = DP_OK;

	for (size_t k = 0; k < set->n && st == DP_OK; k++) {
		const struct dp_obs_caa *c = view->src[(size_t)(set->rrs - view->rrs) + k];
		struct dp_report_caa rc = {.flags = c->flags,
		                           .tag = c->tag,
		                           .value = c->value,
		                           .len = c->len,
		                           .file = c->file,
		                           .line = c->line};
		st = dp_report_add_caa(s->r, s->rn, &rc);
	}
	return st == DP_OK ? dp_report_set_caa_owner(s->r, s->rn, set->owner) : st;
}

/* The relevant CAA RRset of the name, for the report: the first non-empty level. */
enum dp_status dp_audit_report_caa(const struct scope *s)
{
	struct dp_obs_caa_view view;
	enum dp_status st;

	if (!dp_report_keeps_details(s->r))
		return DP_OK;
	st = dp_obs_caa_view(s->in->obs, s->name, &view);
	for (size_t i = 0; st == DP_OK && i < view.n; i++) {
		if (view.sets[i].n == 0)
			continue;
		st = add_set(s, &view, &view.sets[i]);
		break;
	}
	dp_obs_caa_view_free(&view);
	return st;
}
