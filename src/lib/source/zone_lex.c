/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The zone-file lexer: it turns a source's bytes into entries (tokens with
 * their positions, parentheses already joined). Most entries are one line
 * of plain words of a type nobody keeps: the skim splits such a line's head
 * only and jumps to the newline the byte classifier (zone_scan.c) found.
 * Any other entry is lexed token by token, asking the entry module after
 * each whether it is skipped. The buffer is refilled in place (or is the
 * whole mapped file) and an entry split across two reads is lexed again.
 */
#include "source/zone_lex.h"
#include "source/zone_include.h"
#include "source/zone_scan.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static size_t quote(char *out, size_t size, const char *p, size_t len, size_t max)
{
	size_t o = 0, i = 0;

	for (; i < len && i < max && o + 5 < size; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c >= 0x20 && c < 0x7f)
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, size - o, "\\%03u", c);
	}
	if (i < len && o + 4 < size) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	if (size > 0)
		out[o < size ? o : size - 1] = '\0';
	return o;
}

size_t zone_quote(char *out, size_t size, const char *p, size_t len)
{
	return quote(out, size, p, len, QUOTE_MAX);
}

size_t zone_quote_all(char *out, size_t size, const char *p, size_t len)
{
	return quote(out, size, p, len, len);
}

enum dp_status zone_syntax(struct reader *r, const struct source *s, unsigned long line,
                           unsigned long col, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* a column in a generated line is no column in the file */
	return dp_error_set(r->err, DP_ESYNTAX, s->shown, line, s->generated ? 0 : col, "%s%s",
	                    s->generated ? "$GENERATE: " : "", msg);
}

