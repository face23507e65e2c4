/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests for the audit: for every finding id, a fixture that triggers
 * it and one that passes (house style, ARCHITECTURE.md section 7.10).
 */
#include "cmocka_wrap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "base/buf.h"
#include "render/render.h"

#define NOW 1790000000
#define P   "letsencrypt.org; accounturi=https://le/acct/1"

static const char inventory[] =
    "version: 1\n"
    "cas:\n"
    "  le: {issuer: letsencrypt.org, wildcard_scope: wildcard-only, profile: boulder}\n"
    "  other: {issuer: ca.example}\n"
    "accounts:\n"
    "  prod: {ca: le, uri: 'https://le/acct/1'}\n"
    "  stage: {ca: le, uri: 'https://le/acct/2'}\n"
    "  oth: {ca: other, uri: 'https://ca.example/acct/7'}\n"
    "zones: [example.com]\n"
    "domains:\n"
    "  - {name: example.com, authorize: [{account: prod, wildcard: true}]}\n"
    "  - {name: a.example.com, authorize: [{account: prod}]}\n"
    "  - {name: none.example.com, authorize: []}\n"
    "  - {name: pu.example.com, authorize: [{account: prod, persist_until: required}]}\n"
    "  - {name: nopu.example.com, authorize: [{account: prod, persist_until: forbidden}]}\n";

/* The apex as the inventory wants it, so fixtures only add what they test. */
#define APEX            "_validation-persist TXT \"" P "; policy=wildcard\"\n"
#define AT(name, value) "_validation-persist." name " TXT \"" value "\"\n"

struct fixture {
	const char *id;
	bool triggers;
	const char *zone;
	const char *rules; /* NULL: defaults */
	bool lint;
	int severity;    /* expected severity when triggered, or -1 */
	const char *dns; /* what live lookups of a.example.com met (see with_dns), or NULL */
	const char *ct;  /* a Cert Spotter answer for the CT cross-check, or NULL */
	const char *dir; /* CA le's ACME directory (--check-directories), or NULL */
};

/* One Cert Spotter issuance, unexpired at NOW, issued on day nb. */
#define CERT(id, names, caa, nb)                                                                   \
	"{\"id\":\"" id "\",\"dns_names\":[" names "],\"not_before\":\"" nb                        \
	"T00:00:00Z\",\"not_after\":\"2027-06-01T00:00:00Z\",\"issuer\":{\"friendly_name\":"       \
	"\"CA " id "\",\"caa_domains\":" caa "}}"

