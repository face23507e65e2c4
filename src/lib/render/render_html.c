/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The HTML report: one self-contained page (inline CSS and SVG, no script,
 * nothing fetched) that reads in a browser, prints and travels as an e-mail
 * attachment. Every datum from DNS, zone files or the command line goes
 * through render/escape.h; attributes only ever hold what this file makes.
 */
#include <stdlib.h>
#include <string.h>

#include "base/name.h"
#include "base/timeutil.h"
#include "model/finding_fix.h"
#include "model/rules.h"
#include "render/escape.h"
#include "report/changes.h"
#include "render/render.h"
#include "render/timeline.h"

/*
 * The timeline's marks, gathered name by name while the names are written
 * (their details exist only then) and drawn at the end; the driver keeps no
 * renderer state, and one report is rendered at a time. The page's CSS
 * shows the timeline above the names although it comes after them.
 */
static struct dp_timeline *timeline;

static const char css[] =
    "body{display:flex;flex-direction:column;margin:0 auto;max-width:1100px;padding:0 1em 2em;"
    "font:14px/1.45 system-ui,sans-serif;color:#111827;background:#fff}"
    "#summary{order:1}#toc{order:2}#changes{order:3}#timeline{order:4}#names{order:5}"
    "#details{order:6}#notes{order:7}footer{order:8;color:#6b7280;font-size:12px}"
    "h1{font-size:22px;margin:.8em 0 .3em}h2{font-size:18px;margin:1.2em 0 .4em;"
    "border-bottom:1px solid #e5e7eb}h3{font-size:15px;margin:0 0 .4em}"
    "h4{font-size:13px;margin:.6em 0 .2em;color:#374151}"
    "table{border-collapse:collapse;width:100%;margin:.2em 0 .6em}"
    "th,td{text-align:left;vertical-align:top;padding:3px 6px;border-bottom:1px solid #e5e7eb}"
    "td:first-child{white-space:nowrap}td.data{overflow-wrap:anywhere}th{background:#f3f4f6;font-"
    "weight:600}thead{display:table-header-group}"
    "code,.data{font-family:ui-monospace,monospace;font-size:12px}"
    ".badge{display:inline-block;padding:0 .5em;border-radius:3px;font-size:12px;font-weight:600;"
    "color:#fff;background:#16a34a}.badge.critical{background:#dc2626}"
    ".badge.warning{background:#d97706}.badge.notice{background:#0891b2}"
    ".badge.unknown{background:#6b7280}"
    ".facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 1em;margin:.3em 0}"
    ".facts dt{color:#6b7280}.facts dd{margin:0}"
    ".counts{display:flex;gap:1.5em;list-style:none;padding:0;margin:.5em 0;font-size:16px}"
    ".counts data{font-weight:700;font-size:22px}"
    ".name{border:1px solid #e5e7eb;border-left:4px solid #16a34a;padding:.5em .8em;"
    "margin:.6em 0;break-inside:avoid-page;content-visibility:auto;"
    "contain-intrinsic-size:auto 360px}.name.critical{border-left-color:#dc2626}"
    ".name.warning{border-left-color:#d97706}.name.notice{border-left-color:#0891b2}"
    ".fix{margin:.2em 0 0;color:#374151}.none{color:#6b7280;margin:.2em 0}"
    ".alert{background:#fee2e2;padding:.4em .8em;border-radius:3px}"
    "#timeline svg{max-width:100%;height:auto}"
    ".legend::before{content:\"\\25CF  \"}.m-passed::before{color:#7f1d1d}"
    ".m-critical::before{color:#dc2626}.m-warning::before{color:#d97706}"
    ".m-later::before{color:#2563eb}.m-open::before{color:#6b7280}"
    "#toc a{margin-right:1em}#names-table{table-layout:fixed}"
    "#names-table th:nth-child(1){width:52%}#names-table th:nth-child(2){width:14%}"
    "@media print{body{max-width:none;font-size:11px}#toc{display:none}"
    "a{color:inherit;text-decoration:none}.badge{border:1px solid #000}}";

static void badge(struct dp_buf *b, const char *level)
{
	dp_buf_addf(b, "<span class=\"badge %s\">%s</span>", level, level);
}

static const char *worst_of(const struct dp_report_name *n)
{
	return n->worst ? dp_severity_name(n->worst) : "ok";
}

