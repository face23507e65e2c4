/* SPDX-License-Identifier: BSD-3-Clause */
/* The CT observation: zones to ask, pages fetched or read from the cache, certificates indexed. */
#include "ct/ct.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/grow.h"
#include "base/buf.h"
#include "base/name.h"
#include "base/strmap.h"
#include "ct/http.h"
#include "ct/issuers.h"

#define MAX_PAGES   1000        /* Cert Spotter pages per zone */
#define MAX_FILE    (64u << 20) /* a saved answer */
#define DEFAULT_MAX (32u << 20) /* an answer over the network */

/* The certificates of one name: indexes into the set. */
struct idx {
	size_t *v;
	size_t n, cap;
};

/* One zone's query under way. */
struct zq {
	struct dp_ct_zone z;
	char zone[DP_NAME_MAX];
	int pages;
	char after[128]; /* the last id, for after= */
	struct dp_buf err;
};

struct dp_ct_obs {
	const struct dp_ct_config *cfg;
	const struct dp_inventory *inv;
	struct dp_ct_set *set;
	struct zq *zones;
	size_t n_zones;
	struct dp_strmap *by_name, *by_wild; /* name -> struct idx */
	const char **names;                  /* keys of by_name and by_wild, each once */
	size_t n_names, cap_names;
	size_t *kept; /* the set's certificates that count */
	size_t n_kept;
	struct dp_issuer_map *extra; /* the inventory's ct.issuers as table rows */
	size_t n_extra;
	struct dp_buf scratch;
};

bool dp_ct_source_parse(const char *s, struct dp_ct_config *cfg)
{
	if (strcmp(s, "certspotter") == 0)
		cfg->kind = DP_CT_CERTSPOTTER;
	else if (strcmp(s, "crtsh") == 0)
		cfg->kind = DP_CT_CRTSH;
	else if (strncmp(s, "file:", 5) == 0 && s[5] != '\0') {
		cfg->kind = DP_CT_FILE;
		cfg->file = s + 5;
	} else
		return false;
	return true;
}

const char *dp_ct_kind_name(enum dp_ct_kind k)
{
	static const char *const names[] = {"certspotter", "crtsh", "file", "inventory"};
	return (unsigned)k < 4 ? names[k] : "?";
}

/* ---- which zones ---- */

/* The registered parent of a name, short of a public-suffix list: its last two labels. */
static const char *registered(const char *name)
{
	const char *p = name, *dot;

	while (dp_name_label_count(p) > 2) {
		dot = strchr(p, '.');
		p = dot + 1;
	}
	return p;
}

static enum dp_status add_zone(struct dp_ct_obs *o, const char *zone)
{
	struct zq *z;

	for (size_t i = 0; i < o->n_zones; i++)
		if (strcmp(o->zones[i].zone, zone) == 0)
			return DP_OK;
	z = realloc(o->zones, (o->n_zones + 1) * sizeof(*z));
	if (z == NULL)
		return DP_ENOMEM;
	o->zones = z;
	z = &o->zones[o->n_zones++];
	memset(z, 0, sizeof(*z));
	snprintf(z->zone, sizeof(z->zone), "%s", zone);
	return DP_OK;
}

static enum dp_status plan_zones(struct dp_ct_obs *o)
{
	const struct dp_inventory *inv = o->inv;
	enum dp_status st = DP_OK;

	for (size_t i = 0; st == DP_OK && i < dp_inventory_zone_count(inv); i++)
		st = add_zone(o, dp_inventory_zone(inv, i));
	for (size_t i = 0; st == DP_OK && i < dp_inventory_domain_count(inv); i++) {
		const char *name = dp_inventory_domain(inv, i)->name;
		if (dp_inventory_owner_zone(inv, name) == NULL)
			st = add_zone(o, registered(name));
	}
	for (size_t i = 0; i < o->n_zones; i++)
		o->zones[i].z.zone = o->zones[i].zone; /* stable now */
	return st;
}

/* ---- URLs and the cache ---- */

static void page_url(const struct dp_ct_obs *o, const struct zq *z, int64_t lookback,
                     struct dp_buf *b)
{
	const struct dp_ct_config *c = o->cfg;
	const char *base = c->base_url;
	size_t blen;

