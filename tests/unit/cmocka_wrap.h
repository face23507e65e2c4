/* SPDX-License-Identifier: BSD-3-Clause */
/* cmocka needs these headers first, in this order. */
#ifndef DP_CMOCKA_WRAP_H
#define DP_CMOCKA_WRAP_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include <cmocka.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#endif
