/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The _validation-persist record engine. A value is parsed once into a
 * profile-neutral form that remembers, for each profile, the first reason it
 * would call the record malformed; evaluation then applies one profile.
 */
#include "model/record.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/issuevalue.h"
#include "base/name.h"
#include "base/num.h"
#include "base/timeutil.h"

#define MAX_NOTES    8
#define ALL_PROFILES 7u
#define P_STRICT     (1u << DP_PROFILE_STRICT)
#define P_BOULDER    (1u << DP_PROFILE_BOULDER)
#define P_PEBBLE     (1u << DP_PROFILE_PEBBLE)

struct dp_record {
	char *copy;            /* private copy of the value, NUL-terminated */
	struct dp_span issuer; /* raw issuer, WSP-trimmed, points into copy */
	char *issuer_raw;      /* issuer as a C string (truncated at a NUL octet) */
	char *issuer_norm;     /* lower case, no trailing dot; NULL if not a host name */
	bool issuer_grammatical;
	char *accounturi;
	bool wildcard;
	bool has_persist_until;
	int64_t persist_until;
	char *problem[DP_PROFILE_COUNT]; /* first fatal reason per profile */
	char *notes[MAX_NOTES];
	size_t n_notes;
	bool oom;
	/* copy, issuer_raw, issuer_norm and accounturi, each at most the value's
	 * length and a NUL: one allocation with the record, not five */
	size_t pool_used;
	char pool[];
};

static const char *const profile_names[DP_PROFILE_COUNT] = {"strict", "boulder", "pebble"};
static const char *const profile_labels[DP_PROFILE_COUNT] = {"the draft", "Boulder (Let's Encrypt)",
                                                             "Pebble"};

const char *dp_profile_name(enum dp_profile p)
{
	return (unsigned)p < DP_PROFILE_COUNT ? profile_names[p] : "?";
}

const char *dp_profile_label(enum dp_profile p)
{
	return (unsigned)p < DP_PROFILE_COUNT ? profile_labels[p] : "?";
}

const char *dp_profile_phrase(enum dp_profile p)
{
	static const char *const ph[DP_PROFILE_COUNT] = {"under the draft",
	                                                 "at Boulder (Let's Encrypt)", "at Pebble"};
	return (unsigned)p < DP_PROFILE_COUNT ? ph[p] : "?";
}

void dp_record_describe_profiles(const enum dp_verdict v[DP_PROFILE_COUNT], struct dp_buf *out)
{
	bool done[DP_PROFILE_COUNT] = {false};
	bool first_group = true;

	for (unsigned i = 0; i < DP_PROFILE_COUNT; i++) {
		if (done[i])
			continue;
		dp_buf_addf(out, "%s%s %s", first_group ? "" : "; ", dp_verdict_name(v[i]),
		            dp_profile_phrase((enum dp_profile)i));
		first_group = false;
		for (unsigned j = i + 1; j < DP_PROFILE_COUNT; j++) {
			if (v[j] == v[i] && !done[j]) {
				dp_buf_addf(out, " and %s", dp_profile_phrase((enum dp_profile)j));
				done[j] = true;
			}
		}
	}
}

enum dp_status dp_profile_parse(const char *s, enum dp_profile *out)
{
	for (unsigned i = 0; i < DP_PROFILE_COUNT; i++) {
		if (strcmp(s, profile_names[i]) == 0) {
			*out = (enum dp_profile)i;
			return DP_OK;
		}
	}
	return DP_EINVAL;
}

const char *dp_verdict_name(enum dp_verdict v)
{
	switch (v) {
	case DP_VERDICT_VALID:
		return "valid";
	case DP_VERDICT_MALFORMED:
		return "malformed";
	case DP_VERDICT_UNAUTHORIZED:
		return "unauthorized";
	case DP_VERDICT_NO_RECORD:
		return "no-record";
	case DP_VERDICT_DNS_ERROR:
		return "dns-error";
	case DP_VERDICT_IGNORED:
		return "ignored";
	}
	return "?";
}

