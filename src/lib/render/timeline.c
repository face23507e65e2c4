/* SPDX-License-Identifier: BSD-3-Clause */
/* The expiry timeline: marks gathered per authorization, drawn as one inline SVG. */
#include "render/timeline.h"

#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/grow.h"
#include "base/strmap.h"
#include "base/timeutil.h"
#include "render/escape.h"

#define DAY (24 * 3600)

/* Geometry of the figure (SVG user units). */
#define W        960
#define H        230
#define AX0      100 /* x of the axis start (30 days ago) */
#define AX1      790 /* x of the axis end */
#define X_EARLY  50  /* lane: before the axis */
#define X_LATER  840 /* lane: after the axis */
#define X_OPEN   910 /* lane: no persistUntil */
#define BASE     180 /* y of the axis */
#define COL      6   /* marks closer than this share a column */
#define STEP     8   /* vertical distance of stacked marks */
#define STACK    12  /* more marks than this in a column make a bar */
#define BAND_TOP 40

enum band { B_PAST, B_CRIT, B_WARN, B_LATER, B_OPEN, N_BANDS };

static const char *const band_class[N_BANDS] = {"m-passed", "m-critical", "m-warning", "m-later",
                                                "m-open"};
static const char *const band_fill[N_BANDS] = {"#7f1d1d", "#dc2626", "#d97706", "#2563eb",
                                               "#6b7280"};
static const char *const band_text[N_BANDS] = {"passed", "within the critical horizon",
                                               "within the warning horizon", "later",
                                               "open-ended (no persistUntil)"};

struct mark {
	const char *name, *issuer, *account;
	int64_t until;
	bool has_until;
	int x; /* where it is drawn */
};

struct dp_timeline {
	int64_t now, warn, crit, start, end;
	struct mark *marks;
	size_t n, cap;
	struct dp_strmap *strings; /* interned issuers and accounts */
	struct dp_arena *arena;    /* their copies */
};

enum dp_status dp_timeline_new(int64_t now, int64_t warn_before, int64_t crit_before,
                               int64_t max_horizon, struct dp_timeline **out)
{
	struct dp_timeline *t = calloc(1, sizeof(*t));
	int64_t reach = max_horizon > 0 ? max_horizon : 400 * (int64_t)DAY;

	*out = NULL;
	if (t != NULL)
		t->arena = dp_arena_new();
	if (t == NULL || t->arena == NULL || dp_strmap_new(&t->strings) != DP_OK) {
		dp_timeline_free(t);
		return DP_ENOMEM;
	}
	t->now = now;
	t->warn = warn_before > 0 ? warn_before : 0;
	t->crit = crit_before > 0 && crit_before <= t->warn ? crit_before : t->warn;
	if (reach < 2 * t->warn)
		reach = 2 * t->warn;
	if (reach < 90 * (int64_t)DAY)
		reach = 90 * (int64_t)DAY;
	t->start = now - 30 * (int64_t)DAY;
	t->end = now + reach;
	*out = t;
	return DP_OK;
}

void dp_timeline_free(struct dp_timeline *t)
{
	if (t == NULL)
		return;
	free(t->marks);
	dp_strmap_free(t->strings);
	dp_arena_free(t->arena);
	free(t);
}

enum dp_status dp_timeline_add(struct dp_timeline *t, const char *name, const char *issuer,
                               const char *account, bool has_until, int64_t until)
{
	struct mark m = {name,
	                 dp_strmap_intern(t->strings, t->arena, issuer ? issuer : ""),
	                 dp_strmap_intern(t->strings, t->arena, account ? account : ""),
	                 until,
	                 has_until,
	                 0};

	if (m.issuer == NULL || m.account == NULL)
		return DP_ENOMEM;
	if (dp_grow(&t->marks, &t->cap, t->n, sizeof(*t->marks), 256) != DP_OK)
		return DP_ENOMEM;
	t->marks[t->n++] = m;
	return DP_OK;
}

size_t dp_timeline_count(const struct dp_timeline *t)
{
	return t->n;
}

static enum band band_of(const struct dp_timeline *t, const struct mark *m)
{
	if (!m->has_until)
		return B_OPEN;
	if (m->until < t->now)
		return B_PAST;
	if (m->until - t->now < t->crit)
		return B_CRIT;
	if (m->until - t->now < t->warn)
		return B_WARN;
	return B_LATER;
}

/* The x of a time on the axis (clamped to it). */
static int x_of(const struct dp_timeline *t, int64_t when)
{
	if (when <= t->start)
		return AX0;
	if (when >= t->end)
		return AX1;
	return AX0 + (int)((double)(when - t->start) / (double)(t->end - t->start) * (AX1 - AX0));
}

static int place(const struct dp_timeline *t, const struct mark *m)
{
	if (!m->has_until)
		return X_OPEN;
	if (m->until < t->start)
		return X_EARLY;
	if (m->until > t->end)
		return X_LATER;
	return x_of(t, m->until);
}

