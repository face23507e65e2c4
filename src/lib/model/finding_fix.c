/* SPDX-License-Identifier: BSD-3-Clause */
/* The fix texts, generated from docs/findings.md, looked up by finding id. */
#include "model/finding_fix.h"

#include <stddef.h>
#include <string.h>

static const struct {
	const char *id;
	const char *fix;
} fixes[] = {
#include "src/lib/model/finding_fix.inc"
};

const char *dp_finding_fix(enum dp_finding_id id)
{
	const struct dp_finding_info *info = (unsigned)id < DP_F_COUNT ? dp_finding_info(id) : NULL;

	for (size_t i = 0; info != NULL && i < sizeof(fixes) / sizeof(*fixes); i++)
		if (strcmp(fixes[i].id, info->id) == 0)
			return fixes[i].fix;
	return NULL;
}
