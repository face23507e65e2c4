/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Audit checks. Record checks run on every _validation-persist RR of a
 * name; authorization checks on every authorization the inventory expects.
 * Each check starts with its applicability test and emits findings as data.
 */
#include "audit/audit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "model/caa.h"
#include "base/name.h"
#include "base/timeutil.h"

#define DAY 86400

/* A record of the audited name, parsed and attributed once for every check. */
struct parsed {
	const struct dp_obs_txt *txt;
	struct dp_record *rec;
	const struct dp_inv_ca *ca; /* the inventory CA named by the issuer */
	const struct dp_inv_account *acct;
	enum dp_profile profile; /* the CA's, or strict */
	enum dp_verdict verdict; /* under profile, judged against its own account, now */
	char reason[512];
};

/* The records at _validation-persist.NAME (after a CNAME, if any). */
struct records {
	struct parsed *p;
	size_t n;
	const char *owner; /* where they were found */
	char own[DP_NAME_MAX + 24];
};

/* One record under examination. */
struct rec_ctx {
	const struct dp_audit_input *in;
	struct dp_report *r;
	const char *name;                /* the name audited (X of _validation-persist.X) */
	const struct dp_inv_domain *dom; /* NULL in lint and for unlisted names */
	const char *owned_zone;          /* set for unlisted names in an owned zone */
	const char *owner;               /* where the record was found */
	const struct records *recs;      /* every record of the name */
	size_t index;                    /* this one's */
	const struct dp_obs_txt *txt;    /* the fields below are recs->p[index]'s */
	const struct dp_record *rec;
	const struct dp_inv_ca *ca;
	const struct dp_inv_account *acct;
	const struct dp_inv_auth *auth; /* the expected authorization it serves */
	enum dp_profile profile;
	enum dp_verdict verdict;
	const char *reason;
	bool lint;
};

typedef enum dp_status (*rec_check)(struct rec_ctx *c);

static enum dp_severity severity(const struct dp_audit_input *in, enum dp_finding_id id,
                                 enum dp_severity computed)
{
	return dp_rules_severity(in->rules, id, computed);
}

static enum dp_severity dflt(enum dp_finding_id id)
{
	return dp_finding_info(id)->severity;
}

