/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sources behind one interface: each fills observations from the run's
 * plan and never judges. Zone files (offline) and live DNS today; CT logs
 * will be a third row.
 */
#ifndef DP_SOURCE_H
#define DP_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/status.h"
#include "dns/resolve.h"
#include "observe/observe.h"
#include "source/plan.h"
#include "source/zonefile.h"

#define DP_MAX_SERVERS 16

/* What the zone source reads. Strings are borrowed. */
struct dp_zone_config {
	const char *const *files; /* zone files, or directories of them */
	size_t n_files;
	const char *origin;         /* for files without $ORIGIN, or NULL */
	bool include_anywhere;      /* $INCLUDE may leave the top file's directory */
	enum dp_zone_format format; /* by file name (auto), or every file BIND or octoDNS */
};

/* What the live source asks, and whom. */
struct dp_live_config {
	struct dp_server servers[DP_MAX_SERVERS]; /* recursive resolvers (or none: resolv.conf) */
	size_t n_servers;
	struct dp_server ns[DP_MAX_SERVERS]; /* the authoritative servers to compare (--ns) */
	size_t n_ns;
	bool authoritative; /* ask each zone's NS set directly and compare */
	struct dp_resolver_opts ro;
	bool progress; /* draw a progress line on stderr */
	bool stats;    /* print the lookup counters to stderr at the end */
};

struct dp_source {
	const char *name; /* "zone", "live": the report's mode */
	/* reads more than it is asked for, so the plan's filter must be built:
	 * a zone file holds every name, a live lookup only what was asked */
	bool filters;
	/* Fill o from plan; cfg is the source's own config. err gets the reason. */
	enum dp_status (*observe)(const void *cfg, const struct dp_plan *plan, struct dp_obs *o,
	                          struct dp_error *err);
};

extern const struct dp_source dp_source_zone;
extern const struct dp_source dp_source_live;

#endif
