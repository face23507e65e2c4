/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the inventory expects at a name (each authorization has a usable
 * record and CAA lets it through), and what the records let happen: the
 * effective authorizations, inherited policy=wildcard included.
 */
#include <stdio.h>
#include <string.h>

#include "audit/audit_int.h"

/* How the records at the name fare for one expected authorization. */
struct expect_result {
	enum dp_verdict verdict;
	bool expired;     /* a record for the account exists but has expired */
	bool plain_valid; /* valid if the wildcard were not asked for */
	char reason[512];
};

/* Rank of a per-record verdict in the aggregation: valid, malformed, unauthorized, ignored. */
static int rank(enum dp_verdict v)
{
	return v == DP_VERDICT_VALID          ? 3
	       : v == DP_VERDICT_MALFORMED    ? 2
	       : v == DP_VERDICT_UNAUTHORIZED ? 1
	                                      : 0;
}

static enum dp_verdict of_rank(int best)
{
	return best == 3   ? DP_VERDICT_VALID
	       : best == 2 ? DP_VERDICT_MALFORMED
	                   : DP_VERDICT_UNAUTHORIZED;
}

static enum dp_status judge_expected(const struct scope *s, const struct dp_inv_auth *a,
                                     bool wildcard, struct expect_result *out)
{
	const struct dp_inv_ca *ca = a->account->ca;
	const char *issuers[1] = {ca->issuer}, *accounts[1] = {a->account->uri};
	struct dp_ca_request req = {issuers, 1, accounts, 1, wildcard, s->in->now};
	const struct dp_record *best_rec = NULL;
	int best = -1;
	int64_t until;

	out->verdict = DP_VERDICT_NO_RECORD;
	snprintf(out->reason, sizeof(out->reason), "no record at _validation-persist.%s", s->name);
	for (size_t i = 0; i < s->recs->n; i++) {
		const struct dp_record *rec = s->recs->p[i].rec;
		enum dp_verdict v = dp_record_evaluate(rec, ca->profile, &req, NULL, 0);
		if (rank(v) > best) {
			best = rank(v);
			best_rec = rec;
		}
		out->expired |= dp_record_accounturi(rec) &&
		                strcmp(dp_record_accounturi(rec), a->account->uri) == 0 &&
		                dp_record_persist_until(rec, &until) && until < s->in->now;
	}
	if (best < 0)
		return DP_OK;
	out->verdict = of_rank(best);
	if (best == 0)
		snprintf(out->reason, sizeof(out->reason), "no record names %s", ca->issuer);
	else if (best < 3) /* explain only what will be reported */
		dp_record_evaluate(best_rec, ca->profile, &req, out->reason, sizeof(out->reason));
	return DP_OK;
}

static enum dp_status expected_records(const struct scope *s, const struct dp_inv_auth *a)
{
	struct expect_result res = {0}, plain = {0};
	const char *file = dp_inventory_file(s->in->inv);
	char subject[700];
	enum dp_status st = judge_expected(s, a, a->wildcard, &res);

	if (st != DP_OK || res.verdict == DP_VERDICT_VALID || res.expired)
		return st; /* valid, or the lifetime checks already said why */
	snprintf(subject, sizeof(subject), "%s %s", a->account->ca->issuer, a->account->uri);
	if (a->wildcard) {
		st = judge_expected(s, a, false, &plain);
		if (st != DP_OK)
			return st;
	}
	if (a->wildcard && plain.verdict == DP_VERDICT_VALID)
		return dp_audit_emit(s, DP_F_WILDCARD_MISSING, subject, file, a->line,
		                     "the inventory expects policy=wildcard for account %s; no "
		                     "record at %s has it, so *.%s cannot be validated",
		                     a->account->id, s->name, s->name);
	return dp_audit_emit(s, DP_F_RECORD_MISSING, subject, file, a->line,
	                     "no usable record for account %s at %s (%s): %s", a->account->id,
	                     a->account->ca->issuer, dp_verdict_name(res.verdict), res.reason);
}

static enum dp_status expected_caa(const struct scope *s, const struct dp_inv_auth *a)
{
	const struct dp_inv_ca *ca = a->account->ca;
	enum dp_caa_verdict v;
	enum dp_status st;

	struct caa_ask q = {
	    s->name,         false,      ca->caa,        ca->n_caa,
	    a->account->uri, ca->issuer, a->account->id, dp_inventory_file(s->in->inv),
	    a->line};
	st = dp_audit_check_caa(s, &q, &v);
	if (st == DP_OK && a->wildcard && dp_caa_verdict_allows(v)) {
		q.wildcard = true;
		st = dp_audit_check_caa(s, &q, &v);
	}
	return st;
}

