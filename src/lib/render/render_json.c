/* SPDX-License-Identifier: BSD-3-Clause */
/* The versioned JSON report; DNS data escaped to stay valid UTF-8. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/jsonutil.h"
#include "base/name.h"
#include "render/render.h"
#include "report/changes.h"

/*
 * The report's "format": 1 was the first contract; 2 adds each finding's
 * "key" (docs/dnspersist.1, JSON REPORT).
 */
#define DP_JSON_FORMAT 2

static json_t *jrecord(const struct dp_report_record *rec)
{
	json_t *o = json_object();

	json_object_set_new(o, "owner", dp_json_cstr(rec->owner));
	json_object_set_new(o, "rdata", dp_json_str(rec->rdata, rec->len));
	json_object_set_new(o, "issuer", dp_json_cstr(rec->issuer));
	json_object_set_new(o, "accounturi", dp_json_cstr(rec->accounturi));
	json_object_set_new(o, "policy", rec->wildcard ? json_string("wildcard") : json_null());
	json_object_set_new(o, "persist_until",
	                    rec->has_persist_until ? json_integer(rec->persist_until)
	                                           : json_null());
	json_object_set_new(o, "verdict", json_string(dp_verdict_name(rec->verdict)));
	json_object_set_new(o, "reason", dp_json_cstr(rec->reason));
	json_object_set_new(o, "source", dp_json_source(rec->file, rec->line));
	return o;
}

static json_t *jcaa(const struct dp_report_name *n)
{
	json_t *o = json_object(), *props = json_array();

	for (const struct dp_report_caa *c = n->caa; c; c = c->next) {
		json_t *p = json_object();
		json_object_set_new(p, "flags", json_integer(c->flags));
		json_object_set_new(p, "tag", dp_json_cstr(c->tag));
		json_object_set_new(p, "value", dp_json_str(c->value, c->len));
		json_object_set_new(p, "source", dp_json_source(c->file, c->line));
		json_array_append_new(props, p);
	}
	json_object_set_new(o, "owner", dp_json_cstr(n->caa_owner));
	json_object_set_new(o, "properties", props);
	return o;
}

static json_t *jauth(const struct dp_report_name *n, const struct dp_report_auth *a)
{
	json_t *o = json_object(), *cov = json_array();
	struct dp_buf b = {0};

	if (a->covers & DP_COVERS_NAME)
		json_array_append_new(cov, dp_json_cstr(n->name));
	if (a->covers & DP_COVERS_WILDCARD) {
		dp_buf_addf(&b, "*.%s", n->name);
		json_array_append_new(cov, dp_json_cstr(b.data));
	}
	if (a->covers & DP_COVERS_BELOW) {
		dp_buf_reset(&b);
		dp_buf_addf(&b, "*.%s (every name below)", n->name);
		json_array_append_new(cov, dp_json_cstr(b.data));
	}
	dp_buf_free(&b);
	json_object_set_new(o, "issuer", dp_json_cstr(a->issuer));
	json_object_set_new(o, "accounturi", dp_json_cstr(a->accounturi));
	json_object_set_new(o, "account", dp_json_cstr(a->account_id));
	json_object_set_new(o, "via", dp_json_cstr(a->via));
	json_object_set_new(o, "covers", cov);
	json_object_set_new(o, "until", a->has_until ? json_integer(a->until) : json_null());
	json_object_set_new(o, "caa", dp_json_cstr(a->caa));
	return o;
}

/* "name_unicode": the U-label form of a name with xn-- labels (JSON is UTF-8). */
static void unicode_form(json_t *o, const char *name)
{
	char *u = strstr(name, "xn--") ? dp_name_to_display(name) : NULL;

	if (u != NULL)
		json_object_set_new(o, "name_unicode", json_string(u));
	free(u);
}

static json_t *jstrs(const char *const *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, dp_json_cstr(v[i]));
	return a;
}

/* A certificate CT shows (--ct): issuer, CAA domains (null when unknown), names, validity. */
static json_t *jcert(const struct dp_report_cert *c)
{
	json_t *o = json_object();

	json_object_set_new(o, "issuer", dp_json_cstr(c->issuer));
	json_object_set_new(o, "caa_domains", c->n_caa ? jstrs(c->caa, c->n_caa) : json_null());
	json_object_set_new(o, "names", jstrs(c->names, c->n_names));
	json_object_set_new(o, "not_before", json_integer(c->not_before));
	json_object_set_new(o, "not_after", json_integer(c->not_after));
	json_object_set_new(o, "source", dp_json_cstr(c->source));
	json_object_set_new(o, "id", dp_json_cstr(c->id));
	json_object_set_new(o, "link", dp_json_cstr(c->link));
	return o;
}

