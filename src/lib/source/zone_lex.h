/* SPDX-License-Identifier: BSD-3-Clause */
/* Internal to the zone-file reader: the lexer that turns a source's bytes into entries. */
#ifndef DP_ZONE_LEX_H
#define DP_ZONE_LEX_H

#include "source/zone_reader.h"

enum lex_result { LEX_ENTRY, LEX_EOF, LEX_MORE, LEX_ERROR, LEX_SKIPPED };

/* Lex the next entry from s->pos into r->e; LEX_MORE asks for zone_refill(). */
enum lex_result zone_lex_entry(struct reader *r, struct source *s);

/* Move the unconsumed tail to the front and read more; grow for long entries. */
enum dp_status zone_refill(struct reader *r, struct source *s);

#endif
