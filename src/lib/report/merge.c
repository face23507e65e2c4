/* SPDX-License-Identifier: BSD-3-Clause */
/* Shard reports read into one, refused when they were not shards of one run. */
#include <stdlib.h>
#include <string.h>

#include "report/report_read.h"

/* The later file's shard against the first's: the same run, another shard. */
static enum dp_status same_run(const char *path, const struct dp_report_file *first,
                               const struct dp_report_file *f, const unsigned char *seen,
                               struct dp_error *err)
{
	if (first->sharded != f->sharded)
		return dp_error_set(err, DP_EINVAL, path, 0, 0,
		                    "%s: cannot merge a shard with a whole run",
		                    f->sharded ? "a shard" : "a whole run");
	if (!f->sharded)
		return DP_OK;
	if (f->shard.count != first->shard.count)
		return dp_error_set(err, DP_EINVAL, path, 0, 0,
		                    "shard %u/%u is of a run split %u ways, not %u", f->shard.index,
		                    f->shard.count, f->shard.count, first->shard.count);
	if (strcmp(f->shard.rules, first->shard.rules) != 0)
		return dp_error_set(err, DP_EINVAL, path, 0, 0,
		                    "shard %u/%u was judged by other rules than the first shard",
		                    f->shard.index, f->shard.count);
	if (strcmp(f->shard.inventory, first->shard.inventory) != 0)
		return dp_error_set(
		    err, DP_EINVAL, path, 0, 0,
		    "shard %u/%u was cut from another inventory than the first shard",
		    f->shard.index, f->shard.count);
	if (seen[f->shard.index])
		return dp_error_set(err, DP_EINVAL, path, 0, 0, "shard %u/%u is given twice",
		                    f->shard.index, f->shard.count);
	return DP_OK;
}

/* Every shard of the run was given. */
static enum dp_status complete(const struct dp_report_file *first, const unsigned char *seen,
                               struct dp_error *err)
{
	if (!first->sharded)
		return DP_OK;
	for (unsigned i = 0; i < first->shard.count; i++)
		if (!seen[i])
			return dp_error_set(err, DP_EINVAL, NULL, 0, 0,
			                    "shard %u/%u is missing: the merged report would "
			                    "leave its names out",
			                    i, first->shard.count);
	return DP_OK;
}

/*
 * Each file into out. A shard of another run, or given twice, is named so
 * even when reading it failed on the names it shares with another shard:
 * that is the cause, the overlap only its consequence.
 */
static enum dp_status merge_all(const char *const *paths, size_t n,
                                const struct dp_report_limits *lim, struct dp_report **out,
                                unsigned char *seen, struct dp_error *err)
{
	struct dp_report_file first = {0};
	enum dp_status st = DP_OK;

	for (size_t i = 0; st == DP_OK && i < n; i++) {
		struct dp_report_file f = {0}, *fi = i == 0 ? &first : &f;
		st = dp_report_read_json(paths[i], lim, out, fi, err);
		if (i > 0 && (st == DP_OK || f.sharded)) {
			enum dp_status why = same_run(paths[i], &first, &f, seen, err);
			st = why != DP_OK ? why : st;
		}
		if (st == DP_OK && fi->sharded)
			seen[fi->shard.index] = 1;
	}
	return st == DP_OK ? complete(&first, seen, err) : st;
}

enum dp_status dp_report_merge_json(const char *const *paths, size_t n,
                                    const struct dp_report_limits *lim, struct dp_report **out,
                                    struct dp_error *err)
{
	unsigned char *seen = calloc(65536, 1); /* shard indices given, by index */
	enum dp_status st;

	*out = NULL;
	if (seen == NULL)
		return DP_ENOMEM;
	st = merge_all(paths, n, lim, out, seen, err);
	free(seen);
	if (st != DP_OK) {
		dp_report_free(*out);
		*out = NULL;
	}
	return st;
}
