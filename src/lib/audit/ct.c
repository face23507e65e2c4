/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The CT checks: the records say who may issue, CT logs say who did. Each
 * certificate naming an audited name is judged against the CAs the
 * inventory allows there; each standing authorization against the
 * certificates its CA issued. Certificates do not carry their validation
 * method, so these are correlations, and the messages say so.
 */
#include <stdlib.h>
#include <string.h>

#include "audit/audit_int.h"
#include "base/timeutil.h"

#define MAX_IDS 64

/* The CAA domains of the CAs the inventory allows for a name. */
struct allowed {
	const char *ids[MAX_IDS];
	size_t n;
	bool wildcard;
};

static void allow(struct allowed *a, const char *id)
{
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->ids[i], id) == 0)
			return;
	if (a->n < MAX_IDS)
		a->ids[a->n++] = id;
}

static void allowed_of(const struct dp_inv_domain *d, struct allowed *a)
{
	a->n = 0;
	a->wildcard = d->ct_wildcard;
	for (size_t i = 0; i < d->n_auth; i++) {
		const struct dp_inv_ca *ca = d->auth[i].account->ca;
		for (size_t k = 0; k < ca->n_caa; k++)
			allow(a, ca->caa[k]);
		a->wildcard = a->wildcard || d->auth[i].wildcard;
	}
	for (size_t i = 0; i < d->n_ct_allow; i++)
		allow(a, d->ct_allow[i]);
}

static void join(struct dp_buf *b, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dp_buf_addf(b, "%s%s", i ? ", " : "", v[i]);
}

static enum dp_status show_cert(const struct scope *s, const struct dp_ct_cert *c)
{
	struct dp_report_cert rc = {c->issuer,  c->caa,        c->n_caa,     c->names,
	                            c->n_names, c->not_before, c->not_after, c->source,
	                            c->id,      c->link,       NULL};
	return dp_report_add_cert(s->r, s->rn, &rc);
}

/* Whether an earlier certificate in list[0..i) has the same issuer (one finding per issuer). */
static bool issuer_seen(const struct dp_ct_obs *ct, const size_t *list, size_t i, const char *iss)
{
	for (size_t k = 0; k < i; k++)
		if (strcmp(dp_ct_cert_at(ct, list[k])->issuer, iss) == 0)
			return true;
	return false;
}

static enum dp_status judge_issuer(const struct scope *s, const struct allowed *a,
                                   const struct dp_ct_cert *c)
{
	struct dp_buf ids = {0};
	char nb[DP_TIME_STR];
	enum dp_status st = DP_OK;

	dp_time_format(c->not_before, nb);
	if (c->n_caa == 0)
		return dp_audit_emit(
		    s, DP_F_CT_ISSUER_UNKNOWN, c->issuer, NULL, 0,
		    "certificate %s (%s, from %s) is from issuer '%s', which maps to "
		    "no CAA domain; add it to ct.issuers in the inventory",
		    c->id, c->source, nb, c->issuer);
	if (dp_ct_cert_meets(c, a->ids, a->n))
		return DP_OK;
	join(&ids, (const char *const *)c->caa, c->n_caa);
	st = dp_audit_emit(s, DP_F_CT_ISSUER_UNEXPECTED, c->issuer, NULL, 0,
	                   "certificate %s (%s, from %s) for %s is from '%s' (CAA %s), which the "
	                   "inventory does not allow here%s; see %s",
	                   c->id, c->source, nb, s->name, c->issuer, ids.data ? ids.data : "",
	                   a->n == 0 ? " (it allows no CA)" : "", c->link);
	dp_buf_free(&ids);
	return st;
}

/* A record's CA (as the inventory knows it, else its issuer) issued c. */
static bool by_record_ca(const struct parsed *p, const struct dp_ct_cert *c)
{
	const char *iss = p->rec ? dp_record_issuer(p->rec) : NULL;

	if (p->ca != NULL && dp_ct_cert_meets(c, p->ca->caa, p->ca->n_caa))
		return true;
	return iss != NULL && dp_ct_cert_meets(c, &iss, 1);
}

/*
 * ct-after-persist-until: every record authorizing c's CA here had ended
 * (persistUntil) before c's notBefore.
 */
static enum dp_status after_persist(const struct scope *s, const struct dp_ct_cert *c)
{
	const struct records *r = s->recs;
	size_t n = 0;
	int64_t latest = 0, pu;
	char nb[DP_TIME_STR], until[DP_TIME_STR];

