/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared pieces of the dnspersist command-line front end. */
#ifndef DP_CLI_H
#define DP_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "record.h"

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
/* Print "try 'dnspersist CMD --help'" and return DP_EXIT_USAGE. */
int dp_cli_usage_error(const char *cmd);

int dp_cmd_verify(int argc, char **argv);
int dp_cmd_record(int argc, char **argv);
int dp_cmd_scan(int argc, char **argv);
int dp_cmd_lint(int argc, char **argv);

#endif