static void date(struct dp_buf *b, int64_t t)
{
	char s[DP_TIME_STR];

	dp_time_format(t, s);
	dp_buf_addf(b, "<time datetime=\"%s\">%.10s</time>", s, s);
}

static void where(struct dp_buf *b, const char *file, unsigned long line)
{
	struct dp_buf w = {0};

	if (file == NULL)
		return;
	dp_buf_add_where(&w, file, line);
	dp_esc_html(b, w.data, w.len);
	dp_buf_free(&w);
}

/* A name and, for xn-- labels, its validated U-label form. */
static void name_text(struct dp_buf *b, const char *name)
{
	char *u = strstr(name, "xn--") ? dp_name_to_display(name) : NULL;

	dp_esc_html_str(b, name);
	if (u != NULL) {
		dp_buf_adds(b, " (");
		dp_esc_html_utf8(b, u);
		dp_buf_adds(b, ")");
	}
	free(u);
}

/* A fix text of docs/findings.md: markdown `code` spans become <code>. */
static void fix_text(struct dp_buf *b, const char *s)
{
	bool code = false;

	while (*s) {
		size_t run = strcspn(s, "`");
		dp_esc_html(b, s, run);
		s += run;
		if (*s == '`') {
			dp_buf_adds(b, code ? "</code>" : "<code>");
			code = !code;
			s++;
		}
	}
	if (code)
		dp_buf_adds(b, "</code>");
}

/* ---- the head of the page: summary, table of contents, names ---- */

static void head(const struct dp_report *r, struct dp_buf *b)
{
	const char *level = dp_level_name(dp_report_level(r));

	dp_buf_addf(b,
	            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	            "<title>dnspersist report: %s, %zu critical, %zu warning, %zu notice</title>\n"
	            "<style>%s</style>\n</head>\n<body>\n",
	            level, dp_report_count(r, DP_SEV_CRITICAL), dp_report_count(r, DP_SEV_WARNING),
	            dp_report_count(r, DP_SEV_NOTICE), css);
}

static void count_item(struct dp_buf *b, const char *id, size_t n, const char *what)
{
	dp_buf_addf(b, "<li class=\"%s\"><data id=\"count-%s\" value=\"%zu\">%zu</data> %s</li>",
	            id, id, n, n, what);
}

static void facts(const struct dp_report *r, const struct dp_render_opts *o, struct dp_buf *b)
{
	dp_buf_adds(b, "<dl class=\"facts\"><dt>Status</dt><dd id=\"status\">");
	badge(b, dp_level_name(dp_report_level(r)));
	dp_buf_adds(b, "</dd><dt>Audited at</dt><dd>");
	date(b, dp_report_now(r));
	dp_buf_adds(b, " (UTC)</dd><dt>Mode</dt><dd>");
	dp_buf_adds(b, strcmp(dp_report_mode(r), "live") == 0 ? "live DNS" : "zone files");
	dp_buf_adds(b, "</dd><dt>Sources</dt><dd id=\"sources\">");
	for (size_t i = 0; i < o->n_sources; i++) {
		dp_buf_adds(b, i ? ", <code>" : "<code>");
		dp_esc_html_str(b, o->sources[i]);
		dp_buf_adds(b, "</code>");
	}
	if (o->n_sources == 0)
		dp_buf_adds(b, "not given");
	if (o->inventory != NULL) {
		dp_buf_adds(b, "</dd><dt>Inventory</dt><dd><code>");
		dp_esc_html_str(b, o->inventory);
		dp_buf_adds(b, "</code>");
	}
	dp_buf_adds(b, "</dd><dt>Tool</dt><dd id=\"tool\">dnspersist ");
	dp_esc_html_str(b, o->version);
	dp_buf_adds(b, "</dd></dl>\n");
}

static void summary(const struct dp_report *r, const struct dp_render_opts *o, struct dp_buf *b)
{
	dp_buf_adds(b, "<header id=\"summary\">\n<h1>DNS-PERSIST-01 authorization audit</h1>\n");
	facts(r, o, b);
	dp_buf_adds(b, "<ul class=\"counts\">");
	count_item(b, "critical", dp_report_count(r, DP_SEV_CRITICAL), "critical");
	count_item(b, "warning", dp_report_count(r, DP_SEV_WARNING), "warning");
	count_item(b, "notice", dp_report_count(r, DP_SEV_NOTICE), "notice");
	count_item(b, "names", dp_report_name_count(r), "names");
	count_item(b, "records", dp_report_record_count(r), "records");
	dp_buf_adds(b, "</ul>\n");
	if (dp_report_unknown_reason(r) != NULL) {
		dp_buf_adds(b, "<p class=\"alert\">Not fully evaluated: ");
		dp_esc_html_str(b, dp_report_unknown_reason(r));
		dp_buf_adds(b, ". Names that could not be looked at are not reported as OK.</p>\n");
	}
	dp_buf_adds(b, "</header>\n<nav id=\"toc\"><a href=\"#timeline\">Expiry timeline</a>"
	               "<a href=\"#names\">Names</a><a href=\"#details\">Per name</a></nav>\n");
}

