/* SPDX-License-Identifier: BSD-3-Clause */
/* dnspersist verify: would a CA validate NAME, and why. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#include "cli/cli.h"
#include "ct/directory.h"
#include "base/msg.h"
#include "base/name.h"
#include "observe/observe.h"
#include "render/render_verify.h"
#include "dns/resolve.h"
#include "source/source.h"
#include "model/verify.h"

static const char verify_head[] =
    "Usage: dnspersist verify NAME --issuer D --account-uri U\n"
    "                         [--txt RDATA... | --zone F... | --server ADDR[@PORT]...] "
    "[OPTION]...\n"
    "Tell whether a CA would validate NAME with dns-persist-01, record by record, and why.\n"
    "The records come from --txt, from zone files (--zone), or else live from DNS.\n"
    "\n";

static const char verify_tail[] =
    "\n"
    "Exit status: 0 the CA would validate (and CAA permits), 1 it would not,\n"
    "2 usage or input error, 3 lookup failure.\n";

struct verify_args {
	const char *name, *account, *origin, *thumbprint, *hash_prefix, *now, *profile;
	const char *format, *directory, *cacert;
	bool wildcard, help;
	struct dp_strv issuers, txts, zones, caa_ids;
	/* normalized copies */
	char name_norm[DP_NAME_MAX];
	char (*issuer_norm)[DP_NAME_MAX];
	char (*caa_norm)[DP_NAME_MAX];
	struct dp_strv issuer_ptrs, caa_ptrs, accounts;
	char *hashed[2];
	struct dp_live_args live;
	struct dp_live_config cfg;
	struct dp_strv operands;
};

#define A struct verify_args

static const struct dp_opt verify_options[] = {
    DP_OPT("issuer", 'i', LIST, A, issuers, "D", "the CA's issuer-domain-name (repeatable)"),
    DP_OPT("account-uri", 'a', STR, A, account, "U", "the requesting ACME account URL"),
    DP_OPT("wildcard", 'w', FLAG, A, wildcard, NULL,
           "the requested name is *.NAME (implied by a '*.' in NAME)"),
    DP_OPT("txt", 't', LIST, A, txts, "RDATA",
           "one TXT record value, character-strings joined (repeatable)"),
    DP_OPT("zone", 'z', LIST, A, zones, "F", "read records and CAA from zone file F (repeatable)"),
    DP_OPT("origin", 0, STR, A, origin, "N", "origin for zone files without $ORIGIN"),
    DP_LIVE_OPTS(A),
    DP_OPT("caa-identity", 0, LIST, A, caa_ids, "D",
           "the CA's CAA issuer identity (repeatable; default: --issuer)"),
    DP_OPT("thumbprint", 0, STR, A, thumbprint, "TP",
           "account key thumbprint: also accept the -02 hashed accounturi"),
    DP_OPT("hash-prefix", 0, STR, A, hash_prefix, "P",
           "the CA's accountHashPrefix (with --thumbprint)"),
    DP_OPT("directory", 0, STR, A, directory, "URL",
           "also check the CA's ACME directory: --issuer among its\ncaaIdentities and "
           "issuerDomainNames; its accountHashPrefix\nfor --thumbprint"),
    DP_OPT("cacert", 0, STR, A, cacert, "FILE", "trust this CA (PEM) too for --directory"),
    DP_OPT("now", 0, STR, A, now, "T", "judge at time T (UNIX seconds, ISO 8601 UTC, +90d)"),
    DP_OPT("profile", 'p', STR, A, profile, "P", "strict (default), boulder or pebble"),
    DP_OPT("format", 'f', STR, A, format, "F", "text (default) or json"),
    DP_OPT("help", 'h', FLAG, A, help, NULL, "show this help and exit"),
};

#undef A
#define N_OPTS (sizeof(verify_options) / sizeof(*verify_options))

