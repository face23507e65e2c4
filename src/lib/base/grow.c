/* SPDX-License-Identifier: BSD-3-Clause */
#include "base/grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum dp_status dp_grow(void *vp, size_t *cap, size_t n, size_t size, size_t first)
{
	size_t want = *cap ? *cap : first;
	void *old, *p;

	if (n < *cap)
		return DP_OK;
	if (*cap > 0) {
		if (*cap > SIZE_MAX / 2)
			return DP_ENOMEM;
		want = *cap * 2;
	}
	if (size != 0 && want > SIZE_MAX / size)
		return DP_ENOMEM;
	/* the array's pointer read and written as bytes: its type is the caller's */
	memcpy(&old, vp, sizeof(old));
	p = realloc(old, want * size);
	if (p == NULL)
		return DP_ENOMEM;
	memcpy(vp, &p, sizeof(p));
	*cap = want;
	return DP_OK;
}
