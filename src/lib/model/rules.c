/* SPDX-License-Identifier: BSD-3-Clause */
/* Rule-set loader and the questions the audit asks of it. */
#include "model/rules.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "model/yamlutil.h"

#define DAY 86400

/*
 * Bounds on one match (docs/rules.md). PCRE2's defaults (10,000,000 each)
 * let a backtracking pattern take 0.1-0.3 s per name; a sane pattern on a
 * name of at most 253 octets or an account URI needs a tiny fraction.
 */
#define MATCH_LIMIT   100000u
#define DEPTH_LIMIT   10000u
#define JIT_STACK_MAX (1024u * 1024u)
#define SUBJECT_MAX   2048u /* longer subjects are matched by the interpreter */

struct patterns {
	pcre2_code **code;
	char **src; /* the pattern as written, for messages */
	size_t n;
};

struct dp_rules {
	struct dp_rules_params p;
	struct patterns allow_uri, forbid_wildcard, ignore;
	enum dp_severity severity[DP_F_COUNT];
	bool overridden[DP_F_COUNT];
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit_stack;
	char *subject; /* SUBJECT_MAX bytes, all initialised: see match_one() */
};

/* Match context with the limits, and a JIT stack when JIT is there. */
static bool match_setup(struct dp_rules *r)
{
	uint32_t jit = 0;

	r->md = pcre2_match_data_create(4, NULL);
	r->mctx = pcre2_match_context_create(NULL);
	r->subject = calloc(1, SUBJECT_MAX);
	if (r->md == NULL || r->mctx == NULL || r->subject == NULL)
		return false;
	pcre2_set_match_limit(r->mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(r->mctx, DEPTH_LIMIT);
	if (pcre2_config(PCRE2_CONFIG_JIT, &jit) >= 0 && jit) {
		r->jit_stack = pcre2_jit_stack_create(32 * 1024, JIT_STACK_MAX, NULL);
		if (r->jit_stack) /* without it, JIT uses its small default stack */
			pcre2_jit_stack_assign(r->mctx, NULL, r->jit_stack);
	}
	return true;
}

/* The parameters of a rule set that says nothing: the one place they are written. */
const struct dp_rules_params *dp_rules_params_default(void)
{
	static const struct dp_rules_params p = {
	    .warn_before = 30 * DAY, .crit_before = 7 * DAY, .max_horizon = 400 * DAY};

	return &p;
}

static struct dp_rules *rules_new(void)
{
	struct dp_rules *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->p = *dp_rules_params_default();
	if (!match_setup(r)) {
		dp_rules_free(r);
		return NULL;
	}
	return r;
}

static void patterns_free(struct patterns *p)
{
	for (size_t i = 0; i < p->n; i++) {
		pcre2_code_free(p->code[i]);
		free(p->src[i]);
	}
	free(p->code);
	free(p->src);
}

void dp_rules_free(struct dp_rules *r)
{
	if (r == NULL)
		return;
	patterns_free(&r->allow_uri);
	patterns_free(&r->forbid_wildcard);
	patterns_free(&r->ignore);
	pcre2_match_data_free(r->md);
	pcre2_match_context_free(r->mctx);
	pcre2_jit_stack_free(r->jit_stack);
	free(r->subject);
	free(r);
}

enum dp_status dp_rules_default(struct dp_rules **out)
{
	*out = rules_new();
	return *out ? DP_OK : DP_ENOMEM;
}

static enum dp_status patterns_grow(struct patterns *p)
{
	pcre2_code **code = realloc(p->code, (p->n + 1) * sizeof(*code));
	char **src;

	if (code == NULL)
		return DP_ENOMEM;
	p->code = code;
	src = realloc(p->src, (p->n + 1) * sizeof(*src));
	if (src == NULL)
		return DP_ENOMEM;
	p->src = src;
	return DP_OK;
}

/* Compile one pattern; a PCRE2 error points at the offending column. */
static enum dp_status compile(struct dp_yaml *y, struct dp_ynode *n, struct patterns *p,
                              struct dp_error *err)
{
	const char *s;
	int code;
	PCRE2_SIZE off;
	PCRE2_UCHAR msg[256];
	enum dp_status st = dp_yaml_str(y, n, "pattern", &s, err);

	if (st != DP_OK)
		return st;
	st = patterns_grow(p);
	if (st != DP_OK)
		return st;
	p->code[p->n] = pcre2_compile((PCRE2_SPTR)s, PCRE2_ZERO_TERMINATED, 0, &code, &off, NULL);
	if (p->code[p->n] == NULL) {
		bool quoted = !dp_yaml_plain(n);
		pcre2_get_error_message(code, msg, sizeof(msg));
		return dp_error_set(err, DP_ESYNTAX, dp_yaml_file(y), dp_yaml_line(n),
		                    dp_yaml_col(n) + off + (quoted ? 1 : 0),
		                    "pattern '%.100s': %s at offset %zu", s, (const char *)msg,
		                    (size_t)off);
	}
	/* JIT where the library has it; without, the interpreter does the same work */
	(void)pcre2_jit_compile(p->code[p->n], PCRE2_JIT_COMPLETE);
	p->src[p->n] = strdup(s);
	if (p->src[p->n] == NULL) {
		pcre2_code_free(p->code[p->n]);
		return DP_ENOMEM;
	}
	p->n++;
	return DP_OK;
}

/* Whether the i-th pattern matches the empty string. */
static bool matches_empty(const struct patterns *p, size_t i)
{
	static const char zeros[64]; /* JIT code may read ahead of the subject's end */
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(p->code[i], NULL);
	int rc;

	if (md == NULL)
		return false;
	rc = pcre2_match(p->code[i], (PCRE2_SPTR)zeros, 0, 0, 0, md, NULL);
	pcre2_match_data_free(md);
	return rc >= 0;
}

static enum dp_status load_patterns(struct dp_yaml *y, struct dp_ynode *map, const char *key,
                                    struct patterns *p, struct dp_error *err)
{
	struct dp_ynode *s = dp_yaml_get(y, map, key);
	enum dp_status st;

	if (s == NULL)
		return DP_OK;
	st = dp_yaml_seq(y, s, key, err);
	if (st != DP_OK)
		return st;
	for (size_t i = 0; i < dp_yaml_len(s) && st == DP_OK; i++) {
		st = compile(y, dp_yaml_item(y, s, i), p, err);
		/* an ignore pattern that matches "" matches every name: all would go unaudited */
		if (st == DP_OK && strcmp(key, "ignore") == 0 && matches_empty(p, p->n - 1))
			st = dp_error_set(
			    err, DP_EINVAL, dp_yaml_file(y), dp_yaml_line(dp_yaml_item(y, s, i)),
			    dp_yaml_col(dp_yaml_item(y, s, i)),
			    "ignore pattern '%.100s' matches every name (it matches the "
			    "empty string); anchor it, e.g. '^test\\.example\\.com$'",
			    p->src[p->n - 1]);
	}
	return st;
}

static enum dp_status opt_duration(struct dp_yaml *y, struct dp_ynode *m, const char *key,
                                   int64_t *out, struct dp_error *err)
{
	struct dp_ynode *n = dp_yaml_get(y, m, key);
	return n ? dp_yaml_duration(y, n, key, out, err) : DP_OK;
}

static enum dp_status opt_bool(struct dp_yaml *y, struct dp_ynode *m, const char *key, bool *out,
                               struct dp_error *err)
{
	struct dp_ynode *n = dp_yaml_get(y, m, key);
	return n ? dp_yaml_bool(y, n, key, out, err) : DP_OK;
}

static enum dp_status load_persist_until(struct dp_yaml *y, struct dp_ynode *root,
                                         struct dp_rules *r, struct dp_error *err)
{
	static const char *const keys[] = {"warn_before", "crit_before", "require", "max_horizon",
	                                   NULL};
	struct dp_ynode *m = dp_yaml_get(y, root, "persist_until");
	enum dp_status st;

	if (m == NULL)
		return DP_OK;
	st = dp_yaml_map(y, m, "persist_until", keys, err);
	if (st == DP_OK)
		st = opt_duration(y, m, "warn_before", &r->p.warn_before, err);
	if (st == DP_OK)
		st = opt_duration(y, m, "crit_before", &r->p.crit_before, err);
	if (st == DP_OK)
		st = opt_bool(y, m, "require", &r->p.require_persist_until, err);
	if (st == DP_OK)
		st = opt_duration(y, m, "max_horizon", &r->p.max_horizon, err);
	if (st == DP_OK && r->p.crit_before > r->p.warn_before)
		st = dp_yaml_error(y, m, err, "crit_before is longer than warn_before");
	return st;
}

static enum dp_status load_section(struct dp_yaml *y, struct dp_ynode *root, const char *name,
                                   const char *const *keys, struct dp_ynode **out,
                                   struct dp_error *err)
{
	*out = dp_yaml_get(y, root, name);
	return *out ? dp_yaml_map(y, *out, name, keys, err) : DP_OK;
}

static enum dp_status load_lists(struct dp_yaml *y, struct dp_ynode *root, struct dp_rules *r,
                                 struct dp_error *err)
{
	static const char *const acct_keys[] = {"allow_uri", NULL};
	static const char *const name_keys[] = {"forbid_wildcard", "ignore", NULL};
	struct dp_ynode *m;
	enum dp_status st = load_section(y, root, "accounts", acct_keys, &m, err);

	if (st == DP_OK && m)
		st = load_patterns(y, m, "allow_uri", &r->allow_uri, err);
	if (st == DP_OK)
		st = load_section(y, root, "names", name_keys, &m, err);
	if (st == DP_OK && m)
		st = load_patterns(y, m, "forbid_wildcard", &r->forbid_wildcard, err);
	if (st == DP_OK && m)
		st = load_patterns(y, m, "ignore", &r->ignore, err);
	return st;
}

static enum dp_status load_flags(struct dp_yaml *y, struct dp_ynode *root, struct dp_rules *r,
                                 struct dp_error *err)
{
	static const char *const caa_keys[] = {"require", "require_accounturi", "require_method",
	                                       NULL};
	static const char *const dnssec_keys[] = {"require", NULL};
	struct dp_ynode *m;
	enum dp_status st = load_section(y, root, "caa", caa_keys, &m, err);

	if (st == DP_OK && m)
		st = opt_bool(y, m, "require", &r->p.caa_require, err);
	if (st == DP_OK && m)
		st = opt_bool(y, m, "require_accounturi", &r->p.caa_require_accounturi, err);
	if (st == DP_OK && m)
		st = opt_bool(y, m, "require_method", &r->p.caa_require_method, err);
	if (st == DP_OK)
		st = load_section(y, root, "dnssec", dnssec_keys, &m, err);
	if (st == DP_OK && m)
		st = opt_bool(y, m, "require", &r->p.dnssec_require, err);
	return st;
}

static enum dp_status load_severity(struct dp_yaml *y, struct dp_ynode *root, struct dp_rules *r,
                                    struct dp_error *err)
{
	static const char *const levels[] = {"off", "notice", "warning", "critical", NULL};
	struct dp_ynode *m = dp_yaml_get(y, root, "severity");
	enum dp_status st;

	if (m == NULL)
		return DP_OK;
	st = dp_yaml_map(y, m, "severity", dp_finding_ids(), err);
	if (st != DP_OK)
		return st;
	for (size_t i = 0; i < dp_yaml_len(m); i++) {
		struct dp_ynode *k = dp_yaml_key_at(y, m, i);
		enum dp_finding_id id;
		int level;
		dp_finding_parse(dp_yaml_scalar(k, NULL), &id);
		st =
		    dp_yaml_choice(y, dp_yaml_value_at(y, m, i), "a severity", levels, &level, err);
		if (st != DP_OK)
			return st;
		r->severity[id] = (enum dp_severity)level;
		r->overridden[id] = true;
	}
	return DP_OK;
}

static enum dp_status load_rules(struct dp_yaml *y, struct dp_rules *r, struct dp_error *err)
{
	static const char *const keys[] = {"version", "persist_until", "accounts", "names",
	                                   "caa",     "dnssec",        "severity", NULL};
	struct dp_ynode *root = dp_yaml_root(y), *v;
	int64_t version;
	enum dp_status st = dp_yaml_map(y, root, "the rule set", keys, err);

	if (st != DP_OK)
		return st;
	v = dp_yaml_get(y, root, "version");
	if (v == NULL)
		return dp_yaml_error(y, root, err, "missing 'version: 1'");
	st = dp_yaml_int(y, v, "version", 0, 1000, &version, err);
	if (st != DP_OK)
		return st;
	if (version != 1)
		return dp_yaml_error(y, v, err, "rule set version %lld is not supported",
		                     (long long)version);
	st = load_persist_until(y, root, r, err);
	if (st == DP_OK)
		st = load_lists(y, root, r, err);
	if (st == DP_OK)
		st = load_flags(y, root, r, err);
	if (st == DP_OK)
		st = load_severity(y, root, r, err);
	return st;
}

static enum dp_status finish(struct dp_yaml *y, void *result, struct dp_error *err)
{
	struct dp_rules **out = result;
	struct dp_rules *r = rules_new();
	enum dp_status st;

	if (r == NULL)
		return DP_ENOMEM;
	st = load_rules(y, r, err);
	if (st != DP_OK) {
		dp_rules_free(r);
		return st;
	}
	*out = r;
	return DP_OK;
}

enum dp_status dp_rules_load(const char *path, struct dp_rules **out, struct dp_error *err)
{
	*out = NULL;
	return dp_yaml_build(path, NULL, 0, finish, out, err);
}

enum dp_status dp_rules_load_mem(const char *name, const char *data, size_t len,
                                 struct dp_rules **out, struct dp_error *err)
{
	*out = NULL;
	return dp_yaml_build(name, data, len, finish, out, err);
}

void dp_rules_require_dnssec(struct dp_rules *r)
{
	r->p.dnssec_require = true;
}

const struct dp_rules_params *dp_rules_params(const struct dp_rules *r)
{
	return &r->p;
}

/* Up to max-1 bytes of s for a message, non-printable bytes as '?'. */
static void quote_for_msg(const char *s, char *out, size_t max)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < max; i++)
		out[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	out[i] = '\0';
}

