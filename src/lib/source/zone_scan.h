/* SPDX-License-Identifier: BSD-3-Clause */
/* Internal to the zone-file reader: finding the bytes that end a plain run, 64 at a time. */
#ifndef DP_ZONE_SCAN_H
#define DP_ZONE_SCAN_H

#include <stdbool.h>
#include <stddef.h>

/* Implementations of the scan; all give the same answer on the same bytes. */
enum zone_scan_impl {
	ZONE_SCAN_AUTO,   /* the best this CPU has, chosen once */
	ZONE_SCAN_SCALAR, /* a byte table, on every CPU */
	ZONE_SCAN_SSE2,   /* x86-64 */
	ZONE_SCAN_SSE42,  /* x86-64 with SSE4.2 (PCMPESTRI) */
	ZONE_SCAN_AVX2,   /* x86-64 with AVX2 */
};

/*
 * Offset in p[0..n) of the first byte that ends a plain run in a zone file:
 * '\n', ';', '(', ')', '"' or '\\'; n when there is none.
 */
size_t zone_scan_special(const char *p, size_t n);

/*
 * For tests and the differential fuzzer: use impl from now on (AUTO: the
 * best this CPU has). Returns the implementation in use, which is not impl
 * when the CPU lacks it.
 */
enum zone_scan_impl zone_scan_use(enum zone_scan_impl impl);

/*
 * For the differential fuzzer: with skim off, every entry goes through the
 * full lexer and every name through the octet-by-octet decoder, the
 * reference the skim and the one-pass names are compared with (the head's
 * reading, shared by both, is not switched). On by default.
 */
void zone_scan_set_skim(bool on);
bool zone_scan_skim(void);

#endif