/* Fixtures leave .dns out unless they are about DNS. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define REQUIRE_DNSSEC "version: 1\ndnssec: {require: true}\n"

static const struct fixture fixtures[] = {
    {"record-malformed", true, APEX AT("a", P ";"), NULL, false, DP_SEV_CRITICAL},
    {"record-malformed", false, APEX AT("a", P), NULL, false, -1},
    {"record-noncanonical", true, APEX AT("a", "letsencrypt.org; ACCOUNTURI=https://le/acct/1"),
     NULL, false, DP_SEV_NOTICE},
    {"record-noncanonical", false, APEX AT("a", P), NULL, false, -1},
    {"record-divergent", true, APEX AT("a", P "; x=1; x=2"), NULL, false, DP_SEV_WARNING},
    {"record-divergent", false, APEX AT("a", P "; x=1; y=2"), NULL, false, -1},
    {"record-duplicate", true, APEX AT("a", P) AT("a", P "; note=again"), NULL, false, -1},
    {"record-duplicate", false, APEX AT("a", P) AT("a", "ca.example; accounturi=u"), NULL, false,
     -1},
    {"record-missing", true, APEX, NULL, false, DP_SEV_CRITICAL},
    {"record-missing", false, APEX AT("a", P) AT("pu", P "; persistUntil=1798640000") AT("nopu", P),
     NULL, false, -1},
    {"account-unexpected", true, APEX AT("a", "letsencrypt.org; accounturi=https://le/acct/9"),
     NULL, false, DP_SEV_CRITICAL},
    {"account-unexpected", true,
     APEX AT("a", P) AT("a", "letsencrypt.org; accounturi=https://le/acct/2"), NULL, false, -1},
    {"account-unexpected", false, APEX AT("a", P), NULL, false, -1},
    {"issuer-unexpected", true, APEX AT("a", P) AT("a", "sectigo.com; accounturi=x:1"), NULL, false,
     DP_SEV_CRITICAL},
    {"issuer-unexpected", false, APEX AT("a", P), NULL, false, -1},
    {"authorization-unexpected", true, APEX AT("none", P), NULL, false, DP_SEV_CRITICAL},
    {"authorization-unexpected", true, APEX AT("zz", P), NULL, false, -1},
    {"authorization-unexpected", true,
     APEX "_validation-persist TXT \"ca.example; accounturi=https://ca.example/acct/7; "
          "policy=wildcard\"\n",
     NULL, false, -1},
    {"authorization-unexpected", false, APEX AT("a", P), NULL, false, -1},
    {"wildcard-unneeded", true, APEX AT("a", P "; policy=wildcard"), NULL, false, DP_SEV_WARNING},
    {"wildcard-unneeded", false, APEX AT("a", P), NULL, false, -1},
    {"wildcard-missing", true, "_validation-persist TXT \"" P "\"\n", NULL, false, DP_SEV_CRITICAL},
    {"wildcard-missing", false, APEX, NULL, false, -1},
    {"persist-until-expired", true, APEX AT("a", P "; persistUntil=1780000000"), NULL, false,
     DP_SEV_CRITICAL},
    {"persist-until-expired", false, APEX AT("a", P "; persistUntil=1798640000"), NULL, false, -1},
    {"persist-until-expiring", true, APEX AT("a", P "; persistUntil=1790259200"), NULL, false,
     DP_SEV_CRITICAL},
    {"persist-until-expiring", true, APEX AT("a", P "; persistUntil=1791728000"), NULL, false,
     DP_SEV_WARNING},
    {"persist-until-expiring", false, APEX AT("a", P "; persistUntil=1798640000"), NULL, false, -1},
    {"persist-until-absent", true, APEX AT("pu", P), NULL, false, DP_SEV_WARNING},
    {"persist-until-absent", true, APEX AT("a", P), "version: 1\npersist_until: {require: true}\n",
     false, -1},
    {"persist-until-absent", false, APEX AT("pu", P "; persistUntil=1798640000"), NULL, false, -1},
    {"persist-until-too-far", true, APEX AT("a", P "; persistUntil=1833200000"), NULL, false,
     DP_SEV_WARNING},
    {"persist-until-too-far", false, APEX AT("a", P "; persistUntil=1798640000"), NULL, false, -1},
    {"persist-until-present", true, APEX AT("nopu", P "; persistUntil=1798640000"), NULL, false,
     DP_SEV_WARNING},
    {"persist-until-present", false, APEX AT("nopu", P), NULL, false, -1},
    {"account-uri-pattern", true, APEX AT("a", P),
     "version: 1\naccounts: {allow_uri: ['^https://acme\\.example/']}\n", false, DP_SEV_WARNING},
    {"account-uri-pattern", false, APEX AT("a", P),
     "version: 1\naccounts: {allow_uri: ['^https://le/acct/[0-9]+$']}\n", false, -1},
    {"wildcard-forbidden", true, APEX,
     "version: 1\nnames: {forbid_wildcard: ['^example\\.com$']}\n", false, DP_SEV_CRITICAL},
    {"wildcard-forbidden", false, APEX,
     "version: 1\nnames: {forbid_wildcard: ['^prod\\.example\\.com$']}\n", false, -1},
    {"caa-forbids-issuer", true, APEX AT("a", P) "a CAA 0 issue \"ca.example\"\n", NULL, false,
     DP_SEV_CRITICAL},
    {"caa-forbids-issuer", false, APEX AT("a", P) "a CAA 0 issue \"letsencrypt.org\"\n", NULL,
     false, -1},
    {"caa-method-excluded", true,
     APEX AT("a", P) "a CAA 0 issue \"letsencrypt.org; validationmethods=http-01\"\n", NULL, false,
     DP_SEV_CRITICAL},
    {"caa-method-excluded", false,
     APEX AT("a", P) "a CAA 0 issue \"letsencrypt.org; validationmethods=dns-persist-01\"\n", NULL,
     false, -1},
    {"caa-account-mismatch", true,
     APEX AT("a", P) "a CAA 0 issue \"letsencrypt.org; accounturi=https://le/acct/2\"\n", NULL,
     false, DP_SEV_CRITICAL},
    {"caa-account-mismatch", false,
     APEX AT("a", P) "a CAA 0 issue \"letsencrypt.org; accounturi=https://le/acct/1\"\n", NULL,
     false, -1},
    {"caa-unsatisfiable", true,
     APEX AT("a", P) "a CAA 128 tbs \"x\"\na CAA 0 issue \"letsencrypt.org\"\n", NULL, false,
     DP_SEV_CRITICAL},
    {"caa-unsatisfiable", false, APEX AT("a", P) "a CAA 0 tbs \"x\"\n", NULL, false, -1},
    {"caa-account-unbound", true, APEX AT("a", P) "@ CAA 0 issue \"letsencrypt.org\"\n",
     "version: 1\ncaa: {require_accounturi: true}\n", false, DP_SEV_WARNING},
    {"caa-account-unbound", false,
     APEX AT("a", P) "@ CAA 0 issue \"letsencrypt.org; accounturi=https://le/acct/1\"\n",
     "version: 1\ncaa: {require_accounturi: true}\n", false, -1},
    {"caa-method-unbound", true, APEX AT("a", P) "@ CAA 0 issue \"letsencrypt.org\"\n",
     "version: 1\ncaa: {require_method: true}\n", false, DP_SEV_WARNING},
    {"caa-method-unbound", false,
     APEX AT("a", P) "@ CAA 0 issue \"letsencrypt.org; validationmethods=dns-persist-01\"\n",
     "version: 1\ncaa: {require_method: true}\n", false, -1},
    {"caa-missing", true, APEX AT("a", P), "version: 1\ncaa: {require: true}\n", false,
     DP_SEV_WARNING},
    {"caa-missing", false, APEX AT("a", P) "@ CAA 0 issue \"letsencrypt.org\"\n",
     "version: 1\ncaa: {require: true}\n", false, -1},
    /* severity overrides, and "off" */
    {"record-missing", true, APEX, "version: 1\nseverity: {record-missing: notice}\n", false,
     DP_SEV_NOTICE},
    {"record-missing", false, APEX, "version: 1\nseverity: {record-missing: 'off'}\n", false, -1},
    /* lint: records on their own */
    {"record-malformed", true, AT("q", P ";"), NULL, true, DP_SEV_CRITICAL},
    {"persist-until-expired", true, AT("q", P "; persistUntil=1"), NULL, true, -1},
    {"persist-until-too-far", false, AT("q", P "; persistUntil=1999999999"), NULL, true, -1},
    {"caa-forbids-issuer", true, AT("q", P) "q CAA 0 issue \"ca.example\"\n", NULL, true, -1},
    {"caa-forbids-issuer", true, AT("q", P "; policy=wildcard") "q CAA 0 issuewild \";\"\n", NULL,
     true, -1},
    {"caa-forbids-issuer", false, AT("q", P) "q CAA 0 issue \"letsencrypt.org\"\n", NULL, true, -1},
    {"account-unexpected", false, AT("q", "letsencrypt.org; accounturi=https://le/acct/9"), NULL,
     true, -1},
    /* DNS: what a live source noted (the zone text stands in for its data) */
    {"dns-error", true, APEX AT("a", P), NULL, false, DP_SEV_CRITICAL, "error"},
    {"dns-error", false, APEX AT("a", P), NULL, false, -1, "secure"},
    /* no guessing after a failure: a.example.com has no record, yet none is said missing */
    {"record-missing", false, APEX AT("pu", P "; persistUntil=1798640000") AT("nopu", P), NULL,
     false, -1, "error"},
    {"dnssec-bogus", true, APEX, NULL, false, DP_SEV_CRITICAL, "bogus"},
    {"dnssec-bogus", false, APEX AT("a", P), NULL, false, -1, "insecure"},
    {"dnssec-insecure", true, APEX AT("a", P), REQUIRE_DNSSEC, false, DP_SEV_WARNING, "insecure"},
    {"dnssec-insecure", false, APEX AT("a", P), REQUIRE_DNSSEC, false, -1, "secure"},
    {"dnssec-insecure", false, APEX AT("a", P), NULL, false, -1, "insecure"},
    {"ns-inconsistent", true, APEX AT("a", P), NULL, false, DP_SEV_WARNING, "inconsistent"},
    {"ns-inconsistent", false, APEX AT("a", P), NULL, false, -1, "secure"},
    {"cname-dangling", true, APEX AT("a", P), NULL, false, DP_SEV_CRITICAL, "dangling"},
    {"cname-dangling", false, APEX AT("a", P), NULL, false, -1, "cut"},
    /* a record CNAME that loops: a CA's lookup fails */
    {"cname-loop", true,
     APEX "_validation-persist.a CNAME _validation-persist.b\n"
          "_validation-persist.b CNAME _validation-persist.a\n",
     NULL, false, DP_SEV_CRITICAL},
    {"cname-loop", true, "_validation-persist.q CNAME _validation-persist.q\n", NULL, true,
     DP_SEV_CRITICAL},
    {"cname-loop", false, APEX "_validation-persist.a CNAME _validation-persist.b\n" AT("b", P),
     NULL, false, -1},
    /* CT (--ct): certificates against the inventory and the records */
    {"ct-issuer-unexpected", true, APEX AT("a", P), NULL, false, DP_SEV_CRITICAL, NULL,
     "[" CERT("1", "\"a.example.com\"", "[\"digicert.com\"]", "2026-09-01") "]"},
    {"ct-issuer-unexpected", false, APEX AT("a", P), NULL, false, -1, NULL,
     "[" CERT("1", "\"a.example.com\"", "[\"letsencrypt.org\"]", "2026-09-01") "]"},
    {"ct-name-unexpected", true, APEX, NULL, false, DP_SEV_WARNING, NULL,
     "[" CERT("1", "\"b.example.com\"", "[\"letsencrypt.org\"]", "2026-09-01") "]"},
    {"ct-name-unexpected", false, APEX, NULL, false, -1, NULL,
     "[" CERT("1", "\"a.example.com\"", "[\"letsencrypt.org\"]", "2026-09-01") "]"},
    {"ct-wildcard-unexpected", true, APEX, NULL, false, DP_SEV_WARNING, NULL,
     "[" CERT("1", "\"*.a.example.com\"", "[\"letsencrypt.org\"]", "2026-09-01") "]"},
    {"ct-wildcard-unexpected", false, APEX, NULL, false, -1, NULL,
     "[" CERT("1", "\"*.example.com\"", "[\"letsencrypt.org\"]", "2026-09-01") "]"},
    {"authorization-unused", true, APEX AT("a", P), NULL, false, DP_SEV_NOTICE, NULL,
     "[" CERT("1", "\"b.example.net\"", "[\"letsencrypt.org\"]", "2026-09-01") "]"},
    {"authorization-unused", false, APEX AT("a", P), NULL, false, -1, NULL,
     "[" CERT("1", "\"example.com\", \"a.example.com\"", "[\"letsencrypt.org\"]",
              "2026-09-01") "]"},
    {"ct-after-persist-until", true, APEX AT("pu", P "; persistUntil=1700000000"), NULL, false,
     DP_SEV_WARNING, NULL,
     "[" CERT("1", "\"pu.example.com\"", "[\"letsencrypt.org\"]", "2026-09-01") "]"},
    {"ct-after-persist-until", false, APEX AT("pu", P "; persistUntil=1798640000"), NULL, false, -1,
     NULL, "[" CERT("1", "\"pu.example.com\"", "[\"letsencrypt.org\"]", "2026-09-01") "]"},
    {"ct-issuer-unknown", true, APEX, NULL, false, DP_SEV_WARNING, NULL,
     "[" CERT("1", "\"a.example.com\"", "null", "2026-09-01") "]"},
    {"ct-issuer-unknown", false, APEX, NULL, false, -1, NULL,
     "[" CERT("1", "\"a.example.com\"", "[\"letsencrypt.org\"]", "2026-09-01") "]"},
    {"ct-error", true, APEX, NULL, false, DP_SEV_CRITICAL, NULL, "[{\"id\":"},
    {"ct-error", false, APEX, NULL, false, -1, NULL, "[]"},
    /* ACME directories (--check-directories) */
    {"ca-directory-mismatch", true, APEX, NULL, false, DP_SEV_CRITICAL, NULL, NULL,
     "{\"newNonce\":\"x\",\"meta\":{\"caaIdentities\":[\"other.example\"]}}"},
    {"ca-directory-mismatch", false, APEX, NULL, false, -1, NULL, NULL,
     "{\"newNonce\":\"x\",\"zz\":1,\"meta\":{\"caaIdentities\":[\"letsencrypt.org\"]}}"},
    {"directory-error", true, APEX, NULL, false, DP_SEV_CRITICAL, NULL, NULL, "<html>"},
    {"directory-error", false, APEX, NULL, false, -1, NULL, NULL, "{\"newNonce\":\"x\"}"},
};

