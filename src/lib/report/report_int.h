/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the report's parts share (report.c: storage and details;
 * report_order.c: the worst-first order and the finding keys). Not for
 * other modules: they see struct dp_report through report.h only.
 */
#ifndef DP_REPORT_INT_H
#define DP_REPORT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/report.h"

struct dp_arena;
struct dp_strmap;

/* Deferred details: the one name whose records, CAA and authorizations are held. */
struct detail {
	dp_report_detail_fn fn;
	void *ctx;
	struct dp_arena *arena; /* the shown name's details, reset for the next */
	struct dp_report_name *shown;
	bool active; /* inside fn: details kept, findings and notes ignored */
};

struct dp_report {
	const char *mode;
	int64_t now;
	struct dp_arena *arena;
	struct dp_strmap *by_name;
	struct dp_strmap *strings; /* interned copies: records share issuers, URIs, files */
	struct dp_report_name **names;
	size_t n_names, cap_names;
	struct dp_finding *findings;
	size_t n_findings, cap_findings;
	size_t counts[4];
	size_t records;
	bool unknown;
	const char *unknown_why;
	const char **notes;
	size_t n_notes;
	bool sharded;
	struct dp_report_shard shard;
	const struct dp_changes *changes; /* borrowed: since the baseline run */
	struct detail *detail;            /* NULL: every detail kept as added */
	const char *ct_source;            /* NULL: no CT cross-check */
	long ct_certs;
	/* the ends of the lists of the name details were last added to: a name's
	 * details come together, so no name needs to carry its own */
	struct {
		const struct dp_report_name *name;
		struct dp_report_record *rec;
		struct dp_report_caa *caa;
		struct dp_report_auth *auth;
		struct dp_report_cert *cert;
	} tail;
};

#endif
