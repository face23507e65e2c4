/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Strict, position-aware access to a YAML document: libyaml parses it into
 * events, and we keep a compact tree of our own (24-byte nodes, strings in an
 * arena; libyaml's document API spends about 1.3 KB per inventory entry).
 * Every value a loader takes goes through here, so every error names
 * file:line:column. Aliases are refused.
 */
#ifndef DP_YAMLUTIL_H
#define DP_YAMLUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"

struct dp_buf;
struct dp_yaml;

enum dp_ynode_type { DP_YNODE_SCALAR, DP_YNODE_SEQUENCE, DP_YNODE_MAPPING };

/* One node; read it through the functions below. */
struct dp_ynode {
	uint8_t type;  /* enum dp_ynode_type */
	bool plain;    /* a plain (unquoted) scalar */
	uint32_t line; /* 0-based, as libyaml marks */
	uint32_t col;  /* 0-based */
	uint32_t n;    /* scalar length, list items, or 2 x mapping pairs */
	union {
		const char *s;          /* scalar, NUL-terminated */
		struct dp_ynode **kids; /* items, or key, value, key, value... */
	} u;
};

/*
 * Load the first document of a YAML file (or buffer). Syntax errors, an
 * empty document and files over 64 MiB are DP_ESYNTAX/DP_ELIMIT with the
 * position. The caller owns *out (dp_yaml_free).
 */
enum dp_status dp_yaml_load_file(const char *path, struct dp_yaml **out, struct dp_error *err);
enum dp_status dp_yaml_load_mem(const char *name, const char *data, size_t len,
                                struct dp_yaml **out, struct dp_error *err);
void dp_yaml_free(struct dp_yaml *y);

/* Turns a loaded document into the caller's object, stored through out. */
typedef enum dp_status (*dp_yaml_builder)(struct dp_yaml *y, void *out, struct dp_error *err);

/*
 * Load a file (data NULL: name is its path) or a buffer, hand the document
 * to build, and free the document whatever build returns.
 */
enum dp_status dp_yaml_build(const char *name, const char *data, size_t len, dp_yaml_builder build,
                             void *out, struct dp_error *err);

/*
 * A document whose one top-level list grows with the data (the inventory's
 * domains): each item of the list under key, once read, goes to item with
 * the top-level pairs read before that key (so_far, a mapping), and its
 * nodes are then reused for the next: at most one item is held, and the
 * list itself reaches build empty. An error from item stops the read.
 */
struct dp_yaml_stream {
	const char *key;
	enum dp_status (*item)(struct dp_yaml *y, struct dp_ynode *so_far, struct dp_ynode *item,
	                       void *ctx);
	void *ctx;
};
/* dp_yaml_build on a buffer, the list under stream->key streamed. */
enum dp_status dp_yaml_build_streamed(const char *name, const char *data, size_t len,
                                      const struct dp_yaml_stream *stream, dp_yaml_builder build,
                                      void *out, struct dp_error *err);
/* A YAML file's bytes appended to out, with dp_yaml_load_file's checks and messages. */
enum dp_status dp_yaml_read(const char *path, struct dp_buf *out, struct dp_error *err);

const char *dp_yaml_file(const struct dp_yaml *y);
struct dp_ynode *dp_yaml_root(struct dp_yaml *y);
unsigned long dp_yaml_line(const struct dp_ynode *n);
/* 1-based column of n. */
unsigned long dp_yaml_col(const struct dp_ynode *n);
/* A scalar's text and length (NULL for other nodes); is it plain (unquoted)? */
const char *dp_yaml_scalar(const struct dp_ynode *n, size_t *len);
bool dp_yaml_plain(const struct dp_ynode *n);

/* Set err at node n (1-based line and column) and return DP_ESYNTAX. */
enum dp_status dp_yaml_error(const struct dp_yaml *y, const struct dp_ynode *n,
                             struct dp_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Expect a mapping whose keys are all in allowed (NULL-terminated), each once. */
enum dp_status dp_yaml_map(struct dp_yaml *y, struct dp_ynode *n, const char *what,
                           const char *const *allowed, struct dp_error *err);
/* Value of key in mapping n, or NULL. */
struct dp_ynode *dp_yaml_get(struct dp_yaml *y, struct dp_ynode *n, const char *key);
/* Number of pairs/items and the i-th key/value/item of a mapping or sequence. */
size_t dp_yaml_len(const struct dp_ynode *n);
struct dp_ynode *dp_yaml_key_at(struct dp_yaml *y, struct dp_ynode *map, size_t i);
struct dp_ynode *dp_yaml_value_at(struct dp_yaml *y, struct dp_ynode *map, size_t i);
struct dp_ynode *dp_yaml_item(struct dp_yaml *y, struct dp_ynode *seq, size_t i);

/* Typed scalars; what names the value in messages. Strings are borrowed from y. */
enum dp_status dp_yaml_seq(const struct dp_yaml *y, struct dp_ynode *n, const char *what,
                           struct dp_error *err);
enum dp_status dp_yaml_str(const struct dp_yaml *y, struct dp_ynode *n, const char *what,
                           const char **out, struct dp_error *err);
enum dp_status dp_yaml_bool(const struct dp_yaml *y, struct dp_ynode *n, const char *what,
                            bool *out, struct dp_error *err);
enum dp_status dp_yaml_int(const struct dp_yaml *y, struct dp_ynode *n, const char *what,
                           int64_t min, int64_t max, int64_t *out, struct dp_error *err);
enum dp_status dp_yaml_duration(const struct dp_yaml *y, struct dp_ynode *n, const char *what,
                                int64_t *out, struct dp_error *err);
/* One of choices (NULL-terminated); *out is its index. */
enum dp_status dp_yaml_choice(const struct dp_yaml *y, struct dp_ynode *n, const char *what,
                              const char *const *choices, int *out, struct dp_error *err);

/* The candidate closest to s (edit distance <= 3, or s is its prefix), or NULL. */
const char *dp_closest(const char *s, const char *const *candidates);

#endif
