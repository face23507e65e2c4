/* SPDX-License-Identifier: BSD-3-Clause */
/* Gather a name's records and CAA, then judge them under every profile. */
#include "model/verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/name.h"
#include "observe/observe.h"

#define REASON_MAX 600

struct vrec {
	char *rdata;
	size_t len;
	char *file;
	unsigned long line;
	struct dp_record *rec;
	enum dp_verdict verdict[DP_PROFILE_COUNT];
	char reason[DP_PROFILE_COUNT][REASON_MAX];
};

struct dp_verify {
	struct dp_verify_input in; /* arrays below are our copies */
	char **strings;            /* every string the input arrays point to */
	size_t n_strings;
	char name[DP_NAME_MAX];
	char owner[DP_NAME_MAX + 24]; /* _validation-persist.<name without *.> */
	char *txt_owner;              /* owner whose TXT we collect (after CNAMEs) */
	struct vrec *recs;
	size_t n_recs;
	struct dp_obs *obs; /* zone mode: what the zone files hold for the name */
	bool caa_read;
	struct dp_caa_result caa;
	char caa_owner[2 * DP_NAME_MAX + 8];
	const struct dp_obs_caa *caa_rr; /* the deciding CAA property, owned by obs */
	enum dp_verdict verdict[DP_PROFILE_COUNT];
	char reason[DP_PROFILE_COUNT][REASON_MAX];
};

static char *keep_string(struct dp_verify *v, const char *s)
{
	char **n = realloc(v->strings, (v->n_strings + 1) * sizeof(*n));
	if (n == NULL)
		return NULL;
	v->strings = n;
	n[v->n_strings] = strdup(s);
	return n[v->n_strings] ? n[v->n_strings++] : NULL;
}

static const char **copy_strv(struct dp_verify *v, const char *const *src, size_t n)
{
	const char **dst = calloc(n ? n : 1, sizeof(*dst));
	if (dst == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		dst[i] = keep_string(v, src[i]);
		if (dst[i] == NULL) {
			free(dst);
			return NULL;
		}
	}
	return dst;
}

enum dp_status dp_verify_new(const struct dp_verify_input *in, struct dp_verify **out)
{
	struct dp_verify *v = calloc(1, sizeof(*v));
	const char *base;

	*out = NULL;
	if (v == NULL)
		return DP_ENOMEM;
	v->in = *in;
	snprintf(v->name, sizeof(v->name), "%s", in->name);
	v->in.name = v->name;
	v->in.wildcard = in->wildcard || dp_name_is_wildcard(in->name);
	base = dp_name_strip_wildcard(v->name);
	snprintf(v->owner, sizeof(v->owner), "_validation-persist.%s", base);
	v->txt_owner = v->owner;
	v->in.issuers = copy_strv(v, in->issuers, in->n_issuers);
	v->in.accounts = copy_strv(v, in->accounts, in->n_accounts);
	v->in.caa_ids = in->caa_ids ? copy_strv(v, in->caa_ids, in->n_caa_ids)
	                            : copy_strv(v, in->issuers, in->n_issuers);
	v->in.n_caa_ids = in->caa_ids ? in->n_caa_ids : in->n_issuers;
	v->in.account = in->account ? keep_string(v, in->account) : NULL;
	if (v->in.issuers == NULL || v->in.accounts == NULL || v->in.caa_ids == NULL ||
	    (in->account && v->in.account == NULL)) {
		dp_verify_free(v);
		return DP_ENOMEM;
	}
	*out = v;
	return DP_OK;
}

void dp_verify_free(struct dp_verify *v)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < v->n_recs; i++) {
		free(v->recs[i].rdata);
		free(v->recs[i].file);
		dp_record_free(v->recs[i].rec);
	}
	for (size_t i = 0; i < v->n_strings; i++)
		free(v->strings[i]);
	if (v->txt_owner != v->owner)
		free(v->txt_owner);
	free((void *)(uintptr_t)v->in.issuers);
	free((void *)(uintptr_t)v->in.accounts);
	free((void *)(uintptr_t)v->in.caa_ids);
	free(v->strings);
	free(v->recs);
	dp_obs_free(v->obs);
	free(v);
}

static char *memdup0(const char *p, size_t len)
{
	char *d = malloc(len + 1);
	if (d != NULL) {
		if (len > 0)
			memcpy(d, p, len);
		d[len] = '\0';
	}
	return d;
}

