/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Record checks: a table of short checks over every _validation-persist RR
 * of a name. The table says where each applies (scan, lint, usable
 * records, records serving an expected authorization); the driver filters.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit_int.h"
#include "base/timeutil.h"

/* Where a check applies. */
#define IN_SCAN  1u /* dnspersist scan, the plugin */
#define IN_LINT  2u /* dnspersist lint */
#define USABLE   4u /* only records some CA could use: issuer, accounturi, well formed */
#define EXPECTED 8u /* in a scan, only records serving an expected authorization */

typedef enum dp_status (*rec_check)(const struct rec_ctx *c);

/* A finding about this record, pointing at it, with a computed severity. */
static enum dp_status emit_msg(const struct rec_ctx *c, enum dp_finding_id id, enum dp_severity sev,
                               const char *msg)
{
	struct dp_buf subject = {0};
	enum dp_status st;

	/* what the record says, for syntax; whom it authorizes, for the rest */
	if (id == DP_F_RECORD_MALFORMED || id == DP_F_RECORD_NONCANONICAL ||
	    id == DP_F_RECORD_DIVERGENT)
		dp_buf_add_escaped(&subject, c->txt->value, c->txt->len);
	else
		dp_audit_record_subject(c->rec, c->txt, &subject);
	st = dp_buf_status(&subject);
	if (st == DP_OK)
		st = dp_report_add_finding(c->r, id, dp_rules_severity(c->in->rules, id, sev),
		                           c->name, subject.data ? subject.data : "", c->txt->file,
		                           c->txt->line, "%s", msg);
	dp_buf_free(&subject);
	return st;
}

