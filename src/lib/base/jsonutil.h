/* SPDX-License-Identifier: BSD-3-Clause */
/* JSON values for DNS-derived text (jansson), escaped so documents stay valid UTF-8. */
#ifndef DP_JSONUTIL_H
#define DP_JSONUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/* A string of [s, s+len) with control and non-ASCII octets as \xNN; null for NULL. */
json_t *dp_json_str(const char *s, size_t len);
json_t *dp_json_cstr(const char *s);
/* Append v compactly to out and release v; false when out of memory (v NULL too). */
struct dp_buf;
bool dp_json_put(json_t *v, struct dp_buf *out);
/* {"file", "line"}, or null when there is no file (the value came from the command line). */
json_t *dp_json_source(const char *file, unsigned long line);

#endif
