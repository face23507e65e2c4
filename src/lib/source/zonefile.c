/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Zone-file reader: files, directives and the public entry points. One
 * lexer (zone_lex.c) turns the byte stream into entries (an owner, TTL,
 * class, type and RDATA tokens, parentheses already joined); entries of
 * uninteresting types are dropped right after the type is known
 * (zone_entry.c), so the hot path is a byte loop and a few comparisons.
 * Names and numbers are read in zone_text.c, kept RDATA in zone_rdata.c,
 * files and $INCLUDE are opened in zone_include.c.
 */
#include "source/zonefile.h"
#include "source/octodns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/num.h"
#include "source/zone_generate.h"
#include "source/zone_include.h"
#include "source/zone_lex.h"
#include "source/zone_text.h"

enum dp_status zone_directive(struct reader *r, struct source *s)
{
	const struct entry *e = &r->e;
	const struct tok *t = &e->t[0];

	if (s->generated)
		return zone_tok_error(r, s, t, "a generated line cannot be a directive:");
	if (zone_tok_is(t, "$GENERATE"))
		return zone_generate(r, s);
	if (zone_tok_is(t, "$ORIGIN")) {
		if (e->n != 2)
			return zone_tok_error(r, s, t, "usage: $ORIGIN name, at");
		/* an inherited owner keeps the origin it was written under */
		enum dp_status pst = zone_resolve_owner(r, s);
		if (pst != DP_OK)
			return pst;
		char name[ZNAME_MAX];
		enum dp_status st =
		    zone_resolve_name(r, s, &e->t[1], s->origin, s->has_origin, name);
		if (st != DP_OK)
			return st;
		memcpy(s->origin, name, sizeof(s->origin));
		s->has_origin = true;
		s->same_len = 0; /* the same text is another name now */
		return DP_OK;
	}
	if (zone_tok_is(t, "$TTL")) {
		bool big;
		if (e->n != 2 || !zone_parse_ttl(&e->t[1], &s->ttl, &big))
			return zone_tok_error(r, s, t, "usage: $TTL seconds (or 1h, 1d...), at");
		r->stats.big_ttls += big;
		s->has_ttl = true;
		return DP_OK;
	}
	if (zone_tok_is(t, "$DATE")) {
		/* BIND's dump time (YYYYMMDDHHMMSS), for TTL ageing: read and ignored */
		int64_t v;
		if (e->n != 2 || e->t[1].len != 14 ||
		    dp_parse_int(e->t[1].p, 14, false, 0, INT64_MAX, &v) != DP_OK)
			return zone_tok_error(r, s, t, "usage: $DATE YYYYMMDDHHMMSS, at");
		return DP_OK;
	}
	if (zone_tok_is(t, "$INCLUDE"))
		return zone_include(r, s);
	return zone_tok_error(r, s, t, "unsupported directive");
}

static enum dp_status too_many(struct reader *r, const struct source *s)
{
	return dp_error_set(r->err, DP_ELIMIT, s->shown, s->line, 0,
	                    "more than %lu records in one load", r->max_records);
}

/*
 * A mapped file never refills, where a read one meets the bound on one
 * entry (docs/security.md): the same bound, the same message. A skimmed
 * entry is one line of the classifier's run and is checked the same way.
 */
static enum dp_status mapped_bound(struct reader *r, struct source *s)
{
	const struct tok *t = &r->e.t[0];

	if (!s->mapped || r->e.n == 0 || s->pos - (size_t)(t->p - s->buf) <= BUF_MAX)
		return DP_OK;
	return zone_syntax(r, s, t->line, 0,
	                   "entry longer than %u bytes (a '(' or '\"' never closed?)", BUF_MAX);
}

enum dp_status zone_read_source(struct reader *r, struct source *s)
{
	enum dp_status st;

	for (;;) {
		zone_drop_read(s);
		switch (zone_lex_entry(r, s)) {
		case LEX_MORE:
			st = zone_refill(r, s);
			if (st != DP_OK)
				return st;
			break;
		case LEX_EOF:
			return DP_OK;
		case LEX_ERROR:
			return DP_ESYNTAX;
		case LEX_SKIPPED:
			st = mapped_bound(r, s);
			if (st == DP_OK)
				st = zone_skipped_entry(r, s);
			if (st != DP_OK)
				return st;
			if (r->stats.entries > r->max_records)
				return too_many(r, s);
			break;
		case LEX_ENTRY:
			st = mapped_bound(r, s);
			if (st == DP_OK)
				st = zone_process_entry(r, s);
			if (st != DP_OK)
				return st;
			if (r->stats.entries > r->max_records)
				return too_many(r, s);
			break;
		}
	}
}

