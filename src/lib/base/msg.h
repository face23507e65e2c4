/* SPDX-License-Identifier: BSD-3-Clause */
/* Diagnostics to stderr, prefixed with the program name; only front ends call these. */
#ifndef DP_MSG_H
#define DP_MSG_H

#include "base/status.h"

void dp_msg_init(const char *progname);
void dp_msg_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void dp_msg_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void dp_msg_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print an error context as "prog: file:line:col: msg". */
void dp_msg_dp_error(const struct dp_error *err);

#endif
