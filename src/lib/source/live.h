/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The live source: for every name, the _validation-persist TXT RRset, those
 * of its ancestors up to the zone apex, and the CAA climb of RFC 8659, read
 * through the resolve engine into the observations, with what went wrong.
 */
#ifndef DP_LIVE_H
#define DP_LIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "observe/observe.h"
#include "dns/resolve.h"

struct dp_live_opts {
	/*
	 * Compare the servers: ask every one of the resolver's n_servers each
	 * question and note where they differ (authoritative servers of one
	 * zone). Otherwise any server answers.
	 */
	bool compare;
	size_t n_servers;
	/*
	 * The zone the servers are authoritative for (--authoritative), or NULL
	 * (resolvers, --ns). Data they give for names outside it is not
	 * believed: a zone's servers can make up any record for another zone.
	 */
	const char *zone;
	/* Called after each name is done (progress); may be NULL. */
	void (*done)(const char *name, bool failed, void *ctx);
	void *ctx;
};

/*
 * Observe names (normalized, "*." allowed) into o. Only a system failure
 * or exhausted memory is an error: lookup failures are noted per name
 * (dp_obs_dns_get). r and o are borrowed.
 */
enum dp_status dp_live_observe(struct dp_resolver *r, struct dp_obs *o, const char *const *names,
                               size_t n, const struct dp_live_opts *opts);

#endif
