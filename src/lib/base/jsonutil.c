/* SPDX-License-Identifier: BSD-3-Clause */
/* The one place DNS data becomes a JSON string, and JSON becomes output. */
#include "base/jsonutil.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

json_t *dp_json_str(const char *s, size_t len)
{
	struct dp_buf b = {0};
	json_t *j;

	if (s == NULL)
		return json_null();
	dp_buf_add_escaped(&b, s, len);
	j = json_string(b.data ? b.data : "");
	dp_buf_free(&b);
	return j;
}

json_t *dp_json_cstr(const char *s)
{
	return s ? dp_json_str(s, strlen(s)) : json_null();
}

json_t *dp_json_source(const char *file, unsigned long line)
{
	json_t *o;

	if (file == NULL)
		return json_null();
	o = json_object();
	if (line == 0) { /* live: "server dnssec-status" */
		const char *sp = strchr(file, ' ');
		json_object_set_new(
		    o, "server", sp ? json_stringn(file, (size_t)(sp - file)) : dp_json_cstr(file));
		if (sp != NULL)
			json_object_set_new(o, "dnssec", dp_json_cstr(sp + 1));
		return o;
	}
	json_object_set_new(o, "file", dp_json_cstr(file));
	json_object_set_new(o, "line", json_integer((json_int_t)line));
	return o;
}

bool dp_json_put(json_t *v, struct dp_buf *out)
{
	char *s = v ? json_dumps(v, JSON_COMPACT) : NULL;

	json_decref(v);
	if (s == NULL)
		return false;
	dp_buf_adds(out, s);
	free(s);
	return true;
}