static json_t *jname(const struct dp_report_name *n)
{
	json_t *o = json_object(), *recs = json_array(), *auths = json_array();

	json_object_set_new(o, "name", dp_json_cstr(n->name));
	unicode_form(o, n->name);
	json_object_set_new(o, "status", json_string(n->worst ? dp_severity_name(n->worst) : "ok"));
	if (n->note != NULL)
		json_object_set_new(o, "not_checked", dp_json_cstr(n->note));
	for (const struct dp_report_record *r = n->records; r; r = r->next)
		json_array_append_new(recs, jrecord(r));
	json_object_set_new(o, "records", recs);
	json_object_set_new(o, "caa", jcaa(n));
	for (const struct dp_report_auth *a = n->auths; a; a = a->next)
		json_array_append_new(auths, jauth(n, a));
	json_object_set_new(o, "authorizations", auths);
	if (n->certs != NULL) {
		json_t *certs = json_array();
		for (const struct dp_report_cert *c = n->certs; c; c = c->next)
			json_array_append_new(certs, jcert(c));
		json_object_set_new(o, "certificates", certs);
	}
	return o;
}

static json_t *jfinding(const struct dp_report *r, size_t i)
{
	const struct dp_finding *f = dp_report_finding(r, i);
	char key[DP_FINDING_KEY_LEN + 1];

	json_t *o = json_object();

	json_object_set_new(o, "id", json_string(dp_finding_info(f->id)->id));
	json_object_set_new(o, "severity", json_string(dp_severity_name(f->severity)));
	dp_report_finding_key(r, i, key);
	json_object_set_new(o, "key", json_string(key));
	json_object_set_new(o, "name", dp_json_cstr(f->name));
	json_object_set_new(o, "message", dp_json_cstr(f->message));
	json_object_set_new(o, "source", dp_json_source(f->file, f->line));
	if (dp_report_changes(r) != NULL)
		json_object_set_new(
		    o, "baseline",
		    json_string(dp_changes_existing(dp_report_changes(r), i) ? "existing" : "new"));
	return o;
}

/* Which shard of a run this is, for dnspersist merge. */
static json_t *jshard(const struct dp_report_shard *s)
{
	json_t *o = json_object();

	json_object_set_new(o, "index", json_integer(s->index));
	json_object_set_new(o, "count", json_integer(s->count));
	json_object_set_new(o, "rules", json_string(s->rules));
	json_object_set_new(o, "inventory", json_string(s->inventory));
	return o;
}

static json_t *jcovers(const char *name, unsigned covers)
{
	json_t *cov = json_array();
	struct dp_buf b = {0};

	if (covers & DP_COVERS_NAME)
		json_array_append_new(cov, dp_json_cstr(name));
	if (covers & DP_COVERS_WILDCARD) {
		dp_buf_addf(&b, "*.%s", name);
		json_array_append_new(cov, dp_json_cstr(b.data));
	}
	if (covers & DP_COVERS_BELOW) {
		dp_buf_reset(&b);
		dp_buf_addf(&b, "*.%s (every name below)", name);
		json_array_append_new(cov, dp_json_cstr(b.data));
	}
	dp_buf_free(&b);
	return cov;
}

static json_t *jtime(bool has, int64_t t)
{
	return has ? json_integer(t) : json_null();
}

/* One change since the baseline, its members by kind. */
static json_t *jchange(const struct dp_change *c)
{
	json_t *o = json_object();

	json_object_set_new(o, "name", dp_json_cstr(c->name));
	if (c->kind == DP_CHANGE_NEW || c->kind == DP_CHANGE_RESOLVED) {
		json_object_set_new(o, "id", json_string(dp_finding_info(c->id)->id));
		json_object_set_new(o, "severity", json_string(dp_severity_name(c->severity)));
		json_object_set_new(o, "key", dp_json_cstr(c->key));
		json_object_set_new(o, "message", dp_json_cstr(c->message));
		return o;
	}
	json_object_set_new(o, "issuer", dp_json_cstr(c->issuer));
	json_object_set_new(o, "accounturi", dp_json_cstr(c->accounturi));
	if (c->kind == DP_CHANGE_MOVED) {
		json_object_set_new(o, "owner", dp_json_cstr(c->owner));
		json_object_set_new(o, "was", jtime(c->had_was, c->was));
		json_object_set_new(o, "persist_until", jtime(c->has_until, c->until));
		return o;
	}
	json_object_set_new(o, "account", dp_json_cstr(c->account));
	json_object_set_new(o, "covers", jcovers(c->name, c->covers));
	json_object_set_new(o, "until", jtime(c->has_until, c->until));
	return o;
}