/* Note on a.example.com what a live lookup met, as the live source would. */
static void with_dns(struct dp_obs *o, const char *what)
{
	struct dp_obs_dns *d = dp_obs_dns(o, "a.example.com");

	assert_non_null(d);
	if (strcmp(what, "error") == 0)
		d->error = "TXT _validation-persist.a.example.com: timeout from 192.0.2.1@53";
	else if (strcmp(what, "bogus") == 0)
		d->bogus = "TXT _validation-persist.a.example.com: validation failed";
	else if (strcmp(what, "dangling") == 0)
		d->dangling = "gone.example.net";
	else if (strcmp(what, "inconsistent") == 0)
		d->inconsistent = "192.0.2.1@53 answers NOERROR with 1 RR(s), 192.0.2.2@53 with 2";
	else if (strcmp(what, "cut") == 0)
		d->cut = "192.0.2.1@53 refused CAA com";
	else
		d->dnssec = strcmp(what, "secure") == 0 ? DP_DNSSEC_SECURE : DP_DNSSEC_INSECURE;
}

struct world {
	struct dp_inventory *inv;
	struct dp_rules *rules;
	struct dp_obs *obs;
	struct dp_report *report;
	struct dp_ct_obs *ct;
	struct dp_dir_obs *dirs;
	struct dp_ct_config ct_cfg;
	char ct_file[64];
};

