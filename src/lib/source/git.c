/* SPDX-License-Identifier: BSD-3-Clause */
/* Zone files from a git revision, read through git cat-file and git ls-tree. */
#include "source/git.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"

/* A blob larger than this is refused rather than held in memory. */
#define GIT_MAX_BLOB (1024ull * 1024 * 1024)
#define GIT_MAX_ERR  400

bool dp_git_is_spec(const char *arg)
{
	return strncmp(arg, "git:", 4) == 0;
}

static bool rev_ok(const char *rev, size_t len)
{
	if (len == 0 || rev[0] == '-')
		return false; /* git would read "-..." as an option */
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)rev[i] < 0x20 || rev[i] == 0x7f)
			return false;
	return true;
}

enum dp_status dp_git_parse_spec(const char *arg, char **rev, char **path, struct dp_error *err)
{
	const char *r = arg + 4, *colon = strchr(r, ':');
	size_t rlen = colon ? (size_t)(colon - r) : strlen(r);
	const char *p = colon && colon[1] ? colon + 1 : ".";

	*rev = *path = NULL;
	if (!dp_git_is_spec(arg) || !rev_ok(r, rlen))
		return dp_error_set(
		    err, DP_EINVAL, NULL, 0, 0,
		    "'%.*s' is not a git revision to read (git:REV or git:REV:PATH; "
		    "REV must not be empty or start with '-')",
		    (int)(rlen > 200 ? 200 : rlen), r);
	for (const char *c = p; *c; c++)
		if ((unsigned char)*c < 0x20)
			return dp_error_set(err, DP_EINVAL, NULL, 0, 0,
			                    "the path of '%s' holds a control character", arg);
	*rev = strndup(r, rlen);
	*path = strdup(p);
	if (*rev == NULL || *path == NULL) {
		free(*rev);
		free(*path);
		*rev = *path = NULL;
		return DP_ENOMEM;
	}
	return DP_OK;
}

/* ---- running git -------------------------------------------------------------------- */

struct git_out {
	struct dp_buf out, err;
	int status; /* exit status, or -1 when it did not exit normally */
};

static void child(const char *const *argv, int out[2], int errp[2])
{
	dup2(out[1], STDOUT_FILENO);
	dup2(errp[1], STDERR_FILENO);
	close(out[0]);
	close(out[1]);
	close(errp[0]);
	close(errp[1]);
	execvp("git", (char *const *)argv);
	_exit(127);
}

/* Read both pipes until git closes them; false when the output grew past the bound. */
static bool drain(int out, int errfd, struct git_out *g)
{
	struct pollfd p[2] = {{out, POLLIN, 0}, {errfd, POLLIN, 0}};
	char chunk[65536];
	int open = 2;

	while (open > 0) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		for (int k = 0; k < 2; k++) {
			if (p[k].fd < 0 || p[k].revents == 0)
				continue;
			ssize_t n = read(p[k].fd, chunk, sizeof(chunk));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				p[k].fd = -1;
				open--;
			} else if (k == 0) {
				dp_buf_add(&g->out, chunk, (size_t)n);
			} else if (g->err.len < GIT_MAX_ERR) {
				dp_buf_add(&g->err, chunk, (size_t)n);
			}
		}
		if (g->out.len > GIT_MAX_BLOB)
			return false;
	}
	return true;
}

static enum dp_status run_git(const char *const *argv, struct git_out *g, struct dp_error *err)
{
	int out[2] = {-1, -1}, errp[2] = {-1, -1}, wst = 0;
	bool ok;
	pid_t pid;

	if (pipe(out) != 0 || pipe(errp) != 0) {
		if (out[0] >= 0) {
			close(out[0]);
			close(out[1]);
		}
		return dp_error_set(err, DP_EIO, NULL, 0, 0, "cannot run git: %s", strerror(errno));
	}
	pid = fork();
	if (pid == 0)
		child(argv, out, errp);
	close(out[1]);
	close(errp[1]);
	ok = pid > 0 && drain(out[0], errp[0], g);
	close(out[0]);
	close(errp[0]);
	if (pid < 0)
		return dp_error_set(err, DP_EIO, NULL, 0, 0, "cannot run git: %s", strerror(errno));
	while (waitpid(pid, &wst, 0) < 0 && errno == EINTR)
		;
	g->status = WIFEXITED(wst) ? WEXITSTATUS(wst) : -1;
	if (!ok)
		return dp_error_set(err, DP_ELIMIT, NULL, 0, 0, "git %s: output too large",
		                    argv[1]);
	return dp_buf_status(&g->out) == DP_OK && dp_buf_status(&g->err) == DP_OK ? DP_OK
	                                                                          : DP_ENOMEM;
}

/* git's own message (first line), or how it ended. */
static enum dp_status git_failed(const char *what, const struct git_out *g, struct dp_error *err)
{
	const char *msg = g->err.data ? g->err.data : "";
	size_t len = strcspn(msg, "\n");

	if (g->status == 127)
		return dp_error_set(err, DP_EIO, NULL, 0, 0, "%s: git is not installed", what);
	return dp_error_set(err, DP_EIO, NULL, 0, 0, "%s: git failed (exit %d)%s%.*s", what,
	                    g->status, len ? ": " : "", (int)(len > 300 ? 300 : len), msg);
}

static void git_out_free(struct git_out *g)
{
	dp_buf_free(&g->out);
	dp_buf_free(&g->err);
}

/*
 * `git <cmd> <opt> --end-of-options <object>` into g; DP_EIO when git fails.
 * ls-tree gets --full-tree: run in a subdirectory it would otherwise list
 * only that subdirectory's part of a tree already taken relative to it.
 */
