/* SPDX-License-Identifier: BSD-3-Clause */
/* Reading a format-2 JSON report back, every member checked and bounded. */
#include "report/report_read.h"
#include "report/report_read_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/strmap.h"

const struct dp_report_limits dp_report_default_limits = {
    512u << 20, 10000000, 10000000, 10000, 65536,
};

static enum dp_status verdict_parse(struct rd *c, const char *s, enum dp_verdict *out)
{
	for (int v = DP_VERDICT_VALID; v <= DP_VERDICT_IGNORED; v++)
		if (strcmp(dp_verdict_name((enum dp_verdict)v), s) == 0) {
			*out = (enum dp_verdict)v;
			return DP_OK;
		}
	return dp_rd_bad(c, "unknown verdict '%.40s'", s);
}

/* The record's strings, then its verdict, policy, persistUntil and source. */
static enum dp_status read_record(struct rd *c, struct dp_report_name *n, const json_t *o)
{
	struct dp_report_record rec = {0};
	const char *verdict = NULL, *policy = NULL;
	char src[600];
	enum dp_status st = json_is_object(o) ? DP_OK : dp_rd_bad(c, "not an object");

	if (st == DP_OK)
		st = dp_rd_get_str(c, o, "owner", false, &rec.owner);
	if (st == DP_OK)
		st = dp_rd_get_strn(c, o, "rdata", false, &rec.rdata, &rec.len);
	if (st == DP_OK)
		st = dp_rd_get_str(c, o, "issuer", true, &rec.issuer);
	if (st == DP_OK)
		st = dp_rd_get_str(c, o, "accounturi", true, &rec.accounturi);
	if (st == DP_OK)
		st = dp_rd_get_str(c, o, "reason", true, &rec.reason);
	if (st == DP_OK)
		st = dp_rd_get_str(c, o, "policy", true, &policy);
	if (st == DP_OK && policy != NULL && strcmp(policy, "wildcard") != 0)
		st = dp_rd_bad(c, "\"policy\" is neither \"wildcard\" nor null");
	if (st == DP_OK)
		st = dp_rd_get_str(c, o, "verdict", false, &verdict);
	if (st == DP_OK)
		st = verdict_parse(c, verdict, &rec.verdict);
	if (st == DP_OK)
		st = dp_rd_get_int(c, o, "persist_until", true, INT64_MIN, INT64_MAX,
		                   &rec.has_persist_until, &rec.persist_until);
	if (st == DP_OK)
		st = dp_rd_get_source(c, o, src, sizeof(src), &rec.file, &rec.line);
	if (st != DP_OK)
		return st;
	rec.wildcard = policy != NULL;
	return dp_report_add_record(c->r, n, &rec);
}

static enum dp_status read_caa_property(struct rd *c, struct dp_report_name *n, const json_t *o)
{
	struct dp_report_caa caa = {0};
	char src[600];
	int64_t flags = 0;
	bool has;
	enum dp_status st = json_is_object(o) ? DP_OK : dp_rd_bad(c, "not an object");

	if (st == DP_OK)
		st = dp_rd_get_int(c, o, "flags", false, 0, 255, &has, &flags);
	if (st == DP_OK)
		st = dp_rd_get_str(c, o, "tag", false, &caa.tag);
	if (st == DP_OK)
		st = dp_rd_get_strn(c, o, "value", false, &caa.value, &caa.len);
	if (st == DP_OK)
		st = dp_rd_get_source(c, o, src, sizeof(src), &caa.file, &caa.line);
	if (st != DP_OK)
		return st;
	caa.flags = (uint8_t)flags;
	return dp_report_add_caa(c->r, n, &caa);
}

static enum dp_status read_caa(struct rd *c, struct dp_report_name *n, const json_t *o)
{
	const json_t *caa = json_object_get(o, "caa"), *props;
	const char *owner;
	size_t mark = dp_rd_enter(c, "caa");
	enum dp_status st = json_is_object(caa) ? DP_OK : dp_rd_bad(c, "not an object");

