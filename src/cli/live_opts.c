/* SPDX-License-Identifier: BSD-3-Clause */
/* The live-DNS options shared by scan, verify and the plugin, checked into a source config. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/num.h"
#include "cli/cli.h"
#include "source/source.h"

static bool count(const char *opt, const char *arg, int64_t min, int64_t max, unsigned *out,
                  struct dp_error *err)
{
	int64_t v;

	if (arg == NULL)
		return true;
	if (dp_parse_int(arg, strlen(arg), false, min, max, &v) != DP_OK) {
		dp_error_set(err, DP_EINVAL, NULL, 0, 0,
		             "%s: '%s' is not a whole number from %lld to %lld", opt, arg,
		             (long long)min, (long long)max);
		return false;
	}
	*out = (unsigned)v;
	return true;
}

/* "2", "0.5" or "1.25" seconds, as milliseconds. */
static bool seconds(const char *arg, unsigned *ms, struct dp_error *err)
{
	const char *dot;
	int64_t whole = 0, frac = 0;
	size_t wlen, flen = 0;

	if (arg == NULL)
		return true;
	dot = strchr(arg, '.');
	wlen = dot ? (size_t)(dot - arg) : strlen(arg);
	if (dot != NULL)
		flen = strlen(dot + 1);
	if (dot != NULL && (flen == 0 || flen > 3))
		goto bad;
	if ((wlen > 0 && dp_parse_int(arg, wlen, false, 0, 3600, &whole) != DP_OK) ||
	    (wlen == 0 && dot == NULL) ||
	    (flen > 0 && dp_parse_int(dot + 1, flen, false, 0, 999, &frac) != DP_OK))
		goto bad;
	for (size_t i = flen; i < 3; i++)
		frac *= 10;
	*ms = (unsigned)(whole * 1000 + frac);
	if (*ms >= 10)
		return true;
bad:
	dp_error_set(err, DP_EINVAL, NULL, 0, 0,
	             "--timeout: '%s' is not a number of seconds from 0.01 to 3600", arg);
	return false;
}

/* Parse each ADDR[@PORT] of list into out; false after a message. */
static bool parse_servers(const char *opt, const struct dp_strv *list, struct dp_server *out,
                          size_t *n, struct dp_error *err)
{
	struct dp_error why = {0};

	if (list->n > DP_MAX_SERVERS) {
		dp_error_set(err, DP_EINVAL, NULL, 0, 0, "%s: at most %d servers", opt,
		             DP_MAX_SERVERS);
		return false;
	}
	for (*n = 0; *n < list->n; (*n)++)
		if (dp_server_parse(list->v[*n], &out[*n], &why) != DP_OK) {
			dp_error_set(err, DP_EINVAL, NULL, 0, 0, "%s: %s", opt, why.msg);
			return false;
		}
	return true;
}

bool dp_live_args_check(const struct dp_live_args *a, struct dp_live_config *cfg,
                        struct dp_error *err)
{
	struct dp_resolver_opts *ro = &cfg->ro;

	memset(cfg, 0, sizeof(*cfg));
	*ro = (struct dp_resolver_opts){.concurrency = 100, .timeout_ms = 2000, .retries = 2};
	cfg->authoritative = a->authoritative || a->ns.n > 0; /* --ns names whom to compare */
	cfg->stats = a->stats;
	return count("--concurrency", a->concurrency, 1, 10000, &ro->concurrency, err) &&
	       count("--qps", a->qps, 1, 10000000, &ro->qps, err) &&
	       seconds(a->timeout, &ro->timeout_ms, err) &&
	       count("--retries", a->retries, 0, 10, &ro->retries, err) &&
	       parse_servers("--server", &a->servers, cfg->servers, &cfg->n_servers, err) &&
	       parse_servers("--ns", &a->ns, cfg->ns, &cfg->n_ns, err);
}

void dp_live_args_free(struct dp_live_args *a)
{
	dp_strv_free(&a->servers);
	dp_strv_free(&a->ns);
}
