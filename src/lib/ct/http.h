/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * HTTPS fetches for the CT sources (libcurl multi): a few at once, TLS
 * verification always on, https only (http:// to loopback for tests),
 * redirects only to https, timeouts, retries honouring Retry-After, and a
 * size cap. Nothing else in dnspersist talks HTTP.
 */
#ifndef DP_HTTP_H
#define DP_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "base/status.h"

struct dp_http_opts {
	const char *cacert;     /* a PEM file of CAs trusted besides the system's, or NULL */
	const char *user_agent; /* "dnspersist/VERSION" */
	const char *auth;       /* a whole header line ("Authorization: Bearer ..."), or NULL */
	long connect_ms;        /* connect timeout */
	long total_ms;          /* whole-transfer timeout, per try */
	size_t max_size;        /* a larger answer is an error */
	int retries;            /* tries after the first, for 429, 5xx and transport errors */
	long backoff_ms;        /* the first retry's wait, doubled for each next one */
	long retry_after_cap_s; /* a Retry-After above this waits this long */
	size_t concurrency;     /* transfers at once */
};

/* A final answer: 200 with a JSON body, or why there is none (error != NULL). */
struct dp_http_answer {
	const char *url;
	long status;
	const char *body; /* NUL-terminated; len octets */
	size_t len;
	const char *error; /* what went wrong, for the report; NULL on success */
};

/*
 * Called once per job with its final answer. Set *next (malloc()ed URL, the
 * batch frees it) to fetch another page for the same job, or leave it NULL
 * when the job is done. A status other than DP_OK stops the batch.
 */
typedef enum dp_status (*dp_http_done_fn)(void *ctx, size_t job, const struct dp_http_answer *a,
                                          char **next);

/*
 * Fetch urls[0..n) (one job each, borrowed), calling done for each final
 * answer. Returns DP_OK when every job was answered (errors included: they
 * are answers), DP_ENOMEM, or what done returned.
 */
enum dp_status dp_http_run(const struct dp_http_opts *o, const char *const *urls, size_t n,
                           dp_http_done_fn done, void *ctx);

/*
 * Whether url may be fetched: https://, or http:// to a loopback address
 * (127.0.0.0/8, [::1], localhost). why gets the reason when not.
 */
bool dp_http_url_allowed(const char *url, const char **why);

/* The seconds of a Retry-After header value (delta-seconds only), or -1. */
long dp_http_retry_after(const char *value, size_t len);

#endif
