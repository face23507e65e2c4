/* SPDX-License-Identifier: BSD-3-Clause */
/* Replace a file all at once: temporary file, fsync, rename, fsync of the directory. */
#include "base/atomicfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct dp_atomicfile {
	int dirfd, fd;
	char *path;    /* as given, for messages */
	char *base;    /* the final name inside the directory */
	char *tmpname; /* ".base.XXXXXX" inside the directory */
	char *tmppath; /* the directory, "/", tmpname: for messages and signal handlers */
};

#define TEMP_TRIES 100

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d != NULL) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* path's directory ("." when it has none) and last component; *dir and *base are the caller's. */
static enum dp_status split_path(const char *path, char **dir, char **base, struct dp_error *err)
{
	size_t len = strlen(path);
	const char *slash = strrchr(path, '/');
	const char *b = slash != NULL ? slash + 1 : path;

	*dir = *base = NULL;
	if (len == 0 || path[len - 1] == '/' || strcmp(b, ".") == 0 || strcmp(b, "..") == 0)
		return dp_error_set(err, DP_EINVAL, path, 0, 0, "not a file name");
	if (slash == NULL)
		*dir = dup_n(".", 1);
	else
		*dir = dup_n(path, slash == path ? 1 : (size_t)(slash - path));
	*base = dup_n(b, strlen(b));
	if (*dir == NULL || *base == NULL) {
		free(*dir);
		free(*base);
		*dir = *base = NULL;
		return DP_ENOMEM;
	}
	return DP_OK;
}

static enum dp_status sys_error(struct dp_error *err, const char *path, const char *what)
{
	return dp_error_set(err, DP_EIO, path, 0, 0, "%s: %s", what, strerror(errno));
}

/* A failure before the rename: the old file is as it was, and the message says so. */
static enum dp_status kept_error(struct dp_error *err, const char *path, const char *what)
{
	return dp_error_set(err, DP_EIO, path, 0, 0, "%s: %s; the file is left as it was", what,
	                    strerror(errno));
}

enum dp_status dp_atomicfile_check(const char *path, struct dp_error *err)
{
	char *dir = NULL, *base = NULL;
	struct stat st;
	enum dp_status rc = split_path(path, &dir, &base, err);

	if (rc != DP_OK)
		return rc;
	if (stat(dir, &st) != 0)
		rc = sys_error(err, dir, "cannot use the directory");
	else if (!S_ISDIR(st.st_mode))
		rc = dp_error_set(err, DP_EINVAL, dir, 0, 0, "not a directory");
	else if (access(dir, W_OK | X_OK) != 0)
		rc = sys_error(err, dir, "cannot create files in the directory");
	else if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
		rc = dp_error_set(err, DP_EINVAL, path, 0, 0,
		                  "exists and is not a regular file (a symlink, a device or a "
		                  "directory is not replaced)");
	free(dir);
	free(base);
	return rc;
}

/* Six letters or digits, from getrandom() or, should it fail, the clock and a counter. */
static void fill_random(char *x)
{
	static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	static uint64_t counter;
	unsigned char r[6];
	uint64_t v;

	if (getrandom(r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r)) {
		v = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20) ^
		    (++counter * 0x9e3779b97f4a7c15u);
		for (size_t i = 0; i < sizeof(r); i++, v >>= 8)
			r[i] = (unsigned char)v;
	}
	for (size_t i = 0; i < sizeof(r); i++)
		x[i] = set[r[i] % (sizeof(set) - 1)];
}

/* Names for the temporary: ".base.XXXXXX" and the directory plus it. */
static enum dp_status temp_names(struct dp_atomicfile *f, const char *dir)
{
	size_t bl = strlen(f->base), dl = strlen(dir);

	f->tmpname = malloc(bl + 9);
	f->tmppath = malloc(dl + bl + 10);
	if (f->tmpname == NULL || f->tmppath == NULL)
		return DP_ENOMEM;
	memcpy(f->tmpname, ".", 1);
	memcpy(f->tmpname + 1, f->base, bl);
	memcpy(f->tmpname + 1 + bl, ".XXXXXX", 8);
	memcpy(f->tmppath, dir, dl);
	f->tmppath[dl] = '/';
	return DP_OK;
}

