/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The CAs' ACME directories against the inventory: the issuer-domain the
 * records name must be one the CA recognises (meta.caaIdentities, and
 * under draft -02 meta.issuerDomainNames), and hashed account URIs must
 * start with the CA's meta.accountHashPrefix. Findings at the CA's issuer.
 */
#include <stdio.h>
#include <string.h>

#include "audit/audit_int.h"
#include "model/record.h"

static void about(struct dp_buf *b, const struct dp_acme_dir *d)
{
	dp_buf_addf(b, " (externalAccountRequired %s", d->ear ? "true" : "false");
	for (size_t i = 0; i < d->n_profiles; i++)
		dp_buf_addf(b, "%s%s", i ? ", " : "; profiles ", d->profiles[i]);
	dp_buf_addc(b, ')');
}

static enum dp_status mismatch(const struct scope *s, const struct dp_dir_result *x,
                               const char *what)
{
	struct dp_buf b = {0};
	enum dp_status st;

	about(&b, &x->dir);
	st = dp_audit_emit(s, DP_F_CA_DIRECTORY_MISMATCH, x->url, NULL, 0,
	                   "CA '%s' (directory %s): %s%s", x->ca->id, x->url, what,
	                   b.data ? b.data : "");
	dp_buf_free(&b);
	return st;
}

static enum dp_status accounts(const struct scope *s, const struct dp_dir_result *x)
{
	const struct dp_inventory *inv = s->in->inv;
	const char *pfx = x->dir.hash_prefix;
	enum dp_status st = DP_OK;
	char msg[700];

	for (size_t k = 0; st == DP_OK && pfx != NULL; k++) {
		const struct dp_inv_account *a = dp_inventory_account_at(inv, k);
		if (a == NULL)
			break;
		if (a->ca != x->ca || !dp_record_is_hashed_uri(a->uri) ||
		    strncmp(a->uri, pfx, strlen(pfx)) == 0)
			continue;
		snprintf(msg, sizeof(msg),
		         "account %s's hashed URI %.200s does not start with the CA's "
		         "accountHashPrefix %.200s",
		         a->id, a->uri, pfx);
		st = mismatch(s, x, msg);
	}
	return st;
}

static enum dp_status one(const struct scope *s, const struct dp_dir_result *x)
{
	const char *iss = x->ca->issuer;
	enum dp_status st = DP_OK;

	if (x->error != NULL) {
		dp_report_set_unknown(s->r,
		                      "a CA's ACME directory could not be read (directory-error)");
		return dp_audit_emit(s, DP_F_DIRECTORY_ERROR, x->url, NULL, 0,
		                     "CA '%s': directory %s could not be read: %s", x->ca->id,
		                     x->url, x->error);
	}
	if (x->dir.has_caa && !dp_acme_dir_lists(x->dir.caa, x->dir.n_caa, iss))
		st = mismatch(
		    s, x,
		    "the records' issuer-domain-name is not among its caaIdentities: the CA "
		    "will not recognise them");
	if (st == DP_OK && x->dir.has_issuers &&
	    !dp_acme_dir_lists(x->dir.issuers, x->dir.n_issuers, iss))
		st = mismatch(s, x,
		              "the records' issuer-domain-name is not among its issuerDomainNames "
		              "(draft -02)");
	return st == DP_OK ? accounts(s, x) : st;
}

enum dp_status dp_audit_directories(const struct dp_audit_input *in, struct dp_report *r)
{
	enum dp_status st = DP_OK;

	for (size_t i = 0; st == DP_OK && i < in->dirs->n; i++) {
		const struct dp_dir_result *x = &in->dirs->v[i];
		struct scope s = {in, r, NULL, x->ca->issuer, NULL, NULL, false, NULL};
		s.rn = dp_report_name(r, x->ca->issuer);
		st = s.rn ? one(&s, x) : DP_ENOMEM;
	}
	return st;
}
