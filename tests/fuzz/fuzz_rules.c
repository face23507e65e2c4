/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer harness: the rule-set loader, including PCRE2 pattern compilation. */
#include <stddef.h>
#include <stdint.h>

#include "model/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dp_rules *r = NULL;
	struct dp_error err;

	if (dp_rules_load_mem("fuzz.yaml", (const char *)data, size, &r, &err) == DP_OK) {
		(void)dp_rules_account_allowed(r,
		                               "https://acme-v02.api.letsencrypt.org/acme/acct/1");
		(void)dp_rules_wildcard_forbidden(r, "prod.example.com");
		(void)dp_rules_ignored(r, "example.com");
		dp_rules_free(r);
	}
	return 0;
}
