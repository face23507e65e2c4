/* SPDX-License-Identifier: BSD-3-Clause */
/* Cert Spotter and crt.sh JSON answers into certificates (jansson). */
#include "ct/ctjson.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/grow.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/name.h"
#include "base/strmap.h"
#include "base/timeutil.h"

struct dp_ct_set {
	struct dp_arena *arena;
	struct dp_ct_cert *certs;
	size_t n, cap;
	struct dp_strmap *seen; /* tbs_sha256 or crt.sh id: one entry per issuance */
};

enum dp_status dp_ct_set_new(struct dp_ct_set **out)
{
	struct dp_ct_set *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (s == NULL)
		return DP_ENOMEM;
	s->arena = dp_arena_new();
	if (s->arena == NULL || dp_strmap_new(&s->seen) != DP_OK) {
		dp_ct_set_free(s);
		return DP_ENOMEM;
	}
	*out = s;
	return DP_OK;
}

void dp_ct_set_free(struct dp_ct_set *s)
{
	if (s == NULL)
		return;
	dp_strmap_free(s->seen);
	dp_arena_free(s->arena);
	free(s->certs);
	free(s);
}

size_t dp_ct_set_count(const struct dp_ct_set *s)
{
	return s->n;
}

struct dp_ct_cert *dp_ct_set_at(struct dp_ct_set *s, size_t i)
{
	return &s->certs[i];
}

const struct dp_ct_cert *dp_ct_set_get(const struct dp_ct_set *s, size_t i)
{
	return &s->certs[i];
}

const char *dp_ct_set_strdup(struct dp_ct_set *s, const char *str)
{
	return str ? dp_arena_strdup(s->arena, str) : NULL;
}

static struct dp_ct_cert *new_cert(struct dp_ct_set *s)
{
	if (dp_grow(&s->certs, &s->cap, s->n, sizeof(*s->certs), 64) != DP_OK)
		return NULL;
	memset(&s->certs[s->n], 0, sizeof(s->certs[s->n]));
	return &s->certs[s->n++];
}

/* "2026-01-02T03:04:05" with any suffix (fraction, Z, +00:00): both services give UTC. */
static bool parse_time(json_t *v, int64_t *out)
{
	char buf[24];
	const char *s = json_string_value(v);

	if (s == NULL || strlen(s) < 19)
		return false;
	memcpy(buf, s, 19);
	buf[19] = 'Z';
	buf[20] = '\0';
	return dp_time_parse(buf, 0, out, NULL) == DP_OK && buf[0] != '+' && buf[0] != '-';
}

/* Keep name (normalized) when it is the zone, under it, or *.zone. */
static bool name_in_zone(const char *zone, const char *raw, size_t len, char out[DP_NAME_MAX])
{
	char tmp[DP_NAME_MAX];

	if (len == 0 || len >= DP_NAME_MAX || memchr(raw, '\0', len) != NULL)
		return false;
	memcpy(tmp, raw, len);
	tmp[len] = '\0';
	if (dp_name_normalize(tmp, out, NULL) != DP_OK)
		return false; /* not a host name: no CA issues for it under CAA */
	const char *base = dp_name_strip_wildcard(out);
	return dp_name_equal(base, zone) || dp_name_is_below(base, zone);
}

/* Append a name (copied) to c unless it is there already. */
static enum dp_status add_name(struct dp_ct_set *s, struct dp_ct_cert *c, const char *name,
                               size_t *cap)
{
	for (size_t i = 0; i < c->n_names; i++)
		if (strcmp(c->names[i], name) == 0)
			return DP_OK;
	if (c->n_names == *cap) {
		size_t ncap = *cap ? *cap * 2 : 4;
		const char **n = dp_arena_alloc(s->arena, ncap * sizeof(*n));
		if (n == NULL)
			return DP_ENOMEM;
		if (c->n_names)
			memcpy(n, c->names, c->n_names * sizeof(*n));
		c->names = n;
		*cap = ncap;
	}
	c->names[c->n_names] = dp_arena_strdup(s->arena, name);
	return c->names[c->n_names++] ? DP_OK : DP_ENOMEM;
}

static enum dp_status add_names_json(struct dp_ct_set *s, struct dp_ct_cert *c, const char *zone,
                                     json_t *arr)
{
	size_t i, cap = 0;
	json_t *v;
	char norm[DP_NAME_MAX];
	enum dp_status st = DP_OK;

	json_array_foreach(arr, i, v)
	{
		const char *str = json_string_value(v);
		if (st == DP_OK && str != NULL &&
		    name_in_zone(zone, str, json_string_length(v), norm))
			st = add_name(s, c, norm, &cap);
	}
	return st;
}

