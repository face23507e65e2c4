/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Zone-file reader: files, directives and the public entry points. One
 * lexer (zone_lex.c) turns the byte stream into entries (an owner, TTL,
 * class, type and RDATA tokens, parentheses already joined); entries of
 * uninteresting types are dropped right after the type is known
 * (zone_entry.c), so the hot path is a byte loop and a few comparisons.
 * Names and numbers are read in zone_text.c, kept RDATA in zone_rdata.c.
 */
#include "source/zonefile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source/zone_lex.h"
#include "source/zone_rdata.h"
#include "source/zone_text.h"

static enum dp_status read_source(struct reader *r, struct source *s);

/* ---- directives and files ---------------------------------------------- */

static enum dp_status open_source(struct reader *r, struct source *s, const char *path)
{
	struct stat sb;

	s->path = path;
	s->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (s->fd < 0)
		return dp_error_set(r->err, DP_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
	if (fstat(s->fd, &sb) != 0 || S_ISDIR(sb.st_mode)) {
		close(s->fd);
		s->fd = -1;
		return dp_error_set(r->err, DP_EIO, path, 0, 0, "not a readable file");
	}
	s->dev = sb.st_dev;
	s->ino = sb.st_ino;
	s->cap = BUF_INITIAL;
	s->buf = malloc(s->cap);
	s->owns_buf = true;
	s->line = 1;
	if (s->buf == NULL) {
		close(s->fd);
		s->fd = -1;
		return DP_ENOMEM;
	}
	return DP_OK;
}

static void close_source(struct source *s)
{
	if (s->fd >= 0)
		close(s->fd);
	if (s->owns_buf)
		free(s->buf);
	s->fd = -1;
	s->buf = NULL;
}

static enum dp_status include_path(struct reader *r, const struct source *s, const struct tok *t,
                                   char *out, size_t size)
{
	struct dp_buf b = {0};
	size_t octets;
	const char *slash = strrchr(s->path, '/');
	enum dp_status st = zone_decode_string(r, s, t, &b, &octets);

	if (st == DP_OK && (octets == 0 || memchr(b.data, '\0', octets) != NULL))
		st = zone_tok_error(r, s, t, "bad $INCLUDE file name");
	if (st == DP_OK) {
		if (b.data[0] == '/' || slash == NULL)
			snprintf(out, size, "%s", b.data);
		else
			snprintf(out, size, "%.*s/%s", (int)(slash - s->path), s->path, b.data);
	}
	dp_buf_free(&b);
	return st;
}

static bool in_include_chain(const struct source *s, dev_t dev, ino_t ino)
{
	for (; s != NULL; s = s->parent)
		if (s->fd >= 0 && s->dev == dev && s->ino == ino)
			return true;
	return false;
}

static enum dp_status include(struct reader *r, struct source *s)
{
	const struct entry *e = &r->e;
	struct source child = {.fd = -1, .parent = s, .depth = s->depth + 1};
	char path[4096];
	enum dp_status st;

	if (r->opts->no_include)
		return zone_tok_error(r, s, &e->t[0], "not allowed here:");
	if (e->n < 2 || e->n > 3)
		return zone_tok_error(r, s, &e->t[0], "usage: $INCLUDE file [origin], at");
	if (child.depth > MAX_INCLUDE_DEPTH)
		return zone_syntax(r, s, e->t[0].line, e->t[0].col,
		                   "$INCLUDE nested more than %d deep", MAX_INCLUDE_DEPTH);
	st = include_path(r, s, &e->t[1], path, sizeof(path));
	if (st != DP_OK)
		return st;
	memcpy(child.origin, s->origin, sizeof(child.origin));
	child.has_origin = s->has_origin;
	child.ttl = s->ttl;
	child.has_ttl = s->has_ttl;
	if (e->n == 3) {
		st = zone_resolve_name(r, s, &e->t[2], s->origin, s->has_origin, child.origin);
		if (st != DP_OK)
			return st;
		child.has_origin = true;
	}
	st = open_source(r, &child, path);
	if (st == DP_OK && in_include_chain(s, child.dev, child.ino))
		st = zone_syntax(r, s, e->t[0].line, e->t[0].col,
		                 "$INCLUDE loop: %s includes itself", path);
	if (st == DP_OK) {
		r->stats.files++;
		st = read_source(r, &child);
	} else if (st == DP_EIO) {
		char why[sizeof(r->err->msg)];
		snprintf(why, sizeof(why), "%s", r->err ? r->err->msg : "cannot open");
		st = zone_syntax(r, s, e->t[0].line, e->t[1].col, "$INCLUDE %s: %s", path, why);
	}
	close_source(&child);
	return st;
}

enum dp_status zone_directive(struct reader *r, struct source *s)
{
	const struct entry *e = &r->e;
	const struct tok *t = &e->t[0];

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
		return DP_OK;
	}
	if (zone_tok_is(t, "$TTL")) {
		if (e->n != 2 || !zone_parse_ttl(&e->t[1], &s->ttl))
			return zone_tok_error(r, s, t, "usage: $TTL seconds (or 1h, 1d...), at");
		s->has_ttl = true;
		return DP_OK;
	}
	if (zone_tok_is(t, "$INCLUDE"))
		return include(r, s);
	return zone_tok_error(r, s, t, "unsupported directive");
}

