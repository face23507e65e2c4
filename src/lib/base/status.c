/* SPDX-License-Identifier: BSD-3-Clause */
/* Status strings and the error context every parser fills. */
#include "base/status.h"

#include <stdio.h>
#include <string.h>

const char *dp_strerror(enum dp_status st)
{
	switch (st) {
	case DP_OK:
		return "success";
	case DP_ENOMEM:
		return "out of memory";
	case DP_EINVAL:
		return "invalid argument";
	case DP_ESYNTAX:
		return "syntax error";
	case DP_EIO:
		return "input/output error";
	case DP_ELIMIT:
		return "limit exceeded";
	case DP_ENOORIGIN:
		return "no origin for a relative name";
	case DP_ELOOKUP:
		return "lookup failed";
	}
	return "unknown status";
}

void dp_error_clear(struct dp_error *err)
{
	if (err == NULL)
		return;
	memset(err, 0, sizeof(*err));
}

enum dp_status dp_error_set(struct dp_error *err, enum dp_status st, const char *file,
                            unsigned long line, unsigned long col, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return st;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	err->line = line;
	err->col = col;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return st;
}

void dp_error_format(const struct dp_error *err, char *buf, size_t size)
{
	if (err->file[0] == '\0')
		snprintf(buf, size, "%s", err->msg);
	else if (err->line == 0)
		snprintf(buf, size, "%s: %s", err->file, err->msg);
	else if (err->col == 0)
		snprintf(buf, size, "%s:%lu: %s", err->file, err->line, err->msg);
	else
		snprintf(buf, size, "%s:%lu:%lu: %s", err->file, err->line, err->col, err->msg);
}
