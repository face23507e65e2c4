/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Observations: what a source saw, never judged. One node per base name X
 * holds the TXT RRs at _validation-persist.X, the CAA RRs at X and the
 * CNAMEs at both, each with the file and line (or server) it came from.
 */
#ifndef DP_OBSERVE_H
#define DP_OBSERVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/caa.h"
#include "dns/dnswire.h"
#include "base/status.h"
#include "base/strmap.h"
#include "source/zonefile.h"

/* CNAME hops a lookup follows before it counts as failed (a loop or too long). */
#define DP_OBS_MAX_HOPS 8

struct dp_obs_txt {
	const char *value; /* character-strings joined; may hold any octet */
	size_t len;
	const char *file;
	unsigned long line;
	struct dp_obs_txt *next;
};

struct dp_obs_caa {
	uint8_t flags;
	const char *tag;
	const char *value;
	size_t len;
	const char *file;
	unsigned long line;
	struct dp_obs_caa *next;
};

/* What a live lookup of a name met besides data; NULL when nothing. */
struct dp_obs_dns {
	const char *error;        /* the first lookup that failed, and how */
	const char *bogus;        /* the first lookup that failed DNSSEC validation */
	enum dp_dnssec dnssec;    /* of the name's _validation-persist lookup */
	const char *dangling;     /* the name is a CNAME to this, which does not exist */
	const char *cut;          /* the levels above were not checked, and why */
	const char *inconsistent; /* how the authoritative servers differ */
	/*
	 * What this name's own lookups found at the end of a CNAME chain, kept
	 * with the lookup rather than at the target's owner: another lookup
	 * (the target's own, or another name's chain) may have been answered
	 * differently, and must not stand in for this one.
	 */
	bool chain_txt_set, chain_caa_set;
	const char *chain_txt_owner, *chain_caa_owner;
	struct dp_obs_txt *chain_txt, *chain_txt_tail;
	struct dp_obs_caa *chain_caa, *chain_caa_tail;
};

struct dp_obs_node {
	const char *name;       /* X */
	struct dp_obs_txt *txt; /* at _validation-persist.X, in source order */
	size_t n_txt;
	struct dp_obs_txt *other_txt; /* at X itself (only as a CNAME target) */
	struct dp_obs_caa *caa;       /* at X */
	size_t n_caa;
	const char *cname;         /* X is an alias of this name */
	const char *persist_cname; /* _validation-persist.X is an alias of this name */
	const char *persist_cname_file;
	unsigned long persist_cname_line;
	struct dp_obs_txt *txt_tail;
	struct dp_obs_txt *other_tail;
	struct dp_obs_caa *caa_tail;
	struct dp_obs_dns *dns; /* live lookups only */
};

struct dp_obs;

/* mode is "zone" or "live"; the caller owns *out (dp_obs_free). */
enum dp_status dp_obs_new(const char *mode, struct dp_obs **out);
void dp_obs_free(struct dp_obs *o);
const char *dp_obs_mode(const struct dp_obs *o);

/*
 * Which names matter to the audit: wants(name, false, ctx) for TXT and CAA
 * (inventory names, their ancestors, names in owned zones), wants(name,
 * true, ctx) for a CNAME at a name (on the way to a CAA set). Without a
 * filter every TXT and CAA is kept and CNAMEs only at _validation-persist
 * owners. Records that CNAMEs lead to are always fetched. ctx is borrowed.
 */
void dp_obs_set_filter(struct dp_obs *o, bool (*wants)(const char *name, bool cname, void *ctx),
                       void *ctx);

/*
 * Read zone files into the observations, following CNAMEs at record owners
 * into the same files.
 */
enum dp_status dp_obs_load_zones(struct dp_obs *o, const char *const *files, size_t n,
                                 const char *origin, struct dp_error *err);
/* The same on one buffer ($INCLUDE refused): tests and fuzzers. */
enum dp_status dp_obs_load_zone_text(struct dp_obs *o, const char *name, const char *data,
                                     size_t len, const char *origin, struct dp_error *err);
/* One file held in memory: its name (for messages and the origin) and content. */
struct dp_zone_buf {
	char *name;
	char *data;
	size_t len;
};
/* Several buffers as one load ($INCLUDE refused): the files of a git revision. */
enum dp_status dp_obs_load_zone_bufs(struct dp_obs *o, const struct dp_zone_buf *bufs, size_t n,
                                     const char *origin, struct dp_error *err);
/*
 * Let $INCLUDE reach files outside the top zone file's directory (trusted
 * zones only: by default a zone from a pull request cannot read the CI
 * machine's files). Special files stay refused.
 */
void dp_obs_set_include_anywhere(struct dp_obs *o, bool anywhere);
/* Read every zone file as BIND or octoDNS, or tell by its name (DP_ZONE_AUTO, the default). */
void dp_obs_set_zone_format(struct dp_obs *o, enum dp_zone_format format);
/* Zone-file records read and kept, over every load. */
unsigned long dp_obs_records_read(const struct dp_obs *o);

/* The node for base name X, or NULL. */
const struct dp_obs_node *dp_obs_get(const struct dp_obs *o, const char *name);
/*
 * Whether TXT (or CAA) RRs at owner are held already: a live answer that
 * many names share, or that several CNAMEs lead to, is added once.
 */
