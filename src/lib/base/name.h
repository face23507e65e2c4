/* SPDX-License-Identifier: BSD-3-Clause */
/* Domain-name helpers on normalized presentation names (lower case, no trailing dot). */
#ifndef DP_NAME_H
#define DP_NAME_H

#include <stdbool.h>
#include <stddef.h>

#include "base/status.h"

#define DP_NAME_MAX 254 /* 253 octets of presentation name + NUL */

/*
 * Normalize a host name as typed by a user or found in a record: lower-case,
 * trailing dot removed, labels 1..63 octets of [a-z0-9_-], total <= 253,
 * and '*' allowed only as the whole leftmost label. Non-ASCII input is
 * refused with a hint to give the A-label (xn--...). out must hold
 * DP_NAME_MAX bytes. err (may be NULL) gets the reason.
 */
enum dp_status dp_name_normalize(const char *in, char out[DP_NAME_MAX], struct dp_error *err);

/*
 * Normalize a name typed by a user (inventory, command line), which may be
 * in Unicode: labels with non-ASCII characters are converted to their
 * A-label (xn--...) with IDNA2008 and the UTS #46 non-transitional mapping
 * (libidn2: NFC input, case folded, so MÜNCHEN and münchen agree and "ß"
 * stays "ß": xn--zca); then the whole name goes through
 * dp_name_normalize(), so ASCII names, "*." and underscore labels behave
 * exactly as there. Input must be UTF-8. On error err (may be NULL) says
 * which label (1 = leftmost) and why. out must hold DP_NAME_MAX bytes.
 */
enum dp_status dp_name_from_input(const char *in, char out[DP_NAME_MAX], struct dp_error *err);

/*
 * The U-label form of a normalized name, for display: every xn-- label
 * decoded, the rest unchanged. NULL when the name has no xn-- label, when
 * an xn-- label is not a valid IDNA2008 A-label (it is then shown as is),
 * or out of memory. The caller owns the result (free()).
 */
char *dp_name_to_display(const char *name);

bool dp_name_is_wildcard(const char *name);
/* Name without a leading "*."; points into name. */
const char *dp_name_strip_wildcard(const char *name);
/* Parent name (points into name), or NULL for a single label. */
const char *dp_name_parent(const char *name);
bool dp_name_equal(const char *a, const char *b);
/* True when name is strictly below ancestor, compared by whole labels. */
bool dp_name_is_below(const char *name, const char *ancestor);
size_t dp_name_label_count(const char *name);
/*
 * RFC 8659 issuer-domain-name grammar: label *("." label), label =
 * (ALPHA / DIGIT) *( *("-") (ALPHA / DIGIT)). No trailing dot, <= 253.
 */
bool dp_name_is_issuer_grammar(const char *s, size_t len);

#endif
