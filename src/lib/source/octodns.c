/* SPDX-License-Identifier: BSD-3-Clause */
/* The octoDNS zone reader: YAML records to the zone reader's callback. */
#include "source/octodns.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "model/yamlutil.h"

#define PERSIST_LABEL "_validation-persist"

struct octo {
	struct dp_yaml *y;
	const struct dp_zone_opts *opts;
	dp_zone_cb cb;
	void *ctx;
	struct dp_error *err;
	char origin[DP_NAME_MAX];
	char owner[DP_NAME_MAX];
	bool persist; /* owner is a _validation-persist name */
	uint32_t ttl;
	struct dp_buf value; /* a TXT value unescaped */
};

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n > k && strcmp(s + n - k, suffix) == 0;
}

bool dp_octodns_is_file(const char *path)
{
	return has_suffix(path, ".yaml") || has_suffix(path, ".yml");
}

bool dp_octodns_origin(const char *path, char out[DP_NAME_MAX])
{
	const char *base = strrchr(path, '/');
	char name[DP_NAME_MAX + 8];
	size_t n;

	base = base ? base + 1 : path;
	if (!dp_octodns_is_file(base) ||
	    snprintf(name, sizeof(name), "%s", base) >= (int)sizeof(name))
		return false;
	n = strlen(name);
	name[n - (has_suffix(name, ".yml") ? 4 : 5)] = '\0';
	return name[0] != '\0' && strchr(name, '.') != NULL && strchr(name, '*') == NULL &&
	       dp_name_normalize(name, out, NULL) == DP_OK;
}

/* ---- one record ------------------------------------------------------------------ */

static enum dp_status emit(struct octo *o, struct dp_zrr *rr, const struct dp_ynode *at)
{
	rr->owner = o->owner;
	rr->ttl = o->ttl;
	rr->file = dp_yaml_file(o->y);
	rr->line = dp_yaml_line(at);
	return o->cb(rr, o->ctx, o->err);
}

/* octoDNS escapes ';' in TXT values as "\;" and refuses a bare one. */
static enum dp_status unescape_txt(struct octo *o, const struct dp_ynode *n, const char *s,
                                   size_t len)
{
	dp_buf_reset(&o->value);
	dp_buf_add(&o->value, "", 0);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == ';' && (i == 0 || s[i - 1] != '\\'))
			return dp_yaml_error(o->y, n, o->err,
			                     "unescaped ';' in a TXT value (octoDNS wants \\;)");
		if (s[i] == '\\' && i + 1 < len && s[i + 1] == ';')
			continue;
		dp_buf_addc(&o->value, s[i]);
	}
	return dp_buf_status(&o->value);
}

static enum dp_status txt_value(struct octo *o, const struct dp_ynode *n)
{
	size_t len;
	const char *s = dp_yaml_scalar(n, &len);
	enum dp_status st;

	if (s == NULL)
		return dp_yaml_error(o->y, n, o->err, "a TXT value must be a string");
	st = unescape_txt(o, n, s, len);
	if (st != DP_OK)
		return st;
	struct dp_zrr rr = {
	    .type = DP_RR_TXT, .txt = o->value.data, .txt_len = o->value.len, .txt_strings = 1};
	return emit(o, &rr, n);
}

static enum dp_status caa_value(struct octo *o, struct dp_ynode *n)
{
	static const char *const keys[] = {"flags", "tag", "value", NULL};
	struct dp_ynode *flags, *tag, *value;
	int64_t f = 0;
	const char *t = NULL, *v;
	size_t vlen;
	enum dp_status st = dp_yaml_map(o->y, n, "a CAA value", keys, o->err);

