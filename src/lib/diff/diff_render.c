/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The diff's renderers: text lines (+ grant, - revoke, ~ change), JSON and
 * Markdown for a pull-request comment or $GITHUB_STEP_SUMMARY. DNS data is
 * escaped for each medium; nothing here decides what changed.
 */
#include <string.h>

#include <jansson.h>

#include "base/jsonutil.h"
#include "base/timeutil.h"
#include "diff/diff.h"
#include "render/escape.h"

#define DP_DIFF_JSON_FORMAT 2

/* How a text cell escapes DNS data: as is (text) or for a Markdown table. */
typedef void (*esc_fn)(struct dp_buf *b, const char *s);

static void esc_text(struct dp_buf *b, const char *s)
{
	dp_buf_add_escaped(b, s, strlen(s));
}

static void covers_esc(struct dp_buf *b, const char *name, unsigned c, esc_fn esc)
{
	const char *sep = "";

	if (c & DP_COVERS_NAME) {
		esc(b, name);
		sep = ", ";
	}
	if (c & DP_COVERS_WILDCARD) {
		dp_buf_adds(b, sep);
		esc(b, "*.");
		esc(b, name);
		sep = ", ";
	}
	if (c & DP_COVERS_BELOW)
		dp_buf_addf(b, "%severy name below", sep);
}

void dp_diff_covers(struct dp_buf *b, const char *name, unsigned covers)
{
	covers_esc(b, name, covers, esc_text);
}

static void where(struct dp_buf *b, const char *file, unsigned long line, esc_fn esc)
{
	char l[32];

	esc(b, file);
	snprintf(l, sizeof(l), ":%lu", line);
	esc(b, l);
}

static void until_phrase(struct dp_buf *b, const struct dp_diff_auth *a)
{
	char t[DP_TIME_STR];

	if (!a->has_until) {
		dp_buf_adds(b, "until removed");
		return;
	}
	dp_time_format(a->until, t);
	dp_buf_addf(b, "until %s", t);
}

/* "CAA permits", or for a verdict that stops issuance "CAA forbids it (why)". */
static void caa_phrase(struct dp_buf *b, const struct dp_diff_auth *a, esc_fn esc)
{
	if (a->caa == NULL)
		return;
	dp_buf_adds(b, a->caa_allows ? "CAA lets it (" : "CAA stops it (");
	esc(b, a->caa);
	dp_buf_adds(b, ")");
	if (a->caa_wild != NULL && a->caa_wild_allows != a->caa_allows) {
		dp_buf_adds(b, a->caa_wild_allows ? ", lets *." : ", stops *.");
		esc(b, a->name);
		dp_buf_adds(b, " (");
		esc(b, a->caa_wild);
		dp_buf_adds(b, ")");
	}
}

/* What changed between two versions of one authorization, phrases joined by "; ". */
static void change_phrases(struct dp_buf *b, const struct dp_diff_change *c, esc_fn esc)
{
	const struct dp_diff_auth *o = c->old, *n = c->new;
	const char *sep = "";

	if (c->gained) {
		dp_buf_adds(b, "now also ");
		covers_esc(b, n->name, c->gained, esc);
		sep = "; ";
		if ((c->gained & ~dp_diff_usable(n)) != 0 && !dp_diff_caa_flipped(o, n)) {
			dp_buf_adds(b, ", but ");
			caa_phrase(b, n, esc);
		}
	}
	if (c->lost) {
		dp_buf_addf(b, "%sno longer ", sep);
		covers_esc(b, n->name, c->lost, esc);
		sep = "; ";
	}
	if (o->has_until != n->has_until || o->until != n->until) {
		dp_buf_addf(b, "%s", sep);
		until_phrase(b, n);
		dp_buf_adds(b, " (was ");
		until_phrase(b, o);
		dp_buf_adds(b, ")");
		sep = "; ";
	}
	if (dp_diff_caa_flipped(o, n)) {
		dp_buf_addf(b, "%snow ", sep);
		caa_phrase(b, n, esc);
		dp_buf_adds(b, "; was ");
		caa_phrase(b, o, esc);
	}
}

