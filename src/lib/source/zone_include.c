/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Files of one load: opening them, $INCLUDE confined to the top zone
 * file's directory (zone files may come from a pull request), special
 * files refused before a byte is read, and a file read once per scope.
 */
#include "source/zone_include.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/magic.h>
#include <sys/vfs.h>
#endif

#include "source/zone_text.h"

#define MAP_MIN   (1u << 20) /* smaller files are read: a mapping costs more than it saves */
#define DROP_STEP (1u << 20) /* a multiple of any page size */

void zone_show_path(struct source *s, const char *path)
{
	zone_quote_all(s->shown, sizeof(s->shown), path, strlen(path));
}

/*
 * Files in /proc and /sys look regular but hold process and system state
 * (/proc/self/environ): an included one is refused even when $INCLUDE may
 * reach anywhere.
 */
static bool pseudo_file(int fd)
{
#ifdef __linux__
	struct statfs fs;
	return fstatfs(fd, &fs) == 0 && (fs.f_type == PROC_SUPER_MAGIC || fs.f_type == SYSFS_MAGIC);
#else
	(void)fd;
	return false;
#endif
}

/*
 * Open path into s. An included file is opened with O_NONBLOCK, so a FIFO
 * without a writer cannot block, and O_NOFOLLOW, and must be a regular file.
 */
static enum dp_status open_source(struct reader *r, struct source *s, const char *path,
                                  bool included)
{
	int flags = O_RDONLY | O_CLOEXEC | (included ? O_NONBLOCK | O_NOFOLLOW : 0);
	struct stat sb;

	s->path = path;
	zone_show_path(s, path);
	s->fd = open(path, flags);
	if (s->fd < 0)
		return dp_error_set(r->err, DP_EIO, s->shown, 0, 0, "cannot open: %s",
		                    strerror(errno));
	if (fstat(s->fd, &sb) != 0 || S_ISDIR(sb.st_mode) || (included && !S_ISREG(sb.st_mode)) ||
	    (included && pseudo_file(s->fd))) {
		close(s->fd);
		s->fd = -1;
		return dp_error_set(r->err, DP_EIO, s->shown, 0, 0,
		                    S_ISDIR(sb.st_mode)   ? "not a readable file (a directory)"
		                    : S_ISREG(sb.st_mode) ? "a file in /proc or /sys: not read"
		                                          : "not a regular file (a FIFO, device "
		                                            "or socket): not read");
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

enum dp_status zone_open_top(struct reader *r, struct source *s, const char *path)
{
	if (++r->files > r->max_files) {
		zone_show_path(s, path);
		return dp_error_set(r->err, DP_ELIMIT, s->shown, 0, 0,
		                    "more than %lu zone files in one load", r->max_files);
	}
	return open_source(r, s, path, false);
}

bool zone_map(struct source *s)
{
	struct stat sb;
	void *m;

	if (s->fd < 0 || s->mapped || s->end != 0 || fstat(s->fd, &sb) != 0 ||
	    !S_ISREG(sb.st_mode) || sb.st_size < (off_t)MAP_MIN ||
	    (unsigned long long)sb.st_size > SIZE_MAX / 2)
		return false;
	m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, s->fd, 0);
	if (m == MAP_FAILED)
		return false;
	(void)madvise(m, (size_t)sb.st_size, MADV_SEQUENTIAL);
	if (s->owns_buf)
		free(s->buf);
	s->buf = m;
	s->cap = s->end = (size_t)sb.st_size;
	s->pos = s->line_start = s->dropped = 0;
	s->owns_buf = false;
	s->mapped = s->eof = true;
	return true;
}

void zone_drop_read(struct source *s)
{
	size_t upto;

	if (!s->mapped || s->pos - s->dropped < DROP_STEP)
		return;
	upto = s->pos - s->pos % DROP_STEP;
	(void)madvise(s->buf + s->dropped, upto - s->dropped, MADV_DONTNEED);
	s->dropped = upto;
}

void zone_close_source(struct source *s)
{
	if (s->fd >= 0)
		close(s->fd);
	if (s->owns_buf)
		free(s->buf);
	if (s->mapped)
		munmap(s->buf, s->cap);
	s->mapped = false;
	s->fd = -1;
	s->buf = NULL;
}

void zone_set_root(struct reader *r, const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else if (snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path) >= (int)sizeof(dir))
		dir[0] = '\0';
	r->has_root = dir[0] != '\0' && realpath(dir, r->root) != NULL;
}

static bool below_root(const struct reader *r, const char *real)
{
	size_t n = strlen(r->root);

	if (!r->has_root)
		return false;
	if (n == 1 && r->root[0] == '/')
		return true;
	return strncmp(real, r->root, n) == 0 && real[n] == '/';
}

enum dp_status zone_seen(struct reader *r, struct source *s, bool *seen)
{
	struct dp_buf scope = {0};
	struct seen_file *v;
	bool same_file = false;

