/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Zone files as a git revision holds them, read with git itself (git
 * cat-file, git ls-tree; run with an argument vector, never a shell, and
 * never a checkout), so that `diff git:main .` compares what a pull request
 * changes without touching the work tree.
 */
#ifndef DP_GIT_H
#define DP_GIT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/status.h"
#include "observe/observe.h"
#include "source/source.h"

/* A revision's files: each path as given (relative to the current directory) and content. */
struct dp_git_files {
	struct dp_zone_buf *v;
	size_t n;
	const char *origin; /* for files without $ORIGIN (the caller's, borrowed), or NULL */
	enum dp_zone_format format;
};

/*
 * Whether arg is a git input: "git:REV" or "git:REV:PATH". A REV that is
 * empty, starts with '-' (it would be read as an option) or holds a control
 * character is refused with DP_EINVAL; *rev and *path (default ".") are
 * then malloc'd copies the caller frees.
 */
bool dp_git_is_spec(const char *arg);
enum dp_status dp_git_parse_spec(const char *arg, char **rev, char **path, struct dp_error *err);

/*
 * The zone files at path in rev: the file itself, or the files of the
 * directory that zone_name() accepts (in name order). Paths are relative
 * to the current directory, as git's "REV:./PATH" reads them. The caller
 * owns *out (dp_git_files_free). DP_EIO with err set when git fails or the
 * path is not in the revision.
 */
enum dp_status dp_git_read(const char *rev, const char *path, bool (*zone_name)(const char *name),
                           struct dp_git_files *out, struct dp_error *err);
void dp_git_files_free(struct dp_git_files *f);

/*
 * The source for files held in memory (a revision's, read by dp_git_read):
 * its config is a struct dp_git_files, borrowed; the report's mode is "zone".
 */
extern const struct dp_source dp_source_zone_mem;

#endif