	if (st == DP_OK)
		st = dp_rd_get_str(c, caa, "owner", true, &owner);
	if (st == DP_OK && owner != NULL)
		st = dp_report_set_caa_owner(c->r, n, owner);
	if (st == DP_OK)
		st = dp_rd_get_array(c, caa, "properties", false, c->lim->max_per_name, &props);
	for (size_t i = 0; st == DP_OK && i < json_array_size(props); i++) {
		size_t m = strlen(c->where);
		snprintf(c->where + m, sizeof(c->where) - m, ".properties[%zu]", i);
		st = read_caa_property(c, n, json_array_get(props, i));
		c->where[m] = '\0';
	}
	c->where[mark] = '\0';
	return st;
}

/* "covers": the name, "*.name", "*.name (every name below)", as the writer puts them. */
static enum dp_status read_covers(struct rd *c, const struct dp_report_name *n, const json_t *a,
                                  unsigned *covers)
{
	size_t len = strlen(n->name);

	*covers = 0;
	for (size_t i = 0; i < json_array_size(a); i++) {
		const char *s = json_string_value(json_array_get(a, i));
		if (s != NULL && strcmp(s, n->name) == 0)
			*covers |= DP_COVERS_NAME;
		else if (s != NULL && strncmp(s, "*.", 2) == 0 &&
		         strncmp(s + 2, n->name, len) == 0 && s[2 + len] == '\0')
			*covers |= DP_COVERS_WILDCARD;
		else if (s != NULL && strncmp(s, "*.", 2) == 0 &&
		         strncmp(s + 2, n->name, len) == 0 &&
		         strcmp(s + 2 + len, " (every name below)") == 0)
			*covers |= DP_COVERS_BELOW;
		else
			return dp_rd_bad(c, "\"covers\"[%zu] is not %s or a wildcard below it", i,
			                 n->name);
	}
	return DP_OK;
}

static enum dp_status read_auth(struct rd *c, struct dp_report_name *n, const json_t *o)
{
	struct dp_report_auth a = {0};
	const json_t *covers;
	enum dp_status st = json_is_object(o) ? DP_OK : dp_rd_bad(c, "not an object");

	if (st == DP_OK)
		st = dp_rd_get_str(c, o, "issuer", false, &a.issuer);
	if (st == DP_OK)
		st = dp_rd_get_str(c, o, "accounturi", false, &a.accounturi);
	if (st == DP_OK)
		st = dp_rd_get_str(c, o, "account", true, &a.account_id);
	if (st == DP_OK)
		st = dp_rd_get_str(c, o, "via", true, &a.via);
	if (st == DP_OK)
		st = dp_rd_get_str(c, o, "caa", true, &a.caa);
	if (st == DP_OK)
		st = dp_rd_printable(c, "issuer", a.issuer);
	if (st == DP_OK)
		st = dp_rd_printable(c, "account", a.account_id);
	if (st == DP_OK)
		st = dp_rd_printable(c, "via", a.via);
	if (st == DP_OK)
		st = dp_rd_printable(c, "caa", a.caa);
	if (st == DP_OK)
		st = dp_rd_get_int(c, o, "until", true, INT64_MIN, INT64_MAX, &a.has_until,
		                   &a.until);
	if (st == DP_OK)
		st = dp_rd_get_array(c, o, "covers", false, 3, &covers);
	if (st == DP_OK)
		st = read_covers(c, n, covers, &a.covers);
	return st == DP_OK ? dp_report_add_auth(c->r, n, &a) : st;
}

typedef enum dp_status (*item_fn)(struct rd *c, struct dp_report_name *n, const json_t *o);

/* Each entry of the name's array member through fn, where names the entry. */
static enum dp_status read_items(struct rd *c, struct dp_report_name *n, const json_t *o,
                                 const char *key, item_fn fn)
{
	const json_t *a;
	size_t mark = strlen(c->where);
	enum dp_status st = dp_rd_get_array(c, o, key, false, c->lim->max_per_name, &a);

	for (size_t i = 0; st == DP_OK && i < json_array_size(a); i++) {
		snprintf(c->where + mark, sizeof(c->where) - mark, ".%s[%zu]", key, i);
		st = fn(c, n, json_array_get(a, i));
		c->where[mark] = '\0';
	}
	return st;
}

