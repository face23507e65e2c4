/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The report: findings, and per name the records, the relevant CAA and the
 * effective authorizations. The audit fills it; renderers only read it.
 */
#ifndef DP_REPORT_H
#define DP_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/finding.h"
#include "model/record.h"
#include "base/status.h"

/* The run's overall state, worst first when compared numerically. */
enum dp_level {
	DP_LEVEL_OK,
	DP_LEVEL_NOTICE,
	DP_LEVEL_WARNING,
	DP_LEVEL_CRITICAL,
	DP_LEVEL_UNKNOWN, /* could not evaluate */
};
const char *dp_level_name(enum dp_level l);

/* Read-only views; every pointer is owned by the report. */
struct dp_report_record {
	const char *owner;
	const char *rdata;
	size_t len;
	const char *issuer; /* as written */
	const char *accounturi;
	bool wildcard;
	bool has_persist_until;
	int64_t persist_until;
	enum dp_verdict verdict; /* under the record's CA's profile */
	const char *reason;
	const char *file;
	unsigned long line;
	struct dp_report_record *next;
};

struct dp_report_caa {
	uint8_t flags;
	const char *tag;
	const char *value; /* len octets, then a NUL */
	size_t len;
	const char *file;
	unsigned long line;
	struct dp_report_caa *next;
};

#define DP_COVERS_NAME     1u
#define DP_COVERS_WILDCARD 2u
#define DP_COVERS_BELOW    4u

struct dp_report_auth {
	const char *issuer;
	const char *accounturi;
	const char *account_id; /* inventory id, or NULL */
	const char *via;        /* owner of the record that grants it */
	unsigned covers;        /* DP_COVERS_* */
	bool has_until;
	int64_t until;
	const char *caa;  /* CAA verdict name for this CA and account, or NULL when not read */
	const char *file; /* the record that grants it */
	unsigned long line;
	bool caa_allows;      /* the CAA climb lets this CA and account issue for the name */
	const char *caa_wild; /* the verdict for the wildcard (covers has WILDCARD), or NULL */
	bool caa_wild_allows;
	const char *caa_file; /* the CAA property that decides, or NULL (none, or no CAA) */
	unsigned long caa_line;
	struct dp_report_auth *next;
};

/* A certificate CT shows for the name; strings and lists are the CT observation's. */
struct dp_report_cert {
	const char *issuer;
	const char *const *caa; /* its CAA domains; n_caa 0 when unknown */
	size_t n_caa;
	const char *const *names;
	size_t n_names;
	int64_t not_before, not_after;
	const char *source, *id, *link;
	struct dp_report_cert *next;
};

struct dp_report_name {
	const char *name;
	struct dp_report_record *records;
	const char *caa_owner; /* owner of the relevant CAA RRset, or NULL */
	struct dp_report_caa *caa;
	struct dp_report_auth *auths;
	enum dp_severity worst;
	bool has_earliest;
	int64_t earliest;                   /* the earliest persistUntil of a well-formed record */
	const char *note;                   /* what was not checked, or NULL */
	const struct dp_finding **findings; /* this name's findings, worst first (after finish) */
	size_t n_findings;
	struct dp_report_cert *certs; /* seen in CT (--ct), in the order found */
};

/* Hex digits of a finding key: 64 bits of SHA-256, plenty for one report. */
#define DP_FINDING_KEY_LEN 16

struct dp_finding {
	enum dp_finding_id id;
	enum dp_severity severity;
	const char *name;
	const char *subject; /* what is wrong, independent of where: "issuer account", ... */
	const char *message; /* raw: DNS data in it is escaped by each renderer, once */
	const char *file;
	unsigned long line;
	const char *key; /* as read back from a report file, else NULL: made when asked */
};

struct dp_report;

/* mode is "zone" or "live" (a copy is kept); the caller owns *out (dp_report_free). */
enum dp_status dp_report_new(const char *mode, int64_t now, struct dp_report **out);
void dp_report_free(struct dp_report *r);

/* The entry for name, created on first use (NULL when out of memory). */
struct dp_report_name *dp_report_name(struct dp_report *r, const char *name);
/* Copies of src (strings included) appended to n. */
enum dp_status dp_report_add_record(struct dp_report *r, struct dp_report_name *n,
                                    const struct dp_report_record *src);
enum dp_status dp_report_add_caa(struct dp_report *r, struct dp_report_name *n,
                                 const struct dp_report_caa *src);
enum dp_status dp_report_add_auth(struct dp_report *r, struct dp_report_name *n,
                                  const struct dp_report_auth *src);
/*
 * A finding; DP_SEV_OFF drops it. subject names what is wrong at the name
 * (the CA and account, the CAA property, or "" when the id says it all): it
 * makes the finding's key, so it must not hold a file, a line or wording.
 * file may be NULL. The message is kept as formatted, unescaped.
 */
