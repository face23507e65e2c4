/* SPDX-License-Identifier: BSD-3-Clause */
/* Internal to the zone-file reader: names, TTLs, classes and types as written in a zone. */
#ifndef DP_ZONE_TEXT_H
#define DP_ZONE_TEXT_H

#include "source/zone_reader.h"

/* Append the octets of a character-string token (escapes decoded) to out. */
enum dp_status zone_decode_string(struct reader *r, const struct source *s, const struct tok *t,
                                  struct dp_buf *out, size_t *octets);

/* Resolve a name token against origin into out (absolute, no trailing dot). */
enum dp_status zone_resolve_name(struct reader *r, const struct source *s, const struct tok *t,
                                 const char *origin, bool has_origin, char out[ZNAME_MAX]);

/*
 * A TTL: seconds, or BIND units (1h30m, 2D), at most 2^32-1; above 2^31-1
 * it reads as 0 and *big is set (RFC 2181 section 8, as BIND).
 */
bool zone_parse_ttl(const struct tok *t, uint32_t *out, bool *big);

/* Case-insensitive match of an unquoted token against an upper-case literal. */
bool zone_tok_is(const struct tok *t, const char *lit);

/* 1 for IN, 2 for another class, 0 when the token is not a class. */
int zone_classify_class(const struct tok *t);

/* Type code of a mnemonic in our table (zone_types.c); 0 when not there. */
uint16_t zone_type_by_name(const char *p, size_t len);

/* Type code of a mnemonic or TYPEnnn; 0 when unknown. */
uint16_t zone_classify_type(const struct tok *t);

#endif
