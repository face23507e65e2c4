/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Loading an inventory against libyaml's bare event parser on the same
 * file (bench/zone.sh): the loader's target is at most 1.5x the parser.
 *   bench/yaml_load INVENTORY [RUNS]
 * Prints the best and median wall time of each over RUNS runs; the
 * whole-document reading alone (the loader before its one-pass reading)
 * is timed too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <yaml.h>

#include "base/buf.h"
#include "base/num.h"
#include "model/inventory.h"
#include "model/yamlutil.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Every event of the file, nothing kept: the floor any loader on libyaml has. */
static int events(const char *path)
{
	FILE *f = fopen(path, "rb");
	yaml_parser_t p;
	yaml_event_t ev;
	int done = 0, ok = 1;

	if (f == NULL || !yaml_parser_initialize(&p))
		return 0;
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

static int inventory(const char *path)
{
	struct dp_inventory *inv = NULL;
	struct dp_error err;
	enum dp_status st = dp_inventory_load(path, &inv, &err);

	if (st != DP_OK)
		fprintf(stderr, "%s:%lu: %s\n", err.file, err.line, err.msg);
	dp_inventory_free(inv);
	return st == DP_OK;
}

/* The whole-document reading alone (what dp_inventory_load did before the one-pass reading). */
static int inventory_tree(const char *path)
{
	struct dp_buf b = {0};
	struct dp_inventory *inv = NULL;
	struct dp_error err;
	enum dp_status st = dp_yaml_read(path, &b, &err);

	if (st == DP_OK)
		st = dp_inventory_load_tree(path, b.data ? b.data : "", b.len, &inv, &err);
	if (st != DP_OK)
		fprintf(stderr, "%s:%lu: %s\n", err.file, err.line, err.msg);
	dp_inventory_free(inv);
	dp_buf_free(&b);
	return st == DP_OK;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void run(const char *what, int (*fn)(const char *), const char *path, int runs)
{
	double *t = calloc((size_t)runs, sizeof(*t));

	for (int i = 0; i < runs && t; i++) {
		double t0 = now();
		if (!fn(path)) {
			fprintf(stderr, "%s failed on %s\n", what, path);
			exit(1);
		}
		t[i] = now() - t0;
	}
	if (t == NULL)
		exit(1);
	qsort(t, (size_t)runs, sizeof(*t), cmp);
	printf("%-22s best %7.1f ms  median %7.1f ms\n", what, t[0] * 1e3, t[runs / 2] * 1e3);
	free(t);
}

int main(int argc, char **argv)
{
	int64_t runs = 10;

	if (argc < 2 ||
	    (argc > 2 && dp_parse_int(argv[2], strlen(argv[2]), false, 1, 1000, &runs) != DP_OK)) {
		fprintf(stderr, "usage: yaml_load INVENTORY [RUNS]\n");
		return 2;
	}
	run("libyaml events", events, argv[1], (int)runs);
	run("dp_inventory_load", inventory, argv[1], (int)runs);
	run("  whole-document", inventory_tree, argv[1], (int)runs);
	return 0;
}
