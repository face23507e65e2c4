/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Zone inputs of diff and inventory init: zone files and directories as
 * given, or one git:REV[:PATH] read into memory, and the run source for them.
 */
#include <stdlib.h>

#include "cli/cli.h"
#include "source/octodns.h"

static bool zone_name(const char *name)
{
	char origin[DP_NAME_MAX];
	return dp_zone_origin_from_filename(name, origin);
}

/* With --zone-format octodns a directory's .yaml files are zones (else it may hold an inventory).
 */
static bool octodns_name(const char *name)
{
	char origin[DP_NAME_MAX];
	return dp_octodns_origin(name, origin);
}

enum dp_status dp_cli_input_open(const char *const *args, size_t n, const char *origin,
                                 enum dp_zone_format format, struct dp_cli_input *in,
                                 struct dp_error *err)
{
	char *rev = NULL, *path = NULL;
	enum dp_status st;

	*in = (struct dp_cli_input){.zc = {args, n, origin, false, format}};
	for (size_t i = 0; i < n; i++)
		if (dp_git_is_spec(args[i]) && n > 1)
			return dp_error_set(err, DP_EINVAL, NULL, 0, 0,
			                    "%s: a git revision is read on its own", args[i]);
	if (n != 1 || !dp_git_is_spec(args[0]))
		return DP_OK;
	in->is_git = true;
	st = dp_git_parse_spec(args[0], &rev, &path, err);
	if (st == DP_OK)
		st = dp_git_read(rev, path, format == DP_ZONE_OCTODNS ? octodns_name : zone_name,
		                 &in->git, err);
	in->git.origin = origin;
	in->git.format = format;
	free(rev);
	free(path);
	return st;
}

void dp_cli_input_source(const struct dp_cli_input *in, struct dp_run_opts *o)
{
	o->source = in->is_git ? &dp_source_zone_mem : &dp_source_zone;
	o->source_config = in->is_git ? (const void *)&in->git : (const void *)&in->zc;
}

void dp_cli_input_free(struct dp_cli_input *in)
{
	dp_git_files_free(&in->git);
}