static void verify_args_free(struct verify_args *a)
{
	dp_strv_free(&a->issuers);
	dp_strv_free(&a->txts);
	dp_strv_free(&a->zones);
	dp_strv_free(&a->caa_ids);
	dp_live_args_free(&a->live);
	dp_strv_free(&a->operands);
	dp_strv_free(&a->issuer_ptrs);
	dp_strv_free(&a->caa_ptrs);
	dp_strv_free(&a->accounts);
	free(a->issuer_norm);
	free(a->caa_norm);
	free(a->hashed[0]);
	free(a->hashed[1]);
}

static bool parse_verify_args(int argc, char **argv, struct verify_args *a)
{
	const char *bad;

	if (!dp_opts_parse(verify_options, N_OPTS, argc, argv, a, &a->operands, false, &bad))
		return false;
	if (a->help)
		return true;
	if (a->operands.n != 1) {
		dp_msg_error(a->operands.n == 0 ? "give the NAME to verify"
		                                : "give exactly one NAME to verify");
		return false;
	}
	a->name = a->operands.v[0];
	return true;
}

/* Normalize a list of host names given on the command line. */
static bool normalize_names(const char *opt, const struct dp_strv *in, char (**out)[DP_NAME_MAX],
                            struct dp_strv *ptrs)
{
	struct dp_error err = {0};

	*out = calloc(in->n ? in->n : 1, sizeof(**out));
	if (*out == NULL)
		return false;
	for (size_t i = 0; i < in->n; i++) {
		if (dp_name_from_input(in->v[i], (*out)[i], &err) != DP_OK ||
		    dp_name_is_wildcard((*out)[i])) {
			dp_msg_error("%s: %s", opt,
			             err.msg[0] ? err.msg : "a wildcard is no issuer");
			return false;
		}
		if (!dp_strv_push(ptrs, (*out)[i]))
			return false;
	}
	return true;
}

/* --thumbprint and --hash-prefix: also accept the -02 forms for NAME and for any domain. */
static bool add_hashed_accounts(struct verify_args *a)
{
	const char *domains[2] = {dp_name_strip_wildcard(a->name_norm), "*"};
	struct dp_error err = {0};

	if ((a->thumbprint == NULL) != (a->hash_prefix == NULL)) {
		dp_msg_error("--thumbprint and --hash-prefix go together");
		return false;
	}
	if (a->thumbprint == NULL)
		return true;
	for (int i = 0; i < 2; i++) {
		struct dp_buf b = {0};
		if (dp_record_hash_account(a->hash_prefix, domains[i], a->thumbprint, a->account,
		                           &b, &err) != DP_OK) {
			dp_buf_free(&b);
			dp_msg_error("--thumbprint: %s", err.msg[0] ? err.msg : "out of memory");
			return false;
		}
		a->hashed[i] = dp_buf_steal(&b);
		if (a->hashed[i] == NULL || !dp_strv_push(&a->accounts, a->hashed[i]))
			return false;
	}
	return true;
}

static bool check_verify_args(struct verify_args *a)
{
	struct dp_error err = {0};

	if (a->issuers.n == 0 || a->account == NULL || a->account[0] == '\0') {
		dp_msg_error("--issuer and --account-uri are required");
		return false;
	}
	if (a->txts.n > 0 && a->zones.n > 0) {
		dp_msg_error("give the records with --txt or read them with --zone, not both");
		return false;
	}
	if ((a->txts.n > 0 || a->zones.n > 0) &&
	    (a->live.servers.n > 0 || a->live.authoritative || a->live.ns.n > 0)) {
		dp_msg_error(
		    "--server and --authoritative are for live lookups, not --txt or --zone");
		return false;
	}
	if (!dp_live_args_check(&a->live, &a->cfg, &err)) {
		dp_msg_dp_error(&err);
		return false;
	}
	if (a->origin != NULL && a->zones.n == 0) {
		dp_msg_error("--origin goes with --zone");
		return false;
	}
	if (dp_name_from_input(a->name, a->name_norm, &err) != DP_OK) {
		dp_msg_error("NAME: %s", err.msg);
		return false;
	}
	if (!normalize_names("--issuer", &a->issuers, &a->issuer_norm, &a->issuer_ptrs) ||
	    !normalize_names("--caa-identity", &a->caa_ids, &a->caa_norm, &a->caa_ptrs))
		return false;
	if (!dp_strv_push(&a->accounts, a->account))
		return false;
	return add_hashed_accounts(a);
}

