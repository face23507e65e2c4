/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared pieces of the dnspersist command-line front end. */
#ifndef DP_CLI_H
#define DP_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/buf.h"
#include "render/render.h"
#include "model/record.h"
#include "base/status.h"
#include "run.h"
#include "source/git.h"
#include "source/zonefile.h"

/* Exit status of every subcommand (ARCHITECTURE.md section 4). */
enum dp_exit {
	DP_EXIT_OK = 0,     /* validates / nothing at or above --fail-on */
	DP_EXIT_FAIL = 1,   /* would not validate / findings */
	DP_EXIT_USAGE = 2,  /* usage or input error */
	DP_EXIT_LOOKUP = 3, /* could not evaluate */
};

/* A growable list of borrowed strings (argv entries). */
struct dp_strv {
	const char **v;
	size_t n;
};

bool dp_strv_push(struct dp_strv *sv, const char *s);
void dp_strv_free(struct dp_strv *sv);

/* "now" for the run: --now if given, else the clock. Returns false on a bad value. */
bool dp_cli_now(const char *arg, int64_t *now);
/*
 * Parse the value of option opt against a NULL-terminated list; returns the
 * index, or -1 after a message that lists the known values.
 */
int dp_cli_choice(const char *opt, const char *arg, const char *const *allowed);
/* Write a buffer to stdout; false (after a message) when it cannot be written. */
bool dp_cli_write(const struct dp_buf *b);
/* Print "try 'dnspersist CMD --help'" and return DP_EXIT_USAGE. */
int dp_cli_usage_error(const char *cmd);

/* ---- option tables: one row per option gives getopt, --help and the parsing ---- */

enum dp_opt_kind {
	DP_OPT_STR,   /* const char * field = the argument (the last one given) */
	DP_OPT_FLAG,  /* bool field = true */
	DP_OPT_LIST,  /* struct dp_strv field += the argument (repeatable) */
	DP_OPT_COUNT, /* int field += 1 (-v -v) */
};

struct dp_opt {
	const char *name; /* long name */
	char letter;      /* short option, or 0 */
	enum dp_opt_kind kind;
	size_t field;     /* offsetof() in the command's argument struct */
	const char *meta; /* the argument's name in --help ("F"), NULL for flags */
	const char *help; /* '\n' continues on an indented line */
};

#define DP_OPT(name, letter, kind, type, field, meta, help)                                        \
	{                                                                                          \
		name, letter, DP_OPT_##kind, offsetof(type, field), meta, help                     \
	}

/*
 * Parse argv into args by the table; operands (arguments that are not
 * options) go to operands, or are an error when it is NULL. quiet: say
 * nothing on an error (the plugin prints its own UNKNOWN line); *bad gets
 * the offending argument. False on an error.
 */
bool dp_opts_parse(const struct dp_opt *t, size_t n, int argc, char **argv, void *args,
                   struct dp_strv *operands, bool quiet, const char **bad);
/* The option lines of --help, generated from the table. */
void dp_opts_help(const struct dp_opt *t, size_t n, FILE *f);

/* ---- live DNS options (scan, verify, the plugin) ---- */

struct dp_live_args {
	struct dp_strv servers, ns;
	const char *concurrency, *qps, *timeout, *retries;
	bool authoritative, stats;
};

/* The live rows of an option table, for an argument struct with a `live` member. */
/* clang-format off */
#define DP_LIVE_OPT_SERVERS(type) \
	DP_OPT("server", 's', LIST, type, live.servers, "ADDR[@PORT]", \
	       "ask this server (repeatable; default: /etc/resolv.conf)"), \
	DP_OPT("authoritative", 0, FLAG, type, live.authoritative, NULL, \
	       "ask every authoritative server of each name's zone (its NS\nset, found " \
	       "through the resolvers) each question directly,\nand report where they differ"), \
	DP_OPT("ns", 0, LIST, type, live.ns, "ADDR[@PORT]", \
	       "the servers to compare, hidden primaries or test servers\n" \
	       "(repeatable; implies --authoritative)")
#define DP_LIVE_OPT_PACE(type) \
	DP_OPT("concurrency", 0, STR, type, live.concurrency, "N", \
	       "lookups in flight at once (default 100)"), \
	DP_OPT("qps", 0, STR, type, live.qps, "N", "send at most N queries per second (default: no cap)")
#define DP_LIVE_OPT_TIMEOUT(type) \
	DP_OPT("timeout", 0, STR, type, live.timeout, "S", \
	       "seconds to wait for the first try (default 2; doubled\nfor each retry)")
#define DP_LIVE_OPT_RETRIES(type) \
	DP_OPT("retries", 0, STR, type, live.retries, "N", "tries after the first (default 2)"), \
	DP_OPT("stats", 0, FLAG, type, live.stats, NULL, \
	       "print the lookup counters and rate to stderr at the end")
#define DP_LIVE_OPTS(type) \
	DP_LIVE_OPT_SERVERS(type), DP_LIVE_OPT_PACE(type), DP_LIVE_OPT_TIMEOUT(type), \
	DP_LIVE_OPT_RETRIES(type)
/* clang-format on */

struct dp_live_config;
/* Check the numbers and addresses into the live source's config; false with err set. */
bool dp_live_args_check(const struct dp_live_args *a, struct dp_live_config *cfg,
                        struct dp_error *err);
void dp_live_args_free(struct dp_live_args *a);

/* "--format F: unknown format 'x'; known: text, json" for the renderers a front end offers. */
const struct dp_renderer *dp_cli_renderer(const char *arg, unsigned by);
/* --zone-format: "bind" or "octodns" (NULL: by file name); false after a message. */
bool dp_cli_zone_format(const char *arg, enum dp_zone_format *out);
#define DP_ZONE_FORMAT_HELP "bind or octodns (default: by file name; .yaml and .yml\nare octoDNS)"
/* An input or run error, from err if it says something, else from st. */
void dp_cli_error(enum dp_status st, const struct dp_error *err);

/* ---- zone inputs of diff and inventory init ---- */

/* Zone files and directories as given, or one git:REV[:PATH] held in memory. */
struct dp_cli_input {
	struct dp_zone_config zc;
	struct dp_git_files git;
	bool is_git;
};
/*
 * Open args[0..n): files and directories, or a single git spec read now
 * (DP_EINVAL for a spec among others, DP_EIO when git fails). args and
 * origin are borrowed; release with dp_cli_input_free (also after an error).
 */
enum dp_status dp_cli_input_open(const char *const *args, size_t n, const char *origin,
                                 enum dp_zone_format format, struct dp_cli_input *in,
                                 struct dp_error *err);
/* The run source and its config for the input. */
void dp_cli_input_source(const struct dp_cli_input *in, struct dp_run_opts *o);
void dp_cli_input_free(struct dp_cli_input *in);

int dp_cmd_verify(int argc, char **argv);
int dp_cmd_record(int argc, char **argv);
int dp_cmd_scan(int argc, char **argv);
int dp_cmd_lint(int argc, char **argv);
int dp_cmd_diff(int argc, char **argv);
int dp_cmd_inventory(int argc, char **argv);

#endif
