/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for the base containers: the string map, the arena, the buffer's helpers. */
#include "cmocka_wrap.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/strmap.h"

/* Equal strings give one copy, in the arena, never the caller's buffer. */
static void test_intern(void **state)
{
	struct dp_strmap *m = NULL;
	struct dp_arena *a = dp_arena_new();
	char buf[16] = "letsencrypt.org";
	const char *one, *two, *other;

	(void)state;
	assert_non_null(a);
	assert_int_equal(dp_strmap_new(&m), DP_OK);
	one = dp_strmap_intern(m, a, buf);
	assert_non_null(one);
	assert_ptr_not_equal(one, buf);
	buf[0] = 'L'; /* the caller's buffer changes; the pool's copy does not */
	assert_string_equal(one, "letsencrypt.org");
	two = dp_strmap_intern(m, a, "letsencrypt.org");
	assert_ptr_equal(one, two);
	other = dp_strmap_intern(m, a, buf);
	assert_ptr_not_equal(other, one);
	assert_string_equal(other, "Letsencrypt.org");
	assert_int_equal(dp_strmap_count(m), 2);
	dp_strmap_free(m);
	dp_arena_free(a);
}

/*
 * The hash reads eight octets a step and then the tail: keys of every
 * length from 0 to 40 that differ in one octet at every position, and
 * prefixes of one another, are all told apart, through every growth.
 */
static void test_lengths_and_tails(void **state)
{
	enum { MAXLEN = 40 };
	static char keys[MAXLEN + 1][MAXLEN + 1][MAXLEN + 2];
	struct dp_strmap *m = NULL;
	size_t count = 0;

	(void)state;
	assert_int_equal(dp_strmap_new(&m), DP_OK);
	for (size_t len = 0; len <= MAXLEN; len++) {
		for (size_t at = 0; at <= len; at++) {
			char *k = keys[len][at];
			memset(k, 'a', len);
			k[len] = '\0';
			/* at == len: all 'a', a prefix of the longer keys */
			if (at < len)
				k[at] = 'b';
			assert_null(dp_strmap_get(m, k));
			assert_int_equal(dp_strmap_put(m, k, k), DP_OK);
			count++;
		}
	}
	assert_int_equal(dp_strmap_count(m), count);
	for (size_t len = 0; len <= MAXLEN; len++)
		for (size_t at = 0; at <= len; at++) {
			char copy[MAXLEN + 2];
			memcpy(copy, keys[len][at], len + 1); /* by content, not by pointer */
			assert_ptr_equal(dp_strmap_get(m, copy), keys[len][at]);
		}
	dp_strmap_free(m);
}

static enum dp_status count_entry(const char *key, void *value, void *ctx)
{
	size_t *seen = ctx;

	assert_ptr_equal(key, value);
	(*seen)++;
	return DP_OK;
}

/* 100,000 names: each found again, a put of an existing key replaces its value, each visited once.
 */
static void test_many(void **state)
{
	enum { N = 100000 };
	char(*names)[32] = calloc(N, sizeof(*names));
	struct dp_strmap *m = NULL;
	size_t seen = 0;
	int other;

	(void)state;
	assert_non_null(names);
	assert_int_equal(dp_strmap_new(&m), DP_OK);
	for (int i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "host%d.bench.example", i);
		assert_int_equal(dp_strmap_put(m, names[i], names[i]), DP_OK);
	}
	assert_int_equal(dp_strmap_count(m), N);
	for (int i = 0; i < N; i++)
		assert_ptr_equal(dp_strmap_get(m, names[i]), names[i]);
	assert_null(dp_strmap_get(m, "host100000.bench.example"));
	assert_int_equal(dp_strmap_each(m, count_entry, &seen), DP_OK);
	assert_int_equal(seen, N);
	assert_int_equal(dp_strmap_put(m, names[7], &other), DP_OK);
	assert_int_equal(dp_strmap_count(m), N);
	assert_ptr_equal(dp_strmap_get(m, "host7.bench.example"), &other);
	dp_strmap_free(m);
	free(names);
}