/* A grant: the names, until when, what CAA says; a revoke: the names it loses. */
static void grant_or_revoke(struct dp_buf *b, const struct dp_diff_change *c, esc_fn esc)
{
	const struct dp_diff_auth *a = c->new ? c->new : c->old;

	if (c->kind == DP_CHANGE_REVOKE) {
		dp_buf_adds(b, "no longer ");
		covers_esc(b, a->name, a->covers, esc);
		return;
	}
	covers_esc(b, a->name, a->covers, esc);
	dp_buf_adds(b, ", ");
	until_phrase(b, a);
	if (a->caa != NULL) {
		dp_buf_adds(b, "; ");
		caa_phrase(b, a, esc);
	}
}

/* ---- text ------------------------------------------------------------------------ */

static void text_who(struct dp_buf *b, const struct dp_diff_auth *a)
{
	esc_text(b, a->issuer);
	dp_buf_adds(b, " account ");
	esc_text(b, a->accounturi);
	if (a->account_id != NULL) {
		dp_buf_adds(b, " (");
		esc_text(b, a->account_id);
		dp_buf_adds(b, ")");
	}
	dp_buf_adds(b, " for ");
	esc_text(b, a->name);
	dp_buf_adds(b, ": ");
}

/* The record behind it, and the CAA property when CAA decided the change. */
static void text_where(struct dp_buf *b, const struct dp_diff_change *c)
{
	const struct dp_diff_auth *a = c->new ? c->new : c->old;
	bool caa = c->old && c->new &&dp_diff_caa_flipped(c->old, c->new);
	const struct dp_diff_auth *ca = c->new && c->new->caa_file ? c->new : c->old;

	dp_buf_adds(b, c->new ? " (" : " (was ");
	where(b, a->file, a->line, esc_text);
	if (caa && ca->caa_file != NULL) {
		dp_buf_adds(b, ca == c->new ? "; CAA at " : "; CAA was at ");
		where(b, ca->caa_file, ca->caa_line, esc_text);
	}
	dp_buf_adds(b, ")");
}

static void text_change(struct dp_buf *b, const struct dp_diff_change *c)
{
	const struct dp_diff_auth *a = c->new ? c->new : c->old;

	dp_buf_addf(b, "%c %s ",
	            c->kind == DP_CHANGE_GRANT    ? '+'
	            : c->kind == DP_CHANGE_REVOKE ? '-'
	                                          : '~',
	            dp_change_name(c->kind));
	text_who(b, a);
	if (c->kind == DP_CHANGE_CHANGE) {
		change_phrases(b, c, esc_text);
	} else {
		grant_or_revoke(b, c, esc_text);
	}
	text_where(b, c);
	dp_buf_addc(b, '\n');
}

/* existing: a new finding the baseline has, which does not fail the gate. */
static void text_finding(struct dp_buf *b, const struct dp_diff_finding *f, bool added,
                         bool existing)
{
	dp_buf_addf(b, "%c finding %s %s ", added ? '+' : '-', dp_severity_name(f->severity),
	            dp_finding_info(f->id)->id);
	esc_text(b, f->name);
	dp_buf_adds(b, ": ");
	esc_text(b, f->message);
	if (f->file != NULL) {
		dp_buf_adds(b, added ? " (" : " (was ");
		where(b, f->file, f->line, esc_text);
		dp_buf_adds(b, ")");
	}
	if (!added)
		dp_buf_adds(b, " resolved");
	if (existing)
		dp_buf_adds(b, " (in the baseline)");
	dp_buf_addc(b, '\n');
}

/* ---- CAA sets (informational) ------------------------------------------------- */

/* A set as stored (already escaped), or "none". */
static const char *caa_or_none(const struct dp_diff_caa *c)
{
	return c != NULL ? c->set : "none";
}