static enum dp_status git_object(const char *cmd, const char *opt, const char *object,
                                 const char *what, struct git_out *g, struct dp_error *err)
{
	bool ls = strcmp(cmd, "ls-tree") == 0;
	const char *argv[] = {"git",
	                      cmd,
	                      ls ? "--full-tree" : opt,
	                      ls ? opt : "--end-of-options",
	                      ls ? "--end-of-options" : object,
	                      ls ? object : NULL,
	                      NULL};
	enum dp_status st = run_git(argv, g, err);

	if (st == DP_OK && g->status != 0)
		st = git_failed(what, g, err);
	return st;
}

/* ---- the files -------------------------------------------------------------------- */

static enum dp_status add_file(struct dp_git_files *f, char *name, struct git_out *g)
{
	struct dp_zone_buf *v = realloc(f->v, (f->n + 1) * sizeof(*v));

	if (v == NULL) {
		free(name);
		return DP_ENOMEM;
	}
	f->v = v;
	f->v[f->n].name = name;
	f->v[f->n].len = g->out.len;
	f->v[f->n].data = dp_buf_steal(&g->out);
	f->n++;
	return DP_OK;
}

static enum dp_status read_blob(struct dp_git_files *f, const char *object, char *name,
                                struct dp_error *err)
{
	struct git_out g = {0};
	enum dp_status st = git_object("cat-file", "blob", object, name, &g, err);

	if (st == DP_OK)
		st = add_file(f, name, &g);
	else
		free(name);
	git_out_free(&g);
	return st;
}

/* dir/name as the zone source names a file it found in a directory. */
static char *join(const char *dir, const char *name)
{
	size_t dlen = strlen(dir), len;
	char *s;

	while (dlen > 1 && dir[dlen - 1] == '/')
		dlen--;
	len = dlen + strlen(name) + 2;
	s = malloc(len);
	if (s != NULL)
		snprintf(s, len, "%.*s/%s", (int)dlen, dir, name);
	return s;
}

/* One "<mode> <type> <oid>\t<name>" entry of git ls-tree -z: a zone file to read? */
static enum dp_status tree_entry(struct dp_git_files *f, const char *path, const char *e,
                                 bool (*zone_name)(const char *), struct dp_error *err)
{
	const char *tab = strchr(e, '\t'), *type = strchr(e, ' ');
	char oid[128];
	char *name;

	if (tab == NULL || type == NULL || strncmp(type, " blob ", 6) != 0)
		return DP_OK; /* trees, submodules */
	const char *o = type + 6;
	size_t olen = (size_t)(tab - o);
	if (olen == 0 || olen >= sizeof(oid) || tab[1] == '.' || !zone_name(tab + 1))
		return DP_OK;
	memcpy(oid, o, olen);
	oid[olen] = '\0';
	name = join(path, tab + 1);
	return name ? read_blob(f, oid, name, err) : DP_ENOMEM;
}

static enum dp_status read_tree(struct dp_git_files *f, const char *object, const char *path,
                                bool (*zone_name)(const char *), struct dp_error *err)
{
	struct git_out g = {0};
	enum dp_status st = git_object("ls-tree", "-z", object, path, &g, err);

	/* ls-tree lists in name order, as the zone source sorts a directory */
	for (size_t at = 0; st == DP_OK && at < g.out.len; at += strlen(g.out.data + at) + 1)
		st = tree_entry(f, path, g.out.data + at, zone_name, err);
	git_out_free(&g);
	return st;
}

enum dp_status dp_git_read(const char *rev, const char *path, bool (*zone_name)(const char *name),
                           struct dp_git_files *out, struct dp_error *err)
{
	struct dp_buf object = {0};
	struct git_out g = {0};
	enum dp_status st;
	char *name;

	*out = (struct dp_git_files){0};
	/* "REV:./PATH" is relative to the current directory, like the other operand */
	dp_buf_addf(&object, "%s:%s%s", rev, path[0] == '/' ? "" : "./", path);
	st = dp_buf_status(&object);
	if (st == DP_OK)
		st = git_object("cat-file", "-t", object.data, object.data, &g, err);
	if (st == DP_OK && strncmp(g.out.data ? g.out.data : "", "tree", 4) == 0) {
		st = read_tree(out, object.data, path, zone_name, err);
	} else if (st == DP_OK && strncmp(g.out.data ? g.out.data : "", "blob", 4) == 0) {
		name = strdup(path);
		st = name ? read_blob(out, object.data, name, err) : DP_ENOMEM;
	} else if (st == DP_OK) {
		st = dp_error_set(err, DP_EIO, NULL, 0, 0, "%s in %s is not a file or directory",
		                  path, rev);
	}
	git_out_free(&g);
	dp_buf_free(&object);
	if (st != DP_OK)
		dp_git_files_free(out);
	return st;
}

void dp_git_files_free(struct dp_git_files *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].name);
		free(f->v[i].data);
	}
	free(f->v);
	*f = (struct dp_git_files){0};
}

static enum dp_status mem_observe(const void *cfg, const struct dp_plan *plan, struct dp_obs *o,
                                  struct dp_error *err)
{
	const struct dp_git_files *f = cfg;

	if (dp_plan_filters(plan))
		dp_obs_set_filter(o, dp_plan_wants, (void *)plan);
	dp_obs_set_zone_format(o, f->format);
	return dp_obs_load_zone_bufs(o, f->v, f->n, f->origin, err);
}

const struct dp_source dp_source_zone_mem = {"zone", true, mem_observe};