/* crt.sh's name_value: names separated by newlines. */
static enum dp_status add_names_lines(struct dp_ct_set *s, struct dp_ct_cert *c, const char *zone,
                                      const char *v, size_t len)
{
	size_t cap = 0;
	char norm[DP_NAME_MAX];
	enum dp_status st = DP_OK;

	while (st == DP_OK && len > 0) {
		const char *nl = memchr(v, '\n', len);
		size_t n = nl ? (size_t)(nl - v) : len;
		if (name_in_zone(zone, v, n, norm))
			st = add_name(s, c, norm, &cap);
		v += nl ? n + 1 : n;
		len -= nl ? n + 1 : n;
	}
	return st;
}

static enum dp_status bad(struct dp_error *err, const char *what, size_t row)
{
	return dp_error_set(err, DP_ESYNTAX, NULL, 0, 0, "%s (item %zu)", what, row + 1);
}

static enum dp_status load(const char *body, size_t len, json_t **out, struct dp_error *err)
{
	json_error_t je;
	json_t *root = json_loadb(body, len, 0, &je);

	*out = root;
	if (root == NULL)
		return dp_error_set(err, DP_ESYNTAX, NULL, 0, 0, "not JSON: %.200s at line %d",
		                    je.text, je.line);
	if (json_is_object(root) && json_is_string(json_object_get(root, "code")))
		return dp_error_set(err, DP_ESYNTAX, NULL, 0, 0,
		                    "the service answered an error: %.100s",
		                    json_string_value(json_object_get(root, "code")));
	if (!json_is_array(root))
		return dp_error_set(err, DP_ESYNTAX, NULL, 0, 0,
		                    "not a JSON array of certificates");
	return DP_OK;
}

/* issuer.caa_domains: a list of names, or null (unknown). */
/*
 * A new certificate from one answer row: its validity (bad_time is the
 * message when the row has none), where it came from and where to see it.
 * Strings are copied into the set.
 */
static enum dp_status cert_begin(struct dp_ct_set *s, json_t *it, const char *const fields[4],
                                 const char *zone, const char *bad_time, size_t row,
                                 struct dp_ct_cert **out, struct dp_error *err)
{
	struct dp_ct_cert *c = new_cert(s);

	if (c == NULL)
		return DP_ENOMEM;
	if (!parse_time(json_object_get(it, "not_before"), &c->not_before) ||
	    !parse_time(json_object_get(it, "not_after"), &c->not_after)) {
		s->n--;
		return bad(err, bad_time, row);
	}
	c->source = fields[0]; /* a constant: "certspotter" or "crtsh" */
	c->id = dp_arena_strdup(s->arena, fields[1]);
	c->issuer = dp_arena_strdup(s->arena, fields[2]);
	c->link = dp_arena_strdup(s->arena, fields[3]);
	c->zone = dp_arena_strdup(s->arena, zone);
	if (c->id == NULL || c->issuer == NULL || c->link == NULL || c->zone == NULL)
		return DP_ENOMEM;
	*out = c;
	return DP_OK;
}

static enum dp_status issuer_caa(struct dp_ct_set *s, struct dp_ct_cert *c, json_t *iss)
{
	json_t *arr = json_object_get(iss, "caa_domains"), *v;
	char norm[DP_NAME_MAX];
	size_t i;

	if (!json_is_array(arr) || json_array_size(arr) == 0)
		return DP_OK;
	c->caa = dp_arena_alloc(s->arena, json_array_size(arr) * sizeof(*c->caa));
	if (c->caa == NULL)
		return DP_ENOMEM;
	json_array_foreach(arr, i, v)
	{
		const char *d = json_string_value(v);
		if (d == NULL || dp_name_normalize(d, norm, NULL) != DP_OK)
			continue;
		c->caa[c->n_caa] = dp_arena_strdup(s->arena, norm);
		if (c->caa[c->n_caa++] == NULL)
			return DP_ENOMEM;
	}
	c->caa_given = c->n_caa > 0;
	return DP_OK;
}

static const char *issuer_display(json_t *iss)
{
	const char *f = json_string_value(json_object_get(iss, "friendly_name"));
	const char *n = json_string_value(json_object_get(iss, "name"));

	return f && *f ? f : n && *n ? n : "(unnamed issuer)";
}

static enum dp_status spotter_item(struct dp_ct_set *s, const char *zone, json_t *it, size_t row,
                                   struct dp_error *err)
{
	json_t *iss = json_object_get(it, "issuer");
	const char *id = json_string_value(json_object_get(it, "id"));
	const char *tbs = json_string_value(json_object_get(it, "tbs_sha256"));
	const char *sha = json_string_value(json_object_get(it, "cert_sha256"));
	const char *key = tbs ? tbs : id;
	struct dp_ct_cert *c;
	struct dp_buf link = {0};
	enum dp_status st;

