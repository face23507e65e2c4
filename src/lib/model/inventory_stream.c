/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Inventory loader, the one-pass reading. The domains list is the part of
 * an inventory that grows with the organisation (45,454 entries make 3 MiB
 * of YAML); it is read one entry at a time as the parser reaches it, each
 * entry's nodes reused for the next, so no tree of the whole list is ever
 * built. The small sections are read from their own nodes as usual.
 *
 * Entries refer to accounts, and accounts to CAs: the entries can be read as
 * they come when cas: and accounts: come before domains:, the order the
 * documentation and `dnspersist inventory init` write. Any other order, and
 * any error at all, makes this reading give up: the whole-document reading
 * (inventory.c) then decides, so an inventory means the same and every
 * message is the same whichever reading took it (tests/fuzz/fuzz_inventory.c
 * compares the two).
 */
#include "model/inventory_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/grow.h"

struct stream {
	struct loader l;
	size_t cap_domains;
	bool started;               /* the CAs and accounts before domains: are read */
	bool had_cas, had_accounts; /* ... and they were there */
};

/* The sections an entry refers to, read once from the pairs before domains:. */
static enum dp_status start(struct stream *s, struct dp_ynode *so_far)
{
	enum dp_status st = dp_inv_load_cas(&s->l, so_far);

	if (st == DP_OK)
		st = dp_inv_load_accounts(&s->l, so_far);
	s->had_cas = dp_yaml_get(s->l.y, so_far, "cas") != NULL;
	s->had_accounts = dp_yaml_get(s->l.y, so_far, "accounts") != NULL;
	s->started = true;
	return st;
}

static enum dp_status on_item(struct dp_yaml *y, struct dp_ynode *so_far, struct dp_ynode *item,
                              void *ctx)
{
	struct stream *s = ctx;
	struct dp_inventory *inv = s->l.inv;
	enum dp_status st;

	s->l.y = y;
	if (!s->started) {
		st = start(s, so_far);
		if (st != DP_OK)
			return st;
	}
	if (dp_grow(&inv->domains, &s->cap_domains, inv->n_domains, sizeof(*inv->domains), 64) !=
	    DP_OK)
		return dp_inv_oom(&s->l);
	memset(&inv->domains[inv->n_domains], 0, sizeof(*inv->domains));
	/* counted before it is read, so that its allocations are freed on an error */
	return dp_inv_load_domain(&s->l, item, &inv->domains[inv->n_domains++]);
}

/* The entries by name, now that the array has stopped moving; a name twice is refused. */
static enum dp_status index_domains(struct loader *l)
{
	struct dp_inventory *inv = l->inv;

	if (dp_strmap_reserve(inv->by_name, inv->n_domains) != DP_OK)
		return dp_inv_oom(l);
	for (size_t i = 0; i < inv->n_domains; i++) {
		struct dp_inv_domain *d = &inv->domains[i];
		if (dp_strmap_put(inv->by_name, d->name, d) != DP_OK)
			return dp_inv_oom(l);
		/* one probe: a name already there is replaced, and the count stays */
		if (dp_strmap_count(inv->by_name) != i + 1)
			return DP_ESYNTAX; /* the whole-document reading names both lines */
	}
	return DP_OK;
}

/* The rest of the document once it is read: the checks of load_all, in any order. */
static enum dp_status finish(struct dp_yaml *y, void *ctx, struct dp_error *err)
{
	static const char *const keys[] = {"version", "cas", "accounts", "zones",
	                                   "domains", "ct",  NULL};
	struct stream *s = ctx;
	struct dp_ynode *root = dp_yaml_root(y);
	enum dp_status st;

	s->l.y = y;
	st = dp_yaml_map(y, root, "the inventory", keys, err);
	if (st == DP_OK)
		st = dp_inv_load_version(&s->l, root);
	if (st != DP_OK)
		return st;
	if (!s->started) {
		/* no entry was streamed: domains: is absent, empty or not a list */
		st = start(s, root);
		return st == DP_OK ? dp_inv_load_domains(&s->l, root) : st;
	}
	/* a CA or account section after domains: would have been missing for its entries */
	if ((dp_yaml_get(y, root, "cas") != NULL) != s->had_cas ||
	    (dp_yaml_get(y, root, "accounts") != NULL) != s->had_accounts)
		return DP_EINVAL;
	return index_domains(&s->l);
}

static enum dp_status finish_rest(struct dp_yaml *y, void *ctx, struct dp_error *err)
{
	struct stream *s = ctx;
	enum dp_status st = finish(y, ctx, err);

	if (st == DP_OK)
		st = dp_inv_load_zones(&s->l, dp_yaml_root(y));
	if (st == DP_OK)
		st = dp_inv_load_ct(&s->l, dp_yaml_root(y));
	return st;
}

enum dp_status dp_inv_load_streamed(const char *name, const char *data, size_t len,
                                    struct dp_inventory **out, struct dp_error *err)
{
	struct stream s = {.l = {NULL, dp_inv_new(name), err}};
	struct dp_yaml_stream hooks = {"domains", on_item, &s};
	enum dp_status st;

	*out = NULL;
	if (s.l.inv == NULL)
		return DP_ENOMEM;
	st = dp_yaml_build_streamed(name, data, len, &hooks, finish_rest, &s, err);
	if (st != DP_OK) {
		dp_inventory_free(s.l.inv);
		return st;
	}
	*out = s.l.inv;
	return DP_OK;
}