static enum dp_status emit(struct rec_ctx *c, enum dp_finding_id id, enum dp_severity sev,
                           const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static enum dp_status emit(struct rec_ctx *c, enum dp_finding_id id, enum dp_severity sev,
                           const char *fmt, ...)
{
	char msg[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return dp_report_add_finding(c->r, id, severity(c->in, id, sev), c->name, c->txt->file,
	                             c->txt->line, "%s", msg);
}

/* Escaped text of a DNS value for messages (bounded). */
static const char *esc(struct dp_buf *b, const char *s)
{
	dp_buf_reset(b);
	if (s == NULL)
		return "(none)";
	dp_buf_add_escaped(b, s, strlen(s) > 200 ? 200 : strlen(s));
	return b->data ? b->data : "";
}

/* ---- record checks ------------------------------------------------------- */

/* Per-profile verdicts of a record judged against its own account. */
static void profile_verdicts(const struct rec_ctx *c, enum dp_verdict v[DP_PROFILE_COUNT])
{
	const char *issuer = dp_record_issuer(c->rec) ? dp_record_issuer(c->rec) : "";
	const char *acct = dp_record_accounturi(c->rec) ? dp_record_accounturi(c->rec) : "";
	const char *issuers[1] = {issuer}, *accounts[1] = {acct};
	/* judged long before any expiry: lifetime has checks of its own */
	struct dp_ca_request req = {issuers, 1, accounts, 1, false, INT64_MIN};

	for (unsigned p = 0; p < DP_PROFILE_COUNT; p++)
		v[p] = dp_record_evaluate(c->rec, (enum dp_profile)p, &req, NULL, 0);
}

static enum dp_status check_syntax(struct rec_ctx *c)
{
	enum dp_verdict v[DP_PROFILE_COUNT];
	struct dp_buf b = {0};
	enum dp_status st = DP_OK;

	profile_verdicts(c, v);
	if (v[c->profile] == DP_VERDICT_MALFORMED) {
		st = emit(c, DP_F_RECORD_MALFORMED, dflt(DP_F_RECORD_MALFORMED), "malformed %s: %s",
		          dp_profile_phrase(c->profile), c->reason);
	} else if (v[0] != v[1] || v[0] != v[2]) {
		dp_record_describe_profiles(v, &b);
		st = emit(c, DP_F_RECORD_DIVERGENT, dflt(DP_F_RECORD_DIVERGENT),
		          "CA implementations disagree: %s", b.data ? b.data : "");
	}
	if (st == DP_OK && dp_record_note_count(c->rec) > 0)
		st = emit(c, DP_F_RECORD_NONCANONICAL, dflt(DP_F_RECORD_NONCANONICAL), "%s",
		          dp_record_note(c->rec, 0));
	dp_buf_free(&b);
	return st;
}

static bool same_authorization(const struct dp_record *a, const struct dp_record *b)
{
	const char *ia = dp_record_issuer(a), *ib = dp_record_issuer(b);
	const char *ua = dp_record_accounturi(a), *ub = dp_record_accounturi(b);

	return ia && ib && ua && ub && strcmp(ia, ib) == 0 && strcmp(ua, ub) == 0;
}

static enum dp_status check_duplicate(struct rec_ctx *c)
{
	enum dp_status st = DP_OK;

	for (size_t j = c->index + 1; j < c->recs->n && st == DP_OK; j++) {
		const struct parsed *later = &c->recs->p[j];
		if (same_authorization(c->rec, later->rec))
			st = dp_report_add_finding(
			    c->r, DP_F_RECORD_DUPLICATE,
			    severity(c->in, DP_F_RECORD_DUPLICATE, dflt(DP_F_RECORD_DUPLICATE)),
			    c->name, later->txt->file, later->txt->line,
			    "authorizes the same CA and account as the record on line %lu",
			    c->txt->line);
	}
	return st;
}

/* What the record would let happen, for messages: "letsencrypt.org account U". */
static const char *who(const struct rec_ctx *c, struct dp_buf *b)
{
	dp_buf_reset(b);
	dp_buf_add_escaped(b, dp_record_issuer_raw(c->rec), strlen(dp_record_issuer_raw(c->rec)));
	dp_buf_adds(b, " account ");
	if (dp_record_accounturi(c->rec))
		dp_buf_add_escaped(b, dp_record_accounturi(c->rec),
		                   strlen(dp_record_accounturi(c->rec)));
	else
		dp_buf_adds(b, "(none)");
	return b->data ? b->data : "";
}

/* Usable by some CA: a host-name issuer and an accounturi. Others are inert. */
static bool usable(const struct rec_ctx *c)
{
	return dp_record_issuer(c->rec) != NULL && dp_record_accounturi(c->rec) != NULL &&
	       c->verdict != DP_VERDICT_MALFORMED;
}

static enum dp_status check_unlisted(struct rec_ctx *c, struct dp_buf *b)
{
	if (c->owned_zone != NULL)
		return emit(c, DP_F_AUTHORIZATION_UNEXPECTED, dflt(DP_F_AUTHORIZATION_UNEXPECTED),
		            "%s is in owned zone %s but not in the inventory, yet %s can issue "
		            "for it",
		            c->name, c->owned_zone, who(c, b));
	return emit(c, DP_F_AUTHORIZATION_UNEXPECTED, dflt(DP_F_AUTHORIZATION_UNEXPECTED),
	            "the inventory expects no authorization at %s, yet %s can issue for it",
	            c->name, who(c, b));
}

static enum dp_status check_attribution(struct rec_ctx *c)
{
	struct dp_buf b = {0}, e = {0};
	enum dp_status st = DP_OK;

	if (c->lint || !usable(c))
		return DP_OK;
	if (c->dom == NULL || c->dom->n_auth == 0)
		st = check_unlisted(c, &b);
	else if (c->ca == NULL)
		st = emit(c, DP_F_ISSUER_UNEXPECTED, dflt(DP_F_ISSUER_UNEXPECTED),
		          "%s is no CA of the inventory, yet its account %s can issue for %s",
		          esc(&e, dp_record_issuer(c->rec)), who(c, &b), c->name);
	else if (c->acct == NULL)
		st = emit(c, DP_F_ACCOUNT_UNEXPECTED, dflt(DP_F_ACCOUNT_UNEXPECTED),
		          "%s is not an account of the inventory", who(c, &b));
	else if (c->auth == NULL)
		st =
		    emit(c, DP_F_ACCOUNT_UNEXPECTED, dflt(DP_F_ACCOUNT_UNEXPECTED),
		         "account %s (%s) is not expected at %s", c->acct->id, who(c, &b), c->name);
	dp_buf_free(&b);
	dp_buf_free(&e);
	return st;
}

static enum dp_status check_wildcard(struct rec_ctx *c)
{
	bool below;

	if (!dp_record_policy_wildcard(c->rec) || !usable(c))
		return DP_OK;
	below = c->ca == NULL || c->ca->scope == DP_SCOPE_SUBDOMAINS;
	if (dp_rules_wildcard_forbidden(c->in->rules, c->name))
		return emit(c, DP_F_WILDCARD_FORBIDDEN, dflt(DP_F_WILDCARD_FORBIDDEN),
		            "policy=wildcard on %s, which names.forbid_wildcard forbids", c->name);
	if (c->auth != NULL && !c->auth->wildcard)
		return emit(c, DP_F_WILDCARD_UNNEEDED, dflt(DP_F_WILDCARD_UNNEEDED),
		            "policy=wildcard also authorizes *.%s%s%s; the inventory does not "
		            "expect it",
		            c->name, below ? " and every name below " : "", below ? c->name : "");
	return DP_OK;
}

static long days(int64_t secs)
{
	return (long)(secs / DAY);
}

/* Expired or expiring: the one lifetime finding a record gets from its end date. */
static enum dp_status check_end(struct rec_ctx *c, int64_t until, const char *when)
{
	const struct dp_rules_params *p = dp_rules_params(c->in->rules);
	int64_t left = until - c->in->now;

	if (left < 0)
		return emit(c, DP_F_PERSIST_UNTIL_EXPIRED, dflt(DP_F_PERSIST_UNTIL_EXPIRED),
		            "persistUntil %s passed %ld day%s ago: no new validation", when,
		            days(-left), days(-left) == 1 ? "" : "s");
	if (c->lint)
		return DP_OK;
	if (left <= p->crit_before || left <= p->warn_before)
		return emit(c, DP_F_PERSIST_UNTIL_EXPIRING,
		            left <= p->crit_before ? DP_SEV_CRITICAL : DP_SEV_WARNING,
		            "persistUntil %s is in %ld day%s", when, days(left),
		            days(left) == 1 ? "" : "s");
	if (p->max_horizon > 0 && left > p->max_horizon)
		return emit(c, DP_F_PERSIST_UNTIL_TOO_FAR, dflt(DP_F_PERSIST_UNTIL_TOO_FAR),
		            "persistUntil %s is %ld days away, beyond the %ld-day horizon", when,
		            days(left), days(p->max_horizon));
	return DP_OK;
}

static enum dp_status check_lifetime(struct rec_ctx *c)
{
	int64_t until;
	char when[DP_TIME_STR];
	bool has = dp_record_persist_until(c->rec, &until);
	bool required = c->auth && (c->auth->persist_until == DP_PU_REQUIRED ||
	                            dp_rules_params(c->in->rules)->require_persist_until);

	if (!usable(c) || (!c->lint && c->auth == NULL))
		return DP_OK;
	if (!has)
		return required
		           ? emit(c, DP_F_PERSIST_UNTIL_ABSENT, dflt(DP_F_PERSIST_UNTIL_ABSENT),
		                  "no persistUntil, which %s requires",
		                  c->auth->persist_until == DP_PU_REQUIRED ? "the inventory"
		                                                           : "the rule set")
		           : DP_OK;
	dp_time_format(until, when);
	if (c->auth && c->auth->persist_until == DP_PU_FORBIDDEN)
		return emit(c, DP_F_PERSIST_UNTIL_PRESENT, dflt(DP_F_PERSIST_UNTIL_PRESENT),
		            "persistUntil %s is set, which the inventory forbids for account %s",
		            when, c->acct->id);
	return check_end(c, until, when);
}

static enum dp_status check_account_pattern(struct rec_ctx *c)
{
	struct dp_buf b = {0};
	enum dp_status st = DP_OK;
	const char *uri = dp_record_accounturi(c->rec);

	if (c->lint || !usable(c) || dp_rules_account_allowed(c->in->rules, uri))
		return DP_OK;
	st = emit(c, DP_F_ACCOUNT_URI_PATTERN, dflt(DP_F_ACCOUNT_URI_PATTERN),
	          "accounturi %s matches none of accounts.allow_uri", esc(&b, uri));
	dp_buf_free(&b);
	return st;
}

/* ---- CAA -------------------------------------------------------------------- */

struct caa_ask {
	const char *name; /* the certificate name's base (no "*.") */
	bool wildcard;
	const char *const *ids; /* the CA's CAA identities */
	size_t n_ids;
	const char *account;
	const char *who;  /* for messages */
	const char *file; /* where to point when no CAA property decided */
	unsigned long line;
};

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

/* Did a live CAA climb stop early (a server refused the levels above)? */
static bool climb_cut(const struct dp_audit_input *in, const char *name)
{
	const struct dp_obs_dns *d = dp_obs_dns_get(in->obs, dp_name_strip_wildcard(name));
	return d != NULL && d->cut != NULL;
}

/* The finding a CAA result calls for, if any, with its message. */
static bool caa_problem(const struct dp_audit_input *in, const struct caa_ask *q,
                        const struct dp_caa_result *res, enum dp_finding_id *id, char *msg,
                        size_t size)
{
	const struct dp_rules_params *p = dp_rules_params(in->rules);
	bool bound_check = res->verdict == DP_CAA_PERMITS && res->owner != NULL;

	if (!dp_caa_verdict_allows(res->verdict)) {
		*id = caa_finding(res->verdict);
		snprintf(msg, size, "%s%s cannot issue: %s",
		         q->wildcard ? "for the wildcard, " : "", q->who, res->reason);
	} else if (res->verdict == DP_CAA_NO_CAA && p->caa_require && !climb_cut(in, q->name)) {
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

static enum dp_status caa_emit(const struct dp_audit_input *in, struct dp_report *r,
                               const char *report_name, const struct caa_ask *q,
                               const struct dp_caa_result *res, const char *file,
                               unsigned long line)
{
	enum dp_finding_id id;
	char msg[900];

	if (!caa_problem(in, q, res, &id, msg, sizeof(msg)))
		return DP_OK;
	return dp_report_add_finding(r, id, severity(in, id, dflt(id)), report_name, file, line,
	                             "%s", msg);
}

/*
 * Evaluate CAA for one CA and account at a name; emit what stops issuance,
 * and what the rules require. *verdict gets the result for the report.
 */
static enum dp_status check_caa(const struct dp_audit_input *in, struct dp_report *r,
                                const char *report_name, const struct caa_ask *q,
                                enum dp_caa_verdict *verdict)
{
	struct dp_obs_caa_view view;
	struct dp_caa_query query = {q->ids, q->n_ids, q->account, NULL, q->wildcard, true};
	struct dp_caa_result res;
	const struct dp_obs_caa *src;
	const char *file = q->file;
	unsigned long line = q->line;
	enum dp_status st = dp_obs_caa_view(in->obs, q->name, &view);

	if (st != DP_OK)
		return st;
	dp_caa_evaluate(view.sets, view.n, &query, &res);
	if (!dp_caa_verdict_allows(res.verdict)) {
		query.quiet = false; /* a finding follows: now say why */
		dp_caa_evaluate(view.sets, view.n, &query, &res);
	}
	*verdict = res.verdict;
	if ((src = dp_obs_caa_decider(&view, &res)) != NULL) {
		file = src->file;
		line = src->line;
	}
	st = caa_emit(in, r, report_name, q, &res, file, line);
	dp_obs_caa_view_free(&view);
	return st;
}

/* lint: each usable record against the CAA that governs its own name. */
static enum dp_status check_caa_lint(struct rec_ctx *c)
{
	const char *issuer = dp_record_issuer(c->rec);
	struct dp_buf b = {0};
	enum dp_caa_verdict v;
	enum dp_status st = DP_OK;

	if (!c->lint || !usable(c))
		return DP_OK;
	struct caa_ask q = {c->name,    false,        &issuer,     1, dp_record_accounturi(c->rec),
	                    who(c, &b), c->txt->file, c->txt->line};
	st = check_caa(c->in, c->r, c->name, &q, &v);
	if (st == DP_OK && dp_record_policy_wildcard(c->rec) && dp_caa_verdict_allows(v)) {
		q.wildcard = true;
		st = check_caa(c->in, c->r, c->name, &q, &v);
	}
	dp_buf_free(&b);
	return st;
}

static const rec_check record_checks[] = {
    check_syntax,   check_duplicate,       check_attribution, check_wildcard,
    check_lifetime, check_account_pattern, check_caa_lint,
};

/* ---- one record ---------------------------------------------------------------- */

/* A parsed record's inventory CA and account, its CA's profile and its verdict. */
static void attribute(const struct dp_audit_input *in, struct parsed *p)
{
	const struct dp_inventory *inv = in->inv;
	const char *issuer = dp_record_issuer(p->rec), *uri = dp_record_accounturi(p->rec);
	const char *issuers[1] = {issuer ? issuer : ""}, *accounts[1] = {uri ? uri : ""};
	struct dp_ca_request req = {issuers, 1, accounts, 1, false, in->now};

	p->ca = inv ? dp_inventory_ca_by_issuer(inv, issuer) : NULL;
	p->profile = p->ca ? p->ca->profile : DP_PROFILE_STRICT;
	p->acct = p->ca ? dp_inventory_account(inv, p->ca, uri) : NULL;
	p->verdict = dp_record_evaluate(p->rec, p->profile, &req, p->reason, sizeof(p->reason));
}

static void free_records(struct records *r)
{
	for (size_t i = 0; i < r->n; i++)
		dp_record_free(r->p[i].rec);
	free(r->p);
	r->p = NULL;
	r->n = 0;
}

/* Parse and attribute the records a lookup of _validation-persist.NAME returns. */
static enum dp_status load_records(const struct dp_audit_input *in, const char *name,
                                   struct records *out)
{
	const char *via = NULL;
	const struct dp_obs_txt *first = dp_obs_records(in->obs, name, &via), *t;
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	snprintf(out->own, sizeof(out->own), "_validation-persist.%s", name);
	out->owner = via ? via : out->own;
	for (t = first; t != NULL; t = t->next)
		n++;
	if ((out->p = calloc(n ? n : 1, sizeof(*out->p))) == NULL)
		return DP_ENOMEM;
	for (t = first; t != NULL; t = t->next) {
		struct parsed *p = &out->p[out->n];
		if (dp_record_parse(t->value, t->len, &p->rec) != DP_OK) {
			free_records(out);
			return DP_ENOMEM;
		}
		out->n++;
		p->txt = t;
		attribute(in, p);
	}
	return DP_OK;
}

static enum dp_status report_record(struct rec_ctx *c, struct dp_report_name *rn)
{
	int64_t until = 0;
	struct dp_report_record rr = {
	    .owner = c->owner,
	    .rdata = c->txt->value,
	    .len = c->txt->len,
	    .issuer = dp_record_issuer_raw(c->rec),
	    .accounturi = dp_record_accounturi(c->rec),
	    .wildcard = dp_record_policy_wildcard(c->rec),
	    .has_persist_until = dp_record_persist_until(c->rec, &until),
	    .verdict = c->verdict,
	    .reason = c->reason,
	    .file = c->txt->file,
	    .line = c->txt->line,
	};
	rr.persist_until = until;
	return dp_report_add_record(c->r, rn, &rr);
}

struct scope {
	const struct dp_audit_input *in;
	struct dp_report *r;
	struct dp_report_name *rn;
	const char *name;
	const struct dp_inv_domain *dom;
	const char *owned_zone;
	bool lint;
	const struct records *recs; /* the name's records, parsed once (audit_name) */
};

static enum dp_status audit_records(const struct scope *s)
{
	enum dp_status st = DP_OK;

	for (size_t i = 0; i < s->recs->n && st == DP_OK; i++) {
		const struct parsed *p = &s->recs->p[i];
		struct rec_ctx c = {.in = s->in,
		                    .r = s->r,
		                    .name = s->name,
		                    .dom = s->dom,
		                    .owned_zone = s->owned_zone,
		                    .owner = s->recs->owner,
		                    .recs = s->recs,
		                    .index = i,
		                    .txt = p->txt,
		                    .rec = p->rec,
		                    .ca = p->ca,
		                    .acct = p->acct,
		                    .profile = p->profile,
		                    .verdict = p->verdict,
		                    .reason = p->reason,
		                    .lint = s->lint};
		for (size_t k = 0; s->dom && c.acct && k < s->dom->n_auth; k++)
			if (s->dom->auth[k].account == c.acct)
				c.auth = &s->dom->auth[k];
		st = report_record(&c, s->rn);
		for (size_t k = 0;
		     st == DP_OK && k < sizeof(record_checks) / sizeof(*record_checks); k++)
			st = record_checks[k](&c);
	}
	return st;
}

/* ---- expected authorizations ------------------------------------------------------ */

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
	out->verdict = best == 3   ? DP_VERDICT_VALID
	               : best == 2 ? DP_VERDICT_MALFORMED
	                           : DP_VERDICT_UNAUTHORIZED;
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
	enum dp_status st = judge_expected(s, a, a->wildcard, &res);

	if (st != DP_OK || res.verdict == DP_VERDICT_VALID || res.expired)
		return st; /* valid, or the lifetime checks already said why */
	if (a->wildcard && (st = judge_expected(s, a, false, &plain)) == DP_OK &&
	    plain.verdict == DP_VERDICT_VALID)
		return dp_report_add_finding(
		    s->r, DP_F_WILDCARD_MISSING,
		    severity(s->in, DP_F_WILDCARD_MISSING, dflt(DP_F_WILDCARD_MISSING)), s->name,
		    file, a->line,
		    "the inventory expects policy=wildcard for account %s; no record at %s has "
		    "it, so *.%s cannot be validated",
		    a->account->id, s->name, s->name);
	return dp_report_add_finding(
	    s->r, DP_F_RECORD_MISSING,
	    severity(s->in, DP_F_RECORD_MISSING, dflt(DP_F_RECORD_MISSING)), s->name, file, a->line,
	    "no usable record for account %s at %s (%s): %s", a->account->id,
	    a->account->ca->issuer, dp_verdict_name(res.verdict), res.reason);
}

static enum dp_status expected_caa(const struct scope *s, const struct dp_inv_auth *a)
{
	const struct dp_inv_ca *ca = a->account->ca;
	char who[600];
	enum dp_caa_verdict v;
	enum dp_status st;

	snprintf(who, sizeof(who), "%s account %s", ca->issuer, a->account->id);
	struct caa_ask q = {
	    s->name, false, ca->caa, ca->n_caa, a->account->uri, who, dp_inventory_file(s->in->inv),
	    a->line};
	st = check_caa(s->in, s->r, s->name, &q, &v);
	if (st == DP_OK && a->wildcard && dp_caa_verdict_allows(v)) {
		q.wildcard = true;
		st = check_caa(s->in, s->r, s->name, &q, &v);
	}
	return st;
}

/* ---- effective authorizations ------------------------------------------------------ */

/* A record some CA would use today (valid against its own account), and where it is. */
struct grant {
	const struct parsed *p;
	const char *via;
};

static enum dp_status caa_for_grant(const struct scope *s, const struct grant *g,
                                    const char **verdict)
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
	struct dp_caa_result res;
	enum dp_status st = dp_obs_caa_view(s->in->obs, s->name, &view);

	if (st != DP_OK)
		return st;
	dp_caa_evaluate(view.sets, view.n, &query, &res);
	*verdict = dp_caa_verdict_name(res.verdict);
	if (res.verdict == DP_CAA_NO_CAA && climb_cut(s->in, s->name))
		*verdict = "not checked above the zone"; /* no CAA found where we could look */
	dp_obs_caa_view_free(&view);
	return DP_OK;
}

static enum dp_status add_grant(const struct scope *s, const struct grant *g, unsigned covers)
{
	struct dp_report_auth a = {
	    .issuer = dp_record_issuer(g->p->rec),
	    .accounturi = dp_record_accounturi(g->p->rec),
	    .account_id = g->p->acct ? g->p->acct->id : NULL,
	    .via = g->via,
	    .covers = covers,
	};
	enum dp_status st;

	if (!dp_report_keeps_details(s->r))
		return DP_OK; /* the CAA verdict below is only for the printed details */
	a.has_until = dp_record_persist_until(g->p->rec, &a.until);
	st = caa_for_grant(s, g, &a.caa);
	return st == DP_OK ? dp_report_add_auth(s->r, s->rn, &a) : st;
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
	const char *uri = dp_record_accounturi(g->p->rec);
	struct dp_buf b = {0};
	enum dp_status st = add_grant(s, g, DP_COVERS_NAME);

	if (st == DP_OK && !s->lint && s->dom != NULL && !expected_here(s, g)) {
		dp_buf_add_escaped(&b, uri, strlen(uri));
		st = dp_report_add_finding(
		    s->r, DP_F_AUTHORIZATION_UNEXPECTED,
		    severity(s->in, DP_F_AUTHORIZATION_UNEXPECTED,
		             dflt(DP_F_AUTHORIZATION_UNEXPECTED)),
		    s->name, g->p->txt->file, g->p->txt->line,
		    "policy=wildcard at %s lets %s account %s issue for every name below it, "
		    "including %s, where the inventory does not expect it",
		    parent, dp_record_issuer(g->p->rec), b.data ? b.data : "", s->name);
	}
	dp_buf_free(&b);
	return st;
}

/* Does policy=wildcard on this record reach names below its own (per the CA's scope)? */
static bool reaches_below(const struct parsed *p)
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
		if ((st = load_records(s->in, parent, &pr)) != DP_OK)
			return st;
		for (size_t i = 0; i < pr.n && st == DP_OK; i++) {
			struct grant g = {&pr.p[i], pr.owner};
			if (pr.p[i].verdict == DP_VERDICT_VALID && reaches_below(&pr.p[i]))
				st = inherited(s, parent, &g);
		}
		free_records(&pr);
	}
	return st;
}