/* A new entry for the name: never one this file or an earlier one listed. */
static enum dp_status new_name(struct rd *c, const char *name, struct dp_report_name **out)
{
	*out = NULL;
	if (!dp_rd_plausible_name(name))
		return dp_rd_bad(c, "\"name\" is not a DNS name");
	if (dp_strmap_get(c->mine, name) != NULL)
		return dp_rd_bad(c, "%s is listed twice", name);
	if (dp_report_lookup(c->r, name) != NULL)
		return dp_rd_bad(c, "%s is also in an earlier report: the shards overlap", name);
	*out = dp_report_name(c->r, name);
	if (*out == NULL || dp_strmap_put(c->mine, (*out)->name, *out) != DP_OK)
		return DP_ENOMEM;
	return DP_OK;
}

static enum dp_status read_name(struct rd *c, const json_t *o)
{
	struct dp_report_name *n = NULL;
	const char *name = NULL, *note = NULL;
	enum dp_status st = json_is_object(o) ? DP_OK : dp_rd_bad(c, "not an object");

	if (st == DP_OK)
		st = dp_rd_get_str(c, o, "name", false, &name);
	if (st == DP_OK)
		st = new_name(c, name, &n);
	if (st == DP_OK)
		st = dp_rd_get_str(c, o, "not_checked", true, &note);
	if (st == DP_OK && note != NULL)
		st = dp_report_set_note(c->r, n, note);
	if (st == DP_OK)
		st = read_items(c, n, o, "records", read_record);
	if (st == DP_OK)
		st = read_caa(c, n, o);
	if (st == DP_OK)
		st = read_items(c, n, o, "authorizations", read_auth);
	return st;
}

static enum dp_status read_finding(struct rd *c, const json_t *o)
{
	struct dp_finding f = {0};
	const char *id = NULL, *sev = NULL, *key = NULL;
	char src[600];
	enum dp_status st = json_is_object(o) ? DP_OK : dp_rd_bad(c, "not an object");

	if (st == DP_OK)
		st = dp_rd_get_str(c, o, "id", false, &id);
	if (st == DP_OK && !dp_finding_parse(id, &f.id))
		st = dp_rd_bad(c, "unknown finding id '%.60s'", id);
	if (st == DP_OK)
		st = dp_rd_get_str(c, o, "severity", false, &sev);
	if (st == DP_OK && (!dp_severity_parse(sev, &f.severity) || f.severity == DP_SEV_OFF))
		st = dp_rd_bad(c, "severity '%.20s' is not critical, warning or notice", sev);
	if (st == DP_OK)
		st = dp_rd_get_str(c, o, "key", false, &key);
	if (st == DP_OK && !dp_rd_is_hex_key(key))
		st = dp_rd_bad(c, "\"key\" is not %d hex digits", DP_FINDING_KEY_LEN);
	if (st == DP_OK)
		st = dp_rd_get_str(c, o, "name", false, &f.name);
	if (st == DP_OK && dp_strmap_get(c->mine, f.name) == NULL)
		st = dp_rd_bad(c, "its name is not among the report's names");
	if (st == DP_OK)
		st = dp_rd_get_str(c, o, "message", false, &f.message);
	if (st == DP_OK)
		st = dp_rd_get_source(c, o, src, sizeof(src), &f.file, &f.line);
	return st == DP_OK ? dp_report_add_finding_keyed(c->r, &f, key) : st;
}

/* The optional "shard" object of a report written by scan --shard. */
static enum dp_status read_shard(struct rd *c, const json_t *root, struct dp_report_file *info)
{
	const json_t *s = json_object_get(root, "shard");
	const char *rules = NULL, *inv = NULL;
	int64_t index = 0, count = 0;
	bool has;
	enum dp_status st;

	if (s == NULL)
		return DP_OK;
	if (!json_is_object(s))
		return dp_rd_bad(c, "\"shard\" is not an object");
	st = dp_rd_get_int(c, s, "count", false, 1, 65536, &has, &count);
	if (st == DP_OK)
		st = dp_rd_get_int(c, s, "index", false, 0, count - 1, &has, &index);
	if (st == DP_OK)
		st = dp_rd_get_str(c, s, "rules", false, &rules);
	if (st == DP_OK)
		st = dp_rd_get_str(c, s, "inventory", false, &inv);
	if (st == DP_OK && (!dp_rd_is_hex_key(rules) || !dp_rd_is_hex_key(inv)))
		st = dp_rd_bad(c, "\"shard\": digests are not %d hex digits", DP_FINDING_KEY_LEN);
	if (st != DP_OK)
		return st;
	info->sharded = true;
	info->shard.index = (unsigned)index;
	info->shard.count = (unsigned)count;
	memcpy(info->shard.rules, rules, sizeof(info->shard.rules));
	memcpy(info->shard.inventory, inv, sizeof(info->shard.inventory));
	return DP_OK;
}

