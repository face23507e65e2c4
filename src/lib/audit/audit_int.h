/* SPDX-License-Identifier: BSD-3-Clause */
/* What the audit's modules share: a name's parsed records, the check contexts, emitters. */
#ifndef DP_AUDIT_INT_H
#define DP_AUDIT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "audit/audit.h"
#include "base/buf.h"
#include "base/name.h"

#define DAY 86400

/* A record of the audited name, parsed and attributed once for every check. */
struct parsed {
	const struct dp_obs_txt *txt;
	struct dp_record *rec;
	const struct dp_inv_ca *ca; /* the inventory CA named by the issuer */
	const struct dp_inv_account *acct;
	enum dp_profile profile; /* the CA's, or strict */
	enum dp_verdict verdict; /* under profile, judged against its own account, now */
	char reason[512];
};

/* The records at _validation-persist.NAME (after a CNAME, if any). */
struct records {
	struct parsed *p;
	size_t n;
	const char *owner; /* where they were found */
	char own[DP_NAME_MAX + 24];
};

/* One name under examination. */
struct scope {
	const struct dp_audit_input *in;
	struct dp_report *r;
	struct dp_report_name *rn;
	const char *name;
	const struct dp_inv_domain *dom;
	const char *owned_zone;
	bool lint;
	const struct records *recs; /* the name's records, parsed once (audit_name) */
};

/* One record under examination. */
struct rec_ctx {
	const struct scope *s;
	const struct dp_audit_input *in;
	struct dp_report *r;
	const char *name;                /* the name audited (X of _validation-persist.X) */
	const struct dp_inv_domain *dom; /* NULL in lint and for unlisted names */
	const char *owned_zone;          /* set for unlisted names in an owned zone */
	const char *owner;               /* where the record was found */
	const struct records *recs;      /* every record of the name */
	size_t index;                    /* this one's */
	const struct dp_obs_txt *txt;    /* the fields below are recs->p[index]'s */
	const struct dp_record *rec;
	const struct dp_inv_ca *ca;
	const struct dp_inv_account *acct;
	const struct dp_inv_auth *auth; /* the expected authorization it serves */
	enum dp_profile profile;
	enum dp_verdict verdict;
	const char *reason;
	bool lint;
};

/* A record some CA would use today (valid against its own account), and where it is. */
struct grant {
	const struct parsed *p;
	const char *via;
};

/*
 * A finding at the name with the catalogue's severity, as the rule set may
 * override it. Messages carry DNS data as it is: each renderer escapes it
 * for its medium, once.
 */
enum dp_status dp_audit_emit(const struct scope *s, enum dp_finding_id id, const char *subject,
                             const char *file, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* "issuer accounturi" of a record, else its value: what a record finding is about. */
const char *dp_audit_record_subject(const struct dp_record *rec, const struct dp_obs_txt *txt,
                                    struct dp_buf *b);

/* records.c */
/* explain: each record's reason for its verdict too (else only a malformed one's) */
enum dp_status dp_audit_load_records(const struct dp_audit_input *in, const char *name,
                                     bool explain, struct records *out);
void dp_audit_free_records(struct records *r);
enum dp_status dp_audit_records(const struct scope *s);

/* caa.c */
struct caa_ask {
	const char *name; /* the certificate name's base (no "*.") */
	bool wildcard;
	const char *const *ids; /* the CA's CAA identities */
	size_t n_ids;
	const char *account;
	/* "ISSUER account ACCOUNT" in messages and the finding's subject, made
	 * only when a finding follows (most records get none) */
	const char *who_issuer, *who_account;
	const char *file; /* where to point when no CAA property decided */
	unsigned long line;
};
enum dp_status dp_audit_check_caa(const struct scope *s, const struct caa_ask *q,
                                  enum dp_caa_verdict *verdict);
enum dp_status dp_audit_caa_for_grant(const struct scope *s, const struct grant *g,
                                      struct dp_report_auth *a);
enum dp_status dp_audit_report_caa(const struct scope *s);
bool dp_audit_climb_cut(const struct dp_audit_input *in, const char *name);

/* expect.c: what the inventory expects, and what the records let happen */
enum dp_status dp_audit_expected(const struct scope *s);
enum dp_status dp_audit_effective(const struct scope *s);
bool dp_audit_reaches_below(const struct parsed *p);

/* dns.c: what live lookups met; *stop when the name cannot be judged */
enum dp_status dp_audit_dns(const struct scope *s, bool *stop);
/* dns.c: CNAME chains a CA's lookups cannot follow (cname-loop) */
enum dp_status dp_audit_loops(const struct scope *s);

/* ct.c: what CT logs show against what the inventory and the records allow */
enum dp_status dp_audit_ct(const struct scope *s);
/* ct.c: the run-wide part: zones not cross-checked, owned names no entry covers */
enum dp_status dp_audit_ct_run(const struct dp_audit_input *in, struct dp_report *r);
/* directory.c: the CAs' ACME directories against the inventory */
enum dp_status dp_audit_directories(const struct dp_audit_input *in, struct dp_report *r);

#endif
