/* SPDX-License-Identifier: BSD-3-Clause */
/* Small helpers shared by the subcommands: lists, --now, --format, output. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"

#include "cli/cli.h"
#include "base/msg.h"
#include "model/rules.h"
#include "base/timeutil.h"

bool dp_strv_push(struct dp_strv *sv, const char *s)
{
	const char **n = realloc(sv->v, (sv->n + 1) * sizeof(*n));
	if (n == NULL)
		return false;
	sv->v = n;
	sv->v[sv->n++] = s;
	return true;
}

void dp_strv_free(struct dp_strv *sv)
{
	free(sv->v);
	sv->v = NULL;
	sv->n = 0;
}

bool dp_cli_now(const char *arg, int64_t *now)
{
	struct dp_error err = {0};
	int64_t clock_now = (int64_t)time(NULL);

	if (arg == NULL) {
		*now = clock_now;
		return true;
	}
	if (dp_time_parse(arg, clock_now, now, &err) != DP_OK) {
		dp_msg_error("--now: %s", err.msg);
		return false;
	}
	return true;
}

int dp_cli_format(const char *arg, const char *const *allowed)
{
	for (int i = 0; allowed[i] != NULL; i++)
		if (strcmp(arg, allowed[i]) == 0)
			return i;
	dp_msg_error("--format: unknown format '%s'", arg);
	return -1;
}

bool dp_cli_write(const struct dp_buf *b)
{
	if (dp_buf_status(b) != DP_OK) {
		dp_msg_error("out of memory");
		return false;
	}
	if (b->len > 0 && fwrite(b->data, 1, b->len, stdout) != b->len) {
		dp_msg_error("cannot write output: %s", strerror(errno));
		return false;
	}
	if (fflush(stdout) != 0) {
		dp_msg_error("cannot write output: %s", strerror(errno));
		return false;
	}
	return true;
}

int dp_cli_usage_error(const char *cmd)
{
	fprintf(stderr, "Try 'dnspersist %s --help' for more information.\n", cmd);
	return DP_EXIT_USAGE;
}

enum dp_status dp_cli_load_rules(const char *path, struct dp_rules **out, struct dp_error *err)
{
	const char *installed = DP_DATADIR "/rules/default.yaml";

	if (path != NULL)
		return dp_rules_load(path, out, err);
	if (access(installed, R_OK) == 0)
		return dp_rules_load(installed, out, err);
	return dp_rules_default(out); /* not installed: the same defaults, built in */
}