/* ---- public entry points ------------------------------------------------ */

static const char *const not_zone_suffixes[] = {"txt", "conf", "cfg",  "yaml",   "yml", "json",
                                                "bak", "tmp",  "orig", "signed", "jnl"};

static bool suffix_is_data(const char *name)
{
	const char *dot = strrchr(name, '.');

	for (size_t i = 0; dot && i < sizeof(not_zone_suffixes) / sizeof(*not_zone_suffixes); i++)
		if (strcasecmp(dot + 1, not_zone_suffixes[i]) == 0)
			return true;
	return false;
}

bool dp_zone_origin_from_filename(const char *path, char out[DP_NAME_MAX])
{
	const char *base = strrchr(path, '/');
	char name[DP_NAME_MAX + 8];
	size_t n;

	base = base ? base + 1 : path;
	if (strncmp(base, "db.", 3) == 0)
		base += 3;
	if (snprintf(name, sizeof(name), "%s", base) >= (int)sizeof(name))
		return false;
	n = strlen(name);
	if (n > 5 && strcmp(name + n - 5, ".zone") == 0)
		name[n - 5] = '\0';
	else if (n > 3 && strcmp(name + n - 3, ".db") == 0)
		name[n - 3] = '\0';
	else if (suffix_is_data(name) || strchr(name, '.') == NULL)
		return false;
	return strchr(name, '*') == NULL && dp_name_normalize(name, out, NULL) == DP_OK;
}

/*
 * An origin given by the caller, read as a zone file reads names (so
 * "0/25.2.0.192.in-addr.arpa", a classless reverse zone, is fine); one
 * with non-ASCII bytes gets dp_name_normalize()'s hint to use the A-label.
 */
static enum dp_status given_origin(struct reader *r, struct source *s, const char *origin)
{
	char name[ZNAME_MAX + 2], norm[DP_NAME_MAX];
	size_t n = strlen(origin);
	struct tok t = {name, 0, false, strchr(origin, '\\') != NULL, 0, 0};

	for (size_t i = 0; i < n; i++)
		if ((unsigned char)origin[i] >= 0x80)
			return dp_name_normalize(origin, norm, r->err) == DP_OK
			           ? dp_error_set(r->err, DP_EINVAL, NULL, 0, 0, "bad origin")
			           : DP_EINVAL;
	if (n == 0 || n > ZNAME_MAX)
		return dp_error_set(r->err, DP_EINVAL, NULL, 0, 0,
		                    "bad origin (empty or too long)");
	t.len =
	    (uint32_t)snprintf(name, sizeof(name), "%s%s", origin,
	                       origin[n - 1] == '.' && (n < 2 || origin[n - 2] != '\\') ? "" : ".");
	if (zone_resolve_name(r, s, &t, "", true, s->origin) != DP_OK) {
		char why[sizeof(r->err->msg)];
		snprintf(why, sizeof(why), "%s", r->err ? r->err->msg : "");
		return dp_error_set(r->err, DP_EINVAL, NULL, 0, 0, "bad origin: %s", why);
	}
	s->has_origin = true;
	return DP_OK;
}

static enum dp_status set_origin(struct reader *r, struct source *s, const char *origin)
{
	char norm[DP_NAME_MAX];

	if (origin != NULL)
		return given_origin(r, s, origin);
	if (!dp_zone_origin_from_filename(s->path, norm))
		return DP_OK; /* an error only if a relative name appears */
	memcpy(s->origin, norm, strlen(norm) + 1);
	s->has_origin = true;
	r->stats.guessed_origins++;
	return DP_OK;
}

/* Set up r for one load. */
static void start(struct reader *r, const struct dp_zone_opts *opts, dp_zone_cb cb, void *ctx,
                  struct dp_error *err)
{
	static const struct dp_zone_opts defaults = {0};