/*
 * A bounded copy of a span for messages, as it is: the renderer escapes it
 * for its medium, once. A NUL ends it (messages are C strings).
 */
static void add_span(struct dp_buf *b, struct dp_span s)
{
	size_t n = s.len > 80 ? 80 : s.len;
	const char *nul = memchr(s.p, '\0', n);

	if (nul != NULL)
		n = (size_t)(nul - s.p);
	dp_buf_add(b, s.p, n);
	if (n < s.len)
		dp_buf_adds(b, "...");
}

static void fatal(struct dp_record *r, unsigned mask, struct dp_buf *msg)
{
	for (unsigned p = 0; p < DP_PROFILE_COUNT; p++) {
		if (!(mask & (1u << p)) || r->problem[p] != NULL)
			continue;
		r->problem[p] = strdup(msg->data ? msg->data : "");
		if (r->problem[p] == NULL)
			r->oom = true;
	}
	if (dp_buf_status(msg) != DP_OK)
		r->oom = true;
	dp_buf_reset(msg);
}

static void note(struct dp_record *r, struct dp_buf *msg)
{
	if (r->n_notes < MAX_NOTES) {
		r->notes[r->n_notes] = strdup(msg->data ? msg->data : "");
		if (r->notes[r->n_notes] == NULL)
			r->oom = true;
		else
			r->n_notes++;
	}
	dp_buf_reset(msg);
}

/* A NUL-terminated copy of s in the record's pool (sized for every copy it takes). */
static char *span_dup(struct dp_record *r, struct dp_span s)
{
	char *p = r->pool + r->pool_used;

	memcpy(p, s.p, s.len);
	p[s.len] = '\0';
	r->pool_used += s.len + 1;
	return p;
}

/*
 * Normalize as Boulder does: lower case, one trailing dot removed, LDH
 * labels. grammatical: what dp_name_is_issuer_grammar said of all of s.
 */
static char *normalize_issuer(struct dp_record *r, struct dp_span s, bool grammatical)
{
	char *n;
	size_t len = s.len;

	if (len > 0 && s.p[len - 1] == '.')
		len--;
	if (len == s.len ? !grammatical : !dp_name_is_issuer_grammar(s.p, len))
		return NULL;
	n = span_dup(r, (struct dp_span){s.p, len});
	for (size_t i = 0; i < len; i++)
		if (n[i] >= 'A' && n[i] <= 'Z')
			n[i] = (char)(n[i] - 'A' + 'a');
	return n;
}

static void parse_issuer(struct dp_record *r, struct dp_span s)
{
	r->issuer = s;
	r->issuer_raw = span_dup(r, s);
	r->issuer_grammatical = s.len == 0 || dp_name_is_issuer_grammar(s.p, s.len);
	if (s.len > 0)
		r->issuer_norm = normalize_issuer(r, s, r->issuer_grammatical);
}

/* Known tags, matched case-insensitively; index into seen[]. */
enum { TAG_ACCOUNTURI, TAG_POLICY, TAG_PERSISTUNTIL, TAG_UNKNOWN };
static const char *const known_tags[] = {"accounturi", "policy", "persistUntil"};

static int classify_tag(struct dp_span tag)
{
	for (int i = 0; i < TAG_UNKNOWN; i++)
		if (dp_span_is(tag, known_tags[i], true))
			return i;
	return TAG_UNKNOWN;
}

struct parse_ctx {
	struct dp_record *r;
	struct dp_buf msg;
	bool seen[TAG_UNKNOWN];
	struct dp_span unknown[16]; /* unknown tags seen, for duplicate detection */
	size_t n_unknown;
};

