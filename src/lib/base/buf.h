/* SPDX-License-Identifier: BSD-3-Clause */
/* A growable byte buffer with sticky allocation failure, for building output and values. */
#ifndef DP_BUF_H
#define DP_BUF_H

#include <stdbool.h>
#include <stddef.h>

#include "base/status.h"

/*
 * Caller-owned; zero-initialise (`struct dp_buf b = {0};`) and release with
 * dp_buf_free(). data is always NUL-terminated once anything was added.
 * After an allocation failure every add is a no-op and dp_buf_status()
 * reports DP_ENOMEM, so callers check once at the end. Every add also
 * accepts a NULL buffer and does nothing, so a function can build a
 * message only when its caller asked for one.
 */
struct dp_buf {
	char *data;
	size_t len;
	size_t cap;
	bool failed;
};

void dp_buf_free(struct dp_buf *b);
void dp_buf_reset(struct dp_buf *b);
void dp_buf_add(struct dp_buf *b, const void *data, size_t len);
/* Room for n more octets (and the NUL) without another allocation. */
void dp_buf_reserve(struct dp_buf *b, size_t n);
void dp_buf_adds(struct dp_buf *b, const char *s);
void dp_buf_addc(struct dp_buf *b, char c);
void dp_buf_addf(struct dp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* An unsigned number in decimal: dp_buf_addf's "%lu" without its format parsing. */
void dp_buf_add_ulong(struct dp_buf *b, unsigned long v);
/* Add bytes for a terminal: control characters, DEL, bytes >= 0x80 and '\\' become \xNN. */
void dp_buf_add_escaped(struct dp_buf *b, const void *data, size_t len);
enum dp_status dp_buf_status(const struct dp_buf *b);
/* Hand the data over to the caller (free()), leaving b empty; "" when nothing was added. */
char *dp_buf_steal(struct dp_buf *b);

/*
 * Where a datum came from: "file:line" for zone files; for live answers,
 * which have line 0 and a source "server status", "192.0.2.1@53, DNSSEC
 * secure".
 */
void dp_buf_add_where(struct dp_buf *b, const char *file, unsigned long line);

/*
 * The strings given (a NULL ends them) one after the other in out, cut to
 * size - 1 octets and NUL-terminated as snprintf would cut them: for paths
 * run once per name, where snprintf's format parsing costs more than the
 * copy. Returns out.
 */
char *dp_str_join(char *out, size_t size, ...) __attribute__((sentinel));

#endif
