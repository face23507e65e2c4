/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check_dnspersist: the Nagios/Icinga plugin (shared/design/NAGIOS.md). It
 * parses, runs the same audit as dnspersist scan, and exits once with the
 * state decided from the report; a timer ends it in the timeout state.
 */
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "config.h"

#include "audit/audit.h"
#include "base/buf.h"
#include "cli/cli.h"
#include "base/msg.h"
#include "base/name.h"
#include "base/num.h"
#include "render/render_nagios.h"
#include "dns/resolve.h"
#include "model/rules.h"
#include "base/timeutil.h"

static const char usage[] =
    "Usage: check_dnspersist -H NAME --inventory F [OPTION]...\n"
    "       check_dnspersist --inventory F [OPTION]...\n"
    "       check_dnspersist -H NAME --issuer D --account-uri U [--wildcard] [OPTION]...\n"
    "Check the DNS-PERSIST-01 authorizations (_validation-persist TXT and CAA) of NAME,\n"
    "or of every name of the inventory, as a Nagios/Icinga plugin.\n"
    "\n"
    "  -H, --hostname NAME      the name to check (default: every inventory name)\n"
    "  -I, --inventory F        the expected authorizations (docs/inventory.md)\n"
    "      --issuer D           without an inventory: the CA's issuer-domain-name ...\n"
    "      --account-uri U      ... and the one ACME account expected at NAME\n"
    "      --wildcard           ... with policy=wildcard\n"
    "  -r, --rules F            the rule set (default: the installed rules/default.yaml)\n"
    "  -s, --server ADDR[@PORT] ask this server (repeatable; default: /etc/resolv.conf)\n"
    "  -z, --zone F             read zone file F instead of DNS (repeatable)\n"
    "      --authoritative      ask the zone's authoritative servers, and compare them\n"
    "      --ns ADDR[@PORT]     with --authoritative: the servers to compare (repeatable)\n"
    "      --dnssec-required    the records must be DNSSEC-signed (dnssec-insecure)\n"
    "  -w, --warning RANGE      days until the earliest persistUntil (default: the\n"
    "                           rules' warn_before, 30:)\n"
    "  -c, --critical RANGE     the same for CRITICAL (default: crit_before, 7:)\n"
    "  -t, --timeout S          give up after S seconds (default 10)\n"
    "      --timeout-state S    the state then: unknown (default), critical, warning, ok\n"
    "      --now T              judge at time T (UNIX seconds or ISO 8601 UTC; for tests)\n"
    "  -v, --verbose            also list records (-vv: and authorizations)\n"
    "  -h, --help               show this help and exit (status 3)\n"
    "  -V, --version            show the version and exit (status 3)\n"
    "\n"
    "Exit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (lookups failed, bad usage).\n";

enum { OPT_ISSUER = 2000, OPT_ACCOUNT, OPT_WILDCARD, OPT_DNSSEC, OPT_TSTATE, OPT_NOW };

static const struct option plugin_options[] = {
    {"hostname", required_argument, NULL, 'H'},
    {"inventory", required_argument, NULL, 'I'},
    {"issuer", required_argument, NULL, OPT_ISSUER},
    {"account-uri", required_argument, NULL, OPT_ACCOUNT},
    {"wildcard", no_argument, NULL, OPT_WILDCARD},
    {"rules", required_argument, NULL, 'r'},
    {"server", required_argument, NULL, 's'},
    {"zone", required_argument, NULL, 'z'},
    {"authoritative", no_argument, NULL, DP_OPT_AUTHORITATIVE},
    {"ns", required_argument, NULL, DP_OPT_NS},
    {"dnssec-required", no_argument, NULL, OPT_DNSSEC},
    {"warning", required_argument, NULL, 'w'},
    {"critical", required_argument, NULL, 'c'},
    {"timeout", required_argument, NULL, 't'},
    {"timeout-state", required_argument, NULL, OPT_TSTATE},
    {"now", required_argument, NULL, OPT_NOW},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

struct plugin_args {
	const char *host, *inventory, *issuer, *account, *rules, *warn, *crit, *timeout;
	const char *timeout_state, *now;
	bool wildcard, dnssec, help, version;
	int verbose;
	struct dp_strv zones;
	struct dp_live_args live;
};

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
	dp_buf_adds(&out, "DNSPERSIST UNKNOWN - ");
	dp_nagios_clean(&out, msg, 300);
	dp_buf_addc(&out, '\n');
	dp_cli_write(&out);
	dp_buf_free(&out);
	return false;
}

static bool parse_opt(struct plugin_args *a, int c)
{
	switch (c) {
	case 'H':
		a->host = optarg;
		return true;
	case 'I':
		a->inventory = optarg;
		return true;
	case OPT_ISSUER:
		a->issuer = optarg;
		return true;
	case OPT_ACCOUNT:
		a->account = optarg;
		return true;
	case OPT_WILDCARD:
		a->wildcard = true;
		return true;
	case 'r':
		a->rules = optarg;
		return true;
	case 'z':
		return dp_strv_push(&a->zones, optarg);
	case OPT_DNSSEC:
		a->dnssec = true;
		return true;
	case 'w':
		a->warn = optarg;
		return true;
	case 'c':
		a->crit = optarg;
		return true;
	case 't':
		a->timeout = optarg;
		return true;
	case OPT_TSTATE:
		a->timeout_state = optarg;
		return true;
	case OPT_NOW:
		a->now = optarg;
		return true;
	case 'v':
		a->verbose++;
		return true;
	case 'h':
		a->help = true;
		return true;
	case 'V':
		a->version = true;
		return true;
	default:
		return dp_live_opt(&a->live, c, optarg);
	}
}

