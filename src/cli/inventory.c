/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dnspersist inventory init: an inventory that describes the authorizations
 * the zones hold today, for a team to review and commit instead of writing
 * hundreds of entries by hand. Every entry the audit flags (scanned with the
 * generated inventory itself) carries the findings as comments.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"

#include "base/buf.h"
#include "base/msg.h"
#include "base/strmap.h"
#include "base/timeutil.h"
#include "cli/cli.h"

static const char init_head[] =
    "Usage: dnspersist inventory init ZONES... [OPTION]...\n"
    "       dnspersist inventory init --names F [NAME]... [--server ADDR[@PORT]]... [OPTION]...\n"
    "Print an inventory (YAML) describing the authorizations the zones hold today:\n"
    "the CAs, the accounts (ids derived from the account URLs), and per name the\n"
    "accounts, policy=wildcard and persistUntil its records carry. Entries that\n"
    "the audit flags carry the findings as comments. ZONES are zone files and\n"
    "directories, or one git:REV[:PATH]. With --names, --server, --ns or\n"
    "--authoritative the records are read from live DNS instead, for the names\n"
    "of --names and the NAME operands, as scan reads them.\n"
    "\n";

struct init_args {
	const char *rules, *origin, *now, *zone_format_arg, *names_file;
	enum dp_zone_format zone_format;
	bool help;
	struct dp_strv operands;
	struct dp_live_args live;
	struct dp_live_config cfg;
	struct dp_names names; /* live: --names and the operands */
};

#define A struct init_args
static const struct dp_opt init_options[] = {
    DP_OPT("rules", 'r', STR, A, rules, "F", "the rule set of the audit behind the comments"),
    DP_OPT("origin", 0, STR, A, origin, "N", "origin for zone files without $ORIGIN"),
    DP_OPT("zone-format", 0, STR, A, zone_format_arg, "F", DP_ZONE_FORMAT_HELP),
    DP_OPT("now", 0, STR, A, now, "T", "judge at time T"),
    DP_OPT("names", 0, STR, A, names_file, "F",
           "read live DNS for the names in F (one a line, '#'\ncomments; '-': standard input) "
           "and the NAME operands"),
    DP_LIVE_OPTS(A),
    DP_OPT("help", 'h', FLAG, A, help, NULL, "show this help and exit"),
};
#undef A
#define N_OPTS (sizeof(init_options) / sizeof(*init_options))

/* ---- the model: what the records say ------------------------------------------- */

struct ca {
	char *issuer, *id;
};
struct account {
	size_t ca;
	char *uri, *id;
};
struct entry {
	char *name;
	size_t account;
	bool wildcard, until, expired;
	const char *file;
	unsigned long line;
};

struct model {
	struct ca *cas;
	size_t n_cas;
	struct account *accounts;
	size_t n_accounts;
	struct entry *entries; /* in the report's name order, then record order */
	size_t n_entries;
	struct dp_buf skipped; /* comments for names with no usable record */
	struct dp_strmap *ids; /* every id given out */
	bool oom;
};

static void *grow(void *v, size_t n, size_t size, bool *oom)
{
	void *p = realloc(v, (n + 1) * size);
	if (p == NULL)
		*oom = true;
	return p ? p : v;
}

/* An id from text: lower-case letters, digits and '-', unique in the model. */
static char *make_id(struct model *m, const char *base, size_t len)
{
	char id[48];
	size_t n = 0;
	char *s;

	for (size_t i = 0; i < len && n < 32; i++) {
		char c = base[i] >= 'A' && base[i] <= 'Z' ? (char)(base[i] + 32) : base[i];
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			id[n++] = c;
		else if (n > 0 && id[n - 1] != '-')
			id[n++] = '-';
	}
	while (n > 0 && id[n - 1] == '-')
		n--;
	id[n] = '\0';
	if (n == 0)
		snprintf(id, sizeof(id), "id");
	for (int k = 2; dp_strmap_get(m->ids, id) != NULL; k++)
		snprintf(id + n, sizeof(id) - n, "-%d", k);
	s = strdup(id);
	if (s == NULL || dp_strmap_put(m->ids, s, s) != DP_OK) {
		free(s);
		m->oom = true;
		return NULL;
	}
	return s;
}

