/* SPDX-License-Identifier: BSD-3-Clause */
/* libyaml document access with positions, strict types and key checking. */
#include "model/yamlutil.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <yaml.h>

#include "base/grow.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/num.h"
#include "base/timeutil.h"

#define YAML_MAX_BYTES (64u * 1024u * 1024u)

#define MAX_DEPTH 64

struct dp_yaml {
	char *file;
	struct dp_arena *arena;
	struct dp_ynode *root;
};

/* A container being read: its node and its children so far. */
struct frame {
	struct dp_ynode *node;
	struct dp_ynode **kids;
	size_t n, cap;
};

struct builder {
	struct dp_yaml *y;
	struct frame stack[MAX_DEPTH];
	size_t depth;
	bool ended; /* the first document is complete */
	bool done;
	const struct dp_yaml_stream *stream; /* NULL: the whole document is kept */
	bool streaming;                      /* stack[1] is the streamed list */
	struct dp_arena *scratch;            /* the streamed item being read */
};

/* Inside the streamed list, nodes live until their item has been handed over. */
static struct dp_arena *arena_at(const struct builder *b, size_t depth)
{
	return b->streaming && depth >= 2 ? b->scratch : b->y->arena;
}

static struct dp_ynode *new_node(struct builder *b, const yaml_event_t *ev, uint8_t type)
{
	struct dp_ynode *n = dp_arena_alloc(arena_at(b, b->depth), sizeof(*n));

	if (n == NULL)
		return NULL;
	n->type = type;
	n->line = (uint32_t)ev->start_mark.line;
	n->col = (uint32_t)ev->start_mark.column;
	return n;
}

/* A finished item of the streamed list: to the caller, then its memory is reused. */
static enum dp_status hand_over(struct builder *b, struct dp_ynode *item)
{
	const struct frame *root = &b->stack[0];
	/* the top-level pairs read so far, the streamed list's key left out */
	struct dp_ynode so_far = {.type = DP_YNODE_MAPPING,
	                          .line = root->node->line,
	                          .col = root->node->col,
	                          .n = (uint32_t)(root->n - 1),
	                          .u.kids = root->kids};
	enum dp_status st = b->stream->item(b->y, &so_far, item, b->stream->ctx);

	dp_arena_reset(b->scratch);
	return st;
}

/* A finished node goes to its parent, or is the root. */
static enum dp_status attach(struct builder *b, struct dp_ynode *n)
{
	struct frame *f;

	if (b->depth == 0) {
		b->y->root = n;
		return DP_OK;
	}
	if (b->streaming && b->depth == 2)
		return hand_over(b, n);
	f = &b->stack[b->depth - 1];
	if (dp_grow(&f->kids, &f->cap, f->n, sizeof(*f->kids), 8) != DP_OK)
		return DP_ENOMEM;
	f->kids[f->n++] = n;
	return DP_OK;
}

static enum dp_status on_scalar(struct builder *b, const yaml_event_t *ev)
{
	struct dp_ynode *n = new_node(b, ev, DP_YNODE_SCALAR);

	if (n == NULL || ev->data.scalar.length > UINT32_MAX)
		return DP_ENOMEM;
	n->u.s = dp_arena_strndup(arena_at(b, b->depth), (const char *)ev->data.scalar.value,
	                          ev->data.scalar.length);
	if (n->u.s == NULL)
		return DP_ENOMEM;
	n->n = (uint32_t)ev->data.scalar.length;
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	return attach(b, n);
}

/* Is the container starting now the value of the top-level key to stream? */
static bool streamed_value(const struct builder *b)
{
	const struct frame *root = &b->stack[0];
	const struct dp_ynode *key;

	if (b->stream == NULL || b->depth != 1 || root->node->type != DP_YNODE_MAPPING ||
	    root->n % 2 != 1)
		return false;
	key = root->kids[root->n - 1];
	return key->type == DP_YNODE_SCALAR && strcmp(key->u.s, b->stream->key) == 0;
}

