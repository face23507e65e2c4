/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for the zone reader's fast path: the byte classifiers, the skim and mapped files. */
#include "cmocka_wrap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "source/zone_scan.h"
#include "source/zonefile.h"

static const enum zone_scan_impl impls[] = {ZONE_SCAN_SCALAR, ZONE_SCAN_SSE2, ZONE_SCAN_SSE42,
                                            ZONE_SCAN_AVX2};

/* Every classifier the CPU has finds each special byte at each place in a long run. */
static void test_classifiers(void **state)
{
	static const char specials[] = "\n;()\"\\";
	char buf[200];

	(void)state;
	for (size_t k = 0; k < sizeof(impls) / sizeof(*impls); k++) {
		if (zone_scan_use(impls[k]) != impls[k])
			continue;
		memset(buf, 'a', sizeof(buf));
		assert_int_equal(zone_scan_special(buf, sizeof(buf)), sizeof(buf));
		assert_int_equal(zone_scan_special(buf, 0), 0);
		for (size_t s = 0; s < sizeof(specials) - 1; s++)
			for (size_t at = 0; at < sizeof(buf); at += 7) {
				memset(buf, at % 2 ? ' ' : '\t', sizeof(buf));
				buf[at] = specials[s];
				buf[sizeof(buf) - 1] = '\n';
				assert_int_equal(zone_scan_special(buf, sizeof(buf)), at);
				/* not found past the length given, even in a 64-byte block */
				assert_int_equal(zone_scan_special(buf, at), at);
			}
		/* bytes next to the specials, NUL and high bytes are plain */
		memcpy(buf, "\x00\x09\x0b'*+:<\\", 9);
		assert_int_equal(zone_scan_special(buf, 9), 8);
		memset(buf, 0xa8, 100); /* ( | 0x80 */
		assert_int_equal(zone_scan_special(buf, 100), 100);
	}
	zone_scan_use(ZONE_SCAN_AUTO);
}

static enum dp_status note(const struct dp_zrr *rr, void *ctx, struct dp_error *err)
{
	(void)err;
	dp_buf_addf(ctx, "%lu %s %u %.*s%s\n", rr->line, rr->owner, rr->type,
	            (int)(rr->txt ? rr->txt_len : 0), rr->txt ? rr->txt : "",
	            rr->target ? rr->target : "");
	return DP_OK;
}

/* The records and the error of one read, as text. */
static void read_zone(const char *path, const char *data, size_t len, struct dp_buf *out)
{
	struct dp_zone_opts opts = {.origin = "example.com", .no_include = true};
	struct dp_error err = {0};
	enum dp_status st = path ? dp_zone_read_file(path, &opts, note, out, &err)
	                         : dp_zone_read_mem("z", data, len, &opts, note, out, &err);

	dp_buf_addf(out, "%d %lu:%lu %s\n", (int)st, err.line, err.col, err.msg);
}

/* A zone of n plain lines with kept records, a parenthesis and a comment among them. */
static void big_zone(struct dp_buf *z, size_t n, const char *tail)
{
	dp_buf_adds(z, "$TTL 1h\n@ IN SOA ns h ( 1 2 3\n 4 5 )\n");
	for (size_t i = 0; i < n; i++) {
		dp_buf_addf(z, "h%zu IN A 192.0.2.1 ; c\n\t3600 IN AAAA ::1\n", i);
		if (i % 5000 == 0)
			dp_buf_addf(
			    z, "_validation-persist.h%zu TXT \"ca.example\"\nc%zu CNAME h%zu\n", i,
			    i, i);
	}
	dp_buf_adds(z, tail);
}

/*
 * A file large enough to be mapped reads as the same bytes in memory do, with
 * the skim and without, including an error after the first MiB.
 */
static void test_mapped_file(void **state)
{
	static const struct {
		const char *tail, *want;
	} tails[] = {
	    {"", "\n0 0:0 "},
	    {"x IN MX 10 ( mail\n", "'(' is never closed"},
	    {"y IN A \"1\n", "quoted string runs to the end of the line"},
	};
	char path[] = "/tmp/dp-zonescan-XXXXXX";
	struct dp_buf z = {0}, a = {0}, b = {0}, c = {0};
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	for (size_t t = 0; t < sizeof(tails) / sizeof(*tails); t++) {
		FILE *f = fopen(path, "w");
		dp_buf_reset(&z);
		big_zone(&z, 40000, tails[t].tail);
		assert_true(z.len > 3u * 512 * 1024); /* mapped, and pages dropped once */
		assert_non_null(f);
		assert_int_equal(fwrite(z.data, 1, z.len, f), z.len);
		fclose(f);
		dp_buf_reset(&a);
		dp_buf_reset(&b);
		dp_buf_reset(&c);
		read_zone(path, NULL, 0, &a);
		read_zone(NULL, z.data, z.len, &b);
		zone_scan_set_skim(false);
		read_zone(NULL, z.data, z.len, &c);
		zone_scan_set_skim(true);
		assert_string_equal(a.data, b.data);
		assert_string_equal(b.data, c.data);
		assert_non_null(
		    strstr(a.data, "_validation-persist.h35000.example.com 16 ca.example"));
		assert_non_null(strstr(a.data, tails[t].want));
	}
	unlink(path);
	dp_buf_free(&z);
	dp_buf_free(&a);
	dp_buf_free(&b);
	dp_buf_free(&c);
}

/* The bound on one entry holds in a mapped file as in a read one (docs/security.md). */
static void test_mapped_entry_bound(void **state)
{
	static const char *const heads[] = {"x IN TXT (\n", "x IN A "};
	char path[] = "/tmp/dp-zonescan-XXXXXX";
	struct dp_buf z = {0}, got = {0};
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	for (size_t h = 0; h < sizeof(heads) / sizeof(*heads); h++) {
		FILE *f = fopen(path, "w");
		dp_buf_reset(&z);
		dp_buf_reset(&got);
		dp_buf_adds(&z, "a IN A 192.0.2.1\n");
		dp_buf_adds(&z, heads[h]);
		for (size_t i = 0; i < 600000; i++)
			dp_buf_adds(&z, h == 0 ? "\"abcde\"\n" : "abcdefgh");
		dp_buf_adds(&z, h == 0 ? ")\n" : "\n");
		assert_non_null(f);
		assert_int_equal(fwrite(z.data, 1, z.len, f), z.len);
		fclose(f);
		read_zone(path, NULL, 0, &got);
		assert_non_null(strstr(got.data, "2:0 entry longer than 4194304 bytes"));
	}
	unlink(path);
	dp_buf_free(&z);
	dp_buf_free(&got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_classifiers),
	    cmocka_unit_test(test_mapped_file),
	    cmocka_unit_test(test_mapped_entry_bound),
	};
	return cmocka_run_group_tests_name("zone_scan", tests, NULL, NULL);
}
