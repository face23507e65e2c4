/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer harness: the crt.sh JSON parser, then the issuer table on what it kept. */
#include <stddef.h>
#include <stdint.h>

#include "ct/ctjson.h"
#include "ct/issuers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dp_ct_set *s = NULL;
	struct dp_error err;

	if (dp_ct_set_new(&s) != DP_OK)
		return 0;
	(void)dp_ct_parse_crtsh(s, "example.com", (const char *)data, size, &err);
	for (size_t i = 0; i < dp_ct_set_count(s); i++)
		(void)dp_issuers_match(dp_ct_set_get(s, i)->issuer, NULL, 0);
	dp_ct_set_free(s);
	return 0;
}
