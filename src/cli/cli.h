/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared pieces of the dnspersist command-line front end. */
#ifndef DP_CLI_H
#define DP_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "model/record.h"
#include "base/status.h"

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
/* Parse --format against a NULL-terminated list; returns the index or -1 (after a message). */
int dp_cli_format(const char *arg, const char *const *allowed);
/* Write a buffer to stdout; false (after a message) when it cannot be written. */
bool dp_cli_write(const struct dp_buf *b);
/* --rules F, else the installed rules/default.yaml, else the built-in defaults. */
struct dp_rules;
enum dp_status dp_cli_load_rules(const char *path, struct dp_rules **out, struct dp_error *err);
/* Print "try 'dnspersist CMD --help'" and return DP_EXIT_USAGE. */
int dp_cli_usage_error(const char *cmd);

/* ---- live DNS options (scan, verify) ---- */
struct dp_obs;
struct dp_resolver_opts;

enum {
	DP_OPT_CONCURRENCY = 1000,
	DP_OPT_QPS,
	DP_OPT_TIMEOUT,
	DP_OPT_RETRIES,
	DP_OPT_AUTHORITATIVE,
	DP_OPT_STATS,
	DP_OPT_NS,
};

/* The getopt_long entries; -s is --server. */
/* clang-format off */
#define DP_LIVE_LONGOPTS \
	{"server", required_argument, NULL, 's'}, \
	{"concurrency", required_argument, NULL, DP_OPT_CONCURRENCY}, \
	{"qps", required_argument, NULL, DP_OPT_QPS}, \
	{"timeout", required_argument, NULL, DP_OPT_TIMEOUT}, \
	{"retries", required_argument, NULL, DP_OPT_RETRIES}, \
	{"authoritative", no_argument, NULL, DP_OPT_AUTHORITATIVE}, \
	{"ns", required_argument, NULL, DP_OPT_NS}, \
	{"stats", no_argument, NULL, DP_OPT_STATS}
/* clang-format on */

#define DP_LIVE_HELP                                                                               \
	"  -s, --server ADDR[@PORT] ask this server (repeatable; default: /etc/resolv.conf)\n"     \
	"      --authoritative     ask every authoritative server of each name's zone (its NS\n"   \
	"                          set, found through the resolvers) each question directly,\n"    \
	"                          and report where they differ\n"                                 \
	"      --ns ADDR[@PORT]    with --authoritative: these are the servers to compare\n"       \
	"                          (repeatable; hidden primaries, test servers)\n"                 \
	"      --concurrency N     lookups in flight at once (default 100)\n"                      \
	"      --qps N             send at most N queries per second (default: no cap)\n"          \
	"      --timeout S         seconds to wait for the first try (default 2; doubled\n"        \
	"                          for each retry)\n"                                              \
	"      --retries N         tries after the first (default 2)\n"                            \
	"      --stats             print the lookup counters and rate to stderr at the end\n"

struct dp_live_args {
	struct dp_strv servers, ns;
	const char *concurrency, *qps, *timeout, *retries;
	bool authoritative, stats;
};

/* Take option c if it is a live one; false when it is not (or out of memory). */
bool dp_live_opt(struct dp_live_args *a, int c, const char *arg);
/* Check the numbers; fills the engine's options. False after a message. */
bool dp_live_args_check(const struct dp_live_args *a, struct dp_resolver_opts *ro);
/* What a live run looks up: names, and zones whose other names are found by AXFR. */
struct dp_live_names {
	const char *const *names;
	size_t n;
	const char *const *zones;
	size_t n_zones;
};
/*
 * Look names up into o, with a progress display on a terminal; messages on
 * failure: DP_EINVAL for usage (no server), DP_ELOOKUP when the engine failed.
 */
enum dp_status dp_cli_live(const struct dp_live_args *a, const struct dp_resolver_opts *ro,
                           const struct dp_live_names *in, struct dp_obs *o);

/*
 * The same for an inventory: every name and, by zone transfer, the other
 * names of its owned zones; or only the one name given.
 */
struct dp_inventory;
enum dp_status dp_cli_live_inventory(const struct dp_live_args *a,
                                     const struct dp_resolver_opts *ro,
                                     const struct dp_inventory *inv, const char *only,
                                     struct dp_obs *o);

int dp_cmd_verify(int argc, char **argv);
int dp_cmd_record(int argc, char **argv);
int dp_cmd_scan(int argc, char **argv);
int dp_cmd_lint(int argc, char **argv);

#endif