static void maybe_date(struct dp_buf *b, bool has, int64_t t)
{
	if (has)
		date(b, t);
	else
		dp_buf_adds(b, "none");
}

/* What one change was about: a finding, an authorization or a moved persistUntil. */
static void change_what(const struct dp_change *c, struct dp_buf *b)
{
	if (c->kind == DP_CHANGE_NEW || c->kind == DP_CHANGE_RESOLVED) {
		badge(b, dp_severity_name(c->severity));
		dp_buf_addf(b, " <code>%s</code> ", dp_finding_info(c->id)->id);
		dp_esc_html_str(b, c->message);
		return;
	}
	dp_esc_html_str(b, c->issuer);
	dp_buf_adds(b, ", account ");
	dp_esc_html_str(b, c->account ? c->account : c->accounturi);
	if (c->kind != DP_CHANGE_MOVED)
		return;
	dp_buf_adds(b, ": persistUntil of ");
	dp_esc_html_str(b, c->owner);
	dp_buf_adds(b, " ");
	maybe_date(b, c->had_was, c->was);
	dp_buf_adds(b, " &rarr; ");
	maybe_date(b, c->has_until, c->until);
}

/*
 * Changes since the last run (--baseline), right after the summary: what a
 * reader of last night's report needs first. Nothing without a baseline.
 */
static void changes_section(const struct dp_report *r, const struct dp_render_opts *o,
                            struct dp_buf *b)
{
	const struct dp_changes *c = dp_report_changes(r);

	(void)o;
	if (c == NULL)
		return;
	dp_buf_adds(b, "<section id=\"changes\">\n<h2>Since the last run (");
	date(b, dp_changes_baseline_now(c));
	dp_buf_addf(
	    b,
	    ")</h2>\n<p>%zu new, %zu resolved finding(s); %zu granted, %zu revoked "
	    "authorization(s); %zu persistUntil moved.</p>\n",
	    dp_changes_count_kind(c, DP_CHANGE_NEW), dp_changes_count_kind(c, DP_CHANGE_RESOLVED),
	    dp_changes_count_kind(c, DP_CHANGE_GRANTED),
	    dp_changes_count_kind(c, DP_CHANGE_REVOKED), dp_changes_count_kind(c, DP_CHANGE_MOVED));
	if (dp_changes_count(c) > 0)
		dp_buf_adds(b, "<table><thead><tr><th>Change</th><th>Name</th><th>What</th></tr>"
		               "</thead>\n<tbody>\n");
	for (size_t i = 0; i < dp_changes_count(c); i++) {
		const struct dp_change *ch = dp_changes_at(c, i);
		dp_buf_addf(b, "<tr class=\"change-%s\"><td>%s</td><td>",
		            dp_change_kind_name(ch->kind), dp_change_kind_name(ch->kind));
		name_text(b, ch->name);
		dp_buf_adds(b, "</td><td>");
		change_what(ch, b);
		dp_buf_adds(b, "</td></tr>\n");
	}
	if (dp_changes_count(c) > 0)
		dp_buf_adds(b, "</tbody></table>\n");
	dp_buf_adds(b, "</section>\n");
}

static void names_table(const struct dp_report *r, struct dp_buf *b)
{
	dp_buf_adds(
	    b, "<section id=\"names\">\n<h2>Names, worst first</h2>\n<table id=\"names-table\">"
	       "<thead><tr><th>Name</th><th>Status</th><th>Findings</th>"
	       "<th>Earliest persistUntil</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < dp_report_name_count(r); i++) {
		const struct dp_report_name *n = dp_report_name_at(r, i);
		dp_buf_addf(b, "<tr class=\"%s\"><td><a href=\"#n%zu\">", worst_of(n), i);
		name_text(b, n->name);
		dp_buf_adds(b, "</a></td><td>");
		badge(b, worst_of(n));
		dp_buf_addf(b, "</td><td>%zu</td><td>", n->n_findings);
		if (n->has_earliest)
			date(b, n->earliest);
		else
			dp_buf_adds(b, "none");
		dp_buf_adds(b, "</td></tr>\n");
	}
	dp_buf_adds(b, "</tbody></table>\n</section>\n");
}

