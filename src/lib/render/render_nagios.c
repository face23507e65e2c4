/* SPDX-License-Identifier: BSD-3-Clause */
/* The Nagios/Icinga plugin renderer: one state, one short line, perfdata, long output. */
#include "render/render_nagios.h"

#include <inttypes.h>
#include <string.h>

#include "model/finding.h"
#include "render/render.h"

#define DAY         86400
#define LINE_MAX_B  300 /* one long-output line */
#define HEAD_MAX_B  56  /* the first line's message: with the prefix, under 80 */
#define DEFAULT_MAX 20

const char *dp_nagios_state_name(enum dp_nagios_state s)
{
	static const char *const names[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};
	return (unsigned)s < 4 ? names[s] : "UNKNOWN";
}

void dp_nagios_clean(struct dp_buf *b, const char *s, size_t max)
{
	size_t n = 0;

	for (; s != NULL && *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if (n == max) {
			dp_buf_adds(b, "...");
			return;
		}
		dp_buf_addc(b, c == '|' ? '/' : (c < 0x20 || c == 0x7f) ? ' ' : (char)c);
		n++;
	}
}

/* The state a finding stands for; persistUntil nearing is the thresholds' to judge. */
static enum dp_nagios_state finding_state(const struct dp_finding *f)
{
	if (f->id == DP_F_PERSIST_UNTIL_EXPIRING)
		return DP_NAGIOS_OK;
	if (f->id == DP_F_DNS_ERROR)
		return DP_NAGIOS_UNKNOWN;
	return f->severity == DP_SEV_CRITICAL  ? DP_NAGIOS_CRITICAL
	       : f->severity == DP_SEV_WARNING ? DP_NAGIOS_WARNING
	                                       : DP_NAGIOS_OK;
}

/*
 * The earliest persistUntil of the records a CA could use or that just
 * lapsed: each name's earliest is noted in the audit's first pass.
 */
static void earliest(const struct dp_report *r, struct dp_nagios_verdict *v)
{
	for (size_t i = 0; i < dp_report_name_count(r); i++) {
		const struct dp_report_name *n = dp_report_name_at(r, i);
		int64_t left = n->earliest - dp_report_now(r);
		/* whole days, rounded down: a day and a half left is 1, half a day late -1 */
		int64_t d = left >= 0 ? left / DAY : -((-left + DAY - 1) / DAY);
		if (!n->has_earliest)
			continue;
		if (!v->have_days || d < v->days) {
			v->have_days = true;
			v->days = d;
			v->days_name = n->name;
		}
	}
}

static enum dp_nagios_state max_state(enum dp_nagios_state a, enum dp_nagios_state b)
{
	return a > b ? a : b;
}

void dp_nagios_decide(const struct dp_report *r, const struct dp_nagios_opts *o,
                      struct dp_nagios_verdict *v)
{
	memset(v, 0, sizeof(*v));
	earliest(r, v);
	if (v->have_days)
		v->days_state = dp_range_alert(&o->crit, (double)v->days)   ? DP_NAGIOS_CRITICAL
		                : dp_range_alert(&o->warn, (double)v->days) ? DP_NAGIOS_WARNING
		                                                            : DP_NAGIOS_OK;
	v->state = v->days_state;
	for (size_t i = 0; i < dp_report_finding_count(r); i++)
		v->state = max_state(v->state, finding_state(dp_report_finding(r, i)));
	if (dp_report_level(r) == DP_LEVEL_UNKNOWN)
		v->state = DP_NAGIOS_UNKNOWN;
}

/* ---- output ------------------------------------------------------------------------ */

/* The finding the first line names: the first (worst) one of the decided state. */
static const struct dp_finding *headline_finding(const struct dp_report *r, enum dp_nagios_state s,
                                                 size_t *same)
{
	const struct dp_finding *first = NULL;

	*same = 0;
	for (size_t i = 0; i < dp_report_finding_count(r); i++) {
		const struct dp_finding *f = dp_report_finding(r, i);
		if (finding_state(f) != s)
			continue;
		if (first == NULL)
			first = f;
		(*same)++;
	}
	return first;
}

