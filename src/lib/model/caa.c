/* SPDX-License-Identifier: BSD-3-Clause */
/* CAA evaluation as Boulder does it, with RFC 8657 accounturi and validationmethods. */
#include "model/caa.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "model/issuevalue.h"
#include "base/name.h"

/* Reasons are only formatted when the caller wants them (query.quiet unset). */
#define SAY(q, ...)                                                                                \
	do {                                                                                       \
		if (!(q)->quiet)                                                                   \
			snprintf(__VA_ARGS__);                                                     \
	} while (0)

/* A parsed issue/issuewild value: issuer plus the RFC 8657 parameters. */
struct caa_value {
	struct dp_span issuer;
	struct dp_span accounturi;
	size_t n_accounturi;
	struct dp_span methods;
	size_t n_methods;
};

const char *dp_caa_verdict_name(enum dp_caa_verdict v)
{
	switch (v) {
	case DP_CAA_PERMITS:
		return "permits";
	case DP_CAA_FORBIDS:
		return "forbids";
	case DP_CAA_METHOD_EXCLUDED:
		return "method-excluded";
	case DP_CAA_ACCOUNT_MISMATCH:
		return "account-mismatch";
	case DP_CAA_UNSATISFIABLE:
		return "unsatisfiable";
	case DP_CAA_NO_CAA:
		return "no-caa";
	}
	return "?";
}

bool dp_caa_verdict_allows(enum dp_caa_verdict v)
{
	return v == DP_CAA_PERMITS || v == DP_CAA_NO_CAA;
}

bool dp_caa_tag_known(const char *tag)
{
	return strcasecmp(tag, "issue") == 0 || strcasecmp(tag, "issuewild") == 0 ||
	       strcasecmp(tag, "iodef") == 0;
}

static bool parse_param(struct caa_value *cv, struct dp_span seg, char *reason, size_t rs)
{
	struct dp_span s = dp_span_trim(seg.p, seg.len), tag, v;
	const char *eq = memchr(s.p, '=', s.len);

	if (eq == NULL) {
		snprintf(reason, rs, "parameter is not tag=value");
		return false;
	}
	tag = dp_span_trim(s.p, (size_t)(eq - s.p));
	v = dp_span_trim(eq + 1, s.len - (size_t)(eq - s.p) - 1);
	if (!dp_issue_tag_ok(tag)) {
		snprintf(reason, rs, "parameter tag is not letters and digits");
		return false;
	}
	if (!dp_issue_value_ok(v)) {
		snprintf(reason, rs,
		         "parameter value holds a space, control or non-ASCII character");
		return false;
	}
	if (dp_span_is(tag, "accounturi", true)) {
		cv->accounturi = v;
		cv->n_accounturi++;
	} else if (dp_span_is(tag, "validationmethods", true)) {
		cv->methods = v;
		cv->n_methods++;
	}
	return true;
}

/* Parse an issue-value; on failure the property authorizes nobody (RFC 8659 4.2). */
static bool parse_value(const char *value, size_t len, struct caa_value *cv, char *reason,
                        size_t rs)
{
	const char *end = value + len, *p = value, *semi = memchr(value, ';', len);

	memset(cv, 0, sizeof(*cv));
	cv->issuer = dp_span_trim(p, (size_t)((semi ? semi : end) - p));
	if (cv->issuer.len > 0 && !dp_name_is_issuer_grammar(cv->issuer.p, cv->issuer.len)) {
		snprintf(reason, rs, "issuer-domain-name is not a domain name");
		return false;
	}
	if (semi != NULL && dp_span_trim(semi + 1, (size_t)(end - semi - 1)).len == 0)
		return true; /* "issuer;" with no parameters */
	while (semi != NULL) {
		p = semi + 1;
		semi = memchr(p, ';', (size_t)(end - p));
		if (!parse_param(cv, (struct dp_span){p, (size_t)((semi ? semi : end) - p)}, reason,
		                 rs))
			return false;
	}
	return true;
}

bool dp_caa_value_check(const char *value, size_t len, char *reason, size_t reason_size)
{
	struct caa_value cv;
	return parse_value(value, len, &cv, reason, reason_size);
}

/* Does the comma-separated method list contain method? Sets *bad on a bad label. */
static bool methods_contain(struct dp_span list, const char *method, bool *bad)
{
	const char *p = list.p, *end = list.p + list.len;
	bool found = false;

	*bad = list.len == 0;
	while (p <= end && !*bad) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		size_t n = (size_t)((comma ? comma : end) - p);
		if (n == 0)
			*bad = true;
		for (size_t i = 0; i < n; i++)
			if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') ||
			      (p[i] >= '0' && p[i] <= '9') || p[i] == '-'))
				*bad = true;
		if (n == strlen(method) && memcmp(p, method, n) == 0)
			found = true;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	return found && !*bad;
}

static bool identity_listed(const struct dp_caa_query *q, struct dp_span issuer)
{
	for (size_t i = 0; i < q->n_identities; i++)
		if (dp_span_is(issuer, q->identities[i], true))
			return true;
	return false;
}

/*
 * Judge one property whose issuer matched. Returns the verdict and writes a
 * reason; DP_CAA_PERMITS when it authorizes the request.
 */
