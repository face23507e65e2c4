/* SPDX-License-Identifier: BSD-3-Clause */
/* HTTPS fetches with libcurl multi: policy, timeouts, retries, size cap. */
#include "ct/http.h"

#include <curl/curl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/buf.h"
#include "base/num.h"

/* One job: its current URL and the state of the try under way. */
struct job {
	size_t idx;
	char *url; /* owned when next_owned */
	bool url_owned;
	CURL *easy;
	struct curl_slist *headers;
	struct dp_buf body;
	size_t max_size;
	bool too_big;
	long retry_after;
	int tries;
	int64_t wake_ms;
	bool running, done;
	char errbuf[CURL_ERROR_SIZE];
	char msg[400];
};

struct batch {
	const struct dp_http_opts *o;
	CURLM *multi;
	struct job *jobs;
	size_t n, remaining, running;
	dp_http_done_fn done;
	void *ctx;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* "127.0.0.1", "127.1.2.3": four decimal parts, the first 127. */
static bool ipv4_loopback(const char *h, size_t len)
{
	int parts = 1;

	if (len < 4 || strncmp(h, "127.", 4) != 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (h[i] == '.')
			parts++;
		else if (h[i] < '0' || h[i] > '9')
			return false;
	}
	return parts == 4;
}

static bool loopback_host(const char *h, size_t len)
{
	return (len == 9 && strncasecmp(h, "localhost", 9) == 0) ||
	       (len == 5 && strncmp(h, "[::1]", 5) == 0) || ipv4_loopback(h, len);
}

bool dp_http_url_allowed(const char *url, const char **why)
{
	const char *host, *end;

	if (strncasecmp(url, "https://", 8) == 0)
		return true;
	if (strncasecmp(url, "http://", 7) != 0) {
		*why = "only https:// URLs are fetched";
		return false;
	}
	host = url + 7;
	end = host + strcspn(host, "/?#");
	if (memchr(host, '@', (size_t)(end - host)) != NULL) {
		*why = "a URL with user information is refused";
		return false;
	}
	if (*host == '[')
		end = strchr(host, ']') ? strchr(host, ']') + 1 : end;
	else
		end = host + strcspn(host, ":/?#");
	if (!loopback_host(host, (size_t)(end - host))) {
		*why = "http:// is allowed only to a loopback address; use https://";
		return false;
	}
	return true;
}

long dp_http_retry_after(const char *value, size_t len)
{
	int64_t v;

	while (len > 0 && (value[len - 1] == '\r' || value[len - 1] == '\n' ||
	                   value[len - 1] == ' ' || value[len - 1] == '\t'))
		len--;
	while (len > 0 && (*value == ' ' || *value == '\t')) {
		value++;
		len--;
	}
	if (len == 0 || dp_parse_int(value, len, false, 0, 86400 * 7, &v) != DP_OK)
		return -1; /* an HTTP-date or garbage: the usual backoff */
	return (long)v;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
	struct job *j = ud;
	size_t n = size * nmemb;

	if (j->body.len + n > j->max_size) {
		j->too_big = true;
		return 0; /* aborts the transfer */
	}
	dp_buf_add(&j->body, data, n);
	return j->body.failed ? 0 : n;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *ud)
{
	struct job *j = ud;
	size_t n = size * nmemb;
	static const char ra[] = "retry-after:";

	if (n >= 5 && strncmp(data, "HTTP/", 5) == 0)
		j->retry_after = -1; /* a new response (after a redirect) */
	else if (n > sizeof(ra) - 1 && strncasecmp(data, ra, sizeof(ra) - 1) == 0)
		j->retry_after = dp_http_retry_after(data + sizeof(ra) - 1, n - (sizeof(ra) - 1));
	return n;
}

/* Which schemes a transfer may use: https, and http only to loopback as asked. */
static void set_protocols(CURL *e, const char *url)
{
	bool http = strncasecmp(url, "http://", 7) == 0;
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, http ? "http,https" : "https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "https");
#else
	curl_easy_setopt(e, CURLOPT_PROTOCOLS,
	                 http ? CURLPROTO_HTTP | CURLPROTO_HTTPS : CURLPROTO_HTTPS);
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS, CURLPROTO_HTTPS);
#endif
}

static enum dp_status set_headers(struct batch *b, struct job *j)
{
	struct curl_slist *h = curl_slist_append(NULL, "Accept: application/json");

