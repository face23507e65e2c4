/* SPDX-License-Identifier: BSD-3-Clause */
/* libyaml document access with positions, strict types and key checking. */
#include "yamlutil.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "num.h"
#include "timeutil.h"

#define YAML_MAX_BYTES (64u * 1024u * 1024u)

struct dp_yaml {
	char *file;
	yaml_document_t doc;
	bool loaded;
};

static enum dp_status load(struct dp_yaml *y, const char *data, size_t len, struct dp_error *err)
{
	yaml_parser_t parser;
	enum dp_status st = DP_OK;

	if (!yaml_parser_initialize(&parser))
		return DP_ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	if (!yaml_parser_load(&parser, &y->doc)) {
		const yaml_mark_t *m = &parser.problem_mark;
		st = dp_error_set(err, DP_ESYNTAX, y->file, m->line + 1, m->column + 1,
		                  "YAML: %s%s%s", parser.problem ? parser.problem : "syntax error",
		                  parser.context ? " " : "", parser.context ? parser.context : "");
	} else {
		y->loaded = true;
		if (yaml_document_get_root_node(&y->doc) == NULL)
			st = dp_error_set(err, DP_ESYNTAX, y->file, 1, 1, "empty document");
	}
	yaml_parser_delete(&parser);
	return st;
}

enum dp_status dp_yaml_load_mem(const char *name, const char *data, size_t len,
                                struct dp_yaml **out, struct dp_error *err)
{
	struct dp_yaml *y = calloc(1, sizeof(*y));
	enum dp_status st;

	*out = NULL;
	if (y == NULL || (y->file = strdup(name)) == NULL) {
		free(y);
		return DP_ENOMEM;
	}
	st = load(y, data, len, err);
	if (st != DP_OK) {
		dp_yaml_free(y);
		return st;
	}
	*out = y;
	return DP_OK;
}

enum dp_status dp_yaml_load_file(const char *path, struct dp_yaml **out, struct dp_error *err)
{
	struct dp_buf b = {0};
	char chunk[65536];
	FILE *f = fopen(path, "rb");
	size_t n;
	enum dp_status st;

	*out = NULL;
	if (f == NULL)
		return dp_error_set(err, DP_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && b.len <= YAML_MAX_BYTES)
		dp_buf_add(&b, chunk, n);
	if (ferror(f))
		st = dp_error_set(err, DP_EIO, path, 0, 0, "read error");
	else if (b.len > YAML_MAX_BYTES)
		st = dp_error_set(err, DP_ELIMIT, path, 0, 0, "larger than 64 MiB");
	else
		st = dp_buf_status(&b);
	fclose(f);
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

void dp_yaml_free(struct dp_yaml *y)
{
	if (y == NULL)
		return;
	if (y->loaded)
		yaml_document_delete(&y->doc);
	free(y->file);
	free(y);
}

const char *dp_yaml_file(const struct dp_yaml *y)
{
	return y->file;
}

yaml_node_t *dp_yaml_root(struct dp_yaml *y)
{
	return yaml_document_get_root_node(&y->doc);
}

unsigned long dp_yaml_line(const yaml_node_t *n)
{
	return n ? n->start_mark.line + 1 : 0;
}

enum dp_status dp_yaml_error(const struct dp_yaml *y, const yaml_node_t *n, struct dp_error *err,
                             const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return dp_error_set(err, DP_ESYNTAX, y->file, n ? n->start_mark.line + 1 : 0,
	                    n ? n->start_mark.column + 1 : 0, "%s", msg);
}

static const char *type_name(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return "a scalar";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "empty";
	}
}