static enum dp_status on_start(struct builder *b, const yaml_event_t *ev, uint8_t type,
                               struct dp_error *err)
{
	struct dp_ynode *n;

	if (b->depth == MAX_DEPTH)
		return dp_error_set(err, DP_ELIMIT, b->y->file, ev->start_mark.line + 1,
		                    ev->start_mark.column + 1, "nested more than %d levels deep",
		                    MAX_DEPTH);
	n = new_node(b, ev, type);
	if (n == NULL)
		return DP_ENOMEM;
	if (type == DP_YNODE_SEQUENCE && streamed_value(b))
		b->streaming = true;
	b->stack[b->depth++] = (struct frame){n, NULL, 0, 0};
	return DP_OK;
}

/* The container is complete: its children move into the arena, exactly sized. */
static enum dp_status on_end(struct builder *b)
{
	struct frame *f = &b->stack[--b->depth];
	struct dp_ynode *n = f->node;
	enum dp_status st = DP_OK;

	n->n = (uint32_t)f->n;
	if (b->streaming && b->depth == 1)
		b->streaming = false; /* the streamed list ends: it holds no items */
	if (f->n > 0) {
		n->u.kids = dp_arena_alloc(arena_at(b, b->depth), f->n * sizeof(*n->u.kids));
		if (n->u.kids == NULL)
			st = DP_ENOMEM;
		else
			memcpy(n->u.kids, f->kids, f->n * sizeof(*n->u.kids));
	}
	free(f->kids);
	return st == DP_OK ? attach(b, n) : st;
}

static enum dp_status on_event(struct builder *b, const yaml_event_t *ev, struct dp_error *err)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return on_scalar(b, ev);
	case YAML_SEQUENCE_START_EVENT:
		return on_start(b, ev, DP_YNODE_SEQUENCE, err);
	case YAML_MAPPING_START_EVENT:
		return on_start(b, ev, DP_YNODE_MAPPING, err);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return on_end(b);
	case YAML_ALIAS_EVENT:
		return dp_error_set(err, DP_ESYNTAX, b->y->file, ev->start_mark.line + 1,
		                    ev->start_mark.column + 1,
		                    "YAML aliases (*name) are not supported: write the value out");
	case YAML_DOCUMENT_START_EVENT:
		if (!b->ended)
			return DP_OK;
		return dp_error_set(err, DP_ESYNTAX, b->y->file, ev->start_mark.line + 1,
		                    ev->start_mark.column + 1,
		                    "a second YAML document: the file must hold one");
	case YAML_DOCUMENT_END_EVENT:
		b->ended = true;
		return DP_OK;
	case YAML_STREAM_END_EVENT:
		b->done = true;
		return DP_OK;
	default:
		return DP_OK;
	}
}

static enum dp_status parse_error(const struct dp_yaml *y, const yaml_parser_t *p,
                                  struct dp_error *err)
{
	const yaml_mark_t *m = &p->problem_mark;

	if (p->error == YAML_MEMORY_ERROR)
		return DP_ENOMEM;
	return dp_error_set(err, DP_ESYNTAX, y->file, m->line + 1, m->column + 1, "YAML: %s%s%s",
	                    p->problem ? p->problem : "syntax error", p->context ? " " : "",
	                    p->context ? p->context : "");
}

static enum dp_status load(struct dp_yaml *y, const char *data, size_t len,
                           const struct dp_yaml_stream *stream, struct dp_error *err)
{
	struct builder b = {.y = y, .stream = stream};
	yaml_parser_t parser;
	enum dp_status st = DP_OK;

	if (stream != NULL) {
		b.scratch = dp_arena_new_block(16384);
		if (b.scratch == NULL)
			return DP_ENOMEM;
	}
	if (!yaml_parser_initialize(&parser)) {
		dp_arena_free(b.scratch);
		return DP_ENOMEM;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	while (st == DP_OK && !b.done) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&parser, &ev)) {
			st = parse_error(y, &parser, err);
			break;
		}
		st = on_event(&b, &ev, err);
		yaml_event_delete(&ev);
	}
	while (b.depth > 0)
		free(b.stack[--b.depth].kids);
	yaml_parser_delete(&parser);
	dp_arena_free(b.scratch);
	if (st == DP_OK && y->root == NULL)
		st = dp_error_set(err, DP_ESYNTAX, y->file, 1, 1, "empty document");
	return st;
}

