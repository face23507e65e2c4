/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Zone transfer (AXFR, read-only) to find the names of a zone that carry
 * _validation-persist records, so that a live scan sees records at names the
 * inventory does not list, as a zone-file scan does.
 */
#ifndef DP_AXFR_H
#define DP_AXFR_H

#include <stddef.h>

#include "dns/server.h"
#include "base/status.h"

/* The bounds of one transfer from one server; each ends it in an error. */
struct dp_axfr_limits {
	unsigned total_ms;  /* the whole transfer, connecting included */
	unsigned idle_ms;   /* connecting, or no octet received, for this long */
	size_t max_records; /* RRs in the transfer, both SOAs included */
	size_t max_bytes;   /* octets received, length prefixes included */
};

#define DP_AXFR_MAX_RECORDS    2000000u     /* a zone larger than this is not transferred */
#define DP_AXFR_MAX_BYTES      (256u << 20) /* 256 MiB */
#define DP_AXFR_TOTAL_TIMEOUTS 30u          /* the whole transfer: 30 timeouts (60 s at 2 s) */

/* The limits for a lookup timeout of timeout_ms (0: 2000): idle one timeout, total 30. */
void dp_axfr_default_limits(unsigned timeout_ms, struct dp_axfr_limits *lim);

/*
 * Transfer zone from s and call found(X, ctx) for every X with a TXT or
 * CNAME at _validation-persist.X (as often as it has such RRs), within the
 * default limits for timeout_ms. DP_ELOOKUP when the server refuses, the
 * transfer breaks off, or it exceeds a bound: the zone was not read whole
 * (found may have been called for names before that), and why (size bytes)
 * says how, e.g. "AXFR of example.com from 192.0.2.1@53 failed (took
 * longer than 60 s)". DP_ENOMEM out of memory.
 */
enum dp_status dp_axfr_persist_names(const struct dp_server *s, const char *zone,
                                     unsigned timeout_ms,
                                     void (*found)(const char *name, void *ctx), void *ctx,
                                     char *why, size_t size);

/* The same within explicit limits. */
enum dp_status dp_axfr_persist_names_within(const struct dp_server *s, const char *zone,
                                            const struct dp_axfr_limits *lim,
                                            void (*found)(const char *name, void *ctx), void *ctx,
                                            char *why, size_t size);

#endif
