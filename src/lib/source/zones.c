/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The zone-file source: the files given, a directory standing for every
 * zone file in it (named after its zone, in name order), read with the
 * plan's filter on the reader.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/grow.h"
#include "base/msg.h"
#include "source/source.h"
#include "source/octodns.h"
#include "source/zonefile.h"

/* The files to read: borrowed ones as given, and the paths found in directories. */
struct files {
	const char **v;
	size_t n, cap;
	char **owned;
	size_t n_owned;
};

static bool push(struct files *f, const char *path)
{
	if (dp_grow(&f->v, &f->cap, f->n, sizeof(*f->v), 16) != DP_OK)
		return false;
	f->v[f->n++] = path;
	return true;
}

static bool own(struct files *f, char *path)
{
	char **o = realloc(f->owned, (f->n_owned + 1) * sizeof(*o));

	if (o == NULL) {
		free(path);
		return false;
	}
	f->owned = o;
	f->owned[f->n_owned++] = path;
	return push(f, path);
}

static void files_free(struct files *f)
{
	for (size_t i = 0; i < f->n_owned; i++)
		free(f->owned[i]);
	free(f->owned);
	free(f->v);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* dir/name when it is a regular file named like a zone; NULL otherwise (or out of memory). */
static char *zone_file_in(const char *dir, const char *name, enum dp_zone_format format)
{
	char origin[DP_NAME_MAX];
	struct stat sb;
	size_t dlen = strlen(dir), len;
	char *path;

	while (dlen > 1 && dir[dlen - 1] == '/')
		dlen--; /* "zones/" and "zones" give the same paths */
	if (name[0] == '.')
		return NULL;
	/* a directory's .yaml files are octoDNS zones only when asked: it may hold an inventory */
	if (format == DP_ZONE_OCTODNS ? !dp_octodns_origin(name, origin)
	                              : !dp_zone_origin_from_filename(name, origin))
		return NULL;
	len = dlen + strlen(name) + 2;
	path = malloc(len);
	if (path == NULL)
		return NULL;
	snprintf(path, len, "%.*s/%s", (int)dlen, dir, name);
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		free(path);
		return NULL;
	}
	return path;
}

static enum dp_status expand_dir(struct files *f, const char *dir, enum dp_zone_format format,
                                 struct dp_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t first = f->n;
	char *path;

	if (d == NULL)
		return dp_error_set(err, DP_EIO, dir, 0, 0, "cannot read the directory");
	for (e = readdir(d); e != NULL; e = readdir(d)) {
		path = zone_file_in(dir, e->d_name, format);
		if (path != NULL && !own(f, path))
			break;
	}
	closedir(d);
	if (e != NULL)
		return DP_ENOMEM;
	if (f->n == first) {
		/* nothing to sort (and f->v may still be NULL, which qsort must not get) */
		dp_msg_warn("%s: no zone files (named like example.com.zone or db.example.com)",
		            dir);
		return DP_OK;
	}
	qsort(f->v + first, f->n - first, sizeof(*f->v), cmp_str);
	return DP_OK;
}

static enum dp_status expand(const struct dp_zone_config *z, struct files *f, struct dp_error *err)
{
	enum dp_status st = DP_OK;

	for (size_t i = 0; i < z->n_files && st == DP_OK; i++) {
		struct stat sb;
		if (stat(z->files[i], &sb) == 0 && S_ISDIR(sb.st_mode))
			st = expand_dir(f, z->files[i], z->format, err);
		else if (!push(f, z->files[i]))
			st = DP_ENOMEM;
	}
	return st;
}

static enum dp_status zone_observe(const void *cfg, const struct dp_plan *plan, struct dp_obs *o,
                                   struct dp_error *err)
{
	const struct dp_zone_config *z = cfg;
	struct files f = {0};
	enum dp_status st = expand(z, &f, err);

	dp_obs_set_include_anywhere(o, z->include_anywhere);
	dp_obs_set_zone_format(o, z->format);
	/* the plan decides which names and CNAMEs matter; lint keeps every record */
	if (dp_plan_filters(plan))
		dp_obs_set_filter(o, dp_plan_wants, (void *)plan);
	if (st == DP_OK)
		st = dp_obs_load_zones(o, f.v, f.n, z->origin, err);
	files_free(&f);
	return st;
}

const struct dp_source dp_source_zone = {"zone", true, zone_observe};