/* format, mode, now and shard into info. */
static enum dp_status read_head(struct rd *c, const json_t *root, struct dp_report_file *info)
{
	const char *mode = NULL;
	int64_t format = 0;
	bool has;
	enum dp_status st = json_is_object(root) ? DP_OK : dp_rd_bad(c, "not a JSON object");

	if (st == DP_OK)
		st = dp_rd_get_int(c, root, "format", false, INT64_MIN, INT64_MAX, &has, &format);
	if (st == DP_OK && format != 2)
		st = dp_rd_bad(c,
		               "report format %" PRId64 " is not 2 (a dnspersist scan or lint JSON "
		               "report)",
		               format);
	if (st == DP_OK)
		st = dp_rd_get_str(c, root, "mode", false, &mode);
	if (st == DP_OK && (strlen(mode) == 0 || strlen(mode) >= sizeof(info->mode) ||
	                    strspn(mode, "abcdefghijklmnopqrstuvwxyz") != strlen(mode)))
		st = dp_rd_bad(c, "\"mode\" '%.20s' is not a source name", mode);
	if (st == DP_OK)
		st = dp_rd_get_int(c, root, "now", false, INT64_MIN, INT64_MAX, &has, &info->now);
	if (st == DP_OK)
		memcpy(info->mode, mode, strlen(mode) + 1);
	return st == DP_OK ? read_shard(c, root, info) : st;
}

/* Notes, and whether the run was fully evaluated. */
static enum dp_status read_state(struct rd *c, const json_t *root)
{
	const json_t *notes;
	const char *status = NULL, *why = NULL;
	enum dp_status st =
	    dp_rd_get_array(c, root, "not_checked", true, c->lim->max_names, &notes);

	for (size_t i = 0; st == DP_OK && i < json_array_size(notes); i++) {
		const json_t *v = json_array_get(notes, i);
		const char *note = NULL;
		if (!json_is_string(v) || json_string_length(v) > c->lim->max_string ||
		    strlen(json_string_value(v)) != json_string_length(v))
			return dp_rd_bad(c, "\"not_checked\"[%zu] is not a string", i);
		st = dp_rd_unescape(c, "not_checked", json_string_value(v), json_string_length(v),
		                    &note, NULL);
		if (st == DP_OK)
			st = dp_report_add_note(c->r, note);
	}
	if (st == DP_OK)
		st = dp_rd_get_str(c, root, "status", false, &status);
	if (st == DP_OK)
		st = dp_rd_get_str(c, root, "unknown_reason", true, &why);
	if (st == DP_OK && strcmp(status, "unknown") == 0)
		dp_report_set_unknown(c->r, why ? why : "not fully evaluated");
	return st;
}

/* The two arrays, each entry where it is. */
static enum dp_status read_body(struct rd *c, const json_t *root)
{
	const json_t *names, *findings;
	enum dp_status st = dp_rd_get_array(c, root, "names", false, c->lim->max_names, &names);

	if (st == DP_OK)
		st = dp_rd_get_array(c, root, "findings", false, c->lim->max_findings, &findings);
	for (size_t i = 0; st == DP_OK && i < json_array_size(names); i++) {
		dp_rd_at(c, "names", i);
		st = read_name(c, json_array_get(names, i));
		dp_arena_reset(c->scratch);
		/* the name is copied: its tree goes, so the peak is one copy, not two */
		json_array_set_new((json_t *)names, i, json_null());
	}
	for (size_t i = 0; st == DP_OK && i < json_array_size(findings); i++) {
		dp_rd_at(c, "findings", i);
		st = read_finding(c, json_array_get(findings, i));
		dp_arena_reset(c->scratch);
	}
	c->where[0] = '\0';
	return st == DP_OK ? read_state(c, root) : st;
}