enum dp_status dp_report_add_finding(struct dp_report *r, enum dp_finding_id id,
                                     enum dp_severity sev, const char *name, const char *subject,
                                     const char *file, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
/*
 * A finding read back from a report file, kept as it was written: the
 * message verbatim and the key it had (a report file does not carry the
 * subject the key was made of; key is DP_FINDING_KEY_LEN hex digits).
 * f->name's entry is created on first use; strings are copied.
 */
enum dp_status dp_report_add_finding_keyed(struct dp_report *r, const struct dp_finding *f,
                                           const char *key);
/* The entry for name, or NULL when the report has none (nothing is created). */
const struct dp_report_name *dp_report_lookup(const struct dp_report *r, const char *name);
/* A certificate seen in CT; src's strings and lists are borrowed (they outlive the report). */
enum dp_status dp_report_add_cert(struct dp_report *r, struct dp_report_name *n,
                                  const struct dp_report_cert *src);
/* The CT cross-check's source and certificates counted (ct_certs; -1 when none ran). */
void dp_report_set_ct(struct dp_report *r, const char *source, long certs);
const char *dp_report_ct_source(const struct dp_report *r);
long dp_report_ct_certs(const struct dp_report *r);
/* The owner of the name's relevant CAA RRset (a copy is kept). */
enum dp_status dp_report_set_caa_owner(struct dp_report *r, struct dp_report_name *n,
                                       const char *owner);

/*
 * Hold only names, findings and counts: a run of a million names must not
 * keep every record, CAA set and authorization until it is printed. fn
 * adds a name's records, CAA and authorizations again when
 * dp_report_load_details() asks for the name (the second pass, made by the
 * run, never by a renderer); they stay valid until the next such call.
 * Findings, notes and unknown reasons added inside fn are ignored (the
 * first pass had them). ctx (size octets) is copied; what it points to must
 * outlive the report.
 */
typedef enum dp_status (*dp_report_detail_fn)(const void *ctx, struct dp_report *r,
                                              struct dp_report_name *n);
enum dp_status dp_report_defer_details(struct dp_report *r, dp_report_detail_fn fn, const void *ctx,
                                       size_t size);
/* Whether records, CAA and authorizations added now are kept (work for them can be skipped). */
bool dp_report_keeps_details(const struct dp_report *r);
/*
 * Whether findings added now are kept: not while a name's details are added
 * again for printing (the first pass has them), so checks that only find
 * can be skipped then.
 */
bool dp_report_keeps_findings(const struct dp_report *r);
/*
 * The second pass: the records, CAA and authorizations of the i-th name (in
 * print order) added again, valid until the next call. Without deferral
 * they are there already and this only returns the name.
 */
enum dp_status dp_report_load_details(struct dp_report *r, size_t i,
                                      const struct dp_report_name **out);

/* Say what was not checked for a name (a copy is kept). */
enum dp_status dp_report_set_note(struct dp_report *r, struct dp_report_name *n, const char *note);
/* What the run could not check as a whole (a copy is kept). */
enum dp_status dp_report_add_note(struct dp_report *r, const char *note);
size_t dp_report_note_count(const struct dp_report *r);
const char *dp_report_note(const struct dp_report *r, size_t i);
/* Mark the run as not fully evaluated (lookups failed). */
void dp_report_set_unknown(struct dp_report *r, const char *why);

/*
 * One shard of a run (scan --shard K/N): which, and digests of what judged
 * it, so that merging refuses shards judged by different rules or
 * inventories. Digests are DP_FINDING_KEY_LEN hex digits.
 */
struct dp_report_shard {
	unsigned index, count;
	char rules[DP_FINDING_KEY_LEN + 1];
	char inventory[DP_FINDING_KEY_LEN + 1];
};
void dp_report_set_shard(struct dp_report *r, const struct dp_report_shard *s);
/* The shard this report is, or NULL for a whole run. */
const struct dp_report_shard *dp_report_shard(const struct dp_report *r);

/*
 * The comparison with a baseline run (report/changes.h), for renderers to
 * show first and front ends to gate on; borrowed, NULL for none.
 */
struct dp_changes;
void dp_report_set_changes(struct dp_report *r, const struct dp_changes *c);
const struct dp_changes *dp_report_changes(const struct dp_report *r);

/* Sort findings worst first (then by name, file, line) and names likewise. */
enum dp_status dp_report_finish(struct dp_report *r);

const char *dp_report_mode(const struct dp_report *r);
int64_t dp_report_now(const struct dp_report *r);
size_t dp_report_name_count(const struct dp_report *r);
/* The i-th name in print order; its details only as dp_report_load_details() left them. */
const struct dp_report_name *dp_report_name_at(const struct dp_report *r, size_t i);
size_t dp_report_finding_count(const struct dp_report *r);
/*
 * The i-th finding's key (after dp_report_finish): SHA-256 of id, name,
 * subject and the ordinal among findings identical in those three, as
 * DP_FINDING_KEY_LEN hex digits. Made when asked, so that a million
 * findings do not each carry one.
 */
void dp_report_finding_key(const struct dp_report *r, size_t i, char key[DP_FINDING_KEY_LEN + 1]);
const struct dp_finding *dp_report_finding(const struct dp_report *r, size_t i);
size_t dp_report_count(const struct dp_report *r, enum dp_severity s);
enum dp_level dp_report_level(const struct dp_report *r);
const char *dp_report_unknown_reason(const struct dp_report *r);
/* Records seen, for the summary line. */
size_t dp_report_record_count(const struct dp_report *r);

#endif
