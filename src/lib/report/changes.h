/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What changed since a baseline run (--baseline PREVIOUS.json): findings
 * new and resolved, matched by finding key; authorizations granted and
 * revoked; records whose persistUntil moved. Findings the baseline had are
 * "existing": they do not fail the gate. Renderers (text, JSON, HTML) show
 * the changes from dp_report_changes(); front ends decide exit status with
 * dp_changes_existing().
 */
#ifndef DP_CHANGES_H
#define DP_CHANGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/report.h"

enum dp_change_kind {
	DP_CHANGE_NEW,      /* a finding the baseline did not have */
	DP_CHANGE_RESOLVED, /* a baseline finding this run does not have */
	DP_CHANGE_GRANTED,  /* an authorization (CA, account, names covered) the baseline lacked */
	DP_CHANGE_REVOKED,  /* a baseline authorization this run does not have */
	DP_CHANGE_MOVED,    /* a record (owner, CA, account) whose persistUntil changed */
};
#define DP_CHANGE_KINDS 5

/* "new", "resolved", "granted", "revoked", "persist_until_moved" */
const char *dp_change_kind_name(enum dp_change_kind k);

/* One change; strings are owned by the changes. */
struct dp_change {
	enum dp_change_kind kind;
	const char *name; /* the report name */
	/* NEW, RESOLVED: the finding */
	enum dp_finding_id id;
	enum dp_severity severity;
	const char *key;
	const char *message;
	/* GRANTED, REVOKED: the authorization; MOVED: the record's CA and account */
	const char *issuer, *accounturi;
	const char *account; /* inventory id, or NULL */
	unsigned covers;     /* DP_COVERS_* (GRANTED, REVOKED) */
	const char *owner;   /* MOVED: the record's owner */
	/* GRANTED, REVOKED: until when; MOVED: the baseline's persistUntil (was) and this run's */
	bool had_was, has_until;
	int64_t was, until;
};

struct dp_changes;

/*
 * Compare cur with base. cur is not const: its names' details are loaded
 * one by one (the second pass) to compare authorizations and records.
 * Changes come sorted by kind, then name. The caller owns *out
 * (dp_changes_free); it keeps no pointer into either report.
 */
enum dp_status dp_changes_compare(const struct dp_report *base, struct dp_report *cur,
                                  struct dp_changes **out);
/*
 * The same against the JSON report at path (an earlier run's --format json
 * output), read with the default limits; err says why it could not be.
 */
enum dp_status dp_changes_since_file(const char *path, struct dp_report *cur,
                                     struct dp_changes **out, struct dp_error *err);
void dp_changes_free(struct dp_changes *c);

size_t dp_changes_count(const struct dp_changes *c);
const struct dp_change *dp_changes_at(const struct dp_changes *c, size_t i);
size_t dp_changes_count_kind(const struct dp_changes *c, enum dp_change_kind k);
/* Whether finding i of the compared report was in the baseline (by key). */
bool dp_changes_existing(const struct dp_changes *c, size_t i);
/* The baseline run's "now". */
int64_t dp_changes_baseline_now(const struct dp_changes *c);

#endif
