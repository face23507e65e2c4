/* SPDX-License-Identifier: BSD-3-Clause */
/* Gather a name's records and CAA, then judge them under every profile. */
#include "verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "name.h"
#include "zonefile.h"

#define MAX_CNAME_HOPS 8
#define REASON_MAX     600

struct vrec {
	char *rdata;
	size_t len;
	char *file;
	unsigned long line;
	struct dp_record *rec;
	enum dp_verdict verdict[DP_PROFILE_COUNT];
	char reason[DP_PROFILE_COUNT][REASON_MAX];
};

struct vcaa {
	char *owner;
	struct dp_caa_rr rr; /* tag and value owned */
	char *file;
	unsigned long line;
};

struct vcname {
	char *owner;
	char *target;
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
	struct vcaa *caas;
	size_t n_caas;
	struct vcname *cnames;
	size_t n_cnames;
	bool collect_caa; /* false on the second, TXT-only pass */
	bool caa_read;
	struct dp_caa_result caa;
	char caa_owner[2 * DP_NAME_MAX + 8];
	const struct vcaa *caa_rr;
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
	v->collect_caa = true;
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
	for (size_t i = 0; i < v->n_caas; i++) {
		free(v->caas[i].owner);
		free((char *)(uintptr_t)v->caas[i].rr.tag);
		free((char *)(uintptr_t)v->caas[i].rr.value);
		free(v->caas[i].file);
	}
	for (size_t i = 0; i < v->n_cnames; i++) {
		free(v->cnames[i].owner);
		free(v->cnames[i].target);
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
	free(v->caas);
	free(v->cnames);
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

static enum dp_status add_caa(struct dp_verify *v, const struct dp_zrr *rr)
{
	struct vcaa *n = realloc(v->caas, (v->n_caas + 1) * sizeof(*n));
	struct vcaa *c;

	if (n == NULL)
		return DP_ENOMEM;
	v->caas = n;
	c = memset(&v->caas[v->n_caas], 0, sizeof(*c));
	c->owner = strdup(rr->owner);
	c->rr.flags = rr->caa_flags;
	c->rr.tag = strdup(rr->caa_tag);
	c->rr.value = memdup0(rr->caa_value, rr->caa_value_len);
	c->rr.value_len = rr->caa_value_len;
	c->file = strdup(rr->file);
	c->line = rr->line;
	v->n_caas++; /* counted even when partial, so dp_verify_free releases it */
	if (c->owner == NULL || c->rr.tag == NULL || c->rr.value == NULL || c->file == NULL)
		return DP_ENOMEM;
	return DP_OK;
}

static enum dp_status add_cname(struct dp_verify *v, const struct dp_zrr *rr)
{
	struct vcname *n = realloc(v->cnames, (v->n_cnames + 1) * sizeof(*n));

	if (n == NULL)
		return DP_ENOMEM;
	v->cnames = n;
	n[v->n_cnames].owner = strdup(rr->owner);
	n[v->n_cnames].target = strdup(rr->target);
	v->n_cnames++;
	if (n[v->n_cnames - 1].owner == NULL || n[v->n_cnames - 1].target == NULL)
		return DP_ENOMEM;
	return DP_OK;
}

static enum dp_status zone_cb(const struct dp_zrr *rr, void *ctx, struct dp_error *err)
{
	struct dp_verify *v = ctx;

	(void)err;
	if (rr->type == DP_RR_TXT && strcmp(rr->owner, v->txt_owner) == 0)
		return dp_verify_add_txt(v, rr->txt, rr->txt_len, rr->file, rr->line);
	if (!v->collect_caa)
		return DP_OK;
	if (rr->type == DP_RR_CAA)
		return add_caa(v, rr);
	if (rr->type == DP_RR_CNAME)
		return add_cname(v, rr);
	return DP_OK;
}

/* Follow CNAMEs from name (bounded, loops end it); returns name when none. */
static const char *follow_cname(const struct dp_verify *v, const char *name)
{
	const char *cur = name;

	for (int hop = 0; hop < MAX_CNAME_HOPS; hop++) {
		const char *next = NULL;
		for (size_t i = 0; i < v->n_cnames && next == NULL; i++)
			if (strcmp(v->cnames[i].owner, cur) == 0)
				next = v->cnames[i].target;
		if (next == NULL || strcmp(next, name) == 0)
			break;
		cur = next;
	}
	return cur;
}

static enum dp_status read_zones(struct dp_verify *v, const char *const *files, size_t n,
                                 const struct dp_zone_opts *opts, struct dp_error *err)
{
	for (size_t i = 0; i < n; i++) {
		enum dp_status st = dp_zone_read_file(files[i], opts, zone_cb, v, err);
		if (st != DP_OK)
			return st;
	}
	return DP_OK;
}

enum dp_status dp_verify_load_zones(struct dp_verify *v, const char *const *files, size_t n,
                                    const char *origin, struct dp_error *err)
{
	struct dp_zone_opts opts = {.origin = origin};
	const char *target;
	enum dp_status st;

	v->caa_read = true;
	st = read_zones(v, files, n, &opts, err);
	if (st != DP_OK)
		return st;
	target = follow_cname(v, v->owner);
	if (target == v->owner)
		return DP_OK;
	/* The record's owner is an alias: read again for TXT at the target. */
	v->txt_owner = strdup(target);
	if (v->txt_owner == NULL) {
		v->txt_owner = v->owner;
		return DP_ENOMEM;
	}
	v->collect_caa = false;
	opts.all_txt = true;
	return read_zones(v, files, n, &opts, err);
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

/* Record where the relevant set came from, for the report. */
static void note_caa_source(struct dp_verify *v, const struct dp_caa_rrset *sets, size_t k,
                            const struct dp_caa_rr *base, const struct vcaa **src)
{
	const char *at = follow_cname(v, v->caa.owner);

	if (at != v->caa.owner)
		snprintf(v->caa_owner, sizeof(v->caa_owner), "%s (CNAME to %s)", v->caa.owner, at);
	else
		snprintf(v->caa_owner, sizeof(v->caa_owner), "%s", v->caa.owner);
	v->caa.owner = v->caa_owner;
	for (size_t i = 0; i < k; i++) {
		if (sets[i].n == 0)
			continue;
		if (v->caa.rr_index != SIZE_MAX)
			v->caa_rr = src[(size_t)(sets[i].rrs - base) + v->caa.rr_index];
		break; /* the first non-empty set is the relevant one */
	}
}

/* Build the CAA RRsets from the name up to its TLD and evaluate them. */
static enum dp_status judge_caa(struct dp_verify *v)
{
	const char *base = dp_name_strip_wildcard(v->name);
	size_t levels = dp_name_label_count(base), k = 0, used = 0;
	struct dp_caa_rrset *sets = calloc(levels ? levels : 1, sizeof(*sets));
	struct dp_caa_rr *rrs = calloc(v->n_caas ? v->n_caas : 1, sizeof(*rrs));
	const struct vcaa **src = calloc(v->n_caas ? v->n_caas : 1, sizeof(*src));
	struct dp_caa_query q = {v->in.caa_ids, v->in.n_caa_ids, v->in.account,
	                         NULL,          v->in.wildcard,  false};
	enum dp_status st = DP_ENOMEM;

	if (sets == NULL || rrs == NULL || src == NULL)
		goto out;
	for (const char *lvl = base; lvl != NULL && k < levels; lvl = dp_name_parent(lvl), k++) {
		const char *at = follow_cname(v, lvl);
		sets[k].owner = lvl;
		sets[k].rrs = rrs + used;
		for (size_t i = 0; i < v->n_caas; i++) {
			if (strcmp(v->caas[i].owner, at) != 0)
				continue;
			src[used] = &v->caas[i];
			rrs[used++] = v->caas[i].rr;
			sets[k].n++;
		}
	}
	dp_caa_evaluate(sets, k, &q, &v->caa);
	if (v->caa.owner != NULL)
		note_caa_source(v, sets, k, rrs, src);
	st = DP_OK;
out:
	free(rrs);
	free(sets);
	free(src);
	return st;
}

enum dp_status dp_verify_run(struct dp_verify *v)
{
	judge_records(v);
	for (unsigned p = 0; p < DP_PROFILE_COUNT; p++)
		judge_profile(v, (enum dp_profile)p);
	if (v->caa_read)
		return judge_caa(v);
	return DP_OK;
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
