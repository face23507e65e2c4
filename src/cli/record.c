/* SPDX-License-Identifier: BSD-3-Clause */
/* dnspersist record: the exact TXT record to publish, checked by the record engine. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "base/msg.h"
#include "base/name.h"
#include "base/num.h"
#include "base/timeutil.h"

static const char record_head[] =
    "Usage: dnspersist record --issuer D --account-uri U [OPTION]...\n"
    "Print the _validation-persist TXT record that authorizes an ACME account at a CA.\n"
    "\n";

enum record_format { FMT_ZONE, FMT_VALUE, FMT_JSON };

struct record_args {
	const char *issuer, *account, *name, *persist_until, *hash_prefix, *thumbprint, *ttl;
	const char *now_arg, *format;
	bool wildcard, allow_past, hashed, any_domain, help;
	/* derived */
	char name_norm[DP_NAME_MAX];
	int64_t now, until;
	uint32_t ttl_value;
	enum record_format fmt;
	char *accounturi; /* the value published: the URL, or its hash */
};

#define A struct record_args

static const struct dp_opt record_options[] = {
    DP_OPT("issuer", 'i', STR, A, issuer, "D",
           "the CA's issuer-domain-name (lower case, e.g. letsencrypt.org)"),
    DP_OPT("account-uri", 'a', STR, A, account, "U", "the ACME account URL"),
    DP_OPT("name", 'n', STR, A, name, "N", "the name to authorize (needed for --format zone)"),
    DP_OPT("wildcard", 'w', FLAG, A, wildcard, NULL,
           "add policy=wildcard (also *.N, and under the draft every\nname below N)"),
    DP_OPT("persist-until", 'u', STR, A, persist_until, "T",
           "add persistUntil=T (UNIX seconds, ISO 8601 UTC, +365d)"),
    DP_OPT("allow-past", 0, FLAG, A, allow_past, NULL, "accept a --persist-until in the past"),
    DP_OPT("hashed", 0, FLAG, A, hashed, NULL,
           "publish the -02 hashed accounturi instead of the URL"),
    DP_OPT("hash-prefix", 0, STR, A, hash_prefix, "P",
           "the CA's accountHashPrefix (with --hashed)"),
    DP_OPT("thumbprint", 0, STR, A, thumbprint, "TP",
           "RFC 7638 SHA-256 thumbprint of the account key (with --hashed)"),
    DP_OPT("any-domain", 0, FLAG, A, any_domain, NULL,
           "hash for any domain ('*') instead of --name"),
    DP_OPT("ttl", 0, STR, A, ttl, "S", "TTL of the zone line (default 3600)"),
    DP_OPT("now", 0, STR, A, now_arg, "T",
           "the current time for relative times (default: the clock)"),
    DP_OPT("format", 'f', STR, A, format, "F",
           "zone (default with --name), value (default without) or json"),
    DP_OPT("help", 'h', FLAG, A, help, NULL, "show this help and exit"),
};

#undef A
#define N_OPTS (sizeof(record_options) / sizeof(*record_options))

static bool parse_record_args(int argc, char **argv, struct record_args *a)
{
	const char *bad;

	return dp_opts_parse(record_options, N_OPTS, argc, argv, a, NULL, false, &bad);
}

/* An absolute URI with no space, ';' or control character (it must fit a parameter value). */
static bool check_uri(const char *opt, const char *u)
{
	const char *colon = strchr(u, ':');

	if (u[0] == '\0' || colon == NULL || colon == u) {
		dp_msg_error("%s: '%s' is not an absolute URI (scheme:...)", opt, u);
		return false;
	}
	for (const char *p = u; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch < 0x21 || ch > 0x7e || ch == ';') {
			dp_msg_error("%s: a space, ';', control or non-ASCII character cannot be "
			             "published in a record value",
			             opt);
			return false;
		}
	}
	if (strncmp(u, "https://", 8) != 0)
		dp_msg_warn("%s: '%s' is not an https:// URL; production CAs use https", opt, u);
	return true;
}

static bool check_issuer(const char *issuer)
{
	if (issuer == NULL) {
		dp_msg_error("--issuer is required");
		return false;
	}
	if (!dp_name_is_issuer_grammar(issuer, strlen(issuer))) {
		dp_msg_error("--issuer: '%s' is not a host name of letters, digits and inner "
		             "hyphens without a trailing dot",
		             issuer);
		return false;
	}
	for (const char *p = issuer; *p; p++) {
		if (*p >= 'A' && *p <= 'Z') {
			dp_msg_error("--issuer: give it in lower case, as CAs publish it");
			return false;
		}
	}
	return true;
}

