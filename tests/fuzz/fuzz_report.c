/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer harness: the JSON report reader (merge, --baseline), then every renderer over it. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "render/render.h"
#include "report/report_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct dp_report_limits lim = {1u << 20, 1000, 1000, 100, 4096};
	struct dp_report *r = NULL;
	struct dp_error err;

	if (dp_report_read_json_mem("fuzz.json", (const char *)data, size, &lim, &r, NULL, &err) ==
	    DP_OK) {
		/* what was believed must print in both formats that read it */
		struct dp_render_opts o = {.version = "fuzz"};
		struct dp_buf b = {0};
		(void)dp_render_report(r, &dp_render_json, &o, &b);
		dp_buf_reset(&b);
		(void)dp_render_report(r, &dp_render_text, &o, &b);
		dp_buf_free(&b);
		dp_report_free(r);
	}
	return 0;
}
