/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The zone reader's byte classifier: where the next newline, comment,
 * parenthesis, quote or backslash is. Most of a zone file is plain words
 * between them, and most entries are skipped after their type, so finding
 * these few bytes fast is most of reading a zone. SSE2, SSE4.2 and AVX2
 * versions classify 64 bytes per step and are chosen at run time from
 * what the CPU has; the scalar table is the reference they must match
 * (tests/fuzz/fuzz_zonescan.c compares them).
 */
#include "source/zone_scan.h"

#include <stdint.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define ZONE_SCAN_X86 1
#include <immintrin.h>
#endif

static const unsigned char special[256] = {
    ['\n'] = 1, [';'] = 1, ['('] = 1, [')'] = 1, ['"'] = 1, ['\\'] = 1,
};

static size_t scan_scalar(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n && !special[(unsigned char)p[i]])
		i++;
	return i;
}

#ifdef ZONE_SCAN_X86
/* The special bytes of one 16-byte lane, as a bit mask. */
static inline uint64_t mask16(__m128i v)
{
	__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
	                                      _mm_cmpeq_epi8(v, _mm_set1_epi8(';'))),
	                         _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
	                                      _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
	/* '(' and ')' differ in the last bit only */
	m = _mm_or_si128(m, _mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(1)), _mm_set1_epi8(')')));
	return (uint64_t)(uint16_t)_mm_movemask_epi8(m);
}

static size_t scan_sse2(const char *p, size_t n)
{
	size_t i = 0;

	for (; i + 64 <= n; i += 64) {
		const __m128i *q = (const __m128i *)(const void *)(p + i);
		uint64_t m = mask16(_mm_loadu_si128(q)) | mask16(_mm_loadu_si128(q + 1)) << 16 |
		             mask16(_mm_loadu_si128(q + 2)) << 32 |
		             mask16(_mm_loadu_si128(q + 3)) << 48;
		if (m != 0)
			return i + (size_t)__builtin_ctzll(m);
	}
	return i + scan_scalar(p + i, n - i);
}

__attribute__((target("sse4.2"))) static size_t scan_sse42(const char *p, size_t n)
{
	const __m128i set =
	    _mm_setr_epi8('\n', ';', '(', ')', '"', '\\', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	size_t i = 0;

	for (; i + 16 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		int at = _mm_cmpestri(
		    set, 6, v, 16, _SIDD_UBYTE_OPS | _SIDD_CMP_EQUAL_ANY | _SIDD_LEAST_SIGNIFICANT);
		if (at < 16)
			return i + (size_t)at;
	}
	return i + scan_scalar(p + i, n - i);
}

__attribute__((target("avx2"))) static inline uint64_t mask32(__m256i v)
{
	__m256i m = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\n')),
	                                            _mm256_cmpeq_epi8(v, _mm256_set1_epi8(';'))),
	                            _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('"')),
	                                            _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\\'))));
	m = _mm256_or_si256(
	    m, _mm256_cmpeq_epi8(_mm256_or_si256(v, _mm256_set1_epi8(1)), _mm256_set1_epi8(')')));
	return (uint64_t)(uint32_t)_mm256_movemask_epi8(m);
}

__attribute__((target("avx2"))) static size_t scan_avx2(const char *p, size_t n)
{
	size_t i = 0;

	for (; i + 64 <= n; i += 64) {
		const __m256i *q = (const __m256i *)(const void *)(p + i);
		uint64_t m = mask32(_mm256_loadu_si256(q)) | mask32(_mm256_loadu_si256(q + 1))
		                                                 << 32;
		if (m != 0)
			return i + (size_t)__builtin_ctzll(m);
	}
	return i + scan_scalar(p + i, n - i);
}
#endif

typedef size_t (*scan_fn)(const char *p, size_t n);

static scan_fn pick(enum zone_scan_impl impl, enum zone_scan_impl *used)
{
#ifdef ZONE_SCAN_X86
	__builtin_cpu_init();
	bool avx2 = __builtin_cpu_supports("avx2"), sse42 = __builtin_cpu_supports("sse4.2");
	if (impl == ZONE_SCAN_AUTO)
		impl = avx2 ? ZONE_SCAN_AVX2 : ZONE_SCAN_SSE2;
	if (impl == ZONE_SCAN_AVX2 && avx2) {
		*used = ZONE_SCAN_AVX2;
		return scan_avx2;
	}
	if (impl == ZONE_SCAN_SSE42 && sse42) {
		*used = ZONE_SCAN_SSE42;
		return scan_sse42;
	}
	if (impl != ZONE_SCAN_SCALAR) {
		*used = ZONE_SCAN_SSE2;
		return scan_sse2;
	}
#else
	(void)impl;
#endif
	*used = ZONE_SCAN_SCALAR;
	return scan_scalar;
}

static scan_fn scan_impl; /* NULL until the first scan */
static bool skim_off;

size_t zone_scan_special(const char *p, size_t n)
{
	scan_fn f = __atomic_load_n(&scan_impl, __ATOMIC_RELAXED);
	enum zone_scan_impl used;

	if (f == NULL) {
		f = pick(ZONE_SCAN_AUTO, &used);
		__atomic_store_n(&scan_impl, f, __ATOMIC_RELAXED);
	}
	return f(p, n);
}

enum zone_scan_impl zone_scan_use(enum zone_scan_impl impl)
{
	enum zone_scan_impl used;
	scan_fn f = pick(impl, &used);

	__atomic_store_n(&scan_impl, f, __ATOMIC_RELAXED);
	return used;
}

void zone_scan_set_skim(bool on)
{
	__atomic_store_n(&skim_off, !on, __ATOMIC_RELAXED);
}

bool zone_scan_skim(void)
{
	return !__atomic_load_n(&skim_off, __ATOMIC_RELAXED);
}