/* "changes": since the baseline run, one array per kind. */
static json_t *jchanges(const struct dp_changes *c)
{
	json_t *o = json_object(), *base = json_object();

	json_object_set_new(base, "now", json_integer(dp_changes_baseline_now(c)));
	json_object_set_new(o, "baseline", base);
	for (int k = 0; k < DP_CHANGE_KINDS; k++)
		json_object_set_new(o, dp_change_kind_name((enum dp_change_kind)k), json_array());
	for (size_t i = 0; i < dp_changes_count(c); i++) {
		const struct dp_change *ch = dp_changes_at(c, i);
		json_array_append_new(json_object_get(o, dp_change_kind_name(ch->kind)),
		                      jchange(ch));
	}
	return o;
}

/* The document's head: every top-level member but the two arrays. */
static json_t *jhead(const struct dp_report *r, const struct dp_render_opts *opts)
{
	json_t *root = json_object(), *tool = json_object(), *counts = json_object();

	json_object_set_new(root, "format", json_integer(DP_JSON_FORMAT));
	json_object_set_new(tool, "name", json_string("dnspersist"));
	json_object_set_new(tool, "version", dp_json_cstr(opts->version));
	json_object_set_new(root, "tool", tool);
	json_object_set_new(root, "mode", dp_json_cstr(dp_report_mode(r)));
	json_object_set_new(root, "now", json_integer(dp_report_now(r)));
	json_object_set_new(root, "status", json_string(dp_level_name(dp_report_level(r))));
	json_object_set_new(counts, "critical",
	                    json_integer((json_int_t)dp_report_count(r, DP_SEV_CRITICAL)));
	json_object_set_new(counts, "warning",
	                    json_integer((json_int_t)dp_report_count(r, DP_SEV_WARNING)));
	json_object_set_new(counts, "notice",
	                    json_integer((json_int_t)dp_report_count(r, DP_SEV_NOTICE)));
	json_object_set_new(root, "counts", counts);
	if (dp_report_unknown_reason(r) != NULL)
		json_object_set_new(root, "unknown_reason",
		                    dp_json_cstr(dp_report_unknown_reason(r)));
	if (dp_report_shard(r) != NULL)
		json_object_set_new(root, "shard", jshard(dp_report_shard(r)));
	if (dp_report_changes(r) != NULL)
		json_object_set_new(root, "changes", jchanges(dp_report_changes(r)));
	if (dp_report_ct_source(r) != NULL) {
		json_t *ct = json_object();
		json_object_set_new(ct, "source", json_string(dp_report_ct_source(r)));
		json_object_set_new(ct, "certificates", json_integer(dp_report_ct_certs(r)));
		json_object_set_new(root, "ct", ct);
	}
	if (dp_report_note_count(r) > 0) {
		json_t *notes = json_array();
		for (size_t i = 0; i < dp_report_note_count(r); i++)
			json_array_append_new(notes, dp_json_cstr(dp_report_note(r, i)));
		json_object_set_new(root, "not_checked", notes);
	}
	return root;
}

static bool all_details(const struct dp_render_opts *o)
{
	(void)o;
	return true;
}

/*
 * The document is written piece by piece, one name and one finding per
 * line, so a report of many thousands of names is never one tree in memory.
 */
static enum dp_status begin(const struct dp_report *r, const struct dp_render_opts *o,
                            struct dp_buf *out)
{
	size_t start = out->len;

	if (!dp_json_put(jhead(r, o), out) || out->len == start)
		return DP_ENOMEM;
	out->len--; /* reopen the head object: drop its closing brace */
	dp_buf_adds(out, ",\"names\":[\n");
	return dp_buf_status(out);
}

static enum dp_status one_name(const struct dp_report *r, const struct dp_render_opts *o, size_t i,
                               const struct dp_report_name *n, struct dp_buf *out)
{
	if (!dp_json_put(jname(n), out))
		return DP_ENOMEM;
	dp_buf_adds(out, i + 1 < dp_report_name_count(r) ? ",\n" : "\n");
	return dp_render_flushed(o, out) ? DP_OK : DP_EIO;
}

static enum dp_status end(const struct dp_report *r, const struct dp_render_opts *o,
                          struct dp_buf *out)
{
	size_t findings = dp_report_finding_count(r);

	dp_buf_adds(out, "],\"findings\":[\n");
	for (size_t i = 0; i < findings; i++) {
		if (!dp_json_put(jfinding(r, i), out))
			return DP_ENOMEM;
		dp_buf_adds(out, i + 1 < findings ? ",\n" : "\n");
		if (!dp_render_flushed(o, out))
			return DP_EIO;
	}
	dp_buf_adds(out, "]}\n");
	return dp_buf_status(out);
}

const struct dp_renderer dp_render_json = {
    "json", DP_RENDER_SCAN | DP_RENDER_LINT, all_details, begin, one_name, end,
};
