/* SPDX-License-Identifier: BSD-3-Clause */
/* The terminal report: names worst first, their findings, records and authorizations. */
#include <stdlib.h>
#include <string.h>

#include "render/render.h"
#include "report/changes.h"
#include "base/name.h"
#include "base/timeutil.h"

static const char *sev_color(enum dp_severity s)
{
	switch (s) {
	case DP_SEV_CRITICAL:
		return "\033[1;31m";
	case DP_SEV_WARNING:
		return "\033[33m";
	case DP_SEV_NOTICE:
		return "\033[36m";
	default:
		return "";
	}
}

static void tag(struct dp_buf *b, const struct dp_render_opts *o, enum dp_severity s)
{
	if (o->color)
		dp_buf_addf(b, "%s%-8s\033[0m", sev_color(s), dp_severity_name(s));
	else
		dp_buf_addf(b, "%-8s", dp_severity_name(s));
}

static void findings_of(const struct dp_report_name *n, const struct dp_render_opts *o,
                        struct dp_buf *b)
{
	for (size_t i = 0; i < n->n_findings; i++) {
		const struct dp_finding *f = n->findings[i];
		dp_buf_adds(b, "  ");
		tag(b, o, f->severity);
		dp_buf_addf(b, " %s: ", dp_finding_info(f->id)->id);
		dp_buf_add_escaped(b, f->message, strlen(f->message));
		if (f->file != NULL) {
			dp_buf_adds(b, " [");
			dp_buf_add_where(b, f->file, f->line);
			dp_buf_addc(b, ']');
		}
		dp_buf_addc(b, '\n');
	}
}

static void records_of(const struct dp_report_name *n, struct dp_buf *b)
{
	for (const struct dp_report_record *rec = n->records; rec; rec = rec->next) {
		dp_buf_adds(b, "    record ");
		if (rec->file) {
			dp_buf_add_where(b, rec->file, rec->line);
			dp_buf_addc(b, ' ');
		}
		dp_buf_adds(b, "\"");
		dp_buf_add_escaped(b, rec->rdata, rec->len);
		dp_buf_addf(b, "\" (%s)\n", dp_verdict_name(rec->verdict));
	}
}

static void covers(struct dp_buf *b, const char *name, unsigned c)
{
	const char *sep = "";

	if (c & DP_COVERS_NAME) {
		dp_buf_addf(b, "%s", name);
		sep = ", ";
	}
	if (c & DP_COVERS_WILDCARD) {
		dp_buf_addf(b, "%s*.%s", sep, name);
		sep = ", ";
	}
	if (c & DP_COVERS_BELOW)
		dp_buf_addf(b, "%severy name below", sep);
}

/* Is owner the name's own _validation-persist.NAME (no CNAME, no parent)? */
static bool own_owner(const char *owner, const char *name)
{
	static const char prefix[] = "_validation-persist.";

	return strncmp(owner, prefix, sizeof(prefix) - 1) == 0 &&
	       strcmp(owner + sizeof(prefix) - 1, name) == 0;
}

static void auths_of(const struct dp_report_name *n, struct dp_buf *b)
{
	char until[DP_TIME_STR];

	for (const struct dp_report_auth *a = n->auths; a; a = a->next) {
		dp_buf_addf(b, "    authorized: %s account ", a->issuer);
		if (a->account_id)
			dp_buf_addf(b, "%s ", a->account_id);
		dp_buf_adds(b, "(");
		dp_buf_add_escaped(b, a->accounturi, strlen(a->accounturi));
		dp_buf_adds(b, ") for ");
		covers(b, n->name, a->covers);
		if (a->has_until) {
			dp_time_format(a->until, until);
			dp_buf_addf(b, " until %s", until);
		}
		if (a->via && !own_owner(a->via, n->name))
			dp_buf_addf(b, " via %s", a->via);
		if (a->caa)
			dp_buf_addf(b, "; CAA %s", a->caa);
		dp_buf_addc(b, '\n');
	}
}