	dp_buf_adds(&scope, s->has_origin ? s->origin : "-");
	dp_buf_addc(&scope, '\n');
	dp_buf_adds(&scope, s->has_owner ? s->owner : "-");
	if (dp_buf_status(&scope) != DP_OK)
		return DP_ENOMEM;
	*seen = false;
	for (size_t i = 0; i < r->n_seen && !*seen; i++) {
		bool same = r->seen[i].dev == s->dev && r->seen[i].ino == s->ino;
		same_file |= same;
		*seen = same && strcmp(r->seen[i].scope, scope.data) == 0;
	}
	s->reread = same_file; /* read before in another scope: counts towards max_reread */
	if (*seen) {
		dp_buf_free(&scope);
		return DP_OK;
	}
	if (r->n_seen == r->cap_seen) {
		size_t cap = r->cap_seen ? r->cap_seen * 2 : 16;
		v = realloc(r->seen, cap * sizeof(*v));
		if (v == NULL) {
			dp_buf_free(&scope);
			return DP_ENOMEM;
		}
		r->seen = v;
		r->cap_seen = cap;
	}
	r->seen[r->n_seen++] = (struct seen_file){s->dev, s->ino, dp_buf_steal(&scope)};
	return DP_OK;
}

/* The file name of a $INCLUDE, relative to the including file's directory. */
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
		int n;
		if (b.data[0] == '/' || slash == NULL)
			n = snprintf(out, size, "%s", b.data);
		else
			n = snprintf(out, size, "%.*s/%s", (int)(slash - s->path), s->path, b.data);
		if (n < 0 || (size_t)n >= size)
			st = zone_tok_error(r, s, t, "$INCLUDE file name too long:");
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

/* Resolve the path and keep it below the root; *real is what to open. */
static enum dp_status confine(struct reader *r, const struct source *s, const char *path,
                              char real[PATH_MAX])
{
	const struct tok *t = &r->e.t[1];
	char q[QUOTE_SIZE];

	zone_quote(q, sizeof(q), path, strlen(path));
	if (realpath(path, real) == NULL)
		return zone_syntax(r, s, t->line, t->col, "$INCLUDE %s: cannot open: %s", q,
		                   strerror(errno));
	if (r->opts->include_anywhere || below_root(r, real))
		return DP_OK;
	if (!r->has_root)
		return zone_syntax(r, s, t->line, t->col,
		                   "$INCLUDE %s refused: the top zone file's directory is unknown",
		                   q);
	return zone_syntax(r, s, t->line, t->col,
	                   "$INCLUDE %s refused: it leads outside the top zone file's directory",
	                   q);
}

/* The child inherits origin, TTL and (as BIND does) the last owner name. */
static enum dp_status inherit(struct reader *r, struct source *s, struct source *child)
{
	const struct entry *e = &r->e;
	enum dp_status st = zone_resolve_owner(r, s);

	if (st != DP_OK)
		return st;
	memcpy(child->origin, s->origin, sizeof(child->origin));
	child->has_origin = s->has_origin;
	child->ttl = s->ttl;
	child->has_ttl = s->has_ttl;
	memcpy(child->owner, s->owner, sizeof(child->owner));
	child->has_owner = s->has_owner;
	child->owner_persist = s->owner_persist;
	if (e->n == 3) {
		st = zone_resolve_name(r, s, &e->t[2], s->origin, s->has_origin, child->origin);
		if (st != DP_OK)
			return st;
		child->has_origin = true;
	}
	return DP_OK;
}

/* Open the included file: counted, confined, a regular file, not in a loop. */
static enum dp_status open_child(struct reader *r, struct source *s, struct source *child,
                                 const char *path)
{
	const struct tok *t = &r->e.t[1];
	char real[PATH_MAX], q[QUOTE_SIZE];
	enum dp_status st;

	zone_quote(q, sizeof(q), path, strlen(path));
	if (++r->files > r->max_files)
		return dp_error_set(r->err, DP_ELIMIT, s->shown, t->line, t->col,
		                    "$INCLUDE %s: more than %lu zone files in one load", q,
		                    r->max_files);
	st = confine(r, s, path, real);
	if (st == DP_OK)
		st = open_source(r, child, real, true);
	if (st == DP_EIO) {
		char why[sizeof(r->err->msg)];
		snprintf(why, sizeof(why), "%s", r->err ? r->err->msg : "cannot open");
		return zone_syntax(r, s, t->line, t->col, "$INCLUDE %s: %s", q, why);
	}
	if (st != DP_OK)
		return st;
	child->path = path; /* rr->file and messages name it as written */
	zone_show_path(child, path);
	if (in_include_chain(s, child->dev, child->ino))
		return zone_syntax(r, s, r->e.t[0].line, r->e.t[0].col,
		                   "$INCLUDE loop: %s includes itself", q);
	return DP_OK;
}

enum dp_status zone_include(struct reader *r, struct source *s)
{
	const struct entry *e = &r->e;
	struct source child = {.fd = -1, .parent = s, .depth = s->depth + 1};
	char path[PATH_MAX];
	bool seen = false;
	enum dp_status st;

	if (r->opts->no_include)
		return zone_tok_error(r, s, &e->t[0], "not allowed here:");
	if (e->n < 2 || e->n > 3)
		return zone_tok_error(r, s, &e->t[0], "usage: $INCLUDE file [origin], at");
	if (child.depth > MAX_INCLUDE_DEPTH)
		return zone_syntax(r, s, e->t[0].line, e->t[0].col,
		                   "$INCLUDE nested more than %d deep", MAX_INCLUDE_DEPTH);
	st = include_path(r, s, &e->t[1], path, sizeof(path));
	if (st == DP_OK)
		st = inherit(r, s, &child);
	if (st == DP_OK)
		st = open_child(r, s, &child, path);
	if (st == DP_OK)
		st = zone_seen(r, &child, &seen);
	if (st == DP_OK && seen)
		r->stats.repeats++;
	else if (st == DP_OK) {
		r->stats.files++;
		st = zone_read_source(r, &child);
	}
	zone_close_source(&child);
	return st;
}
