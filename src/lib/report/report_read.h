/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A JSON report (format 2, as scan --format json writes it) read back into
 * a report the renderers print: for dnspersist merge and --baseline. The
 * file is hostile input: bounded in size, counts and string lengths, every
 * member's type checked, and every error names the file and the member
 * (and the line and column where jansson knows them).
 */
#ifndef DP_REPORT_READ_H
#define DP_REPORT_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "report/report.h"

/* What a report file may hold; a file over a bound is refused, not truncated. */
struct dp_report_limits {
	size_t max_bytes;    /* the document */
	size_t max_names;    /* entries of "names" */
	size_t max_findings; /* entries of "findings" */
	size_t max_per_name; /* records, CAA properties, authorizations, covered names, each */
	size_t max_string;   /* octets of one string */
};

/* 512 MiB, 10,000,000 names and findings, 10,000 per name, 64 KiB strings. */
extern const struct dp_report_limits dp_report_default_limits;

/* What a report file says about its run besides names and findings. */
struct dp_report_file {
	int64_t now;
	char mode[16];
	bool sharded; /* it was one shard of a run: shard says which */
	struct dp_report_shard shard;
};

/*
 * Read path into *into: a new report (mode and now from the file) when
 * *into is NULL, else names and findings added to *into, whose mode and
 * now the file must share and none of whose names it may list again (two
 * shards that overlap). The report is finished (sorted) on success.
 * Derived members (status, counts, name_unicode) are computed again, not
 * believed. lim NULL: dp_report_default_limits. info may be NULL. On an
 * error err says why; a report created here is freed, one passed in may
 * hold part of the file and should be dropped. The caller owns *into.
 */
enum dp_status dp_report_read_json(const char *path, const struct dp_report_limits *lim,
                                   struct dp_report **into, struct dp_report_file *info,
                                   struct dp_error *err);
/* The same from memory; name is for messages. */
enum dp_status dp_report_read_json_mem(const char *name, const char *data, size_t len,
                                       const struct dp_report_limits *lim, struct dp_report **into,
                                       struct dp_report_file *info, struct dp_error *err);

/*
 * Reports of one run's shards (scan --shard K/N), or of runs over disjoint
 * names at the same now, read into one report as the run over every name
 * would have made it; the caller owns *out. Refused with err naming the
 * file: a name in two files, another now or mode, shards of different runs
 * (count, rules or inventory digest), a shard given twice or missing, a
 * shard mixed with a whole run.
 */
enum dp_status dp_report_merge_json(const char *const *paths, size_t n,
                                    const struct dp_report_limits *lim, struct dp_report **out,
                                    struct dp_error *err);

#endif