static enum dp_status begin(const struct dp_report *r, const struct dp_render_opts *o,
                            struct dp_buf *b)
{
	/* a merged report carries no rules: the built-in horizons then */
	const struct dp_rules_params *p = o->lifetimes ? o->lifetimes : dp_rules_params_default();
	enum dp_status st;

	dp_timeline_free(timeline);
	timeline = NULL;
	st = dp_timeline_new(dp_report_now(r), p->warn_before, p->crit_before, p->max_horizon,
	                     &timeline);
	if (st != DP_OK)
		return st;
	head(r, b);
	summary(r, o, b);
	changes_section(r, o, b);
	names_table(r, b);
	dp_buf_adds(b, "<section id=\"details\">\n<h2>Per name</h2>\n");
	return dp_buf_status(b);
}

/* ---- one name: findings with their fixes, records, CAA, authorizations ---- */

static void findings_of(const struct dp_report_name *n, struct dp_buf *b)
{
	dp_buf_adds(b, "<h4>Findings</h4>");
	if (n->n_findings == 0) {
		dp_buf_adds(b, "<p class=\"none\">None.</p>\n");
		return;
	}
	dp_buf_adds(b, "<table class=\"findings\"><thead><tr><th>Severity</th><th>Finding</th>"
	               "<th>What and how to fix</th><th>Where</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < n->n_findings; i++) {
		const struct dp_finding *f = n->findings[i];
		const char *fix = dp_finding_fix(f->id);
		dp_buf_adds(b, "<tr class=\"finding\"><td>");
		badge(b, dp_severity_name(f->severity));
		dp_buf_addf(b, "</td><td><code>%s</code></td><td>", dp_finding_info(f->id)->id);
		dp_esc_html_str(b, f->message);
		if (fix != NULL) {
			dp_buf_adds(b, "<p class=\"fix\"><b>Fix:</b> ");
			fix_text(b, fix);
			dp_buf_adds(b, "</p>");
		}
		dp_buf_adds(b, "</td><td class=\"data\">");
		where(b, f->file, f->line);
		dp_buf_adds(b, "</td></tr>\n");
	}
	dp_buf_adds(b, "</tbody></table>\n");
}

static void records_of(const struct dp_report_name *n, struct dp_buf *b)
{
	dp_buf_adds(b, "<h4>Records</h4>");
	if (n->records == NULL) {
		dp_buf_adds(b, "<p class=\"none\">No _validation-persist record.</p>\n");
		return;
	}
	dp_buf_adds(b, "<table class=\"records\"><thead><tr><th>Owner</th><th>Value</th>"
	               "<th>Verdict</th><th>Where</th></tr></thead><tbody>\n");
	for (const struct dp_report_record *rec = n->records; rec; rec = rec->next) {
		dp_buf_adds(b, "<tr class=\"record\"><td class=\"data\">");
		dp_esc_html_str(b, rec->owner);
		dp_buf_adds(b, "</td><td class=\"data\">");
		dp_esc_html(b, rec->rdata, rec->len);
		dp_buf_addf(b, "</td><td>%s", dp_verdict_name(rec->verdict));
		if (rec->reason != NULL && rec->reason[0] != '\0') {
			dp_buf_adds(b, ": ");
			dp_esc_html_str(b, rec->reason);
		}
		dp_buf_adds(b, "</td><td class=\"data\">");
		where(b, rec->file, rec->line);
		dp_buf_adds(b, "</td></tr>\n");
	}
	dp_buf_adds(b, "</tbody></table>\n");
}

