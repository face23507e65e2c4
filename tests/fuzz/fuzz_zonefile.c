/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness: the zone-file reader on arbitrary bytes, $INCLUDE
 * refused, a load bounded to 100,000 records so that $GENERATE stays fast.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "source/zonefile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enum dp_status count(const struct dp_zrr *rr, void *ctx, struct dp_error *err)
{
	size_t *n = ctx;
	(void)err;
	/* Touch every field the reader hands out, so ASan sees bad pointers. */
	*n += rr->owner[0] + rr->file[0] + rr->txt_len + rr->caa_value_len;
	if (rr->txt_len)
		*n += (unsigned char)rr->txt[rr->txt_len - 1];
	if (rr->caa_value_len)
		*n += (unsigned char)rr->caa_value[rr->caa_value_len - 1] + rr->caa_tag[0];
	if (rr->target)
		*n += rr->target[0];
	return DP_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dp_zone_opts opts = {
	    .origin = "example.com", .no_include = true, .max_records = 100000};
	struct dp_error err;
	size_t n = 0;

	(void)dp_zone_read_mem("fuzz.zone", (const char *)data, size, &opts, count, &n, &err);
	opts.origin = NULL;
	opts.all_txt = true;
	(void)dp_zone_read_mem("fuzz", (const char *)data, size, &opts, count, &n, &err);
	/* the origin as a caller gives it: read with the zone's own name rules */
	if (size > 0 && size < 300 && memchr(data, 0, size) == NULL) {
		char origin[300];
		memcpy(origin, data, size);
		origin[size] = '\0';
		opts.origin = origin;
		(void)dp_zone_read_mem("fuzz", "@ CAA 0 issue x\n", 16, &opts, count, &n, &err);
	}
	return 0;
}
