/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The names a live run looks at when there is no inventory to list them
 * (inventory init --names F, and names given as operands): one a line, '#'
 * to the end of the line a comment, blank lines skipped; each name
 * normalized as the inventory normalizes its names, and kept once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/grow.h"
#include "base/name.h"
#include "base/strmap.h"
#include "cli/cli.h"

static enum dp_status push(struct dp_names *l, const char *name)
{
	char *copy;

	if (l->seen == NULL && dp_strmap_new(&l->seen) != DP_OK)
		return DP_ENOMEM;
	if (dp_strmap_get(l->seen, name) != NULL)
		return DP_OK; /* listed twice: looked at once */
	if (dp_grow(&l->v, &l->cap, l->n, sizeof(*l->v), 16) != DP_OK)
		return DP_ENOMEM;
	copy = strdup(name);
	if (copy == NULL || dp_strmap_put(l->seen, copy, copy) != DP_OK) {
		free(copy);
		return DP_ENOMEM;
	}
	l->v[l->n++] = copy;
	return DP_OK;
}

enum dp_status dp_names_add(struct dp_names *l, const char *text, const char *file,
                            unsigned long line, struct dp_error *err)
{
	char name[DP_NAME_MAX];
	struct dp_error why = {0};

	if (strcmp(text, "-") == 0)
		return dp_error_set(err, DP_EINVAL, file, line, 0,
		                    "'-' is not a name (names from standard input: --names -)");
	if (dp_name_from_input(text, name, &why) != DP_OK)
		return dp_error_set(err, DP_EINVAL, file, line, 0, "not a domain name: %s",
		                    why.msg);
	if (name[0] == '*')
		return dp_error_set(err, DP_EINVAL, file, line, 0,
		                    "'%s': give the name itself, not a wildcard (a record with "
		                    "policy=wildcard is at the name)",
		                    text);
	return push(l, name);
}

/* One line of a names file: the name before any '#', without surrounding blanks. */
static enum dp_status add_line(struct dp_names *l, char *s, const char *file, unsigned long line,
                               struct dp_error *err)
{
	char *end = s + strcspn(s, "#\r\n");

	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	*end = '\0';
	s += strspn(s, " \t");
	if (*s == '\0')
		return DP_OK;
	return dp_names_add(l, s, file, line, err);
}

enum dp_status dp_names_read(struct dp_names *l, const char *path, struct dp_error *err)
{
	bool is_stdin = strcmp(path, "-") == 0;
	const char *label = is_stdin ? "(standard input)" : path;
	FILE *f = is_stdin ? stdin : fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0;
	unsigned long line = 0;
	enum dp_status st = DP_OK;

	if (f == NULL)
		return dp_error_set(err, DP_EIO, path, 0, 0, "%s", strerror(errno));
	while (st == DP_OK && getline(&buf, &cap, f) >= 0)
		st = add_line(l, buf, label, ++line, err);
	if (st == DP_OK && ferror(f))
		st = dp_error_set(err, DP_EIO, label, 0, 0, "read error");
	free(buf);
	if (!is_stdin)
		fclose(f);
	return st;
}

void dp_names_free(struct dp_names *l)
{
	for (size_t i = 0; i < l->n; i++)
		free((char *)l->v[i]);
	free(l->v);
	dp_strmap_free(l->seen);
	memset(l, 0, sizeof(*l));
}