	if (base == NULL)
		base =
		    c->kind == DP_CT_CERTSPOTTER ? "https://api.certspotter.com" : "https://crt.sh";
	blen = strlen(base);
	while (blen > 0 && base[blen - 1] == '/')
		blen--;
	dp_buf_reset(b);
	dp_buf_add(b, base, blen);
	if (c->kind == DP_CT_CERTSPOTTER) {
		dp_buf_addf(b,
		            "/v1/issuances?domain=%s&include_subdomains=true&match_wildcards=true"
		            "&expand=dns_names&expand=issuer&expand=issuer.caa_domains",
		            z->zone);
		if (z->after[0] != '\0')
			dp_buf_addf(b, "&after=%s", z->after);
	} else {
		dp_buf_addf(b, "/?dNSName=%%25.%s&output=json&deduplicate=Y%s", z->zone,
		            lookback > 0 ? "" : "&exclude=expired");
	}
}

/* FNV-1a of the URL: the cache file's name (the file's first line is the URL, checked). */
static void cache_path(const char *dir, const char *url, struct dp_buf *b)
{
	uint64_t h = 14695981039346656037ull;

	for (const char *p = url; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	dp_buf_reset(b);
	dp_buf_addf(b, "%s/ct-%016llx.json", dir, (unsigned long long)h);
}

static bool read_file(const char *path, size_t max, struct dp_buf *out)
{
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t n;

	dp_buf_reset(out);
	if (f == NULL)
		return false;
	for (;;) {
		n = fread(chunk, 1, sizeof(chunk), f);
		if (n == 0 || out->len + n > max)
			break;
		dp_buf_add(out, chunk, n);
	}
	bool ok = !ferror(f) && feof(f) && dp_buf_status(out) == DP_OK;

	fclose(f);
	if (ok && out->len == 0) { /* an empty file: still a NUL-terminated (empty) body */
		dp_buf_addc(out, '\0');
		out->len = 0;
	}
	return ok;
}

/* A kept answer for url younger than the maximum age: its body into out. */
static bool cache_get(const struct dp_ct_obs *o, const char *url, struct dp_buf *out)
{
	struct dp_buf path = {0}, all = {0};
	struct stat sb;
	bool ok = false;
	size_t ulen = strlen(url);

	if (o->cfg->cache_dir == NULL)
		return false;
	cache_path(o->cfg->cache_dir, url, &path);
	if (path.data != NULL && stat(path.data, &sb) == 0 &&
	    time(NULL) - sb.st_mtime <= o->cfg->cache_max_age &&
	    read_file(path.data, DEFAULT_MAX + ulen + 1, &all) && all.len > ulen &&
	    memcmp(all.data, url, ulen) == 0 && all.data[ulen] == '\n') {
		dp_buf_reset(out);
		dp_buf_add(out, all.data + ulen + 1, all.len - ulen - 1);
		dp_buf_addc(out, '\0');
		out->len--;
		ok = dp_buf_status(out) == DP_OK;
	}
	dp_buf_free(&path);
	dp_buf_free(&all);
	return ok;
}

/* Keep an answer: written to a temporary file, then renamed (never half a file). */
static void cache_put(const struct dp_ct_obs *o, const char *url, const char *body, size_t len)
{
	struct dp_buf path = {0}, tmp = {0};
	int fd;
	FILE *f;
	bool ok;

	if (o->cfg->cache_dir == NULL)
		return;
	cache_path(o->cfg->cache_dir, url, &path);
	dp_buf_addf(&tmp, "%s/.ct-tmp-XXXXXX", o->cfg->cache_dir);
	fd = tmp.data ? mkstemp(tmp.data) : -1;
	f = fd >= 0 ? fdopen(fd, "wb") : NULL;
	if (f == NULL && fd >= 0)
		close(fd);
	if (f != NULL) {
		ok = fprintf(f, "%s\n", url) > 0 && fwrite(body, 1, len, f) == len;
		ok = fclose(f) == 0 && ok;
		if (!ok || path.data == NULL || rename(tmp.data, path.data) != 0)
			unlink(tmp.data);
	}
	dp_buf_free(&path);
	dp_buf_free(&tmp);
}

/* ---- answers ---- */

static void zone_error(struct zq *z, const char *source, const char *url, const char *why)
{
	if (z->z.error != NULL)
		return;
	dp_buf_reset(&z->err);
	dp_buf_addf(&z->err, "%s", source);
	if (url != NULL)
		dp_buf_addf(&z->err, " (%s)", url);
	dp_buf_addf(&z->err, ": %s", why);
	z->z.error = z->err.data ? z->err.data : "out of memory";
}

/*
 * One page for zone z: parsed; *more when Cert Spotter has another page
 * (z->after set). False when the page was refused (z's error is set).
 */
static bool take_page(struct dp_ct_obs *o, struct zq *z, const char *url, const char *body,
                      size_t len, bool *more, enum dp_status *fatal)
{
	struct dp_error err = {0};
	size_t n_items = 0;
	const char *last = NULL;
	enum dp_status st;

	*more = false;
	if (o->cfg->kind == DP_CT_CRTSH)
		st = dp_ct_parse_crtsh(o->set, z->zone, body, len, &err);
	else
		st = dp_ct_parse_certspotter(o->set, z->zone, body, len, &n_items, &last, &err);
	if (st == DP_ENOMEM) {
		*fatal = st;
		return false;
	}
	if (st != DP_OK) {
		zone_error(z, dp_ct_kind_name(o->cfg->kind), url, err.msg);
		return false;
	}
	if (n_items > 0) {
		if (strcmp(z->after, last) == 0 || strlen(last) >= sizeof(z->after) ||
		    ++z->pages >= MAX_PAGES) {
			zone_error(z, dp_ct_kind_name(o->cfg->kind), url,
			           "the pages do not end (the same id again, or too many pages)");
			return false;
		}
		snprintf(z->after, sizeof(z->after), "%s", last);
		*more = true;
	}
	return true;
}

/*
 * From url on: take the pages the cache holds; *next gets the first URL to
 * fetch (malloc()ed), or NULL when the zone is done.
 */
static enum dp_status advance(struct dp_ct_obs *o, struct zq *z, const char *url, char **next)
{
	struct dp_buf u = {0}, body = {0};
	enum dp_status fatal = DP_OK;
	bool more = true;

	*next = NULL;
	dp_buf_adds(&u, url);
	while (fatal == DP_OK && more && u.data != NULL && cache_get(o, u.data, &body)) {
		if (!take_page(o, z, u.data, body.data, body.len, &more, &fatal))
			more = false;
		else if (more)
			page_url(o, z, 0, &u);
	}
	if (fatal == DP_OK && more && z->z.error == NULL)
		*next = u.data ? dp_buf_steal(&u) : NULL;
	if (fatal == DP_OK && more && *next == NULL && z->z.error == NULL)
		fatal = DP_ENOMEM;
	dp_buf_free(&u);
	dp_buf_free(&body);
	return fatal;
}

/* The batch's jobs are the zones the cache did not answer: job -> zone. */
struct jobs {
	struct dp_ct_obs *o;
	const size_t *zone_of;
};

static enum dp_status on_answer(void *ctx, size_t job, const struct dp_http_answer *a, char **next)
{
	const struct jobs *jb = ctx;
	struct dp_ct_obs *o = jb->o;
	struct zq *z = &o->zones[jb->zone_of[job]];
	enum dp_status fatal = DP_OK;
	bool more;

	*next = NULL;
	if (a->error != NULL) {
		zone_error(z, dp_ct_kind_name(o->cfg->kind), a->url, a->error);
		return DP_OK;
	}
	if (!take_page(o, z, a->url, a->body, a->len, &more, &fatal))
		return fatal;
	cache_put(o, a->url, a->body, a->len);
	if (!more)
		return DP_OK;
	page_url(o, z, 0, &o->scratch);
	return o->scratch.data ? advance(o, z, o->scratch.data, next) : DP_ENOMEM;
}

static enum dp_status http_zones(struct dp_ct_obs *o, const struct dp_http_opts *ho,
                                 const char *const *urls, const size_t *map, size_t n)
{
	struct jobs jb = {o, map};
	return dp_http_run(ho, urls, n, on_answer, &jb);
}

void dp_ct_http_opts(const struct dp_ct_config *cfg, size_t max_size, struct dp_buf *ua,
                     struct dp_http_opts *ho)
{
	/* connect within 10 s (or the whole timeout, when shorter); Retry-After
	 * waits at most 20 s; 4 transfers at once */
	*ho = (struct dp_http_opts){.cacert = cfg->cacert,
	                            .connect_ms = cfg->timeout_ms < 10000 ? cfg->timeout_ms : 10000,
	                            .total_ms = cfg->timeout_ms,
	                            .max_size = max_size,
	                            .retries = cfg->retries,
	                            .backoff_ms = cfg->backoff_ms,
	                            .retry_after_cap_s = 20,
	                            .concurrency = 4};
	dp_buf_addf(ua, "dnspersist/%s", cfg->version ? cfg->version : "0");
	ho->user_agent = ua->data;
}

static enum dp_status fetch(struct dp_ct_obs *o)
{
	const struct dp_ct_config *c = o->cfg;
	struct dp_buf auth = {0}, ua = {0};
	struct dp_http_opts ho;
	char **urls = calloc(o->n_zones ? o->n_zones : 1, sizeof(*urls));
	const char **todo = calloc(o->n_zones ? o->n_zones : 1, sizeof(*todo));
	size_t *map = calloc(o->n_zones ? o->n_zones : 1, sizeof(*map)), n = 0;
	enum dp_status st = urls && todo && map ? DP_OK : DP_ENOMEM;
	int64_t lookback = dp_inventory_ct(o->inv)->lookback;

	dp_ct_http_opts(c, c->max_size ? c->max_size : DEFAULT_MAX, &ua, &ho);
	if (c->api_key != NULL && c->kind == DP_CT_CERTSPOTTER)
		dp_buf_addf(&auth, "Authorization: Bearer %s", c->api_key);
	ho.auth = auth.data;
	for (size_t i = 0; st == DP_OK && i < o->n_zones; i++) {
		page_url(o, &o->zones[i], lookback, &o->scratch);
		st = o->scratch.data ? advance(o, &o->zones[i], o->scratch.data, &urls[i])
		                     : DP_ENOMEM;
	}
	/* only the zones the cache did not answer go out; jobs are numbered by zone */
	for (size_t i = 0; st == DP_OK && i < o->n_zones; i++)
		if (urls[i] != NULL)
			todo[n] = urls[i], map[n++] = i;
	if (st == DP_OK && n > 0)
		st = http_zones(o, &ho, todo, map, n);
	for (size_t i = 0; urls && i < o->n_zones; i++)
		free(urls[i]);
	free(urls);
	free(todo);
	free(map);
	/* the key is a secret: wipe it from the heap before the buffer is freed */
	if (auth.data != NULL)
		memset(auth.data, 0, auth.len);
	dp_buf_free(&auth);
	dp_buf_free(&ua);
	return st;
}

/* file:PATH: one saved answer, read once, taken for every zone. */
static enum dp_status read_saved(struct dp_ct_obs *o)
{
	struct dp_buf body = {0};
	enum dp_status st = DP_OK;
	bool ok = read_file(o->cfg->file, MAX_FILE, &body);

	for (size_t i = 0; st == DP_OK && i < o->n_zones; i++) {
		struct zq *z = &o->zones[i];
		struct dp_error err = {0};
		enum dp_status pst;
		if (!ok) {
			zone_error(z, "file", o->cfg->file, "cannot be read (or is over 64 MiB)");
			continue;
		}
		pst = dp_ct_parse_any(o->set, z->zone, body.data, body.len, &err);
		if (pst == DP_ENOMEM)
			st = pst;
		else if (pst != DP_OK)
			zone_error(z, "file", o->cfg->file, err.msg);
	}
	dp_buf_free(&body);
	return st;
}

/* ---- the index ---- */

/* Whether needle occurs in hay, ignoring ASCII case. */
static bool has_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; n > 0 && *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}