static void strs(struct dp_buf *b, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			dp_buf_adds(b, ", ");
		dp_buf_add_escaped(b, v[i], strlen(v[i]));
	}
}

/* The certificates CT shows for the name (-v). */
static void certs_of(const struct dp_report_name *n, struct dp_buf *b)
{
	char nb[DP_TIME_STR], na[DP_TIME_STR];

	for (const struct dp_report_cert *c = n->certs; c; c = c->next) {
		dp_time_format(c->not_before, nb);
		dp_time_format(c->not_after, na);
		dp_buf_adds(b, "    certificate: ");
		dp_buf_add_escaped(b, c->issuer, strlen(c->issuer));
		dp_buf_adds(b, " (CAA ");
		if (c->n_caa)
			strs(b, c->caa, c->n_caa);
		else
			dp_buf_adds(b, "unknown");
		dp_buf_adds(b, ") for ");
		strs(b, c->names, c->n_names);
		dp_buf_addf(b, " from %s to %s; %s ", nb, na, c->source);
		dp_buf_add_escaped(b, c->id, strlen(c->id));
		dp_buf_adds(b, " ");
		dp_buf_add_escaped(b, c->link, strlen(c->link));
		dp_buf_addc(b, '\n');
	}
}

static void summary(const struct dp_report *r, struct dp_buf *b)
{
	enum dp_level l = dp_report_level(r);

	dp_buf_addf(b, "%s: %zu name%s, %zu record%s, %zu critical, %zu warning, %zu notice",
	            l == DP_LEVEL_OK ? "OK" : dp_level_name(l), dp_report_name_count(r),
	            dp_report_name_count(r) == 1 ? "" : "s", dp_report_record_count(r),
	            dp_report_record_count(r) == 1 ? "" : "s", dp_report_count(r, DP_SEV_CRITICAL),
	            dp_report_count(r, DP_SEV_WARNING), dp_report_count(r, DP_SEV_NOTICE));
	if (dp_report_changes(r) != NULL)
		dp_buf_addf(b, ", %zu new since last run",
		            dp_changes_count_kind(dp_report_changes(r), DP_CHANGE_NEW));
	if (dp_report_ct_source(r) != NULL)
		dp_buf_addf(b, ", %ld certificate%s in CT (%s)", dp_report_ct_certs(r),
		            dp_report_ct_certs(r) == 1 ? "" : "s", dp_report_ct_source(r));
	if (dp_report_unknown_reason(r))
		dp_buf_addf(b, " (not fully evaluated: %s)", dp_report_unknown_reason(r));
	dp_buf_addc(b, '\n');
}

static bool all_details(const struct dp_render_opts *o)
{
	(void)o;
	return true;
}

static void change_auth(const struct dp_change *c, struct dp_buf *b)
{
	char until[DP_TIME_STR];

	dp_buf_addf(b, "%s account ", c->issuer);
	if (c->account)
		dp_buf_addf(b, "%s ", c->account);
	dp_buf_adds(b, "(");
	dp_buf_add_escaped(b, c->accounturi, strlen(c->accounturi));
	dp_buf_adds(b, ") for ");
	covers(b, c->name, c->covers);
	if (c->has_until) {
		dp_time_format(c->until, until);
		dp_buf_addf(b, " until %s", until);
	}
}

static void change_time(bool has, int64_t t, struct dp_buf *b)
{
	char s[DP_TIME_STR];

	if (!has) {
		dp_buf_adds(b, "none");
		return;
	}
	dp_time_format(t, s);
	dp_buf_adds(b, s);
}

