/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a change to the zones does: the effective authorizations of two
 * audited versions (who could issue for which names, until when, whether
 * CAA lets them) compared, and the findings one has and the other has not
 * (matched by finding key). It compares two reports and does no I/O; the
 * renderers (text, JSON, Markdown) only print what it decided.
 */
#ifndef DP_DIFF_H
#define DP_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/status.h"
#include "observe/observe.h"
#include "report/report.h"

/* One CA account's authorization at one name, its records merged. */
struct dp_diff_auth {
	const char *name;
	const char *issuer; /* lower case, no trailing dot */
	const char *accounturi;
	const char *account_id; /* inventory id, or NULL */
	unsigned covers;        /* DP_COVERS_* */
	bool has_until;         /* false: no persistUntil, it lasts until removed */
	int64_t until;
	const char *caa; /* CAA verdict name, or NULL */
	bool caa_allows;
	const char *caa_wild; /* for *.name, when covered */
	bool caa_wild_allows;
	const char *file; /* the record that grants it */
	unsigned long line;
	const char *caa_file; /* the deciding CAA property, or NULL */
	unsigned long caa_line;
};

struct dp_diff_finding {
	char key[DP_FINDING_KEY_LEN + 1];
	enum dp_finding_id id;
	enum dp_severity severity;
	const char *name, *message, *file;
	unsigned long line;
};

/* The CAA RRset at one name: its properties, escaped, sorted and joined by ", ". */
struct dp_diff_caa {
	const char *name;
	const char *set;
	const char *file; /* its first property in source order */
	unsigned long line;
};

/* What one version allows and what its audit found, kept after its run is gone. */
struct dp_diff_side;

/*
 * A side is filled while its version is audited: dp_diff_side_add_auth is
 * the audit's dp_audit_auth_fn (ctx: the side), told every effective
 * authorization once, so that no second pass over a large zone is needed;
 * then dp_diff_side_finish takes the finished report's findings. The
 * caller owns *out (dp_diff_side_free); it borrows nothing from the run.
 */
enum dp_status dp_diff_side_new(struct dp_diff_side **out);
enum dp_status dp_diff_side_add_auth(void *side, const char *name, const struct dp_report_auth *a);
/* The version's CAA sets, from what its run observed (before dp_diff_side_finish). */
enum dp_status dp_diff_side_add_caa(struct dp_diff_side *s, const struct dp_obs *o);
enum dp_status dp_diff_side_finish(struct dp_diff_side *s, const struct dp_report *r);
void dp_diff_side_free(struct dp_diff_side *s);

enum dp_change {
	DP_CHANGE_GRANT,  /* a CA account can now validate names it could not */
	DP_CHANGE_REVOKE, /* ... can no longer */
	DP_CHANGE_CHANGE, /* ... still can, with another scope, lifetime or CAA verdict */
};
const char *dp_change_name(enum dp_change c);

struct dp_diff_change {
	enum dp_change kind;
	const struct dp_diff_auth *old, *new; /* NULL for a grant's old and a revoke's new */
	unsigned gained, lost;                /* DP_COVERS_* that CAA lets be used */
	bool widened;                         /* more names, longer, or CAA now lets it */
};

/*
 * A CAA set added, removed or changed at a name. Informational: CAA alone
 * grants no DNS-PERSIST-01 authorization (those changes are the grants,
 * revokes and changes above, CAA verdict included), but it changes which
 * CAs may issue by any method, which a reviewer should see.
 */
struct dp_diff_caa_change {
	const struct dp_diff_caa *old, *new; /* NULL: no CAA at the name in that version */
};

struct dp_diff;

/* Compare two sides; the diff borrows both, which must outlive it. */
enum dp_status dp_diff_new(const struct dp_diff_side *old, const struct dp_diff_side *new,
                           int64_t now, struct dp_diff **out);
void dp_diff_free(struct dp_diff *d);

int64_t dp_diff_now(const struct dp_diff *d);
size_t dp_diff_change_count(const struct dp_diff *d);
const struct dp_diff_change *dp_diff_change_at(const struct dp_diff *d, size_t i);
/* Findings of the new side without a match in the old, and the reverse. */
size_t dp_diff_new_count(const struct dp_diff *d);
const struct dp_diff_finding *dp_diff_new_at(const struct dp_diff *d, size_t i);
size_t dp_diff_resolved_count(const struct dp_diff *d);
/* CAA sets that differ, by name. */
size_t dp_diff_caa_count(const struct dp_diff *d);
const struct dp_diff_caa_change *dp_diff_caa_at(const struct dp_diff *d, size_t i);
const struct dp_diff_finding *dp_diff_resolved_at(const struct dp_diff *d, size_t i);
/*
 * New findings at or above sev that the baseline (when one is used) does
 * not have; changes that widen who can issue. A baseline never hides a
 * widening: grants are what the change does, not the backlog.
 */
size_t dp_diff_new_at_least(const struct dp_diff *d, enum dp_severity sev);
size_t dp_diff_widened_count(const struct dp_diff *d);

/*
 * A baseline (--baseline REPORT.json): the finding keys of an earlier run,
 * which a repository lives with until it has fixed its backlog. Only the
 * keys are kept, so the report may be freed at once.
 */
struct dp_diff_baseline;
enum dp_status dp_diff_baseline_new(const struct dp_report *r, struct dp_diff_baseline **out);
void dp_diff_baseline_free(struct dp_diff_baseline *b);
/* Mark the new findings b has as existing; b is not kept. */
void dp_diff_use_baseline(struct dp_diff *d, const struct dp_diff_baseline *b);
bool dp_diff_has_baseline(const struct dp_diff *d);
/* Whether new finding i is in the baseline; how many are. */
bool dp_diff_new_existing(const struct dp_diff *d, size_t i);
size_t dp_diff_existing_count(const struct dp_diff *d);

/* ---- renderers: they print what the diff decided -------------------------------- */

struct dp_diff_render_opts {
	const char *old_label, *new_label; /* the operands as given */
	const char *version;               /* tool version for JSON */
};

struct dp_diff_renderer {
	const char *name;
	enum dp_status (*render)(const struct dp_diff *d, const struct dp_diff_render_opts *o,
	                         struct dp_buf *out);
};

/* The diff renderer called name (text, json, markdown), or NULL. */
const struct dp_diff_renderer *dp_diff_renderer_find(const char *name);
/* "text, json, markdown" into out. */
void dp_diff_renderer_list(struct dp_buf *out);

/* The scope CAA lets the CA use (DP_COVERS_*): the name and below under issue, *.name
 * under issuewild. */
unsigned dp_diff_usable(const struct dp_diff_auth *a);
/* Whether the CAA verdict on the name or on *.name went from stopping to letting, or back. */
bool dp_diff_caa_flipped(const struct dp_diff_auth *o, const struct dp_diff_auth *n);

/* Phrases the renderers share: "example.com, *.example.com and names below". */
void dp_diff_covers(struct dp_buf *b, const char *name, unsigned covers);

#endif
