/* SPDX-License-Identifier: BSD-3-Clause */
/* The one checked number parser: every integer read from input goes through here. */
#ifndef DP_NUM_H
#define DP_NUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"

/*
 * Parse [s, s+len) as a base-10 integer within [min, max]. With allow_sign a
 * single leading '+' or '-' is accepted. Returns DP_ESYNTAX for anything but
 * digits (empty included) and DP_ELIMIT when out of range.
 */
enum dp_status dp_parse_int(const char *s, size_t len, bool allow_sign, int64_t min, int64_t max,
                            int64_t *out);

#endif