static bool parse_args(int argc, char **argv, struct plugin_args *a)
{
	int c;

	opterr = 0; /* the message goes to stdout, as UNKNOWN */
	while ((c = getopt_long(argc, argv, "H:I:r:s:z:w:c:t:vhV", plugin_options, NULL)) != -1) {
		if (c == '?' || c == ':' || !parse_opt(a, c)) {
			unknown("unknown option or missing value: '%s' (see --help)",
			        argv[optind - 1]);
			return false;
		}
	}
	if (optind < argc) {
		unknown("unexpected argument '%s' (see --help)", argv[optind]);
		return false;
	}
	return true;
}

/* ---- checking the arguments ---- */

struct setup {
	unsigned timeout;
	enum dp_nagios_state timeout_state;
	int64_t now;
	char host[DP_NAME_MAX];
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
	if (a->zones.n > 0 && (a->live.servers.n > 0 || a->live.authoritative)) {
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
	if (a->host != NULL && dp_name_normalize(a->host, s->host, &err) != DP_OK)
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

struct run {
	struct dp_inventory *inv;
	struct dp_rules *rules;
	struct dp_obs *obs;
	struct dp_report *report;
	struct dp_nagios_opts no;
	char why[600];
};

static void run_free(struct run *r)
{
	dp_report_free(r->report);
	dp_obs_free(r->obs);
	dp_rules_free(r->rules);
	dp_inventory_free(r->inv);
}

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

static enum dp_status load(const struct plugin_args *a, const struct setup *s, struct run *r,
                           struct dp_error *err)
{
	enum dp_status st = a->inventory ? dp_inventory_load(a->inventory, &r->inv, err)
	                                 : expectation(a, s, &r->inv, err);

	if (st == DP_OK)
		st = dp_cli_load_rules(a->rules, &r->rules, err);
	if (st == DP_OK && a->dnssec)
		dp_rules_require_dnssec(r->rules);
	if (st == DP_OK && a->host != NULL && dp_inventory_find(r->inv, s->host) == NULL)
		st =
		    dp_error_set(err, DP_EINVAL, NULL, 0, 0, "%s is not in the inventory", s->host);
	return st;
}

/* The records and CAA: zone files, or DNS within the timeout. */
static enum dp_status observe(const struct plugin_args *a, const struct setup *s, struct run *r)
{
	struct dp_resolver_opts ro = {.concurrency = 100, .retries = 2};
	struct dp_error err = {0};
	enum dp_status st;

	if (a->zones.n > 0) {
		st = dp_obs_load_zones(r->obs, a->zones.v, a->zones.n, NULL, &err);
		if (st != DP_OK) {
			dp_error_format(&err, r->why, sizeof(r->why));
			unknown("%s", r->why);
		}
		return st;
	}
	/* three tries in about 1.75 timeouts: the plugin's own timer ends a dead server */
	ro.timeout_ms = s->timeout * 1000 / 4 > 100 ? s->timeout * 1000 / 4 : 100;
	st = dp_cli_live_inventory(&a->live, &ro, r->inv, a->host ? s->host : NULL, r->obs);
	if (st != DP_OK)
		unknown("DNS lookups could not be made (%s)", dp_strerror(st));
	return st;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Everything after the arguments; the state, printed once, is the exit status. */
static int run(const struct plugin_args *a, const struct setup *s)
{
	struct run r = {0};
	struct dp_error err = {0};
	struct dp_nagios_verdict v;
	struct dp_buf out = {0};
	struct timespec t0;
	const char *mode = a->zones.n > 0 ? "zone" : "live";
	int rc = DP_NAGIOS_UNKNOWN;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (load(a, s, &r, &err) != DP_OK) {
		dp_error_format(&err, r.why, sizeof(r.why));
		unknown("%s", r.why);
	} else if (ranges(a, r.rules, &r.no) && dp_obs_new(mode, &r.obs) == DP_OK &&
	           observe(a, s, &r) == DP_OK && dp_report_new(mode, s->now, &r.report) == DP_OK) {
		struct dp_audit_input in = {r.inv, r.rules, r.obs, s->now,
		                            a->host ? s->host : NULL};
		r.no.verbose = a->verbose;
		if (dp_audit_scan(&in, r.report) == DP_OK) {
			r.no.elapsed = seconds_since(&t0);
			dp_nagios_decide(r.report, &r.no, &v);
			if (dp_render_nagios(r.report, &r.no, &v, &out) == DP_OK &&
			    dp_cli_write(&out))
				rc = (int)v.state;
		}
	}
	dp_buf_free(&out);
	run_free(&r);
	return rc;
}

static void args_free(struct plugin_args *a)
{
	dp_strv_free(&a->zones);
	dp_strv_free(&a->live.servers);
	dp_strv_free(&a->live.ns);
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
		if (a.help)
			fputs(usage, stdout);
		else
			printf("check_dnspersist %s\n", PACKAGE_VERSION);
		goto out; /* status 3, as the plugin guidelines ask */
	}
	if (!check_args(&a, &s))
		goto out;
	arm_timeout(s.timeout, s.timeout_state);
	rc = run(&a, &s);
out:
	args_free(&a);
	return rc;
}