/* A reserved map takes its keys without growing; a reserved buffer, its octets. */
static void test_reserve(void **state)
{
	static char keys[3000][16];
	struct dp_strmap *m = NULL;
	struct dp_buf b = {0};

	(void)state;
	assert_int_equal(dp_strmap_new(&m), DP_OK);
	assert_int_equal(dp_strmap_put(m, "before", keys), DP_OK);
	assert_int_equal(dp_strmap_reserve(m, 3001), DP_OK);
	assert_ptr_equal(dp_strmap_get(m, "before"), keys); /* kept through the resize */
	assert_int_equal(dp_strmap_reserve(m, 10), DP_OK);  /* smaller: nothing to do */
	for (int i = 0; i < 3000; i++) {
		snprintf(keys[i], sizeof(keys[i]), "k%d", i);
		assert_int_equal(dp_strmap_put(m, keys[i], keys[i]), DP_OK);
	}
	for (int i = 0; i < 3000; i++)
		assert_ptr_equal(dp_strmap_get(m, keys[i]), keys[i]);
	assert_int_equal(dp_strmap_count(m), 3001);
	dp_strmap_free(m);
	dp_buf_reserve(&b, 100000);
	assert_int_equal(dp_buf_status(&b), DP_OK);
	assert_true(b.cap > 100000);
	for (int i = 0; i < 1000; i++)
		dp_buf_adds(&b, "0123456789");
	assert_int_equal(b.len, 10000);
	assert_int_equal(strlen(b.data), 10000);
	dp_buf_free(&b);
}

/*
 * A reset arena keeps one block of its size, emptied (none under
 * AddressSanitizer, which is to see stale pointers): what it hands out
 * again is zeroed, and a large block is never what it keeps.
 */
static void test_arena_reset(void **state)
{
	struct dp_arena *a = dp_arena_new_block(1024);

	(void)state;
	assert_non_null(a);
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 100; i++) { /* 100 x 40 octets: several blocks */
			unsigned char *p = dp_arena_alloc(a, 40);
			assert_non_null(p);
			for (int k = 0; k < 40; k++)
				assert_int_equal(p[k], 0);
			memset(p, 0xff, 40);
		}
		assert_non_null(dp_arena_alloc(a, 4096)); /* a block of its own */
		assert_true(dp_arena_size(a) > 4096);
		dp_arena_reset(a);
		assert_true(dp_arena_size(a) == 1024 || dp_arena_size(a) == 0);
	}
	dp_arena_reset(a);
	assert_true(dp_arena_size(a) == 1024 || dp_arena_size(a) == 0);
	dp_arena_free(a);
	a = dp_arena_new_block(1024);
	assert_non_null(a);
	assert_non_null(dp_arena_alloc(a, 4096)); /* the only block is a large one: not kept */
	dp_arena_reset(a);
	assert_int_equal(dp_arena_size(a), 0);
	assert_string_equal(dp_arena_strdup(a, "kept"), "kept");
	dp_arena_free(a);
}

/* dp_str_join cuts as snprintf cuts, at every size; the decimal helpers print as "%lu". */
static void test_join_and_numbers(void **state)
{
	static const unsigned long nums[] = {0, 7, 10, 99, 100, 4294967295ul, ULONG_MAX};
	char got[32], want[32];

	(void)state;
	for (size_t size = 1; size <= sizeof(got); size++) {
		memset(got, 'x', sizeof(got));
		static const char whole[] = "_validation-persist.x";
		size_t keep = size - 1 < strlen(whole) ? size - 1 : strlen(whole);
		memcpy(want, whole, keep); /* what snprintf(want, size, ...) leaves */
		want[keep] = '\0';
		assert_ptr_equal(
		    dp_str_join(got, size, "_validation", "-", "persist.x", (const char *)NULL),
		    got);
		assert_string_equal(got, want);
	}
	memset(got, 'x', sizeof(got));
	dp_str_join(got, 0, "a", (const char *)NULL); /* no room: nothing written */
	assert_int_equal(got[0], 'x');
	assert_string_equal(dp_str_join(got, sizeof(got), (const char *)NULL), "");
	for (size_t i = 0; i < sizeof(nums) / sizeof(*nums); i++) {
		struct dp_buf b = {0};
		char w[32];
		snprintf(w, sizeof(w), "z.zone:%lu", nums[i]);
		dp_buf_add_where(&b, "z.zone", nums[i] ? nums[i] : 1);
		if (nums[i] == 0)
			assert_string_equal(b.data, "z.zone:1");
		else
			assert_string_equal(b.data, w);
		dp_buf_reset(&b);
		snprintf(w, sizeof(w), "%lu", nums[i]);
		dp_buf_add_ulong(&b, nums[i]);
		assert_string_equal(b.data, w);
		dp_buf_free(&b);
	}
	{
		struct dp_buf b = {0};
		dp_buf_add_where(&b, "192.0.2.1@53 secure", 0); /* a live answer */
		assert_string_equal(b.data, "192.0.2.1@53, DNSSEC secure");
		dp_buf_free(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_intern),
	                                   cmocka_unit_test(test_lengths_and_tails),
	                                   cmocka_unit_test(test_many),
	                                   cmocka_unit_test(test_arena_reset),
	                                   cmocka_unit_test(test_join_and_numbers),
	                                   cmocka_unit_test(test_reserve)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
