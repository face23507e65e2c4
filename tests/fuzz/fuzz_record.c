/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer harness: the _validation-persist value parser and every profile's verdict. */
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "model/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const issuers[] = {"letsencrypt.org", "authority.example"};
	static const char *const accounts[] = {"https://ca.example/acct/123"};
	struct dp_ca_request req = {issuers, 2, accounts, 1, size % 2 == 0, 1790000000};
	struct dp_record *rec = NULL;
	char reason[512];
	enum dp_verdict v[DP_PROFILE_COUNT];

	if (dp_record_parse((const char *)data, size, &rec) != DP_OK)
		return 0;
	for (unsigned p = 0; p < DP_PROFILE_COUNT; p++)
		v[p] = dp_record_evaluate(rec, (enum dp_profile)p, &req, reason, sizeof(reason));
	(void)dp_record_aggregate(v, DP_PROFILE_COUNT);
	for (size_t i = 0; i < dp_record_note_count(rec); i++)
		(void)dp_record_note(rec, i);
	dp_record_free(rec);
	return 0;
}
