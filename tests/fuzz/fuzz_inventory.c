/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer harness: the inventory loader (YAML, cross-references, names, URIs). */
#include <stddef.h>
#include <stdint.h>

#include "model/inventory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dp_inventory *inv = NULL;
	struct dp_error err;

	if (dp_inventory_load_mem("fuzz.yaml", (const char *)data, size, &inv, &err) == DP_OK) {
		for (size_t i = 0; i < dp_inventory_domain_count(inv); i++)
			(void)dp_inventory_owner_zone(inv, dp_inventory_domain(inv, i)->name);
		dp_inventory_free(inv);
	}
	return 0;
}