/* The CA of an issuer, named after its first label ("letsencrypt"). */
static size_t ca_of(struct model *m, const char *issuer)
{
	char norm[256];
	size_t len = strlen(issuer);

	if (len >= sizeof(norm))
		len = sizeof(norm) - 1;
	for (size_t i = 0; i < len; i++)
		norm[i] = (char)(issuer[i] >= 'A' && issuer[i] <= 'Z' ? issuer[i] + 32 : issuer[i]);
	norm[len] = '\0';
	if (len > 1 && norm[len - 1] == '.')
		norm[len - 1] = '\0';
	for (size_t i = 0; i < m->n_cas; i++)
		if (strcmp(m->cas[i].issuer, norm) == 0)
			return i;
	m->cas = grow(m->cas, m->n_cas, sizeof(*m->cas), &m->oom);
	if (m->oom)
		return 0;
	m->cas[m->n_cas] = (struct ca){strdup(norm), make_id(m, norm, strcspn(norm, "."))};
	return m->n_cas++;
}

/* The account of a URI at a CA, named "<ca>-<last path segment of the URL>". */
static size_t account_of(struct model *m, size_t ca, const char *uri)
{
	const char *end = uri + strlen(uri), *seg;
	char base[96];

	for (size_t i = 0; i < m->n_accounts; i++)
		if (m->accounts[i].ca == ca && strcmp(m->accounts[i].uri, uri) == 0)
			return i;
	while (end > uri && end[-1] == '/')
		end--;
	for (seg = end; seg > uri && seg[-1] != '/';)
		seg--;
	snprintf(base, sizeof(base), "%s-%.*s", m->cas[ca].id ? m->cas[ca].id : "ca",
	         (int)(end - seg > 40 ? 40 : end - seg), seg);
	m->accounts = grow(m->accounts, m->n_accounts, sizeof(*m->accounts), &m->oom);
	if (m->oom)
		return 0;
	m->accounts[m->n_accounts] =
	    (struct account){ca, strdup(uri), make_id(m, base, strlen(base))};
	return m->n_accounts++;
}

/* One record of a name: a new entry, or the same account's entry widened. */
static void add_record(struct model *m, const char *name, const struct dp_report_record *rec,
                       int64_t now)
{
	size_t ca = ca_of(m, rec->issuer), acct = m->oom ? 0 : account_of(m, ca, rec->accounturi);
	struct entry *e = NULL;

	for (size_t i = m->n_entries; !m->oom && i > 0 && strcmp(m->entries[i - 1].name, name) == 0;
	     i--)
		if (m->entries[i - 1].account == acct)
			e = &m->entries[i - 1];
	if (m->oom)
		return;
	if (e == NULL) {
		m->entries = grow(m->entries, m->n_entries, sizeof(*m->entries), &m->oom);
		if (m->oom)
			return;
		e = &m->entries[m->n_entries++];
		*e = (struct entry){.name = strdup(name), .account = acct, .until = true};
		e->file = rec->file;
		e->line = rec->line;
		m->oom |= e->name == NULL;
	}
	e->wildcard |= rec->wildcard;
	e->until &= rec->has_persist_until;
	e->expired |= rec->has_persist_until && rec->persist_until < now;
}

/* Let's Encrypt reads records as Boulder does (the generated inventory says so). */
static bool boulder_reads(const struct dp_report_record *rec, int64_t now)
{
	const char *issuer = "letsencrypt.org";
	struct dp_record *r = NULL;
	struct dp_ca_request req = {&issuer, 1, &rec->accounturi, 1, false, now};
	enum dp_verdict v = DP_VERDICT_MALFORMED;

	if (strcasecmp(rec->issuer, issuer) != 0 ||
	    dp_record_parse(rec->rdata, rec->len, &r) != DP_OK)
		return false;
	v = dp_record_evaluate(r, DP_PROFILE_BOULDER, &req, NULL, 0);
	dp_record_free(r);
	return v == DP_VERDICT_VALID || v == DP_VERDICT_UNAUTHORIZED;
}

/* A record its CA reads as an authorization (valid, or only expired). */
static bool usable(const struct dp_report_record *rec, int64_t now)
{
	if (rec->issuer == NULL || rec->accounturi == NULL)
		return false;
	return rec->verdict == DP_VERDICT_VALID || rec->verdict == DP_VERDICT_UNAUTHORIZED ||
	       (rec->verdict == DP_VERDICT_MALFORMED && boulder_reads(rec, now));
}

static void findings_yaml(struct dp_buf *b, const struct dp_report *r, const char *name,
                          const char *indent);

static enum dp_status collect(struct dp_report *r, struct model *m)
{
	const struct dp_report_name *n;
	enum dp_status st = DP_OK;