/*
 * JIT code may read a few bytes past the end of the subject, in aligned
 * words, and ignore them: harmless, but valgrind reports the uninitialised
 * bytes it sees there. So the subject is copied into a buffer every byte of
 * which is initialised; a longer one goes to the interpreter.
 */
static int match_one(const struct dp_rules *r, const pcre2_code *code, const char *s, size_t len)
{
	if (len < SUBJECT_MAX) {
		memcpy(r->subject, s, len + 1);
		return pcre2_match(code, (PCRE2_SPTR)r->subject, len, 0, 0, r->md, r->mctx);
	}
	return pcre2_match(code, (PCRE2_SPTR)s, len, 0, PCRE2_NO_JIT, r->md, r->mctx);
}

static enum dp_status any_match(const struct dp_rules *r, const struct patterns *p,
                                const char *what, const char *s, bool *matched,
                                struct dp_error *err)
{
	PCRE2_UCHAR msg[256];
	char subject[101];

	*matched = false;
	for (size_t i = 0; i < p->n; i++) {
		int rc = match_one(r, p->code[i], s, strlen(s));
		if (rc >= 0) {
			*matched = true;
			return DP_OK;
		}
		if (rc == PCRE2_ERROR_NOMATCH)
			continue;
		/* a limit or any other error is no answer, never a "no match" */
		pcre2_get_error_message(rc, msg, sizeof(msg));
		quote_for_msg(s, subject, sizeof(subject));
		return dp_error_set(err, DP_ELIMIT, "", 0, 0,
		                    "%s pattern '%.100s' on '%s': %s (a pattern that backtracks "
		                    "this much is refused)",
		                    what, p->src[i], subject, (const char *)msg);
	}
	return DP_OK;
}

