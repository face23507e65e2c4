/* SPDX-License-Identifier: BSD-3-Clause */
/* Diagnostics to stderr with one prefix, so scripts can grep them. */
#include "base/msg.h"

#include <stdarg.h>
#include <stdio.h>

static const char *progname = "dnspersist";

void dp_msg_init(const char *name)
{
	if (name != NULL)
		progname = name;
}

static void vmsg(const char *level, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void vmsg(const char *level, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s", progname, level);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void dp_msg_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg("error: ", fmt, ap);
	va_end(ap);
}

void dp_msg_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

void dp_msg_note(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

void dp_msg_dp_error(const struct dp_error *err)
{
	char buf[1200];
	dp_error_format(err, buf, sizeof(buf));
	dp_msg_error("%s", buf);
}