static void caa_of(const struct dp_report_name *n, struct dp_buf *b)
{
	dp_buf_adds(b, "<h4>CAA</h4>");
	if (n->caa_owner == NULL || n->caa == NULL) {
		dp_buf_adds(b, "<p class=\"none\">No CAA record governs this name: every CA may "
		               "issue.</p>\n");
		return;
	}
	dp_buf_adds(b, "<p class=\"none\">The relevant CAA set, at <code>");
	dp_esc_html_str(b, n->caa_owner);
	dp_buf_adds(b, "</code>:</p><table class=\"caa\"><thead><tr><th>Flags</th><th>Tag</th>"
	               "<th>Value</th><th>Where</th></tr></thead><tbody>\n");
	for (const struct dp_report_caa *c = n->caa; c; c = c->next) {
		dp_buf_addf(b, "<tr class=\"caa-property\"><td>%u</td><td class=\"data\">",
		            (unsigned)c->flags);
		dp_esc_html_str(b, c->tag);
		dp_buf_adds(b, "</td><td class=\"data\">");
		dp_esc_html(b, c->value, c->len);
		dp_buf_adds(b, "</td><td class=\"data\">");
		where(b, c->file, c->line);
		dp_buf_adds(b, "</td></tr>\n");
	}
	dp_buf_adds(b, "</tbody></table>\n");
}

static void covers(struct dp_buf *b, const char *name, unsigned c)
{
	const char *sep = "";

	if (c & DP_COVERS_NAME) {
		dp_esc_html_str(b, name);
		sep = ", ";
	}
	if (c & DP_COVERS_WILDCARD) {
		dp_buf_addf(b, "%s*.", sep);
		dp_esc_html_str(b, name);
		sep = ", ";
	}
	if (c & DP_COVERS_BELOW)
		dp_buf_addf(b, "%severy name below", sep);
}

static void auth_row(const struct dp_report_name *n, const struct dp_report_auth *a,
                     struct dp_buf *b)
{
	dp_buf_adds(b, "<tr class=\"authorization\"><td>");
	dp_esc_html_str(b, a->issuer);
	dp_buf_adds(b, "</td><td class=\"data\">");
	if (a->account_id != NULL) {
		dp_esc_html_str(b, a->account_id);
		dp_buf_adds(b, "<br>");
	}
	dp_esc_html_str(b, a->accounturi);
	dp_buf_adds(b, "</td><td class=\"data\">");
	covers(b, n->name, a->covers);
	dp_buf_adds(b, "</td><td>");
	if (a->has_until)
		date(b, a->until);
	else
		dp_buf_adds(b, "open-ended");
	dp_buf_adds(b, "</td><td class=\"data\">");
	dp_esc_html_str(b, a->via);
	dp_buf_adds(b, "</td><td>");
	dp_esc_html_str(b, a->caa ? a->caa : "not read");
	dp_buf_adds(b, "</td></tr>\n");
}

static void auths_of(const struct dp_report_name *n, struct dp_buf *b)
{
	dp_buf_adds(b, "<h4>Effective authorizations</h4>");
	if (n->auths == NULL) {
		dp_buf_adds(b, "<p class=\"none\">None: no CA account can validate this name "
		               "through dns-persist-01 (lint does not work them out).</p>\n");
		return;
	}
	dp_buf_adds(b, "<table class=\"authorizations\"><thead><tr><th>CA</th><th>Account</th>"
	               "<th>Covers</th><th>persistUntil</th><th>Record at</th><th>CAA</th></tr>"
	               "</thead><tbody>\n");
	for (const struct dp_report_auth *a = n->auths; a; a = a->next)
		auth_row(n, a, b);
	dp_buf_adds(b, "</tbody></table>\n");
}

/* A list of names or CAA domains, escaped, comma-separated. */
static void html_list(struct dp_buf *b, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			dp_buf_adds(b, ", ");
		dp_esc_html_str(b, v[i]);
	}
}

/*
 * The certificates CT logs show for the name (--ct). The link is shown as
 * text, never made an href: no data goes into an attribute.
 */
static void certificates_of(const struct dp_report_name *n, struct dp_buf *b)
{
	if (n->certs == NULL)
		return;
	dp_buf_adds(b, "<h4>Certificates in CT</h4><table><thead><tr><th>Issuer</th>"
	               "<th>CAA domains</th><th>Names</th><th>Valid</th><th>Source</th></tr>"
	               "</thead>\n<tbody>\n");
	for (const struct dp_report_cert *c = n->certs; c; c = c->next) {
		dp_buf_adds(b, "<tr><td>");
		dp_esc_html_str(b, c->issuer);
		dp_buf_adds(b, "</td><td>");
		if (c->n_caa > 0)
			html_list(b, c->caa, c->n_caa);
		else
			dp_buf_adds(b, "unknown");
		dp_buf_adds(b, "</td><td>");
		html_list(b, c->names, c->n_names);
		dp_buf_adds(b, "</td><td>");
		date(b, c->not_before);
		dp_buf_adds(b, " to ");
		date(b, c->not_after);
		dp_buf_adds(b, "</td><td>");
		dp_esc_html_str(b, c->source);
		dp_buf_adds(b, " ");
		dp_esc_html_str(b, c->id);
		dp_buf_adds(b, " <code>");
		dp_esc_html_str(b, c->link);
		dp_buf_adds(b, "</code></td></tr>\n");
	}
	dp_buf_adds(b, "</tbody></table>\n");
}