enum dp_status dp_audit_expected(const struct scope *s)
{
	enum dp_status st = DP_OK;

	for (size_t i = 0; st == DP_OK && s->dom && i < s->dom->n_auth; i++) {
		st = expected_records(s, &s->dom->auth[i]);
		if (st == DP_OK)
			st = expected_caa(s, &s->dom->auth[i]);
	}
	return st;
}

/* ---- effective authorizations ------------------------------------------------------ */

static enum dp_status add_grant(const struct scope *s, const struct grant *g, unsigned covers)
{
	struct dp_report_auth a = {
	    .issuer = dp_record_issuer(g->p->rec),
	    .accounturi = dp_record_accounturi(g->p->rec),
	    .account_id = g->p->acct ? g->p->acct->id : NULL,
	    .via = g->via,
	    .covers = covers,
	    .file = g->p->txt->file,
	    .line = g->p->txt->line,
	};
	bool keep = dp_report_keeps_details(s->r);
	/* the first pass tells a listener (diff); the details pass is for printing */
	bool tell = s->in->on_auth != NULL && !keep;
	enum dp_status st;

	if (!keep && !tell)
		return DP_OK; /* the CAA verdict below is only for those two */
	a.has_until = dp_record_persist_until(g->p->rec, &a.until);
	st = dp_audit_caa_for_grant(s, g, &a);
	if (st == DP_OK && tell)
		st = s->in->on_auth(s->in->auth_ctx, s->name, &a);
	return st == DP_OK && keep ? dp_report_add_auth(s->r, s->rn, &a) : st;
}

static bool expected_here(const struct scope *s, const struct grant *g)
{
	for (size_t i = 0; s->dom && g->p->acct && i < s->dom->n_auth; i++)
		if (s->dom->auth[i].account == g->p->acct)
			return true;
	return false;
}

/* A parent's policy=wildcard record reaching down to this name. */
static enum dp_status inherited(const struct scope *s, const char *parent, const struct grant *g)
{
	const char *issuer = dp_record_issuer(g->p->rec), *uri = dp_record_accounturi(g->p->rec);
	char subject[700];
	enum dp_status st = add_grant(s, g, DP_COVERS_NAME);

	if (st != DP_OK || s->lint || s->dom == NULL || expected_here(s, g))
		return st;
	snprintf(subject, sizeof(subject), "%s %s via %s", issuer, uri, parent);
	return dp_audit_emit(s, DP_F_AUTHORIZATION_UNEXPECTED, subject, g->p->txt->file,
	                     g->p->txt->line,
	                     "policy=wildcard at %s lets %s account %s issue for every name below "
	                     "it, including %s, where the inventory does not expect it",
	                     parent, issuer, uri, s->name);
}

/* Does policy=wildcard on this record reach names below its own (per the CA's scope)? */
bool dp_audit_reaches_below(const struct parsed *p)
{
	return dp_record_policy_wildcard(p->rec) &&
	       (p->ca == NULL || p->ca->scope == DP_SCOPE_SUBDOMAINS);
}

/* Parents' records that reach down to the name through policy=wildcard. */
static enum dp_status parents_reaching(const struct scope *s)
{
	struct records pr;
	enum dp_status st = DP_OK;

	for (const char *parent = dp_name_parent(s->name); parent != NULL && st == DP_OK;
	     parent = dp_name_parent(parent)) {
		st = dp_audit_load_records(s->in, parent, false, &pr); /* grants only */
		for (size_t i = 0; st == DP_OK && i < pr.n; i++) {
			struct grant g = {&pr.p[i], pr.owner};
			if (pr.p[i].verdict == DP_VERDICT_VALID && dp_audit_reaches_below(&pr.p[i]))
				st = inherited(s, parent, &g);
		}
		dp_audit_free_records(&pr);
	}
	return st;
}

enum dp_status dp_audit_effective(const struct scope *s)
{
	enum dp_status st = DP_OK;

	for (size_t i = 0; i < s->recs->n && st == DP_OK; i++) {
		const struct parsed *p = &s->recs->p[i];
		struct grant g = {p, s->recs->owner};
		if (p->verdict != DP_VERDICT_VALID)
			continue;
		st = add_grant(s, &g,
		               DP_COVERS_NAME |
		                   (dp_record_policy_wildcard(p->rec) ? DP_COVERS_WILDCARD : 0) |
		                   (dp_audit_reaches_below(p) ? DP_COVERS_BELOW : 0));
	}
	return st == DP_OK ? parents_reaching(s) : st;
}
