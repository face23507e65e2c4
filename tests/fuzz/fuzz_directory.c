/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer harness: the ACME directory parser. */
#include <stddef.h>
#include <stdint.h>

#include "ct/acme_dir.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dp_acme_dir d;
	struct dp_error err;

	if (dp_acme_dir_parse((const char *)data, size, &d, &err) == DP_OK)
		(void)dp_acme_dir_lists(d.caa, d.n_caa, "letsencrypt.org");
	dp_acme_dir_clear(&d);
	return 0;
}
