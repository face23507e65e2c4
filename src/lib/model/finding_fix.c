/* SPDX-License-Identifier: BSD-3-Clause */
/* The catalogue's prose, generated from docs/findings.md, looked up by finding id. */
#include "model/finding_fix.h"

#include <stddef.h>
#include <string.h>

static const struct {
	const char *id, *description, *fix;
} docs[] = {
#include "src/lib/model/findings_doc.inc"
};

bool dp_finding_doc(enum dp_finding_id id, const char **description, const char **fix)
{
	const struct dp_finding_info *info = (unsigned)id < DP_F_COUNT ? dp_finding_info(id) : NULL;

	for (size_t i = 0; info != NULL && i < sizeof(docs) / sizeof(*docs); i++) {
		if (strcmp(docs[i].id, info->id) == 0) {
			*description = docs[i].description;
			*fix = docs[i].fix[0] != '\0' ? docs[i].fix : NULL;
			return true;
		}
	}
	return false;
}

const char *dp_finding_fix(enum dp_finding_id id)
{
	const char *description, *fix;

	return dp_finding_doc(id, &description, &fix) ? fix : NULL;
}