static bool is_live(const struct verify_args *a)
{
	return a->txts.n == 0 && a->zones.n == 0;
}

/* The name's records and CAA, live, through the same source as a scan's. */
static enum dp_status gather_live(struct dp_verify *v, const struct verify_args *a)
{
	const char *names[1] = {a->name_norm};
	struct dp_plan *plan = NULL;
	struct dp_obs *obs = NULL;
	struct dp_error err = {0};
	enum dp_status st = dp_plan_new_names(names, 1, &plan);

	if (st == DP_OK)
		st = dp_obs_new("live", &obs);
	if (st == DP_OK)
		st = dp_source_live.observe(&a->cfg, plan, obs, &err);
	dp_plan_free(plan);
	if (st != DP_OK) {
		dp_cli_error(st, &err);
		dp_obs_free(obs);
		return st;
	}
	return dp_verify_use_obs(v, obs);
}

static int gather(struct dp_verify *v, const struct verify_args *a)
{
	struct dp_error err = {0};
	enum dp_status st = DP_OK;

	if (is_live(a)) {
		st = gather_live(v, a);
		if (st == DP_OK)
			st = dp_verify_run(v);
		if (st == DP_OK)
			return DP_EXIT_OK;
		return st == DP_ELOOKUP ? DP_EXIT_LOOKUP : DP_EXIT_USAGE;
	}

	for (size_t i = 0; i < a->txts.n && st == DP_OK; i++)
		st = dp_verify_add_txt(v, a->txts.v[i], strlen(a->txts.v[i]), NULL, 0);
	if (st == DP_OK && a->zones.n > 0)
		st = dp_verify_load_zones(v, a->zones.v, a->zones.n, a->origin, &err);
	if (st == DP_OK)
		st = dp_verify_run(v);
	if (st == DP_OK)
		return DP_EXIT_OK;
	if (err.msg[0] != '\0')
		dp_msg_dp_error(&err);
	else
		dp_msg_error("%s", dp_strerror(st));
	return DP_EXIT_USAGE;
}

static int run_verify(const struct verify_args *a, enum dp_profile profile, int64_t now, bool json)
{
	struct dp_verify_input in = {
	    .name = a->name_norm,
	    .issuers = a->issuer_ptrs.v,
	    .n_issuers = a->issuer_ptrs.n,
	    .caa_ids = a->caa_ptrs.n ? a->caa_ptrs.v : NULL,
	    .n_caa_ids = a->caa_ptrs.n,
	    .account = a->account,
	    .accounts = a->accounts.v,
	    .n_accounts = a->accounts.n,
	    .wildcard = a->wildcard,
	    .now = now,
	    .profile = profile,
	};
	struct dp_verify *v = NULL;
	struct dp_buf out = {0};
	int rc;

	if (dp_verify_new(&in, &v) != DP_OK) {
		dp_msg_error("out of memory");
		return DP_EXIT_USAGE;
	}
	rc = gather(v, a);
	if (rc == DP_EXIT_OK) {
		if (json)
			dp_render_verify_json(v, &out);
		else
			dp_render_verify_text(v, &out);
		if (!dp_cli_write(&out))
			rc = DP_EXIT_USAGE;
		else if (dp_verify_lookup_failed(v))
			rc = DP_EXIT_LOOKUP;
		else
			rc = dp_verify_issuable(v) ? DP_EXIT_OK : DP_EXIT_FAIL;
	}
	dp_buf_free(&out);
	dp_verify_free(v);
	return rc;
}