/* One line: "+ new", "- resolved", "+ granted", "- revoked", "~ persistUntil". */
static void change_line(const struct dp_change *c, const struct dp_render_opts *o, struct dp_buf *b)
{
	static const char *const mark[] = {"  + new      ", "  - resolved ", "  + granted  ",
	                                   "  - revoked  ", "  ~ moved    "};

	dp_buf_adds(b, mark[c->kind]);
	if (c->kind == DP_CHANGE_NEW || c->kind == DP_CHANGE_RESOLVED) {
		tag(b, o, c->severity);
		dp_buf_addf(b, " %s %s: ", c->name, dp_finding_info(c->id)->id);
		dp_buf_add_escaped(b, c->message, strlen(c->message));
	} else if (c->kind == DP_CHANGE_MOVED) {
		dp_buf_adds(b, "persistUntil of ");
		dp_buf_add_escaped(b, c->owner, strlen(c->owner));
		dp_buf_adds(b, " for ");
		dp_buf_add_escaped(b, c->issuer, strlen(c->issuer));
		dp_buf_addc(b, ' ');
		dp_buf_add_escaped(b, c->accounturi, strlen(c->accounturi));
		dp_buf_adds(b, ": ");
		change_time(c->had_was, c->was, b);
		dp_buf_adds(b, " -> ");
		change_time(c->has_until, c->until, b);
	} else {
		change_auth(c, b);
	}
	dp_buf_addc(b, '\n');
}

/* "since last run": what changed since the baseline, before the names. */
static void since(const struct dp_changes *c, const struct dp_render_opts *o, struct dp_buf *b)
{
	char when[DP_TIME_STR];

	dp_time_format(dp_changes_baseline_now(c), when);
	dp_buf_addf(b,
	            "since last run (%s): %zu new, %zu resolved finding(s); %zu granted, "
	            "%zu revoked authorization(s); %zu persistUntil moved\n",
	            when, dp_changes_count_kind(c, DP_CHANGE_NEW),
	            dp_changes_count_kind(c, DP_CHANGE_RESOLVED),
	            dp_changes_count_kind(c, DP_CHANGE_GRANTED),
	            dp_changes_count_kind(c, DP_CHANGE_REVOKED),
	            dp_changes_count_kind(c, DP_CHANGE_MOVED));
	for (size_t i = 0; i < dp_changes_count(c); i++)
		change_line(dp_changes_at(c, i), o, b);
	dp_buf_addc(b, '\n');
}

static enum dp_status begin(const struct dp_report *r, const struct dp_render_opts *o,
                            struct dp_buf *b)
{
	if (dp_report_changes(r) != NULL)
		since(dp_report_changes(r), o, b);
	return dp_buf_status(b);
}

static enum dp_status one_name(const struct dp_report *r, const struct dp_render_opts *o, size_t i,
                               const struct dp_report_name *n, struct dp_buf *b)
{
	(void)r;
	(void)i;
	if (o->color)
		dp_buf_addf(b, "\033[1m%s\033[0m", n->name);
	else
		dp_buf_adds(b, n->name);
	dp_render_unicode_form(b, n->name);
	dp_buf_addf(b, " (%s)\n", n->worst ? dp_severity_name(n->worst) : "ok");
	findings_of(n, o, b);
	records_of(n, b);
	auths_of(n, b);
	if (o->verbose)
		certs_of(n, b);
	if (n->note != NULL) {
		dp_buf_adds(b, "    not checked: ");
		dp_buf_add_escaped(b, n->note, strlen(n->note));
		dp_buf_addc(b, '\n');
	}
	dp_buf_addc(b, '\n');
	/* a large report goes out as it is written, not all at once */
	return dp_render_flushed(o, b) ? DP_OK : DP_EIO;
}

static enum dp_status end(const struct dp_report *r, const struct dp_render_opts *o,
                          struct dp_buf *b)
{
	(void)o;
	for (size_t i = 0; i < dp_report_note_count(r); i++) {
		dp_buf_adds(b, "not checked: ");
		dp_buf_add_escaped(b, dp_report_note(r, i), strlen(dp_report_note(r, i)));
		dp_buf_addc(b, '\n');
	}
	summary(r, b);
	return dp_buf_status(b);
}

const struct dp_renderer dp_render_text = {
    "text", DP_RENDER_SCAN | DP_RENDER_LINT, all_details, begin, one_name, end,
};
