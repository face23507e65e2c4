/* SPDX-License-Identifier: BSD-3-Clause */
/* Renderers for the result of "dnspersist verify": text for people, JSON for machines. */
#ifndef DP_RENDER_VERIFY_H
#define DP_RENDER_VERIFY_H

#include "base/buf.h"
#include "base/status.h"
#include "model/verify.h"

/* Append the text report; DNS data is escaped for a terminal. */
enum dp_status dp_render_verify_text(const struct dp_verify *v, struct dp_buf *out);
/* Append the JSON document (ARCHITECTURE.md section 4) and a newline. */
enum dp_status dp_render_verify_json(const struct dp_verify *v, struct dp_buf *out);

#endif
