/* SPDX-License-Identifier: BSD-3-Clause */
/* One _validation-persist value: parse, judge as a CA would (per profile), format. */
#ifndef DP_RECORD_H
#define DP_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/status.h"

/* How a CA reads records; they differ exactly as in the spec's section 8. */
enum dp_profile {
	DP_PROFILE_STRICT,  /* the draft's grammar, read literally */
	DP_PROFILE_BOULDER, /* Let's Encrypt's CA */
	DP_PROFILE_PEBBLE,  /* the ACME test CA */
};
#define DP_PROFILE_COUNT 3

const char *dp_profile_name(enum dp_profile p);  /* "strict", "boulder", "pebble" */
const char *dp_profile_label(enum dp_profile p); /* "the draft", "Boulder (Let's Encrypt)", ... */
enum dp_status dp_profile_parse(const char *s, enum dp_profile *out);

enum dp_verdict {
	DP_VERDICT_VALID,
	DP_VERDICT_MALFORMED,
	DP_VERDICT_UNAUTHORIZED,
	DP_VERDICT_NO_RECORD,
	DP_VERDICT_DNS_ERROR,
	DP_VERDICT_IGNORED, /* per record: not this CA's */
};
const char *dp_verdict_name(enum dp_verdict v);

enum dp_account_form {
	DP_ACCOUNT_PLAIN,  /* -00/-01/BR: the ACME account URL */
	DP_ACCOUNT_HASHED, /* -02: <prefix>sha-256/<43 base64url characters> */
};

struct dp_record;

/*
 * Parse one value whose character-strings are already joined ([value,
 * value+len), may hold any octet). Syntax problems are not errors: they are
 * kept inside the record and judged per profile. Fails only with DP_ENOMEM.
 * The caller owns *out and frees it with dp_record_free().
 */
enum dp_status dp_record_parse(const char *value, size_t len, struct dp_record **out);
void dp_record_free(struct dp_record *rec);

/* Issuer as written, trimmed of WSP (may hold any octet; "" when absent). */
const char *dp_record_issuer_raw(const struct dp_record *rec);
/* Issuer lower-cased without trailing dot, or NULL when it cannot be normalized. */
const char *dp_record_issuer(const struct dp_record *rec);
/* accounturi value or NULL; borrowed from rec. */
const char *dp_record_accounturi(const struct dp_record *rec);
enum dp_account_form dp_record_account_form(const struct dp_record *rec);
bool dp_record_policy_wildcard(const struct dp_record *rec);
/* True and *t set when a parseable persistUntil is present. */
bool dp_record_persist_until(const struct dp_record *rec, int64_t *t);
/*
 * Whether the profile accepts the syntax; when not, *reason (borrowed) says
 * why. Issuer attribution is separate (see dp_record_evaluate).
 */
bool dp_record_well_formed(const struct dp_record *rec, enum dp_profile p, const char **reason);
/* Non-fatal remarks (non-canonical spelling, undefined policy): count and i-th text. */
size_t dp_record_note_count(const struct dp_record *rec);
const char *dp_record_note(const struct dp_record *rec, size_t i);

/* What the CA is asked to validate. Strings are borrowed. */
struct dp_ca_request {
	const char *const *issuers; /* the CA's issuer-domain-names, normalized */
	size_t n_issuers;
	const char *const *accounts; /* accounturi values the CA accepts for the account */
	size_t n_accounts;
	bool wildcard; /* the requested name is *.X */
	int64_t now;
};

/*
 * Verdict of one record at the CA under a profile: valid, ignored, malformed
 * or unauthorized, with a one-line reason written into reason.
 */
enum dp_verdict dp_record_evaluate(const struct dp_record *rec, enum dp_profile p,
                                   const struct dp_ca_request *req, char *reason,
                                   size_t reason_size);

/*
 * Combine per-record verdicts as Boulder and Pebble do: any valid wins; else
 * malformed; else unauthorized; no records at all is no-record; records but
 * none for this CA is unauthorized.
 */
enum dp_verdict dp_record_aggregate(const enum dp_verdict *v, size_t n);

/*
 * Describe per-profile verdicts in words, grouped by verdict:
 * "valid at Boulder (Let's Encrypt); malformed under the draft and at Pebble".
 */
void dp_record_describe_profiles(const enum dp_verdict v[DP_PROFILE_COUNT], struct dp_buf *out);
/* "under the draft", "at Boulder (Let's Encrypt)", "at Pebble" */
const char *dp_profile_phrase(enum dp_profile p);

/* What to publish. Strings are borrowed. */
struct dp_record_spec {
	const char *issuer;
	const char *accounturi;
	bool wildcard;
	bool has_persist_until;
	int64_t persist_until;
};

/* Canonical value "issuer; accounturi=U[; policy=wildcard][; persistUntil=T]". */
void dp_record_format(const struct dp_record_spec *spec, struct dp_buf *out);

/*
 * Append a value as zone-file TXT RDATA: quoted character-strings of at most
 * 255 octets each, '"' and '\\' escaped, other non-printables as \DDD.
 */
void dp_record_format_txt_rdata(const char *value, size_t len, struct dp_buf *out);

/*
 * The -02 hashed accounturi: prefix + "sha-256/" + base64url(SHA-256(
 * len(domain) || domain || thumbprint || account_url)). domain is the
 * normalized name the record is published for, or "*" for any domain.
 */
enum dp_status dp_record_hash_account(const char *prefix, const char *domain,
                                      const char *thumbprint, const char *account_url,
                                      struct dp_buf *out, struct dp_error *err);

/* True when s looks like a -02 hashed accounturi. */
bool dp_record_is_hashed_uri(const char *s);

/* Whether s is made of base64url characters only (A-Z a-z 0-9 - _). */
bool dp_is_b64url(const char *s);

#endif