/* What --directory says, on stdout (stderr with JSON); *mismatch when the issuers are not its. */
static void say_directory(const struct verify_args *a, const struct dp_dir_result *x, bool json,
                          bool *mismatch)
{
	const struct dp_acme_dir *d = &x->dir;
	bool caa = !d->has_caa, names = !d->has_issuers;
	FILE *f = json ? stderr : stdout;

	for (size_t i = 0; i < a->issuer_ptrs.n; i++) {
		caa = caa || dp_acme_dir_lists(d->caa, d->n_caa, a->issuer_ptrs.v[i]);
		names = names || dp_acme_dir_lists(d->issuers, d->n_issuers, a->issuer_ptrs.v[i]);
	}
	fprintf(f, "directory %s: externalAccountRequired %s", x->url, d->ear ? "true" : "false");
	for (size_t i = 0; i < d->n_profiles; i++)
		fprintf(f, "%s%s", i ? ", " : "; profiles ", d->profiles[i]);
	fputc('\n', f);
	if (!caa)
		fprintf(f, "ca-directory-mismatch: no --issuer is among its caaIdentities\n");
	if (!names)
		fprintf(f, "ca-directory-mismatch: no --issuer is among its issuerDomainNames\n");
	*mismatch = !caa || !names;
}

/* --directory: fetched before the checks (its accountHashPrefix serves --thumbprint). */
static int fetch_directory(struct verify_args *a, struct dp_dir_obs **dir)
{
	struct dp_ct_config cfg = {.cacert = a->cacert,
	                           .timeout_ms = 10000,
	                           .retries = 2,
	                           .backoff_ms = 1000,
	                           .version = PACKAGE_VERSION};
	const char *why = NULL;

	*dir = NULL;
	if (a->directory == NULL)
		return DP_EXIT_OK;
	if (!dp_http_url_allowed(a->directory, &why)) {
		dp_msg_error("--directory: %s", why);
		return DP_EXIT_USAGE;
	}
	if (dp_dir_fetch(&cfg, a->directory, dir) != DP_OK) {
		dp_msg_error("out of memory");
		return DP_EXIT_USAGE;
	}
	if ((*dir)->v[0].error != NULL) {
		dp_msg_error("directory-error: %s: %s", a->directory, (*dir)->v[0].error);
		return DP_EXIT_LOOKUP;
	}
	if (a->thumbprint != NULL && a->hash_prefix == NULL)
		a->hash_prefix = (*dir)->v[0].dir.hash_prefix;
	return DP_EXIT_OK;
}

int dp_cmd_verify(int argc, char **argv)
{
	static const char *const formats[] = {"text", "json", NULL};
	struct verify_args a = {0};
	struct dp_dir_obs *dir = NULL;
	enum dp_profile profile = DP_PROFILE_STRICT;
	int64_t now;
	int rc = DP_EXIT_USAGE, fmt = 0;

	if (!parse_verify_args(argc, argv, &a))
		goto out;
	if (a.help) {
		fputs(verify_head, stdout);
		dp_opts_help(verify_options, N_OPTS, stdout);
		fputs(verify_tail, stdout);
		rc = DP_EXIT_OK;
		goto out;
	}
	if (a.profile != NULL && dp_profile_parse(a.profile, &profile) != DP_OK) {
		dp_msg_error("--profile: '%s' is not strict, boulder or pebble", a.profile);
		goto out;
	}
	if (a.format) {
		fmt = dp_cli_choice("--format", a.format, formats);
		if (fmt < 0)
			goto out;
	}
	if (a.cacert != NULL && a.directory == NULL) {
		dp_msg_error("--cacert goes with --directory");
		goto out;
	}
	rc = fetch_directory(&a, &dir);
	if (rc != DP_EXIT_OK)
		goto out;
	rc = DP_EXIT_USAGE;
	if (!dp_cli_now(a.now, &now) || !check_verify_args(&a))
		goto out;
	rc = run_verify(&a, profile, now, fmt == 1);
	if (dir != NULL && rc != DP_EXIT_USAGE) {
		bool mismatch;
		say_directory(&a, &dir->v[0], fmt == 1, &mismatch);
		if (mismatch && rc == DP_EXIT_OK)
			rc = DP_EXIT_FAIL;
	}
	dp_dir_obs_free(dir);
	verify_args_free(&a);
	return rc;
out:
	if (rc == DP_EXIT_USAGE)
		dp_cli_usage_error("verify");
	dp_dir_obs_free(dir);
	verify_args_free(&a);
	return rc;
}
