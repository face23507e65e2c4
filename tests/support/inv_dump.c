/* SPDX-License-Identifier: BSD-3-Clause */
/* Tests: everything an inventory holds, as text (every field of every element, in order). */
#include "inv_dump.h"

#include <string.h>

static void str(struct dp_buf *b, const char *s)
{
	if (s == NULL) {
		dp_buf_adds(b, " (null)");
		return;
	}
	dp_buf_addc(b, ' ');
	dp_buf_add_escaped(b, s, strlen(s));
}

static void list(struct dp_buf *b, const char *const *v, size_t n)
{
	dp_buf_addf(b, " [%zu]", n);
	for (size_t i = 0; i < n; i++)
		str(b, v[i]);
}

static void cas(const struct dp_inventory *inv, struct dp_buf *b)
{
	for (size_t i = 0; i < dp_inventory_ca_count(inv); i++) {
		const struct dp_inv_ca *ca = dp_inventory_ca(inv, i);
		dp_buf_addf(b, "ca %lu", ca->line);
		str(b, ca->id);
		str(b, ca->issuer);
		list(b, ca->caa, ca->n_caa);
		dp_buf_addf(b, " %d %d", (int)ca->scope, (int)ca->profile);
		str(b, ca->directory);
		dp_buf_addc(b, '\n');
	}
}

static void accounts(const struct dp_inventory *inv, struct dp_buf *b)
{
	const struct dp_inv_account *a;

	for (size_t i = 0; (a = dp_inventory_account_at(inv, i)) != NULL; i++) {
		dp_buf_addf(b, "account %lu", a->line);
		str(b, a->id);
		str(b, a->ca ? a->ca->id : NULL);
		str(b, a->uri);
		dp_buf_addc(b, '\n');
	}
}

static void domains(const struct dp_inventory *inv, struct dp_buf *b)
{
	for (size_t i = 0; i < dp_inventory_domain_count(inv); i++) {
		const struct dp_inv_domain *d = dp_inventory_domain(inv, i);
		dp_buf_addf(b, "domain %lu", d->line);
		str(b, d->name);
		str(b, d->display);
		list(b, d->ct_allow, d->n_ct_allow);
		dp_buf_addf(b, " %d found:%d\n", d->ct_wildcard,
		            dp_inventory_find(inv, d->name) == d);
		for (size_t k = 0; k < d->n_auth; k++) {
			const struct dp_inv_auth *a = &d->auth[k];
			dp_buf_addf(b, "  auth %lu", a->line);
			str(b, a->account ? a->account->id : NULL);
			dp_buf_addf(b, " %d %d\n", a->wildcard, (int)a->persist_until);
		}
	}
}

static void ct(const struct dp_inventory *inv, struct dp_buf *b)
{
	const struct dp_inv_ct *c = dp_inventory_ct(inv);

	dp_buf_adds(b, "ct");
	str(b, c->source);
	dp_buf_addf(b, " %lld", (long long)c->lookback);
	list(b, c->ignore_names, c->n_ignore_names);
	list(b, c->ignore_issuers, c->n_ignore_issuers);
	dp_buf_addc(b, '\n');
	for (size_t i = 0; i < c->n_issuers; i++) {
		size_t n = 0;
		while (c->issuers[i].caa != NULL && c->issuers[i].caa[n] != NULL)
			n++;
		dp_buf_adds(b, "  issuer");
		str(b, c->issuers[i].org);
		list(b, c->issuers[i].caa, n);
		dp_buf_addc(b, '\n');
	}
}

void inv_dump(const struct dp_inventory *inv, struct dp_buf *out)
{
	dp_buf_adds(out, "file");
	str(out, dp_inventory_file(inv));
	dp_buf_addc(out, '\n');
	for (size_t i = 0; i < dp_inventory_zone_count(inv); i++) {
		dp_buf_adds(out, "zone");
		str(out, dp_inventory_zone(inv, i));
		dp_buf_addc(out, '\n');
	}
	cas(inv, out);
	accounts(inv, out);
	domains(inv, out);
	ct(inv, out);
}
