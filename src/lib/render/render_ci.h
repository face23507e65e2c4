/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the CI formats (sarif, github, junit, codequality) share: where a
 * finding is in the repository, each CI system's severity words, the
 * finding catalogue's prose (made from docs/findings.md at build time) and
 * the escaping each medium needs. DNS data is hostile: every text that
 * carries it goes through dp_ci_text() first, which leaves printable ASCII
 * only, then through the medium's own escaping.
 */
#ifndef DP_RENDER_CI_H
#define DP_RENDER_CI_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "render/render.h"
#include "report/report.h"

/* Where CI systems put a finding: a repository-relative path and a line, or nothing. */
struct dp_ci_where {
	char *path;         /* relative to the base directory, '/'-separated; NULL when none */
	unsigned long line; /* 1 when the finding has a file but no line */
};

/*
 * The finding's file relative to base (NULL: the current directory):
 * "zones/a.zone" for "./zones/a.zone" or "/repo/zones/a.zone" run in /repo.
 * Live answers (line 0, "server status") and files outside base have no
 * path. The caller frees w->path.
 */
void dp_ci_where(const struct dp_finding *f, const char *base, struct dp_ci_where *w);
/*
 * The same, but a finding with no file in the repository (a live answer)
 * points at line 1 of the inventory, when there is one: code scanning and
 * Code Quality show only what has a file.
 */
void dp_ci_where_or_inventory(const struct dp_finding *f, const struct dp_render_opts *o,
                              struct dp_ci_where *w);

/* The finding's id, and the catalogue's description and fix (NULL when docs have none). */
const char *dp_ci_id(const struct dp_finding *f);
struct dp_ci_doc {
	const char *description; /* Markdown, as docs/findings.md has it */
	const char *fix;         /* Markdown, or NULL */
};
void dp_ci_doc(enum dp_finding_id id, struct dp_ci_doc *d);
/* Markdown as plain text: `code`, **bold** and [text](link) lose their marks. */
void dp_ci_plain(struct dp_buf *out, const char *md);

/* DNS data as printable ASCII: controls, DEL, '\\' and non-ASCII as \xNN. */
void dp_ci_text(struct dp_buf *out, const char *s);
/* Percent-encoding of everything but unreserved characters and '/', for URIs. */
void dp_ci_uri(struct dp_buf *out, const char *s);

/*
 * Was finding i there before: in the --baseline run, or (diff) in OLD?
 * Those are reported as existing (SARIF baselineState "unchanged", a GitHub
 * notice, a skipped JUnit test), not as new failures, as they fail no gate.
 * False when there is nothing to compare with (dp_ci_has_baseline false).
 */
bool dp_ci_existing(const struct dp_report *r, const struct dp_render_opts *o, size_t i);
bool dp_ci_has_baseline(const struct dp_report *r, const struct dp_render_opts *o);
/* "in the baseline", or the front end's word for it (diff: OLD had it too). */
const char *dp_ci_existing_label(const struct dp_render_opts *o);

/* CI names for severities: SARIF level, SARIF security-severity, Code Quality severity. */
const char *dp_ci_sarif_level(enum dp_severity s);
const char *dp_ci_security_severity(enum dp_severity s);
const char *dp_ci_codequality_severity(enum dp_severity s);

#endif