/* The same with the catalogue's severity (the rule set may override both). */
static enum dp_status emit(const struct rec_ctx *c, enum dp_finding_id id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum dp_status emit(const struct rec_ctx *c, enum dp_finding_id id, const char *fmt, ...)
{
	char msg[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return emit_msg(c, id, dp_finding_info(id)->severity, msg);
}

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

static enum dp_status check_syntax(const struct rec_ctx *c)
{
	enum dp_verdict v[DP_PROFILE_COUNT];
	struct dp_buf b = {0};
	enum dp_status st = DP_OK;

	profile_verdicts(c, v);
	if (v[c->profile] == DP_VERDICT_MALFORMED) {
		st = emit(c, DP_F_RECORD_MALFORMED, "malformed %s: %s",
		          dp_profile_phrase(c->profile), c->reason);
	} else if (v[0] != v[1] || v[0] != v[2]) {
		dp_record_describe_profiles(v, &b);
		st = emit(c, DP_F_RECORD_DIVERGENT, "CA implementations disagree: %s",
		          b.data ? b.data : "");
	}
	if (st == DP_OK && dp_record_note_count(c->rec) > 0)
		st = emit(c, DP_F_RECORD_NONCANONICAL, "%s", dp_record_note(c->rec, 0));
	dp_buf_free(&b);
	return st;
}

static bool same_authorization(const struct dp_record *a, const struct dp_record *b)
{
	const char *ia = dp_record_issuer(a), *ib = dp_record_issuer(b);
	const char *ua = dp_record_accounturi(a), *ub = dp_record_accounturi(b);

	return ia && ib && ua && ub && strcmp(ia, ib) == 0 && strcmp(ua, ub) == 0;
}

/*
 * One finding per group of records for the same CA and account, on the
 * first of them, listing the others' lines (bounded): n records give one
 * finding, never n(n-1)/2.
 */
static enum dp_status check_duplicate(const struct rec_ctx *c)
{
	struct dp_buf lines = {0};
	size_t more = 0, shown = 0;
	enum dp_status st;

	for (size_t j = 0; j < c->index; j++)
		if (same_authorization(c->rec, c->recs->p[j].rec))
			return DP_OK; /* an earlier record leads this group */
	for (size_t j = c->index + 1; j < c->recs->n; j++) {
		if (!same_authorization(c->rec, c->recs->p[j].rec))
			continue;
		if (shown++ < 10 && c->txt->line > 0) /* live records have no line */
			dp_buf_addf(&lines, "%s%lu", shown > 1 ? ", " : "",
			            c->recs->p[j].txt->line);
		else
			more++;
	}
	if (shown == 0)
		return DP_OK;
	if (more > 0 && lines.len > 0)
		dp_buf_addf(&lines, " and %zu more", more);
	st = dp_buf_status(&lines);
	if (st == DP_OK)
		st = emit(c, DP_F_RECORD_DUPLICATE,
		          "%zu other record%s authorize%s the same CA and account%s%s%s%s", shown,
		          shown == 1 ? "" : "s", shown == 1 ? "s" : "", lines.len ? " (line" : "",
		          lines.len == 0 ? ""
		          : shown > 1    ? "s "
		                         : " ",
		          lines.len ? lines.data : "", lines.len ? ")" : "");
	dp_buf_free(&lines);
	return st;
}

/* What the record would let happen, for messages: "letsencrypt.org account U". */
static const char *who(const struct rec_ctx *c, char *b, size_t size)
{
	const char *uri = dp_record_accounturi(c->rec);

	return dp_str_join(b, size, dp_record_issuer_raw(c->rec), " account ", uri ? uri : "(none)",
	                   (const char *)NULL);
}

static enum dp_status check_unlisted(const struct rec_ctx *c)
{
	char w[600];

	if (c->owned_zone != NULL)
		return emit(c, DP_F_AUTHORIZATION_UNEXPECTED,
		            "%s is in owned zone %s but not in the inventory, yet %s can issue "
		            "for it",
		            c->name, c->owned_zone, who(c, w, sizeof(w)));
	return emit(c, DP_F_AUTHORIZATION_UNEXPECTED,
	            "the inventory expects no authorization at %s, yet %s can issue for it",
	            c->name, who(c, w, sizeof(w)));
}

static enum dp_status check_attribution(const struct rec_ctx *c)
{
	char w[600];

	if (c->dom == NULL || c->dom->n_auth == 0)
		return check_unlisted(c);
	if (c->ca == NULL)
		return emit(c, DP_F_ISSUER_UNEXPECTED,
		            "%s is no CA of the inventory, yet its account %s can issue for %s",
		            dp_record_issuer(c->rec), who(c, w, sizeof(w)), c->name);
	if (c->acct == NULL)
		return emit(c, DP_F_ACCOUNT_UNEXPECTED, "%s is not an account of the inventory",
		            who(c, w, sizeof(w)));
	if (c->auth == NULL)
		return emit(c, DP_F_ACCOUNT_UNEXPECTED, "account %s (%s) is not expected at %s",
		            c->acct->id, who(c, w, sizeof(w)), c->name);
	return DP_OK;
}

static enum dp_status check_wildcard(const struct rec_ctx *c)
{
	bool below, forbidden;
	enum dp_status st;

	if (!dp_record_policy_wildcard(c->rec))
		return DP_OK;
	below = c->ca == NULL || c->ca->scope == DP_SCOPE_SUBDOMAINS;
	/* a pattern that cannot be matched within its limits is an input error */
	st = dp_rules_check_wildcard(c->in->rules, c->name, &forbidden, c->in->err);
	if (st != DP_OK)
		return st;
	if (forbidden)
		return emit(c, DP_F_WILDCARD_FORBIDDEN,
		            "policy=wildcard on %s, which names.forbid_wildcard forbids", c->name);
	if (c->auth != NULL && !c->auth->wildcard)
		return emit(c, DP_F_WILDCARD_UNNEEDED,
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
static enum dp_status check_end(const struct rec_ctx *c, int64_t until)
{
	const struct dp_rules_params *p = dp_rules_params(c->in->rules);
	int64_t left = until - c->in->now;
	char when[DP_TIME_STR];

	/* the date is formatted only for a finding: most records get none */
	if (left < 0)
		return emit(c, DP_F_PERSIST_UNTIL_EXPIRED,
		            "persistUntil %s passed %ld day%s ago: no new validation",
		            dp_time_format(until, when), days(-left), days(-left) == 1 ? "" : "s");
	if (c->lint)
		return DP_OK;
	if (left <= p->crit_before || left <= p->warn_before) {
		char msg[120];
		snprintf(msg, sizeof(msg), "persistUntil %s is in %ld day%s",
		         dp_time_format(until, when), days(left), days(left) == 1 ? "" : "s");
		/* the one computed severity: how close the end is */
		return emit_msg(c, DP_F_PERSIST_UNTIL_EXPIRING,
		                left <= p->crit_before ? DP_SEV_CRITICAL : DP_SEV_WARNING, msg);
	}
	if (p->max_horizon > 0 && left > p->max_horizon)
		return emit(c, DP_F_PERSIST_UNTIL_TOO_FAR,
		            "persistUntil %s is %ld days away, beyond the %ld-day horizon",
		            dp_time_format(until, when), days(left), days(p->max_horizon));
	return DP_OK;
}

static enum dp_status check_lifetime(const struct rec_ctx *c)
{
	int64_t until;
	char when[DP_TIME_STR];
	bool has = dp_record_persist_until(c->rec, &until);
	bool required = c->auth && (c->auth->persist_until == DP_PU_REQUIRED ||
	                            dp_rules_params(c->in->rules)->require_persist_until);

	if (!has)
		return required ? emit(c, DP_F_PERSIST_UNTIL_ABSENT,
		                       "no persistUntil, which %s requires",
		                       c->auth->persist_until == DP_PU_REQUIRED ? "the inventory"
		                                                                : "the rule set")
		                : DP_OK;
	if (c->auth && c->auth->persist_until == DP_PU_FORBIDDEN)
		return emit(c, DP_F_PERSIST_UNTIL_PRESENT,
		            "persistUntil %s is set, which the inventory forbids for account %s",
		            dp_time_format(until, when), c->acct->id);
	return check_end(c, until);
}

static enum dp_status check_account_pattern(const struct rec_ctx *c)
{
	const char *uri = dp_record_accounturi(c->rec);
	bool allowed;
	enum dp_status st = dp_rules_check_account(c->in->rules, uri, &allowed, c->in->err);

	if (st != DP_OK || allowed)
		return st;
	return emit(c, DP_F_ACCOUNT_URI_PATTERN, "accounturi %s matches none of accounts.allow_uri",
	            uri);
}

/* lint: each usable record against the CAA that governs its own name. */
static enum dp_status check_caa_lint(const struct rec_ctx *c)
{
	const char *issuer = dp_record_issuer(c->rec), *uri = dp_record_accounturi(c->rec);
	enum dp_caa_verdict v;
	enum dp_status st;
	struct caa_ask q = {c->name,
	                    false,
	                    &issuer,
	                    1,
	                    uri,
	                    dp_record_issuer_raw(c->rec),
	                    uri ? uri : "(none)",
	                    c->txt->file,
	                    c->txt->line};

	st = dp_audit_check_caa(c->s, &q, &v);
	if (st == DP_OK && dp_record_policy_wildcard(c->rec) && dp_caa_verdict_allows(v)) {
		q.wildcard = true;
		st = dp_audit_check_caa(c->s, &q, &v);
	}
	return st;
}

static const struct {
	rec_check fn;
	unsigned where;
} record_checks[] = {
    {check_syntax, IN_SCAN | IN_LINT},
    {check_duplicate, IN_SCAN | IN_LINT},
    {check_attribution, IN_SCAN | USABLE},
    {check_wildcard, IN_SCAN | IN_LINT | USABLE},
    {check_lifetime, IN_SCAN | IN_LINT | USABLE | EXPECTED},
    {check_account_pattern, IN_SCAN | USABLE},
    {check_caa_lint, IN_LINT | USABLE},
};

/* Usable by some CA: a host-name issuer and an accounturi. Others are inert. */
static bool usable(const struct rec_ctx *c)
{
	return dp_record_issuer(c->rec) != NULL && dp_record_accounturi(c->rec) != NULL &&
	       c->verdict != DP_VERDICT_MALFORMED;
}

static bool applies(unsigned where, const struct rec_ctx *c)
{
	if (!(where & (c->lint ? IN_LINT : IN_SCAN)))
		return false;
	if ((where & USABLE) && !usable(c))
		return false;
	return !(where & EXPECTED) || c->lint || c->auth != NULL;
}

/* ---- one record ---------------------------------------------------------------- */

/* A parsed record's inventory CA and account, its CA's profile and its verdict. */
static void attribute(const struct dp_audit_input *in, bool explain, struct parsed *p)
{
	const struct dp_inventory *inv = in->inv;
	const char *issuer = dp_record_issuer(p->rec), *uri = dp_record_accounturi(p->rec);
	const char *issuers[1] = {issuer ? issuer : ""}, *accounts[1] = {uri ? uri : ""};
	struct dp_ca_request req = {issuers, 1, accounts, 1, false, in->now};

	p->ca = inv ? dp_inventory_ca_by_issuer(inv, issuer) : NULL;
	p->profile = p->ca ? p->ca->profile : DP_PROFILE_STRICT;
	p->acct = p->ca ? dp_inventory_account(inv, p->ca, uri) : NULL;
	/* the reason is printed with the details, and a malformed record's finding quotes it */
	p->verdict = dp_record_evaluate(p->rec, p->profile, &req, explain ? p->reason : NULL,
	                                explain ? sizeof(p->reason) : 0);
	if (!explain && p->verdict == DP_VERDICT_MALFORMED)
		dp_record_evaluate(p->rec, p->profile, &req, p->reason, sizeof(p->reason));
}

void dp_audit_free_records(struct records *r)
{
	for (size_t i = 0; i < r->n; i++)
		dp_record_free(r->p[i].rec);
	free(r->p);
	r->p = NULL;
	r->n = 0;
}

enum dp_status dp_audit_load_records(const struct dp_audit_input *in, const char *name,
                                     bool explain, struct records *out)
{
	const char *via = NULL;
	const struct dp_obs_txt *first = dp_obs_records(in->obs, name, &via), *t;
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	dp_str_join(out->own, sizeof(out->own), "_validation-persist.", name, (const char *)NULL);
	out->owner = via ? via : out->own;
	for (t = first; t != NULL; t = t->next)
		n++;
	out->p = calloc(n ? n : 1, sizeof(*out->p));
	if (out->p == NULL)
		return DP_ENOMEM;
	for (t = first; t != NULL; t = t->next) {
		struct parsed *p = &out->p[out->n];
		if (dp_record_parse(t->value, t->len, &p->rec) != DP_OK) {
			dp_audit_free_records(out);
			return DP_ENOMEM;
		}
		out->n++;
		p->txt = t;
		attribute(in, explain, p);
	}
	return DP_OK;
}

static enum dp_status report_record(const struct rec_ctx *c, struct dp_report_name *rn)
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

static void record_context(const struct scope *s, size_t i, struct rec_ctx *c)
{
	const struct parsed *p = &s->recs->p[i];

	*c = (struct rec_ctx){.s = s,
	                      .in = s->in,
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
	for (size_t k = 0; s->dom && c->acct && k < s->dom->n_auth; k++)
		if (s->dom->auth[k].account == c->acct)
			c->auth = &s->dom->auth[k];
}

enum dp_status dp_audit_records(const struct scope *s)
{
	/* the checks only find: the details pass needs the records alone */
	size_t n_checks =
	    dp_report_keeps_findings(s->r) ? sizeof(record_checks) / sizeof(*record_checks) : 0;
	enum dp_status st = DP_OK;

	for (size_t i = 0; i < s->recs->n && st == DP_OK; i++) {
		struct rec_ctx c;
		record_context(s, i, &c);
		st = report_record(&c, s->rn);
		for (size_t k = 0; st == DP_OK && k < n_checks; k++)
			if (applies(record_checks[k].where, &c))
				st = record_checks[k].fn(&c);
	}
	return st;
}
