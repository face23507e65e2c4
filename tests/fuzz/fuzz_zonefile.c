/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer harness: the zone-file reader on arbitrary bytes, $INCLUDE refused. */
#include <stddef.h>
#include <stdint.h>

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
	struct dp_zone_opts opts = {.origin = "example.com", .no_include = true};
	struct dp_error err;
	size_t n = 0;

	(void)dp_zone_read_mem("fuzz.zone", (const char *)data, size, &opts, count, &n, &err);
	opts.origin = NULL;
	opts.all_txt = true;
	(void)dp_zone_read_mem("fuzz", (const char *)data, size, &opts, count, &n, &err);
	return 0;
}
