/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The authoritative servers of the zones that hold some names, found through
 * a recursive resolver, so that --authoritative can ask each of them
 * directly and compare: CAs corroborate from several vantage points, so
 * servers that disagree break or endanger validation.
 */
#ifndef DP_AUTHNS_H
#define DP_AUTHNS_H

#include <stddef.h>
#include <stdint.h>

#include "observe/observe.h"
#include "dns/resolve.h"

#define DP_AUTHNS_MAX 16

/* One zone: its apex, its servers' addresses, the names it holds (borrowed). */
struct dp_authns_zone {
	char *apex;
	struct dp_server servers[DP_AUTHNS_MAX];
	size_t n_servers;
	const char **names;
	size_t n_names;
};

/*
 * Group names by the zone that holds them and find each zone's servers
 * through r: the apex from an SOA lookup of the name (the answer, or the SOA
 * of a negative answer; the parent's when the name is an alias), the NS
 * RRset at the apex, the A and AAAA RRsets of each NS host (at most
 * DP_AUTHNS_MAX addresses, asked on port). A name whose zone or servers
 * cannot be found gets a lookup error in o and is left out. The caller
 * frees *zones with dp_authns_free.
 */
enum dp_status dp_authns_find(struct dp_resolver *r, struct dp_obs *o, const char *const *names,
                              size_t n, uint16_t port, struct dp_authns_zone **zones,
                              size_t *n_zones);
void dp_authns_free(struct dp_authns_zone *zones, size_t n);

#endif
