/* SPDX-License-Identifier: BSD-3-Clause */
/* DNS checks: what the live lookups of a name met (failures, DNSSEC, dangling CNAMEs). */
#include "audit/audit_int.h"

/* CNAME chains a CA's lookups cannot follow: the records', and the CAA climb's. */
enum dp_status dp_audit_loops(const struct scope *s)
{
	const char *broken = dp_obs_caa_broken(s->in->obs, s->name);
	enum dp_status st = DP_OK;

	if (dp_obs_loops(s->in->obs, s->name, false))
		st = dp_audit_emit(
		    s, DP_F_CNAME_LOOP, "_validation-persist", NULL, 0,
		    "_validation-persist.%s is a CNAME chain that loops or runs past 8 "
		    "hops: a CA's lookup fails, and no record there can be used",
		    s->name);
	if (st == DP_OK && broken != NULL)
		st = dp_audit_emit(
		    s, DP_F_CNAME_LOOP, "CAA", NULL, 0,
		    "the CAA lookup at %s fails: its CNAME chain loops or runs past 8 "
		    "hops, and a CA must then refuse to issue for %s",
		    broken, s->name);
	return st;
}

/*
 * A failed lookup ends the name's audit (*stop): without its data every
 * other check would guess.
 */
enum dp_status dp_audit_dns(const struct scope *s, bool *stop)
{
	const struct dp_obs_dns *d = dp_obs_dns_get(s->in->obs, s->name);
	enum dp_status st = DP_OK;

	*stop = false;
	if (d == NULL)
		return DP_OK;
	if (d->error != NULL) {
		*stop = true;
		dp_report_set_unknown(s->r, "DNS lookups failed");
		return dp_audit_emit(s, DP_F_DNS_ERROR, "", NULL, 0, "not evaluated: %s", d->error);
	}
	if (d->bogus != NULL)
		st = dp_audit_emit(s, DP_F_DNSSEC_BOGUS, "", NULL, 0,
		                   "%s: a validating CA sees no data there", d->bogus);
	if (st == DP_OK && d->dangling != NULL)
		st = dp_audit_emit(s, DP_F_CNAME_DANGLING, d->dangling, NULL, 0,
		                   "%s is a CNAME to %s, which does not exist: whoever can create "
		                   "that name can validate for it",
		                   s->name, d->dangling);
	if (st == DP_OK && d->inconsistent != NULL)
		st = dp_audit_emit(s, DP_F_NS_INCONSISTENT, "", NULL, 0, "%s", d->inconsistent);
	if (st == DP_OK && d->dnssec == DP_DNSSEC_INSECURE && s->in->rules &&
	    dp_rules_params(s->in->rules)->dnssec_require)
		st = dp_audit_emit(
		    s, DP_F_DNSSEC_INSECURE, "", NULL, 0,
		    "_validation-persist.%s is not signed (the resolver did not set AD)", s->name);
	if (st == DP_OK && d->cut != NULL)
		st = dp_report_set_note(s->r, s->rn, d->cut);
	return st;
}