/* The CT observation of f->ct, read as a saved answer (file:). */
static void with_ct(struct world *w, const char *json)
{
	int fd;
	FILE *f;

	snprintf(w->ct_file, sizeof(w->ct_file), "/tmp/dp-test-ct-XXXXXX");
	fd = mkstemp(w->ct_file);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(json, f);
	fclose(f);
	w->ct_cfg = (struct dp_ct_config){.kind = DP_CT_FILE, .file = w->ct_file};
	assert_int_equal(dp_ct_observe(&w->ct_cfg, w->inv, NOW, &w->ct), DP_OK);
}

/* CA le's directory as fetched: parsed, or the parse error as the fetch's. */
static void with_dir(struct world *w, const char *json)
{
	struct dp_error err = {0};
	struct dp_dir_result *x;

	w->dirs = calloc(1, sizeof(*w->dirs));
	assert_non_null(w->dirs);
	x = w->dirs->v = calloc(1, sizeof(*x));
	assert_non_null(x);
	w->dirs->n = 1;
	x->ca = dp_inventory_ca(w->inv, 0);
	x->url = "https://le.example/directory";
	if (dp_acme_dir_parse(json, strlen(json), &x->dir, &err) != DP_OK)
		x->error = strdup(err.msg);
}

static void world_free(struct world *w)
{
	dp_report_free(w->report);
	dp_ct_obs_free(w->ct);
	dp_dir_obs_free(w->dirs);
	if (w->ct_file[0] != '\0')
		unlink(w->ct_file);
	dp_obs_free(w->obs);
	dp_rules_free(w->rules);
	dp_inventory_free(w->inv);
}

