/* SPDX-License-Identifier: BSD-3-Clause */
/* dnspersist scan and lint: the offline audit front ends (zone files). */
#include <dirent.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

#include "audit/audit.h"
#include "cli/cli.h"
#include "base/msg.h"
#include "base/name.h"
#include "render/render.h"
#include "dns/resolve.h"
#include "source/zonefile.h"

static const char scan_usage[] =
    "Usage: dnspersist scan --inventory F [--zone F... | --server ADDR[@PORT]...] [OPTION]...\n"
    "Audit the _validation-persist and CAA records of every inventory name against\n"
    "what the inventory expects and what the rules allow: from zone files with --zone,\n"
    "else live from DNS (the resolvers of /etc/resolv.conf, or --server).\n"
    "\n"
    "  -I, --inventory F       the inventory (YAML, see docs/inventory.md)\n"
    "  -r, --rules F           the rule set (default: the installed rules/default.yaml)\n"
    "  -z, --zone F            a zone file, or a directory of them (repeatable)\n"
    "      --origin N          origin for zone files without $ORIGIN\n" DP_LIVE_HELP
    "      --now T             audit at time T (UNIX seconds, ISO 8601 UTC, +30d)\n"
    "  -f, --format F          text (default) or json\n"
    "      --fail-on S         exit 1 on findings at or above S: critical (default),\n"
    "                          warning or notice\n"
    "      --color W           auto (default: on a terminal, unless NO_COLOR), always, never\n"
    "  -h, --help              show this help and exit\n"
    "\n"
    "Exit status: 0 nothing at or above --fail-on, 1 findings at or above it,\n"
    "2 usage or input error, 3 could not evaluate.\n";

static const char lint_usage[] =
    "Usage: dnspersist lint ZONEFILE... [OPTION]...\n"
    "Check every _validation-persist and CAA record of zone files on its own: syntax\n"
    "under each CA profile, expired persistUntil, CAA that contradicts a record.\n"
    "\n"
    "      --origin N          origin for zone files without $ORIGIN\n"
    "  -r, --rules F           the rule set (severities, ignored names)\n"
    "      --now T             judge at time T\n"
    "  -f, --format F          text (default) or json\n"
    "      --fail-on S         exit 1 on findings at or above S (default critical)\n"
    "      --color W           auto (default), always, never\n"
    "  -h, --help              show this help and exit\n";

enum { OPT_ORIGIN = 256, OPT_NOW, OPT_FAIL_ON, OPT_COLOR };

static const struct option scan_options[] = {
    {"inventory", required_argument, NULL, 'I'},
    {"rules", required_argument, NULL, 'r'},
    {"zone", required_argument, NULL, 'z'},
    {"origin", required_argument, NULL, OPT_ORIGIN},
    DP_LIVE_LONGOPTS,
    {"now", required_argument, NULL, OPT_NOW},
    {"format", required_argument, NULL, 'f'},
    {"fail-on", required_argument, NULL, OPT_FAIL_ON},
    {"color", required_argument, NULL, OPT_COLOR},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static const struct option lint_options[] = {
    {"origin", required_argument, NULL, OPT_ORIGIN},
    {"rules", required_argument, NULL, 'r'},
    {"now", required_argument, NULL, OPT_NOW},
    {"format", required_argument, NULL, 'f'},
    {"fail-on", required_argument, NULL, OPT_FAIL_ON},
    {"color", required_argument, NULL, OPT_COLOR},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

struct audit_args {
	const char *inventory, *rules, *origin, *now, *format, *fail_on, *color;
	struct dp_strv zones; /* as given */
	struct dp_live_args live;
	struct dp_resolver_opts ro;
	struct dp_strv files; /* expanded */
	char **owned;         /* file names we allocated while expanding directories */
	size_t n_owned;
	bool help, lint;
};

static void audit_args_free(struct audit_args *a)
{
	for (size_t i = 0; i < a->n_owned; i++)
		free(a->owned[i]);
	free(a->owned);
	dp_strv_free(&a->zones);
	dp_strv_free(&a->files);
	dp_strv_free(&a->live.servers);
	dp_strv_free(&a->live.ns);
}

static bool parse_audit_args(int argc, char **argv, struct audit_args *a)
{
	const struct option *opts = a->lint ? lint_options : scan_options;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, a->lint ? "r:f:h" : "I:r:z:s:f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'I':
			a->inventory = optarg;
			break;
		case 'r':
			a->rules = optarg;
			break;
		case 'z':
			if (!dp_strv_push(&a->zones, optarg))
				return false;
			break;
		case OPT_ORIGIN:
			a->origin = optarg;
			break;
		case OPT_NOW:
			a->now = optarg;
			break;
		case 'f':
			a->format = optarg;
			break;
		case OPT_FAIL_ON:
			a->fail_on = optarg;
			break;
		case OPT_COLOR:
			a->color = optarg;
			break;
		case 'h':
			a->help = true;
			return true;
		default:
			if (a->lint || !dp_live_opt(&a->live, c, optarg))
				return false;
		}
	}
	for (; a->lint && optind < argc; optind++)
		if (!dp_strv_push(&a->zones, argv[optind]))
			return false;
	if (optind < argc) {
		dp_msg_error("unexpected argument '%s'", argv[optind]);
		return false;
	}
	return true;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool keep_path(struct audit_args *a, char *path)
{
	char **n = realloc(a->owned, (a->n_owned + 1) * sizeof(*n));

	if (n == NULL) {
		free(path);
		return false;
	}
	a->owned = n;
	a->owned[a->n_owned++] = path;
	return dp_strv_push(&a->files, path);
}

/* Every zone file of a directory (named after its zone), in name order. */
static bool expand_dir(struct audit_args *a, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char origin[DP_NAME_MAX];
	size_t first = a->files.n;

	if (d == NULL) {
		dp_msg_error("%s: cannot read the directory", dir);
		return false;
	}
	while ((e = readdir(d)) != NULL) {
		struct stat sb;
		char *path;
		size_t dlen = strlen(dir), len;
		while (dlen > 1 && dir[dlen - 1] == '/')
			dlen--; /* "zones/" and "zones" give the same paths */
		len = dlen + strlen(e->d_name) + 2;
		if (e->d_name[0] == '.' || !dp_zone_origin_from_filename(e->d_name, origin))
			continue;
		if ((path = malloc(len)) == NULL)
			break;
		snprintf(path, len, "%.*s/%s", (int)dlen, dir, e->d_name);
		if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
			free(path);
			continue;
		}
		if (!keep_path(a, path))
			break;
	}
	closedir(d);
	if (a->files.n == first)
		dp_msg_warn("%s: no zone files (named like example.com.zone or db.example.com)",
		            dir);
	qsort(a->files.v + first, a->files.n - first, sizeof(*a->files.v), cmp_str);
	return e == NULL;
}