static bool ignored_issuer(const struct dp_inv_ct *ct, const char *issuer)
{
	for (size_t i = 0; i < ct->n_ignore_issuers; i++)
		if (has_ci(issuer, ct->ignore_issuers[i]))
			return true;
	return false;
}

static bool ignored_name(const struct dp_inv_ct *ct, const char *name)
{
	for (size_t i = 0; i < ct->n_ignore_names; i++) {
		const char *p = ct->ignore_names[i];
		if (strcmp(p, name) == 0)
			return true;
		if (dp_name_is_wildcard(p) &&
		    (dp_name_equal(dp_name_strip_wildcard(p), dp_name_strip_wildcard(name)) ||
		     dp_name_is_below(dp_name_strip_wildcard(name), dp_name_strip_wildcard(p))))
			return true;
	}
	return false;
}

/* CAA domains for a certificate whose source gave none: the tables. */
static enum dp_status map_issuer(struct dp_ct_obs *o, struct dp_ct_cert *c)
{
	const struct dp_issuer_map *m;
	size_t n = 0;

	if (c->caa_given)
		return DP_OK;
	m = dp_issuers_match(c->issuer, o->extra, o->n_extra);
	if (m == NULL)
		return DP_OK; /* unknown: ct-issuer-unknown */
	while (m->caa[n] != NULL)
		n++;
	c->caa = (const char **)m->caa;
	c->n_caa = n;
	return DP_OK;
}

