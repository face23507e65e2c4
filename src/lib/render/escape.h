/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Escaping of DNS and zone-file data for the markup renderers: HTML text
 * and attribute values (inline SVG included), Markdown table cells, and
 * OpenMetrics label values.
 * One function per medium, so that no renderer writes data any other way.
 */
#ifndef DP_ESCAPE_H
#define DP_ESCAPE_H

#include <stddef.h>

#include "base/buf.h"

/*
 * [s, s+len) as HTML or XML character data (the HTML report, SVG text,
 * JUnit), valid in text and in a quoted attribute value alike: & < > " ' become character
 * references, and control characters, DEL and every octet >= 0x80 become
 * the visible text \xNN, as is a backslash (never a character reference: references to
 * controls are errors, and raw non-ASCII could be invalid UTF-8 or a bidi
 * override). s may be NULL (nothing is added).
 */
void dp_esc_html(struct dp_buf *b, const char *s, size_t len);
/* The same for a NUL-terminated string (NULL adds nothing). */
void dp_esc_html_str(struct dp_buf *b, const char *s);

/*
 * A string already validated as printable UTF-8 without bidi controls (a
 * name's U-label form from dp_name_to_display): markup characters and
 * ASCII controls escaped as in dp_esc_html, octets >= 0x80 kept.
 */
void dp_esc_html_utf8(struct dp_buf *b, const char *s);

/*
 * s (NULL adds nothing) in a Markdown table cell, for a pull-request comment
 * or a CI job summary: controls become \xNN first (dp_buf_add_escaped),
 * < > & become character references, and every mark that could make
 * markup, a column or line break, an autolink (www., ://) or a mention (@,
 * #) is backslash-escaped.
 */
void dp_esc_md_cell(struct dp_buf *b, const char *s);

/*
 * A label value of the Prometheus and OpenMetrics text formats, without
 * the quotes: \ " and newline escaped as the formats define (\\ \" \n);
 * other controls, DEL and octets >= 0x80 as the text \\xNN (a backslash
 * itself escaped), so the value stays ASCII and parses everywhere.
 */
void dp_esc_label(struct dp_buf *b, const char *s);

#endif
