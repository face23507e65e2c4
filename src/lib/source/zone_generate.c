/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * BIND's $GENERATE range lhs [ttl] [class] type rhs: for each value of the
 * range, "$" in lhs and rhs becomes the value ("${offset,width,base}" with
 * base d, o, x, X, or n/N for nibble labels; "$$" is a "$", a backslash
 * keeps the next character as written) and the line is read as a record.
 * Only the types the reader may keep are expanded; the others are counted.
 */
#include "source/zone_generate.h"

#include <stdio.h>
#include <string.h>

#include "base/num.h"
#include "source/zone_text.h"

#define EXPANSION_MAX 4096 /* bytes of one expanded lhs or rhs */
#define WIDTH_MAX     64

/* "${offset[,width[,base]]}" after the "$" at *i; moves *i past the "}". */
struct gen_format {
	int64_t offset;
	unsigned width;
	char base; /* d, o, x, X, n, N */
};

static bool parse_format(const char *p, size_t len, size_t *i, struct gen_format *f)
{
	const char *end = memchr(p + *i, '}', len - *i);
	const char *comma1, *comma2;
	int64_t v;

	*f = (struct gen_format){0, 0, 'd'};
	if (*i >= len || p[*i] != '{')
		return true;
	if (end == NULL)
		return false;
	comma1 = memchr(p + *i + 1, ',', (size_t)(end - (p + *i + 1)));
	comma2 = comma1 ? memchr(comma1 + 1, ',', (size_t)(end - (comma1 + 1))) : NULL;
	const char *oend = comma1 ? comma1 : end;
	if (dp_parse_int(p + *i + 1, (size_t)(oend - (p + *i + 1)), true, INT32_MIN, INT32_MAX,
	                 &f->offset) != DP_OK)
		return false;
	if (comma1 != NULL) {
		const char *wend = comma2 ? comma2 : end;
		if (dp_parse_int(comma1 + 1, (size_t)(wend - comma1 - 1), false, 0, WIDTH_MAX,
		                 &v) != DP_OK)
			return false;
		f->width = (unsigned)v;
	}
	if (comma2 != NULL) {
		if (end - comma2 != 2 || strchr("doxXnN", comma2[1]) == NULL)
			return false;
		f->base = comma2[1];
	}
	*i = (size_t)(end - p) + 1;
	return true;
}

/* Nibble labels, least significant first, as BIND writes them ("${0,3,n}": "a.b.c"). */
static void add_nibbles(struct dp_buf *out, uint64_t value, unsigned width, char mode)
{
	static const char lower[] = "0123456789abcdef", upper[] = "0123456789ABCDEF";

	do {
		dp_buf_addc(out, (mode == 'n' ? lower : upper)[value & 0x0f]);
		value >>= 4;
		if (width > 0)
			width--;
		if (width > 0 || value != 0) {
			dp_buf_addc(out, '.');
			if (width > 0)
				width--;
		}
	} while (value != 0 || width > 0);
}

static void add_number(struct dp_buf *out, int64_t value, const struct gen_format *f)
{
	if (f->base == 'n' || f->base == 'N')
		add_nibbles(out, (uint64_t)value & 0xffffffffu, f->width, f->base);
	else if (f->base == 'o')
		dp_buf_addf(out, "%0*o", (int)f->width, (unsigned)(uint32_t)value);
	else if (f->base == 'x')
		dp_buf_addf(out, "%0*x", (int)f->width, (unsigned)(uint32_t)value);
	else if (f->base == 'X')
		dp_buf_addf(out, "%0*X", (int)f->width, (unsigned)(uint32_t)value);
	else
		dp_buf_addf(out, "%0*lld", (int)f->width, (long long)value);
}

/* Expand one template for value it; false on a bad "${...}" or an overlong result. */
static bool expand(struct dp_buf *out, const char *p, size_t len, int64_t it)
{
	size_t start = out->len;

	for (size_t i = 0; i < len;) {
		struct gen_format f;
		if (p[i] == '\\') {
			dp_buf_add(out, p + i, i + 1 < len ? 2 : 1);
			i += 2;
		} else if (p[i] != '$') {
			dp_buf_addc(out, p[i++]);
		} else if (i + 1 < len && p[i + 1] == '$') {
			dp_buf_addc(out, '$');
			i += 2;
		} else {
			i++;
			if (!parse_format(p, len, &i, &f))
				return false;
			add_number(out, it + f.offset, &f);
		}
		if (out->len - start > EXPANSION_MAX)
			return false;
	}
	return true;
}

/* "start-stop[/step]" */
static bool parse_range(const struct tok *t, int64_t *start, int64_t *stop, int64_t *step)
{
	const char *dash = memchr(t->p, '-', t->len);
	const char *slash = memchr(t->p, '/', t->len);
	const char *end = t->p + t->len;

	*step = 1;
	if (t->quoted || dash == NULL || (slash != NULL && slash < dash))
		return false;
	if (dp_parse_int(t->p, (size_t)(dash - t->p), false, 0, INT32_MAX, start) != DP_OK ||
	    dp_parse_int(dash + 1, (size_t)((slash ? slash : end) - dash - 1), false, 0, INT32_MAX,
	                 stop) != DP_OK ||
	    *stop < *start)
		return false;
	return slash == NULL || dp_parse_int(slash + 1, (size_t)(end - slash - 1), false, 1,
	                                     INT32_MAX, step) == DP_OK;
}

