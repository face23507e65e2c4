/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The report reader's parts (report_read.c: a report's structure;
 * report_fields.c: one JSON member at a time, typed, bounded, and named in
 * messages by where it is). Not for other modules.
 */
#ifndef DP_REPORT_READ_INT_H
#define DP_REPORT_READ_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "report/report_read.h"

struct dp_arena;
struct dp_strmap;

/* The reader's state: where it is (for messages) and what it has read. */
struct rd {
	const char *file;
	const struct dp_report_limits *lim;
	struct dp_error *err;
	struct dp_report *r;
	struct dp_strmap *mine;   /* this file's names: a finding must be at one of them */
	struct dp_arena *scratch; /* strings of the entry being read, until it is added */
	char where[96];           /* "names[3].records[0]" */
};

/* DP_EINVAL with "where: message" (the member being read) in err. */
enum dp_status dp_rd_bad(struct rd *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* where = "what[i]": the i-th entry of a top-level array. */
void dp_rd_at(struct rd *c, const char *what, size_t i);
/* Append ".member" or "[i]" to where while reading below it; undone by the caller. */
size_t dp_rd_enter(struct rd *c, const char *member);
/*
 * The octets a writer escaped as \xNN (every control, non-ASCII and
 * backslash octet) back as they were, into the scratch arena; *len their
 * number. The result is NUL-ended, and may hold a NUL when len is asked.
 */
enum dp_status dp_rd_unescape(struct rd *c, const char *key, const char *s, size_t n,
                              const char **out, size_t *len);
/* A string member as the writer had it: NULL for null or absent when nullable; bounded. */
enum dp_status dp_rd_get_strn(struct rd *c, const json_t *o, const char *key, bool nullable,
                              const char **out, size_t *len);
/* The same for a string without a NUL. */
enum dp_status dp_rd_get_str(struct rd *c, const json_t *o, const char *key, bool nullable,
                             const char **out);
/* An integer member in [min, max]; *has false for null or absent when nullable. */
enum dp_status dp_rd_get_int(struct rd *c, const json_t *o, const char *key, bool nullable,
                             int64_t min, int64_t max, bool *has, int64_t *out);
/* An array member of at most max entries (absent: empty when optional). */
enum dp_status dp_rd_get_array(struct rd *c, const json_t *o, const char *key, bool optional,
                               size_t max, const json_t **out);
/* A finding key: DP_FINDING_KEY_LEN lower-case hexadecimal digits. */
bool dp_rd_is_hex_key(const char *s);
/*
 * Strings text output prints as they are (issuers, inventory ids, file
 * names): no control octet, which could drive the reader's terminal.
 */
enum dp_status dp_rd_printable(struct rd *c, const char *key, const char *s);
/* Names as reports hold them: DNS names in A-label form, maybe a leading "*.". */
bool dp_rd_plausible_name(const char *s);
/* "source": null, {"file", "line"}, or {"server", "dnssec"} (a live answer). */
enum dp_status dp_rd_get_source(struct rd *c, const json_t *o, char *buf, size_t size,
                                const char **file, unsigned long *line);

#endif
