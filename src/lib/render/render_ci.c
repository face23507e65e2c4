/* SPDX-License-Identifier: BSD-3-Clause */
/* Locations, severity words, catalogue prose and escaping for the CI formats. */
#include "render/render_ci.h"

#include "model/finding_fix.h"
#include "report/changes.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

const char *dp_ci_id(const struct dp_finding *f)
{
	return dp_finding_info(f->id)->id;
}

void dp_ci_doc(enum dp_finding_id id, struct dp_ci_doc *d)
{
	*d = (struct dp_ci_doc){dp_finding_info(id)->summary, NULL};
	if (!dp_finding_doc(id, &d->description, &d->fix))
		d->description = dp_finding_info(id)->summary;
}

/* Skip "[text](link)" to text, or return NULL when md is no link. */
static const char *link_text_end(const char *md)
{
	const char *close = strchr(md, ']');

	if (md[0] != '[' || close == NULL || close[1] != '(' || strchr(close, ')') == NULL)
		return NULL;
	return close;
}

void dp_ci_plain(struct dp_buf *out, const char *md)
{
	for (const char *p = md; *p != '\0'; p++) {
		const char *close = link_text_end(p);
		if (close != NULL) {
			dp_buf_add(out, p + 1, (size_t)(close - p - 1));
			p = strchr(close, ')');
		} else if (*p == '`') {
			continue;
		} else if (p[0] == '*' && p[1] == '*') {
			p++;
		} else {
			dp_buf_addc(out, *p);
		}
	}
}

void dp_ci_text(struct dp_buf *out, const char *s)
{
	if (s != NULL)
		dp_buf_add_escaped(out, s, strlen(s));
}

void dp_ci_uri(struct dp_buf *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p) != NULL)
			dp_buf_addc(out, (char)*p);
		else
			dp_buf_addf(out, "%%%02X", *p);
	}
}

/* A relative path without "." segments, or NULL when it has ".." (or is empty). */
static char *lexical(const char *p)
{
	struct dp_buf b = {0};

	while (*p != '\0') {
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			dp_buf_free(&b);
			return NULL;
		}
		if (n > 0 && !(n == 1 && p[0] == '.')) {
			if (b.len > 0)
				dp_buf_addc(&b, '/');
			dp_buf_add(&b, p, n);
		}
		p += n + (p[n] == '/');
	}
	if (b.len == 0 || dp_buf_status(&b) != DP_OK) {
		dp_buf_free(&b);
		return NULL;
	}
	return dp_buf_steal(&b);
}

/* file, resolved, below base (resolved): the rest, or NULL. */
static char *below(const char *file, const char *base)
{
	char f[PATH_MAX], b[PATH_MAX];
	size_t n;

	if (realpath(file, f) == NULL || realpath(base ? base : ".", b) == NULL)
		return NULL;
	n = strlen(b);
	if (n == 1) /* base is "/" */
		n = 0;
	if (strncmp(f, b, n) != 0 || f[n] != '/')
		return NULL;
	return lexical(f + n + 1);
}

void dp_ci_where(const struct dp_finding *f, const char *base, struct dp_ci_where *w)
{
	*w = (struct dp_ci_where){NULL, f->line};
	if (f->file == NULL || f->line == 0) /* no file, or a live answer's server */
		return;
	if (base == NULL && f->file[0] != '/')
		w->path = lexical(f->file);
	if (w->path == NULL)
		w->path = below(f->file, base);
}

void dp_ci_where_or_inventory(const struct dp_finding *f, const struct dp_render_opts *o,
                              struct dp_ci_where *w)
{
	dp_ci_where(f, NULL, w);
	if (w->path == NULL && o->inventory != NULL) {
		struct dp_finding inv = {.file = o->inventory, .line = 1};
		dp_ci_where(&inv, NULL, w);
	}
}

const char *dp_ci_sarif_level(enum dp_severity s)
{
	return s == DP_SEV_CRITICAL ? "error" : s == DP_SEV_WARNING ? "warning" : "note";
}

/* GitHub's bands: critical above 9.0, high 7.0 to 8.9, medium 4.0 to 6.9, low below. */
const char *dp_ci_security_severity(enum dp_severity s)
{
	return s == DP_SEV_CRITICAL ? "9.5" : s == DP_SEV_WARNING ? "5.5" : "2.0";
}

const char *dp_ci_codequality_severity(enum dp_severity s)
{
	return s == DP_SEV_CRITICAL ? "critical" : s == DP_SEV_WARNING ? "major" : "minor";
}

bool dp_ci_has_baseline(const struct dp_report *r, const struct dp_render_opts *o)
{
	return o->existing != NULL || dp_report_changes(r) != NULL;
}

bool dp_ci_existing(const struct dp_report *r, const struct dp_render_opts *o, size_t i)
{
	const struct dp_changes *c = dp_report_changes(r);

	if (o->existing != NULL)
		return o->existing(r, i, o->existing_ctx);
	return c != NULL && dp_changes_existing(c, i);
}

const char *dp_ci_existing_label(const struct dp_render_opts *o)
{
	return o->existing_label != NULL ? o->existing_label : "in the baseline";
}
