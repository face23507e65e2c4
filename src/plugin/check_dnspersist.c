/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check_dnspersist: the Nagios/Icinga plugin (shared/design/NAGIOS.md). It
 * parses, runs the same audit as dnspersist scan, and exits once with the
 * state decided from the report; a timer ends it in the timeout state.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "config.h"

#include "run.h"
#include "base/buf.h"
#include "cli/cli.h"
#include "base/msg.h"
#include "base/name.h"
#include "base/num.h"
#include "render/render_nagios.h"
#include "dns/resolve.h"
#include "model/rules.h"
#include "base/timeutil.h"

static const char usage_head[] =
    "Usage: check_dnspersist -H NAME --inventory F [OPTION]...\n"
    "       check_dnspersist --inventory F [OPTION]...\n"
    "       check_dnspersist -H NAME --issuer D --account-uri U [--wildcard] [OPTION]...\n"
    "Check the DNS-PERSIST-01 authorizations (_validation-persist TXT and CAA) of NAME,\n"
    "or of every name of the inventory, as a Nagios/Icinga plugin.\n"
    "\n";

static const char usage_tail[] =
    "\n"
    "Exit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (lookups failed, bad usage).\n";

struct plugin_args {
	const char *host, *inventory, *issuer, *account, *rules, *warn, *crit, *timeout;
	const char *timeout_state, *now;
	bool wildcard, dnssec, help, version;
	int verbose;
	struct dp_strv zones;
	struct dp_live_args live;
	struct dp_ct_args ct;
};

#define A struct plugin_args

static const struct dp_opt plugin_options[] = {
    DP_OPT("hostname", 'H', STR, A, host, "NAME",
           "the name to check (default: every inventory name)"),
    DP_OPT("inventory", 'I', STR, A, inventory, "F",
           "the expected authorizations (docs/inventory.md)"),
    DP_OPT("issuer", 0, STR, A, issuer, "D",
           "without an inventory: the CA's issuer-domain-name ..."),
    DP_OPT("account-uri", 0, STR, A, account, "U", "... and the one ACME account expected at NAME"),
    DP_OPT("wildcard", 0, FLAG, A, wildcard, NULL, "... with policy=wildcard"),
    DP_OPT("rules", 'r', STR, A, rules, "F",
           "the rule set (default: the installed rules/default.yaml)"),
    DP_OPT("zone", 'z', LIST, A, zones, "F", "read zone file F instead of DNS (repeatable)"),
    /* -t is the plugin's whole time; each try's wait follows from it */
    DP_LIVE_OPT_SERVERS(A),
    DP_LIVE_OPT_PACE(A),
    DP_LIVE_OPT_RETRIES(A),
    DP_CT_OPTS(A),
    DP_OPT("dnssec-required", 0, FLAG, A, dnssec, NULL,
           "the records must be DNSSEC-signed (dnssec-insecure)"),
    DP_OPT("warning", 'w', STR, A, warn, "RANGE",
           "days until the earliest persistUntil (default: the\nrules' warn_before, 30:)"),
    DP_OPT("critical", 'c', STR, A, crit, "RANGE",
           "the same for CRITICAL (default: crit_before, 7:)"),
    DP_OPT("timeout", 't', STR, A, timeout, "S", "give up after S seconds (default 10)"),
    DP_OPT("timeout-state", 0, STR, A, timeout_state, "S",
           "the state then: unknown (default), critical, warning, ok"),
    DP_OPT("now", 0, STR, A, now, "T", "judge at time T (UNIX seconds or ISO 8601 UTC; for tests)"),
    DP_OPT("verbose", 'v', COUNT, A, verbose, NULL, "also list records (-vv: and authorizations)"),
    DP_OPT("help", 'h', FLAG, A, help, NULL, "show this help and exit (status 3)"),
    DP_OPT("version", 'V', FLAG, A, version, NULL, "show the version and exit (status 3)"),
};