static enum dp_status index_name(struct dp_ct_obs *o, const char *name, size_t cert)
{
	bool wild = dp_name_is_wildcard(name);
	const char *base = dp_name_strip_wildcard(name);
	struct dp_strmap *m = wild ? o->by_wild : o->by_name;
	struct idx *x = dp_strmap_get(m, base);

	if (x == NULL) {
		x = calloc(1, sizeof(*x));
		if (x == NULL || dp_strmap_put(m, base, x) != DP_OK) {
			free(x);
			return DP_ENOMEM;
		}
		if (dp_strmap_get(wild ? o->by_name : o->by_wild, base) == NULL) {
			if (dp_grow(&o->names, &o->cap_names, o->n_names, sizeof(*o->names), 64) !=
			    DP_OK)
				return DP_ENOMEM;
			o->names[o->n_names++] = base;
		}
	}
	if (x->n > 0 && x->v[x->n - 1] == cert)
		return DP_OK;
	if (dp_grow(&x->v, &x->cap, x->n, sizeof(*x->v), 4) != DP_OK)
		return DP_ENOMEM;
	x->v[x->n++] = cert;
	return DP_OK;
}

/* Keep the certificates inside the lookback and outside the ignore rules; index their names. */
static enum dp_status build_index(struct dp_ct_obs *o, int64_t now)
{
	const struct dp_inv_ct *ct = dp_inventory_ct(o->inv);
	size_t n = dp_ct_set_count(o->set);
	enum dp_status st = DP_OK;