static void run(const struct fixture *f, struct world *w)
{
	struct dp_error err = {0};
	struct dp_audit_input in;

	memset(w, 0, sizeof(*w));
	assert_int_equal(
	    dp_inventory_load_mem("inv.yaml", inventory, strlen(inventory), &w->inv, &err), DP_OK);
	if (f->rules)
		assert_int_equal(
		    dp_rules_load_mem("rules.yaml", f->rules, strlen(f->rules), &w->rules, &err),
		    DP_OK);
	else
		assert_int_equal(dp_rules_default(&w->rules), DP_OK);
	assert_int_equal(dp_obs_new("zone", &w->obs), DP_OK);
	if (dp_obs_load_zone_text(w->obs, "t.zone", f->zone, strlen(f->zone), "example.com",
	                          &err) != DP_OK)
		fail_msg("zone: %s:%lu: %s", err.file, err.line, err.msg);
	if (f->dns != NULL)
		with_dns(w->obs, f->dns);
	assert_int_equal(dp_report_new("zone", NOW, &w->report), DP_OK);
	if (f->ct != NULL)
		with_ct(w, f->ct);
	if (f->dir != NULL)
		with_dir(w, f->dir);
	in = (struct dp_audit_input){f->lint ? NULL : w->inv, w->rules, w->obs, NOW, NULL};
	in.ct = w->ct;
	in.dirs = w->dirs;
	assert_int_equal(f->lint ? dp_audit_lint(&in, w->report) : dp_audit_scan(&in, w->report),
	                 DP_OK);
}

static const struct dp_finding *find(const struct dp_report *r, const char *id)
{
	for (size_t i = 0; i < dp_report_finding_count(r); i++)
		if (strcmp(dp_finding_info(dp_report_finding(r, i)->id)->id, id) == 0)
			return dp_report_finding(r, i);
	return NULL;
}

static void dump(const struct dp_report *r)
{
	for (size_t i = 0; i < dp_report_finding_count(r); i++) {
		const struct dp_finding *f = dp_report_finding(r, i);
		print_message("   %s %s %s: %s\n", dp_severity_name(f->severity),
		              dp_finding_info(f->id)->id, f->name, f->message);
	}
}