#undef A
#define N_OPTS (sizeof(plugin_options) / sizeof(*plugin_options))

/* ---- the timeout: one pre-built line, written from the signal handler ---- */

static char timeout_line[128];
static size_t timeout_len;
static int timeout_exit = DP_NAGIOS_UNKNOWN;

static void on_alarm(int sig)
{
	(void)sig;
	if (write(STDOUT_FILENO, timeout_line, timeout_len) < 0) {
		/* nothing else can be done from a signal handler */
	}
	_exit(timeout_exit);
}

/*
 * The run is over: from here on only its own line may be printed. Blocking
 * the signal first means the handler has either run (and exited) or never
 * will; then the timer is cancelled.
 */
static void disarm_timeout(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	alarm(0);
}

static void arm_timeout(unsigned secs, enum dp_nagios_state state)
{
	struct sigaction sa;

	timeout_exit = (int)state;
	timeout_len = (size_t)snprintf(timeout_line, sizeof(timeout_line),
	                               "DNSPERSIST %s - timed out after %u seconds\n",
	                               dp_nagios_state_name(state), secs);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	alarm(secs);
}

/* ---- usage errors are UNKNOWN, on stdout, in one line ---- */

static bool unknown(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Say why the check could not be made; false, for the callers to pass on. */
static bool unknown(const char *fmt, ...)
{
	struct dp_buf out = {0};
	char msg[700];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	disarm_timeout(); /* this line is the status: no timeout line may follow */
	dp_buf_adds(&out, "DNSPERSIST UNKNOWN - ");
	dp_nagios_clean(&out, msg, 300);
	dp_buf_addc(&out, '\n');
	dp_cli_write(&out);
	dp_buf_free(&out);
	return false;
}

static bool parse_args(int argc, char **argv, struct plugin_args *a)
{
	const char *bad;

	if (!dp_opts_parse(plugin_options, N_OPTS, argc, argv, a, NULL, true, &bad))
		return unknown("unknown option, missing value or unexpected argument: '%s' (see "
		               "--help)",
		               bad ? bad : "?");
	return true;
}

/* ---- checking the arguments ---- */

struct setup {
	struct dp_live_config cfg;
	unsigned timeout;
	enum dp_nagios_state timeout_state;
	int64_t now;
	char host[DP_NAME_MAX];
	struct dp_ct_config ct_cfg;
	const struct dp_ct_config *ct; /* &ct_cfg with --ct */
	char *ct_key;
};

static bool state_of(const char *s, enum dp_nagios_state *out)
{
	static const char *const names[] = {"ok", "warning", "critical", "unknown"};

	for (int i = 0; i < 4; i++)
		if (strcasecmp(s, names[i]) == 0) {
			*out = (enum dp_nagios_state)i;
			return true;
		}
	return false;
}

static bool check_what(const struct plugin_args *a)
{
	bool expect = a->issuer != NULL || a->account != NULL || a->wildcard;

	if (a->inventory == NULL && (a->host == NULL || a->issuer == NULL || a->account == NULL)) {
		return unknown("give --inventory F, or -H NAME with --issuer and --account-uri");
	}
	if (a->inventory != NULL && expect) {
		return unknown("--issuer, --account-uri and --wildcard are for checks without "
		               "--inventory");
	}
	if (a->zones.n > 0 &&
	    (a->live.servers.n > 0 || a->live.authoritative || a->live.ns.n > 0)) {
		return unknown("--zone reads zone files; --server and --authoritative are for DNS");
	}
	return true;
}

static bool check_args(const struct plugin_args *a, struct setup *s)
{
	struct dp_error err = {0};
	int64_t t = 10, clock_now = (int64_t)time(NULL);

	if (!check_what(a))
		return false;
	if (a->host != NULL && dp_name_from_input(a->host, s->host, &err) != DP_OK)
		return unknown("-H: %s", err.msg);
	if (a->timeout != NULL &&
	    dp_parse_int(a->timeout, strlen(a->timeout), false, 1, 3600, &t) != DP_OK)
		return unknown("-t: '%s' is not a number of seconds from 1 to 3600", a->timeout);
	s->timeout = (unsigned)t;
	s->timeout_state = DP_NAGIOS_UNKNOWN;
	if (a->timeout_state != NULL && !state_of(a->timeout_state, &s->timeout_state))
		return unknown("--timeout-state: '%s' is not ok, warning, critical or unknown",
		               a->timeout_state);
	s->now = clock_now;
	if (a->now != NULL && dp_time_parse(a->now, clock_now, &s->now, &err) != DP_OK)
		return unknown("--now: %s", err.msg);
	if (!dp_live_args_check(&a->live, &s->cfg, &err))
		return unknown("%s", err.msg);
	if (!dp_ct_args_check(&a->ct, PACKAGE_VERSION, &s->ct_cfg, &s->ct, &s->ct_key, &err))
		return unknown("%s", err.msg);
	/* CT tries fit in the plugin's time unless --ct-timeout says otherwise */
	if (a->ct.timeout == NULL)
		s->ct_cfg.timeout_ms = s->timeout * 1000 / 4 > 1000 ? s->timeout * 1000 / 4 : 1000;
	/* three tries in about 1.75 timeouts: the plugin's own timer ends a dead server */
	s->cfg.ro.timeout_ms = s->timeout * 1000 / 4 > 100 ? s->timeout * 1000 / 4 : 100;
	return true;
}

/* ---- the inventory: a file, or the one authorization of the command line ---- */

static void yaml_quoted(struct dp_buf *b, const char *s)
{
	dp_buf_addc(b, '"');
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			dp_buf_addf(b, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			dp_buf_addf(b, "\\x%02x", c);
		else
			dp_buf_addc(b, (char)c);
	}
	dp_buf_addc(b, '"');
}

static enum dp_status expectation(const struct plugin_args *a, const struct setup *s,
                                  struct dp_inventory **out, struct dp_error *err)
{
	struct dp_buf y = {0};
	enum dp_status st;

	dp_buf_adds(&y, "version: 1\ncas:\n  ca:\n    issuer: ");
	yaml_quoted(&y, a->issuer);
	dp_buf_adds(&y, "\naccounts:\n  acct:\n    ca: ca\n    uri: ");
	yaml_quoted(&y, a->account);
	dp_buf_adds(&y, "\ndomains:\n  - name: ");
	yaml_quoted(&y, s->host);
	dp_buf_addf(&y, "\n    authorize:\n      - account: acct\n        wildcard: %s\n",
	            a->wildcard ? "true" : "false");
	st = dp_buf_status(&y);
	if (st == DP_OK)
		st = dp_inventory_load_mem("the command line", y.data, y.len, out, err);
	dp_buf_free(&y);
	return st;
}

/* ---- the run ---- */

/* -w and -c, by default the rules' warn_before and crit_before in days. */
static bool ranges(const struct plugin_args *a, const struct dp_rules *rules,
                   struct dp_nagios_opts *no)
{
	const struct dp_rules_params *p = dp_rules_params(rules);
	char w[32], c[32];
	struct dp_error err = {0};

	snprintf(w, sizeof(w), "%lld:", (long long)(p->warn_before / 86400));
	snprintf(c, sizeof(c), "%lld:", (long long)(p->crit_before / 86400));
	if (dp_range_parse(a->warn ? a->warn : w, &no->warn, &err) != DP_OK)
		return unknown("-w: %s", err.msg);
	if (dp_range_parse(a->crit ? a->crit : c, &no->crit, &err) != DP_OK)
		return unknown("-c: %s", err.msg);
	return true;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The same run as dnspersist scan: the plugin only chooses the name and the source. */
static enum dp_status build(const struct plugin_args *a, const struct setup *s,
                            const struct dp_zone_config *zc, struct dp_run **run,
                            struct dp_error *err)
{
	struct dp_run_opts o = {.inventory = a->inventory,
	                        .rules = a->rules,
	                        .require_dnssec = a->dnssec,
	                        .only = a->host ? s->host : NULL,
	                        .now = s->now,
	                        .source = a->zones.n > 0 ? &dp_source_zone : &dp_source_live,
	                        .source_config =
	                            a->zones.n > 0 ? (const void *)zc : (const void *)&s->cfg,
	                        .ct = s->ct};
	enum dp_status st = DP_OK;

	if (a->inventory == NULL)
		st = expectation(a, s, &o.inv, err);
	return st == DP_OK ? dp_run_new(&o, run, err) : st;
}

/* Why the check could not be made, as the one UNKNOWN line. */
static int failed(enum dp_status st, const struct dp_error *err)
{
	char why[600];

	if (err->msg[0] != '\0')
		dp_error_format(err, why, sizeof(why));
	else
		snprintf(why, sizeof(why), "%s", dp_strerror(st));
	unknown("%s", why);
	return DP_NAGIOS_UNKNOWN;
}

/* Decide, render and print the one status; the state is the exit status. */
static int report(struct dp_run *run, struct dp_nagios_opts *no, const struct timespec *t0)
{
	struct dp_nagios_verdict v;
	struct dp_render_opts ro = {.nagios = no, .verdict = &v};
	struct dp_buf out = {0};
	struct dp_error err = {0};
	enum dp_status st;

	no->elapsed = seconds_since(t0);
	dp_nagios_decide(dp_run_report(run), no, &v);
	st = dp_run_render(run, &dp_render_nagios, &ro, &out);
	if (st != DP_OK) {
		dp_buf_free(&out);
		return failed(st, &err);
	}
	disarm_timeout();
	if (!dp_cli_write(&out))
		v.state = DP_NAGIOS_UNKNOWN;
	dp_buf_free(&out);
	return (int)v.state;
}

/* Everything after the arguments. */
static int run(const struct plugin_args *a, const struct setup *s)
{
	struct dp_zone_config zc = {a->zones.v, a->zones.n, NULL, false, DP_ZONE_AUTO};
	struct dp_nagios_opts no = {.verbose = a->verbose};
	struct dp_run *r = NULL;
	struct dp_error err = {0};
	struct timespec t0;
	enum dp_status st;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	st = build(a, s, &zc, &r, &err);
	if (st == DP_OK && !ranges(a, dp_run_rules(r), &no)) {
		dp_run_free(r);
		return DP_NAGIOS_UNKNOWN;
	}
	if (st == DP_OK)
		st = dp_run_execute(r, &err);
	rc = st == DP_OK ? report(r, &no, &t0) : failed(st, &err);
	dp_run_free(r);
	return rc;
}

static void args_free(struct plugin_args *a)
{
	dp_strv_free(&a->zones);
	dp_live_args_free(&a->live);
}

int main(int argc, char **argv)
{
	struct plugin_args a = {0};
	struct setup s = {0};
	int rc = DP_NAGIOS_UNKNOWN;

	dp_msg_init("check_dnspersist");
	if (!parse_args(argc, argv, &a))
		goto out;
	if (a.help || a.version) {
		if (a.help) {
			fputs(usage_head, stdout);
			dp_opts_help(plugin_options, N_OPTS, stdout);
			fputs(usage_tail, stdout);
		} else
			printf("check_dnspersist %s\n", PACKAGE_VERSION);
		goto out; /* status 3, as the plugin guidelines ask */
	}
	if (!check_args(&a, &s))
		goto out;
	arm_timeout(s.timeout, s.timeout_state);
	rc = run(&a, &s);
out:
	args_free(&a);
	dp_ct_key_free(s.ct_key);
	return rc;
}