static bool expand_zones(struct audit_args *a)
{
	for (size_t i = 0; i < a->zones.n; i++) {
		struct stat sb;
		if (stat(a->zones.v[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
			if (!expand_dir(a, a->zones.v[i]))
				return false;
		} else if (!dp_strv_push(&a->files, a->zones.v[i])) {
			return false;
		}
	}
	return true;
}

static bool use_color(const char *arg)
{
	const char *nc = getenv("NO_COLOR");

	if (arg != NULL && strcmp(arg, "always") == 0)
		return true;
	if (arg != NULL && strcmp(arg, "never") == 0)
		return false;
	return isatty(STDOUT_FILENO) && (nc == NULL || nc[0] == '\0');
}

/* Every inventory name and its ancestors. */
static enum dp_status interest_of(const struct dp_inventory *inv, struct dp_strmap **out)
{
	enum dp_status st = dp_strmap_new(out);

	for (size_t i = 0; st == DP_OK && i < dp_inventory_domain_count(inv); i++)
		for (const char *n = dp_inventory_domain(inv, i)->name; n && st == DP_OK;
		     n = dp_name_parent(n))
			st = dp_strmap_put(*out, n, (void *)(uintptr_t)n);
	return st;
}

struct audit_state {
	struct dp_inventory *inv;
	struct dp_rules *rules;
	struct dp_strmap *interest; /* inventory names and their ancestors */
	struct dp_obs *obs;
	struct dp_report *report;
};

static void state_free(struct audit_state *s)
{
	dp_report_free(s->report);
	dp_obs_free(s->obs);
	dp_strmap_free(s->interest);
	dp_rules_free(s->rules);
	dp_inventory_free(s->inv);
}

/*
 * What a scan needs observed: records and CAA at inventory names, their
 * ancestors and names in owned zones; CNAMEs only where a CAA climb from an
 * inventory name passes.
 */
static bool scan_wants(const char *name, bool cname, void *ctx)
{
	const struct audit_state *s = ctx;

	if (dp_strmap_get(s->interest, name) != NULL)
		return true;
	return !cname && dp_inventory_owner_zone(s->inv, name) != NULL;
}

static bool is_live(const struct audit_args *a)
{
	return !a->lint && a->zones.n == 0;
}

/* Load everything and run the audit; an input error is reported here. */
static enum dp_status prepare(const struct audit_args *a, int64_t now, struct audit_state *s)
{
	const char *mode = is_live(a) ? "live" : "zone";
	struct dp_error err = {0};
	enum dp_status st = DP_OK;
	bool said = false;

	if (!a->lint)
		st = dp_inventory_load(a->inventory, &s->inv, &err);
	if (st == DP_OK)
		st = dp_cli_load_rules(a->rules, &s->rules, &err);
	if (st == DP_OK)
		st = dp_obs_new(mode, &s->obs);
	/* only the zone reader consults the filter: a live scan asks for what it needs */
	if (st == DP_OK && s->inv != NULL && !is_live(a) &&
	    (st = interest_of(s->inv, &s->interest)) == DP_OK)
		dp_obs_set_filter(s->obs, scan_wants, s);
	if (st == DP_OK && is_live(a))
		said =
		    (st = dp_cli_live_inventory(&a->live, &a->ro, s->inv, NULL, s->obs)) != DP_OK;
	else if (st == DP_OK)
		st = dp_obs_load_zones(s->obs, a->files.v, a->files.n, a->origin, &err);
	if (st == DP_OK)
		st = dp_report_new(mode, now, &s->report);
	if (st == DP_OK) {
		struct dp_audit_input in = {s->inv, s->rules, s->obs, now, NULL};
		st = a->lint ? dp_audit_lint(&in, s->report) : dp_audit_scan(&in, s->report);
	}
	if (said)
		return st;
	if (st != DP_OK && err.msg[0] != '\0')
		dp_msg_dp_error(&err);
	else if (st != DP_OK)
		dp_msg_error("%s", dp_strerror(st));
	return st;
}

/* The one exit-status decision for scan and lint. */
static int exit_status(const struct dp_report *r, enum dp_severity fail_on)
{
	if (dp_report_level(r) == DP_LEVEL_UNKNOWN)
		return DP_EXIT_LOOKUP;
	for (int s = DP_SEV_CRITICAL; s >= (int)fail_on; s--)
		if (dp_report_count(r, (enum dp_severity)s) > 0)
			return DP_EXIT_FAIL;
	return DP_EXIT_OK;
}

static bool flush_stdout(struct dp_buf *out, void *ctx)
{
	bool ok = dp_cli_write(out);

	(void)ctx;
	dp_buf_reset(out);
	return ok;
}

static int run_audit(const struct audit_args *a, int64_t now, bool json, enum dp_severity fail_on)
{
	struct audit_state s = {0};
	struct dp_buf out = {0};
	struct dp_render_opts ro = {use_color(a->color), a->inventory, PACKAGE_VERSION,
	                            flush_stdout, NULL};
	int rc = DP_EXIT_USAGE;

	enum dp_status st = prepare(a, now, &s);

	if (st == DP_OK) {
		st = json ? dp_render_json(s.report, &ro, &out)
		          : dp_render_text(s.report, &ro, &out);
		rc = st == DP_OK && dp_cli_write(&out) ? exit_status(s.report, fail_on)
		                                       : DP_EXIT_USAGE;
	} else if (st == DP_ELOOKUP) {
		rc = DP_EXIT_LOOKUP;
	}
	dp_buf_free(&out);
	state_free(&s);
	return rc;
}

static bool check_audit_args(struct audit_args *a, enum dp_severity *fail_on)
{
	static const char *const colors[] = {"auto", "always", "never", NULL};

	if (!a->lint && a->inventory == NULL) {
		dp_msg_error("--inventory is required");
		return false;
	}
	if (a->lint && a->zones.n == 0) {
		dp_msg_error("give the zone files to lint");
		return false;
	}
	if (a->zones.n > 0 && (a->live.servers.n > 0 || a->live.authoritative)) {
		dp_msg_error(
		    "--zone reads zone files; --server and --authoritative are for live scans");
		return false;
	}
	if (a->origin != NULL && a->zones.n == 0) {
		dp_msg_error("--origin goes with --zone");
		return false;
	}
	if (a->fail_on != NULL &&
	    (!dp_severity_parse(a->fail_on, fail_on) || *fail_on == DP_SEV_OFF)) {
		dp_msg_error("--fail-on: '%s' is not critical, warning or notice", a->fail_on);
		return false;
	}
	if (a->color != NULL && dp_cli_format(a->color, colors) < 0)
		return false;
	return dp_live_args_check(&a->live, &a->ro);
}

static int cmd_audit(int argc, char **argv, bool lint)
{
	static const char *const formats[] = {"text", "json", NULL};
	struct audit_args a = {.lint = lint};
	enum dp_severity fail_on = DP_SEV_CRITICAL;
	int64_t now;
	int fmt = 0, rc = DP_EXIT_USAGE;

	if (!parse_audit_args(argc, argv, &a))
		goto usage;
	if (a.help) {
		fputs(lint ? lint_usage : scan_usage, stdout);
		rc = DP_EXIT_OK;
		goto out;
	}
	if ((a.format && (fmt = dp_cli_format(a.format, formats)) < 0) ||
	    !dp_cli_now(a.now, &now) || !check_audit_args(&a, &fail_on))
		goto usage;
	if (!expand_zones(&a))
		goto out;
	rc = run_audit(&a, now, fmt == 1, fail_on);
	goto out;
usage:
	dp_cli_usage_error(lint ? "lint" : "scan");
out:
	audit_args_free(&a);
	return rc;
}

int dp_cmd_scan(int argc, char **argv)
{
	return cmd_audit(argc, argv, false);
}

int dp_cmd_lint(int argc, char **argv)
{
	return cmd_audit(argc, argv, true);
}
