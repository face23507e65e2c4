/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Zone transfer (AXFR, read-only) to find the names of a zone that carry
 * _validation-persist records, so that a live scan sees records at names the
 * inventory does not list, as a zone-file scan does.
 */
#ifndef DP_AXFR_H
#define DP_AXFR_H

#include <stddef.h>

#include "dns/resolve.h"
#include "base/status.h"

/*
 * Transfer zone from s and call found(X, ctx) for every X with a TXT or
 * CNAME at _validation-persist.X (as often as it has such RRs). DP_ELOOKUP when the server
 * refuses or the transfer fails; why (size bytes) says how.
 */
enum dp_status dp_axfr_persist_names(const struct dp_server *s, const char *zone,
                                     unsigned timeout_ms,
                                     void (*found)(const char *name, void *ctx), void *ctx,
                                     char *why, size_t size);

#endif