static void param_persist_until(struct parse_ctx *c, struct dp_span v)
{
	int64_t t;

	if (dp_parse_int(v.p, v.len, true, INT64_MIN, INT64_MAX, &t) != DP_OK) {
		dp_buf_adds(&c->msg, "persistUntil '");
		add_span(&c->msg, v);
		dp_buf_adds(&c->msg, "' is not a base-10 integer of UNIX seconds");
		fatal(c->r, ALL_PROFILES, &c->msg);
		return;
	}
	c->r->has_persist_until = true;
	c->r->persist_until = t;
	if (v.p[0] == '+' || v.p[0] == '-' || (v.p[0] == '0' && v.len > 1)) {
		dp_buf_adds(&c->msg, "persistUntil '");
		add_span(&c->msg, v);
		dp_buf_adds(&c->msg, "' is non-canonical (sign or leading zero); CAs parse it as ");
		dp_buf_addf(&c->msg, "%lld", (long long)t);
		note(c->r, &c->msg);
	}
}

static void param_known(struct parse_ctx *c, int k, struct dp_span tag, struct dp_span v)
{
	if (c->seen[k]) {
		dp_buf_addf(&c->msg, "parameter '%s' appears more than once", known_tags[k]);
		fatal(c->r, ALL_PROFILES, &c->msg);
		return;
	}
	c->seen[k] = true;
	if (!dp_span_is(tag, known_tags[k], false)) {
		dp_buf_adds(&c->msg, "tag '");
		add_span(&c->msg, tag);
		dp_buf_addf(&c->msg,
		            "' is matched case-insensitively by CAs; the draft spells it '%s'",
		            known_tags[k]);
		note(c->r, &c->msg);
	}
	if (k == TAG_ACCOUNTURI) {
		if (v.len == 0) {
			dp_buf_adds(&c->msg, "accounturi is empty");
			fatal(c->r, ALL_PROFILES, &c->msg);
			return;
		}
		c->r->accounturi = span_dup(c->r, v);
	} else if (k == TAG_POLICY) {
		c->r->wildcard = dp_span_is(v, "wildcard", true);
		if (!c->r->wildcard && v.len > 0) {
			dp_buf_adds(&c->msg, "policy '");
			add_span(&c->msg, v);
			dp_buf_adds(&c->msg, "' is not defined and counts as absent");
			note(c->r, &c->msg);
		}
	} else {
		param_persist_until(c, v);
	}
}

static void param_unknown(struct parse_ctx *c, struct dp_span tag)
{
	for (size_t i = 0; i < c->n_unknown; i++) {
		if (c->unknown[i].len == tag.len &&
		    strncasecmp(c->unknown[i].p, tag.p, tag.len) == 0) {
			dp_buf_adds(&c->msg, "unknown parameter '");
			add_span(&c->msg, tag);
			dp_buf_adds(&c->msg, "' appears more than once");
			fatal(c->r, P_STRICT | P_PEBBLE, &c->msg);
			return;
		}
	}
	if (c->n_unknown < sizeof(c->unknown) / sizeof(c->unknown[0]))
		c->unknown[c->n_unknown++] = tag;
}

static void parse_param(struct parse_ctx *c, struct dp_span seg)
{
	struct dp_span s = dp_span_trim(seg.p, seg.len), tag, v;
	const char *eq;

	if (s.len == 0) {
		dp_buf_adds(&c->msg, "empty parameter or ';' after the last parameter");
		fatal(c->r, ALL_PROFILES, &c->msg);
		return;
	}
	eq = memchr(s.p, '=', s.len);
	if (eq == NULL) {
		dp_buf_adds(&c->msg, "parameter '");
		add_span(&c->msg, s);
		dp_buf_adds(&c->msg, "' is not tag=value");
		fatal(c->r, ALL_PROFILES, &c->msg);
		return;
	}
	tag = dp_span_trim(s.p, (size_t)(eq - s.p));
	v = dp_span_trim(eq + 1, s.len - (size_t)(eq - s.p) - 1);
	if (tag.len == 0) {
		dp_buf_adds(&c->msg, "parameter '");
		add_span(&c->msg, s);
		dp_buf_adds(&c->msg, "' has an empty tag");
		fatal(c->r, ALL_PROFILES, &c->msg);
		return;
	}
	if (!dp_issue_value_ok(v)) {
		dp_buf_adds(&c->msg, "value of '");
		add_span(&c->msg, tag);
		dp_buf_adds(&c->msg, "' holds a space, control or non-ASCII character: '");
		add_span(&c->msg, v);
		dp_buf_adds(&c->msg, "'");
		fatal(c->r, ALL_PROFILES, &c->msg);
		return;
	}
	if (!dp_issue_tag_ok(tag)) {
		dp_buf_adds(&c->msg, "parameter tag '");
		add_span(&c->msg, tag);
		dp_buf_adds(&c->msg, "' is not letters and digits with inner hyphens");
		fatal(c->r, P_STRICT, &c->msg);
		return; /* Boulder and Pebble ignore the parameter */
	}
	int k = classify_tag(tag);
	if (k == TAG_UNKNOWN)
		param_unknown(c, tag);
	else
		param_known(c, k, tag, v);
}