	o->kept = calloc(n ? n : 1, sizeof(*o->kept));
	if (o->kept == NULL)
		return DP_ENOMEM;
	for (size_t i = 0; st == DP_OK && i < n; i++) {
		struct dp_ct_cert *c = dp_ct_set_at(o->set, i);
		bool any = false;
		if (c->not_after < now - ct->lookback || ignored_issuer(ct, c->issuer))
			continue;
		st = map_issuer(o, c);
		for (size_t k = 0; st == DP_OK && k < c->n_names; k++)
			if (!ignored_name(ct, c->names[k])) {
				st = index_name(o, c->names[k], o->n_kept);
				any = true;
			}
		if (any)
			o->kept[o->n_kept++] = i;
	}
	return st;
}

static enum dp_status extra_issuers(struct dp_ct_obs *o)
{
	const struct dp_inv_ct *ct = dp_inventory_ct(o->inv);

	o->extra = calloc(ct->n_issuers + 1, sizeof(*o->extra));
	if (o->extra == NULL)
		return DP_ENOMEM;
	for (size_t i = 0; i < ct->n_issuers; i++) {
		o->extra[i].org = ct->issuers[i].org;
		o->extra[i].caa = (const char *const *)ct->issuers[i].caa;
	}
	o->n_extra = ct->n_issuers;
	return DP_OK;
}

