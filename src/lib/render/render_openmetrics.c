/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Metrics in the OpenMetrics text format, for the Prometheus node_exporter
 * textfile collector: the run, its findings by severity and id, names,
 * records, and each authorization's persistUntil as a timestamp, so that
 * alerts can compute the days left. Only gauges, so that the older
 * Prometheus text parser (the textfile collector's) reads it too.
 */
#include <string.h>

#include "render/escape.h"
#include "render/render.h"

#define PREFIX "dnspersist_"
#define UNTIL  PREFIX "authorization_persist_until_timestamp_seconds"

static void family(struct dp_buf *b, const char *name, const char *unit, const char *help)
{
	dp_buf_addf(b, "# TYPE " PREFIX "%s gauge\n", name);
	if (unit != NULL)
		dp_buf_addf(b, "# UNIT " PREFIX "%s %s\n", name, unit);
	dp_buf_addf(b, "# HELP " PREFIX "%s %s\n", name, help);
}

static void run_families(const struct dp_report *r, const struct dp_render_opts *o,
                         struct dp_buf *b)
{
	family(b, "build_info", NULL, "The dnspersist version that wrote these metrics.");
	dp_buf_adds(b, PREFIX "build_info{version=\"");
	dp_esc_label(b, o->version);
	dp_buf_adds(b, "\"} 1\n");
	family(b, "last_run_success", NULL,
	       "1 when the run evaluated everything it was asked to, 0 when lookups failed.");
	dp_buf_addf(b, PREFIX "last_run_success %d\n",
	            dp_report_level(r) == DP_LEVEL_UNKNOWN ? 0 : 1);
	family(b, "last_run_timestamp_seconds", "seconds", "When the run audited (its clock).");
	dp_buf_addf(b, PREFIX "last_run_timestamp_seconds %lld\n", (long long)dp_report_now(r));
	if (o->duration > 0) {
		family(b, "last_run_duration_seconds", "seconds",
		       "Seconds the run took, reading the sources and auditing.");
		dp_buf_addf(b, PREFIX "last_run_duration_seconds %.3f\n", o->duration);
	}
	family(b, "status", NULL, "1 for the run's overall status, 0 for the others.");
	for (int l = DP_LEVEL_OK; l <= DP_LEVEL_UNKNOWN; l++)
		dp_buf_addf(b, PREFIX "status{status=\"%s\"} %d\n", dp_level_name((enum dp_level)l),
		            dp_report_level(r) == (enum dp_level)l);
}

static void finding_family(const struct dp_report *r, struct dp_buf *b)
{
	size_t n[DP_F_COUNT][DP_SEV_CRITICAL + 1] = {{0}};

	for (size_t i = 0; i < dp_report_finding_count(r); i++) {
		const struct dp_finding *f = dp_report_finding(r, i);
		if ((unsigned)f->id < DP_F_COUNT && f->severity <= DP_SEV_CRITICAL)
			n[f->id][f->severity]++;
	}
	/* every id and severity, zeros included: series do not come and go */
	family(b, "findings", NULL, "Findings of the run by finding id and severity.");
	for (int id = 0; id < DP_F_COUNT; id++)
		for (int s = DP_SEV_CRITICAL; s >= DP_SEV_NOTICE; s--)
			dp_buf_addf(b, PREFIX "findings{id=\"%s\",severity=\"%s\"} %zu\n",
			            dp_finding_info((enum dp_finding_id)id)->id,
			            dp_severity_name((enum dp_severity)s), n[id][s]);
}

static void name_families(const struct dp_report *r, struct dp_buf *b)
{
	size_t n[DP_SEV_CRITICAL + 1] = {0};

	for (size_t i = 0; i < dp_report_name_count(r); i++) {
		enum dp_severity w = dp_report_name_at(r, i)->worst;
		n[w <= DP_SEV_CRITICAL ? w : DP_SEV_CRITICAL]++;
	}
	family(b, "names", NULL, "Names audited, by their worst finding (ok: none).");
	dp_buf_addf(b, PREFIX "names{status=\"ok\"} %zu\n", n[DP_SEV_OFF]);
	for (int s = DP_SEV_NOTICE; s <= DP_SEV_CRITICAL; s++)
		dp_buf_addf(b, PREFIX "names{status=\"%s\"} %zu\n",
		            dp_severity_name((enum dp_severity)s), n[s]);
	family(b, "records", NULL, "_validation-persist records seen.");
	dp_buf_addf(b, PREFIX "records %zu\n", dp_report_record_count(r));
}

static enum dp_status begin(const struct dp_report *r, const struct dp_render_opts *o,
                            struct dp_buf *b)
{
	run_families(r, o, b);
	finding_family(r, b);
	name_families(r, b);
	family(b, "authorization_persist_until_timestamp_seconds", "seconds",
	       "When an authorization's persistUntil ends it, per name, CA and account "
	       "(+Inf: open-ended).");
	return dp_buf_status(b);
}

static const char *account_of(const struct dp_report_auth *a)
{
	return a->account_id ? a->account_id : a->accounturi;
}

static bool same_series(const struct dp_report_auth *a, const struct dp_report_auth *x)
{
	return strcmp(a->issuer, x->issuer) == 0 && strcmp(account_of(a), account_of(x)) == 0;
}

/*
 * One sample per name, CA and account (a series may appear once): the
 * latest persistUntil among the authorizations it has, since the account
 * can validate until the last of them ends; open-ended beats any date.
 */
static void until_sample(const struct dp_report_name *n, const struct dp_report_auth *a,
                         struct dp_buf *b)
{
	bool open = !a->has_until;
	int64_t until = a->until;

	for (const struct dp_report_auth *x = n->auths; x != NULL; x = x->next) {
		if (x == a || !same_series(a, x))
			continue;
		open = open || !x->has_until;
		if (x->has_until && x->until > until)
			until = x->until;
	}
	dp_buf_adds(b, UNTIL "{name=\"");
	dp_esc_label(b, n->name);
	dp_buf_adds(b, "\",issuer=\"");
	dp_esc_label(b, a->issuer);
	dp_buf_adds(b, "\",account=\"");
	dp_esc_label(b, account_of(a));
	if (open)
		dp_buf_adds(b, "\"} +Inf\n");
	else
		dp_buf_addf(b, "\"} %lld\n", (long long)until);
}

/* Whether an earlier authorization of n already gave a's series. */
static bool seen_before(const struct dp_report_name *n, const struct dp_report_auth *a)
{
	for (const struct dp_report_auth *x = n->auths; x != a; x = x->next)
		if (same_series(a, x))
			return true;
	return false;
}

static enum dp_status one_name(const struct dp_report *r, const struct dp_render_opts *o, size_t i,
                               const struct dp_report_name *n, struct dp_buf *b)
{
	(void)r;
	(void)i;
	for (const struct dp_report_auth *a = n->auths; a != NULL; a = a->next)
		if (!seen_before(n, a))
			until_sample(n, a, b);
	return dp_render_flushed(o, b) ? DP_OK : DP_EIO;
}

static enum dp_status end(const struct dp_report *r, const struct dp_render_opts *o,
                          struct dp_buf *b)
{
	(void)r;
	(void)o;
	dp_buf_adds(b, "# EOF\n");
	return dp_buf_status(b);
}

static bool all_details(const struct dp_render_opts *o)
{
	(void)o;
	return true;
}

const struct dp_renderer dp_render_openmetrics = {
    "openmetrics", DP_RENDER_SCAN | DP_RENDER_LINT, all_details, begin, one_name, end,
};
