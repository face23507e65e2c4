/* SPDX-License-Identifier: BSD-3-Clause */
/* Text and JSON for verify results; no verdict is computed here. */
#include "render/render_verify.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/jsonutil.h"
#include "render/render.h"
#include "base/name.h"
#include "base/timeutil.h"

/* "a CA following the draft would validate" */
/* Reasons and notes hold DNS data as it is: escaped here, once, for the terminal. */
static void add_text(struct dp_buf *b, const char *s)
{
	if (s != NULL)
		dp_buf_add_escaped(b, s, strlen(s));
}

static const char *profile_subject(enum dp_profile p)
{
	static const char *const su[DP_PROFILE_COUNT] = {"a CA following the draft",
	                                                 "Boulder (Let's Encrypt)", "Pebble"};
	return su[p];
}

static void text_header(const struct dp_verify *v, struct dp_buf *b)
{
	const struct dp_verify_input *in = dp_verify_input(v);
	char now[DP_TIME_STR];

	dp_time_format(dp_verify_now(v), now);
	dp_buf_addf(b, "verify %s", dp_verify_name(v));
	dp_render_unicode_form(b, dp_verify_name(v));
	dp_buf_adds(b, " for ");
	for (size_t i = 0; i < in->n_issuers; i++)
		dp_buf_addf(b, "%s%s", i ? ", " : "", in->issuers[i]);
	dp_buf_adds(b, ", account ");
	dp_buf_add_escaped(b, in->account ? in->account : in->accounts[0],
	                   strlen(in->account ? in->account : in->accounts[0]));
	dp_buf_addf(b, "\nprofile: %s (%s), now: %s\n\n", dp_profile_name(in->profile),
	            dp_profile_label(in->profile), now);
}

static void text_record(const struct dp_verify *v, size_t i, struct dp_buf *b)
{
	enum dp_profile p = dp_verify_profile(v);
	const struct dp_record *rec = dp_verify_record(v, i);
	enum dp_verdict per[DP_PROFILE_COUNT];
	unsigned long line;
	const char *file = dp_verify_record_file(v, i, &line);
	size_t len;
	const char *rdata = dp_verify_record_rdata(v, i, &len);

	dp_buf_addf(b, "  [%zu]", i + 1);
	if (file != NULL) {
		dp_buf_addc(b, ' ');
		dp_buf_add_where(b, file, line);
	}
	dp_buf_adds(b, "\n      \"");
	dp_buf_add_escaped(b, rdata, len);
	dp_buf_addf(b, "\"\n      %s: ", dp_verdict_name(dp_verify_record_verdict(v, i, p)));
	add_text(b, dp_verify_record_reason(v, i, p));
	dp_buf_addc(b, '\n');
	for (size_t k = 0; k < dp_record_note_count(rec); k++) {
		dp_buf_adds(b, "      note: ");
		add_text(b, dp_record_note(rec, k));
		dp_buf_addc(b, '\n');
	}
	for (unsigned k = 0; k < DP_PROFILE_COUNT; k++)
		per[k] = dp_verify_record_verdict(v, i, (enum dp_profile)k);
	if (per[0] != per[1] || per[0] != per[2]) {
		dp_buf_adds(b, "      profiles differ: ");
		dp_record_describe_profiles(per, b);
		dp_buf_addc(b, '\n');
	}
}

static void text_caa(const struct dp_verify *v, struct dp_buf *b)
{
	const struct dp_caa_result *c = dp_verify_caa(v);
	unsigned long line = 0;
	const char *file = dp_verify_caa_file(v, &line);

	dp_buf_addf(b, "\nCAA: %s: ", dp_caa_verdict_name(c->verdict));
	add_text(b, c->reason);
	if (file != NULL) {
		dp_buf_adds(b, " (");
		dp_buf_add_where(b, file, line);
		dp_buf_addc(b, ')');
	}
	dp_buf_addc(b, '\n');
}

static void text_result(const struct dp_verify *v, struct dp_buf *b)
{
	enum dp_profile p = dp_verify_profile(v);
	enum dp_verdict per[DP_PROFILE_COUNT];

	if (dp_verify_issuable(v)) {
		dp_buf_addf(b, "\nresult: valid - %s would validate %s\n", profile_subject(p),
		            dp_verify_name(v));
	} else if (dp_verify_verdict(v, p) == DP_VERDICT_VALID) {
		dp_buf_addf(b, "\nresult: not issuable - the records are valid %s, but CAA %s\n",
		            dp_profile_phrase(p), dp_caa_verdict_name(dp_verify_caa(v)->verdict));
	} else {
		dp_buf_addf(b, "\nresult: %s - ", dp_verdict_name(dp_verify_verdict(v, p)));
		add_text(b, dp_verify_reason(v, p));
		dp_buf_addc(b, '\n');
	}
	if (dp_verify_profiles_disagree(v)) {
		for (unsigned k = 0; k < DP_PROFILE_COUNT; k++)
			per[k] = dp_verify_verdict(v, (enum dp_profile)k);
		dp_buf_adds(b, "profiles disagree: ");
		dp_record_describe_profiles(per, b);
		dp_buf_addc(b, '\n');
	}
}