	if (st != DP_OK)
		return st;
	flags = dp_yaml_get(o->y, n, "flags");
	tag = dp_yaml_get(o->y, n, "tag");
	value = dp_yaml_get(o->y, n, "value");
	if (tag == NULL || value == NULL)
		return dp_yaml_error(o->y, n, o->err, "a CAA value needs a tag and a value");
	if (flags != NULL)
		st = dp_yaml_int(o->y, flags, "CAA flags", 0, 255, &f, o->err);
	if (st == DP_OK)
		st = dp_yaml_str(o->y, tag, "a CAA tag", &t, o->err);
	v = dp_yaml_scalar(value, &vlen);
	if (st == DP_OK && v == NULL)
		st = dp_yaml_error(o->y, value, o->err, "a CAA value must be a string");
	if (st != DP_OK)
		return st;
	struct dp_zrr rr = {.type = DP_RR_CAA,
	                    .caa_flags = (uint8_t)f,
	                    .caa_tag = t,
	                    .caa_value = v,
	                    .caa_value_len = vlen};
	return emit(o, &rr, value);
}

static bool cname_wanted(const struct octo *o)
{
	const struct dp_zone_opts *z = o->opts;

	if (o->persist || (!z->persist_cnames_only && z->cname_filter == NULL))
		return true;
	return z->cname_filter != NULL && z->cname_filter(o->owner, o->ctx);
}

static enum dp_status cname_value(struct octo *o, const struct dp_ynode *n)
{
	char target[DP_NAME_MAX];
	size_t len;
	const char *s = dp_yaml_scalar(n, &len);

	if (s == NULL || len < 2 || s[len - 1] != '.' ||
	    dp_name_normalize(s, target, NULL) != DP_OK)
		return dp_yaml_error(o->y, n, o->err,
		                     "a CNAME value must be a fully qualified name ending in '.'");
	if (!cname_wanted(o))
		return DP_OK;
	struct dp_zrr rr = {.type = DP_RR_CNAME, .target = target};
	return emit(o, &rr, n);
}

/* The value or each of the values of a record, through one handler. */
static enum dp_status each_value(struct octo *o, struct dp_ynode *rec,
                                 enum dp_status (*fn)(struct octo *, struct dp_ynode *))
{
	struct dp_ynode *one = dp_yaml_get(o->y, rec, "value");
	struct dp_ynode *many = dp_yaml_get(o->y, rec, "values");
	enum dp_status st = DP_OK;

	if ((one == NULL) == (many == NULL))
		return dp_yaml_error(o->y, rec, o->err,
		                     "a record needs value or values (not both)");
	if (one != NULL)
		return fn(o, one);
	st = dp_yaml_seq(o->y, many, "values", o->err);
	for (size_t i = 0; st == DP_OK && i < dp_yaml_len(many); i++)
		st = fn(o, dp_yaml_item(o->y, many, i));
	return st;
}

static enum dp_status txt_fn(struct octo *o, struct dp_ynode *n)
{
	return txt_value(o, n);
}

static enum dp_status cname_fn(struct octo *o, struct dp_ynode *n)
{
	return cname_value(o, n);
}

/* Record types the reader keeps; the others are skipped unread, as in a BIND file. */
static enum dp_status record(struct octo *o, struct dp_ynode *rec, bool *cname)
{
	struct dp_ynode *type, *ttl;
	const char *t;
	int64_t v = 0;
	enum dp_status st;

	if (rec == NULL || rec->type != DP_YNODE_MAPPING)
		return dp_yaml_error(o->y, rec, o->err, "a record must be a mapping {type, value}");
	type = dp_yaml_get(o->y, rec, "type");
	if (type == NULL)
		return dp_yaml_error(o->y, rec, o->err, "a record needs a type");
	st = dp_yaml_str(o->y, type, "type", &t, o->err);
	ttl = dp_yaml_get(o->y, rec, "ttl");
	if (st == DP_OK && ttl != NULL)
		st = dp_yaml_int(o->y, ttl, "ttl", 0, 2147483647, &v, o->err);
	if (st != DP_OK)
		return st;
	o->ttl = (uint32_t)v;
	*cname = strcasecmp(t, "CNAME") == 0;
	if (strcasecmp(t, "TXT") == 0)
		return o->persist || o->opts->all_txt ? each_value(o, rec, txt_fn) : DP_OK;
	if (strcasecmp(t, "CAA") == 0)
		return each_value(o, rec, caa_value);
	if (*cname)
		return each_value(o, rec, cname_fn);
	return DP_OK;
}

