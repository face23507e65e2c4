/* SPDX-License-Identifier: BSD-3-Clause */
/* Tests: everything an inventory holds, as text, to compare two readings of one document. */
#ifndef DP_TEST_INV_DUMP_H
#define DP_TEST_INV_DUMP_H

#include "base/buf.h"
#include "model/inventory.h"

void inv_dump(const struct dp_inventory *inv, struct dp_buf *out);

#endif
