/* SPDX-License-Identifier: BSD-3-Clause */
/* AXFR through ldns, keeping only the names that carry _validation-persist records. */
#include "dns/axfr.h"

#include <arpa/inet.h>
#include <ldns/ldns.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "base/name.h"

#define PREFIX "_validation-persist."

/* An ldns resolver that asks only s, over TCP, within timeout_ms. */
static ldns_resolver *resolver_for(const struct dp_server *s, unsigned timeout_ms)
{
	char addr[INET6_ADDRSTRLEN];
	const struct sockaddr_in *v4 = (const void *)&s->addr;
	const struct sockaddr_in6 *v6 = (const void *)&s->addr;
	bool six = s->addr.ss_family == AF_INET6;
	struct timeval tv = {(time_t)(timeout_ms / 1000), (suseconds_t)(timeout_ms % 1000) * 1000};
	ldns_resolver *res = ldns_resolver_new();
	ldns_rdf *ns;

	if (res == NULL)
		return NULL;
	inet_ntop(s->addr.ss_family,
	          six ? (const void *)&v6->sin6_addr : (const void *)&v4->sin_addr, addr,
	          sizeof(addr));
	ns = ldns_rdf_new_frm_str(six ? LDNS_RDF_TYPE_AAAA : LDNS_RDF_TYPE_A, addr);
	if (ns == NULL || ldns_resolver_push_nameserver(res, ns) != LDNS_STATUS_OK) {
		ldns_rdf_deep_free(ns);
		ldns_resolver_deep_free(res);
		return NULL;
	}
	ldns_rdf_deep_free(ns);
	ldns_resolver_set_port(res, ntohs(six ? v6->sin6_port : v4->sin_port));
	ldns_resolver_set_timeout(res, tv);
	ldns_resolver_set_retry(res, 1);
	ldns_resolver_set_usevc(res, true);
	return res;
}

/* X for an RR at _validation-persist.X of a kind that holds or leads to records. */
static bool persist_base(const ldns_rr *rr, char out[DP_NAME_MAX])
{
	ldns_rr_type t = ldns_rr_get_type(rr);
	char *owner;
	bool ok = false;

	if (t != LDNS_RR_TYPE_TXT && t != LDNS_RR_TYPE_CNAME)
		return false;
	owner = ldns_rdf2str(ldns_rr_owner(rr));
	if (owner != NULL && strncasecmp(owner, PREFIX, strlen(PREFIX)) == 0)
		ok = dp_name_normalize(owner + strlen(PREFIX), out, NULL) == DP_OK;
	free(owner);
	return ok;
}

static enum dp_status transfer(ldns_resolver *res, void (*found)(const char *name, void *ctx),
                               void *ctx)
{
	char base[DP_NAME_MAX];
	ldns_rr *rr;

	while ((rr = ldns_axfr_next(res)) != NULL) {
		if (persist_base(rr, base))
			found(base, ctx);
		ldns_rr_free(rr);
	}
	return ldns_axfr_complete(res) ? DP_OK : DP_ELOOKUP;
}

static void failure(ldns_resolver *res, const struct dp_server *s, const char *zone, char *why,
                    size_t size)
{
	const ldns_pkt *last = ldns_axfr_last_pkt(res);
	const ldns_lookup_table *rc =
	    last ? ldns_lookup_by_id(ldns_rcodes, (int)ldns_pkt_get_rcode(last)) : NULL;

	snprintf(why, size, "AXFR of %s from %s failed (%s)", zone, s->label,
	         rc != NULL && ldns_pkt_get_rcode(last) != LDNS_RCODE_NOERROR ? rc->name
	                                                                      : "no complete zone");
}

enum dp_status dp_axfr_persist_names(const struct dp_server *s, const char *zone,
                                     unsigned timeout_ms,
                                     void (*found)(const char *name, void *ctx), void *ctx,
                                     char *why, size_t size)
{
	ldns_resolver *res = resolver_for(s, timeout_ms);
	ldns_rdf *z = ldns_dname_new_frm_str(zone);
	enum dp_status st = DP_ENOMEM;

	why[0] = '\0';
	if (res != NULL && z != NULL) {
		if (ldns_axfr_start(res, z, LDNS_RR_CLASS_IN) != LDNS_STATUS_OK) {
			snprintf(why, size, "AXFR of %s from %s: no connection", zone, s->label);
			st = DP_ELOOKUP;
		} else if ((st = transfer(res, found, ctx)) == DP_ELOOKUP) {
			failure(res, s, zone, why, size);
		}
	}
	ldns_rdf_deep_free(z);
	ldns_resolver_deep_free(res);
	return st;
}
