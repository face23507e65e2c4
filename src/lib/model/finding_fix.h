/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What each finding means and how to fix it: the prose of docs/findings.md,
 * compiled in at build time (build-aux/findings-doc.awk) so reports carry it
 * without reading the docs at run time and it cannot drift from them.
 */
#ifndef DP_FINDING_FIX_H
#define DP_FINDING_FIX_H

#include <stdbool.h>

#include "model/finding.h"

/*
 * The fix text of a finding id (static; markdown: `code` in backticks), or
 * NULL when docs/findings.md gives none (tests/unit/test_finding_fix.c
 * requires one for every id).
 */
const char *dp_finding_fix(enum dp_finding_id id);
/*
 * The section of an id: its description (the prose before "**Fix:**", the
 * severity lead dropped: rules may change severities) and its fix (NULL
 * when none). False when docs/findings.md has no section for id.
 */
bool dp_finding_doc(enum dp_finding_id id, const char **description, const char **fix);

#endif