static void headline(const struct dp_report *r, const struct dp_nagios_verdict *v, struct dp_buf *b)
{
	size_t same;
	const struct dp_finding *f = headline_finding(r, v->state, &same);
	struct dp_buf msg = {0};

	if (f != NULL && v->state != DP_NAGIOS_OK) {
		dp_buf_addf(&msg, "%s at %s", dp_finding_info(f->id)->id, f->name);
		if (same > 1)
			dp_buf_addf(&msg, " (+%zu more)", same - 1);
	} else if (v->state == DP_NAGIOS_UNKNOWN) {
		dp_buf_adds(&msg, dp_report_unknown_reason(r) ? dp_report_unknown_reason(r)
		                                              : "not evaluated");
	} else if (v->have_days && v->days_state == v->state && v->state != DP_NAGIOS_OK) {
		dp_buf_addf(&msg, "persistUntil at %s %s %" PRId64 " days", v->days_name,
		            v->days < 0 ? "passed" : "in", v->days < 0 ? -v->days : v->days);
	} else {
		dp_buf_addf(&msg, "%zu name%s, %zu record%s", dp_report_name_count(r),
		            dp_report_name_count(r) == 1 ? "" : "s", dp_report_record_count(r),
		            dp_report_record_count(r) == 1 ? "" : "s");
		if (v->have_days)
			dp_buf_addf(&msg, ", earliest persistUntil in %" PRId64 " days", v->days);
	}
	dp_buf_addf(b, "DNSPERSIST %s - ", dp_nagios_state_name(v->state));
	dp_nagios_clean(b, msg.data, HEAD_MAX_B);
	dp_buf_free(&msg);
}

/* Certificates CT shows that the inventory does not expect (issuer, name or wildcard). */
static size_t ct_unexpected(const struct dp_report *r)
{
	size_t n = 0;

	for (size_t i = 0; i < dp_report_finding_count(r); i++) {
		enum dp_finding_id id = dp_report_finding(r, i)->id;
		n += id == DP_F_CT_ISSUER_UNEXPECTED || id == DP_F_CT_NAME_UNEXPECTED ||
		     id == DP_F_CT_WILDCARD_UNEXPECTED;
	}
	return n;
}

static void perfdata(const struct dp_report *r, const struct dp_nagios_opts *o,
                     const struct dp_nagios_verdict *v, struct dp_buf *b)
{
	dp_buf_addf(b, " | records=%zu;;;0 findings_critical=%zu;;;0 findings_warning=%zu;;;0",
	            dp_report_record_count(r), dp_report_count(r, DP_SEV_CRITICAL),
	            dp_report_count(r, DP_SEV_WARNING));
	if (v->have_days)
		dp_buf_addf(b, " persist_days_min=%" PRId64 ";%s;%s;;", v->days, o->warn.text,
		            o->crit.text);
	else
		dp_buf_addf(b, " persist_days_min=U;%s;%s;;", o->warn.text, o->crit.text);
	if (dp_report_ct_source(r) != NULL)
		dp_buf_addf(b, " ct_certs=%ld;;;0 ct_unexpected=%zu;;;0", dp_report_ct_certs(r),
		            ct_unexpected(r));
	dp_buf_addf(b, " time=%.3fs;;;0\n", o->elapsed);
}

static void finding_line(const struct dp_finding *f, struct dp_buf *b)
{
	struct dp_buf line = {0};

	dp_buf_addf(&line, "%s: %s at %s: ",
	            dp_nagios_state_name(f->id == DP_F_PERSIST_UNTIL_EXPIRING ? DP_NAGIOS_WARNING
	                                                                      : finding_state(f)),
	            dp_finding_info(f->id)->id, f->name);
	dp_buf_add_escaped(&line, f->message, strlen(f->message));
	dp_nagios_clean(b, line.data, LINE_MAX_B);
	dp_buf_addc(b, '\n');
	dp_buf_free(&line);
}

