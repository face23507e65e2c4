/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Differential libFuzzer harness for the zone reader's fast paths: the same
 * bytes are read by the full lexer and the octet-by-octet name decoder
 * alone (the skim off, the reference) and with the skim and one-pass names
 * on each byte classifier this CPU has (scalar, SSE2, SSE4.2, AVX2). The
 * reading of an entry's head (TTL, class, type) is the same code in both. Every kept record,
 * its position, the final status and the error (file, line, column,
 * message) and the counts must be identical; any difference aborts. The
 * load is bounded to 5,000 records: each input is read up to 20 times.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "source/zone_scan.h"
#include "source/zonefile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void add_str(struct dp_buf *b, const char *s, size_t len)
{
	dp_buf_addf(b, "%zu:", len);
	if (len > 0)
		dp_buf_add(b, s, len);
	dp_buf_addc(b, '|');
}

/* One kept record, every field the reader hands out, appended to the transcript. */
static enum dp_status note(const struct dp_zrr *rr, void *ctx, struct dp_error *err)
{
	struct dp_buf *b = ctx;

	(void)err;
	dp_buf_addf(b, "rr %u %u %lu %u %zu|", rr->type, rr->ttl, rr->line, rr->caa_flags,
	            rr->txt_strings);
	add_str(b, rr->owner, strlen(rr->owner));
	add_str(b, rr->file, strlen(rr->file));
	add_str(b, rr->txt ? rr->txt : "", rr->txt ? rr->txt_len : 0);
	add_str(b, rr->caa_tag ? rr->caa_tag : "", rr->caa_tag ? strlen(rr->caa_tag) : 0);
	add_str(b, rr->caa_value ? rr->caa_value : "", rr->caa_value ? rr->caa_value_len : 0);
	add_str(b, rr->target ? rr->target : "", rr->target ? strlen(rr->target) : 0);
	dp_buf_addc(b, '\n');
	return DP_OK;
}

/* A CNAME filter that depends on the owner, so that wanted() takes both ways. */
static bool odd_owner(const char *owner, void *ctx)
{
	(void)ctx;
	return strlen(owner) % 2 == 1;
}

/* The transcript of one read of data with opts. */
static void transcript(const uint8_t *data, size_t size, struct dp_zone_opts *opts,
                       struct dp_buf *out)
{
	struct dp_zone_stats stats = {0};
	struct dp_error err;
	enum dp_status st;

	memset(&err, 0, sizeof(err));
	opts->stats = &stats;
	st = dp_zone_read_mem("fuzz.zone", (const char *)data, size, opts, note, out, &err);
	dp_buf_addf(out, "status %d\n", (int)st);
	if (st != DP_OK)
		dp_buf_addf(out, "error %s:%lu:%lu: %s\n", err.file, err.line, err.col, err.msg);
	dp_buf_addf(out, "stats %lu %lu %lu\n", stats.entries, stats.kept, stats.big_ttls);
}

static void differ(const char *what, const struct dp_buf *ref, const struct dp_buf *got)
{
	fprintf(stderr,
	        "fuzz_zonescan: %s differs from the full lexer\n--- reference\n%s\n"
	        "--- %s\n%s\n",
	        what, ref->data ? ref->data : "", what, got->data ? got->data : "");
	abort();
}

/* Every classifier finds the same first special byte from the first offsets. */
static void compare_scans(const uint8_t *data, size_t size)
{
	static const enum zone_scan_impl impls[] = {ZONE_SCAN_SSE2, ZONE_SCAN_SSE42,
	                                            ZONE_SCAN_AVX2};
	size_t ref[257];
	size_t n = size < 256 ? size + 1 : 257;

	zone_scan_use(ZONE_SCAN_SCALAR);
	for (size_t i = 0; i < n; i++)
		ref[i] = zone_scan_special((const char *)data + i, size - i);
	for (size_t k = 0; k < sizeof(impls) / sizeof(*impls); k++) {
		if (zone_scan_use(impls[k]) != impls[k])
			continue;
		for (size_t i = 0; i < n; i++)
			if (zone_scan_special((const char *)data + i, size - i) != ref[i])
				abort();
	}
}

static void compare_reads(const uint8_t *data, size_t size, struct dp_zone_opts *opts)
{
	static const enum zone_scan_impl impls[] = {ZONE_SCAN_SCALAR, ZONE_SCAN_SSE2,
	                                            ZONE_SCAN_SSE42, ZONE_SCAN_AVX2};
	static const char *const names[] = {"scalar", "sse2", "sse4.2", "avx2"};
	struct dp_buf ref = {0}, got = {0};

	zone_scan_set_skim(false);
	transcript(data, size, opts, &ref);
	zone_scan_set_skim(true);
	for (size_t k = 0; k < sizeof(impls) / sizeof(*impls); k++) {
		if (zone_scan_use(impls[k]) != impls[k])
			continue;
		dp_buf_reset(&got);
		transcript(data, size, opts, &got);
		if (ref.len != got.len || memcmp(ref.data, got.data, ref.len) != 0)
			differ(names[k], &ref, &got);
	}
	dp_buf_free(&ref);
	dp_buf_free(&got);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dp_zone_opts opts = {.origin = "example.com",
	                            .no_include = true,
	                            .max_records = 5000,
	                            .max_generated = 2000};

	compare_scans(data, size);
	compare_reads(data, size, &opts);
	opts.origin = NULL; /* relative names without $ORIGIN: the error path */
	opts.all_txt = true;
	compare_reads(data, size, &opts);
	opts.origin = "example.com";
	opts.all_txt = false;
	opts.cname_filter = odd_owner;
	compare_reads(data, size, &opts);
	opts.cname_filter = NULL;
	opts.persist_cnames_only = true;
	compare_reads(data, size, &opts);
	zone_scan_use(ZONE_SCAN_AUTO);
	return 0;
}