/*
 * The marks of the timeline: every authorization; a name without one shows
 * its records that carry a persistUntil (an expired record is no
 * authorization, but is worth seeing on the time axis).
 */
static enum dp_status gather(const struct dp_report_name *n)
{
	enum dp_status st = DP_OK;

	for (const struct dp_report_auth *a = n->auths; st == DP_OK && a; a = a->next)
		st = dp_timeline_add(timeline, n->name, a->issuer,
		                     a->account_id ? a->account_id : a->accounturi, a->has_until,
		                     a->until);
	for (const struct dp_report_record *rec = n->records;
	     st == DP_OK && n->auths == NULL && rec; rec = rec->next)
		if (rec->has_persist_until)
			st = dp_timeline_add(timeline, n->name, rec->issuer, rec->accounturi, true,
			                     rec->persist_until);
	return st;
}

static enum dp_status one_name(const struct dp_report *r, const struct dp_render_opts *o, size_t i,
                               const struct dp_report_name *n, struct dp_buf *b)
{
	enum dp_status st = gather(n);

	(void)r;
	dp_buf_addf(b, "<section class=\"name %s\" id=\"n%zu\">\n<h3>", worst_of(n), i);
	name_text(b, n->name);
	dp_buf_adds(b, " ");
	badge(b, worst_of(n));
	dp_buf_adds(b, "</h3>\n");
	if (n->note != NULL) {
		dp_buf_adds(b, "<p class=\"alert\">Not checked: ");
		dp_esc_html_str(b, n->note);
		dp_buf_adds(b, "</p>\n");
	}
	findings_of(n, b);
	records_of(n, b);
	caa_of(n, b);
	auths_of(n, b);
	certificates_of(n, b);
	dp_buf_adds(b, "</section>\n");
	if (st == DP_OK && !dp_render_flushed(o, b))
		st = DP_EIO;
	if (st != DP_OK) {
		dp_timeline_free(timeline);
		timeline = NULL;
	}
	return st;
}

static void notes(const struct dp_report *r, struct dp_buf *b)
{
	if (dp_report_note_count(r) == 0)
		return;
	dp_buf_adds(b, "<section id=\"notes\">\n<h2>Not checked</h2>\n<ul>\n");
	for (size_t i = 0; i < dp_report_note_count(r); i++) {
		dp_buf_adds(b, "<li>");
		dp_esc_html_str(b, dp_report_note(r, i));
		dp_buf_adds(b, "</li>\n");
	}
	dp_buf_adds(b, "</ul>\n</section>\n");
}

static enum dp_status end(const struct dp_report *r, const struct dp_render_opts *o,
                          struct dp_buf *b)
{
	if (timeline == NULL)
		return DP_EINVAL;
	dp_buf_adds(b, "</section>\n");
	notes(r, b);
	dp_buf_adds(b, "<section id=\"timeline\">\n<h2>Expiry timeline</h2>\n<p>Each mark is an "
	               "authorization's persistUntil (for a name without one, a record's); a bar "
	               "stands for many. Hover a mark for its name, CA and account.</p>\n");
	dp_timeline_svg(timeline, b);
	dp_buf_adds(b, "</section>\n<footer><p>Made by dnspersist ");
	dp_esc_html_str(b, o->version);
	dp_buf_adds(b, ". Severities and fixes: docs/findings.md; this page needs no script and "
	               "fetches nothing.</p></footer>\n</body>\n</html>\n");
	dp_timeline_free(timeline);
	timeline = NULL;
	return dp_buf_status(b);
}

static bool all_details(const struct dp_render_opts *o)
{
	(void)o;
	return true;
}

const struct dp_renderer dp_render_html = {
    "html", DP_RENDER_SCAN | DP_RENDER_LINT, all_details, begin, one_name, end,
};