static enum dp_status load_doc(const char *name, const char *data, size_t len,
                               const struct dp_yaml_stream *stream, struct dp_yaml **out,
                               struct dp_error *err)
{
	struct dp_yaml *y = calloc(1, sizeof(*y));
	enum dp_status st;

	*out = NULL;
	if (y == NULL)
		return DP_ENOMEM;
	y->file = strdup(name);
	if (y->file != NULL)
		y->arena = dp_arena_new();
	if (y->file == NULL || y->arena == NULL) {
		dp_yaml_free(y);
		return DP_ENOMEM;
	}
	st = load(y, data, len, stream, err);
	if (st != DP_OK) {
		dp_yaml_free(y);
		return st;
	}
	*out = y;
	return DP_OK;
}

enum dp_status dp_yaml_load_mem(const char *name, const char *data, size_t len,
                                struct dp_yaml **out, struct dp_error *err)
{
	return load_doc(name, data, len, NULL, out, err);
}

enum dp_status dp_yaml_read(const char *path, struct dp_buf *out, struct dp_error *err)
{
	char chunk[65536];
	FILE *f = fopen(path, "rb");
	size_t n;
	enum dp_status st;
	struct stat sb;

	if (f == NULL)
		return dp_error_set(err, DP_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
	if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		fclose(f);
		return dp_error_set(err, DP_EIO, path, 0, 0, "is a directory, not a YAML file");
	}
	/* a regular file's size is known: one allocation, not a doubling per read */
	if (S_ISREG(sb.st_mode) && sb.st_size > 0 && (uint64_t)sb.st_size <= YAML_MAX_BYTES)
		dp_buf_reserve(out, (size_t)sb.st_size);
	for (;;) {
		n = fread(chunk, 1, sizeof(chunk), f);
		if (n == 0 || out->len > YAML_MAX_BYTES)
			break;
		dp_buf_add(out, chunk, n);
	}
	if (ferror(f))
		st = dp_error_set(err, DP_EIO, path, 0, 0, "cannot read: %s", strerror(errno));
	else if (out->len > YAML_MAX_BYTES)
		st = dp_error_set(err, DP_ELIMIT, path, 0, 0, "larger than 64 MiB");
	else
		st = dp_buf_status(out);
	fclose(f);
	return st;
}

enum dp_status dp_yaml_load_file(const char *path, struct dp_yaml **out, struct dp_error *err)
{
	struct dp_buf b = {0};
	enum dp_status st = dp_yaml_read(path, &b, err);

	*out = NULL;
	if (st == DP_OK)
		st = dp_yaml_load_mem(path, b.data ? b.data : "", b.len, out, err);
	dp_buf_free(&b);
	return st;
}

enum dp_status dp_yaml_build(const char *name, const char *data, size_t len, dp_yaml_builder build,
                             void *out, struct dp_error *err)
{
	struct dp_yaml *y = NULL;
	enum dp_status st =
	    data ? dp_yaml_load_mem(name, data, len, &y, err) : dp_yaml_load_file(name, &y, err);

	if (st == DP_OK)
		st = build(y, out, err);
	dp_yaml_free(y);
	return st;
}

enum dp_status dp_yaml_build_streamed(const char *name, const char *data, size_t len,
                                      const struct dp_yaml_stream *stream, dp_yaml_builder build,
                                      void *out, struct dp_error *err)
{
	struct dp_yaml *y = NULL;
	enum dp_status st = load_doc(name, data, len, stream, &y, err);

	if (st == DP_OK)
		st = build(y, out, err);
	dp_yaml_free(y);
	return st;
}

