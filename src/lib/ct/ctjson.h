/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Certificates from CT search answers: the Cert Spotter API v1 issuances
 * and crt.sh JSON, both hostile input, parsed into one certificate model
 * and kept only for names at or under the zone asked.
 */
#ifndef DP_CTJSON_H
#define DP_CTJSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"

/* crt.sh stops at this many rows without saying so: such an answer is incomplete. */
#define DP_CRTSH_ROW_CAP 10000
/* Certificates kept per set, over every page and zone. */
#define DP_CT_MAX_CERTS 200000

/* One issuance (a precertificate and its certificate folded). Strings are the set's. */
struct dp_ct_cert {
	const char *source; /* "certspotter" or "crtsh" */
	const char *id;     /* the source's id of it */
	const char *issuer; /* the issuer's name as the source gives it (a DN for crt.sh) */
	const char **caa;   /* the issuer's CAA domains, when known */
	size_t n_caa;
	bool caa_given; /* the source gave them (Cert Spotter); else the table maps the issuer */
	const char **names; /* normalized, at or under the zone; "*.x" for wildcards */
	size_t n_names;
	int64_t not_before, not_after;
	const char *link; /* a page showing it */
	const char *zone; /* the zone whose query found it */
};

struct dp_ct_set;

/* The caller owns *out (dp_ct_set_free). */
enum dp_status dp_ct_set_new(struct dp_ct_set **out);
void dp_ct_set_free(struct dp_ct_set *s);
size_t dp_ct_set_count(const struct dp_ct_set *s);
struct dp_ct_cert *dp_ct_set_at(struct dp_ct_set *s, size_t i);
const struct dp_ct_cert *dp_ct_set_get(const struct dp_ct_set *s, size_t i);
/* A copy of str that lives as long as s, or NULL. */
const char *dp_ct_set_strdup(struct dp_ct_set *s, const char *str);

/*
 * One page of Cert Spotter issuances (a JSON array) for zone, added to s
 * (pairs folded by tbs_sha256). *n_items gets the page's length (0: the last
 * page) and *last_id the last issuance's id (s owns it), for after=.
 * DP_ESYNTAX with err's message for anything that is not such a page.
 */
enum dp_status dp_ct_parse_certspotter(struct dp_ct_set *s, const char *zone, const char *body,
                                       size_t len, size_t *n_items, const char **last_id,
                                       struct dp_error *err);

/*
 * A crt.sh JSON answer for zone, added to s. DP_ELIMIT when it holds
 * DP_CRTSH_ROW_CAP rows or more (crt.sh's silent cap: incomplete).
 */
enum dp_status dp_ct_parse_crtsh(struct dp_ct_set *s, const char *zone, const char *body,
                                 size_t len, struct dp_error *err);

/* Either format, told apart by its first row (a saved answer: file:PATH). */
enum dp_status dp_ct_parse_any(struct dp_ct_set *s, const char *zone, const char *body, size_t len,
                               struct dp_error *err);

#endif
