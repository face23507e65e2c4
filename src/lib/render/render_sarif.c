/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SARIF 2.1.0 for code scanning (GitHub and others): one rule per finding
 * id, one result per finding at its repository-relative file and line, the
 * finding key as the partial fingerprint, so an alert follows what is wrong
 * and not the line it sits on. GitHub keeps at most 5,000 results a run:
 * the report is worst first, so the cut drops the least severe, and says
 * so in the document and through o->warn. With --baseline each result
 * says whether it is new or was there before (baselineState), and the new
 * come first, so the cut drops existing ones before any new one.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "base/jsonutil.h"
#include "render/render.h"
#include "render/render_ci.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define MAX_RESULTS  5000
#define FINGERPRINT  "dnspersistFindingKey/v1"

static json_t *text(const char *s)
{
	return json_pack("{s:s}", "text", s);
}

/* "record-malformed" as "RecordMalformed", the rule's friendly name. */
static json_t *pascal(const char *id)
{
	struct dp_buf b = {0};
	json_t *j;
	bool up = true;

	for (const char *p = id; *p; p++) {
		if (*p == '-')
			up = true;
		else
			dp_buf_addc(&b, up ? (char)toupper((unsigned char)*p) : *p);
		up = up && *p == '-';
	}
	j = json_string(b.data ? b.data : "");
	dp_buf_free(&b);
	return j;
}

static json_t *help(const struct dp_ci_doc *d)
{
	struct dp_buf t = {0}, md = {0};
	json_t *j;

	dp_ci_plain(&t, d->description);
	dp_buf_adds(&md, d->description);
	if (d->fix != NULL) {
		dp_buf_adds(&t, "\n\nFix: ");
		dp_ci_plain(&t, d->fix);
		dp_buf_addf(&md, "\n\n**Fix:** %s", d->fix);
	}
	j = json_pack("{s:s,s:s}", "text", t.data ? t.data : "", "markdown",
	              md.data ? md.data : "");
	dp_buf_free(&t);
	dp_buf_free(&md);
	return j;
}

static json_t *rule(enum dp_finding_id id)
{
	const struct dp_finding_info *fi = dp_finding_info(id);
	struct dp_ci_doc d;
	struct dp_buf full = {0}, uri = {0};
	json_t *o;

	dp_ci_doc(id, &d);
	dp_ci_plain(&full, d.description);
	dp_buf_addf(&uri, "%s#%s", DP_DOCS_URL, fi->id);
	o = json_pack("{s:s,s:o,s:o,s:o,s:o,s:s,s:{s:s},s:{s:s,s:[s,s],s:s}}", "id", fi->id, "name",
	              pascal(fi->id), "shortDescription", text(fi->summary), "fullDescription",
	              text(full.data ? full.data : ""), "help", help(&d), "helpUri",
	              uri.data ? uri.data : "", "defaultConfiguration", "level",
	              dp_ci_sarif_level(fi->severity), "properties", "security-severity",
	              dp_ci_security_severity(fi->severity), "tags", "security", "dns", "precision",
	              "very-high");
	dp_buf_free(&full);
	dp_buf_free(&uri);
	return o;
}

static json_t *driver(const struct dp_render_opts *o)
{
	json_t *rules = json_array();

	for (int id = 0; id < DP_F_COUNT; id++)
		json_array_append_new(rules, rule((enum dp_finding_id)id));
	return json_pack("{s:s,s:s,s:s,s:o}", "name", "dnspersist", "version",
	                 o->version ? o->version : "", "informationUri", DP_DOCS_URL, "rules",
	                 rules);
}

/* {"%SRCROOT%": {"uri": "file:///the/current/directory/"}}: what relative URIs hang from. */
static json_t *uri_bases(void)
{
	char *cwd = getcwd(NULL, 0);
	struct dp_buf b = {0};
	json_t *j;

	if (cwd == NULL || cwd[0] != '/')
		j = json_object();
	else {
		dp_buf_adds(&b, "file://");
		dp_ci_uri(&b, cwd);
		if (b.data[b.len - 1] != '/')
			dp_buf_addc(&b, '/');
		j = json_pack("{s:{s:s}}", "%SRCROOT%", "uri", b.data);
	}
	free(cwd);
	dp_buf_free(&b);
	return j;
}

/*
 * The run's category, "dnspersist/COMMAND/" ("scan-live" for live scans):
 * code scanning replaces a category's alerts with each upload, so lint,
 * scan and diff results must not replace one another's.
 */
static void category(const struct dp_report *r, const struct dp_render_opts *o, struct dp_buf *b)
{
	dp_buf_addf(b, "dnspersist/%s%s/", o->command ? o->command : "scan",
	            strcmp(dp_report_mode(r), "live") == 0 ? "-live" : "");
}

/* Everything up to the results array, left open. */
static enum dp_status begin(const struct dp_report *r, const struct dp_render_opts *o,
                            struct dp_buf *out)
{
	struct dp_buf id = {0};
	json_t *run;
	size_t start;

	category(r, o, &id);
	run = json_pack("{s:{s:o},s:{s:s},s:o,s:s}", "tool", "driver", driver(o),
	                "automationDetails", "id", id.data ? id.data : "", "originalUriBaseIds",
	                uri_bases(), "columnKind", "unicodeCodePoints");
	dp_buf_free(&id);