/* The report to read into: a new one, or the given one if it was the same run's. */
static enum dp_status target(struct rd *c, struct dp_report **into, const struct dp_report_file *f,
                             bool *created)
{
	*created = false;
	if (*into == NULL) {
		*created = true;
		return dp_report_new(f->mode, f->now, into);
	}
	if (strcmp(dp_report_mode(*into), f->mode) != 0)
		return dp_rd_bad(c, "mode %s differs from the other reports' %s", f->mode,
		                 dp_report_mode(*into));
	if (dp_report_now(*into) != f->now)
		return dp_rd_bad(c,
		                 "now %" PRId64 " differs from the other reports' %" PRId64
		                 ": they were not one run",
		                 f->now, dp_report_now(*into));
	return DP_OK;
}

static enum dp_status read_root(struct rd *c, const json_t *root, struct dp_report **into,
                                struct dp_report_file *info)
{
	bool created = false;
	enum dp_status st = dp_strmap_new(&c->mine);

	c->scratch = st == DP_OK ? dp_arena_new() : NULL;
	if (c->scratch == NULL)
		st = DP_ENOMEM;
	if (st == DP_OK)
		st = read_head(c, root, info);
	if (st == DP_OK)
		st = target(c, into, info, &created);
	if (st == DP_OK) {
		c->r = *into;
		st = read_body(c, root);
	}
	if (st == DP_OK)
		st = dp_report_finish(*into);
	dp_strmap_free(c->mine);
	dp_arena_free(c->scratch);
	if (st != DP_OK && created) {
		dp_report_free(*into);
		*into = NULL;
	}
	return st;
}

enum dp_status dp_report_read_json_mem(const char *name, const char *data, size_t len,
                                       const struct dp_report_limits *lim, struct dp_report **into,
                                       struct dp_report_file *info, struct dp_error *err)
{
	struct rd c = {name, lim ? lim : &dp_report_default_limits, err, NULL, NULL, NULL, ""};
	struct dp_report_file mine = {0};
	json_error_t jerr;
	json_t *root;
	enum dp_status st;

	if (info != NULL)
		*info = mine; /* all zero: a report without "shard" is a whole run */
	if (len > c.lim->max_bytes)
		return dp_rd_bad(&c, "larger than %zu octets", c.lim->max_bytes);
	/* jansson bounds nesting (2048 levels) itself */
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	if (root == NULL)
		return dp_error_set(
		    err, DP_EINVAL, name, (unsigned long)(jerr.line > 0 ? jerr.line : 0),
		    (unsigned long)(jerr.column > 0 ? jerr.column : 0), "not JSON: %s", jerr.text);
	st = read_root(&c, root, into, info ? info : &mine);
	json_decref(root);
	return st;
}

/* The whole file (a pipe too), refused when larger than the limit. */
static enum dp_status slurp(struct rd *c, const char *path, char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 65536, n = 0, got = 1;
	char *buf = NULL, *p;
	bool failed;

	*data = NULL;
	if (f == NULL)
		return dp_error_set(c->err, DP_EIO, path, 0, 0, "%s", strerror(errno));
	buf = malloc(cap);
	while (buf != NULL && got > 0 && n <= c->lim->max_bytes) {
		if (n == cap) {
			p = realloc(buf, cap * 2);
			if (p == NULL)
				break;
			buf = p;
			cap *= 2;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	}
	failed = ferror(f) != 0 || buf == NULL || got > 0;
	fclose(f);
	if (n > c->lim->max_bytes) {
		free(buf);
		return dp_rd_bad(c, "larger than %zu octets", c->lim->max_bytes);
	}
	if (failed) {
		enum dp_status st = buf == NULL ? DP_ENOMEM : DP_EIO;
		free(buf);
		return dp_error_set(c->err, st, path, 0, 0, "cannot be read");
	}
	*data = buf;
	*len = n;
	return DP_OK;
}

enum dp_status dp_report_read_json(const char *path, const struct dp_report_limits *lim,
                                   struct dp_report **into, struct dp_report_file *info,
                                   struct dp_error *err)
{
	struct rd c = {path, lim ? lim : &dp_report_default_limits, err, NULL, NULL, NULL, ""};
	char *data = NULL;
	size_t len = 0;
	enum dp_status st;

	if (info != NULL)
		*info = (struct dp_report_file){0};
	st = slurp(&c, path, &data, &len);

	if (st == DP_OK)
		st = dp_report_read_json_mem(path, data, len, c.lim, into, info, err);
	free(data);
	return st;
}