void dp_yaml_free(struct dp_yaml *y)
{
	if (y == NULL)
		return;
	dp_arena_free(y->arena);
	free(y->file);
	free(y);
}

const char *dp_yaml_file(const struct dp_yaml *y)
{
	return y->file;
}

struct dp_ynode *dp_yaml_root(struct dp_yaml *y)
{
	return y->root;
}

unsigned long dp_yaml_line(const struct dp_ynode *n)
{
	return n ? (unsigned long)n->line + 1 : 0;
}

unsigned long dp_yaml_col(const struct dp_ynode *n)
{
	return n ? (unsigned long)n->col + 1 : 0;
}

const char *dp_yaml_scalar(const struct dp_ynode *n, size_t *len)
{
	if (n == NULL || n->type != DP_YNODE_SCALAR)
		return NULL;
	if (len != NULL)
		*len = n->n;
	return n->u.s;
}

bool dp_yaml_plain(const struct dp_ynode *n)
{
	return n != NULL && n->type == DP_YNODE_SCALAR && n->plain;
}

enum dp_status dp_yaml_error(const struct dp_yaml *y, const struct dp_ynode *n,
                             struct dp_error *err, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return dp_error_set(err, DP_ESYNTAX, y->file, dp_yaml_line(n), dp_yaml_col(n), "%s", msg);
}

static const char *type_name(const struct dp_ynode *n)
{
	switch (n->type) {
	case DP_YNODE_SCALAR:
		return "a scalar";
	case DP_YNODE_SEQUENCE:
		return "a list";
	default:
		return "a mapping";
	}
}

size_t dp_yaml_len(const struct dp_ynode *n)
{
	if (n->type == DP_YNODE_MAPPING)
		return n->n / 2;
	return n->type == DP_YNODE_SEQUENCE ? n->n : 0;
}

struct dp_ynode *dp_yaml_key_at(struct dp_yaml *y, struct dp_ynode *map, size_t i)
{
	(void)y;
	return map->u.kids[2 * i];
}

struct dp_ynode *dp_yaml_value_at(struct dp_yaml *y, struct dp_ynode *map, size_t i)
{
	(void)y;
	return map->u.kids[2 * i + 1];
}

struct dp_ynode *dp_yaml_item(struct dp_yaml *y, struct dp_ynode *seq, size_t i)
{
	(void)y;
	return seq->u.kids[i];
}

static const char *scalar(const struct dp_ynode *n)
{
	return dp_yaml_scalar(n, NULL);
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64], prev, tmp;

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			tmp = row[j];
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

const char *dp_closest(const char *s, const char *const *candidates)
{
	const char *best = NULL;
	size_t best_d = 4;

	for (size_t i = 0; candidates[i] != NULL; i++) {
		size_t d = edit_distance(s, candidates[i]);
		/* "wildcard" for "wildcard-only": a clear prefix is as good as a typo */
		if (strlen(s) >= 4 && strncmp(candidates[i], s, strlen(s)) == 0 && d > 1)
			d = 1;
		if (d < best_d) {
			best_d = d;
			best = candidates[i];
		}
	}
	return best;
}