/* "i caa NAME: now SET; was SET (file:line)": which CAs may issue by any method. */
static void text_caa(struct dp_buf *b, const struct dp_diff_caa_change *c)
{
	const struct dp_diff_caa *a = c->new ? c->new : c->old;

	dp_buf_adds(b, "i caa ");
	esc_text(b, a->name);
	dp_buf_addf(b, ": now %s; was %s (%s", caa_or_none(c->new), caa_or_none(c->old),
	            c->new ? "" : "was ");
	if (a->file != NULL)
		where(b, a->file, a->line, esc_text);
	dp_buf_adds(b, ")\n");
}

static void counts(const struct dp_diff *d, size_t n[3])
{
	n[0] = n[1] = n[2] = 0;
	for (size_t i = 0; i < dp_diff_change_count(d); i++)
		n[dp_diff_change_at(d, i)->kind]++;
}

static void text_summary(const struct dp_diff *d, const struct dp_diff_render_opts *o,
                         struct dp_buf *b)
{
	size_t n[3];

	counts(d, n);
	dp_buf_adds(b, "diff ");
	esc_text(b, o->old_label);
	dp_buf_adds(b, " -> ");
	esc_text(b, o->new_label);
	if (dp_diff_change_count(d) == 0)
		dp_buf_adds(b, ": no change in who can issue");
	else
		dp_buf_addf(b,
		            ": %zu grant%s, %zu change%s, %zu revoke%s (%zu widen%s who can issue)",
		            n[0], n[0] == 1 ? "" : "s", n[2], n[2] == 1 ? "" : "s", n[1],
		            n[1] == 1 ? "" : "s", dp_diff_widened_count(d),
		            dp_diff_widened_count(d) == 1 ? "s" : "");
	if (dp_diff_caa_count(d) > 0)
		dp_buf_addf(b, "; %zu CAA set%s changed (informational)", dp_diff_caa_count(d),
		            dp_diff_caa_count(d) == 1 ? "" : "s");
	dp_buf_addf(b, "; %zu finding%s introduced", dp_diff_new_count(d),
	            dp_diff_new_count(d) == 1 ? "" : "s");
	if (dp_diff_has_baseline(d))
		dp_buf_addf(b, " (%zu in the baseline)", dp_diff_existing_count(d));
	dp_buf_addf(b, ", %zu resolved\n", dp_diff_resolved_count(d));
}

static enum dp_status render_text(const struct dp_diff *d, const struct dp_diff_render_opts *o,
                                  struct dp_buf *out)
{
	for (size_t i = 0; i < dp_diff_change_count(d); i++)
		text_change(out, dp_diff_change_at(d, i));
	for (size_t i = 0; i < dp_diff_caa_count(d); i++)
		text_caa(out, dp_diff_caa_at(d, i));
	for (size_t i = 0; i < dp_diff_new_count(d); i++)
		text_finding(out, dp_diff_new_at(d, i), true, dp_diff_new_existing(d, i));
	for (size_t i = 0; i < dp_diff_resolved_count(d); i++)
		text_finding(out, dp_diff_resolved_at(d, i), false, false);
	text_summary(d, o, out);
	return dp_buf_status(out);
}

/* ---- JSON ------------------------------------------------------------------------ */

static json_t *jcovers(const char *name, unsigned c)
{
	json_t *a = json_array();
	struct dp_buf b = {0};

	if (c & DP_COVERS_NAME)
		json_array_append_new(a, dp_json_cstr(name));
	if (c & DP_COVERS_WILDCARD) {
		dp_buf_addf(&b, "*.%s", name);
		json_array_append_new(a, dp_json_cstr(b.data));
	}
	if (c & DP_COVERS_BELOW) {
		dp_buf_reset(&b);
		dp_buf_addf(&b, "*.%s (every name below)", name);
		json_array_append_new(a, dp_json_cstr(b.data));
	}
	dp_buf_free(&b);
	return a;
}