/* Create the temporary exclusively, never through an existing file or symlink. */
static enum dp_status create_temp(struct dp_atomicfile *f, const char *dir, struct dp_error *err)
{
	size_t bl = strlen(f->base);

	for (int i = 0; i < TEMP_TRIES; i++) {
		fill_random(f->tmpname + bl + 2);
		f->fd = openat(f->dirfd, f->tmpname,
		               O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
		if (f->fd >= 0) {
			memcpy(f->tmppath + strlen(dir) + 1, f->tmpname, bl + 9);
			return DP_OK;
		}
		if (errno != EEXIST)
			return kept_error(err, f->path,
			                  "cannot create a temporary file next to it");
	}
	return dp_error_set(err, DP_EIO, f->path, 0, 0,
	                    "cannot create a temporary file next to it: %d names taken; the "
	                    "file is left as it was",
	                    TEMP_TRIES);
}

static void free_file(struct dp_atomicfile *f)
{
	if (f->fd >= 0)
		close(f->fd);
	if (f->dirfd >= 0)
		close(f->dirfd);
	free(f->path);
	free(f->base);
	free(f->tmpname);
	free(f->tmppath);
	free(f);
}

enum dp_status dp_atomicfile_open(const char *path, struct dp_atomicfile **out,
                                  struct dp_error *err)
{
	struct dp_atomicfile *f = calloc(1, sizeof(*f));
	char *dir = NULL;
	enum dp_status st = DP_ENOMEM;

	*out = NULL;
	if (f == NULL)
		return DP_ENOMEM;
	f->dirfd = f->fd = -1;
	f->path = dup_n(path, strlen(path));
	if (f->path == NULL)
		goto out;
	st = split_path(path, &dir, &f->base, err);
	if (st == DP_OK)
		st = temp_names(f, dir);
	if (st == DP_OK) {
		f->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (f->dirfd < 0)
			st = sys_error(err, dir, "cannot open the directory");
	}
	if (st == DP_OK)
		st = create_temp(f, dir, err);
out:
	free(dir);
	if (st != DP_OK)
		free_file(f);
	else
		*out = f;
	return st;
}

enum dp_status dp_atomicfile_write(struct dp_atomicfile *f, const void *data, size_t len,
                                   struct dp_error *err)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(f->fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return kept_error(err, f->path, "cannot write");
		p += n;
		len -= (size_t)n;
	}
	return DP_OK;
}

/* The data on the disk before the name points at it: fsync, then close. */
static enum dp_status sync_temp(struct dp_atomicfile *f, struct dp_error *err)
{
	int fd = f->fd;

	if (fsync(fd) != 0)
		return kept_error(err, f->path, "cannot write (fsync)");
	f->fd = -1;
	if (close(fd) != 0)
		return kept_error(err, f->path, "cannot write (close)");
	return DP_OK;
}

enum dp_status dp_atomicfile_commit(struct dp_atomicfile *f, struct dp_error *err)
{
	enum dp_status st = sync_temp(f, err);

	if (st == DP_OK && renameat(f->dirfd, f->tmpname, f->dirfd, f->base) != 0)
		st = kept_error(err, f->path, "cannot replace");
	if (st != DP_OK) {
		dp_atomicfile_abort(f);
		return st;
	}
	/* the new name on the disk too; a file system without directory fsync says EINVAL */
	if (fsync(f->dirfd) != 0 && errno != EINVAL)
		st = sys_error(err, f->path, "replaced, but its directory cannot be flushed");
	free_file(f);
	return st;
}

void dp_atomicfile_abort(struct dp_atomicfile *f)
{
	if (f == NULL)
		return;
	unlinkat(f->dirfd, f->tmpname, 0);
	free_file(f);
}

const char *dp_atomicfile_temp_path(const struct dp_atomicfile *f)
{
	return f->tmppath;
}
