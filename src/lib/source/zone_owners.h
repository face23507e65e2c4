/* SPDX-License-Identifier: BSD-3-Clause */
/* Internal to the zone-file reader: the owners of kept records, for the CNAME check. */
#ifndef DP_ZONE_OWNERS_H
#define DP_ZONE_OWNERS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/status.h"

struct zone_owners;

/* Owned by the caller; free with zone_owners_free() (NULL is fine). */
struct zone_owners *zone_owners_new(void);
void zone_owners_free(struct zone_owners *o);

/*
 * Note that owner holds a CNAME (cname) or other data; *had is what it held
 * before: 0 nothing, 'C' a CNAME, 'O' other data (a CNAME stays 'C').
 */
enum dp_status zone_owners_note(struct zone_owners *o, const char *owner, bool cname, char *had);

#endif
