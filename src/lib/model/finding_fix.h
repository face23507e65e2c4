/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * How to fix each finding: the "**Fix:**" text of docs/findings.md, compiled
 * in at build time (build-aux/findings-fix.awk) so reports carry it without
 * reading the docs at run time and it cannot drift from them.
 */
#ifndef DP_FINDING_FIX_H
#define DP_FINDING_FIX_H

#include "model/finding.h"

/*
 * The fix text of a finding id (static; markdown: `code` in backticks), or
 * NULL when docs/findings.md gives none (tests/unit/test_finding_fix.c
 * requires one for every id).
 */
const char *dp_finding_fix(enum dp_finding_id id);

#endif