	if (h != NULL && b->o->auth != NULL) {
		struct curl_slist *h2 = curl_slist_append(h, b->o->auth);
		if (h2 == NULL)
			curl_slist_free_all(h);
		h = h2;
	}
	if (h == NULL)
		return DP_ENOMEM;
	j->headers = h;
	curl_easy_setopt(j->easy, CURLOPT_HTTPHEADER, h);
	return DP_OK;
}

static enum dp_status start(struct batch *b, struct job *j)
{
	const struct dp_http_opts *o = b->o;
	CURL *e = curl_easy_init();

	if (e == NULL)
		return DP_ENOMEM;
	j->easy = e;
	dp_buf_reset(&j->body);
	j->too_big = false;
	j->retry_after = -1;
	j->errbuf[0] = '\0';
	j->max_size = o->max_size;
	curl_easy_setopt(e, CURLOPT_URL, j->url);
	set_protocols(e, j->url);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, 3L);
	/* verification can never be switched off: no option reaches these */
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (o->cacert != NULL)
		curl_easy_setopt(e, CURLOPT_CAINFO, o->cacert);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, o->connect_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, o->total_ms);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, o->user_agent);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_size);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, j);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->errbuf);
	curl_easy_setopt(e, CURLOPT_PRIVATE, j);
	if (set_headers(b, j) != DP_OK || curl_multi_add_handle(b->multi, e) != CURLM_OK)
		return DP_ENOMEM;
	j->running = true;
	b->running++;
	return DP_OK;
}

static void stop(struct batch *b, struct job *j)
{
	curl_multi_remove_handle(b->multi, j->easy);
	curl_easy_cleanup(j->easy);
	curl_slist_free_all(j->headers);
	j->easy = NULL;
	j->headers = NULL;
	j->running = false;
	b->running--;
}

static bool is_json(const char *ctype)
{
	return ctype != NULL && (strncasecmp(ctype, "application/json", 16) == 0 ||
	                         strncasecmp(ctype, "text/json", 9) == 0);
}

/* A transport error: retried unless the policy refused it or the answer was too large. */
static bool transport_retryable(CURLcode c)
{
	switch (c) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_COULDNT_RESOLVE_HOST:
		return true;
	default:
		return false;
	}
}

/* Judge a finished try: *retry, or j->msg empty on success, else why not. */
static void judge(struct batch *b, struct job *j, CURLcode c, bool *retry)
{
	long status = 0;
	char *ctype = NULL;

	*retry = false;
	j->msg[0] = '\0';
	if (c != CURLE_OK) {
		if (j->too_big || c == CURLE_FILESIZE_EXCEEDED)
			snprintf(j->msg, sizeof(j->msg), "the answer is larger than %zu bytes",
			         b->o->max_size);
		else
			snprintf(j->msg, sizeof(j->msg), "%s",
			         j->errbuf[0] ? j->errbuf : curl_easy_strerror(c));
		*retry = !j->too_big && transport_retryable(c);
		return;
	}
	curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(j->easy, CURLINFO_CONTENT_TYPE, &ctype);
	if (status == 200 && is_json(ctype))
		return;
	if (status == 200)
		snprintf(j->msg, sizeof(j->msg), "answered 200 with %.60s, not JSON",
		         ctype ? ctype : "no Content-Type");
	else
		snprintf(j->msg, sizeof(j->msg), "answered HTTP %ld", status);
	*retry = status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

static long wait_ms(const struct dp_http_opts *o, const struct job *j)
{
	long w = o->backoff_ms << (j->tries < 10 ? j->tries : 10);

	if (j->retry_after >= 0)
		w = (j->retry_after < o->retry_after_cap_s ? j->retry_after
		                                           : o->retry_after_cap_s) *
		    1000;
	return w;
}

/* Hand the final answer over; take the next page's URL if the caller wants one. */
static enum dp_status deliver(struct batch *b, struct job *j, const char *error)
{
	struct dp_http_answer a = {j->url, 0, j->body.data ? j->body.data : "", j->body.len, error};
	char *next = NULL;
	const char *why = NULL;
	enum dp_status st;

	if (j->easy != NULL)
		curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &a.status);
	st = b->done(b->ctx, j->idx, &a, &next);
	while (st == DP_OK && next != NULL && !dp_http_url_allowed(next, &why)) {
		struct dp_http_answer refused = {next, 0, "", 0, why};
		char *again = NULL;
		st = b->done(b->ctx, j->idx, &refused, &again);
		free(next);
		next = again;
	}
	if (j->url_owned)
		free(j->url);
	j->url = next;
	j->url_owned = true;
	j->tries = 0;
	j->wake_ms = 0;
	if (next == NULL) {
		j->done = true;
		b->remaining--;
	}
	return st;
}

