/* SPDX-License-Identifier: BSD-3-Clause */
/* Zone apexes, NS sets and NS addresses, in three rounds of concurrent lookups. */
#include "dns/authns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/name.h"
#include "base/strmap.h"

struct finder {
	struct dp_resolver *r;
	struct dp_obs *o;
	const char *const *names;
	size_t n;
	char **apex; /* per name; NULL when not found */
	uint16_t port;
	struct dp_authns_zone *zones;
	size_t n_zones;
	struct dp_strmap *by_apex; /* apex -> zone index + 1 */
	bool oom;
};

struct soa_ctx {
	struct finder *f;
	size_t i;
	bool parent; /* asked at the parent: the name is an alias */
};

struct zone_ctx {
	struct finder *f;
	size_t z;
};

static void fail_name(struct finder *f, size_t i, const struct dp_dns_answer *a, const char *what)
{
	struct dp_obs_dns *d = dp_obs_dns(f->o, dp_name_strip_wildcard(f->names[i]));
	char buf[512];

	if (d == NULL) {
		f->oom = true;
		return;
	}
	if (d->error != NULL)
		return;
	snprintf(buf, sizeof(buf), "%s: %s %s: %s%s%s", what, a->qtype == DP_DNS_SOA ? "SOA" : "NS",
	         a->qname, dp_dns_kind_name(a->kind), a->server ? " from " : "",
	         a->server ? a->server : "");
	d->error = dp_obs_strdup(f->o, buf);
	if (d->error == NULL)
		f->oom = true;
}

/* ---- round 1: the apex of each name ------------------------------------------------ */

static void soa_cb(const struct dp_dns_answer *a, void *ctx);

static void ask_soa(struct finder *f, size_t i, const char *at, bool parent)
{
	struct soa_ctx *c = malloc(sizeof(*c));

	if (c == NULL) {
		f->oom = true;
		return;
	}
	*c = (struct soa_ctx){f, i, parent};
	if (dp_resolver_ask(f->r, at, DP_DNS_SOA, -1, soa_cb, c) != DP_OK)
		f->oom = true;
}

static void soa_cb(const struct dp_dns_answer *a, void *ctx)
{
	struct soa_ctx *c = ctx;
	struct finder *f = c->f;
	const char *apex = NULL;

	if (a->n_chain > 0 && !c->parent && dp_name_parent(a->qname) != NULL) {
		ask_soa(f, c->i, dp_name_parent(a->qname), true); /* an alias: its parent's zone */
	} else {
		if (a->kind == DP_DNS_DATA && a->n_chain == 0)
			apex = a->qname;
		else if (dp_dns_kind_ok(a->kind) && a->zone != NULL && a->n_chain == 0 &&
		         dp_name_is_below(a->qname, a->zone))
			apex = a->zone;
		if (apex == NULL) {
			fail_name(f, c->i, a, "cannot find the zone's authoritative servers");
		} else {
			f->apex[c->i] = strdup(apex);
			if (f->apex[c->i] == NULL)
				f->oom = true;
		}
	}
	free(c);
}

/* ---- round 2: the NS set of each apex; round 3: their addresses ------------------------- */

static struct dp_authns_zone *zone_for(struct finder *f, const char *apex)
{
	size_t k = (size_t)(uintptr_t)dp_strmap_get(f->by_apex, apex);
	struct dp_authns_zone *z;

	if (k > 0)
		return &f->zones[k - 1];
	z = &f->zones[f->n_zones];
	memset(z, 0, sizeof(*z));
	z->apex = strdup(apex);
	if (z->apex == NULL ||
	    dp_strmap_put(f->by_apex, z->apex, (void *)(uintptr_t)(f->n_zones + 1)) != DP_OK) {
		free(z->apex);
		z->apex = NULL;
		return NULL;
	}
	f->n_zones++;
	return z;
}

static void addr_cb(const struct dp_dns_answer *a, void *ctx)
{
	struct zone_ctx *c = ctx;
	struct dp_authns_zone *z = &c->f->zones[c->z];
	char spec[128];

	for (const struct dp_dns_rr *rr = a->rrs; rr != NULL; rr = rr->next) {
		struct dp_server s;
		bool dup = false;
		snprintf(spec, sizeof(spec), "%s@%u", rr->data, c->f->port);
		if (z->n_servers == DP_AUTHNS_MAX || dp_server_parse(spec, &s, NULL) != DP_OK)
			continue;
		for (size_t k = 0; k < z->n_servers && !dup; k++)
			dup = strcmp(z->servers[k].label, s.label) == 0;
		if (!dup)
			z->servers[z->n_servers++] = s;
	}
	free(c);
}