static void check_issuer_notes(struct parse_ctx *c)
{
	struct dp_record *r = c->r;

	if (r->issuer.len > 0 && r->issuer_norm == NULL) {
		dp_buf_adds(&c->msg, "issuer-domain-name '");
		add_span(&c->msg, r->issuer);
		dp_buf_adds(&c->msg, "' is not a host name; no CA will use this record");
		note(r, &c->msg);
	} else if (r->issuer.len == 0) {
		dp_buf_adds(&c->msg, "no issuer-domain-name; no CA will use this record");
		note(r, &c->msg);
	}
}

enum dp_status dp_record_parse(const char *value, size_t len, struct dp_record **out)
{
	struct parse_ctx c = {0};
	const char *p, *end, *semi;
	enum dp_status st = DP_OK;

	*out = NULL;
	if (len > (SIZE_MAX - sizeof(*c.r)) / 4 - 1)
		return DP_ENOMEM;
	c.r = malloc(sizeof(*c.r) + 4 * (len + 1));
	if (c.r == NULL)
		return DP_ENOMEM;
	*c.r = (struct dp_record){0};
	c.r->copy = span_dup(c.r, (struct dp_span){value, len});
	p = c.r->copy;
	end = p + len;
	semi = memchr(p, ';', len);
	parse_issuer(c.r, dp_span_trim(p, (size_t)((semi ? semi : end) - p)));
	while (semi != NULL) {
		p = semi + 1;
		semi = memchr(p, ';', (size_t)(end - p));
		parse_param(&c, (struct dp_span){p, (size_t)((semi ? semi : end) - p)});
	}
	if (c.r->accounturi == NULL && !c.seen[TAG_ACCOUNTURI]) {
		dp_buf_adds(&c.msg, "the required accounturi parameter is missing");
		fatal(c.r, ALL_PROFILES, &c.msg);
	}
	check_issuer_notes(&c);
	if (c.r->oom || dp_buf_status(&c.msg) != DP_OK)
		st = DP_ENOMEM;
	dp_buf_free(&c.msg);
	if (st != DP_OK) {
		dp_record_free(c.r);
		return st;
	}
	*out = c.r;
	return DP_OK;
}

void dp_record_free(struct dp_record *rec)
{
	if (rec == NULL)
		return;
	for (unsigned i = 0; i < DP_PROFILE_COUNT; i++)
		free(rec->problem[i]);
	for (size_t i = 0; i < rec->n_notes; i++)
		free(rec->notes[i]);
	free(rec);
}

const char *dp_record_issuer_raw(const struct dp_record *rec)
{
	return rec->issuer_raw ? rec->issuer_raw : "";
}

const char *dp_record_issuer(const struct dp_record *rec)
{
	return rec->issuer_norm;
}

const char *dp_record_accounturi(const struct dp_record *rec)
{
	return rec->accounturi;
}

/* True when s is made only of base64url characters (RFC 4648 section 5, unpadded). */
bool dp_is_b64url(const char *s)
{
	for (; *s; s++) {
		char ch = *s;
		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == '_'))
			return false;
	}
	return true;
}