static enum dp_status read_source(struct reader *r, struct source *s)
{
	enum dp_status st;

	for (;;) {
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
			r->stats.entries++;
			break;
		case LEX_ENTRY:
			st = zone_process_entry(r, s);
			if (st != DP_OK)
				return st;
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

static enum dp_status set_origin(struct reader *r, struct source *s, const char *origin)
{
	char norm[DP_NAME_MAX];

	if (origin == NULL) {
		if (!dp_zone_origin_from_filename(s->path, norm))
			return DP_OK; /* an error only if a relative name appears */
	} else if (strcmp(origin, ".") == 0) {
		norm[0] = '\0';
	} else if (dp_name_normalize(origin, norm, r->err) != DP_OK) {
		return DP_EINVAL;
	}
	memcpy(s->origin, norm, strlen(norm) + 1);
	s->has_origin = true;
	return DP_OK;
}

static enum dp_status run(struct reader *r, struct source *s, const struct dp_zone_opts *opts,
                          dp_zone_cb cb, void *ctx, struct dp_error *err)
{
	static const struct dp_zone_opts defaults = {0};
	enum dp_status st;

	r->opts = opts ? opts : &defaults;
	r->cb = cb;
	r->ctx = ctx;
	r->err = err;
	r->stats.files = 1;
	st = set_origin(r, s, r->opts->origin);
	if (st == DP_OK)
		st = read_source(r, s);
	if (r->opts->stats != NULL) {
		r->opts->stats->entries += r->stats.entries;
		r->opts->stats->kept += r->stats.kept;
		r->opts->stats->files += r->stats.files;
	}
	dp_buf_free(&r->rdata);
	dp_buf_free(&r->scratch);
	return st;
}

enum dp_status dp_zone_read_file(const char *path, const struct dp_zone_opts *opts, dp_zone_cb cb,
                                 void *ctx, struct dp_error *err)
{
	struct reader *r = calloc(1, sizeof(*r));
	struct source s = {.fd = -1};
	enum dp_status st;

	if (r == NULL)
		return DP_ENOMEM;
	r->err = err;
	st = open_source(r, &s, path);
	if (st == DP_OK)
		st = run(r, &s, opts, cb, ctx, err);
	close_source(&s);
	free(r);
	return st;
}

enum dp_status dp_zone_read_mem(const char *name, const char *data, size_t len,
                                const struct dp_zone_opts *opts, dp_zone_cb cb, void *ctx,
                                struct dp_error *err)
{
	struct reader *r = calloc(1, sizeof(*r));
	/* The buffer is only read: zone_refill() never writes to a source without fd. */
	struct source s = {.path = name,
	                   .fd = -1,
	                   .buf = (char *)(uintptr_t)data,
	                   .cap = len,
	                   .end = len,
	                   .eof = true,
	                   .line = 1};
	enum dp_status st;

	if (r == NULL)
		return DP_ENOMEM;
	st = run(r, &s, opts, cb, ctx, err);
	free(r);
	return st;
}