enum dp_status dp_ct_observe(const struct dp_ct_config *cfg, const struct dp_inventory *inv,
                             int64_t now, struct dp_ct_obs **out)
{
	struct dp_ct_obs *o = calloc(1, sizeof(*o));
	enum dp_status st = o ? DP_OK : DP_ENOMEM;

	*out = NULL;
	if (st == DP_OK) {
		o->cfg = cfg;
		o->inv = inv;
		st = dp_ct_set_new(&o->set);
	}
	if (st == DP_OK &&
	    (dp_strmap_new(&o->by_name) != DP_OK || dp_strmap_new(&o->by_wild) != DP_OK))
		st = DP_ENOMEM;
	if (st == DP_OK)
		st = extra_issuers(o);
	if (st == DP_OK)
		st = plan_zones(o);
	if (st == DP_OK)
		st = cfg->kind == DP_CT_FILE ? read_saved(o) : fetch(o);
	if (st == DP_OK)
		st = build_index(o, now);
	if (st != DP_OK) {
		dp_ct_obs_free(o);
		return st;
	}
	*out = o;
	return DP_OK;
}

static void free_index(struct dp_ct_obs *o, struct dp_strmap *m)
{
	for (size_t i = 0; i < o->n_names; i++) {
		struct idx *x = dp_strmap_get(m, o->names[i]);
		if (x != NULL) {
			free(x->v);
			free(x);
		}
	}
	dp_strmap_free(m);
}

void dp_ct_obs_free(struct dp_ct_obs *o)
{
	if (o == NULL)
		return;
	free_index(o, o->by_name);
	free_index(o, o->by_wild);
	free(o->names);
	for (size_t i = 0; i < o->n_zones; i++)
		dp_buf_free(&o->zones[i].err);
	free(o->zones);
	free(o->kept);
	free(o->extra);
	dp_buf_free(&o->scratch);
	dp_ct_set_free(o->set);
	free(o);
}

const char *dp_ct_obs_source(const struct dp_ct_obs *o)
{
	return dp_ct_kind_name(o->cfg->kind);
}

size_t dp_ct_zone_count(const struct dp_ct_obs *o)
{
	return o->n_zones;
}

const struct dp_ct_zone *dp_ct_zone_at(const struct dp_ct_obs *o, size_t i)
{
	return &o->zones[i].z;
}

const struct dp_ct_zone *dp_ct_zone_of(const struct dp_ct_obs *o, const char *name)
{
	const struct dp_ct_zone *best = NULL;

	for (size_t i = 0; i < o->n_zones; i++) {
		const char *z = o->zones[i].zone;
		if ((dp_name_equal(name, z) || dp_name_is_below(name, z)) &&
		    (best == NULL || strlen(z) > strlen(best->zone)))
			best = &o->zones[i].z;
	}
	return best;
}

size_t dp_ct_cert_count(const struct dp_ct_obs *o)
{
	return o->n_kept;
}

const struct dp_ct_cert *dp_ct_cert_at(const struct dp_ct_obs *o, size_t i)
{
	return dp_ct_set_get(o->set, o->kept[i]);
}

const size_t *dp_ct_certs_of(const struct dp_ct_obs *o, const char *name, bool wildcard, size_t *n)
{
	const struct idx *x = dp_strmap_get(wildcard ? o->by_wild : o->by_name, name);

	*n = x ? x->n : 0;
	return x ? x->v : NULL;
}

size_t dp_ct_name_count(const struct dp_ct_obs *o)
{
	return o->n_names;
}

const char *dp_ct_name_at(const struct dp_ct_obs *o, size_t i)
{
	return o->names[i];
}

bool dp_ct_cert_meets(const struct dp_ct_cert *c, const char *const *ids, size_t n_ids)
{
	for (size_t i = 0; i < c->n_caa; i++)
		for (size_t k = 0; k < n_ids; k++)
			if (strcasecmp(c->caa[i], ids[k]) == 0)
				return true;
	return false;
}
