/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One reading of an inventory, for bench/zone.sh to time in fresh processes
 * with hyperfine (as dnspersist reads it: once, in a new process):
 *   bench/yaml_load events|load|whole INVENTORY
 * events: libyaml's bare event parser over the file, nothing kept (the
 * floor of any loader on libyaml; the loader's target is at most 1.5x it);
 * load: dp_inventory_load; whole: the whole-document reading alone (what
 * dp_inventory_load did before its one-pass reading).
 */
#include <stdio.h>
#include <string.h>

#include <yaml.h>

#include "base/buf.h"
#include "model/inventory.h"
#include "model/yamlutil.h"

static int events(const char *path)
{
	FILE *f = fopen(path, "rb");
	yaml_parser_t p;
	yaml_event_t ev;
	int done = 0, ok = 1;

	if (f == NULL || !yaml_parser_initialize(&p)) {
		if (f != NULL)
			fclose(f);
		return 0;
	}
	yaml_parser_set_input_file(&p, f);
	while (!done && ok) {
		ok = yaml_parser_parse(&p, &ev);
		if (ok) {
			done = ev.type == YAML_STREAM_END_EVENT;
			yaml_event_delete(&ev);
		}
	}
	yaml_parser_delete(&p);
	fclose(f);
	return ok;
}

static int inventory(const char *path, int whole)
{
	struct dp_buf b = {0};
	struct dp_inventory *inv = NULL;
	struct dp_error err;
	enum dp_status st;

	if (whole) {
		st = dp_yaml_read(path, &b, &err);
		if (st == DP_OK)
			st = dp_inventory_load_tree(path, b.data ? b.data : "", b.len, &inv, &err);
	} else {
		st = dp_inventory_load(path, &inv, &err);
	}
	if (st != DP_OK)
		fprintf(stderr, "%s:%lu: %s\n", err.file, err.line, err.msg);
	dp_inventory_free(inv);
	dp_buf_free(&b);
	return st == DP_OK;
}

int main(int argc, char **argv)
{
	int ok;

	if (argc != 3) {
		fprintf(stderr, "usage: yaml_load events|load|whole INVENTORY\n");
		return 2;
	}
	if (strcmp(argv[1], "events") == 0)
		ok = events(argv[2]);
	else if (strcmp(argv[1], "load") == 0 || strcmp(argv[1], "whole") == 0)
		ok = inventory(argv[2], argv[1][0] == 'w');
	else
		ok = (fprintf(stderr, "yaml_load: no mode '%s'\n", argv[1]), 0);
	return ok ? 0 : 1;
}