	for (size_t i = 0; st == DP_OK && i < dp_report_name_count(r) && !m->oom; i++) {
		size_t before = m->n_entries;
		st = dp_report_load_details(r, i, &n);
		for (const struct dp_report_record *rec = st == DP_OK ? n->records : NULL; rec;
		     rec = rec->next)
			if (usable(rec, dp_report_now(r)))
				add_record(m, n->name, rec, dp_report_now(r));
		if (st == DP_OK && m->n_entries == before) {
			dp_buf_adds(&m->skipped, "#   ");
			dp_buf_add_escaped(&m->skipped, n->name, strlen(n->name));
			dp_buf_adds(&m->skipped, ": no record a CA would use\n");
			findings_yaml(&m->skipped, r, n->name, "#     ");
		}
	}
	return st == DP_OK && m->oom ? DP_ENOMEM : st;
}

static void model_free(struct model *m)
{
	for (size_t i = 0; i < m->n_cas; i++) {
		free(m->cas[i].issuer);
		free(m->cas[i].id);
	}
	for (size_t i = 0; i < m->n_accounts; i++) {
		free(m->accounts[i].uri);
		free(m->accounts[i].id);
	}
	for (size_t i = 0; i < m->n_entries; i++)
		free(m->entries[i].name);
	free(m->cas);
	free(m->accounts);
	free(m->entries);
	dp_buf_free(&m->skipped);
	dp_strmap_free(m->ids);
}

/* ---- the YAML ------------------------------------------------------------------ */

/* A YAML double-quoted string: \" \\ and \xNN for control and non-ASCII octets. */
static void yaml_str(struct dp_buf *b, const char *s)
{
	dp_buf_addc(b, '"');
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == '"' || *c == '\\')
			dp_buf_addf(b, "\\%c", *c);
		else if (*c < 0x20 || *c >= 0x7f)
			dp_buf_addf(b, "\\x%02x", *c);
		else
			dp_buf_addc(b, (char)*c);
	}
	dp_buf_addc(b, '"');
}

/* What the CAs dnspersist knows do (spec section 8): Let's Encrypt runs Boulder. */
static void ca_yaml(struct dp_buf *b, const struct ca *ca)
{
	dp_buf_addf(b, "  %s:\n    issuer: ", ca->id);
	yaml_str(b, ca->issuer);
	dp_buf_adds(b, "\n");
	if (strcmp(ca->issuer, "letsencrypt.org") == 0)
		dp_buf_adds(
		    b, "    wildcard_scope: wildcard-only   # policy=wildcard only adds *.name\n"
		       "    profile: boulder\n");
}

/* The findings the audit has at name, as comments. */
static void findings_yaml(struct dp_buf *b, const struct dp_report *r, const char *name,
                          const char *indent)
{
	for (size_t i = 0; r != NULL && i < dp_report_finding_count(r); i++) {
		const struct dp_finding *f = dp_report_finding(r, i);
		if (strcmp(f->name, name) != 0)
			continue;
		dp_buf_addf(b, "%s%s %s: ", indent, dp_severity_name(f->severity),
		            dp_finding_info(f->id)->id);
		dp_buf_add_escaped(b, f->message, strlen(f->message));
		dp_buf_adds(b, "\n");
	}
}

static void entry_yaml(struct dp_buf *b, const struct model *m, const struct entry *e)
{
	dp_buf_addf(b, "      - account: %s\n", m->accounts[e->account].id);
	if (e->wildcard)
		dp_buf_adds(b, "        wildcard: true\n");
	if (e->until)
		dp_buf_adds(b, "        persist_until: required\n");
}

static void domains_yaml(struct dp_buf *b, const struct model *m, const struct dp_report *r)
{
	dp_buf_adds(b, "\ndomains:\n");
	for (size_t i = 0; i < m->n_entries; i++) {
		const struct entry *e = &m->entries[i];
		if (i == 0 || strcmp(m->entries[i - 1].name, e->name) != 0) {
			findings_yaml(b, r, e->name, "  # ");
			dp_buf_adds(b, "  - name: ");
			yaml_str(b, e->name);
			dp_buf_adds(b, "\n    authorize:\n");
		}
		entry_yaml(b, m, e);
	}
	if (m->n_entries == 0)
		dp_buf_adds(b, "  []\n");
}