static enum dp_status effective_authorizations(const struct scope *s)
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
		                   (reaches_below(p) ? DP_COVERS_BELOW : 0));
	}
	return st == DP_OK ? parents_reaching(s) : st;
}

/* The relevant CAA RRset of the name, for the report. */
static enum dp_status report_caa(const struct scope *s)
{
	struct dp_obs_caa_view view;
	enum dp_status st;

	if (!dp_report_keeps_details(s->r))
		return DP_OK;
	st = dp_obs_caa_view(s->in->obs, s->name, &view);
	for (size_t i = 0; st == DP_OK && i < view.n; i++) {
		const struct dp_caa_rrset *set = &view.sets[i];
		if (set->n == 0)
			continue;
		for (size_t k = 0; k < set->n && st == DP_OK; k++) {
			const struct dp_obs_caa *c = view.src[(size_t)(set->rrs - view.rrs) + k];
			struct dp_report_caa rc = {.flags = c->flags,
			                           .tag = c->tag,
			                           .value = c->value,
			                           .len = c->len,
			                           .file = c->file,
			                           .line = c->line};
			st = dp_report_add_caa(s->r, s->rn, &rc);
		}
		if (st == DP_OK)
			st = dp_report_set_caa_owner(s->r, s->rn, set->owner);
		break;
	}
	dp_obs_caa_view_free(&view);
	return st;
}