enum dp_status dp_verify_add_txt(struct dp_verify *v, const char *value, size_t len,
                                 const char *file, unsigned long line)
{
	struct vrec *n = realloc(v->recs, (v->n_recs + 1) * sizeof(*n));
	struct vrec *r;

	if (n == NULL)
		return DP_ENOMEM;
	v->recs = n;
	r = memset(&v->recs[v->n_recs], 0, sizeof(*r));
	r->rdata = memdup0(value, len);
	r->len = len;
	r->line = line;
	r->file = file ? strdup(file) : NULL;
	if (r->rdata == NULL || (file && r->file == NULL) ||
	    dp_record_parse(value, len, &r->rec) != DP_OK) {
		free(r->rdata);
		free(r->file);
		return DP_ENOMEM;
	}
	v->n_recs++;
	return DP_OK;
}

/* ---- zone mode ---------------------------------------------------------- */

/* The names a CA looks at for this request: the name and its ancestors. */
static bool verify_wants(const char *name, bool cname, void *ctx)
{
	const struct dp_verify *v = ctx;
	const char *base = dp_name_strip_wildcard(v->name);

	(void)cname;
	return dp_name_equal(name, base) || dp_name_is_below(base, name);
}

/* The records the observations hold for the name, after a CNAME at its owner. */
static enum dp_status collect(struct dp_verify *v)
{
	const char *base = dp_name_strip_wildcard(v->name), *via = NULL;
	enum dp_status st = DP_OK;

	v->caa_read = true;
	for (const struct dp_obs_txt *t = dp_obs_records(v->obs, base, &via);
	     st == DP_OK && t != NULL; t = t->next)
		st = dp_verify_add_txt(v, t->value, t->len, t->file, t->line);
	if (st == DP_OK && via != NULL) {
		v->txt_owner = strdup(via);
		if (v->txt_owner == NULL) {
			v->txt_owner = v->owner;
			st = DP_ENOMEM;
		}
	}
	return st;
}

enum dp_status dp_verify_load_zones(struct dp_verify *v, const char *const *files, size_t n,
                                    const char *origin, struct dp_error *err)
{
	enum dp_status st = dp_obs_new("zone", &v->obs);

	if (st != DP_OK)
		return st;
	dp_obs_set_filter(v->obs, verify_wants, v);
	st = dp_obs_load_zones(v->obs, files, n, origin, err);
	return st == DP_OK ? collect(v) : st;
}

enum dp_status dp_verify_use_obs(struct dp_verify *v, struct dp_obs *obs)
{
	dp_obs_free(v->obs);
	v->obs = obs;
	return collect(v);
}

/* ---- judging -------------------------------------------------------------- */

static void judge_records(struct dp_verify *v)
{
	struct dp_ca_request req = {v->in.issuers,    v->in.n_issuers, v->in.accounts,
	                            v->in.n_accounts, v->in.wildcard,  v->in.now};

	for (size_t i = 0; i < v->n_recs; i++)
		for (unsigned p = 0; p < DP_PROFILE_COUNT; p++)
			v->recs[i].verdict[p] =
			    dp_record_evaluate(v->recs[i].rec, (enum dp_profile)p, &req,
			                       v->recs[i].reason[p], REASON_MAX);
}

static void judge_profile(struct dp_verify *v, enum dp_profile p)
{
	enum dp_verdict *per = calloc(v->n_recs ? v->n_recs : 1, sizeof(*per));
	enum dp_verdict agg;
	const char *why = NULL;

	for (size_t i = 0; per != NULL && i < v->n_recs; i++)
		per[i] = v->recs[i].verdict[p];
	agg = per ? dp_record_aggregate(per, v->n_recs) : DP_VERDICT_DNS_ERROR;
	free(per);
	for (size_t i = 0; i < v->n_recs && why == NULL; i++)
		if (v->recs[i].verdict[p] == agg)
			why = v->recs[i].reason[p];
	v->verdict[p] = agg;
	if (why != NULL)
		snprintf(v->reason[p], REASON_MAX, "%s", why);
	else if (agg == DP_VERDICT_NO_RECORD)
		snprintf(v->reason[p], REASON_MAX, "no TXT record at %s", v->txt_owner);
	else if (agg == DP_VERDICT_UNAUTHORIZED)
		snprintf(v->reason[p], REASON_MAX, "no record at %s names this CA (%s)",
		         v->txt_owner, v->in.n_issuers ? v->in.issuers[0] : "");
	else
		snprintf(v->reason[p], REASON_MAX, "out of memory");
}

/* Evaluate the CAA RRsets from the name up to its TLD, as the CA would. */
static enum dp_status judge_caa(struct dp_verify *v)
{
	const char *base = dp_name_strip_wildcard(v->name);
	struct dp_caa_query q = {v->in.caa_ids, v->in.n_caa_ids, v->in.account,
	                         NULL,          v->in.wildcard,  false};
	struct dp_obs_caa_view view;
	enum dp_status st = dp_obs_caa_view(v->obs, base, &view);