bool dp_obs_has_rrset(const struct dp_obs *o, const char *owner, bool caa);
/* fn on every node with CAA RRs at its name, in no particular order (diff's CAA lines). */
enum dp_status dp_obs_each_caa(const struct dp_obs *o,
                               enum dp_status (*fn)(const struct dp_obs_node *n, void *ctx),
                               void *ctx);
/* Nodes with _validation-persist TXT RRs, in the order first seen. */
size_t dp_obs_persist_count(const struct dp_obs *o);
const struct dp_obs_node *dp_obs_persist(const struct dp_obs *o, size_t i);
/*
 * The TXT RRs that a lookup of _validation-persist.X returns, following a
 * CNAME (bounded); *via is set to the final owner when a CNAME was followed.
 */
const struct dp_obs_txt *dp_obs_records(const struct dp_obs *o, const char *name, const char **via);
/*
 * Whether a lookup at name fails on its CNAMEs: following the
 * _validation-persist CNAME (caa false) or the name's own CNAME (caa true)
 * takes more than 8 hops, a loop or a chain no resolver follows.
 */
bool dp_obs_loops(const struct dp_obs *o, const char *name, bool caa);
/*
 * The level of name's CAA climb whose lookup fails on a CNAME loop before
 * any CAA RRset is found (a CA must not issue), or NULL.
 */
const char *dp_obs_caa_broken(const struct dp_obs *o, const char *name);
/* Where a CAA lookup at X lands after CNAMEs (X itself when none). */
const char *dp_obs_caa_target(const struct dp_obs *o, const char *name);

/*
 * The CAA RRsets a CA would climb for name (name first, then each parent up
 * to the TLD; a CNAME at a level is followed), ready for dp_caa_evaluate().
 * src[k] is the observation behind rrs[k]. Release with dp_obs_caa_view_free.
 */
struct dp_obs_caa_view {
	struct dp_caa_rrset *sets; /* owner: the level, "x (CNAME to y)" when aliased */
	size_t n;
	struct dp_caa_rr *rrs;
	const struct dp_obs_caa **src;
	char **labels; /* the "(CNAME to ...)" owners this view allocated */
	/* the level whose CAA lookup fails (a CNAME loop) before any CAA set
	 * was found: a CA must not issue. NULL when the climb is sound. */
	const char *broken;
};
enum dp_status dp_obs_caa_view(const struct dp_obs *o, const char *name,
                               struct dp_obs_caa_view *out);
void dp_obs_caa_view_free(struct dp_obs_caa_view *v);
/*
 * dp_caa_evaluate() on the view, with the rule the view alone knows: a
 * climb broken by a CNAME loop is unsatisfiable (RFC 8659: a CAA lookup
 * that fails stops issuance), whatever the sets say.
 */
void dp_obs_caa_evaluate(const struct dp_obs_caa_view *v, const struct dp_caa_query *q,
                         struct dp_caa_result *res);
/* The observation behind the deciding property of a result on this view, or NULL. */
const struct dp_obs_caa *dp_obs_caa_decider(const struct dp_obs_caa_view *v,
                                            const struct dp_caa_result *res);

/* Adders for sources; strings are copied. */
enum dp_status dp_obs_add_txt(struct dp_obs *o, const char *owner, const char *value, size_t len,
                              const char *file, unsigned long line);
enum dp_status dp_obs_add_caa(struct dp_obs *o, const char *owner, uint8_t flags, const char *tag,
                              const char *value, size_t len, const char *file, unsigned long line);
enum dp_status dp_obs_add_cname(struct dp_obs *o, const char *owner, const char *target,
                                const char *file, unsigned long line);

/*
 * Live: the lookup of _validation-persist.X (txt) or of X's CAA (caa) ended
 * its CNAME chain at owner; its RRs there follow with dp_obs_add_chain_*.
 * X is the base name of the lookup. False when already set (a shared
 * answer given to several askers) or out of memory (*oom).
 */
bool dp_obs_chain_begin(struct dp_obs *o, const char *x, bool caa, const char *owner, bool *oom);
enum dp_status dp_obs_add_chain_txt(struct dp_obs *o, const char *x, const char *value, size_t len,
                                    const char *file);
enum dp_status dp_obs_add_chain_caa(struct dp_obs *o, const char *x, uint8_t flags, const char *tag,
                                    const char *value, size_t len, const char *file);

/* The DNS status of a name, created on first use (NULL when out of memory). */
struct dp_obs_dns *dp_obs_dns(struct dp_obs *o, const char *name);
/* The DNS status of a name, or NULL when its lookups met nothing worth saying. */
const struct dp_obs_dns *dp_obs_dns_get(const struct dp_obs *o, const char *name);
/* What the source could not look at, for the whole run ("AXFR of x refused"). */
enum dp_status dp_obs_add_note(struct dp_obs *o, const char *text);
size_t dp_obs_note_count(const struct dp_obs *o);
const char *dp_obs_note(const struct dp_obs *o, size_t i);
/* A copy of s that lives as long as o (NULL when out of memory). */
const char *dp_obs_strdup(struct dp_obs *o, const char *s);

#endif