static void test_fixtures(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(fixtures); i++) {
		const struct fixture *f = &fixtures[i];
		struct world w;
		const struct dp_finding *got;
		run(f, &w);
		got = find(w.report, f->id);
		if ((got != NULL) != f->triggers) {
			dump(w.report);
			fail_msg("fixture %zu: %s should %s", i, f->id,
			         f->triggers ? "trigger" : "not trigger");
		}
		if (got && f->severity >= 0 && got->severity != (enum dp_severity)f->severity) {
			dump(w.report);
			fail_msg("fixture %zu: %s is %s, want %s", i, f->id,
			         dp_severity_name(got->severity),
			         dp_severity_name((enum dp_severity)f->severity));
		}
		world_free(&w);
	}
}

/* Every catalogue id has a fixture that triggers it. */
static void test_catalogue_covered(void **state)
{
	(void)state;
	for (int id = 0; id < DP_F_COUNT; id++) {
		bool found = false;
		for (size_t i = 0; i < ARRAY_LEN(fixtures) && !found; i++)
			found = fixtures[i].triggers &&
			        strcmp(fixtures[i].id,
			               dp_finding_info((enum dp_finding_id)id)->id) == 0;
		if (!found)
			fail_msg("no fixture triggers %s",
			         dp_finding_info((enum dp_finding_id)id)->id);
	}
}

static void test_clean_is_ok(void **state)
{
	static const struct fixture clean = {
	    "",   false, APEX AT("a", P) AT("pu", P "; persistUntil=1798640000") AT("nopu", P),
	    NULL, false, -1};
	struct world w;

	(void)state;
	run(&clean, &w);
	if (dp_report_level(w.report) != DP_LEVEL_OK) {
		dump(w.report);
		fail_msg("a zone that matches the inventory should be ok");
	}
	world_free(&w);
}

/* A failed lookup makes the run unknown (exit 3), never OK; a cut climb is noted. */
static void test_dns_states(void **state)
{
	static const struct fixture failed = {"dns-error", true, APEX AT("a", P), NULL,
	                                      false,       -1,   "error"};
	static const struct fixture cut = {
	    "caa-missing", false, APEX AT("a", P), "version: 1\ncaa: {require: true}\n", false, -1,
	    "cut"};
	struct world w;

	(void)state;
	run(&failed, &w);
	assert_int_equal(dp_report_level(w.report), DP_LEVEL_UNKNOWN);
	assert_non_null(dp_report_unknown_reason(w.report));
	world_free(&w);
	run(&cut, &w);
	assert_int_not_equal(dp_report_level(w.report), DP_LEVEL_UNKNOWN);
	for (size_t i = 0; i < dp_report_name_count(w.report); i++) {
		const struct dp_report_name *n = dp_report_name_at(w.report, i);
		if (strcmp(n->name, "a.example.com") == 0)
			assert_string_equal(n->note, "192.0.2.1@53 refused CAA com");
		else
			assert_null(n->note);
	}
	/* a climb cut short proves no CAA missing; the others' climbs do */
	for (size_t i = 0; i < dp_report_finding_count(w.report); i++) {
		const struct dp_finding *f = dp_report_finding(w.report, i);
		if (f->id == DP_F_CAA_MISSING)
			assert_string_not_equal(f->name, "a.example.com");
	}
	assert_non_null(find(w.report, "caa-missing"));
	world_free(&w);
}

/* The name's entry, its details loaded (they last until the next load). */
static const struct dp_report_name *name_in(struct dp_report *r, const char *name)
{
	const struct dp_report_name *n;

	for (size_t i = 0; i < dp_report_name_count(r); i++)
		if (strcmp(dp_report_name_at(r, i)->name, name) == 0) {
			assert_int_equal(dp_report_load_details(r, i, &n), DP_OK);
			return n;
		}
	fail_msg("%s is not in the report", name);
	return NULL;
}

static size_t auth_count(const struct dp_report_name *n)
{
	size_t k = 0;
	for (const struct dp_report_auth *a = n->auths; a != NULL; a = a->next)
		k++;
	return k;
}