static bool verbose(const struct dp_render_opts *o)
{
	return o->nagios->verbose > 0;
}

/* With -v, each name's records; with -vv, its authorizations too. */
static enum dp_status name_lines(const struct dp_report *r, const struct dp_render_opts *o,
                                 size_t i, const struct dp_report_name *n, struct dp_buf *b)
{
	(void)r;
	(void)i;
	for (const struct dp_report_record *rec = n->records; rec; rec = rec->next) {
		struct dp_buf line = {0};
		dp_buf_addf(&line, "record %s: ", rec->owner);
		dp_buf_add_escaped(&line, rec->rdata, rec->len);
		dp_buf_addf(&line, " (%s)", dp_verdict_name(rec->verdict));
		dp_nagios_clean(b, line.data, LINE_MAX_B);
		dp_buf_addc(b, '\n');
		dp_buf_free(&line);
	}
	for (const struct dp_report_auth *a = n->auths; o->nagios->verbose > 1 && a; a = a->next) {
		struct dp_buf line = {0};
		dp_buf_addf(&line, "authorized at %s: %s account ", n->name, a->issuer);
		dp_buf_add_escaped(&line, a->accounturi, strlen(a->accounturi));
		if (a->covers & DP_COVERS_WILDCARD)
			dp_buf_adds(&line, " with wildcard");
		dp_nagios_clean(b, line.data, LINE_MAX_B);
		dp_buf_addc(b, '\n');
		dp_buf_free(&line);
	}
	return dp_buf_status(b);
}

static void days_line(const struct dp_nagios_opts *o, const struct dp_nagios_verdict *v,
                      struct dp_buf *out)
{
	struct dp_buf line = {0};

	dp_buf_addf(&line, "%s: earliest persistUntil at %s %s %" PRId64 " days (-w %s, -c %s)",
	            dp_nagios_state_name(v->days_state), v->days_name,
	            v->days < 0 ? "passed" : "in", v->days < 0 ? -v->days : v->days, o->warn.text,
	            o->crit.text);
	dp_nagios_clean(out, line.data, LINE_MAX_B);
	dp_buf_addc(out, '\n');
	dp_buf_free(&line);
}

/* The first line with perfdata, then a line per finding: all from the first pass. */
static enum dp_status begin(const struct dp_report *r, const struct dp_render_opts *ro,
                            struct dp_buf *out)
{
	const struct dp_nagios_opts *o = ro->nagios;
	const struct dp_nagios_verdict *v = ro->verdict;
	size_t max = o->max_lines ? o->max_lines : DEFAULT_MAX, n = dp_report_finding_count(r);

	headline(r, v, out);
	perfdata(r, o, v, out);
	for (size_t i = 0; i < n && i < max; i++)
		finding_line(dp_report_finding(r, i), out);
	if (n > max)
		dp_buf_addf(out, "... and %zu more\n", n - max);
	if (v->have_days && v->days_state != DP_NAGIOS_OK)
		days_line(o, v, out);
	for (size_t i = 0; i < dp_report_note_count(r); i++) {
		struct dp_buf line = {0};
		dp_buf_adds(&line, "UNKNOWN: not checked: ");
		dp_buf_add_escaped(&line, dp_report_note(r, i), strlen(dp_report_note(r, i)));
		dp_nagios_clean(out, line.data, LINE_MAX_B);
		dp_buf_addc(out, '\n');
		dp_buf_free(&line);
	}
	return dp_buf_status(out);
}

static enum dp_status end(const struct dp_report *r, const struct dp_render_opts *o,
                          struct dp_buf *out)
{
	(void)r;
	(void)o;
	return dp_buf_status(out);
}

const struct dp_renderer dp_render_nagios = {
    "nagios", DP_RENDER_PLUGIN, verbose, begin, name_lines, end,
};