static bool check_times(struct record_args *a)
{
	struct dp_error err = {0};
	int64_t ttl;

	if (!dp_cli_now(a->now_arg, &a->now))
		return false;
	a->ttl_value = 3600;
	if (a->ttl != NULL) {
		if (dp_parse_int(a->ttl, strlen(a->ttl), false, 0, INT32_MAX, &ttl) != DP_OK) {
			dp_msg_error("--ttl: '%s' is not 0..2147483647 seconds", a->ttl);
			return false;
		}
		a->ttl_value = (uint32_t)ttl;
	}
	if (a->persist_until == NULL)
		return true;
	if (dp_time_parse(a->persist_until, a->now, &a->until, &err) != DP_OK) {
		dp_msg_error("--persist-until: %s", err.msg);
		return false;
	}
	if (a->until < a->now && !a->allow_past) {
		char when[DP_TIME_STR];
		dp_time_format(a->until, when);
		dp_msg_error("--persist-until %s is in the past: no CA would use the record "
		             "(--allow-past to print it anyway)",
		             when);
		return false;
	}
	return true;
}

static bool check_name_format(struct record_args *a)
{
	static const char *const formats[] = {"zone", "value", "json", NULL};
	struct dp_error err = {0};
	int f;

	if (a->name != NULL) {
		if (dp_name_from_input(a->name, a->name_norm, &err) != DP_OK) {
			dp_msg_error("--name: %s", err.msg);
			return false;
		}
		if (dp_name_is_wildcard(a->name_norm)) {
			/* The record for *.X lives at X and needs policy=wildcard. */
			memmove(a->name_norm, a->name_norm + 2, strlen(a->name_norm + 2) + 1);
			if (!a->wildcard)
				dp_msg_note("--name is a wildcard: adding policy=wildcard");
			a->wildcard = true;
		}
	}
	a->fmt = a->name ? FMT_ZONE : FMT_VALUE;
	if (a->format != NULL) {
		f = dp_cli_choice("--format", a->format, formats);
		if (f < 0)
			return false;
		a->fmt = (enum record_format)f;
	}
	if (a->fmt == FMT_ZONE && a->name == NULL) {
		dp_msg_error("--format zone needs --name");
		return false;
	}
	return true;
}

static bool make_accounturi(struct record_args *a)
{
	struct dp_buf b = {0};
	struct dp_error err = {0};

	if (!a->hashed) {
		if (a->hash_prefix || a->thumbprint || a->any_domain) {
			dp_msg_error(
			    "--hash-prefix, --thumbprint and --any-domain go with --hashed");
			return false;
		}
		a->accounturi = strdup(a->account);
		return a->accounturi != NULL;
	}
	if (a->hash_prefix == NULL || a->thumbprint == NULL) {
		dp_msg_error("--hashed needs --hash-prefix and --thumbprint");
		return false;
	}
	if (a->name == NULL && !a->any_domain) {
		dp_msg_error("--hashed binds the record to --name; give it, or --any-domain");
		return false;
	}
	if (!check_uri("--hash-prefix", a->hash_prefix))
		return false;
	if (dp_record_hash_account(a->hash_prefix, a->any_domain ? "*" : a->name_norm,
	                           a->thumbprint, a->account, &b, &err) != DP_OK) {
		dp_buf_free(&b);
		dp_msg_error("--thumbprint: %s", err.msg[0] ? err.msg : "out of memory");
		return false;
	}
	a->accounturi = dp_buf_steal(&b);
	return a->accounturi != NULL;
}

/* Parse the value back and judge it under every profile: it must be valid everywhere. */
static bool self_check(const struct record_args *a, const struct dp_buf *value)
{
	const char *issuers[1] = {a->issuer}, *accounts[1] = {a->accounturi};
	/* Judge at a time the record is meant to work: --allow-past asked for an old date. */
	int64_t at = a->persist_until && a->until < a->now ? a->until : a->now;
	struct dp_ca_request req = {issuers, 1, accounts, 1, a->wildcard, at};
	struct dp_record *rec = NULL;
	char reason[512];
	bool ok = dp_record_parse(value->data, value->len, &rec) == DP_OK;

	for (unsigned p = 0; ok && p < DP_PROFILE_COUNT; p++) {
		if (dp_record_evaluate(rec, (enum dp_profile)p, &req, reason, sizeof(reason)) !=
		    DP_VERDICT_VALID) {
			dp_msg_error("internal check failed under %s: %s",
			             dp_profile_name((enum dp_profile)p), reason);
			ok = false;
		}
	}
	dp_record_free(rec);
	return ok;
}