static void test_effective_authorizations(void **state)
{
	static const struct fixture f = {
	    "",
	    false,
	    APEX AT("a", P) "_validation-persist TXT \"ca.example; "
	                    "accounturi=https://ca.example/acct/7; policy=wildcard\"\n",
	    NULL,
	    false,
	    -1};
	struct world w;
	const struct dp_report_name *a, *apex;

	(void)state;
	run(&f, &w);
	/* a: its own record, plus ca.example inherited through the apex (subdomains scope);
	 * not Let's Encrypt's apex wildcard (wildcard-only scope). */
	a = name_in(w.report, "a.example.com");
	assert_non_null(a->auths);
	assert_string_equal(a->auths->issuer, "letsencrypt.org");
	assert_int_equal(a->auths->covers, DP_COVERS_NAME);
	assert_non_null(a->auths->next);
	assert_string_equal(a->auths->next->issuer, "ca.example");
	assert_string_equal(a->auths->next->via, "_validation-persist.example.com");
	assert_null(a->auths->next->next);
	assert_non_null(a->records);
	apex = name_in(w.report, "example.com");
	assert_int_equal(apex->auths->covers, DP_COVERS_NAME | DP_COVERS_WILDCARD);
	assert_int_equal(apex->auths->next->covers,
	                 DP_COVERS_NAME | DP_COVERS_WILDCARD | DP_COVERS_BELOW);
	/* details are held for one name at a time, and rebuilt the same when asked again */
	assert_null(a->auths);
	assert_null(a->records);
	a = name_in(w.report, "a.example.com");
	assert_int_equal(auth_count(a), 2);
	assert_string_equal(a->auths->next->via, "_validation-persist.example.com");
	assert_null(apex->auths);
	world_free(&w);
}

/* Findings of one severity at one name: the catalogue decides the order (a cause
 * before its consequences), not the paths of the files they came from. */
static void report_in_order(const char *zone, const char *inv)
{
	struct dp_report *r = NULL;

	assert_int_equal(dp_report_new("zone", NOW, &r), DP_OK);
	assert_int_equal(dp_report_add_finding(r, DP_F_CAA_FORBIDS_ISSUER, DP_SEV_CRITICAL,
	                                       "h.test", "", NULL, 0, "caa"),
	                 DP_OK);
	assert_int_equal(dp_report_add_finding(r, DP_F_RECORD_MISSING, DP_SEV_CRITICAL, "h.test",
	                                       "", inv, 3, "missing"),
	                 DP_OK);
	assert_int_equal(dp_report_add_finding(r, DP_F_RECORD_MALFORMED, DP_SEV_CRITICAL, "h.test",
	                                       "", zone, 7, "malformed"),
	                 DP_OK);
	assert_int_equal(dp_report_add_finding(r, DP_F_WILDCARD_UNNEEDED, DP_SEV_WARNING, "a.test",
	                                       "", zone, 1, "first by name, later by severity"),
	                 DP_OK);
	assert_int_equal(dp_report_finish(r), DP_OK);
	assert_int_equal(dp_report_finding_count(r), 4);
	assert_int_equal(dp_report_finding(r, 0)->id, DP_F_RECORD_MALFORMED);
	assert_int_equal(dp_report_finding(r, 1)->id, DP_F_RECORD_MISSING);
	assert_int_equal(dp_report_finding(r, 2)->id, DP_F_CAA_FORBIDS_ISSUER);
	assert_int_equal(dp_report_finding(r, 3)->id, DP_F_WILDCARD_UNNEEDED);
	dp_report_free(r);
}

static void test_finding_order(void **state)
{
	(void)state;
	report_in_order("/tmp/zone", "/check/inventory.yaml");
	report_in_order("/check/zone", "/tmp/inventory.yaml");
}

/* A detail function that adds one record, a finding and a note (the last two ignored). */
static enum dp_status one_record(const void *ctx, struct dp_report *r, struct dp_report_name *n)
{
	const enum dp_status *fail = ctx;
	struct dp_report_record rec = {
	    .owner = "_validation-persist.a.test", .rdata = "v", .len = 1};
	enum dp_status st = dp_report_add_record(r, n, &rec);

	if (st == DP_OK)
		st = dp_report_add_finding(r, DP_F_RECORD_MISSING, DP_SEV_CRITICAL, n->name, "",
		                           NULL, 0, "ignored");
	if (st == DP_OK)
		st = dp_report_set_note(r, n, "ignored");
	return st == DP_OK ? *fail : st;
}

static struct dp_report *deferred_report(enum dp_status fail)
{
	struct dp_report *r = NULL;
	struct dp_report_record rec = {
	    .owner = "_validation-persist.a.test", .rdata = "v", .len = 1};

	assert_int_equal(dp_report_new("zone", NOW, &r), DP_OK);
	assert_int_equal(dp_report_defer_details(r, one_record, &fail, sizeof(fail)), DP_OK);
	assert_false(dp_report_keeps_details(r));
	/* the first pass: counted, not kept */
	assert_int_equal(dp_report_add_record(r, dp_report_name(r, "a.test"), &rec), DP_OK);
	assert_int_equal(dp_report_add_finding(r, DP_F_WILDCARD_UNNEEDED, DP_SEV_WARNING, "a.test",
	                                       "", NULL, 0, "kept"),
	                 DP_OK);
	assert_int_equal(dp_report_finish(r), DP_OK);
	return r;
}