static json_t *jside(const struct dp_diff_auth *a)
{
	json_t *o;

	if (a == NULL)
		return json_null();
	o = json_object();
	json_object_set_new(o, "covers", jcovers(a->name, a->covers));
	json_object_set_new(o, "until", a->has_until ? json_integer(a->until) : json_null());
	json_object_set_new(o, "caa", dp_json_cstr(a->caa));
	json_object_set_new(o, "caa_allows", json_boolean(a->caa_allows));
	json_object_set_new(o, "caa_wildcard", dp_json_cstr(a->caa_wild));
	json_object_set_new(o, "source", dp_json_source(a->file, a->line));
	json_object_set_new(o, "caa_source", dp_json_source(a->caa_file, a->caa_line));
	return o;
}

static json_t *jchange(const struct dp_diff_change *c)
{
	const struct dp_diff_auth *a = c->new ? c->new : c->old;
	json_t *o = json_object();

	json_object_set_new(o, "change", json_string(dp_change_name(c->kind)));
	json_object_set_new(o, "widens", json_boolean(c->widened));
	json_object_set_new(o, "name", dp_json_cstr(a->name));
	json_object_set_new(o, "issuer", dp_json_cstr(a->issuer));
	json_object_set_new(o, "accounturi", dp_json_cstr(a->accounturi));
	json_object_set_new(o, "account", dp_json_cstr(a->account_id));
	json_object_set_new(o, "gained", jcovers(a->name, c->gained));
	json_object_set_new(o, "lost", jcovers(a->name, c->lost));
	json_object_set_new(o, "before", jside(c->old));
	json_object_set_new(o, "after", jside(c->new));
	return o;
}

static json_t *jfinding(const struct dp_diff_finding *f)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_string(dp_finding_info(f->id)->id));
	json_object_set_new(o, "severity", json_string(dp_severity_name(f->severity)));
	json_object_set_new(o, "key", json_string(f->key));
	json_object_set_new(o, "name", dp_json_cstr(f->name));
	json_object_set_new(o, "message", dp_json_cstr(f->message));
	json_object_set_new(o, "source", dp_json_source(f->file, f->line));
	return o;
}

static json_t *jcaa(const struct dp_diff_caa_change *c)
{
	const struct dp_diff_caa *a = c->new ? c->new : c->old;
	json_t *o = json_object();

	json_object_set_new(o, "name", dp_json_cstr(a->name));
	json_object_set_new(o, "before", dp_json_cstr(c->old ? c->old->set : NULL));
	json_object_set_new(o, "after", dp_json_cstr(c->new ? c->new->set : NULL));
	json_object_set_new(o, "source", dp_json_source(a->file, a->line));
	return o;
}

static json_t *jcounts(const struct dp_diff *d)
{
	json_t *o = json_object();
	size_t n[3];

	counts(d, n);
	json_object_set_new(o, "grant", json_integer((json_int_t)n[0]));
	json_object_set_new(o, "revoke", json_integer((json_int_t)n[1]));
	json_object_set_new(o, "change", json_integer((json_int_t)n[2]));
	json_object_set_new(o, "widens", json_integer((json_int_t)dp_diff_widened_count(d)));
	json_object_set_new(o, "caa", json_integer((json_int_t)dp_diff_caa_count(d)));
	json_object_set_new(o, "new", json_integer((json_int_t)dp_diff_new_count(d)));
	json_object_set_new(o, "resolved", json_integer((json_int_t)dp_diff_resolved_count(d)));
	if (dp_diff_has_baseline(d))
		json_object_set_new(o, "existing",
		                    json_integer((json_int_t)dp_diff_existing_count(d)));
	return o;
}