	r->opts = opts ? opts : &defaults;
	r->cb = cb;
	r->ctx = ctx;
	r->err = err;
	r->max_files = r->opts->max_files ? r->opts->max_files : DP_ZONE_MAX_FILES;
	r->max_bytes = r->opts->max_bytes ? r->opts->max_bytes : DP_ZONE_MAX_BYTES;
	r->max_records = r->opts->max_records ? r->opts->max_records : DP_ZONE_MAX_RECORDS;
	r->max_reread = r->opts->max_reread ? r->opts->max_reread : DP_ZONE_MAX_REREAD;
	r->max_generated = r->opts->max_generated ? r->opts->max_generated : DP_ZONE_MAX_GENERATED;
}

/* Hand the counts over and release what the load held; frees r. */
static enum dp_status finish(struct reader *r, enum dp_status st)
{
	if (r->opts->stats != NULL) {
		r->opts->stats->entries += r->stats.entries;
		r->opts->stats->kept += r->stats.kept;
		r->opts->stats->files += r->stats.files;
		r->opts->stats->repeats += r->stats.repeats;
		r->opts->stats->big_ttls += r->stats.big_ttls;
		r->opts->stats->guessed_origins += r->stats.guessed_origins;
	}
	for (size_t i = 0; i < r->n_seen; i++)
		free(r->seen[i].scope);
	free(r->seen);
	zone_owners_free(r->owners);
	dp_buf_free(&r->rdata);
	dp_buf_free(&r->scratch);
	free(r);
	return st;
}

/* One top-level source, already open: its origin, then its entries, unless a repeat. */
static enum dp_status read_top(struct reader *r, struct source *s)
{
	enum dp_status st = set_origin(r, s, r->opts->origin);
	bool seen = false;

	if (st == DP_OK)
		st = zone_seen(r, s, &seen);
	if (st != DP_OK)
		return st;
	if (seen) {
		r->stats.repeats++;
		return DP_OK;
	}
	r->stats.files++;
	zone_set_root(r, s->path);
	return zone_read_source(r, s);
}

/* Whether to read path as octoDNS; opts may be NULL (the defaults). */
static bool octodns(const struct dp_zone_opts *opts, const char *path)
{
	enum dp_zone_format f = opts ? opts->format : DP_ZONE_AUTO;
	return f == DP_ZONE_OCTODNS || (f == DP_ZONE_AUTO && dp_octodns_is_file(path));
}

enum dp_status dp_zone_read_files(const char *const *paths, size_t n,
                                  const struct dp_zone_opts *opts, dp_zone_cb cb, void *ctx,
                                  struct dp_error *err)
{
	struct reader *r = calloc(1, sizeof(*r));
	enum dp_status st = DP_OK;

	if (r == NULL)
		return DP_ENOMEM;
	start(r, opts, cb, ctx, err);
	for (size_t i = 0; i < n && st == DP_OK; i++) {
		struct source s = {.fd = -1};
		if (octodns(opts, paths[i])) {
			st = dp_octodns_read(paths[i], NULL, 0, opts, cb, ctx, err);
			continue;
		}
		st = zone_open_top(r, &s, paths[i]);
		if (st == DP_OK)
			st = read_top(r, &s);
		zone_close_source(&s);
	}
	return finish(r, st);
}

enum dp_status dp_zone_read_file(const char *path, const struct dp_zone_opts *opts, dp_zone_cb cb,
                                 void *ctx, struct dp_error *err)
{
	return dp_zone_read_files(&path, 1, opts, cb, ctx, err);
}

enum dp_status dp_zone_read_mem(const char *name, const char *data, size_t len,
                                const struct dp_zone_opts *opts, dp_zone_cb cb, void *ctx,
                                struct dp_error *err)
{
	struct reader *r = calloc(1, sizeof(*r));
	/* The buffer is only read: refill() never writes to a source without fd. */
	struct source s = {.path = name,
	                   .fd = -1,
	                   .buf = (char *)(uintptr_t)data,
	                   .cap = len,
	                   .end = len,
	                   .eof = true,
	                   .line = 1};
	enum dp_status st;

	if (octodns(opts, name)) {
		free(r);
		return dp_octodns_read(name, data, len, opts, cb, ctx, err);
	}
	if (r == NULL)
		return DP_ENOMEM;
	start(r, opts, cb, ctx, err);
	zone_show_path(&s, name);
	r->files = 1;
	r->bytes = len;
	if (r->bytes > r->max_bytes)
		st = dp_error_set(err, DP_ELIMIT, s.shown, 0, 0,
		                  "more than %llu bytes of zone data", r->max_bytes);
	else
		st = read_top(r, &s);
	return finish(r, st);
}