static void inventory_yaml(struct dp_buf *b, const struct model *m, const struct dp_report *r,
                           int64_t now)
{
	char t[DP_TIME_STR];

	dp_time_format(now, t);
	dp_buf_addf(b,
	            "# The DNS-PERSIST-01 authorizations the zones held on %s, written by\n"
	            "# dnspersist inventory init. Review every entry (and each comment: what\n"
	            "# the audit flags today), then commit it. Format: docs/inventory.md.\n",
	            t);
	if (m->skipped.len > 0) {
		dp_buf_adds(b, "# Not listed:\n");
		dp_buf_add(b, m->skipped.data, m->skipped.len);
	}
	dp_buf_adds(b, "version: 1\n\ncas:\n");
	for (size_t i = 0; i < m->n_cas; i++)
		ca_yaml(b, &m->cas[i]);
	if (m->n_cas == 0)
		dp_buf_adds(b, "  {}\n");
	dp_buf_adds(b, "\naccounts:\n");
	for (size_t i = 0; i < m->n_accounts; i++) {
		dp_buf_addf(b, "  %s:\n    ca: %s\n    uri: ", m->accounts[i].id,
		            m->cas[m->accounts[i].ca].id);
		yaml_str(b, m->accounts[i].uri);
		dp_buf_adds(b, "\n");
	}
	if (m->n_accounts == 0)
		dp_buf_adds(b, "  {}\n");
	domains_yaml(b, m, r);
}

/* ---- the command ----------------------------------------------------------------- */

/* Live DNS rather than zone files: the names come from --names and the operands. */
static bool is_live(const struct init_args *a)
{
	return a->names_file != NULL || a->live.servers.n > 0 || a->live.ns.n > 0 ||
	       a->live.authoritative;
}

/* Why a live run could not read every name: the first failed lookup, and how many more. */
static enum dp_status unread(const struct dp_report *r, struct dp_error *err)
{
	const struct dp_finding *first = NULL;
	size_t n = 0;

	for (size_t i = 0; i < dp_report_finding_count(r); i++)
		if (dp_report_finding(r, i)->id == DP_F_DNS_ERROR) {
			first = first ? first : dp_report_finding(r, i);
			n++;
		}
	if (first == NULL)
		return dp_error_set(err, DP_ELOOKUP, NULL, 0, 0,
		                    "could not read every name (%s); nothing written",
		                    dp_report_unknown_reason(r));
	if (n == 1)
		return dp_error_set(err, DP_ELOOKUP, NULL, 0, 0,
		                    "could not read %s (%s); nothing written", first->name,
		                    first->message);
	return dp_error_set(err, DP_ELOOKUP, NULL, 0, 0,
	                    "could not read %s (%s), nor %zu other name%s; nothing written",
	                    first->name, first->message, n - 1, n == 2 ? "" : "s");
}

/*
 * Audit the input (in NULL: live DNS, the first pass over the names as lint
 * reads records, the second over the generated inventory's names as scan
 * does), with the same lint and scan as the zone files get.
 */
static enum dp_status audit(const struct init_args *a, const struct dp_cli_input *in, int64_t now,
                            struct dp_inventory *inv, struct dp_run **run, struct dp_error *err)
{
	struct dp_run_opts o = {.lint = inv == NULL, .inv = inv, .rules = a->rules, .now = now};
	enum dp_status st;

	if (in != NULL) {
		dp_cli_input_source(in, &o);
	} else {
		o.source = &dp_source_live;
		o.source_config = &a->cfg;
		o.names = inv == NULL ? a->names.v : NULL;
		o.n_names = a->names.n;
	}
	st = dp_run_new(&o, run, err);
	if (st == DP_OK)
		st = dp_run_execute(*run, err);
	/* an inventory from answers that did not come would drop what they hold */
	if (st == DP_OK && dp_report_level(dp_run_report(*run)) == DP_LEVEL_UNKNOWN)
		st = unread(dp_run_report(*run), err);
	return st;
}

/* Read the records, write the inventory, scan with it, write it again with the findings. */
static enum dp_status init(const struct init_args *a, const struct dp_cli_input *in, int64_t now,
                           struct dp_buf *out, struct dp_error *err)
{
	struct model m = {0};
	struct dp_run *run = NULL;
	struct dp_inventory *inv = NULL;
	struct dp_buf draft = {0};
	enum dp_status st = dp_strmap_new(&m.ids);

	if (st == DP_OK)
		st = audit(a, in, now, NULL, &run, err);
	if (st == DP_OK)
		st = collect((struct dp_report *)dp_run_report(run), &m);
	dp_run_free(run);
	run = NULL;
	if (st == DP_OK) {
		inventory_yaml(&draft, &m, NULL, now);
		st = dp_buf_status(&draft);
	}
	if (st == DP_OK)
		st = dp_inventory_load_mem("(generated inventory)", draft.data, draft.len, &inv,
		                           err);
	if (st == DP_OK)
		st = audit(a, in, now, inv, &run, err); /* the run owns inv now */
	if (st == DP_OK) {
		inventory_yaml(out, &m, dp_run_report(run), now);
		st = dp_buf_status(out);
	}
	dp_run_free(run);
	dp_buf_free(&draft);
	model_free(&m);
	return st;
}