static int by_place(const void *a, const void *b)
{
	const struct mark *x = a, *y = b;

	if (x->x / COL != y->x / COL)
		return x->x / COL < y->x / COL ? -1 : 1;
	if (x->has_until != y->has_until)
		return x->has_until ? -1 : 1;
	if (x->until != y->until)
		return x->until < y->until ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void date(struct dp_buf *b, int64_t t)
{
	char s[DP_TIME_STR];

	dp_time_format(t, s);
	dp_buf_add(b, s, 10);
}

/* "7 days" or "36 hours": a horizon as the rules gave it. */
static void span(struct dp_buf *b, int64_t s)
{
	if (s % DAY == 0)
		dp_buf_addf(b, "%lld day%s", (long long)(s / DAY), s == DAY ? "" : "s");
	else
		dp_buf_addf(b, "%lld hours", (long long)(s / 3600));
}

static void mark_title(struct dp_buf *b, const struct mark *m)
{
	dp_buf_adds(b, "<title>");
	dp_esc_html_str(b, m->name);
	dp_buf_adds(b, ": ");
	dp_esc_html_str(b, m->issuer);
	dp_buf_adds(b, " account ");
	dp_esc_html_str(b, m->account);
	if (m->has_until) {
		dp_buf_adds(b, ", persistUntil ");
		date(b, m->until);
	} else {
		dp_buf_adds(b, ", no persistUntil");
	}
	dp_buf_adds(b, "</title>");
}

/* The worst band in [m, m+n): the colour of a bar. */
static enum band worst(const struct dp_timeline *t, const struct mark *m, size_t n)
{
	enum band w = B_OPEN;

	for (size_t i = 0; i < n; i++) {
		enum band b = band_of(t, &m[i]);
		if (b < w)
			w = b;
	}
	return w;
}

static void bar(const struct dp_timeline *t, const struct mark *m, size_t n, struct dp_buf *b)
{
	enum band w = worst(t, m, n);
	int h = STACK * STEP;

	dp_buf_addf(b,
	            "<g class=\"mark %s\" data-n=\"%zu\"><rect x=\"%d\" y=\"%d\" width=\"5\" "
	            "height=\"%d\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"9\" "
	            "text-anchor=\"middle\">%zu</text><title>%zu authorizations",
	            band_class[w], n, m->x - 2, BASE - h, h, band_fill[w], m->x, BASE - h - 3, n,
	            n);
	if (m[0].has_until) {
		dp_buf_adds(b, ", persistUntil ");
		date(b, m[0].until);
		dp_buf_adds(b, " to ");
		date(b, m[n - 1].until);
	}
	dp_buf_adds(b, ", among them ");
	for (size_t i = 0; i < n && i < 3; i++) {
		dp_buf_adds(b, i ? ", " : "");
		dp_esc_html_str(b, m[i].name);
	}
	dp_buf_adds(b, "</title></g>");
}

static void stack(const struct dp_timeline *t, const struct mark *m, size_t n, struct dp_buf *b)
{
	for (size_t i = 0; i < n; i++) {
		enum band w = band_of(t, &m[i]);
		dp_buf_addf(b,
		            "<circle class=\"mark %s\" data-n=\"1\" cx=\"%d\" cy=\"%d\" r=\"3\" "
		            "fill=\"%s\">",
		            band_class[w], m[i].x, BASE - 5 - (int)i * STEP, band_fill[w]);
		mark_title(b, &m[i]);
		dp_buf_adds(b, "</circle>");
	}
}

static void marks(struct dp_timeline *t, struct dp_buf *b)
{
	size_t i = 0, j;

	for (size_t k = 0; k < t->n; k++)
		t->marks[k].x = place(t, &t->marks[k]);
	if (t->n > 1) /* marks is NULL while there are none, and qsort must not get NULL */
		qsort(t->marks, t->n, sizeof(*t->marks), by_place);
	dp_buf_adds(b, "<g id=\"timeline-marks\">");
	while (i < t->n) {
		for (j = i + 1; j < t->n && t->marks[j].x / COL == t->marks[i].x / COL; j++)
			;
		if (j - i > STACK)
			bar(t, &t->marks[i], j - i, b);
		else
			stack(t, &t->marks[i], j - i, b);
		i = j;
	}
	dp_buf_adds(b, "</g>");
}

/* A vertical marker line with its label above. */
static void marker(struct dp_buf *b, const char *id, int x, const char *color, const char *dash,
                   int label_y, const char *anchor)
{
	dp_buf_addf(b,
	            "<line id=\"%s\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
	            "stroke-width=\"1.5\"%s%s%s/><text x=\"%d\" y=\"%d\" font-size=\"11\" "
	            "fill=\"%s\" text-anchor=\"%s\">",
	            id, x, label_y + 4, x, BASE + 6, color, dash ? " stroke-dasharray=\"" : "",
	            dash ? dash : "", dash ? "\"" : "", x, label_y, color, anchor);
}

static void horizons(const struct dp_timeline *t, struct dp_buf *b)
{
	int xn = x_of(t, t->now), xc = x_of(t, t->now + t->crit), xw = x_of(t, t->now + t->warn);

	dp_buf_addf(b,
	            "<rect class=\"band-critical\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
	            "fill=\"#fee2e2\"/><rect class=\"band-warning\" x=\"%d\" y=\"%d\" width=\"%d\" "
	            "height=\"%d\" fill=\"#fef3c7\"/>",
	            xn, BAND_TOP, xc - xn, BASE - BAND_TOP, xc, BAND_TOP, xw - xc, BASE - BAND_TOP);
	marker(b, "timeline-today", xn, "#111827", NULL, 16, "end");
	dp_buf_adds(b, "today ");
	date(b, t->now);
	dp_buf_adds(b, "</text>");
	marker(b, "timeline-critical", xc, "#b91c1c", "4 2", 28, "start");
	dp_buf_adds(b, "critical: ");
	span(b, t->crit);
	dp_buf_adds(b, "</text>");
	marker(b, "timeline-warning", xw, "#b45309", "4 2", 40, "start");
	dp_buf_adds(b, "warning: ");
	span(b, t->warn);
	dp_buf_adds(b, "</text>");
}

/* Year and month of t, from its ISO form. */
static void year_month(int64_t t, int *y, int *m)
{
	char s[DP_TIME_STR];

	dp_time_format(t, s);
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
}

static void ticks(const struct dp_timeline *t, struct dp_buf *b)
{
	int y, m, months = (int)((t->end - t->start) / (30 * DAY)) + 1;
	int every = (months + 7) / 8; /* at most about 8 labels */

	year_month(t->start, &y, &m);
	dp_buf_addf(b,
	            "<g id=\"timeline-axis\" font-size=\"10\" fill=\"#374151\"><line x1=\"%d\" "
	            "y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#374151\"/>",
	            AX0, BASE, AX1, BASE);
	for (int k = 1;; k++) {
		int mi = m - 1 + k, yy = y + mi / 12, mm = mi % 12 + 1;
		int64_t w = dp_time_from_civil(yy, mm, 1, 0, 0, 0);
		int x = x_of(t, w);
		if (w >= t->end)
			break;
		dp_buf_addf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#9ca3af\"/>",
		            x, BASE, x, BASE + 4);
		if (k % every == 0)
			dp_buf_addf(
			    b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%04d-%02d</text>", x,
			    BASE + 16, yy, mm);
	}
	dp_buf_addf(b,
	            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">earlier</text><text x=\"%d\" "
	            "y=\"%d\" text-anchor=\"middle\">later</text><text id=\"timeline-open-lane\" "
	            "x=\"%d\" y=\"%d\" text-anchor=\"middle\">no end</text></g>",
	            X_EARLY, BASE + 16, X_LATER, BASE + 16, X_OPEN, BASE + 16);
}