/* The directive, copied out of r->e, which each generated line reuses. */
struct gen {
	int64_t start, stop, step;
	unsigned long count;
	uint16_t type;
	struct dp_buf lhs, middle, rhs; /* middle: [ttl] [class] type, as written */
	unsigned long line;
};

static enum dp_status parse_gen(struct reader *r, const struct source *s, struct gen *g)
{
	const struct entry *e = &r->e;
	size_t i = 3;

	g->line = e->t[0].line;
	if (e->n < 5 || !parse_range(&e->t[1], &g->start, &g->stop, &g->step))
		return zone_tok_error(
		    r, s, &e->t[0],
		    "usage: $GENERATE start-stop[/step] lhs [ttl] [class] type rhs, at");
	while (i + 2 < e->n && i < 5 &&
	       (zone_classify_class(&e->t[i]) != 0 ||
	        (e->t[i].len > 0 && e->t[i].p[0] >= '0' && e->t[i].p[0] <= '9')))
		i++;
	if (i + 2 < e->n)
		return zone_tok_error(
		    r, s, &e->t[i + 2],
		    "$GENERATE takes one rhs (quote it when it has spaces, as for "
		    "BIND); extra");
	if (i + 2 != e->n)
		return zone_tok_error(
		    r, s, &e->t[0],
		    "usage: $GENERATE start-stop[/step] lhs [ttl] [class] type rhs, at");
	g->type = zone_classify_type(&e->t[i]);
	if (g->type == 0)
		return zone_tok_error(r, s, &e->t[i], "unknown record type");
	g->count = (unsigned long)((g->stop - g->start) / g->step + 1);
	if (g->count > DP_ZONE_MAX_GENERATE)
		return dp_error_set(r->err, DP_ELIMIT, s->shown, g->line, e->t[1].col,
		                    "$GENERATE of %lu records (at most %lu)", g->count,
		                    DP_ZONE_MAX_GENERATE);
	dp_buf_add(&g->lhs, e->t[2].p, e->t[2].len);
	for (size_t k = 3; k <= i; k++) {
		dp_buf_add(&g->middle, " ", 1);
		dp_buf_add(&g->middle, e->t[k].p, e->t[k].len);
	}
	dp_buf_add(&g->rhs, e->t[i + 1].p, e->t[i + 1].len);
	if (dp_buf_status(&g->lhs) != DP_OK || dp_buf_status(&g->middle) != DP_OK ||
	    dp_buf_status(&g->rhs) != DP_OK)
		return DP_ENOMEM;
	return DP_OK;
}

/* Read one generated line as a record of s, at the $GENERATE's line. */
static enum dp_status read_line(struct reader *r, struct source *s, const struct gen *g,
                                const struct dp_buf *line)
{
	struct source child = {.path = s->path,
	                       .fd = -1,
	                       .buf = line->data,
	                       .cap = line->len,
	                       .end = line->len,
	                       .eof = true,
	                       .bom_checked = true,
	                       .generated = true,
	                       .line = g->line,
	                       .parent = s,
	                       .depth = s->depth};

	memcpy(child.shown, s->shown, sizeof(child.shown));
	memcpy(child.origin, s->origin, sizeof(child.origin));
	child.has_origin = s->has_origin;
	child.ttl = s->ttl;
	child.has_ttl = s->has_ttl;
	return zone_read_source(r, &child);
}

static enum dp_status run_gen(struct reader *r, struct source *s, const struct gen *g)
{
	struct dp_buf line = {0};
	enum dp_status st = DP_OK;

	for (int64_t it = g->start; it <= g->stop && st == DP_OK; it += g->step) {
		bool ok;
		dp_buf_reset(&line);
		ok = expand(&line, g->lhs.data, g->lhs.len, it);
		dp_buf_add(&line, g->middle.data, g->middle.len);
		dp_buf_addc(&line, ' ');
		if (!ok || !expand(&line, g->rhs.data, g->rhs.len, it)) {
			st = zone_syntax(r, s, g->line, 0,
			                 "$GENERATE: bad ${offset,width,base} or a line too long");
			break;
		}
		dp_buf_addc(&line, '\n');
		st = dp_buf_status(&line);
		if (st == DP_OK)
			st = read_line(r, s, g, &line);
	}
	dp_buf_free(&line);
	return st;
}

enum dp_status zone_generate(struct reader *r, struct source *s)
{
	struct gen g = {0};
	enum dp_status st = parse_gen(r, s, &g);

	if (st == DP_OK && g.type != DP_RR_TXT && g.type != DP_RR_CAA && g.type != DP_RR_CNAME) {
		/* never kept: count them, do not make them */
		r->stats.entries += g.count;
		if (r->stats.entries > r->max_records)
			st = dp_error_set(r->err, DP_ELIMIT, s->shown, g.line, 0,
			                  "more than %lu records in one load", r->max_records);
	} else if (st == DP_OK) {
		r->generated += g.count;
		if (r->generated > r->max_generated)
			st = dp_error_set(
			    r->err, DP_ELIMIT, s->shown, g.line, 0,
			    "$GENERATE: more than %lu TXT, CAA and CNAME records made in one load",
			    r->max_generated);
		else
			st = run_gen(r, s, &g);
	}
	dp_buf_free(&g.lhs);
	dp_buf_free(&g.middle);
	dp_buf_free(&g.rhs);
	return st;
}