/* ---- names ----------------------------------------------------------------------- */

static enum dp_status set_owner(struct octo *o, const struct dp_ynode *key)
{
	char full[DP_NAME_MAX * 2];
	size_t len;
	const char *k = dp_yaml_scalar(key, &len);
	size_t n = strlen(PERSIST_LABEL);

	if (k == NULL || strlen(k) != len)
		return dp_yaml_error(o->y, key, o->err, "a record name must be a string");
	snprintf(full, sizeof(full), "%s%s%s", k, len ? "." : "", o->origin);
	if (len > DP_NAME_MAX || k[len ? len - 1 : 0] == '.' ||
	    dp_name_normalize(full, o->owner, NULL) != DP_OK)
		return dp_yaml_error(o->y, key, o->err,
		                     "'%.*s' is not a name relative to the zone ('' is the apex)",
		                     (int)(len > 100 ? 100 : len), k);
	o->persist =
	    strncmp(o->owner, PERSIST_LABEL, n) == 0 && (o->owner[n] == '.' || o->owner[n] == '\0');
	return DP_OK;
}

static enum dp_status name_records(struct octo *o, struct dp_ynode *key, struct dp_ynode *val)
{
	size_t n = val && val->type == DP_YNODE_SEQUENCE ? dp_yaml_len(val) : 1;
	bool cname = false, any_cname = false;
	enum dp_status st = set_owner(o, key);

	for (size_t i = 0; st == DP_OK && i < n; i++) {
		struct dp_ynode *rec =
		    val && val->type == DP_YNODE_SEQUENCE ? dp_yaml_item(o->y, val, i) : val;
		st = record(o, rec, &cname);
		any_cname |= cname;
	}
	if (st == DP_OK && any_cname && n > 1)
		st = dp_yaml_error(o->y, key, o->err, "a CNAME cannot stand beside other records");
	return st;
}

static enum dp_status build(struct dp_yaml *y, void *out, struct dp_error *err)
{
	struct octo *o = out;
	struct dp_ynode *root = dp_yaml_root(y);
	enum dp_status st = DP_OK;

	o->y = y;
	if (root == NULL || root->type != DP_YNODE_MAPPING)
		return dp_yaml_error(y, root, err,
		                     "an octoDNS zone is a mapping of names to records");
	for (size_t i = 0; st == DP_OK && i < dp_yaml_len(root); i++)
		st = name_records(o, dp_yaml_key_at(y, root, i), dp_yaml_value_at(y, root, i));
	return st;
}

enum dp_status dp_octodns_read(const char *name, const char *data, size_t len,
                               const struct dp_zone_opts *opts, dp_zone_cb cb, void *ctx,
                               struct dp_error *err)
{
	static const struct dp_zone_opts defaults = {.no_include = true};
	struct octo o = {.opts = opts ? opts : &defaults, .cb = cb, .ctx = ctx, .err = err};
	enum dp_status st;

	opts = o.opts;

	if (opts->origin != NULL) {
		if (dp_name_normalize(opts->origin, o.origin, NULL) != DP_OK)
			return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "bad origin '%s'",
			                    opts->origin);
	} else if (!dp_octodns_origin(name, o.origin)) {
		return dp_error_set(err, DP_ENOORIGIN, name, 0, 0,
		                    "an octoDNS zone file is named after its zone "
		                    "(example.com.yaml), or give --origin");
	}
	if (opts->stats != NULL)
		opts->stats->files++;
	st = dp_yaml_build(name, data, len, build, &o, err);
	dp_buf_free(&o.value);
	return st;
}
