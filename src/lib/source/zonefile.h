/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Streaming zone-file reader built for speed: it tokenizes every entry
 * itself and fully parses only the records dnspersist needs
 * (_validation-persist TXT, CAA, CNAME); memory grows with the records it
 * keeps, not with the zone. Zone files are untrusted input: see the
 * bounds below and docs/security.md.
 */
#ifndef DP_ZONEFILE_H
#define DP_ZONEFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/name.h"
#include "base/status.h"

#define DP_RR_CNAME 5
#define DP_RR_TXT   16
#define DP_RR_CAA   257

/* One kept record; every pointer is valid only during the callback. */
struct dp_zrr {
	const char *owner; /* absolute, lower case, no trailing dot ("" is the root) */
	uint16_t type;
	uint32_t ttl;
	const char *file;   /* the file the record is in ($INCLUDE-aware) */
	unsigned long line; /* line where the entry starts */
	/* TXT: character-strings joined with no separator */
	const char *txt;
	size_t txt_len;
	size_t txt_strings;
	/* CAA */
	uint8_t caa_flags;
	const char *caa_tag;
	const char *caa_value;
	size_t caa_value_len;
	/* CNAME: absolute, lower case, no trailing dot */
	const char *target;
};

/* Called for every kept record; a status other than DP_OK stops the read. */
typedef enum dp_status (*dp_zone_cb)(const struct dp_zrr *rr, void *ctx, struct dp_error *err);

struct dp_zone_stats {
	unsigned long entries; /* resource records seen, kept or not */
	unsigned long kept;
	unsigned long files;
	unsigned long repeats;         /* files not read again: same file, same origin and owner */
	unsigned long big_ttls;        /* TTLs above 2^31-1, read as 0 (BIND warns) */
	unsigned long guessed_origins; /* top-level files whose origin came from the file name */
};

/*
 * Bounds on one load (one dp_zone_read_files() call with everything it
 * includes), listed in docs/security.md. Going past one is an error
 * (DP_ELIMIT) naming the file and line where it happened.
 */
#define DP_ZONE_MAX_FILES    1000ul                       /* files opened, $INCLUDEs counted */
#define DP_ZONE_MAX_BYTES    (16ull * 1024 * 1024 * 1024) /* 16 GiB read */
#define DP_ZONE_MAX_RECORDS  200000000ul                  /* entries, generated ones counted */
#define DP_ZONE_MAX_GENERATE 65536ul                      /* records one $GENERATE may make */
/*
 * Fan-out: a file included again under another origin or owner is read
 * again, its bytes counted here (includes of one template by many zones
 * are small; a tree of includes that multiplies a large file is not).
 */
#define DP_ZONE_MAX_REREAD (64ull * 1024 * 1024)
/* Records $GENERATE makes per load for the types the reader keeps (others are only counted). */
#define DP_ZONE_MAX_GENERATED 1048576ul

/* Which syntax a zone file is in. */
enum dp_zone_format {
	DP_ZONE_AUTO,    /* by the file name: .yaml and .yml are octoDNS, the rest BIND */
	DP_ZONE_BIND,    /* RFC 1035 master files */
	DP_ZONE_OCTODNS, /* octoDNS YAML (source/octodns.h) */
};

struct dp_zone_opts {
	const char *origin; /* NULL: $ORIGIN, else the file name, else an error */
	enum dp_zone_format format;
	bool all_txt;    /* keep TXT at every owner (to follow CNAMEs) */
	bool no_include; /* refuse $INCLUDE (untrusted input, fuzzing) */
	/*
	 * By default $INCLUDE reaches only regular files below the directory
	 * of the top zone file (after resolving symbolic links and ".."), as
	 * zone files may come from an untrusted pull request. include_anywhere
	 * lifts the directory rule for trusted zones (a CLI option such as
	 * --include-anywhere); FIFOs, devices, sockets and directories are
	 * refused either way.
	 */
	bool include_anywhere;
	/* Bounds of one load; 0 means the DP_ZONE_MAX_* default. */
	unsigned long max_files;
	unsigned long long max_bytes;
	unsigned long max_records;
	unsigned long long max_reread;
	unsigned long max_generated;
	/*
	 * CNAMEs: all are kept unless persist_cnames_only (only at
	 * _validation-persist owners) or cname_filter says which owners matter
	 * (called with the absolute owner and the callback's ctx;
	 * _validation-persist owners are always kept).
	 */
	bool persist_cnames_only;
	bool (*cname_filter)(const char *owner, void *ctx);
	struct dp_zone_stats *stats; /* may be NULL */
};

/*
 * Read a zone file, calling cb for every kept record. A syntax error stops
 * the read with DP_ESYNTAX and err set to file:line:column and a message
 * (what it quotes from the file escaped as \DDD); an unreadable file gives
 * DP_EIO; a relative name with no origin gives DP_ENOORIGIN with a hint; a
 * bound passed gives DP_ELIMIT; a bad opts->origin gives DP_EINVAL.
 * Records already handed to cb before an error are the caller's to drop.
 */
enum dp_status dp_zone_read_file(const char *path, const struct dp_zone_opts *opts, dp_zone_cb cb,
                                 void *ctx, struct dp_error *err);

/*
 * Read several zone files as one load: the bounds count over all of them,
 * and a file given (or included) twice in the same scope (origin and
 * inherited owner) is read once (stats->repeats counts the others).
 */
enum dp_status dp_zone_read_files(const char *const *paths, size_t n,
                                  const struct dp_zone_opts *opts, dp_zone_cb cb, void *ctx,
                                  struct dp_error *err);

/*
 * The same on a memory buffer; name is used in messages and for the origin
 * (and its directory confines $INCLUDE when that is allowed).
 */
enum dp_status dp_zone_read_mem(const char *name, const char *data, size_t len,
                                const struct dp_zone_opts *opts, dp_zone_cb cb, void *ctx,
                                struct dp_error *err);

/*
 * Guess the origin from a file name: "example.com.zone", "example.com.db",
 * "db.example.com", "example.com". Returns false when the name gives none.
 */
bool dp_zone_origin_from_filename(const char *path, char out[DP_NAME_MAX]);

#endif
