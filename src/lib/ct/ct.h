/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The CT observation: the certificates that CT logs show for the
 * inventory's zones, fetched from Cert Spotter or crt.sh (or read from a
 * saved answer), one query per zone, a few zones at once, optionally
 * cached. Like the DNS sources it never judges; a zone whose query failed
 * keeps why, and its names count as not cross-checked.
 */
#ifndef DP_CT_H
#define DP_CT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "ct/ctjson.h"
#include "ct/http.h"
#include "model/inventory.h"

enum dp_ct_kind {
	DP_CT_CERTSPOTTER,
	DP_CT_CRTSH,
	DP_CT_FILE,
	DP_CT_INVENTORY, /* the inventory's ct.source: the run resolves it */
};

/* What to ask, and how. Strings are borrowed. */
struct dp_ct_config {
	enum dp_ct_kind kind;
	const char *file;      /* DP_CT_FILE: a saved answer of either service */
	const char *base_url;  /* replaces the service's scheme, host and port, or NULL */
	const char *cacert;    /* a CA trusted besides the system's, or NULL */
	const char *cache_dir; /* keep answers here, or NULL */
	int64_t cache_max_age; /* seconds a kept answer is used */
	const char *api_key;   /* Cert Spotter's, or NULL (free quota); never printed */
	long timeout_ms;       /* per try */
	const char *version;   /* for the User-Agent */
	/* the transport's limits (tests make them small) */
	size_t max_size;
	int retries;
	long backoff_ms;
};

/* Parse "certspotter", "crtsh" or "file:PATH" into cfg->kind (and ->file). */
bool dp_ct_source_parse(const char *s, struct dp_ct_config *cfg);
/*
 * The HTTP options of cfg (CA file, timeouts, retries) for answers of at
 * most max_size octets; the User-Agent is written to ua, which *ho borrows.
 * The one place CT and the directory probe agree on how to fetch.
 */
struct dp_buf;
void dp_ct_http_opts(const struct dp_ct_config *cfg, size_t max_size, struct dp_buf *ua,
                     struct dp_http_opts *ho);
/* The source's name for the report: "certspotter", "crtsh", "file". */
const char *dp_ct_kind_name(enum dp_ct_kind k);

/* A zone queried, and why it was not cross-checked (NULL when it was). */
struct dp_ct_zone {
	const char *zone;
	const char *error;
};

struct dp_ct_obs;

/*
 * Query every zone of the inventory (its owned zones, else each name's
 * registered parent) and index the certificates by name: those expired
 * before now - ct.lookback and those the ct.ignore rules name are left
 * out; issuers without CAA domains from the source are mapped through the
 * shipped table and ct.issuers. Failures are kept per zone, not returned:
 * the status is DP_OK or DP_ENOMEM. The caller owns *out; inv must outlive it.
 */
enum dp_status dp_ct_observe(const struct dp_ct_config *cfg, const struct dp_inventory *inv,
                             int64_t now, struct dp_ct_obs **out);
void dp_ct_obs_free(struct dp_ct_obs *o);

const char *dp_ct_obs_source(const struct dp_ct_obs *o);
size_t dp_ct_zone_count(const struct dp_ct_obs *o);
const struct dp_ct_zone *dp_ct_zone_at(const struct dp_ct_obs *o, size_t i);
/* The queried zone name falls in (the deepest at or above it), or NULL. */
const struct dp_ct_zone *dp_ct_zone_of(const struct dp_ct_obs *o, const char *name);

/* Certificates kept (after lookback and ignore rules). */
size_t dp_ct_cert_count(const struct dp_ct_obs *o);
const struct dp_ct_cert *dp_ct_cert_at(const struct dp_ct_obs *o, size_t i);
/*
 * The certificates naming name itself (base) or *.name (wildcard); *n
 * gets the count; indexes into dp_ct_cert_at. NULL when none.
 */
const size_t *dp_ct_certs_of(const struct dp_ct_obs *o, const char *name, bool wildcard, size_t *n);
/* Names some kept certificate holds (base names, without "*."), for unlisted names. */
size_t dp_ct_name_count(const struct dp_ct_obs *o);
const char *dp_ct_name_at(const struct dp_ct_obs *o, size_t i);

/* Whether the CAA domains of cert c meet any of ids (case-insensitive). */
bool dp_ct_cert_meets(const struct dp_ct_cert *c, const char *const *ids, size_t n_ids);

#endif