static json_t *jchanges(const struct dp_diff *d)
{
	json_t *o = json_object(), *auths = json_array(), *f = json_object();
	json_t *added = json_array(), *resolved = json_array(), *caa = json_array();

	for (size_t i = 0; i < dp_diff_change_count(d); i++)
		json_array_append_new(auths, jchange(dp_diff_change_at(d, i)));
	for (size_t i = 0; i < dp_diff_new_count(d); i++) {
		json_t *f_i = jfinding(dp_diff_new_at(d, i));
		/* as scan --baseline marks its findings */
		if (dp_diff_has_baseline(d))
			json_object_set_new(
			    f_i, "baseline",
			    json_string(dp_diff_new_existing(d, i) ? "existing" : "new"));
		json_array_append_new(added, f_i);
	}
	for (size_t i = 0; i < dp_diff_resolved_count(d); i++)
		json_array_append_new(resolved, jfinding(dp_diff_resolved_at(d, i)));
	json_object_set_new(f, "new", added);
	json_object_set_new(f, "resolved", resolved);
	for (size_t i = 0; i < dp_diff_caa_count(d); i++)
		json_array_append_new(caa, jcaa(dp_diff_caa_at(d, i)));
	json_object_set_new(o, "authorizations", auths);
	json_object_set_new(o, "caa", caa);
	json_object_set_new(o, "findings", f);
	return o;
}

static enum dp_status render_json(const struct dp_diff *d, const struct dp_diff_render_opts *o,
                                  struct dp_buf *out)
{
	json_t *root = json_object(), *tool = json_object();
	char *s;

	json_object_set_new(root, "format", json_integer(DP_DIFF_JSON_FORMAT));
	json_object_set_new(tool, "name", json_string("dnspersist"));
	json_object_set_new(tool, "version", dp_json_cstr(o->version));
	json_object_set_new(root, "tool", tool);
	json_object_set_new(root, "mode", json_string("diff"));
	json_object_set_new(root, "old", dp_json_cstr(o->old_label));
	json_object_set_new(root, "new", dp_json_cstr(o->new_label));
	json_object_set_new(root, "now", json_integer(dp_diff_now(d)));
	json_object_set_new(root, "counts", jcounts(d));
	json_object_set_new(root, "changes", jchanges(d));
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (s == NULL)
		return DP_ENOMEM;
	dp_buf_adds(out, s);
	dp_buf_addc(out, '\n');
	free(s);
	return dp_buf_status(out);
}

/* ---- Markdown -------------------------------------------------------------------- */

static void md_change(struct dp_buf *b, const struct dp_diff_change *c)
{
	const struct dp_diff_auth *a = c->new ? c->new : c->old;

	dp_buf_addf(b, "| %s %s%s | ",
	            c->kind == DP_CHANGE_GRANT    ? "\\+"
	            : c->kind == DP_CHANGE_REVOKE ? "\\-"
	                                          : "\\~",
	            dp_change_name(c->kind), c->widened ? " (widens)" : "");
	dp_esc_md_cell(b, a->issuer);
	dp_buf_adds(b, " | ");
	dp_esc_md_cell(b, a->account_id ? a->account_id : a->accounturi);
	dp_buf_adds(b, " | ");
	dp_esc_md_cell(b, a->name);
	dp_buf_adds(b, " | ");
	if (c->kind == DP_CHANGE_CHANGE) {
		change_phrases(b, c, dp_esc_md_cell);
	} else {
		grant_or_revoke(b, c, dp_esc_md_cell);
	}
	dp_buf_adds(b, " | ");
	where(b, a->file, a->line, dp_esc_md_cell);
	dp_buf_adds(b, " |\n");
}

static void md_caa(const struct dp_diff *d, struct dp_buf *out)
{
	if (dp_diff_caa_count(d) == 0)
		return;
	dp_buf_addf(out,
	            "\n**CAA** (informational: which CAs may issue by any method; not a "
	            "DNS-PERSIST-01 grant): %zu set%s changed\n\n| name | now | was | where |\n"
	            "|---|---|---|---|\n",
	            dp_diff_caa_count(d), dp_diff_caa_count(d) == 1 ? "" : "s");
	for (size_t i = 0; i < dp_diff_caa_count(d); i++) {
		const struct dp_diff_caa_change *c = dp_diff_caa_at(d, i);
		const struct dp_diff_caa *a = c->new ? c->new : c->old;
		dp_buf_adds(out, "| ");
		dp_esc_md_cell(out, a->name);
		dp_buf_adds(out, " | ");
		dp_esc_md_cell(out, caa_or_none(c->new));
		dp_buf_adds(out, " | ");
		dp_esc_md_cell(out, caa_or_none(c->old));
		dp_buf_adds(out, " | ");
		if (a->file != NULL)
			where(out, a->file, a->line, dp_esc_md_cell);
		dp_buf_adds(out, " |\n");
	}
}