size_t dp_yaml_len(const yaml_node_t *n)
{
	if (n->type == YAML_MAPPING_NODE)
		return (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	if (n->type == YAML_SEQUENCE_NODE)
		return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	return 0;
}

yaml_node_t *dp_yaml_key_at(struct dp_yaml *y, yaml_node_t *map, size_t i)
{
	return yaml_document_get_node(&y->doc, map->data.mapping.pairs.start[i].key);
}

yaml_node_t *dp_yaml_value_at(struct dp_yaml *y, yaml_node_t *map, size_t i)
{
	return yaml_document_get_node(&y->doc, map->data.mapping.pairs.start[i].value);
}

yaml_node_t *dp_yaml_item(struct dp_yaml *y, yaml_node_t *seq, size_t i)
{
	return yaml_document_get_node(&y->doc, seq->data.sequence.items.start[i]);
}

static const char *scalar(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
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

enum dp_status dp_yaml_map(struct dp_yaml *y, yaml_node_t *n, const char *what,
                           const char *const *allowed, struct dp_error *err)
{
	size_t len;

	if (n->type != YAML_MAPPING_NODE)
		return dp_yaml_error(y, n, err, "%s must be a mapping, not %s", what, type_name(n));
	len = dp_yaml_len(n);
	for (size_t i = 0; i < len; i++) {
		yaml_node_t *k = dp_yaml_key_at(y, n, i);
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

yaml_node_t *dp_yaml_get(struct dp_yaml *y, yaml_node_t *n, const char *key)
{
	size_t len = dp_yaml_len(n);

	for (size_t i = 0; n->type == YAML_MAPPING_NODE && i < len; i++) {
		const char *k = scalar(dp_yaml_key_at(y, n, i));
		if (k != NULL && strcmp(k, key) == 0)
			return dp_yaml_value_at(y, n, i);
	}
	return NULL;
}

enum dp_status dp_yaml_seq(const struct dp_yaml *y, yaml_node_t *n, const char *what,
                           struct dp_error *err)
{
	if (n->type != YAML_SEQUENCE_NODE)
		return dp_yaml_error(y, n, err, "%s must be a list, not %s", what, type_name(n));
	return DP_OK;
}

enum dp_status dp_yaml_str(const struct dp_yaml *y, yaml_node_t *n, const char *what,
                           const char **out, struct dp_error *err)
{
	const char *s = scalar(n);

	if (s == NULL)
		return dp_yaml_error(y, n, err, "%s must be a string, not %s", what, type_name(n));
	if (strlen(s) != n->data.scalar.length)
		return dp_yaml_error(y, n, err, "%s holds a NUL character", what);
	*out = s;
	return DP_OK;
}

static bool plain(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

enum dp_status dp_yaml_bool(const struct dp_yaml *y, yaml_node_t *n, const char *what, bool *out,
                            struct dp_error *err)
{
	const char *s = scalar(n);

	if (plain(n) && (strcmp(s, "true") == 0 || strcmp(s, "false") == 0)) {
		*out = s[0] == 't';
		return DP_OK;
	}
	return dp_yaml_error(y, n, err, "%s must be true or false", what);
}

enum dp_status dp_yaml_int(const struct dp_yaml *y, yaml_node_t *n, const char *what, int64_t min,
                           int64_t max, int64_t *out, struct dp_error *err)
{
	const char *s = scalar(n);

	if (!plain(n) || dp_parse_int(s, strlen(s), true, min, max, out) != DP_OK)
		return dp_yaml_error(y, n, err, "%s must be a whole number from %lld to %lld", what,
		                     (long long)min, (long long)max);
	return DP_OK;
}

enum dp_status dp_yaml_duration(const struct dp_yaml *y, yaml_node_t *n, const char *what,
                                int64_t *out, struct dp_error *err)
{
	const char *s = scalar(n);

	if (s == NULL || dp_duration_parse(s, out, NULL) != DP_OK)
		return dp_yaml_error(y, n, err, "%s must be a duration such as 30d, 12h or 3600",
		                     what);
	return DP_OK;
}

enum dp_status dp_yaml_choice(const struct dp_yaml *y, yaml_node_t *n, const char *what,
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
