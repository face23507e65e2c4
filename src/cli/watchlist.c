/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dnspersist inventory watchlist: the inventory as a certspotter watch list
 * (".name" where a wildcard is authorized, so every name below is watched;
 * the exact name elsewhere), for real-time CT alerts next to the audit.
 */
#include <stdio.h>
#include <string.h>

#include "base/msg.h"
#include "base/name.h"
#include "cli/cli.h"
#include "model/inventory.h"

struct watch_args {
	const char *inventory;
	bool help;
};

#define A struct watch_args
static const struct dp_opt watchlist_options[] = {
    DP_OPT("inventory", 'I', STR, A, inventory, "F", "the inventory (YAML, see docs/inventory.md)"),
    DP_OPT("help", 'h', FLAG, A, help, NULL, "show this help and exit"),
};
#undef A
#define N_WATCH (sizeof(watchlist_options) / sizeof(*watchlist_options))

/* A wildcard is expected at d: watch d and everything below it. */
static bool subtree(const struct dp_inv_domain *d)
{
	for (size_t i = 0; i < d->n_auth; i++)
		if (d->auth[i].wildcard)
			return true;
	return d->ct_wildcard;
}

/* d is at or below a name another entry already watches with its subtree. */
static bool covered(const struct dp_inventory *inv, const struct dp_inv_domain *d)
{
	for (size_t i = 0; i < dp_inventory_domain_count(inv); i++) {
		const struct dp_inv_domain *o = dp_inventory_domain(inv, i);
		if (o != d && subtree(o) && dp_name_is_below(d->name, o->name))
			return true;
	}
	return false;
}

static int watchlist(const char *path)
{
	struct dp_inventory *inv = NULL;
	struct dp_error err = {0};
	struct dp_buf out = {0};
	int rc;

	if (dp_inventory_load(path, &inv, &err) != DP_OK) {
		dp_msg_dp_error(&err);
		return DP_EXIT_USAGE;
	}
	for (size_t i = 0; i < dp_inventory_domain_count(inv); i++) {
		const struct dp_inv_domain *d = dp_inventory_domain(inv, i);
		if (!covered(inv, d))
			dp_buf_addf(&out, "%s%s\n", subtree(d) ? "." : "", d->name);
	}
	rc = dp_cli_write(&out) ? DP_EXIT_OK : DP_EXIT_USAGE;
	dp_buf_free(&out);
	dp_inventory_free(inv);
	return rc;
}

static void usage(void)
{
	fputs("Usage: dnspersist inventory watchlist --inventory F\n"
	      "Print the inventory as a certspotter watch list: .NAME (NAME and every name\n"
	      "below) where a wildcard is authorized, the exact NAME elsewhere.\n\n",
	      stdout);
	dp_opts_help(watchlist_options, N_WATCH, stdout);
}

int dp_cmd_inventory_watchlist(int argc, char **argv)
{
	struct watch_args a = {0};
	const char *bad;

	if (!dp_opts_parse(watchlist_options, N_WATCH, argc, argv, &a, NULL, false, &bad))
		return dp_cli_usage_error("inventory watchlist");
	if (a.help) {
		usage();
		return DP_EXIT_OK;
	}
	if (a.inventory == NULL) {
		dp_msg_error("--inventory is required");
		return dp_cli_usage_error("inventory watchlist");
	}
	return watchlist(a.inventory);
}