	for (size_t i = 0; r != NULL && i < r->n; i++) {
		if (!by_record_ca(&r->p[i], c))
			continue;
		if (!dp_record_persist_until(r->p[i].rec, &pu) || pu >= c->not_before)
			return DP_OK;
		if (n++ == 0 || pu > latest)
			latest = pu;
	}
	if (n == 0)
		return DP_OK;
	dp_time_format(c->not_before, nb);
	dp_time_format(latest, until);
	return dp_audit_emit(s, DP_F_CT_AFTER_PERSIST_UNTIL, c->issuer, NULL, 0,
	                     "certificate %s from '%s' has notBefore %s, after the persistUntil %s "
	                     "of the record that authorizes that CA here: it was validated another "
	                     "way, or the record was relied on past its end (certificates do not "
	                     "carry the method; this is a correlation, not proof)",
	                     c->id, c->issuer, nb, until);
}

static enum dp_status judge_listed(const struct scope *s, const size_t *list, size_t n,
                                   size_t n_exact)
{
	const struct dp_ct_obs *ct = s->in->ct;
	struct allowed a;
	enum dp_status st = DP_OK;
	bool wild_said = false;

	allowed_of(s->dom, &a);
	for (size_t i = 0; st == DP_OK && i < n; i++) {
		const struct dp_ct_cert *c = dp_ct_cert_at(ct, list[i]);
		if (!issuer_seen(ct, list, i, c->issuer))
			st = judge_issuer(s, &a, c);
		if (st == DP_OK && i >= n_exact && !a.wildcard && !wild_said) {
			wild_said = true;
			st = dp_audit_emit(
			    s, DP_F_CT_WILDCARD_UNEXPECTED, "", NULL, 0,
			    "certificate %s from '%s' covers *.%s; the inventory allows "
			    "no wildcard here (wildcard: true, or ct_wildcard: true)",
			    c->id, c->issuer, s->name);
		}
		if (st == DP_OK && c->n_caa > 0)
			st = after_persist(s, c);
	}
	return st;
}

static enum dp_status judge_unlisted(const struct scope *s, const size_t *list, size_t n)
{
	const struct dp_ct_cert *c = dp_ct_cert_at(s->in->ct, list[0]);
	char nb[DP_TIME_STR];

	dp_time_format(c->not_before, nb);
	return dp_audit_emit(s, DP_F_CT_NAME_UNEXPECTED, "", NULL, 0,
	                     "%zu certificate%s in CT for %s, in owned zone %s, which no inventory "
	                     "entry covers (first: %s from '%s', %s)",
	                     n, n == 1 ? "" : "s", s->name, s->owned_zone, c->id, c->issuer, nb);
}

/* Whether a certificate from one of ids covers name (or, for a wildcard grant, below it). */
static bool used(const struct dp_ct_obs *ct, const char *name, const char *const *ids, size_t n,
                 bool below)
{
	size_t k;
	const size_t *l;

	for (int w = 0; w < 2; w++) {
		l = dp_ct_certs_of(ct, name, w == 1, &k);
		for (size_t i = 0; i < k; i++)
			if (dp_ct_cert_meets(dp_ct_cert_at(ct, l[i]), ids, n))
				return true;
	}
	for (size_t j = 0; below && j < dp_ct_name_count(ct); j++) {
		const char *x = dp_ct_name_at(ct, j);
		if (dp_name_is_below(x, name) && used(ct, x, ids, n, false))
			return true;
	}
	return false;
}

/* authorization-unused: a record some CA would use today, and no certificate from that CA. */
static enum dp_status unused(const struct scope *s)
{
	const struct records *r = s->recs;
	enum dp_status st = DP_OK;

	for (size_t i = 0; st == DP_OK && r != NULL && i < r->n; i++) {
		const struct parsed *p = &r->p[i];
		const char *iss = p->rec ? dp_record_issuer(p->rec) : NULL;
		const char *const *ids = p->ca ? p->ca->caa : &iss;
		size_t n = p->ca ? p->ca->n_caa : 1;
		struct dp_buf subj = {0};
		if (p->verdict != DP_VERDICT_VALID || iss == NULL ||
		    used(s->in->ct, s->name, ids, n, dp_record_policy_wildcard(p->rec)))
			continue;
		st = dp_audit_emit(
		    s, DP_F_AUTHORIZATION_UNUSED, dp_audit_record_subject(p->rec, p->txt, &subj),
		    p->txt->file, p->txt->line,
		    "the record authorizes %s, and CT shows no certificate from it for "
		    "%s in the window looked at: a candidate for removal",
		    iss, s->name);
		dp_buf_free(&subj);
	}
	return st;
}