static void md_finding(struct dp_buf *b, const struct dp_diff_finding *f, const char *what)
{
	dp_buf_addf(b, "| %s | %s | %s | ", what, dp_severity_name(f->severity),
	            dp_finding_info(f->id)->id);
	dp_esc_md_cell(b, f->name);
	dp_buf_adds(b, " | ");
	dp_esc_md_cell(b, f->message);
	dp_buf_adds(b, " | ");
	if (f->file != NULL)
		where(b, f->file, f->line, dp_esc_md_cell);
	dp_buf_adds(b, " |\n");
}

static void md_findings(const struct dp_diff *d, struct dp_buf *out)
{
	dp_buf_addf(out, "\n**Findings:** %zu introduced", dp_diff_new_count(d));
	if (dp_diff_has_baseline(d))
		dp_buf_addf(out, " (%zu in the baseline)", dp_diff_existing_count(d));
	dp_buf_addf(out, ", %zu resolved\n", dp_diff_resolved_count(d));
	if (dp_diff_new_count(d) + dp_diff_resolved_count(d) == 0)
		return;
	dp_buf_adds(out, "\n| | severity | finding | name | message | where |\n"
	                 "|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < dp_diff_new_count(d); i++)
		md_finding(out, dp_diff_new_at(d, i),
		           dp_diff_new_existing(d, i) ? "new, in the baseline" : "new");
	for (size_t i = 0; i < dp_diff_resolved_count(d); i++)
		md_finding(out, dp_diff_resolved_at(d, i), "resolved");
}

static enum dp_status render_md(const struct dp_diff *d, const struct dp_diff_render_opts *o,
                                struct dp_buf *out)
{
	size_t n[3];

	counts(d, n);
	dp_buf_adds(out, "### dnspersist diff: ");
	dp_esc_md_cell(out, o->old_label);
	dp_buf_adds(out, " → ");
	dp_esc_md_cell(out, o->new_label);
	dp_buf_addf(out,
	            "\n\n**Who can issue:** %zu grant%s, %zu change%s, %zu revoke%s; "
	            "%zu widen%s who can issue\n",
	            n[0], n[0] == 1 ? "" : "s", n[2], n[2] == 1 ? "" : "s", n[1],
	            n[1] == 1 ? "" : "s", dp_diff_widened_count(d),
	            dp_diff_widened_count(d) == 1 ? "s" : "");
	if (dp_diff_change_count(d) > 0)
		dp_buf_adds(out, "\n| | CA | account | name | what | where |\n"
		                 "|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < dp_diff_change_count(d); i++)
		md_change(out, dp_diff_change_at(d, i));
	md_caa(d, out);
	md_findings(d, out);
	return dp_buf_status(out);
}

/* ---- the table ------------------------------------------------------------------- */

static const struct dp_diff_renderer renderers[] = {
    {"text", render_text},
    {"json", render_json},
    {"markdown", render_md},
};

const struct dp_diff_renderer *dp_diff_renderer_find(const char *name)
{
	for (size_t i = 0; i < sizeof(renderers) / sizeof(*renderers); i++)
		if (strcmp(renderers[i].name, name) == 0)
			return &renderers[i];
	return NULL;
}

void dp_diff_renderer_list(struct dp_buf *out)
{
	for (size_t i = 0; i < sizeof(renderers) / sizeof(*renderers); i++)
		dp_buf_addf(out, "%s%s", i ? ", " : "", renderers[i].name);
}