/* The names of a live init: the file's, then the operands'. */
static bool gather_names(struct init_args *a)
{
	struct dp_error err = {0};
	enum dp_status st = DP_OK;

	if (a->names_file != NULL)
		st = dp_names_read(&a->names, a->names_file, &err);
	for (size_t i = 0; st == DP_OK && i < a->operands.n; i++)
		st = dp_names_add(&a->names, a->operands.v[i], NULL, 0, &err);
	if (st == DP_OK && a->names.n == 0)
		st = dp_error_set(&err, DP_EINVAL, NULL, 0, 0, "--names: no name to look up");
	if (st != DP_OK)
		dp_cli_error(st, &err);
	return st == DP_OK;
}

/* The zone-file options go with zone files; live options with live DNS. */
static bool check_init_args(struct init_args *a, int64_t *now)
{
	struct dp_error err = {0};

	if (!dp_cli_now(a->now, now) || !dp_cli_zone_format(a->zone_format_arg, &a->zone_format))
		return false;
	if (!is_live(a)) {
		if (a->operands.n == 0)
			dp_msg_error("give the zone files, directories or git:REV to read, or "
			             "--names for live DNS");
		return a->operands.n > 0;
	}
	if (a->origin != NULL || a->zone_format_arg != NULL) {
		dp_msg_error("--origin and --zone-format go with zone files, not live DNS");
		return false;
	}
	if (!dp_live_args_check(&a->live, &a->cfg, &err)) {
		dp_msg_dp_error(&err);
		return false;
	}
	return true;
}

static int run_init(struct init_args *a, int64_t now)
{
	struct dp_cli_input in = {.is_git = false};
	struct dp_error err = {0};
	struct dp_buf out = {0};
	enum dp_status st;
	int rc = DP_EXIT_USAGE;

	if (is_live(a) && !gather_names(a))
		return DP_EXIT_USAGE;
	if (is_live(a)) {
		st = init(a, NULL, now, &out, &err);
	} else {
		st = dp_cli_input_open(a->operands.v, a->operands.n, a->origin, a->zone_format, &in,
		                       &err);
		if (st == DP_OK)
			st = init(a, &in, now, &out, &err);
	}
	if (st != DP_OK)
		dp_cli_error(st, &err);
	if (st == DP_OK && dp_cli_write(&out))
		rc = DP_EXIT_OK;
	else if (st == DP_ELOOKUP)
		rc = DP_EXIT_LOOKUP;
	dp_cli_input_free(&in);
	dp_buf_free(&out);
	return rc;
}

static int cmd_init(int argc, char **argv)
{
	struct init_args a = {0};
	const char *bad;
	int64_t now;
	int rc = DP_EXIT_USAGE;

	if (!dp_opts_parse(init_options, N_OPTS, argc, argv, &a, &a.operands, false, &bad)) {
		rc = dp_cli_usage_error("inventory init");
	} else if (a.help) {
		fputs(init_head, stdout);
		dp_opts_help(init_options, N_OPTS, stdout);
		fputs("\nExit status: 0 written, 2 usage or input error, 3 a name could not be\n"
		      "read from live DNS (nothing is written).\n",
		      stdout);
		rc = DP_EXIT_OK;
	} else if (!check_init_args(&a, &now)) {
		rc = dp_cli_usage_error("inventory init");
	} else {
		rc = run_init(&a, now);
	}
	dp_names_free(&a.names);
	dp_live_args_free(&a.live);
	dp_strv_free(&a.operands);
	return rc;
}

int dp_cmd_inventory(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "init") == 0)
		return cmd_init(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "watchlist") == 0)
		return dp_cmd_inventory_watchlist(argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		char init_s[] = "init", watch_s[] = "watchlist", help_s[] = "--help";
		char *init_help[] = {init_s, help_s, NULL}, *watch_help[] = {watch_s, help_s, NULL};
		int rc = cmd_init(2, init_help);

		fputc('\n', stdout);
		return rc != DP_EXIT_OK ? rc : dp_cmd_inventory_watchlist(2, watch_help);
	}
	dp_msg_error("inventory: give a subcommand: init or watchlist");
	return dp_cli_usage_error("inventory");
}
