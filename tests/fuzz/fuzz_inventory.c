/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness: the inventory loader (YAML, cross-references, names,
 * URIs), and a differential one: the one-pass reading (dp_inventory_load_mem,
 * which falls back to the whole-document reading when it gives up) against
 * the whole-document reading alone. The status, the error (file, line,
 * column, message) and, on success, every field of the inventory must be
 * the same; any difference aborts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../support/inv_dump.h"
#include "model/inventory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One reading as text: its status, its error or its inventory. */
static void reading(bool tree, const uint8_t *data, size_t size, struct dp_buf *out)
{
	struct dp_inventory *inv = NULL;
	struct dp_error err = {0};
	enum dp_status st =
	    tree ? dp_inventory_load_tree("fuzz.yaml", (const char *)data, size, &inv, &err)
	         : dp_inventory_load_mem("fuzz.yaml", (const char *)data, size, &inv, &err);

	dp_buf_addf(out, "status %d\n", (int)st);
	if (st != DP_OK) {
		dp_buf_addf(out, "%s:%lu:%lu: %s\n", err.file, err.line, err.col, err.msg);
		return;
	}
	for (size_t i = 0; i < dp_inventory_domain_count(inv); i++)
		(void)dp_inventory_owner_zone(inv, dp_inventory_domain(inv, i)->name);
	inv_dump(inv, out);
	dp_inventory_free(inv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dp_buf one = {0}, whole = {0};

	reading(false, data, size, &one);
	reading(true, data, size, &whole);
	if (dp_buf_status(&one) != DP_OK || dp_buf_status(&whole) != DP_OK)
		abort();
	if (one.len != whole.len || memcmp(one.data, whole.data, one.len) != 0) {
		fprintf(stderr, "one-pass reading:\n%s\nwhole-document reading:\n%s\n", one.data,
		        whole.data);
		abort();
	}
	dp_buf_free(&one);
	dp_buf_free(&whole);
	return 0;
}