static bool has_index(const size_t *v, size_t n, size_t x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

/* The certificates naming the name itself, then those for *.name: list[0..n_exact) exact. */
static enum dp_status certs_of(const struct scope *s, size_t **list, size_t *n, size_t *n_exact)
{
	size_t ne, nw;
	const size_t *e = dp_ct_certs_of(s->in->ct, s->name, false, &ne);
	const size_t *w = dp_ct_certs_of(s->in->ct, s->name, true, &nw);

	*list = NULL;
	*n = 0;
	*n_exact = ne;
	if (ne + nw == 0)
		return DP_OK;
	*list = malloc((ne + nw) * sizeof(**list));
	if (*list == NULL)
		return DP_ENOMEM;
	for (size_t i = 0; i < ne; i++)
		(*list)[(*n)++] = e[i];
	for (size_t i = 0; i < nw; i++) /* a certificate naming both is judged once, as exact */
		if (!has_index(e, ne, w[i]))
			(*list)[(*n)++] = w[i];
	return DP_OK;
}

enum dp_status dp_audit_ct(const struct scope *s)
{
	const struct dp_ct_obs *ct = s->in->ct;
	const struct dp_ct_zone *z;
	size_t *list, n, n_exact;
	enum dp_status st;

	if (ct == NULL || s->lint || (s->dom == NULL && s->owned_zone == NULL))
		return DP_OK;
	z = dp_ct_zone_of(ct, s->name);
	if (z == NULL || z->error != NULL)
		return DP_OK; /* not cross-checked: ct-error at the zone says so */
	st = certs_of(s, &list, &n, &n_exact);
	for (size_t i = 0; st == DP_OK && i < n; i++)
		st = show_cert(s, dp_ct_cert_at(ct, list[i]));
	if (st == DP_OK && s->dom != NULL)
		st = judge_listed(s, list, n, n_exact);
	else if (st == DP_OK && n > 0)
		st = judge_unlisted(s, list, n);
	if (st == DP_OK && s->dom != NULL)
		st = unused(s);
	free(list);
	return st;
}

/* ct-error at each zone whose query failed; the run is then not fully evaluated. */
static enum dp_status zone_errors(const struct dp_audit_input *in, struct dp_report *r)
{
	const struct dp_ct_obs *ct = in->ct;
	enum dp_status st = DP_OK;
	size_t failed = 0;
	struct dp_buf why = {0};

	for (size_t i = 0; st == DP_OK && i < dp_ct_zone_count(ct); i++) {
		const struct dp_ct_zone *z = dp_ct_zone_at(ct, i);
		struct scope s = {in, r, NULL, z->zone, NULL, NULL, false, NULL};
		if (z->error == NULL || (in->only != NULL && dp_ct_zone_of(ct, in->only) != z))
			continue;
		failed++;
		s.rn = dp_report_name(r, z->zone);
		st = s.rn ? dp_audit_emit(&s, DP_F_CT_ERROR, "", NULL, 0,
		                          "zone %s was not cross-checked with CT: %s", z->zone,
		                          z->error)
		          : DP_ENOMEM;
	}
	if (st == DP_OK && failed > 0) {
		dp_buf_addf(&why, "CT: %zu zone%s not cross-checked (ct-error)", failed,
		            failed == 1 ? "" : "s");
		dp_report_set_unknown(r, why.data ? why.data : "CT failed");
		st = dp_report_add_note(r, why.data ? why.data : "CT failed");
	}
	dp_buf_free(&why);
	return st;
}

/* Names CT shows in owned zones that the inventory does not list and no record audit covered. */
static enum dp_status unlisted_names(const struct dp_audit_input *in, struct dp_report *r)
{
	const struct dp_ct_obs *ct = in->ct;
	enum dp_status st = DP_OK;

	for (size_t i = 0; st == DP_OK && in->only == NULL && i < dp_ct_name_count(ct); i++) {
		const char *x = dp_ct_name_at(ct, i);
		const struct dp_obs_node *node = dp_obs_get(in->obs, x);
		struct scope s = {in,    r,   NULL, x, NULL, dp_inventory_owner_zone(in->inv, x),
		                  false, NULL};
		bool ignored = false;
		if (dp_inventory_find(in->inv, x) != NULL || s.owned_zone == NULL ||
		    (node != NULL && node->txt != NULL))
			continue; /* listed, not ours, or audited with its records already */
		st = dp_rules_check_ignored(in->rules, x, &ignored, in->err);
		if (st != DP_OK || ignored)
			continue;
		s.rn = dp_report_name(r, x);
		st = s.rn ? dp_audit_ct(&s) : DP_ENOMEM;
	}
	return st;
}

enum dp_status dp_audit_ct_run(const struct dp_audit_input *in, struct dp_report *r)
{
	enum dp_status st = zone_errors(in, r);

	dp_report_set_ct(r, dp_ct_obs_source(in->ct), (long)dp_ct_cert_count(in->ct));
	return st == DP_OK ? unlisted_names(in, r) : st;
}
