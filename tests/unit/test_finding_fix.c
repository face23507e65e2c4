/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The fix texts compiled into the binary are those of docs/findings.md:
 * read the document here (a second reading, independent of the awk that
 * generates the table) and compare, id by id; every finding has one.
 */
#include "cmocka_wrap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "model/finding_fix.h"

/* The "**Fix:**" paragraph of section "### id", lines joined by one space. */
static char *doc_fix(const char *doc, const char *id)
{
	struct dp_buf want = {0}, head = {0};
	const char *p, *fix, *end;

	dp_buf_addf(&head, "\n### %s\n", id);
	p = strstr(doc, head.data);
	dp_buf_free(&head);
	if (p == NULL)
		return NULL;
	end = strstr(p + 1, "\n#");
	fix = strstr(p, "**Fix:**");
	if (fix == NULL || (end != NULL && fix > end))
		return NULL;
	for (fix += strlen("**Fix:**"); *fix == ' ' || *fix == '\n';)
		fix++;
	for (; *fix && !(fix[0] == '\n' && (fix[1] == '\n' || fix[1] == '#' || !fix[1])); fix++)
		dp_buf_addc(&want, *fix == '\n' ? ' ' : *fix);
	return dp_buf_steal(&want);
}

static char *read_doc(void)
{
	const char *src = getenv("DP_SRCDIR");
	struct dp_buf path = {0}, doc = {0};
	char chunk[4096];
	size_t n;
	FILE *f;

	dp_buf_addf(&path, "%s/docs/findings.md", src ? src : ".");
	f = fopen(path.data, "r");
	dp_buf_free(&path);
	if (f == NULL)
		return NULL;
	dp_buf_addc(&doc, '\n');
	do {
		n = fread(chunk, 1, sizeof(chunk), f);
		dp_buf_add(&doc, chunk, n);
	} while (n > 0);
	fclose(f);
	return dp_buf_steal(&doc);
}

static void test_fix_matches_docs(void **state)
{
	char *doc = read_doc();

	(void)state;
	assert_non_null(doc);
	for (int id = 0; id < DP_F_COUNT; id++) {
		const char *name = dp_finding_info((enum dp_finding_id)id)->id;
		const char *have = dp_finding_fix((enum dp_finding_id)id);
		char *want = doc_fix(doc, name);
		if (want == NULL)
			fail_msg("docs/findings.md: no **Fix:** for %s", name);
		if (have == NULL || strcmp(have, want) != 0)
			fail_msg("%s: binary has '%s', docs/findings.md '%s'", name,
			         have ? have : "(none)", want);
		free(want);
	}
	free(doc);
}

static void test_unknown_id(void **state)
{
	(void)state;
	assert_null(dp_finding_fix(DP_F_COUNT));
	assert_non_null(strstr(dp_finding_fix(DP_F_CAA_FORBIDS_ISSUER), "<ca identity>"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fix_matches_docs),
	    cmocka_unit_test(test_unknown_id),
	};
	return cmocka_run_group_tests_name("finding_fix", tests, NULL, NULL);
}
