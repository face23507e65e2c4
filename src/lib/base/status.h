/* SPDX-License-Identifier: BSD-3-Clause */
/* One status enum for every fallible library call, and the caller-owned error context. */
#ifndef DP_STATUS_H
#define DP_STATUS_H

#include <stdarg.h>
#include <stddef.h>

enum dp_status {
	DP_OK = 0,
	DP_ENOMEM,    /* out of memory */
	DP_EINVAL,    /* bad argument (usage error) */
	DP_ESYNTAX,   /* input does not parse */
	DP_EIO,       /* file could not be read */
	DP_ELIMIT,    /* an input exceeded a built-in limit */
	DP_ENOORIGIN, /* a relative name with no origin to complete it */
	DP_ELOOKUP,   /* a DNS lookup could not be completed */
};

/* Static string for a status; never NULL. */
const char *dp_strerror(enum dp_status st);

/*
 * Where and why an input was rejected. Owned by the caller, filled by the
 * library; file/line/col are 0/empty when unknown.
 */
struct dp_error {
	char file[512];
	unsigned long line;
	unsigned long col;
	char msg[512];
};

void dp_error_clear(struct dp_error *err);

/* Fill err (may be NULL) and return st, so callers can write `return dp_error_set(...)`. */
enum dp_status dp_error_set(struct dp_error *err, enum dp_status st, const char *file,
                            unsigned long line, unsigned long col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Format "file:line:col: msg" (parts omitted when unknown) into buf. */
void dp_error_format(const struct dp_error *err, char *buf, size_t size);

#endif
