/* SPDX-License-Identifier: BSD-3-Clause */
/* The CT options of scan and the plugin into the CT source's config; the API key kept secret. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/num.h"
#include "base/timeutil.h"
#include "cli/cli.h"
#include "ct/ct.h"

#define KEY_MAX 512

/* The first line of FILE, or of $CERTSPOTTER_API_KEY; never from argv. */
static bool read_key(const char *file, char **key, struct dp_error *err)
{
	const char *env = getenv("CERTSPOTTER_API_KEY");
	char buf[KEY_MAX + 2] = {0};
	FILE *f;
	size_t n;

	*key = NULL;
	if (file == NULL) {
		if (env != NULL && env[0] != '\0')
			*key = strdup(env);
		return env == NULL || env[0] == '\0' || *key != NULL;
	}
	f = fopen(file, "r");
	if (f == NULL) {
		dp_error_set(err, DP_EIO, file, 0, 0, "--ct-key-file: cannot be read");
		return false;
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[strcspn(buf, "\r\n")] = '\0';
	if (n > KEY_MAX || buf[0] == '\0') {
		dp_error_set(err, DP_EINVAL, file, 0, 0,
		             "--ct-key-file: not one key on its first line");
		memset(buf, 0, sizeof(buf));
		return false;
	}
	*key = strdup(buf);
	memset(buf, 0, sizeof(buf));
	return *key != NULL;
}

void dp_ct_key_free(char *key)
{
	if (key != NULL)
		memset(key, 0, strlen(key));
	free(key);
}

static bool check_numbers(const struct dp_ct_args *a, struct dp_ct_config *cfg,
                          struct dp_error *err)
{
	int64_t v;

	cfg->cache_max_age = 12 * 3600;
	cfg->timeout_ms = 30000;
	if (a->cache_age != NULL) {
		if (dp_duration_parse(a->cache_age, &v, err) != DP_OK)
			return false;
		cfg->cache_max_age = v;
	}
	if (a->timeout != NULL) {
		if (dp_parse_int(a->timeout, strlen(a->timeout), false, 1, 3600, &v) != DP_OK) {
			dp_error_set(err, DP_EINVAL, NULL, 0, 0,
			             "--ct-timeout: '%s' is not 1 to 3600 seconds", a->timeout);
			return false;
		}
		cfg->timeout_ms = (long)v * 1000;
	}
	return true;
}

static bool check_cache(const char *dir, struct dp_error *err)
{
	struct stat sb;

	if (dir != NULL && (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))) {
		dp_error_set(err, DP_EINVAL, dir, 0, 0, "--ct-cache: not a directory");
		return false;
	}
	return true;
}

bool dp_ct_transport_check(const struct dp_ct_args *a, const char *version,
                           struct dp_ct_config *cfg, struct dp_error *err)
{
	memset(cfg, 0, sizeof(*cfg));
	if (!check_numbers(a, cfg, err))
		return false;
	cfg->cacert = a->cacert;
	cfg->version = version;
	cfg->retries = 2;
	cfg->backoff_ms = 1000;
	return true;
}

bool dp_ct_args_check(const struct dp_ct_args *a, const char *version, struct dp_ct_config *cfg,
                      const struct dp_ct_config **out, char **key, struct dp_error *err)
{
	const char *why = NULL;

	*out = NULL;
	*key = NULL;
	memset(cfg, 0, sizeof(*cfg));
	if (a->source == NULL) {
		if (a->url || a->cacert || a->cache || a->cache_age || a->key_file || a->timeout) {
			dp_error_set(err, DP_EINVAL, NULL, 0, 0,
			             "the --ct-... options go with --ct");
			return false;
		}
		return true;
	}
	if (strcmp(a->source, "inventory") == 0)
		cfg->kind = DP_CT_INVENTORY;
	else if (!dp_ct_source_parse(a->source, cfg)) {
		dp_error_set(err, DP_EINVAL, NULL, 0, 0,
		             "--ct: '%s' is not certspotter, crtsh, file:PATH or inventory",
		             a->source);
		return false;
	}
	if (a->url != NULL && !dp_http_url_allowed(a->url, &why)) {
		dp_error_set(err, DP_EINVAL, NULL, 0, 0, "--ct-url: %s", why);
		return false;
	}
	if (!check_numbers(a, cfg, err) || !check_cache(a->cache, err))
		return false;
	cfg->base_url = a->url;
	cfg->cacert = a->cacert;
	cfg->cache_dir = a->cache;
	cfg->version = version;
	cfg->retries = 2;
	cfg->backoff_ms = 1000;
	if (!read_key(a->key_file, key, err))
		return false;
	cfg->api_key = *key;
	*out = cfg;
	return true;
}
