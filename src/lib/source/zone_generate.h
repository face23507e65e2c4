/* SPDX-License-Identifier: BSD-3-Clause */
/* Internal to the zone-file reader: BIND's $GENERATE directive. */
#ifndef DP_ZONE_GENERATE_H
#define DP_ZONE_GENERATE_H

#include "source/zone_reader.h"

/*
 * The $GENERATE in r->e: at most DP_ZONE_MAX_GENERATE records, each read
 * as a line of s at the directive's line (messages say "$GENERATE:").
 */
enum dp_status zone_generate(struct reader *r, struct source *s);

#endif