static enum dp_status finished(struct batch *b, struct job *j, CURLcode c)
{
	bool retry;
	enum dp_status st;
	char msg[sizeof(j->msg) + 40];

	judge(b, j, c, &retry);
	if (j->msg[0] != '\0' && retry && j->tries < b->o->retries) {
		j->wake_ms = now_ms() + wait_ms(b->o, j);
		j->tries++;
		stop(b, j);
		return DP_OK;
	}
	if (j->msg[0] != '\0' && j->tries > 0)
		snprintf(msg, sizeof(msg), "%s (after %d tries)", j->msg, j->tries + 1);
	else
		snprintf(msg, sizeof(msg), "%s", j->msg);
	st = deliver(b, j, msg[0] ? msg : NULL);
	stop(b, j);
	return st;
}

static enum dp_status start_ready(struct batch *b, int64_t *next_wake)
{
	int64_t t = now_ms();
	enum dp_status st = DP_OK;

	*next_wake = INT64_MAX;
	for (size_t i = 0; st == DP_OK && i < b->n && b->running < b->o->concurrency; i++) {
		struct job *j = &b->jobs[i];
		if (j->done || j->running)
			continue;
		if (j->wake_ms > t) {
			if (j->wake_ms < *next_wake)
				*next_wake = j->wake_ms;
			continue;
		}
		st = start(b, j);
	}
	return st;
}

static enum dp_status reap(struct batch *b)
{
	CURLMsg *m;
	int left;
	enum dp_status st = DP_OK;

	for (;;) {
		m = curl_multi_info_read(b->multi, &left);
		if (m == NULL || st != DP_OK)
			break;
		if (m->msg == CURLMSG_DONE) {
			struct job *j = NULL;
			CURLcode c = m->data.result;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&j);
			st = finished(b, j, c);
		}
	}
	return st;
}

static enum dp_status loop(struct batch *b)
{
	enum dp_status st = DP_OK;

	while (st == DP_OK && b->remaining > 0) {
		int64_t wake;
		int still = 0, timeout = 1000;
		st = start_ready(b, &wake);
		if (st != DP_OK)
			break;
		curl_multi_perform(b->multi, &still);
		st = reap(b);
		if (wake != INT64_MAX && wake - now_ms() < timeout)
			timeout = wake - now_ms() > 0 ? (int)(wake - now_ms()) : 0;
		if (st == DP_OK && b->remaining > 0)
			curl_multi_poll(b->multi, NULL, 0,
			                b->running ? timeout : (timeout ? timeout : 1), NULL);
	}
	return st;
}

enum dp_status dp_http_run(const struct dp_http_opts *o, const char *const *urls, size_t n,
                           dp_http_done_fn done, void *ctx)
{
	struct batch b = {o, NULL, NULL, n, n, 0, done, ctx};
	enum dp_status st = DP_OK;

	if (n == 0)
		return DP_OK;
	/* reference-counted in libcurl: one init and cleanup per batch */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return DP_ENOMEM;
	b.jobs = calloc(n, sizeof(*b.jobs));
	b.multi = curl_multi_init();
	if (b.jobs == NULL || b.multi == NULL)
		st = DP_ENOMEM;
	for (size_t i = 0; st == DP_OK && i < n; i++) {
		const char *why = NULL;
		b.jobs[i].idx = i;
		b.jobs[i].url = (char *)urls[i];
		if (!dp_http_url_allowed(urls[i], &why))
			st = deliver(&b, &b.jobs[i], why);
	}
	if (st == DP_OK)
		st = loop(&b);
	for (size_t i = 0; b.jobs != NULL && i < n; i++) {
		if (b.jobs[i].running)
			stop(&b, &b.jobs[i]);
		if (b.jobs[i].url_owned)
			free(b.jobs[i].url);
		dp_buf_free(&b.jobs[i].body);
	}
	free(b.jobs);
	if (b.multi != NULL)
		curl_multi_cleanup(b.multi);
	curl_global_cleanup();
	return st;
}