static void ask_addr(struct finder *f, size_t z, const char *host, uint16_t type)
{
	struct zone_ctx *c = malloc(sizeof(*c));

	if (c == NULL) {
		f->oom = true;
		return;
	}
	*c = (struct zone_ctx){f, z};
	if (dp_resolver_ask(f->r, host, type, -1, addr_cb, c) != DP_OK)
		f->oom = true;
}

static void ns_cb(const struct dp_dns_answer *a, void *ctx)
{
	struct zone_ctx *c = ctx;
	struct finder *f = c->f;

	for (const struct dp_dns_rr *rr = a->rrs; rr != NULL; rr = rr->next) {
		ask_addr(f, c->z, rr->data, DP_DNS_A);
		ask_addr(f, c->z, rr->data, DP_DNS_AAAA);
	}
	free(c);
}

/* Names to their zones; every zone's NS set asked. */
static enum dp_status group(struct finder *f)
{
	for (size_t i = 0; i < f->n && !f->oom; i++) {
		struct dp_authns_zone *z;
		const char **v;
		if (f->apex[i] == NULL)
			continue;
		z = zone_for(f, f->apex[i]);
		if (z == NULL)
			return DP_ENOMEM;
		v = realloc(z->names, (z->n_names + 1) * sizeof(*v));
		if (v == NULL)
			return DP_ENOMEM;
		z->names = v;
		z->names[z->n_names++] = f->names[i];
		if (z->n_names == 1) {
			struct zone_ctx *c = malloc(sizeof(*c));
			if (c == NULL)
				return DP_ENOMEM;
			*c = (struct zone_ctx){f, (size_t)(z - f->zones)};
			if (dp_resolver_ask(f->r, z->apex, DP_DNS_NS, -1, ns_cb, c) != DP_OK)
				return DP_ENOMEM;
		}
	}
	return f->oom ? DP_ENOMEM : DP_OK;
}

static int by_label(const void *a, const void *b)
{
	return strcmp(((const struct dp_server *)a)->label, ((const struct dp_server *)b)->label);
}

/* Names of a zone without a server address cannot be asked: say so. */
static void no_servers(struct finder *f)
{
	for (size_t k = 0; k < f->n_zones; k++) {
		struct dp_authns_zone *z = &f->zones[k];
		struct dp_dns_answer a = {
		    .kind = DP_DNS_NODATA, .qname = z->apex, .qtype = DP_DNS_NS};
		/* the same order every run, whatever order the NS RRset came in */
		qsort(z->servers, z->n_servers, sizeof(z->servers[0]), by_label);
		if (z->n_servers > 0)
			continue;
		for (size_t i = 0; i < f->n; i++)
			if (f->apex[i] != NULL && strcmp(f->apex[i], z->apex) == 0)
				fail_name(f, i, &a, "no address for the zone's NS hosts");
		z->n_names = 0;
	}
}

void dp_authns_free(struct dp_authns_zone *zones, size_t n)
{
	for (size_t i = 0; zones != NULL && i < n; i++) {
		free(zones[i].apex);
		free(zones[i].names);
	}
	free(zones);
}

static void finder_free(struct finder *f)
{
	for (size_t i = 0; f->apex != NULL && i < f->n; i++)
		free(f->apex[i]);
	free(f->apex);
	dp_strmap_free(f->by_apex);
}

enum dp_status dp_authns_find(struct dp_resolver *r, struct dp_obs *o, const char *const *names,
                              size_t n, uint16_t port, struct dp_authns_zone **zones,
                              size_t *n_zones)
{
	struct finder f = {.r = r, .o = o, .names = names, .n = n, .port = port};
	enum dp_status st = DP_ENOMEM;

	*zones = NULL;
	*n_zones = 0;
	f.apex = calloc(n ? n : 1, sizeof(*f.apex));
	f.zones = calloc(n ? n : 1, sizeof(*f.zones));
	if (f.apex != NULL && f.zones != NULL && dp_strmap_new(&f.by_apex) == DP_OK) {
		for (size_t i = 0; i < n && !f.oom; i++)
			ask_soa(&f, i, dp_name_strip_wildcard(names[i]), false);
		st = f.oom ? DP_ENOMEM : dp_resolver_run(r);
		if (st == DP_OK)
			st = group(&f);
		if (st == DP_OK)
			st = dp_resolver_run(r); /* NS sets, then their addresses */
		if (st == DP_OK && f.oom)
			st = DP_ENOMEM;
	}
	if (st == DP_OK) {
		no_servers(&f);
		*zones = f.zones;
		*n_zones = f.n_zones;
	} else {
		dp_authns_free(f.zones, f.n_zones);
	}
	finder_free(&f);
	return st;
}
