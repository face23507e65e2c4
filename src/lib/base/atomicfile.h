/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Replace a file all at once: write a temporary file next to it, flush it to
 * the disk, rename it over the old one and flush the directory, so that a
 * reader (or the next run) sees the old file or the new one, never half of
 * the new one, whatever happens to the writer.
 */
#ifndef DP_ATOMICFILE_H
#define DP_ATOMICFILE_H

#include <stddef.h>

#include "base/status.h"

struct dp_atomicfile;

/*
 * Whether path can be replaced: not empty, not ending in '/', its directory
 * is a directory, and path itself is absent or a regular file (a symlink, a
 * device or a FIFO is refused: renaming over it would replace the link or
 * the node, not write through it). DP_EINVAL or DP_EIO with err set.
 */
enum dp_status dp_atomicfile_check(const char *path, struct dp_error *err);

/*
 * Create the temporary file ".NAME.XXXXXX" in path's directory, exclusively
 * (O_EXCL | O_NOFOLLOW: never through an existing file or symlink) and with
 * mode 0666 less the umask, as other tools create files. The caller owns
 * *out and ends it with dp_atomicfile_commit() or dp_atomicfile_abort().
 */
enum dp_status dp_atomicfile_open(const char *path, struct dp_atomicfile **out,
                                  struct dp_error *err);

/* Append len bytes; DP_EIO with err set (ENOSPC, EIO...) when the system refuses. */
enum dp_status dp_atomicfile_write(struct dp_atomicfile *f, const void *data, size_t len,
                                   struct dp_error *err);

/*
 * fsync the temporary, close it, rename it over the path, fsync the
 * directory. Frees f in every case; on an error before the rename, the
 * temporary is removed and the old file is untouched.
 */
enum dp_status dp_atomicfile_commit(struct dp_atomicfile *f, struct dp_error *err);

/* Remove the temporary and free f; the old file is untouched. NULL-safe. */
void dp_atomicfile_abort(struct dp_atomicfile *f);

/* The temporary's path (directory included), valid until commit or abort. */
const char *dp_atomicfile_temp_path(const struct dp_atomicfile *f);

#endif