	if (st != DP_OK)
		return st;
	dp_obs_caa_evaluate(&view, &q, &v->caa);
	v->caa_rr = dp_obs_caa_decider(&view, &v->caa);
	if (v->caa.owner != NULL) {
		/* the view's strings go with it: keep a copy */
		snprintf(v->caa_owner, sizeof(v->caa_owner), "%s", v->caa.owner);
		v->caa.owner = v->caa_owner;
	}
	dp_obs_caa_view_free(&view);
	return DP_OK;
}

/* A live lookup that failed, or failed DNSSEC validation, decides every profile. */
static bool judge_dns(struct dp_verify *v)
{
	const struct dp_obs_dns *d =
	    v->obs ? dp_obs_dns_get(v->obs, dp_name_strip_wildcard(v->name)) : NULL;

	if (d == NULL || (d->error == NULL && d->bogus == NULL))
		return false;
	for (unsigned p = 0; p < DP_PROFILE_COUNT; p++) {
		v->verdict[p] = d->error ? DP_VERDICT_DNS_ERROR : DP_VERDICT_NO_RECORD;
		snprintf(v->reason[p], REASON_MAX, "%s%s", d->error ? d->error : d->bogus,
		         d->error ? "" : ": DNSSEC validation fails, a CA sees no usable data");
	}
	v->caa_read = false;
	return true;
}

enum dp_status dp_verify_run(struct dp_verify *v)
{
	judge_records(v);
	for (unsigned p = 0; p < DP_PROFILE_COUNT; p++)
		judge_profile(v, (enum dp_profile)p);
	if (judge_dns(v))
		return DP_OK;
	if (v->caa_read)
		return judge_caa(v);
	return DP_OK;
}

bool dp_verify_lookup_failed(const struct dp_verify *v)
{
	return v->verdict[v->in.profile] == DP_VERDICT_DNS_ERROR;
}

/* ---- accessors ------------------------------------------------------------ */

const char *dp_verify_name(const struct dp_verify *v)
{
	return v->name;
}

const char *dp_verify_owner(const struct dp_verify *v)
{
	return v->owner;
}

const char *dp_verify_cname(const struct dp_verify *v)
{
	return v->txt_owner != v->owner ? v->txt_owner : NULL;
}

enum dp_profile dp_verify_profile(const struct dp_verify *v)
{
	return v->in.profile;
}

int64_t dp_verify_now(const struct dp_verify *v)
{
	return v->in.now;
}

const struct dp_verify_input *dp_verify_input(const struct dp_verify *v)
{
	return &v->in;
}

enum dp_verdict dp_verify_verdict(const struct dp_verify *v, enum dp_profile p)
{
	return v->verdict[p];
}

const char *dp_verify_reason(const struct dp_verify *v, enum dp_profile p)
{
	return v->reason[p];
}

bool dp_verify_profiles_disagree(const struct dp_verify *v)
{
	return v->verdict[0] != v->verdict[1] || v->verdict[0] != v->verdict[2];
}

size_t dp_verify_record_count(const struct dp_verify *v)
{
	return v->n_recs;
}

const struct dp_record *dp_verify_record(const struct dp_verify *v, size_t i)
{
	return v->recs[i].rec;
}

const char *dp_verify_record_rdata(const struct dp_verify *v, size_t i, size_t *len)
{
	*len = v->recs[i].len;
	return v->recs[i].rdata;
}

const char *dp_verify_record_file(const struct dp_verify *v, size_t i, unsigned long *line)
{
	*line = v->recs[i].line;
	return v->recs[i].file;
}

enum dp_verdict dp_verify_record_verdict(const struct dp_verify *v, size_t i, enum dp_profile p)
{
	return v->recs[i].verdict[p];
}

const char *dp_verify_record_reason(const struct dp_verify *v, size_t i, enum dp_profile p)
{
	return v->recs[i].reason[p];
}

bool dp_verify_caa_read(const struct dp_verify *v)
{
	return v->caa_read;
}

const struct dp_caa_result *dp_verify_caa(const struct dp_verify *v)
{
	return &v->caa;
}

const char *dp_verify_caa_file(const struct dp_verify *v, unsigned long *line)
{
	if (v->caa_rr == NULL)
		return NULL;
	*line = v->caa_rr->line;
	return v->caa_rr->file;
}

bool dp_verify_issuable(const struct dp_verify *v)
{
	if (v->verdict[v->in.profile] != DP_VERDICT_VALID)
		return false;
	return !v->caa_read || dp_caa_verdict_allows(v->caa.verdict);
}