static void counts(const struct dp_timeline *t, struct dp_buf *b)
{
	size_t n[N_BANDS] = {0};

	for (size_t i = 0; i < t->n; i++)
		n[band_of(t, &t->marks[i])]++;
	dp_buf_addf(
	    b,
	    "<p id=\"timeline-counts\"><data id=\"timeline-total\" value=\"%zu\">%zu</data> "
	    "authorization%s:",
	    t->n, t->n, t->n == 1 ? "" : "s");
	for (int k = 0; k < N_BANDS; k++)
		dp_buf_addf(b, "%s <span class=\"legend %s\">%zu %s</span>", k ? "," : "",
		            band_class[k], n[k], band_text[k]);
	dp_buf_adds(b, ".</p>\n");
}

void dp_timeline_svg(struct dp_timeline *t, struct dp_buf *b)
{
	dp_buf_addf(b,
	            "<svg id=\"timeline-svg\" role=\"img\" aria-labelledby=\"timeline-svg-title\" "
	            "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
	            "font-family=\"sans-serif\"><title id=\"timeline-svg-title\">persistUntil of "
	            "%zu authorizations, ",
	            W, H, W, H, t->n);
	date(b, t->start);
	dp_buf_adds(b, " to ");
	date(b, t->end);
	dp_buf_adds(b, "</title>");
	horizons(t, b);
	ticks(t, b);
	dp_buf_addf(b,
	            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#d1d5db\" "
	            "stroke-dasharray=\"2 3\"/>",
	            (X_LATER + X_OPEN) / 2, BAND_TOP, (X_LATER + X_OPEN) / 2, BASE + 6);
	marks(t, b);
	dp_buf_adds(b, "</svg>\n");
	counts(t, b);
}