static bool in_list(const char *s, const char *const *list)
{
	for (size_t i = 0; list[i] != NULL; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

enum dp_status dp_yaml_map(struct dp_yaml *y, struct dp_ynode *n, const char *what,
                           const char *const *allowed, struct dp_error *err)
{
	size_t len;

	if (n->type != DP_YNODE_MAPPING)
		return dp_yaml_error(y, n, err, "%s must be a mapping, not %s", what, type_name(n));
	len = dp_yaml_len(n);
	for (size_t i = 0; i < len; i++) {
		struct dp_ynode *k = dp_yaml_key_at(y, n, i);
		const char *key = scalar(k), *hint;
		if (key == NULL)
			return dp_yaml_error(y, k, err, "%s: keys must be scalars", what);
		for (size_t j = 0; j < i; j++)
			if (strcmp(key, scalar(dp_yaml_key_at(y, n, j))) == 0)
				return dp_yaml_error(y, k, err, "%s: key '%s' appears twice", what,
				                     key);
		if (allowed == NULL || in_list(key, allowed))
			continue;
		hint = dp_closest(key, allowed);
		return dp_yaml_error(y, k, err, "%s: unknown key '%s'%s%s%s", what, key,
		                     hint ? " (did you mean '" : "", hint ? hint : "",
		                     hint ? "'?)" : "");
	}
	return DP_OK;
}

struct dp_ynode *dp_yaml_get(struct dp_yaml *y, struct dp_ynode *n, const char *key)
{
	size_t len = dp_yaml_len(n);

	for (size_t i = 0; n->type == DP_YNODE_MAPPING && i < len; i++) {
		const char *k = scalar(dp_yaml_key_at(y, n, i));
		if (k != NULL && strcmp(k, key) == 0)
			return dp_yaml_value_at(y, n, i);
	}
	return NULL;
}

enum dp_status dp_yaml_seq(const struct dp_yaml *y, struct dp_ynode *n, const char *what,
                           struct dp_error *err)
{
	if (n->type != DP_YNODE_SEQUENCE)
		return dp_yaml_error(y, n, err, "%s must be a list, not %s", what, type_name(n));
	return DP_OK;
}

enum dp_status dp_yaml_str(const struct dp_yaml *y, struct dp_ynode *n, const char *what,
                           const char **out, struct dp_error *err)
{
	const char *s = scalar(n);

	if (s == NULL)
		return dp_yaml_error(y, n, err, "%s must be a string, not %s", what, type_name(n));
	if (strlen(s) != n->n)
		return dp_yaml_error(y, n, err, "%s holds a NUL character", what);
	*out = s;
	return DP_OK;
}

static bool plain(const struct dp_ynode *n)
{
	return dp_yaml_plain(n);
}

enum dp_status dp_yaml_bool(const struct dp_yaml *y, struct dp_ynode *n, const char *what,
                            bool *out, struct dp_error *err)
{
	const char *s = scalar(n);

	if (plain(n) && (strcmp(s, "true") == 0 || strcmp(s, "false") == 0)) {
		*out = s[0] == 't';
		return DP_OK;
	}
	return dp_yaml_error(y, n, err, "%s must be true or false", what);
}

enum dp_status dp_yaml_int(const struct dp_yaml *y, struct dp_ynode *n, const char *what,
                           int64_t min, int64_t max, int64_t *out, struct dp_error *err)
{
	const char *s = scalar(n);

	if (!plain(n) || dp_parse_int(s, strlen(s), true, min, max, out) != DP_OK)
		return dp_yaml_error(y, n, err, "%s must be a whole number from %lld to %lld", what,
		                     (long long)min, (long long)max);
	return DP_OK;
}

enum dp_status dp_yaml_duration(const struct dp_yaml *y, struct dp_ynode *n, const char *what,
                                int64_t *out, struct dp_error *err)
{
	const char *s = scalar(n);

	if (s == NULL || dp_duration_parse(s, out, NULL) != DP_OK)
		return dp_yaml_error(y, n, err, "%s must be a duration such as 30d, 12h or 3600",
		                     what);
	return DP_OK;
}

enum dp_status dp_yaml_choice(const struct dp_yaml *y, struct dp_ynode *n, const char *what,
                              const char *const *choices, int *out, struct dp_error *err)
{
	const char *s = scalar(n), *hint;
	struct dp_buf list = {0};
	enum dp_status st;

	for (int i = 0; s != NULL && choices[i] != NULL; i++) {
		if (strcmp(s, choices[i]) == 0) {
			*out = i;
			return DP_OK;
		}
	}
	for (int i = 0; choices[i] != NULL; i++)
		dp_buf_addf(&list, "%s%s", i ? ", " : "", choices[i]);
	hint = s ? dp_closest(s, choices) : NULL;
	st =
	    dp_yaml_error(y, n, err, "%s must be one of %s%s%s%s", what, list.data ? list.data : "",
	                  hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
	dp_buf_free(&list);
	return st;
}