bool dp_record_is_hashed_uri(const char *s)
{
	const char *m = strstr(s, "/sha-256/");

	if (m == NULL)
		return false;
	m += strlen("/sha-256/");
	return strlen(m) == 43 && dp_is_b64url(m);
}

enum dp_account_form dp_record_account_form(const struct dp_record *rec)
{
	if (rec->accounturi != NULL && dp_record_is_hashed_uri(rec->accounturi))
		return DP_ACCOUNT_HASHED;
	return DP_ACCOUNT_PLAIN;
}

bool dp_record_policy_wildcard(const struct dp_record *rec)
{
	return rec->wildcard;
}

bool dp_record_persist_until(const struct dp_record *rec, int64_t *t)
{
	if (rec->has_persist_until && t != NULL)
		*t = rec->persist_until;
	return rec->has_persist_until;
}

bool dp_record_well_formed(const struct dp_record *rec, enum dp_profile p, const char **reason)
{
	if (rec->problem[p] != NULL) {
		if (reason != NULL)
			*reason = rec->problem[p];
		return false;
	}
	return true;
}

size_t dp_record_note_count(const struct dp_record *rec)
{
	return rec->n_notes;
}

const char *dp_record_note(const struct dp_record *rec, size_t i)
{
	return i < rec->n_notes ? rec->notes[i] : NULL;
}

static bool issuer_listed(const struct dp_ca_request *req, const char *s, size_t len)
{
	for (size_t i = 0; i < req->n_issuers; i++)
		if (strlen(req->issuers[i]) == len && memcmp(req->issuers[i], s, len) == 0)
			return true;
	return false;
}

static void add_issuers(struct dp_buf *b, const struct dp_ca_request *req)
{
	for (size_t i = 0; i < req->n_issuers; i++)
		dp_buf_addf(b, "%s%s", i ? ", " : "", req->issuers[i]);
}

/* Is the record addressed to this CA under profile p? If not, say why in b. */
static bool attributed(const struct dp_record *r, enum dp_profile p,
                       const struct dp_ca_request *req, struct dp_buf *b)
{
	bool norm_match =
	    r->issuer_norm != NULL && issuer_listed(req, r->issuer_norm, strlen(r->issuer_norm));

	if (p == DP_PROFILE_PEBBLE && issuer_listed(req, r->issuer.p, r->issuer.len))
		return true;
	if (p != DP_PROFILE_PEBBLE && norm_match)
		return true;
	if (r->issuer.len == 0) {
		dp_buf_adds(b, "no issuer-domain-name, so it matches no CA");
	} else if (r->issuer_norm == NULL) {
		dp_buf_adds(b, "issuer-domain-name '");
		add_span(b, r->issuer);
		dp_buf_adds(b, "' cannot be normalized to a host name");
	} else if (norm_match) {
		dp_buf_adds(b, "issuer '");
		add_span(b, r->issuer);
		dp_buf_addf(b, "' is not spelled exactly '%s' (Pebble compares the exact string)",
		            r->issuer_norm);
	} else {
		dp_buf_addf(b, "issuer %s is not this CA's (", r->issuer_norm);
		add_issuers(b, req);
		dp_buf_adds(b, ")");
	}
	return false;
}

static bool account_listed(const struct dp_ca_request *req, const char *uri)
{
	for (size_t i = 0; i < req->n_accounts; i++)
		if (strcmp(req->accounts[i], uri) == 0)
			return true;
	return false;
}

static void explain_account_mismatch(const struct dp_record *r, const struct dp_ca_request *req,
                                     struct dp_buf *b)
{
	bool rec_hashed = dp_record_is_hashed_uri(r->accounturi);
	bool any_plain = false;

	dp_buf_addf(b, "accounturi %s is not the requesting account", r->accounturi);
	if (req->n_accounts > 0)
		dp_buf_addf(b, " (%s)", req->accounts[0]);
	for (size_t i = 0; i < req->n_accounts; i++)
		any_plain |= !dp_record_is_hashed_uri(req->accounts[i]);
	if (rec_hashed && any_plain && req->n_accounts == 1)
		dp_buf_adds(b, "; the record uses the -02 hashed form, the account was given as "
		               "a plain URL");
}

