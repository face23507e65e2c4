/* SPDX-License-Identifier: BSD-3-Clause */
/* Room in a growing array: the one doubling every list of the program uses. */
#ifndef DP_GROW_H
#define DP_GROW_H

#include <stddef.h>

#include "base/status.h"

/*
 * Make room for one more element in the array *vp (a pointer to the
 * array's pointer, of any element type) that holds n elements of size
 * bytes in *cap: when full, its capacity doubles (first when it had
 * none). DP_ENOMEM, on allocation failure or overflow, leaves the array
 * and *cap as they were.
 */
enum dp_status dp_grow(void *vp, size_t *cap, size_t n, size_t size, size_t first);

#endif