enum dp_status dp_render_verify_text(const struct dp_verify *v, struct dp_buf *b)
{
	size_t n = dp_verify_record_count(v);

	text_header(v, b);
	dp_buf_addf(b, "%s: %zu record%s", dp_verify_owner(v), n, n == 1 ? "" : "s");
	if (dp_verify_cname(v) != NULL)
		dp_buf_addf(b, " (CNAME to %s)", dp_verify_cname(v));
	dp_buf_addc(b, '\n');
	for (size_t i = 0; i < n; i++)
		text_record(v, i, b);
	if (dp_verify_caa_read(v))
		text_caa(v, b);
	text_result(v, b);
	return dp_buf_status(b);
}

static json_t *json_record(const struct dp_verify *v, size_t i)
{
	const struct dp_record *rec = dp_verify_record(v, i);
	enum dp_profile p = dp_verify_profile(v);
	json_t *o = json_object(), *prof = json_object(), *notes = json_array();
	unsigned long line;
	const char *file = dp_verify_record_file(v, i, &line);
	size_t len;
	const char *rdata = dp_verify_record_rdata(v, i, &len);
	int64_t until;

	json_object_set_new(o, "rdata", dp_json_str(rdata, len));
	json_object_set_new(o, "issuer", dp_json_cstr(dp_record_issuer_raw(rec)));
	json_object_set_new(o, "accounturi", dp_json_cstr(dp_record_accounturi(rec)));
	json_object_set_new(o, "policy",
	                    dp_record_policy_wildcard(rec) ? json_string("wildcard") : json_null());
	json_object_set_new(o, "persist_until",
	                    dp_record_persist_until(rec, &until) ? json_integer(until)
	                                                         : json_null());
	json_object_set_new(o, "verdict",
	                    json_string(dp_verdict_name(dp_verify_record_verdict(v, i, p))));
	json_object_set_new(o, "reason", dp_json_cstr(dp_verify_record_reason(v, i, p)));
	for (unsigned k = 0; k < DP_PROFILE_COUNT; k++)
		json_object_set_new(prof, dp_profile_name((enum dp_profile)k),
		                    json_string(dp_verdict_name(
		                        dp_verify_record_verdict(v, i, (enum dp_profile)k))));
	json_object_set_new(o, "profiles", prof);
	for (size_t k = 0; k < dp_record_note_count(rec); k++)
		json_array_append_new(notes, dp_json_cstr(dp_record_note(rec, k)));
	json_object_set_new(o, "notes", notes);
	if (file != NULL)
		json_object_set_new(o, "source", dp_json_source(file, line));
	return o;
}

static json_t *json_caa(const struct dp_verify *v)
{
	const struct dp_caa_result *c = dp_verify_caa(v);
	json_t *o = json_object();
	unsigned long line = 0;
	const char *file = dp_verify_caa_file(v, &line);

	json_object_set_new(o, "verdict", json_string(dp_caa_verdict_name(c->verdict)));
	json_object_set_new(o, "reason", dp_json_cstr(c->reason));
	json_object_set_new(o, "owner", dp_json_cstr(c->owner));
	if (file != NULL)
		json_object_set_new(o, "source", dp_json_source(file, line));
	return o;
}

static json_t *json_verify(const struct dp_verify *v)
{
	enum dp_profile p = dp_verify_profile(v);
	json_t *root = json_object(), *recs = json_array(), *prof = json_object();

	json_object_set_new(root, "name", dp_json_cstr(dp_verify_name(v)));
	json_object_set_new(root, "owner", dp_json_cstr(dp_verify_owner(v)));
	json_object_set_new(root, "cname", dp_json_cstr(dp_verify_cname(v)));
	json_object_set_new(root, "profile", json_string(dp_profile_name(p)));
	json_object_set_new(root, "now", json_integer(dp_verify_now(v)));
	json_object_set_new(root, "verdict", json_string(dp_verdict_name(dp_verify_verdict(v, p))));
	json_object_set_new(root, "reason", dp_json_cstr(dp_verify_reason(v, p)));
	json_object_set_new(root, "issuable", json_boolean(dp_verify_issuable(v)));
	for (size_t i = 0; i < dp_verify_record_count(v); i++)
		json_array_append_new(recs, json_record(v, i));
	json_object_set_new(root, "records", recs);
	if (dp_verify_caa_read(v))
		json_object_set_new(root, "caa", json_caa(v));
	for (unsigned k = 0; k < DP_PROFILE_COUNT; k++)
		json_object_set_new(
		    prof, dp_profile_name((enum dp_profile)k),
		    json_string(dp_verdict_name(dp_verify_verdict(v, (enum dp_profile)k))));
	json_object_set_new(root, "profiles", prof);
	return root;
}

enum dp_status dp_render_verify_json(const struct dp_verify *v, struct dp_buf *out)
{
	json_t *root = json_verify(v);
	char *s = root ? json_dumps(root, JSON_INDENT(2)) : NULL;

	json_decref(root);
	if (s == NULL)
		return DP_ENOMEM;
	dp_buf_adds(out, s);
	dp_buf_addc(out, '\n');
	free(s);
	return dp_buf_status(out);
}
