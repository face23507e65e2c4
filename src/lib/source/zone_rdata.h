/* SPDX-License-Identifier: BSD-3-Clause */
/* Internal to the zone-file reader: the RDATA of the kept types (TXT, CAA, CNAME). */
#ifndef DP_ZONE_RDATA_H
#define DP_ZONE_RDATA_H

#include "source/zone_reader.h"

/* The RDATA of r->e from token i into rr (pointers into r->rdata, r->scratch). */
enum dp_status zone_parse_txt(struct reader *r, const struct source *s, size_t i,
                              struct dp_zrr *rr);
enum dp_status zone_parse_caa(struct reader *r, const struct source *s, size_t i,
                              struct dp_zrr *rr);
enum dp_status zone_parse_cname(struct reader *r, const struct source *s, size_t i,
                                char target[ZNAME_MAX]);

#endif
