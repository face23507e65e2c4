/* SPDX-License-Identifier: BSD-3-Clause */
/* Internal to the zone-file reader: the state its modules share (tokens, entry, sources). */
#ifndef DP_ZONE_READER_H
#define DP_ZONE_READER_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/buf.h"
#include "base/status.h"
#include "source/zone_owners.h"
#include "source/zonefile.h"

#define BUF_INITIAL       (256u * 1024u)
#define BUF_MAX           (4u * 1024u * 1024u) /* the longest entry we accept */
#define MAX_TOKENS        1024
#define MAX_INCLUDE_DEPTH 8
#define ZNAME_MAX         1100 /* presentation name with \DDD escapes */
#define PERSIST_LABEL     "_validation-persist"

struct tok {
	const char *p;
	uint32_t len;
	bool quoted;
	bool escaped; /* holds a backslash escape */
	unsigned long line;
	unsigned long col;
};

struct entry {
	struct tok t[MAX_TOKENS];
	size_t n;
	bool overflow;
	bool blank_owner; /* the entry's first line starts with white space */
	bool decided;     /* the type is known: kept, or skipped */
	bool skip;        /* skipped, but lexed to its end (parentheses, quotes) */
	uint16_t type;    /* of a skipped entry */
	bool in_class;    /* of a skipped entry: class IN */
	bool big_ttl;     /* of a skipped entry: a TTL above 2^31-1, read as 0 */
};

/* One file (or buffer) being read, with the state RFC 1035 scopes to it. */
struct source {
	const char *path; /* as given or joined from $INCLUDE; for rr->file */
	char shown[512];  /* path escaped for messages (dp_error.file) */
	int fd;           /* -1 for a memory buffer */
	char *buf;
	size_t cap, pos, end, line_start;
	bool eof, owns_buf;
	bool mapped;      /* buf is the whole file, mapped (zone_map) */
	size_t dropped;   /* mapped bytes before this were handed back to the kernel */
	bool bom_checked; /* a leading byte order mark was looked for */
	bool generated;   /* one line made by $GENERATE: no directives, no columns */
	bool reread;      /* the file was read before in another scope */
	unsigned long line;
	char origin[ZNAME_MAX];
	bool has_origin;
	char owner[ZNAME_MAX];
	bool has_owner;
	/*
	 * The owner as written, resolved only when a kept record needs it:
	 * most entries are skipped, and resolving every owner name was the
	 * reader's largest cost.
	 */
	char owner_raw[ZNAME_MAX];
	struct tok owner_tok; /* position of the raw owner, p points to owner_raw */
	bool owner_pending;   /* owner_raw not yet resolved into owner */
	bool owner_persist;   /* the owner's first label is _validation-persist */
	/*
	 * CNAME beside other data, seen without resolving names: the owner
	 * as last written (cleared by $ORIGIN), and what is at it so far.
	 */
	char same_raw[ZNAME_MAX];
	size_t same_len;
	bool same_quoted;
	bool at_cname, at_other;
	unsigned long cname_line;
	uint32_t ttl;
	bool has_ttl;
	unsigned depth;
	dev_t dev;
	ino_t ino;
	struct source *parent;
};

/* A file already read in this load, with the scope it was read in. */
struct seen_file {
	dev_t dev;
	ino_t ino;
	char *scope; /* origin, a newline, the inherited owner */
};

struct reader {
	const struct dp_zone_opts *opts;
	struct dp_zone_stats stats;
	dp_zone_cb cb;
	void *ctx;
	struct dp_error *err;
	struct entry e;      /* one entry at a time: ~24 KiB, kept off the stack */
	struct dp_buf rdata; /* decoded RDATA of a kept record */
	struct dp_buf scratch;
	struct zone_owners *owners; /* of kept records, for the CNAME check */
	/* One load: every top-level file and what it includes. */
	char root[PATH_MAX]; /* $INCLUDE stays below this directory... */
	bool has_root;       /* ...when it is known */
	struct seen_file *seen;
	size_t n_seen, cap_seen;
	unsigned long files;             /* opened, towards max_files */
	unsigned long long bytes;        /* read, towards max_bytes */
	unsigned long long reread_bytes; /* read again in another scope, towards max_reread */
	unsigned long generated;         /* records $GENERATE made, towards max_generated */
	unsigned long max_files, max_records, max_generated;
	unsigned long long max_bytes, max_reread;
};

/*
 * Zone content quoted in a message: at most QUOTE_MAX octets of p (then
 * "..."), every octet outside printable ASCII as \DDD, the zone file's own
 * escape, so a message never carries a control character, ESC or a byte
 * that is not ASCII. Returns the length written; out is always terminated.
 */
#define QUOTE_MAX  60
#define QUOTE_SIZE (QUOTE_MAX * 4 + 4)
size_t zone_quote(char *out, size_t size, const char *p, size_t len);
/* The same without the QUOTE_MAX cut (file names); "..." only when out is full. */
size_t zone_quote_all(char *out, size_t size, const char *p, size_t len);

/* A syntax error at file:line:col of s (col 0: none); returns DP_ESYNTAX. */
enum dp_status zone_syntax(struct reader *r, const struct source *s, unsigned long line,
                           unsigned long col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* A syntax error at token t: "what 'token'". */
enum dp_status zone_tok_error(struct reader *r, const struct source *s, const struct tok *t,
                              const char *what);

/* Entries (zone_entry.c), called by the lexer and by the file loop. */
int zone_head_decision(struct reader *r, struct source *s);
enum dp_status zone_skipped_entry(struct reader *r, struct source *s);
enum dp_status zone_process_entry(struct reader *r, struct source *s);
enum dp_status zone_resolve_owner(struct reader *r, struct source *s);

/* Directives and the file loop (zonefile.c). */
enum dp_status zone_directive(struct reader *r, struct source *s);
enum dp_status zone_read_source(struct reader *r, struct source *s);

#endif
