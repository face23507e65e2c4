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
/* A renderer's note for the log (struct dp_render_opts warn): "dnspersist: warning: text". */
void dp_cli_warn(const char *text);
/* Append a format's Markdown summary to the file $GITHUB_STEP_SUMMARY names, if any. */
void dp_cli_step_summary(const struct dp_buf *md);
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

/* ---- the CT cross-check's options (scan, the plugin) ---- */

struct dp_ct_args {
	const char *source, *url, *cacert, *cache, *cache_age, *key_file, *timeout;
};

/* clang-format off */
#define DP_CT_OPTS(type) \
	DP_OPT("ct", 0, STR, type, ct.source, "SOURCE", \
	       "cross-check with Certificate Transparency: certspotter,\ncrtsh, " \
	       "file:PATH (a saved answer) or inventory (its ct.source)"), \
	DP_OPT("ct-url", 0, STR, type, ct.url, "BASE", \
	       "the CT service at BASE (scheme, host, port) instead of its own"), \
	DP_OPT("ct-cacert", 0, STR, type, ct.cacert, "FILE", \
	       "trust this CA (PEM) too for the CT service; verification\nstays on"), \
	DP_OPT("ct-cache", 0, STR, type, ct.cache, "DIR", "keep CT answers in DIR and reuse them"), \
	DP_OPT("ct-cache-age", 0, STR, type, ct.cache_age, "D", \
	       "reuse a kept CT answer this long (default 12h)"), \
	DP_OPT("ct-key-file", 0, STR, type, ct.key_file, "FILE", \
	       "the Cert Spotter API key (else CERTSPOTTER_API_KEY;\nnever on the command line)"), \
	DP_OPT("ct-timeout", 0, STR, type, ct.timeout, "S", \
	       "seconds per CT request try (default 30)")
/* clang-format on */

struct dp_ct_config;
/*
 * Check the CT options into cfg (NULL *out when --ct was not given). The
 * API key is read into *key (the caller wipes and frees it with
 * dp_ct_key_free). False with err set on a bad value.
 */
bool dp_ct_args_check(const struct dp_ct_args *a, const char *version, struct dp_ct_config *cfg,
                      const struct dp_ct_config **out, char **key, struct dp_error *err);
/* The same for the transport alone (--check-directories without --ct): cfg filled, no source. */
bool dp_ct_transport_check(const struct dp_ct_args *a, const char *version,
                           struct dp_ct_config *cfg, struct dp_error *err);
void dp_ct_key_free(char *key);

/* "--format F: unknown format 'x'; known: text, json" for the renderers a front end offers. */
const struct dp_renderer *dp_cli_renderer(const char *arg, unsigned by);
/* --zone-format: "bind" or "octodns" (NULL: by file name); false after a message. */
bool dp_cli_zone_format(const char *arg, enum dp_zone_format *out);
#define DP_ZONE_FORMAT_HELP "bind or octodns (default: by file name; .yaml and .yml\nare octoDNS)"
/* An input or run error, from err if it says something, else from st. */
void dp_cli_error(enum dp_status st, const struct dp_error *err);

/* ---- -o FORMAT:FILE (outputs.c) ---- */

struct dp_run;

/* One requested output: a renderer and the file it replaces ("-": standard output). */
struct dp_output {
	const struct dp_renderer *fmt;
	const char *path; /* borrowed from argv */
};

struct dp_outputs {
	struct dp_output *v;
	size_t n;
};

/*
 * Check every -o spec before the run: FORMAT offered by front end `by`, FILE
 * replaceable (dp_atomicfile_check), no file twice, standard output at most
 * once (stdout_taken: --format already writes there). False after a
 * message; the caller frees outs either way.
 */
bool dp_outputs_parse(const struct dp_strv *specs, unsigned by, bool stdout_taken,
                      struct dp_outputs *outs);
/*
 * Render the run into every output, each file replaced atomically (no
 * colour). Every output is tried; false (after a message for each) when
 * any could not be written, and those files are left as they were.
 */
bool dp_outputs_write(struct dp_run *run, const struct dp_outputs *outs,
                      const struct dp_render_opts *base);
void dp_outputs_free(struct dp_outputs *outs);

/* --color: always, never, or auto (stdout a terminal and NO_COLOR unset). */
bool dp_cli_color(const char *arg);
/* --fail-on S into *out (left as it is when arg is NULL); false after a message. */
bool dp_cli_fail_on(const char *arg, enum dp_severity *out);
/* A renderer's flush: write out to stdout and empty it. */
bool dp_cli_flush_stdout(struct dp_buf *out, void *ctx);
/*
 * The one exit-status decision of scan, lint and merge: 3 when the report
 * is not fully evaluated, 1 for a finding at or above fail_on, else 0.
 */
int dp_cli_exit_status(const struct dp_report *r, enum dp_severity fail_on);

int dp_cmd_merge(int argc, char **argv);
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

/*
 * Names for a live run without an inventory (names.c): normalized, each
 * once, in the order first given. Zero-initialize; dp_names_free after use.
 */
struct dp_strmap;
struct dp_names {
	const char **v; /* owned */
	size_t n, cap;
	struct dp_strmap *seen;
};
/* One name as typed; err names file:line when given (file may be NULL). */
enum dp_status dp_names_add(struct dp_names *l, const char *text, const char *file,
                            unsigned long line, struct dp_error *err);
/* Every name of a file, one a line ('#' comments, blank lines); path "-": standard input. */
enum dp_status dp_names_read(struct dp_names *l, const char *path, struct dp_error *err);
void dp_names_free(struct dp_names *l);

int dp_cmd_verify(int argc, char **argv);
int dp_cmd_record(int argc, char **argv);
int dp_cmd_scan(int argc, char **argv);
int dp_cmd_lint(int argc, char **argv);
int dp_cmd_diff(int argc, char **argv);
int dp_cmd_inventory(int argc, char **argv);
/* inventory watchlist (watchlist.c): argv[0] is "watchlist" */
int dp_cmd_inventory_watchlist(int argc, char **argv);

#endif