enum dp_status zone_tok_error(struct reader *r, const struct source *s, const struct tok *t,
                              const char *what)
{
	char q[QUOTE_SIZE];

	zone_quote(q, sizeof(q), t->p, t->len);
	return zone_syntax(r, s, t->line, t->col, "%s '%s'", what, q);
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
			zone_syntax(r, s, lp->line, lp->p - lp->ls + 1,
			            "unterminated quoted string");
			return LEX_ERROR;
		}
		if (s->buf[q] == '\\' && (q + 1 >= s->end || s->buf[q + 1] != '\n')) {
			esc = true;
			q += 2;
			continue;
		}
		if (s->buf[q] == '\n') {
			zone_syntax(r, s, lp->line, lp->p - lp->ls + 1,
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
			zone_syntax(r, s, lp->line, lp->p - lp->ls + 1, "nested '('");
			return LEX_ERROR;
		}
		lp->depth = 1;
		lp->open_line = lp->line;
		lp->p++;
		return LEX_ENTRY;
	case ')':
		if (lp->depth == 0) {
			zone_syntax(r, s, lp->line, lp->p - lp->ls + 1, "')' without '('");
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

/*
 * A UTF-8 byte order mark at the start of a file is skipped (BIND refuses
 * it; Windows editors write it); columns count from after it. False while
 * the first three bytes are not in the buffer yet.
 */
static bool skip_bom(struct source *s)
{
	if (s->bom_checked)
		return true;
	if (s->end - s->pos < 3 && !s->eof)
		return false;
	s->bom_checked = true;
	if (s->end - s->pos >= 3 && memcmp(s->buf + s->pos, "\xef\xbb\xbf", 3) == 0)
		s->line_start = s->pos += 3;
	return true;
}

/*
 * Where the entry starting at s->pos ends when its first line is plain
 * words (no parenthesis, quote or escape before its end or comment):
 * *stop at the end of its words, the return value after its newline; 0
 * when it is not plain or its end is not in the buffer yet.
 */
static size_t plain_line(const struct source *s, size_t *stop)
{
	const char *b = s->buf, *nl;
	size_t q = s->pos + zone_scan_special(b + s->pos, s->end - s->pos);

	*stop = q;
	if (q >= s->end)
		return s->eof ? s->end : 0;
	if (b[q] == '\n')
		return q + 1;
	if (b[q] != ';')
		return 0;
	nl = memchr(b + q, '\n', s->end - q);
	if (nl == NULL)
		return s->eof ? s->end : 0;
	return (size_t)(nl - b) + 1;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/*
 * The skim: a plain one-line entry is split at blanks up to its type (at
 * most owner, TTL, class, type) and decided at once; a skipped one is
 * jumped over without reading its RDATA. Returns 0 when it was skipped
 * (s moved past it), 1 when it is kept (decided: the lexer reads it from
 * its start), -1 when the lexer must read and decide it as usual.
 */
static int skim(struct reader *r, struct source *s)
{
	const char *b = s->buf;
	struct entry *e = &r->e;
	size_t stop, next = plain_line(s, &stop), q = s->pos;
	int d = -1;

	if (next == 0)
		return -1;
	/* the type is the third token or the fourth: ask after the third */
	while (d < 0 && e->n < 4) {
		while (q < stop && is_blank(b[q]))
			q++;
		if (q >= stop)
			break;
		size_t t0 = q;
		while (q < stop && !is_blank(b[q]))
			q++;
		e->t[e->n++] = (struct tok){b + t0,  (uint32_t)(q - t0),    false, false,
		                            s->line, t0 - s->line_start + 1};
		if (e->n >= (e->blank_owner ? 2u : 3u))
			d = zone_head_decision(r, s);
	}
	if (d != 0)
		return d;
	if (next > stop && b[next - 1] == '\n') {
		s->line++;
		s->line_start = next;
	}
	s->pos = next;
	return 0;
}

/* Lex the next entry from s->pos; LEX_MORE asks for the buffer to be refilled. */
enum lex_result zone_lex_entry(struct reader *r, struct source *s)
{
	if (!skip_bom(s))
		return LEX_MORE;

	struct lexpos lp = {s->pos, s->line_start, s->line, 0, 0};
	struct entry *e = &r->e;
	enum lex_result lr;

	e->n = 0;
	e->overflow = false;
	e->decided = e->skip = false;
	e->blank_owner = lp.p < s->end && (s->buf[lp.p] == ' ' || s->buf[lp.p] == '\t');
	if (zone_scan_skim() && lp.p < s->end) {
		int got = skim(r, s);
		if (got == 0)
			return LEX_SKIPPED;
		e->n = 0;
		e->decided = got == 1;
	}
	for (;;) {
		if (lp.p >= s->end) {
			if (!s->eof)
				return LEX_MORE;
			if (lp.depth > 0) {
				zone_syntax(r, s, lp.open_line, 0, "'(' is never closed");
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
			int d = zone_head_decision(r, s);
			if (d == 0 && lp.depth == 0 && fast_forward(s, &lp)) {
				lex_commit(s, &lp);
				return LEX_SKIPPED;
			}
			e->decided = d >= 0;
			e->skip = d == 0;
		}
	}
}

/* Count n bytes read against the load's bounds. */
static enum dp_status count_read(struct reader *r, struct source *s, size_t n)
{
	r->bytes += n;
	if (r->bytes > r->max_bytes)
		return dp_error_set(r->err, DP_ELIMIT, s->shown, s->line, 0,
		                    "more than %llu bytes of zone files in one load", r->max_bytes);
	if (!s->reread)
		return DP_OK;
	r->reread_bytes += n;
	if (r->reread_bytes > r->max_reread)
		return dp_error_set(r->err, DP_ELIMIT, s->shown, s->line, 0,
		                    "more than %llu bytes of files read again under another origin "
		                    "or owner in one load",
		                    r->max_reread);
	return DP_OK;
}

/* Move the unconsumed tail to the front and read more; grow for long entries. */
enum dp_status zone_refill(struct reader *r, struct source *s)
{
	ssize_t n;

	if (s->fd < 0) {
		s->eof = true;
		return DP_OK;
	}
	if (zone_map(s))
		return count_read(r, s, s->end);
	if (s->pos > 0) {
		memmove(s->buf, s->buf + s->pos, s->end - s->pos);
		s->end -= s->pos;
		s->line_start = s->line_start >= s->pos ? s->line_start - s->pos : 0;
		s->pos = 0;
	}
	if (s->end == s->cap) {
		char *nb;
		if (s->cap >= BUF_MAX)
			return zone_syntax(
			    r, s, s->line, 0,
			    "entry longer than %u bytes (a '(' or '\"' never closed?)", BUF_MAX);
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
		return dp_error_set(r->err, DP_EIO, s->shown, 0, 0, "read: %s", strerror(errno));
	if (n == 0)
		s->eof = true;
	s->end += (size_t)n;
	return count_read(r, s, (size_t)n);
}
