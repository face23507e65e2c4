/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Zone-file reader. One lexer turns the byte stream into entries (an owner,
 * TTL, class, type and RDATA tokens, parentheses already joined); entries of
 * uninteresting types are dropped right after the type is known, so the hot
 * path is a byte loop and a few comparisons. The buffer is refilled in
 * place and an entry split across two reads is simply lexed again.
 */
#include "source/zonefile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "base/buf.h"
#include "base/num.h"
#include "base/timeutil.h"

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
};

/* One file (or buffer) being read, with the state RFC 1035 scopes to it. */
struct source {
	const char *path;
	int fd; /* -1 for a memory buffer */
	char *buf;
	size_t cap, pos, end, line_start;
	bool eof, owns_buf;
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
	uint32_t ttl;
	bool has_ttl;
	unsigned depth;
	dev_t dev;
	ino_t ino;
	struct source *parent;
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
};

enum lex_result { LEX_ENTRY, LEX_EOF, LEX_MORE, LEX_ERROR, LEX_SKIPPED };

static enum dp_status read_source(struct reader *r, struct source *s);
static int head_decision(struct reader *r, struct source *s);

static enum dp_status syntax(struct reader *r, const struct source *s, unsigned long line,
                             unsigned long col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static enum dp_status syntax(struct reader *r, const struct source *s, unsigned long line,
                             unsigned long col, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return dp_error_set(r->err, DP_ESYNTAX, s->path, line, col, "%s", msg);
}

static enum dp_status tok_error(struct reader *r, const struct source *s, const struct tok *t,
                                const char *what)
{
	return syntax(r, s, t->line, t->col, "%s '%.*s'", what, (int)(t->len > 60 ? 60 : t->len),
	              t->p);
}

/* ---- lexer ------------------------------------------------------------ */

/* Characters that stop an unquoted token or need a second look (escapes). */
static const unsigned char word_stop[256] = {
    [' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 1, [';'] = 1,
    ['('] = 1, [')'] = 1,  ['"'] = 1,  ['\\'] = 1,
};

/* Characters that end the fast skip of a line: its end, a comment, or syntax. */
static const unsigned char skip_stop[256] = {
    ['\n'] = 1, [';'] = 1, ['('] = 1, [')'] = 1, ['"'] = 1, ['\\'] = 1,
};

static bool push_tok(struct entry *e, const char *p, size_t len, bool quoted, bool escaped,
                     unsigned long line, unsigned long col)
{
	if (e->n == MAX_TOKENS) {
		e->overflow = true;
		return true;
	}
	if (len > UINT32_MAX)
		return false;
	e->t[e->n++] = (struct tok){p, (uint32_t)len, quoted, escaped, line, col};
	return true;
}

struct lexpos {
	size_t p, ls;
	unsigned long line;
	int depth;
	unsigned long open_line;
};

/* Scan a quoted string starting after the opening quote. */
static enum lex_result lex_quoted(struct reader *r, struct source *s, struct lexpos *lp)
{
	size_t q = lp->p + 1, start = q;
	bool esc = false;

	for (;;) {
		if (q >= s->end) {
			if (!s->eof)
				return LEX_MORE;
			syntax(r, s, lp->line, lp->p - lp->ls + 1, "unterminated quoted string");
			return LEX_ERROR;
		}
		if (s->buf[q] == '\\' && (q + 1 >= s->end || s->buf[q + 1] != '\n')) {
			esc = true;
			q += 2;
			continue;
		}
		if (s->buf[q] == '\n') {
			syntax(r, s, lp->line, lp->p - lp->ls + 1,
			       "quoted string runs to the end of the line");
			return LEX_ERROR;
		}
		if (s->buf[q] == '"')
			break;
		q++;
	}
	push_tok(&r->e, s->buf + start, q - start, true, esc, lp->line, lp->p - lp->ls + 1);
	lp->p = q + 1;
	return LEX_ENTRY;
}

static enum lex_result lex_word(struct reader *r, struct source *s, struct lexpos *lp)
{
	size_t q = lp->p;
	bool esc = false;

	for (;;) {
		while (q < s->end && !word_stop[(unsigned char)s->buf[q]])
			q++;
		if (q >= s->end || s->buf[q] != '\\')
			break;
		if (q + 1 < s->end && s->buf[q + 1] != '\n') {
			esc = true;
			q++;
		}
		q++;
	}
	if (q >= s->end && !s->eof)
		return LEX_MORE;
	if (q > s->end)
		q = s->end; /* a lone backslash at the end of the file */
	push_tok(&r->e, s->buf + lp->p, q - lp->p, false, esc, lp->line, lp->p - lp->ls + 1);
	lp->p = q;
	return LEX_ENTRY;
}

/* Handle one delimiter character; returns LEX_ENTRY to continue scanning. */
static enum lex_result lex_special(struct reader *r, struct source *s, struct lexpos *lp, char c)
{
	const char *nl;

	switch (c) {
	case ';':
		nl = memchr(s->buf + lp->p, '\n', s->end - lp->p);
		if (nl == NULL && !s->eof)
			return LEX_MORE;
		lp->p = nl ? (size_t)(nl - s->buf) : s->end;
		return LEX_ENTRY;
	case '(':
		if (lp->depth > 0) {
			syntax(r, s, lp->line, lp->p - lp->ls + 1, "nested '('");
			return LEX_ERROR;
		}
		lp->depth = 1;
		lp->open_line = lp->line;
		lp->p++;
		return LEX_ENTRY;
	case ')':
		if (lp->depth == 0) {
			syntax(r, s, lp->line, lp->p - lp->ls + 1, "')' without '('");
			return LEX_ERROR;
		}
		lp->depth = 0;
		lp->p++;
		return LEX_ENTRY;
	case '"':
		return lex_quoted(r, s, lp);
	default:
		return lex_word(r, s, lp);
	}
}

static void lex_commit(struct source *s, const struct lexpos *lp)
{
	s->pos = lp->p;
	s->line = lp->line;
	s->line_start = lp->ls;
}

/*
 * A skipped entry's rest of line holds no parenthesis, quote or escape
 * before its end or comment: jump to the next line. Otherwise (or when the
 * line's end is not in the buffer yet) the caller lexes on as usual.
 */
static bool fast_forward(struct source *s, struct lexpos *lp)
{
	size_t q = lp->p;
	const char *nl;

	while (q < s->end && !skip_stop[(unsigned char)s->buf[q]])
		q++;
	if (q < s->end && s->buf[q] != '\n' && s->buf[q] != ';')
		return false;
	nl = q < s->end ? memchr(s->buf + q, '\n', s->end - q) : NULL;
	if (nl == NULL) {
		if (!s->eof)
			return false;
		lp->p = s->end;
		return true;
	}
	lp->p = (size_t)(nl - s->buf) + 1;
	lp->line++;
	lp->ls = lp->p;
	return true;
}

/* Lex the next entry from s->pos; LEX_MORE asks for the buffer to be refilled. */
static enum lex_result lex_entry(struct reader *r, struct source *s)
{
	struct lexpos lp = {s->pos, s->line_start, s->line, 0, 0};
	struct entry *e = &r->e;
	enum lex_result lr;

	e->n = 0;
	e->overflow = false;
	e->decided = e->skip = false;
	e->blank_owner = lp.p < s->end && (s->buf[lp.p] == ' ' || s->buf[lp.p] == '\t');
	for (;;) {
		if (lp.p >= s->end) {
			if (!s->eof)
				return LEX_MORE;
			if (lp.depth > 0) {
				syntax(r, s, lp.open_line, 0, "'(' is never closed");
				return LEX_ERROR;
			}
			lex_commit(s, &lp);
			return e->n > 0 ? LEX_ENTRY : LEX_EOF;
		}
		char c = s->buf[lp.p];
		if (c == ' ' || c == '\t' || c == '\r') {
			lp.p++;
			continue;
		}
		if (c == '\n') {
			lp.p++;
			lp.line++;
			lp.ls = lp.p;
			if (lp.depth > 0)
				continue;
			if (e->n > 0) {
				lex_commit(s, &lp);
				return LEX_ENTRY;
			}
			lex_commit(s, &lp); /* blank or comment line: the entry starts later */
			e->blank_owner =
			    lp.p < s->end && (s->buf[lp.p] == ' ' || s->buf[lp.p] == '\t');
			continue;
		}
		size_t before = e->n;
		lr = lex_special(r, s, &lp, c);
		if (lr != LEX_ENTRY)
			return lr;
		if (!e->decided && e->n > before) {
			int d = head_decision(r, s);
			if (d == 0 && lp.depth == 0 && fast_forward(s, &lp)) {
				lex_commit(s, &lp);
				return LEX_SKIPPED;
			}
			e->decided = d >= 0;
			e->skip = d == 0;
		}
	}
}

/* Move the unconsumed tail to the front and read more; grow for long entries. */
static enum dp_status refill(struct reader *r, struct source *s)
{
	ssize_t n;

	if (s->fd < 0) {
		s->eof = true;
		return DP_OK;
	}
	if (s->pos > 0) {
		memmove(s->buf, s->buf + s->pos, s->end - s->pos);
		s->end -= s->pos;
		s->line_start = s->line_start >= s->pos ? s->line_start - s->pos : 0;
		s->pos = 0;
	}
	if (s->end == s->cap) {
		char *nb;
		if (s->cap >= BUF_MAX)
			return syntax(r, s, s->line, 0,
			              "entry longer than %u bytes (a '(' or '\"' never closed?)",
			              BUF_MAX);
		nb = realloc(s->buf, s->cap * 2);
		if (nb == NULL)
			return DP_ENOMEM;
		s->buf = nb;
		s->cap *= 2;
	}
	do
		n = read(s->fd, s->buf + s->end, s->cap - s->end);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return dp_error_set(r->err, DP_EIO, s->path, 0, 0, "read: %s", strerror(errno));
	if (n == 0)
		s->eof = true;
	s->end += (size_t)n;
	return DP_OK;
}

/* ---- names, numbers, strings ------------------------------------------ */

static bool host_octet(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '*';
}

/* Decode one escape at t[*i] (just after a backslash) into *octet. */
static bool decode_escape(const char *t, size_t len, size_t *i, unsigned char *octet)
{
	if (*i >= len)
		return false;
	if (t[*i] >= '0' && t[*i] <= '9') {
		int64_t v;
		if (*i + 3 > len || dp_parse_int(t + *i, 3, false, 0, 255, &v) != DP_OK)
			return false;
		*octet = (unsigned char)v;
		*i += 3;
		return true;
	}
	*octet = (unsigned char)t[(*i)++];
	return true;
}

struct name_out {
	char *p;
	size_t len, label_octets, wire;
};

static bool name_put(struct name_out *o, unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		c = (unsigned char)(c - 'A' + 'a');
	if (++o->label_octets > 63 || o->len + 5 >= ZNAME_MAX)
		return false;
	if (host_octet(c))
		o->p[o->len++] = (char)c;
	else
		o->len += (size_t)snprintf(o->p + o->len, 5, "\\%03u", c);
	return true;
}

static bool name_end_label(struct name_out *o)
{
	if (o->label_octets == 0)
		return false;
	o->wire += o->label_octets + 1;
	o->label_octets = 0;
	return o->wire <= 254;
}

/*
 * Decode the name in token t to presentation form in out; *absolute tells
 * whether it ended with an unescaped dot. Returns a message or NULL.
 */
static const char *decode_name(const struct tok *t, char out[ZNAME_MAX], bool *absolute)
{
	struct name_out o = {out, 0, 0, 0};
	unsigned char c;

	*absolute = false;
	if (t->len == 1 && t->p[0] == '.') {
		*absolute = true;
		out[0] = '\0';
		return NULL;
	}
	for (size_t i = 0; i < t->len;) {
		if (t->p[i] == '.') {
			if (!name_end_label(&o))
				return o.label_octets == 0 ? "empty label in" : "name too long:";
			if (++i == t->len)
				*absolute = true;
			else
				o.p[o.len++] = '.';
			continue;
		}
		if (t->p[i] == '\\') {
			i++;
			if (!decode_escape(t->p, t->len, &i, &c))
				return "bad escape in";
		} else {
			c = (unsigned char)t->p[i++];
		}
		if (!name_put(&o, c))
			return "label longer than 63 octets in";
	}
	if (!*absolute && !name_end_label(&o))
		return o.label_octets == 0 ? "empty label in" : "name too long:";
	out[o.len] = '\0';
	return NULL;
}

static enum dp_status no_origin(struct reader *r, const struct source *s, const struct tok *t)
{
	return dp_error_set(r->err, DP_ENOORIGIN, s->path, t->line, t->col,
	                    "relative name '%.*s' but no origin: add $ORIGIN, give --origin, or "
	                    "name the file after the zone (example.com.zone, db.example.com)",
	                    (int)(t->len > 60 ? 60 : t->len), t->p);
}

/* Resolve a name token against origin into out (absolute, no trailing dot). */
static enum dp_status resolve_name(struct reader *r, const struct source *s, const struct tok *t,
                                   const char *origin, bool has_origin, char out[ZNAME_MAX])
{
	bool absolute;
	const char *why;
	size_t n;

	if (t->len == 1 && t->p[0] == '@' && !t->quoted) {
		if (!has_origin)
			return no_origin(r, s, t);
		memmove(out, origin, strlen(origin) + 1);
		return DP_OK;
	}
	why = decode_name(t, out, &absolute);
	if (why != NULL)
		return tok_error(r, s, t, why);
	if (absolute)
		return DP_OK;
	if (!has_origin)
		return no_origin(r, s, t);
	n = strlen(out);
	if (origin[0] != '\0') {
		if (n + 1 + strlen(origin) + 1 > ZNAME_MAX || n + 1 + strlen(origin) > 1010)
			return tok_error(r, s, t, "name too long:");
		out[n] = '.';
		memcpy(out + n + 1, origin, strlen(origin) + 1);
	}
	return DP_OK;
}

/* A TTL: seconds, or BIND units (1h30m, 2D); at most 2^31-1 (RFC 2181). */
static bool parse_ttl(const struct tok *t, uint32_t *out)
{
	char low[32];
	int64_t v;

	if (t->len == 0 || t->len >= sizeof(low) || t->quoted)
		return false;
	for (size_t i = 0; i < t->len; i++)
		low[i] = (char)((t->p[i] >= 'A' && t->p[i] <= 'Z') ? t->p[i] - 'A' + 'a' : t->p[i]);
	low[t->len] = '\0';
	if (dp_duration_parse(low, &v, NULL) != DP_OK || v > INT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* Case-insensitive match of an unquoted token against an upper-case literal. */
static bool tok_is(const struct tok *t, const char *lit)
{
	size_t i = 0;

	if (t->quoted)
		return false;
	for (; i < t->len && lit[i] != '\0'; i++)
		if ((t->p[i] & ~0x20) != lit[i] && t->p[i] != lit[i])
			return false;
	return i == t->len && lit[i] == '\0';
}

/*
 * Up to 8 characters of a token, upper-cased, packed into one integer, so a
 * type or class is recognised with one switch; 0 for longer or quoted tokens.
 */
static uint64_t tok_key(const struct tok *t)
{
	uint64_t k = 0;

	if (t->quoted || t->len == 0 || t->len > 8)
		return 0;
	for (size_t i = 0; i < t->len; i++) {
		unsigned char c = (unsigned char)t->p[i];
		if (c >= 'a' && c <= 'z')
			c = (unsigned char)(c - 'a' + 'A');
		k = k << 8 | c;
	}
	return k;
}

#define K2(a, b)          ((uint64_t)(a) << 8 | (b))
#define K3(a, b, c)       (K2(a, b) << 8 | (c))
#define K4(a, b, c, d)    (K3(a, b, c) << 8 | (d))
#define K5(a, b, c, d, e) (K4(a, b, c, d) << 8 | (e))

/* 1 for IN, 2 for another class, 0 when the token is not a class. */
static int classify_class(const struct tok *t)
{
	int64_t v;

	switch (tok_key(t)) {
	case K2('I', 'N'):
		return 1;
	case K2('C', 'H'):
	case K2('C', 'S'):
	case K2('H', 'S'):
	case K3('A', 'N', 'Y'):
	case K4('N', 'O', 'N', 'E'):
		return 2;
	}
	if (t->len > 5 && !t->quoted && strncasecmp(t->p, "CLASS", 5) == 0 &&
	    dp_parse_int(t->p + 5, t->len - 5, false, 0, 65535, &v) == DP_OK)
		return v == 1 ? 1 : 2;
	return 0;
}

/* Type code of a mnemonic or TYPEnnn; 0 when unknown. Common types without ldns. */
static uint16_t classify_type(const struct tok *t)
{
	char name[32];
	int64_t v;

	switch (tok_key(t)) {
	case 'A':
		return 1;
	case K2('N', 'S'):
		return 2;
	case K5('C', 'N', 'A', 'M', 'E'):
		return DP_RR_CNAME;
	case K3('S', 'O', 'A'):
		return 6;
	case K3('P', 'T', 'R'):
		return 12;
	case K2('M', 'X'):
		return 15;
	case K3('T', 'X', 'T'):
		return DP_RR_TXT;
	case K4('A', 'A', 'A', 'A'):
		return 28;
	case K3('S', 'R', 'V'):
		return 33;
	case K2('D', 'S'):
		return 43;
	case K3('C', 'A', 'A'):
		return DP_RR_CAA;
	}
	if (t->quoted || t->len == 0 || t->len >= sizeof(name))
		return 0;
	if (t->len > 4 && strncasecmp(t->p, "TYPE", 4) == 0)
		return dp_parse_int(t->p + 4, t->len - 4, false, 0, 65535, &v) == DP_OK
		           ? (uint16_t)v
		           : 0;
	memcpy(name, t->p, t->len);
	name[t->len] = '\0';
	return (uint16_t)ldns_get_rr_type_by_name(name);
}

/* ---- RDATA ------------------------------------------------------------- */

/* Append the octets of a character-string token (escapes decoded). */
static enum dp_status decode_string(struct reader *r, const struct source *s, const struct tok *t,
                                    struct dp_buf *out, size_t *octets)
{
	unsigned char c;
	size_t start = out->len;

	if (!t->escaped) {
		dp_buf_add(out, t->p, t->len);
		*octets = t->len;
		return dp_buf_status(out);
	}
	for (size_t i = 0; i < t->len;) {
		if (t->p[i] == '\\') {
			i++;
			if (!decode_escape(t->p, t->len, &i, &c))
				return tok_error(r, s, t, "bad escape in");
		} else {
			c = (unsigned char)t->p[i++];
		}
		dp_buf_addc(out, (char)c);
	}
	*octets = out->len - start;
	return dp_buf_status(out);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* RFC 3597 "\# len hex..." starting at token i; decoded octets go to r->rdata. */
static enum dp_status decode_generic(struct reader *r, const struct source *s, size_t i)
{
	const struct entry *e = &r->e;
	int64_t len;
	int hi = -1;

	if (i + 1 >= e->n ||
	    dp_parse_int(e->t[i + 1].p, e->t[i + 1].len, false, 0, 65535, &len) != DP_OK)
		return tok_error(r, s, &e->t[i], "generic RDATA needs a length after");
	for (size_t k = i + 2; k < e->n; k++) {
		for (size_t j = 0; j < e->t[k].len; j++) {
			int v = hexval(e->t[k].p[j]);
			if (v < 0)
				return tok_error(r, s, &e->t[k], "not hexadecimal:");
			if (hi < 0) {
				hi = v;
			} else {
				dp_buf_addc(&r->rdata, (char)(hi << 4 | v));
				hi = -1;
			}
		}
	}
	if (hi >= 0 || r->rdata.len != (size_t)len)
		return syntax(r, s, e->t[i].line, e->t[i].col,
		              "generic RDATA length %lld does not match %zu octets of data",
		              (long long)len, r->rdata.len + (hi >= 0));
	return dp_buf_status(&r->rdata);
}

static bool is_generic(const struct entry *e, size_t i)
{
	return i < e->n && !e->t[i].quoted && e->t[i].len == 2 && memcmp(e->t[i].p, "\\#", 2) == 0;
}

/* TXT wire data (length-prefixed strings) to joined octets. */
static enum dp_status txt_from_wire(struct reader *r, const struct source *s, const struct tok *t,
                                    struct dp_zrr *rr)
{
	const unsigned char *w = (const unsigned char *)r->rdata.data;
	size_t n = r->rdata.len, i = 0;

	dp_buf_reset(&r->scratch);
	rr->txt_strings = 0;
	while (i < n) {
		size_t l = w[i++];
		if (l > n - i)
			return tok_error(r, s, t, "TXT string overruns the RDATA in");
		dp_buf_add(&r->scratch, w + i, l);
		i += l;
		rr->txt_strings++;
	}
	if (rr->txt_strings == 0)
		return tok_error(r, s, t, "TXT RDATA holds no string:");
	rr->txt = r->scratch.data;
	rr->txt_len = r->scratch.len;
	return dp_buf_status(&r->scratch);
}

static enum dp_status parse_txt(struct reader *r, const struct source *s, size_t i,
                                struct dp_zrr *rr)
{
	const struct entry *e = &r->e;
	size_t octets;
	enum dp_status st;

	if (i >= e->n)
		return syntax(r, s, e->t[0].line, 0, "TXT record without RDATA");
	if (is_generic(e, i)) {
		st = decode_generic(r, s, i);
		return st != DP_OK ? st : txt_from_wire(r, s, &e->t[i], rr);
	}
	for (size_t k = i; k < e->n; k++) {
		st = decode_string(r, s, &e->t[k], &r->rdata, &octets);
		if (st != DP_OK)
			return st;
		if (octets > 255)
			return syntax(r, s, e->t[k].line, e->t[k].col,
			              "TXT character-string of %zu octets (at most 255)", octets);
	}
	rr->txt = r->rdata.data ? r->rdata.data : "";
	rr->txt_len = r->rdata.len;
	rr->txt_strings = e->n - i;
	return DP_OK;
}

static bool caa_tag_ok(const char *p, size_t len)
{
	if (len == 0 || len > 15)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') ||
		      (p[i] >= '0' && p[i] <= '9')))
			return false;
	return true;
}

/* CAA from generic RDATA: flags, tag length, tag, value. */
static enum dp_status caa_from_wire(struct reader *r, const struct source *s, const struct tok *t,
                                    struct dp_zrr *rr)
{
	const char *w = r->rdata.data;
	size_t n = r->rdata.len, tl;

	if (n < 2 || (tl = (unsigned char)w[1]) > n - 2 || !caa_tag_ok(w + 2, tl))
		return tok_error(r, s, t,
		                 "CAA generic RDATA is not flags, tag length, tag, value:");
	dp_buf_reset(&r->scratch);
	dp_buf_add(&r->scratch, w + 2, tl);
	rr->caa_flags = (uint8_t)w[0];
	rr->caa_tag = r->scratch.data;
	rr->caa_value = w + 2 + tl;
	rr->caa_value_len = n - 2 - tl;
	return dp_buf_status(&r->scratch);
}

static enum dp_status parse_caa(struct reader *r, const struct source *s, size_t i,
                                struct dp_zrr *rr)
{
	const struct entry *e = &r->e;
	int64_t flags;
	size_t octets;
	enum dp_status st;

	if (is_generic(e, i)) {
		st = decode_generic(r, s, i);
		return st != DP_OK ? st : caa_from_wire(r, s, &e->t[i], rr);
	}
	if (i + 3 != e->n)
		return syntax(r, s, e->t[0].line, i < e->n ? e->t[i].col : 0,
		              "CAA needs flags, tag and one value (quote a value with spaces)");
	if (dp_parse_int(e->t[i].p, e->t[i].len, false, 0, 255, &flags) != DP_OK)
		return tok_error(r, s, &e->t[i], "CAA flags must be 0..255, not");
	if (e->t[i + 1].quoted || !caa_tag_ok(e->t[i + 1].p, e->t[i + 1].len))
		return tok_error(r, s, &e->t[i + 1],
		                 "CAA tag must be 1-15 letters and digits, not");
	dp_buf_reset(&r->scratch);
	dp_buf_add(&r->scratch, e->t[i + 1].p, e->t[i + 1].len);
	st = decode_string(r, s, &e->t[i + 2], &r->rdata, &octets);
	if (st != DP_OK)
		return st;
	rr->caa_flags = (uint8_t)flags;
	rr->caa_tag = r->scratch.data;
	rr->caa_value = r->rdata.data ? r->rdata.data : "";
	rr->caa_value_len = r->rdata.len;
	return dp_buf_status(&r->scratch);
}

/* CNAME target from generic RDATA: the one place ldns parses for us. */
static enum dp_status cname_from_wire(struct reader *r, const struct source *s, const struct tok *t,
                                      char out[ZNAME_MAX])
{
	ldns_rdf *dname = NULL;
	size_t pos = 0;
	char *str;

	if (ldns_wire2dname(&dname, (const uint8_t *)r->rdata.data, r->rdata.len, &pos) !=
	        LDNS_STATUS_OK ||
	    pos != r->rdata.len) {
		ldns_rdf_deep_free(dname);
		return tok_error(r, s, t, "CNAME generic RDATA is not one uncompressed name:");
	}
	str = ldns_rdf2str(dname);
	ldns_rdf_deep_free(dname);
	if (str == NULL)
		return DP_ENOMEM;
	size_t n = strlen(str);
	if (n > 0 && str[n - 1] == '.')
		str[--n] = '\0';
	for (size_t k = 0; k < n; k++)
		if (str[k] >= 'A' && str[k] <= 'Z')
			str[k] = (char)(str[k] - 'A' + 'a');
	snprintf(out, ZNAME_MAX, "%s", str);
	free(str);
	return DP_OK;
}

static enum dp_status parse_cname(struct reader *r, const struct source *s, size_t i,
                                  char target[ZNAME_MAX])
{
	const struct entry *e = &r->e;
	enum dp_status st;

	if (is_generic(e, i)) {
		st = decode_generic(r, s, i);
		return st != DP_OK ? st : cname_from_wire(r, s, &e->t[i], target);
	}
	if (i + 1 != e->n)
		return syntax(r, s, e->t[0].line, i < e->n ? e->t[i].col : 0,
		              "CNAME needs exactly one target name");
	return resolve_name(r, s, &e->t[i], s->origin, s->has_origin, target);
}

/* ---- entries ------------------------------------------------------------ */

static bool is_persist_owner(const char *owner)
{
	size_t n = strlen(PERSIST_LABEL);
	return strncmp(owner, PERSIST_LABEL, n) == 0 && (owner[n] == '.' || owner[n] == '\0');
}

/* The same test on an owner as written; false when only resolving can tell. */
static bool raw_is_simple(const struct tok *t)
{
	return !t->quoted && !t->escaped && !(t->len == 1 && t->p[0] == '@');
}

static bool raw_is_persist(const struct tok *t)
{
	size_t n = strlen(PERSIST_LABEL);
	return t->len >= n && strncasecmp(t->p, PERSIST_LABEL, n) == 0 &&
	       (t->len == n || t->p[n] == '.');
}

static enum dp_status resolve_owner(struct reader *r, struct source *s)
{
	enum dp_status st;

	if (!s->owner_pending)
		return DP_OK;
	st = resolve_name(r, s, &s->owner_tok, s->origin, s->has_origin, s->owner);
	if (st == DP_OK) {
		s->owner_pending = false;
		s->owner_persist = is_persist_owner(s->owner);
	}
	return st;
}

/* Remember the owner of a skipped entry as written; false when it must be resolved now. */
static bool note_owner(struct source *s, const struct tok *t)
{
	if (t->len >= ZNAME_MAX || !raw_is_simple(t))
		return false;
	memcpy(s->owner_raw, t->p, t->len);
	s->owner_tok = *t;
	s->owner_tok.p = s->owner_raw;
	s->owner_pending = true;
	s->has_owner = true;
	s->owner_persist = raw_is_persist(t);
	return true;
}

/* Does a record of this type at the current owner matter? (owner noted or resolved) */
static bool wanted(struct reader *r, struct source *s, uint16_t type)
{
	const struct dp_zone_opts *o = r->opts;

	if (type == DP_RR_CAA)
		return true;
	if (type == DP_RR_TXT)
		return o->all_txt || s->owner_persist;
	if (type != DP_RR_CNAME)
		return false;
	if (s->owner_persist || (!o->persist_cnames_only && o->cname_filter == NULL))
		return true;
	if (o->cname_filter == NULL || resolve_owner(r, s) != DP_OK)
		return o->cname_filter != NULL; /* let process_entry report the error */
	return o->cname_filter(s->owner, r->ctx);
}

/* An entry's head: [TTL] [class] in either order, then the type. */
struct head {
	size_t type_at; /* index of the type token */
	uint32_t ttl;
	bool in_class;
	uint16_t type;
	const struct tok *bad; /* the token that does not parse */
	const char *why;
};

static bool is_directive(const struct entry *e)
{
	return !e->blank_owner && e->t[0].len > 0 && e->t[0].p[0] == '$' && !e->t[0].quoted;
}

/*
 * Parse the head from token i: -1 when the type token is not lexed (yet),
 * 0 when a token does not parse (h->bad, h->why), 1 when parsed. The one
 * reading of the head, for the early decision and for kept entries alike.
 */
static int parse_head(const struct entry *e, size_t i, uint32_t default_ttl, struct head *h)
{
	bool seen_ttl = false, seen_class = false;

	h->ttl = default_ttl;
	h->in_class = true;
	for (; i < e->n && !(seen_ttl && seen_class); i++) {
		const struct tok *t = &e->t[i];
		int cls;
		if (!seen_ttl && t->len > 0 && t->p[0] >= '0' && t->p[0] <= '9') {
			if (!parse_ttl(t, &h->ttl)) {
				h->bad = t;
				h->why = "bad TTL";
				return 0;
			}
			seen_ttl = true;
		} else if (!seen_class && (cls = classify_class(t)) != 0) {
			h->in_class = cls == 1;
			seen_class = true;
		} else {
			break;
		}
	}
	if (i >= e->n)
		return -1;
	h->type_at = i;
	if ((h->type = classify_type(&e->t[i])) == 0) {
		h->bad = &e->t[i];
		h->why = "unknown record type";
		return 0;
	}
	return 1;
}

/*
 * Called while an entry is lexed, after each new token: -1 while the type is
 * not known yet, 1 to keep the entry (or to let process_entry report an
 * error), 0 to skip it. A skipped entry's owner is noted here.
 */
static int head_decision(struct reader *r, struct source *s)
{
	const struct entry *e = &r->e;
	struct head h;
	int got;

	if (is_directive(e) || (e->blank_owner && !s->has_owner))
		return 1;
	got = parse_head(e, e->blank_owner ? 0 : 1, s->ttl, &h);
	if (got <= 0)
		return got < 0 ? -1 : 1;
	if (!e->blank_owner && !note_owner(s, &e->t[0]))
		return 1;
	return h.in_class && wanted(r, s, h.type) ? 1 : 0;
}

static enum dp_status emit(struct reader *r, const struct source *s, uint16_t type, uint32_t ttl,
                           size_t i)
{
	struct dp_zrr rr = {0};
	char target[ZNAME_MAX];
	enum dp_status st;

	if (r->e.overflow)
		return syntax(r, s, r->e.t[0].line, 0, "record has more than %d fields",
		              MAX_TOKENS);
	rr.owner = s->owner;
	rr.type = type;
	rr.ttl = ttl;
	rr.file = s->path;
	rr.line = r->e.t[0].line;
	dp_buf_reset(&r->rdata);
	if (type == DP_RR_TXT)
		st = parse_txt(r, s, i, &rr);
	else if (type == DP_RR_CAA)
		st = parse_caa(r, s, i, &rr);
	else {
		st = parse_cname(r, s, i, target);
		rr.target = target;
	}
	if (st != DP_OK)
		return st;
	r->stats.kept++;
	return r->cb(&rr, r->ctx, r->err);
}

static enum dp_status directive(struct reader *r, struct source *s);

static enum dp_status process_entry(struct reader *r, struct source *s)
{
	const struct entry *e = &r->e;
	struct head h;
	enum dp_status st;
	int got;

	if (e->skip) {
		r->stats.entries++;
		return DP_OK;
	}
	if (is_directive(e))
		return directive(r, s);
	if (!e->blank_owner) {
		st = resolve_name(r, s, &e->t[0], s->origin, s->has_origin, s->owner);
		if (st != DP_OK)
			return st;
		s->has_owner = true;
		s->owner_pending = false;
		s->owner_persist = is_persist_owner(s->owner);
	} else if (!s->has_owner) {
		return syntax(r, s, e->t[0].line, e->t[0].col,
		              "record without an owner name (the line starts with white space)");
	} else if ((st = resolve_owner(r, s)) != DP_OK) {
		return st;
	}
	got = parse_head(e, e->blank_owner ? 0 : 1, s->ttl, &h);
	if (got < 0)
		return syntax(r, s, e->t[0].line, 0, "record without a type");
	if (got == 0)
		return tok_error(r, s, h.bad, h.why);
	r->stats.entries++;
	if (h.in_class && wanted(r, s, h.type))
		return emit(r, s, h.type, h.ttl, h.type_at + 1);
	return DP_OK;
}

/* ---- directives and files ---------------------------------------------- */

static enum dp_status open_source(struct reader *r, struct source *s, const char *path)
{
	struct stat sb;

	s->path = path;
	s->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (s->fd < 0)
		return dp_error_set(r->err, DP_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
	if (fstat(s->fd, &sb) != 0 || S_ISDIR(sb.st_mode)) {
		close(s->fd);
		s->fd = -1;
		return dp_error_set(r->err, DP_EIO, path, 0, 0, "not a readable file");
	}
	s->dev = sb.st_dev;
	s->ino = sb.st_ino;
	s->cap = BUF_INITIAL;
	s->buf = malloc(s->cap);
	s->owns_buf = true;
	s->line = 1;
	if (s->buf == NULL) {
		close(s->fd);
		s->fd = -1;
		return DP_ENOMEM;
	}
	return DP_OK;
}

static void close_source(struct source *s)
{
	if (s->fd >= 0)
		close(s->fd);
	if (s->owns_buf)
		free(s->buf);
	s->fd = -1;
	s->buf = NULL;
}

static enum dp_status include_path(struct reader *r, const struct source *s, const struct tok *t,
                                   char *out, size_t size)
{
	struct dp_buf b = {0};
	size_t octets;
	const char *slash = strrchr(s->path, '/');
	enum dp_status st = decode_string(r, s, t, &b, &octets);

	if (st == DP_OK && (octets == 0 || memchr(b.data, '\0', octets) != NULL))
		st = tok_error(r, s, t, "bad $INCLUDE file name");
	if (st == DP_OK) {
		if (b.data[0] == '/' || slash == NULL)
			snprintf(out, size, "%s", b.data);
		else
			snprintf(out, size, "%.*s/%s", (int)(slash - s->path), s->path, b.data);
	}
	dp_buf_free(&b);
	return st;
}

static bool in_include_chain(const struct source *s, dev_t dev, ino_t ino)
{
	for (; s != NULL; s = s->parent)
		if (s->fd >= 0 && s->dev == dev && s->ino == ino)
			return true;
	return false;
}

static enum dp_status include(struct reader *r, struct source *s)
{
	const struct entry *e = &r->e;
	struct source child = {.fd = -1, .parent = s, .depth = s->depth + 1};
	char path[4096];
	enum dp_status st;

	if (r->opts->no_include)
		return tok_error(r, s, &e->t[0], "not allowed here:");
	if (e->n < 2 || e->n > 3)
		return tok_error(r, s, &e->t[0], "usage: $INCLUDE file [origin], at");
	if (child.depth > MAX_INCLUDE_DEPTH)
		return syntax(r, s, e->t[0].line, e->t[0].col, "$INCLUDE nested more than %d deep",
		              MAX_INCLUDE_DEPTH);
	st = include_path(r, s, &e->t[1], path, sizeof(path));
	if (st != DP_OK)
		return st;
	memcpy(child.origin, s->origin, sizeof(child.origin));
	child.has_origin = s->has_origin;
	child.ttl = s->ttl;
	child.has_ttl = s->has_ttl;
	if (e->n == 3) {
		st = resolve_name(r, s, &e->t[2], s->origin, s->has_origin, child.origin);
		if (st != DP_OK)
			return st;
		child.has_origin = true;
	}
	st = open_source(r, &child, path);
	if (st == DP_OK && in_include_chain(s, child.dev, child.ino))
		st = syntax(r, s, e->t[0].line, e->t[0].col, "$INCLUDE loop: %s includes itself",
		            path);
	if (st == DP_OK) {
		r->stats.files++;
		st = read_source(r, &child);
	} else if (st == DP_EIO) {
		char why[sizeof(r->err->msg)];
		snprintf(why, sizeof(why), "%s", r->err ? r->err->msg : "cannot open");
		st = syntax(r, s, e->t[0].line, e->t[1].col, "$INCLUDE %s: %s", path, why);
	}
	close_source(&child);
	return st;
}

static enum dp_status directive(struct reader *r, struct source *s)
{
	const struct entry *e = &r->e;
	const struct tok *t = &e->t[0];

	if (tok_is(t, "$ORIGIN")) {
		if (e->n != 2)
			return tok_error(r, s, t, "usage: $ORIGIN name, at");
		/* an inherited owner keeps the origin it was written under */
		enum dp_status pst = resolve_owner(r, s);
		if (pst != DP_OK)
			return pst;
		char name[ZNAME_MAX];
		enum dp_status st = resolve_name(r, s, &e->t[1], s->origin, s->has_origin, name);
		if (st != DP_OK)
			return st;
		memcpy(s->origin, name, sizeof(s->origin));
		s->has_origin = true;
		return DP_OK;
	}
	if (tok_is(t, "$TTL")) {
		if (e->n != 2 || !parse_ttl(&e->t[1], &s->ttl))
			return tok_error(r, s, t, "usage: $TTL seconds (or 1h, 1d...), at");
		s->has_ttl = true;
		return DP_OK;
	}
	if (tok_is(t, "$INCLUDE"))
		return include(r, s);
	return tok_error(r, s, t, "unsupported directive");
}

static enum dp_status read_source(struct reader *r, struct source *s)
{
	enum dp_status st;

	for (;;) {
		switch (lex_entry(r, s)) {
		case LEX_MORE:
			st = refill(r, s);
			if (st != DP_OK)
				return st;
			break;
		case LEX_EOF:
			return DP_OK;
		case LEX_ERROR:
			return DP_ESYNTAX;
		case LEX_SKIPPED:
			r->stats.entries++;
			break;
		case LEX_ENTRY:
			st = process_entry(r, s);
			if (st != DP_OK)
				return st;
			break;
		}
	}
}

/* ---- public entry points ------------------------------------------------ */

static const char *const not_zone_suffixes[] = {"txt", "conf", "cfg",  "yaml",   "yml", "json",
                                                "bak", "tmp",  "orig", "signed", "jnl"};

static bool suffix_is_data(const char *name)
{
	const char *dot = strrchr(name, '.');

	for (size_t i = 0; dot && i < sizeof(not_zone_suffixes) / sizeof(*not_zone_suffixes); i++)
		if (strcasecmp(dot + 1, not_zone_suffixes[i]) == 0)
			return true;
	return false;
}

bool dp_zone_origin_from_filename(const char *path, char out[DP_NAME_MAX])
{
	const char *base = strrchr(path, '/');
	char name[DP_NAME_MAX + 8];
	size_t n;

	base = base ? base + 1 : path;
	if (strncmp(base, "db.", 3) == 0)
		base += 3;
	if (snprintf(name, sizeof(name), "%s", base) >= (int)sizeof(name))
		return false;
	n = strlen(name);
	if (n > 5 && strcmp(name + n - 5, ".zone") == 0)
		name[n - 5] = '\0';
	else if (n > 3 && strcmp(name + n - 3, ".db") == 0)
		name[n - 3] = '\0';
	else if (suffix_is_data(name) || strchr(name, '.') == NULL)
		return false;
	return strchr(name, '*') == NULL && dp_name_normalize(name, out, NULL) == DP_OK;
}

static enum dp_status set_origin(struct reader *r, struct source *s, const char *origin)
{
	char norm[DP_NAME_MAX];

	if (origin == NULL) {
		if (!dp_zone_origin_from_filename(s->path, norm))
			return DP_OK; /* an error only if a relative name appears */
	} else if (strcmp(origin, ".") == 0) {
		norm[0] = '\0';
	} else if (dp_name_normalize(origin, norm, r->err) != DP_OK) {
		return DP_EINVAL;
	}
	memcpy(s->origin, norm, strlen(norm) + 1);
	s->has_origin = true;
	return DP_OK;
}

static enum dp_status run(struct reader *r, struct source *s, const struct dp_zone_opts *opts,
                          dp_zone_cb cb, void *ctx, struct dp_error *err)
{
	static const struct dp_zone_opts defaults = {0};
	enum dp_status st;

	r->opts = opts ? opts : &defaults;
	r->cb = cb;
	r->ctx = ctx;
	r->err = err;
	r->stats.files = 1;
	st = set_origin(r, s, r->opts->origin);
	if (st == DP_OK)
		st = read_source(r, s);
	if (r->opts->stats != NULL) {
		r->opts->stats->entries += r->stats.entries;
		r->opts->stats->kept += r->stats.kept;
		r->opts->stats->files += r->stats.files;
	}
	dp_buf_free(&r->rdata);
	dp_buf_free(&r->scratch);
	return st;
}

enum dp_status dp_zone_read_file(const char *path, const struct dp_zone_opts *opts, dp_zone_cb cb,
                                 void *ctx, struct dp_error *err)
{
	struct reader *r = calloc(1, sizeof(*r));
	struct source s = {.fd = -1};
	enum dp_status st;

	if (r == NULL)
		return DP_ENOMEM;
	r->err = err;
	st = open_source(r, &s, path);
	if (st == DP_OK)
		st = run(r, &s, opts, cb, ctx, err);
	close_source(&s);
	free(r);
	return st;
}

enum dp_status dp_zone_read_mem(const char *name, const char *data, size_t len,
                                const struct dp_zone_opts *opts, dp_zone_cb cb, void *ctx,
                                struct dp_error *err)
{
	struct reader *r = calloc(1, sizeof(*r));
	/* The buffer is only read: refill() never writes to a source without fd. */
	struct source s = {.path = name,
	                   .fd = -1,
	                   .buf = (char *)(uintptr_t)data,
	                   .cap = len,
	                   .end = len,
	                   .eof = true,
	                   .line = 1};
	enum dp_status st;

	if (r == NULL)
		return DP_ENOMEM;
	st = run(r, &s, opts, cb, ctx, err);
	free(r);
	return st;
}