static enum dp_status dns_finding(const struct scope *s, enum dp_finding_id id, const char *fmt,
                                  ...) __attribute__((format(printf, 3, 4)));

static enum dp_status dns_finding(const struct scope *s, enum dp_finding_id id, const char *fmt,
                                  ...)
{
	char msg[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return dp_report_add_finding(s->r, id, severity(s->in, id, dflt(id)), s->name, NULL, 0,
	                             "%s", msg);
}

/*
 * What the live lookups of the name met. A failed lookup ends the name's
 * audit (*stop): without its data every other check would guess.
 */
static enum dp_status check_dns(const struct scope *s, bool *stop)
{
	const struct dp_obs_dns *d = dp_obs_dns_get(s->in->obs, s->name);
	enum dp_status st = DP_OK;

	*stop = false;
	if (d == NULL)
		return DP_OK;
	if (d->error != NULL) {
		*stop = true;
		dp_report_set_unknown(s->r, "DNS lookups failed");
		return dns_finding(s, DP_F_DNS_ERROR, "not evaluated: %s", d->error);
	}
	if (d->bogus != NULL)
		st = dns_finding(s, DP_F_DNSSEC_BOGUS, "%s: a validating CA sees no data there",
		                 d->bogus);
	if (st == DP_OK && d->dangling != NULL)
		st = dns_finding(
		    s, DP_F_CNAME_DANGLING,
		    "%s is a CNAME to %s, which does not exist: whoever can create that "
		    "name can validate for it",
		    s->name, d->dangling);
	if (st == DP_OK && d->inconsistent != NULL)
		st = dns_finding(s, DP_F_NS_INCONSISTENT, "%s", d->inconsistent);
	if (st == DP_OK && d->dnssec == DP_DNSSEC_INSECURE && s->in->rules &&
	    dp_rules_params(s->in->rules)->dnssec_require)
		st = dns_finding(
		    s, DP_F_DNSSEC_INSECURE,
		    "_validation-persist.%s is not signed (the resolver did not set AD)", s->name);
	if (st == DP_OK && d->cut != NULL)
		st = dp_report_set_note(s->r, s->rn, d->cut);
	return st;
}

static enum dp_status audit_name(const struct scope *scope)
{
	struct records recs;
	struct scope with = *scope;
	const struct scope *s = &with;
	bool stop;
	enum dp_status st = check_dns(scope, &stop);

	if (st != DP_OK || stop)
		return st;
	if ((st = load_records(scope->in, scope->name, &recs)) != DP_OK)
		return st;
	with.recs = &recs;
	st = audit_records(s);
	for (size_t i = 0; st == DP_OK && s->dom && i < s->dom->n_auth; i++) {
		st = expected_records(s, &s->dom->auth[i]);
		if (st == DP_OK)
			st = expected_caa(s, &s->dom->auth[i]);
	}
	if (st == DP_OK && !s->lint)
		st = effective_authorizations(s);
	if (st == DP_OK)
		st = report_caa(s);
	free_records(&recs);
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

	if (!d->lint && (s.dom = dp_inventory_find(d->in.inv, rn->name)) == NULL)
		s.owned_zone = dp_inventory_owner_zone(d->in.inv, rn->name);
	return audit_name(&s);
}

static enum dp_status defer_details(const struct dp_audit_input *in, bool lint, struct dp_report *r)
{
	struct deferred d = {*in, lint};
	return dp_report_defer_details(r, details_again, &d, sizeof(d));
}

enum dp_status dp_audit_scan(const struct dp_audit_input *in, struct dp_report *r)
{
	const struct dp_inventory *inv = in->inv;
	enum dp_status st = defer_details(in, false, r);

	for (size_t i = 0; st == DP_OK && i < dp_inventory_domain_count(inv); i++) {
		const struct dp_inv_domain *d = dp_inventory_domain(inv, i);
		struct scope s = {in, r, NULL, d->name, d, NULL, false, NULL};
		if (dp_rules_ignored(in->rules, d->name) ||
		    (in->only != NULL && strcmp(in->only, d->name) != 0))
			continue;
		if ((s.rn = dp_report_name(r, d->name)) == NULL)
			return DP_ENOMEM;
		st = audit_name(&s);
	}
	for (size_t i = 0; st == DP_OK && i < dp_obs_note_count(in->obs); i++)
		st = dp_report_add_note(r, dp_obs_note(in->obs, i));
	/* Records in owned zones at names the inventory does not list. */
	for (size_t i = 0; st == DP_OK && i < dp_obs_persist_count(in->obs); i++) {
		const char *x = dp_obs_persist(in->obs, i)->name;
		struct scope s = {in,    r,   NULL, x, NULL, dp_inventory_owner_zone(inv, x),
		                  false, NULL};
		if (dp_inventory_find(inv, x) || s.owned_zone == NULL ||
		    dp_rules_ignored(in->rules, x) ||
		    (in->only != NULL && strcmp(in->only, x) != 0))
			continue;
		if ((s.rn = dp_report_name(r, x)) == NULL)
			return DP_ENOMEM;
		st = audit_name(&s);
	}
	return st == DP_OK ? dp_report_finish(r) : st;
}

enum dp_status dp_audit_lint(const struct dp_audit_input *in, struct dp_report *r)
{
	enum dp_status st = defer_details(in, true, r);

	for (size_t i = 0; st == DP_OK && i < dp_obs_persist_count(in->obs); i++) {
		const char *x = dp_obs_persist(in->obs, i)->name;
		struct scope s = {in, r, NULL, x, NULL, NULL, true, NULL};
		if (dp_rules_ignored(in->rules, x))
			continue;
		if ((s.rn = dp_report_name(r, x)) == NULL)
			return DP_ENOMEM;
		st = audit_name(&s);
	}
	return st == DP_OK ? dp_report_finish(r) : st;
}