	dp_buf_adds(out, "{\"$schema\":\"" SARIF_SCHEMA "\",\"version\":\"2.1.0\",\"runs\":[");
	start = out->len;
	if (!dp_json_put(run, out) || out->len == start)
		return DP_ENOMEM;
	out->len--; /* reopen the run object */
	dp_buf_adds(out, ",\"results\":[\n");
	return dp_buf_status(out);
}

static bool no_details(const struct dp_render_opts *o)
{
	(void)o;
	return false;
}

static enum dp_status each(const struct dp_report *r, const struct dp_render_opts *o, size_t i,
                           const struct dp_report_name *n, struct dp_buf *out)
{
	(void)r, (void)o, (void)i, (void)n, (void)out;
	return DP_OK;
}

/*
 * The file and line (for a live answer, the inventory's first line), and
 * the DNS name as a logical location: GitHub wants a location on every
 * result, and a lint of files always has one.
 */
static json_t *location(const struct dp_finding *f, const struct dp_ci_where *w)
{
	json_t *loc = json_object();

	if (w->path != NULL) {
		struct dp_buf uri = {0};
		dp_ci_uri(&uri, w->path);
		json_object_set_new(loc, "physicalLocation",
		                    json_pack("{s:{s:s,s:s},s:{s:I,s:i}}", "artifactLocation",
		                              "uri", uri.data, "uriBaseId", "%SRCROOT%", "region",
		                              "startLine", (json_int_t)w->line, "startColumn", 1));
		dp_buf_free(&uri);
	}
	if (f->name != NULL && f->name[0] != '\0')
		json_object_set_new(loc, "logicalLocations",
		                    json_pack("[{s:o,s:s}]", "fullyQualifiedName",
		                              dp_json_cstr(f->name), "kind", "resource"));
	return loc;
}

static json_t *result(const struct dp_report *r, const struct dp_render_opts *ro, size_t i)
{
	const struct dp_finding *f = dp_report_finding(r, i);
	char key[DP_FINDING_KEY_LEN + 1];
	struct dp_ci_where w;
	json_t *o;

	dp_report_finding_key(r, i, key);
	dp_ci_where_or_inventory(f, ro, &w);
	o = json_pack("{s:s,s:i,s:s,s:{s:o},s:[o],s:{s:s},s:{s:s,s:o}}", "ruleId", dp_ci_id(f),
	              "ruleIndex", (int)f->id, "level", dp_ci_sarif_level(f->severity), "message",
	              "text", dp_json_cstr(f->message), "locations", location(f, &w),
	              "partialFingerprints", FINGERPRINT, key, "properties", "severity",
	              dp_severity_name(f->severity), "name", dp_json_cstr(f->name));
	if (dp_ci_has_baseline(r,
	                       ro)) /* SARIF 2.1.0 3.27.24; no "absent" results for resolved ones */
		json_object_set_new(o, "baselineState",
		                    json_string(dp_ci_existing(r, ro, i) ? "unchanged" : "new"));
	free(w.path);
	return o;
}

/* What the run says about itself: always successful; the cut, when there was one. */
static json_t *invocation(size_t total)
{
	json_t *inv = json_pack("{s:b}", "executionSuccessful", 1);
	char msg[160];

	if (total > MAX_RESULTS) {
		snprintf(msg, sizeof(msg),
		         "%zu findings; only the %d most severe are in this run (GitHub's limit)",
		         total, MAX_RESULTS);
		json_object_set_new(
		    inv, "toolExecutionNotifications",
		    json_pack("[{s:{s:s},s:s}]", "message", "text", msg, "level", "warning"));
	}
	return inv;
}

/*
 * The results, worst first; with a baseline the new ones before the
 * existing, so GitHub's cut never drops a new finding for an old one.
 * pass 0: the new (all, without a baseline), pass 1: the existing.
 */
static enum dp_status results(const struct dp_report *r, const struct dp_render_opts *o, size_t n,
                              struct dp_buf *out)
{
	size_t total = dp_report_finding_count(r), written = 0;
	int passes = dp_ci_has_baseline(r, o) ? 2 : 1;

	for (int pass = 0; pass < passes; pass++)
		for (size_t i = 0; i < total && written < n; i++) {
			if (passes == 2 && dp_ci_existing(r, o, i) != (pass == 1))
				continue;
			if (!dp_json_put(result(r, o, i), out))
				return DP_ENOMEM;
			dp_buf_adds(out, ++written < n ? ",\n" : "\n");
			if (!dp_render_flushed(o, out))
				return DP_EIO;
		}
	return DP_OK;
}

static enum dp_status end(const struct dp_report *r, const struct dp_render_opts *o,
                          struct dp_buf *out)
{
	size_t total = dp_report_finding_count(r), n = total < MAX_RESULTS ? total : MAX_RESULTS;
	enum dp_status st = results(r, o, n, out);

	if (st != DP_OK)
		return st;
	dp_buf_adds(out, "],\"invocations\":[");
	if (!dp_json_put(invocation(total), out))
		return DP_ENOMEM;
	dp_buf_adds(out, "]}]}\n");
	if (total > MAX_RESULTS && o->warn != NULL) {
		char msg[160];
		snprintf(msg, sizeof(msg),
		         "sarif: %zu findings, %zu more than GitHub keeps: only the %d most severe "
		         "were written",
		         total, total - MAX_RESULTS, MAX_RESULTS);
		o->warn(msg);
	}
	return dp_buf_status(out);
}

const struct dp_renderer dp_render_sarif = {
    "sarif", DP_RENDER_SCAN | DP_RENDER_LINT, no_details, begin, each, end,
};