/* What the record authorizes, in plain words (one line each). */
static void explain(const struct record_args *a, struct dp_buf *b, const char *prefix)
{
	const char *n = a->name ? a->name_norm : "the name it is published for";
	char when[DP_TIME_STR];

	dp_buf_addf(b, "%sAuthorizes ACME account %s at %s to validate %s", prefix, a->account,
	            a->issuer, n);
	if (a->wildcard)
		dp_buf_addf(b,
		            " and *.%s.\n%spolicy=wildcard widens it to every name below %s "
		            "under the draft and the BR\n%s(Let's Encrypt uses it for *.%s "
		            "only).\n",
		            n, prefix, n, prefix, n);
	else
		dp_buf_addf(b, " only (not *.%s, not names below it).\n", n);
	if (a->persist_until != NULL) {
		dp_time_format(a->until, when);
		dp_buf_addf(b, "%sNo new validation after %s (persistUntil=%lld).\n", prefix, when,
		            (long long)a->until);
	} else {
		dp_buf_addf(b, "%sNo end date: it authorizes until the record is removed.\n",
		            prefix);
	}
	if (a->hashed)
		dp_buf_addf(b, "%sThe accounturi is the -02 hashed form for %s.\n", prefix,
		            a->any_domain ? "any domain" : n);
}

static void output_json(const struct record_args *a, const struct dp_buf *value, struct dp_buf *out)
{
	json_t *o = json_object(), *strings = json_array();
	struct dp_buf rdata = {0}, why = {0};
	char *s;

	for (size_t off = 0; off < value->len; off += 255)
		json_array_append_new(
		    strings, json_stringn(value->data + off,
		                          value->len - off > 255 ? 255 : value->len - off));
	dp_record_format_txt_rdata(value->data, value->len, &rdata);
	explain(a, &why, "");
	if (a->name)
		json_object_set_new(o, "owner",
		                    json_sprintf("_validation-persist.%s", a->name_norm));
	json_object_set_new(o, "value", json_stringn(value->data, value->len));
	json_object_set_new(o, "strings", strings);
	json_object_set_new(o, "rdata", json_string(rdata.data ? rdata.data : ""));
	json_object_set_new(o, "issuer", json_string(a->issuer));
	json_object_set_new(o, "accounturi", json_string(a->accounturi));
	json_object_set_new(o, "policy", a->wildcard ? json_string("wildcard") : json_null());
	json_object_set_new(o, "persist_until",
	                    a->persist_until ? json_integer(a->until) : json_null());
	json_object_set_new(o, "summary", json_string(why.data ? why.data : ""));
	s = json_dumps(o, JSON_INDENT(2));
	if (s != NULL) {
		dp_buf_adds(out, s);
		dp_buf_addc(out, '\n');
	} else {
		out->failed = true;
	}
	free(s);
	json_decref(o);
	dp_buf_free(&rdata);
	dp_buf_free(&why);
}

static void output(const struct record_args *a, const struct dp_buf *value, struct dp_buf *out)
{
	struct dp_buf why = {0};

	switch (a->fmt) {
	case FMT_ZONE:
		explain(a, out, "; ");
		dp_buf_addf(out, "_validation-persist.%s. %u IN TXT ", a->name_norm, a->ttl_value);
		dp_record_format_txt_rdata(value->data, value->len, out);
		dp_buf_addc(out, '\n');
		break;
	case FMT_VALUE:
		dp_buf_add(out, value->data, value->len);
		dp_buf_addc(out, '\n');
		explain(a, &why, "");
		if (dp_buf_status(&why) == DP_OK)
			fputs(why.data, stderr);
		break;
	case FMT_JSON:
		output_json(a, value, out);
		break;
	}
	dp_buf_free(&why);
}

int dp_cmd_record(int argc, char **argv)
{
	struct record_args a = {0};
	struct dp_buf value = {0}, out = {0};
	int rc = DP_EXIT_USAGE;

	if (!parse_record_args(argc, argv, &a)) {
		dp_cli_usage_error("record");
		return DP_EXIT_USAGE;
	}
	if (a.help) {
		fputs(record_head, stdout);
		dp_opts_help(record_options, N_OPTS, stdout);
		return DP_EXIT_OK;
	}
	if (!check_issuer(a.issuer))
		goto out;
	if (a.account == NULL) {
		dp_msg_error("--account-uri is required");
		goto out;
	}
	if (!check_uri("--account-uri", a.account) || !check_times(&a) || !check_name_format(&a) ||
	    !make_accounturi(&a))
		goto out;
	dp_record_format(&(struct dp_record_spec){a.issuer, a.accounturi, a.wildcard,
	                                          a.persist_until != NULL, a.until},
	                 &value);
	if (dp_buf_status(&value) != DP_OK || !self_check(&a, &value))
		goto out;
	output(&a, &value, &out);
	rc = dp_cli_write(&out) ? DP_EXIT_OK : DP_EXIT_USAGE;
out:
	dp_buf_free(&value);
	dp_buf_free(&out);
	free(a.accounturi);
	return rc;
}