enum dp_status dp_rules_check_account(const struct dp_rules *r, const char *uri, bool *allowed,
                                      struct dp_error *err)
{
	enum dp_status st;

	*allowed = r->allow_uri.n == 0;
	if (*allowed)
		return DP_OK;
	st = any_match(r, &r->allow_uri, "accounts.allow_uri", uri, allowed, err);
	if (st != DP_OK)
		*allowed = false;
	return st;
}

enum dp_status dp_rules_check_wildcard(const struct dp_rules *r, const char *name, bool *forbidden,
                                       struct dp_error *err)
{
	enum dp_status st =
	    any_match(r, &r->forbid_wildcard, "names.forbid_wildcard", name, forbidden, err);
	if (st != DP_OK)
		*forbidden = true;
	return st;
}

enum dp_status dp_rules_check_ignored(const struct dp_rules *r, const char *name, bool *ignored,
                                      struct dp_error *err)
{
	enum dp_status st = any_match(r, &r->ignore, "names.ignore", name, ignored, err);
	if (st != DP_OK)
		*ignored = false;
	return st;
}

/* The unchecked forms answer the safe way on an error (see rules.h). */
bool dp_rules_account_allowed(const struct dp_rules *r, const char *uri)
{
	bool allowed;
	return dp_rules_check_account(r, uri, &allowed, NULL) == DP_OK && allowed;
}

bool dp_rules_wildcard_forbidden(const struct dp_rules *r, const char *name)
{
	bool forbidden;
	(void)dp_rules_check_wildcard(r, name, &forbidden, NULL);
	return forbidden;
}

bool dp_rules_ignored(const struct dp_rules *r, const char *name)
{
	bool ignored;
	return dp_rules_check_ignored(r, name, &ignored, NULL) == DP_OK && ignored;
}

enum dp_severity dp_rules_severity(const struct dp_rules *r, enum dp_finding_id id,
                                   enum dp_severity computed)
{
	return r->overridden[id] ? r->severity[id] : computed;
}
