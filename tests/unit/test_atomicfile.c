/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests for the atomic file writer. getrandom() is wrapped at link time
 * (-Wl,--wrap=getrandom, see Makefile.am) so that a test can know the
 * temporary's name in advance and plant a symlink there.
 */
#include "cmocka_wrap.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/atomicfile.h"

/* -1: the real getrandom(); otherwise every byte of the next call is this, then it counts up */
static int fixed_byte = -1;

ssize_t __real_getrandom(void *buf, size_t n, unsigned int flags);
ssize_t __wrap_getrandom(void *buf, size_t n, unsigned int flags);

ssize_t __wrap_getrandom(void *buf, size_t n, unsigned int flags)
{
	if (fixed_byte < 0)
		return __real_getrandom(buf, n, flags);
	memset(buf, fixed_byte++, n);
	return (ssize_t)n;
}

static char dir[256];
static char path[300];

static int setup(void **state)
{
	const char *t = getenv("TMPDIR");

	(void)state;
	snprintf(dir, sizeof(dir), "%s/dp-atomic.XXXXXX", t != NULL && t[0] ? t : "/tmp");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/r.json", dir);
	fixed_byte = -1;
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void put(const char *p, const char *s)
{
	FILE *f = fopen(p, "w");

	assert_non_null(f);
	assert_int_equal(fputs(s, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* The whole file, for comparing; "" when absent. */
static void get(const char *p, char *buf, size_t size)
{
	FILE *f = fopen(p, "r");
	size_t n = 0;

	buf[0] = '\0';
	if (f == NULL)
		return;
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static int entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	for (e = readdir(d); e != NULL; e = readdir(d))
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static void test_replace(void **state)
{
	struct dp_atomicfile *f = NULL;
	struct dp_error err = {0};
	char buf[64];
	struct stat st;

	(void)state;
	put(path, "yesterday\n");
	assert_int_equal(dp_atomicfile_open(path, &f, &err), DP_OK);
	/* the temporary sits next to the file, hidden, and the old file is still whole */
	assert_int_equal(strncmp(dp_atomicfile_temp_path(f), dir, strlen(dir)), 0);
	assert_int_equal(strncmp(dp_atomicfile_temp_path(f) + strlen(dir), "/.r.json.", 9), 0);
	assert_int_equal(strlen(dp_atomicfile_temp_path(f)), strlen(path) + 8);
	assert_int_equal(lstat(dp_atomicfile_temp_path(f), &st), 0);
	assert_int_equal(dp_atomicfile_write(f, "to", 2, &err), DP_OK);
	assert_int_equal(dp_atomicfile_write(f, "day\n", 4, &err), DP_OK);
	get(path, buf, sizeof(buf));
	assert_string_equal(buf, "yesterday\n");
	assert_int_equal(dp_atomicfile_commit(f, &err), DP_OK);
	get(path, buf, sizeof(buf));
	assert_string_equal(buf, "today\n");
	assert_int_equal(entries(), 1);
}

static void test_abort(void **state)
{
	struct dp_atomicfile *f = NULL;
	struct dp_error err = {0};
	char buf[64];

	(void)state;
	put(path, "yesterday\n");
	assert_int_equal(dp_atomicfile_open(path, &f, &err), DP_OK);
	assert_int_equal(dp_atomicfile_write(f, "half", 4, &err), DP_OK);
	dp_atomicfile_abort(f);
	dp_atomicfile_abort(NULL);
	get(path, buf, sizeof(buf));
	assert_string_equal(buf, "yesterday\n");
	assert_int_equal(entries(), 1);
}

/* A new file where there was none, with the umask's mode like any other tool's file. */
static void test_umask(void **state)
{
	static const mode_t masks[] = {022, 027, 077};
	struct dp_atomicfile *f = NULL;
	struct dp_error err = {0};
	struct stat st;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(masks); i++) {
		mode_t old = umask(masks[i]);
		assert_int_equal(dp_atomicfile_open(path, &f, &err), DP_OK);
		assert_int_equal(dp_atomicfile_commit(f, &err), DP_OK);
		umask(old);
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_mode & 07777, 0666 & ~masks[i]);
	}
}

/* A symlink planted at the temporary's name is neither followed nor replaced. */
static void test_symlinked_temp(void **state)
{
	struct dp_atomicfile *f = NULL;
	struct dp_error err = {0};
	char victim[320], trap[320], buf[64];

	(void)state;
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	snprintf(trap, sizeof(trap), "%s/.r.json.AAAAAA", dir); /* bytes 0: 'A' x 6 */
	put(victim, "precious\n");
	assert_int_equal(symlink(victim, trap), 0);
	fixed_byte = 0;
	assert_int_equal(dp_atomicfile_open(path, &f, &err), DP_OK);
	fixed_byte = -1;
	/* the writer moved on to the next name (bytes 1: 'B' x 6) */
	assert_string_equal(strrchr(dp_atomicfile_temp_path(f), '/'), "/.r.json.BBBBBB");
	assert_int_equal(dp_atomicfile_write(f, "report\n", 7, &err), DP_OK);
	assert_int_equal(dp_atomicfile_commit(f, &err), DP_OK);
	get(victim, buf, sizeof(buf));
	assert_string_equal(buf, "precious\n");
	get(path, buf, sizeof(buf));
	assert_string_equal(buf, "report\n");
	assert_int_equal(readlink(trap, buf, sizeof(buf)), (ssize_t)strlen(victim));
}

/* A failure before the rename (here: a directory took the file's place) keeps nothing new. */
static void test_rename_fails(void **state)
{
	struct dp_atomicfile *f = NULL;
	struct dp_error err = {0};

	(void)state;
	assert_int_equal(dp_atomicfile_open(path, &f, &err), DP_OK);
	assert_int_equal(dp_atomicfile_write(f, "x", 1, &err), DP_OK);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(dp_atomicfile_commit(f, &err), DP_EIO);
	assert_non_null(strstr(err.msg, "cannot replace"));
	assert_non_null(strstr(err.msg, "left as it was"));
	assert_int_equal(entries(), 1);
	assert_int_equal(rmdir(path), 0);
}

static void test_check(void **state)
{
	char p[320];
	struct {
		const char *name; /* inside dir; NULL: the path as is */
		const char *path;
		enum dp_status want;
	} cases[] = {
	    {NULL, "", DP_EINVAL},     {NULL, "/", DP_EINVAL},    {"sub/", NULL, DP_EINVAL},
	    {".", NULL, DP_EINVAL},    {"..", NULL, DP_EINVAL},   {"absent", NULL, DP_OK},
	    {"file", NULL, DP_OK},     {"link", NULL, DP_EINVAL}, {"sub", NULL, DP_EINVAL},
	    {"fifo", NULL, DP_EINVAL}, {"nodir/x", NULL, DP_EIO}, {"file/x", NULL, DP_EINVAL},
	};

	(void)state;
	snprintf(p, sizeof(p), "%s/file", dir);
	put(p, "");
	snprintf(p, sizeof(p), "%s/link", dir);
	assert_int_equal(symlink("file", p), 0);
	snprintf(p, sizeof(p), "%s/sub", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/fifo", dir);
	assert_int_equal(mkfifo(p, 0600), 0);
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct dp_error err = {0};
		if (cases[i].name != NULL)
			snprintf(p, sizeof(p), "%s/%s", dir, cases[i].name);
		else
			snprintf(p, sizeof(p), "%s", cases[i].path);
		enum dp_status st = dp_atomicfile_check(p, &err);
		if (st != cases[i].want)
			fail_msg("'%s': status %d, want %d (%s)", p, st, cases[i].want, err.msg);
	}
}

/* Without a directory part the file goes to the current directory. */
static void test_relative(void **state)
{
	struct dp_atomicfile *f = NULL;
	struct dp_error err = {0};
	char cwd[512], buf[64];

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	assert_int_equal(dp_atomicfile_open("r.json", &f, &err), DP_OK);
	assert_int_equal(strncmp(dp_atomicfile_temp_path(f), "./.r.json.", 10), 0);
	assert_int_equal(dp_atomicfile_write(f, "rel\n", 4, &err), DP_OK);
	assert_int_equal(dp_atomicfile_commit(f, &err), DP_OK);
	assert_int_equal(chdir(cwd), 0);
	get(path, buf, sizeof(buf));
	assert_string_equal(buf, "rel\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_replace, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_abort, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_umask, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_symlinked_temp, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rename_fails, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_check, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_relative, setup, teardown),
	};
	return cmocka_run_group_tests_name("atomicfile", tests, NULL, NULL);
}