static enum dp_caa_verdict judge_property(const struct caa_value *cv, const struct dp_caa_query *q,
                                          char *reason, size_t rs)
{
	const char *method = q->method ? q->method : DP_CAA_METHOD;
	bool bad = false;

	if (cv->n_accounturi > 1) {
		SAY(q, reason, rs, "accounturi appears more than once, which no account can meet");
		return DP_CAA_UNSATISFIABLE;
	}
	if (cv->n_methods > 1) {
		SAY(q, reason, rs,
		    "validationmethods appears more than once, which no request can meet");
		return DP_CAA_UNSATISFIABLE;
	}
	if (cv->n_methods == 1 && !methods_contain(cv->methods, method, &bad)) {
		if (bad) {
			SAY(q, reason, rs, "validationmethods '%.*s' is empty or malformed",
			    (int)(cv->methods.len > 80 ? 80 : cv->methods.len), cv->methods.p);
			return DP_CAA_UNSATISFIABLE;
		}
		SAY(q, reason, rs, "validationmethods '%.*s' does not include %s",
		    (int)(cv->methods.len > 120 ? 120 : cv->methods.len), cv->methods.p, method);
		return DP_CAA_METHOD_EXCLUDED;
	}
	if (cv->n_accounturi == 1 && q->account != NULL &&
	    (cv->accounturi.len != strlen(q->account) ||
	     memcmp(cv->accounturi.p, q->account, cv->accounturi.len) != 0)) {
		SAY(q, reason, rs, "accounturi binds %.*s, not the requesting account",
		    (int)(cv->accounturi.len > 200 ? 200 : cv->accounturi.len), cv->accounturi.p);
		return DP_CAA_ACCOUNT_MISMATCH;
	}
	SAY(q, reason, rs, "authorizes %.*s%s%s", (int)cv->issuer.len, cv->issuer.p,
	    cv->n_accounturi ? " for this account" : " for any account",
	    cv->n_methods ? " with this method" : "");
	return DP_CAA_PERMITS;
}

static const struct dp_caa_rrset *relevant_set(const struct dp_caa_rrset *sets, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (sets[i].n > 0)
			return &sets[i];
	return NULL;
}

/* A critical property this CA does not understand forbids issuance (RFC 8659 4.1). */
static bool critical_unknown(const struct dp_caa_rrset *set, const struct dp_caa_query *q,
                             struct dp_caa_result *res)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct dp_caa_rr *rr = &set->rrs[i];
		if ((rr->flags & 128) && !dp_caa_tag_known(rr->tag)) {
			res->verdict = DP_CAA_UNSATISFIABLE;
			res->rr_index = i;
			SAY(q, res->reason, sizeof(res->reason),
			    "CAA at %s has the unknown critical property '%.32s', which "
			    "forbids issuance",
			    set->owner, rr->tag);
			return true;
		}
	}
	return false;
}

static const char *chosen_tag(const struct dp_caa_rrset *set, bool wildcard)
{
	if (wildcard)
		for (size_t i = 0; i < set->n; i++)
			if (strcasecmp(set->rrs[i].tag, "issuewild") == 0)
				return "issuewild";
	return "issue";
}

/* Walk the chosen properties; the first permitting one wins, else the first failure. */
static void judge_properties(const struct dp_caa_rrset *set, const char *tag,
                             const struct dp_caa_query *q, struct dp_caa_result *res)
{
	char why[256], first_why[256] = "";
	enum dp_caa_verdict first = DP_CAA_FORBIDS;
	size_t first_i = SIZE_MAX, n_tag = 0;
	bool nobody = false;
	struct caa_value cv;

	for (size_t i = 0; i < set->n; i++) {
		const struct dp_caa_rr *rr = &set->rrs[i];
		if (strcasecmp(rr->tag, tag) != 0)
			continue;
		n_tag++;
		if (!parse_value(rr->value, rr->value_len, &cv, why, sizeof(why)))
			continue; /* unparsable: authorizes nobody */
		if (cv.issuer.len == 0)
			nobody = true;
		if (cv.issuer.len == 0 || !identity_listed(q, cv.issuer))
			continue;
		enum dp_caa_verdict v = judge_property(&cv, q, why, sizeof(why));
		if (v == DP_CAA_PERMITS) {
			res->verdict = v;
			res->rr_index = i;
			res->account_bound = cv.n_accounturi > 0;
			res->method_bound = cv.n_methods > 0;
			SAY(q, res->reason, sizeof(res->reason), "%s %s at %s %s", tag, "property",
			    set->owner, why);
			return;
		}
		if (first_i == SIZE_MAX) {
			first = v;
			first_i = i;
			SAY(q, first_why, sizeof(first_why), "%s", why);
		}
	}
	if (n_tag == 0) {
		res->verdict = DP_CAA_PERMITS;
		SAY(q, res->reason, sizeof(res->reason),
		    "CAA at %s has no %s property, so it does not restrict issuance", set->owner,
		    tag);
		return;
	}
	res->verdict = first;
	res->rr_index = first_i;
	if (first_i != SIZE_MAX)
		SAY(q, res->reason, sizeof(res->reason), "%s property at %s: %s", tag, set->owner,
		    first_why);
	else
		SAY(q, res->reason, sizeof(res->reason),
		    nobody ? "CAA at %s: no %s property names this CA (an empty issuer "
		             "forbids every CA)"
		           : "CAA at %s: no %s property names this CA",
		    set->owner, tag);
}

void dp_caa_evaluate(const struct dp_caa_rrset *sets, size_t n, const struct dp_caa_query *q,
                     struct dp_caa_result *res)
{
	const struct dp_caa_rrset *set = relevant_set(sets, n);

	memset(res, 0, sizeof(*res));
	res->rr_index = SIZE_MAX;
	if (set == NULL) {
		res->verdict = DP_CAA_NO_CAA;
		SAY(q, res->reason, sizeof(res->reason),
		    "no CAA at the name or any parent, so every CA may issue");
		return;
	}
	res->owner = set->owner;
	if (critical_unknown(set, q, res))
		return;
	judge_properties(set, chosen_tag(set, q->wildcard), q, res);
}