static void explain_valid(const struct dp_record *r, const struct dp_ca_request *req,
                          struct dp_buf *b)
{
	char when[DP_TIME_STR];

	if (b == NULL)
		return; /* only the verdict was asked for */
	/* once per valid record and name: no format to parse */
	dp_buf_adds(b, "issuer ");
	dp_buf_adds(b, r->issuer_norm ? r->issuer_norm : "");
	dp_buf_adds(b, " and account match");
	if (req->wildcard)
		dp_buf_adds(b, "; policy=wildcard covers the wildcard name");
	if (r->has_persist_until) {
		dp_buf_adds(b, "; usable until ");
		dp_buf_adds(b, dp_time_format(r->persist_until, when));
	} else {
		dp_buf_adds(b, "; no persistUntil, so no end date");
	}
}

static enum dp_verdict judge(const struct dp_record *r, enum dp_profile p,
                             const struct dp_ca_request *req, struct dp_buf *b)
{
	char when[DP_TIME_STR];

	if (!attributed(r, p, req, b))
		return DP_VERDICT_IGNORED;
	if (r->problem[p] != NULL) {
		dp_buf_adds(b, r->problem[p]);
		return DP_VERDICT_MALFORMED;
	}
	if (p == DP_PROFILE_STRICT && !r->issuer_grammatical) {
		dp_buf_adds(b, "issuer-domain-name '");
		add_span(b, r->issuer);
		dp_buf_adds(b, "' is not grammatical (upper case is fine; a trailing dot is not)");
		return DP_VERDICT_MALFORMED;
	}
	if (!account_listed(req, r->accounturi)) {
		explain_account_mismatch(r, req, b);
		return DP_VERDICT_UNAUTHORIZED;
	}
	if (req->wildcard && !r->wildcard) {
		dp_buf_adds(b, "a wildcard name needs policy=wildcard, which the record lacks");
		return DP_VERDICT_UNAUTHORIZED;
	}
	if (r->has_persist_until && req->now > r->persist_until) {
		dp_time_format(r->persist_until, when);
		dp_buf_addf(b, "persistUntil %lld (%s) has passed", (long long)r->persist_until,
		            when);
		return DP_VERDICT_UNAUTHORIZED;
	}
	explain_valid(r, req, b);
	return DP_VERDICT_VALID;
}

enum dp_verdict dp_record_evaluate(const struct dp_record *rec, enum dp_profile p,
                                   const struct dp_ca_request *req, char *reason,
                                   size_t reason_size)
{
	struct dp_buf b = {0};
	/* no buffer when no reason is asked for: the verdict alone formats nothing */
	enum dp_verdict v = judge(rec, p, req, reason != NULL && reason_size > 0 ? &b : NULL);

	if (reason != NULL && reason_size > 0)
		dp_str_join(reason, reason_size,
		            dp_buf_status(&b) == DP_OK && b.data ? b.data : "out of memory",
		            (const char *)NULL);
	dp_buf_free(&b);
	return v;
}

enum dp_verdict dp_record_aggregate(const enum dp_verdict *v, size_t n)
{
	bool malformed = false, unauthorized = false;

	if (n == 0)
		return DP_VERDICT_NO_RECORD;
	for (size_t i = 0; i < n; i++) {
		if (v[i] == DP_VERDICT_VALID)
			return DP_VERDICT_VALID;
		malformed |= v[i] == DP_VERDICT_MALFORMED;
		unauthorized |= v[i] == DP_VERDICT_UNAUTHORIZED;
	}
	if (malformed)
		return DP_VERDICT_MALFORMED;
	(void)unauthorized; /* unauthorized, or no record for this CA: both "unauthorized" */
	return DP_VERDICT_UNAUTHORIZED;
}