	if (!json_is_object(it) || id == NULL || !json_is_array(json_object_get(it, "dns_names")))
		return bad(err, "an issuance without an id or dns_names", row);
	if (dp_strmap_get(s->seen, key) != NULL)
		return DP_OK; /* the certificate of a precertificate seen already */
	dp_buf_addf(&link, "https://crt.sh/?%s=%s", sha ? "sha256" : "q", sha ? sha : id);
	st = cert_begin(s, it,
	                (const char *const[4]){"certspotter", id, issuer_display(iss),
	                                       link.data ? link.data : ""},
	                zone, "an issuance without valid not_before and not_after", row, &c, err);
	dp_buf_free(&link);
	if (st == DP_OK)
		st = issuer_caa(s, c, iss);
	if (st == DP_OK)
		st = add_names_json(s, c, zone, json_object_get(it, "dns_names"));
	if (st == DP_OK) {
		const char *k = dp_arena_strdup(s->arena, key);
		if (k == NULL || dp_strmap_put(s->seen, k, s) != DP_OK)
			st = DP_ENOMEM;
	}
	if (st == DP_OK && c->n_names == 0)
		s->n--; /* nothing in the zone: not ours */
	return st;
}

enum dp_status dp_ct_parse_certspotter(struct dp_ct_set *s, const char *zone, const char *body,
                                       size_t len, size_t *n_items, const char **last_id,
                                       struct dp_error *err)
{
	json_t *root = NULL, *it;
	size_t i;
	enum dp_status st = load(body, len, &root, err);

	*n_items = 0;
	*last_id = NULL;
	json_array_foreach(root, i, it)
	{
		if (st != DP_OK)
			break;
		if (s->n >= DP_CT_MAX_CERTS)
			st = dp_error_set(err, DP_ELIMIT, NULL, 0, 0, "more than %d certificates",
			                  DP_CT_MAX_CERTS);
		else
			st = spotter_item(s, zone, it, i, err);
	}
	if (st == DP_OK && json_array_size(root) > 0) {
		*n_items = json_array_size(root);
		*last_id = dp_arena_strdup(
		    s->arena,
		    json_string_value(json_object_get(json_array_get(root, *n_items - 1), "id")));
		if (*last_id == NULL)
			st = DP_ENOMEM;
	}
	json_decref(root);
	return st;
}

static enum dp_status crtsh_row(struct dp_ct_set *s, const char *zone, json_t *it, size_t row,
                                struct dp_error *err)
{
	json_t *idv = json_object_get(it, "id"), *nv = json_object_get(it, "name_value");
	const char *issuer = json_string_value(json_object_get(it, "issuer_name"));
	char id[32];
	struct dp_buf link = {0};
	struct dp_ct_cert *c;
	enum dp_status st = DP_OK;

	if (!json_is_object(it) || !json_is_integer(idv) || json_integer_value(idv) < 0 ||
	    !json_is_string(nv) || issuer == NULL)
		return bad(err, "a row without id, issuer_name or name_value", row);
	snprintf(id, sizeof(id), "%lld", (long long)json_integer_value(idv));
	if (dp_strmap_get(s->seen, id) != NULL)
		return DP_OK;
	dp_buf_addf(&link, "https://crt.sh/?id=%s", id);
	st = cert_begin(s, it,
	                (const char *const[4]){"crtsh", id, issuer, link.data ? link.data : ""},
	                zone, "a row without valid not_before and not_after", row, &c, err);
	dp_buf_free(&link);
	if (st != DP_OK)
		return st;
	st = add_names_lines(s, c, zone, json_string_value(nv), json_string_length(nv));
	if (st == DP_OK && dp_strmap_put(s->seen, c->id, s) != DP_OK)
		st = DP_ENOMEM;
	if (st == DP_OK && c->n_names == 0)
		s->n--;
	return st;
}

enum dp_status dp_ct_parse_crtsh(struct dp_ct_set *s, const char *zone, const char *body,
                                 size_t len, struct dp_error *err)
{
	json_t *root = NULL, *it;
	size_t i;
	enum dp_status st = load(body, len, &root, err);

	if (st == DP_OK && json_array_size(root) >= DP_CRTSH_ROW_CAP)
		st = dp_error_set(err, DP_ELIMIT, NULL, 0, 0,
		                  "crt.sh answered %zu rows, its cap: the answer is incomplete",
		                  json_array_size(root));
	json_array_foreach(root, i, it)
	{
		if (st != DP_OK)
			break;
		if (s->n >= DP_CT_MAX_CERTS)
			st = dp_error_set(err, DP_ELIMIT, NULL, 0, 0, "more than %d certificates",
			                  DP_CT_MAX_CERTS);
		else
			st = crtsh_row(s, zone, it, i, err);
	}
	json_decref(root);
	return st;
}

enum dp_status dp_ct_parse_any(struct dp_ct_set *s, const char *zone, const char *body, size_t len,
                               struct dp_error *err)
{
	json_t *root = NULL, *first;
	bool crtsh;
	enum dp_status st = load(body, len, &root, err);
	size_t n;
	const char *last;

	first = json_array_get(root, 0);
	crtsh = json_object_get(first, "name_value") != NULL;
	json_decref(root);
	if (st != DP_OK)
		return st;
	if (crtsh)
		return dp_ct_parse_crtsh(s, zone, body, len, err);
	return dp_ct_parse_certspotter(s, zone, body, len, &n, &last, err);
}
