/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness: the octoDNS zone reader on arbitrary bytes, as every
 * record kept (all TXT, all CNAMEs) and as a filtered scan keeps them.
 */
#include <stddef.h>
#include <stdint.h>

#include "source/octodns.h"

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
		*n += (unsigned char)rr->caa_value[rr->caa_value_len - 1];
	if (rr->caa_tag)
		*n += rr->caa_tag[0];
	if (rr->target)
		*n += rr->target[0];
	return DP_OK;
}

static bool no_cname(const char *owner, void *ctx)
{
	(void)ctx;
	return owner[0] == 'a';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dp_zone_opts opts = {.no_include = true, .all_txt = true};
	struct dp_error err;
	size_t n = 0;

	(void)dp_octodns_read("example.com.yaml", (const char *)data, size, &opts, count, &n, &err);
	opts.all_txt = false;
	opts.origin = "example.net";
	opts.cname_filter = no_cname;
	(void)dp_octodns_read("zone.yaml", (const char *)data, size, &opts, count, &n, &err);
	return 0;
}
