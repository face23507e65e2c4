/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness: CAA evaluation. The input is split into RRs at '\n';
 * each line is "<flags byte><tag>\t<value>", spread over two levels.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/caa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_RRS 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ids[] = {"letsencrypt.org"};
	char *copy = malloc(size + 1), *p, *end;
	struct dp_caa_rr rrs[MAX_RRS];
	size_t n = 0;

	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (p = copy, end = copy + size; p < end && n < MAX_RRS;) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *tab;
		size_t len = (size_t)((nl ? nl : end) - p);
		if (nl)
			*nl = '\0';
		tab = memchr(p, '\t', len);
		if (len > 0 && tab != NULL) {
			*tab = '\0';
			rrs[n++] = (struct dp_caa_rr){(uint8_t)p[0], p + 1, tab + 1,
			                              (size_t)(p + len - tab - 1)};
		}
		p += len + 1;
	}
	struct dp_caa_rrset sets[2] = {{"a.example.com", rrs, n / 2},
	                               {"example.com", rrs + n / 2, n - n / 2}};
	struct dp_caa_query q = {ids,          1, "https://ca.example/acct/1", NULL, size % 2 == 1,
	                         size % 3 == 0};
	struct dp_caa_result res;
	dp_caa_evaluate(sets, 2, &q, &res);
	for (size_t i = 0; i < n; i++) {
		char why[128];
		(void)dp_caa_value_check(rrs[i].value, rrs[i].value_len, why, sizeof(why));
	}
	free(copy);
	return 0;
}
