/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness: the CI formats on hostile finding text. The input,
 * split at NUL bytes, is a message, a name and a file name; each format
 * must keep its shape whatever they hold: one workflow command per line
 * and no CR, JUnit text without a raw markup character from the data, and
 * SARIF and Code Quality documents that parse with every result.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "render/render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The next NUL-terminated piece of the input, as a string. */
static char *piece(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *nul = memchr(*p, 0, (size_t)(end - *p));
	size_t n = nul ? (size_t)(nul - *p) : (size_t)(end - *p);
	char *s = malloc(n + 1);

	if (s == NULL)
		abort();
	memcpy(s, *p, n);
	s[n] = '\0';
	*p += nul ? n + 1 : n;
	return s;
}

static char *render(struct dp_report *r, const struct dp_renderer *fmt)
{
	struct dp_buf out = {0}, summary = {0};
	struct dp_render_opts o = {.version = "f", .command = "lint", .summary = &summary};

	if (dp_render_report(r, fmt, &o, &out) != DP_OK)
		abort();
	for (size_t i = 0; i < summary.len; i++) /* Markdown: no raw markup from the data */
		if (summary.data[i] == '<' || summary.data[i] == '\r')
			abort();
	dp_buf_free(&summary);
	return dp_buf_steal(&out);
}

/* Every line a workflow command, no CR anywhere, one line per finding. */
static void check_github(const char *s, size_t findings)
{
	size_t lines = 0;

	if (strchr(s, '\r') != NULL)
		abort();
	for (const char *line = s; *line; lines++) {
		const char *nl = strchr(line, '\n');
		if (nl == NULL || strncmp(line, "::", 2) != 0)
			abort();
		line = nl + 1;
	}
	if (lines != findings)
		abort();
}

static void check_json(const char *s, const char *path, size_t findings)
{
	json_error_t e;
	json_t *j = json_loads(s, 0, &e), *a = j;

	if (j == NULL)
		abort();
	if (path != NULL)
		a = json_object_get(json_array_get(json_object_get(j, "runs"), 0), path);
	if (json_array_size(a) != findings)
		abort();
	json_decref(j);
}

/* The data's '<' appear only as entities: every '<' is the renderer's own markup. */
static void check_junit(const char *s, size_t findings)
{
	size_t lt = 0;

	for (const char *p = s; *p; p++)
		lt += *p == '<';
	/* <?xml, <testsuites, <testsuite, 4 per failing testcase, 2 closing */
	if (lt != 3 + 4 * findings + 2)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	char *msg = piece(&p, end), *name = piece(&p, end), *file = piece(&p, end);
	struct dp_report *r = NULL;
	char *s;

	if (file[0] == '/') /* no filesystem look-ups for absolute paths */
		file[0] = 'x';
	if (dp_report_new("zone", 0, &r) != DP_OK)
		abort();
	(void)dp_report_add_finding(r, DP_F_RECORD_MALFORMED, DP_SEV_CRITICAL, name, msg, file, 3,
	                            "%s", msg);
	(void)dp_report_add_finding(r, DP_F_CAA_MISSING, DP_SEV_WARNING, name, "", NULL, 0, "%s",
	                            name);
	(void)dp_report_add_finding(r, DP_F_DNS_ERROR, DP_SEV_NOTICE, "n.example", "", file, 0,
	                            "%s", file);
	if (dp_report_finish(r) != DP_OK)
		abort();
	s = render(r, &dp_render_github);
	check_github(s, 3);
	free(s);
	s = render(r, &dp_render_sarif);
	check_json(s, "results", 3);
	free(s);
	s = render(r, &dp_render_codequality);
	check_json(s, NULL, 3);
	free(s);
	s = render(r, &dp_render_junit);
	check_junit(s, 3);
	free(s);
	dp_report_free(r);
	free(msg);
	free(name);
	free(file);
	return 0;
}