static void test_deferred_details(void **state)
{
	struct dp_report *r = deferred_report(DP_OK);
	struct dp_render_opts ro = {.version = "test"};
	struct dp_buf b = {0};
	const struct dp_report_name *n;

	(void)state;
	assert_int_equal(dp_report_record_count(r), 1);
	/* the first pass keeps no details; the second pass is asked for explicitly */
	assert_null(dp_report_name_at(r, 0)->records);
	assert_int_equal(dp_report_load_details(r, 0, &n), DP_OK);
	assert_non_null(n->records);
	assert_string_equal(n->records->rdata, "v");
	assert_null(n->records->next);
	assert_null(n->note);
	assert_int_equal(dp_report_finding_count(r), 1);
	assert_int_equal(dp_report_record_count(r), 1);
	assert_int_equal(dp_render_report(r, &dp_render_text, &ro, &b), DP_OK);
	assert_non_null(strstr(b.data, "warning: 1 name, 1 record, 0 critical, 1 warning"));
	dp_buf_free(&b);
	dp_report_free(r);

	/* a name whose details cannot be rebuilt fails the rendering */
	r = deferred_report(DP_ENOMEM);
	assert_int_equal(dp_render_report(r, &dp_render_json, &ro, &b), DP_ENOMEM);
	dp_buf_free(&b);
	dp_report_free(r);
}

/* Keys of every finding of a run, sorted, joined: a set to compare. */
static void keys_of(const struct dp_report *r, char *out, size_t size)
{
	char keys[64][DP_FINDING_KEY_LEN + 1];
	size_t n = dp_report_finding_count(r);

	assert_true(n > 3 && n <= 64);
	for (size_t i = 0; i < n; i++)
		dp_report_finding_key(r, i, keys[i]);
	qsort(keys, n, sizeof(keys[0]), (int (*)(const void *, const void *))strcmp);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(strlen(keys[i]), DP_FINDING_KEY_LEN);
		if (i > 0) /* unique within a report */
			assert_string_not_equal(keys[i], keys[i - 1]);
		strncat(out, keys[i], size - strlen(out) - 1);
	}
}

/*
 * Keys name what is wrong, not where: the same zone with every line moved
 * (comments above, records in another order) gives the same set of keys,
 * and two identical bad records still get two keys.
 */
static void test_finding_keys(void **state)
{
#define BAD  AT("a", P ";")
#define DUP  AT("pu", P) AT("pu", P)
#define WILD AT("a", P "; policy=wildcard")
#define OTH  AT("none", "ca.example; accounturi=https://ca.example/acct/7")
	static const struct fixture before = {"",   false, APEX BAD BAD DUP WILD OTH,
	                                      NULL, false, -1};
	static const struct fixture after = {
	    "", false, "; moved\n;\n;\n" OTH WILD DUP "; between\n" BAD BAD APEX, NULL, false, -1};
	struct world w;
	char k1[64 * 17 + 1], k2[64 * 17 + 1];

	(void)state;
	run(&before, &w);
	keys_of(w.report, k1, sizeof(k1));
	world_free(&w);
	run(&after, &w);
	keys_of(w.report, k2, sizeof(k2));
	world_free(&w);
	assert_string_equal(k1, k2);
}

/* n records for one CA and account: one record-duplicate finding, not n(n-1)/2. */
static void test_duplicates_linear(void **state)
{
	static char zone[64 * 60];
	struct fixture f = {"", false, zone, NULL, false, -1};
	struct world w;
	size_t dups = 0;

	(void)state;
	snprintf(zone, sizeof(zone), "%s", APEX);
	for (int i = 0; i < 50; i++)
		strncat(zone, AT("a", P), sizeof(zone) - strlen(zone) - 1);
	run(&f, &w);
	for (size_t i = 0; i < dp_report_finding_count(w.report); i++)
		dups += dp_report_finding(w.report, i)->id == DP_F_RECORD_DUPLICATE;
	assert_int_equal(dups, 1);
	assert_non_null(strstr(find(w.report, "record-duplicate")->message,
	                       "49 other records authorize the same CA and account (lines "));
	world_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fixtures),
	    cmocka_unit_test(test_catalogue_covered),
	    cmocka_unit_test(test_clean_is_ok),
	    cmocka_unit_test(test_effective_authorizations),
	    cmocka_unit_test(test_dns_states),
	    cmocka_unit_test(test_finding_order),
	    cmocka_unit_test(test_deferred_details),
	    cmocka_unit_test(test_finding_keys),
	    cmocka_unit_test(test_duplicates_linear),
	};
	return cmocka_run_group_tests_name("audit", tests, NULL, NULL);
}
