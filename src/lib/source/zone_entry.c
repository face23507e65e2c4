/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Entries: the owner, TTL, class and type of each, the early decision to
 * skip an uninteresting one, and the hand-over of kept records.
 */
#include "source/zone_reader.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "source/zone_owners.h"
#include "source/zone_rdata.h"
#include "source/zone_text.h"

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

enum dp_status zone_resolve_owner(struct reader *r, struct source *s)
{
	enum dp_status st;

	if (!s->owner_pending)
		return DP_OK;
	st = zone_resolve_name(r, s, &s->owner_tok, s->origin, s->has_origin, s->owner);
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
	if (o->cname_filter == NULL || zone_resolve_owner(r, s) != DP_OK)
		return o->cname_filter != NULL; /* let process_entry report the error */
	return o->cname_filter(s->owner, r->ctx);
}

/* An entry's head: [TTL] [class] in either order, then the type. */
struct head {
	size_t type_at; /* index of the type token */
	uint32_t ttl;
	bool big_ttl; /* above 2^31-1, read as 0 */
	bool in_class;
	uint16_t type;
	const struct tok *bad; /* the token that does not parse */
	const char *why;
};

static bool is_directive(const struct entry *e)
{
	return !e->blank_owner && e->t[0].len > 0 && e->t[0].p[0] == '$' && !e->t[0].quoted;
}

static bool starts_digit(const struct tok *t)
{
	return t->len > 0 && t->p[0] >= '0' && t->p[0] <= '9';
}

/*
 * Step over [TTL] [class], in either order, from token i: the index of the
 * token after them, or SIZE_MAX when a TTL does not parse (h->bad, h->why).
 */
static size_t skip_ttl_class(const struct entry *e, size_t i, struct head *h)
{
	bool seen_ttl = false, seen_class = false;

	/* "IN TYPE", most entries' head after the owner: what the loop finds too */
	if (i + 1 < e->n && e->t[i].len == 2 && zone_classify_class(&e->t[i]) == 1 &&
	    !starts_digit(&e->t[i + 1]))
		return i + 1;
	for (; i < e->n && !(seen_ttl && seen_class); i++) {
		const struct tok *t = &e->t[i];
		int cls;
		if (!seen_ttl && starts_digit(t)) {
			if (!zone_parse_ttl(t, &h->ttl, &h->big_ttl)) {
				h->bad = t;
				h->why = "bad TTL";
				return SIZE_MAX;
			}
			seen_ttl = true;
		} else {
			cls = seen_class ? 0 : zone_classify_class(t);
			if (cls == 0)
				break;
			h->in_class = cls == 1;
			seen_class = true;
		}
	}
	return i;
}

/*
 * Parse the head from token i: -1 when the type token is not lexed (yet),
 * 0 when a token does not parse (h->bad, h->why), 1 when parsed. The one
 * reading of the head, for the early decision and for kept entries alike.
 */
static int parse_head(const struct entry *e, size_t i, uint32_t default_ttl, struct head *h)
{
	h->ttl = default_ttl;
	h->big_ttl = false;
	h->in_class = true;
	i = skip_ttl_class(e, i, h);
	if (i == SIZE_MAX)
		return 0;
	if (i >= e->n)
		return -1;
	h->type_at = i;
	h->type = zone_classify_type(&e->t[i]);
	if (h->type == 0) {
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
int zone_head_decision(struct reader *r, struct source *s)
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
	r->e.type = h.type;
	r->e.in_class = h.in_class;
	r->e.big_ttl = h.big_ttl;
	return h.in_class && wanted(r, s, h.type) ? 1 : 0;
}

/* ---- CNAME and other data ------------------------------------------------ */

/* Types that may sit beside a CNAME (BIND's "at CNAME" types: DNSSEC). */
static bool at_cname_ok(uint16_t type)
{
	return type == 24 || type == 25 || type == 30 || type == 46 || type == 47;
}

static enum dp_status conflict(struct reader *r, struct source *s, bool cname, bool first_cname,
                               unsigned long first_line)
{
	enum dp_status st = zone_resolve_owner(r, s);
	char where[48] = "";

	if (st != DP_OK)
		return st;
	if (first_line > 0)
		snprintf(where, sizeof(where), " (the first on line %lu)", first_line);
	return zone_syntax(r, s, r->e.t[0].line, 0,
	                   "%s at '%s'%s: a CNAME owner holds no other data (RFC 1034 3.6.2; "
	                   "BIND, NSD and Knot refuse the zone)",
	                   cname && first_cname ? "a second CNAME"
	                   : cname              ? "a CNAME beside other data"
	                                        : "data beside a CNAME",
	                   s->owner[0] ? s->owner : ".", where);
}

/* Same owner as the entry before, as written? Else start afresh at this owner. */
static void track_owner(struct source *s, const struct tok *t)
{
	if (t->len == s->same_len && t->quoted == s->same_quoted && t->len < ZNAME_MAX &&
	    memcmp(t->p, s->same_raw, t->len) == 0)
		return;
	s->at_cname = s->at_other = false;
	s->same_len = t->len < ZNAME_MAX ? t->len : 0;
	s->same_quoted = t->quoted;
	memcpy(s->same_raw, t->p, s->same_len);
}

/*
 * Every entry passes here: a CNAME and other data at one owner written
 * together (the usual layout) is found without resolving a name.
 */
static enum dp_status track(struct reader *r, struct source *s, uint16_t type, bool in_class)
{
	bool cname = type == DP_RR_CNAME;

	if (!r->e.blank_owner)
		track_owner(s, &r->e.t[0]);
	if (!in_class || (!cname && at_cname_ok(type)))
		return DP_OK;
	if (s->at_cname || (cname && s->at_other))
		return conflict(r, s, cname, s->at_cname, s->at_cname ? s->cname_line : 0);
	if (cname) {
		s->at_cname = true;
		s->cname_line = r->e.t[0].line;
	} else {
		s->at_other = true;
	}
	return DP_OK;
}

/* The same over the whole load for the owners of kept records, wherever they are. */
static enum dp_status track_kept(struct reader *r, struct source *s, uint16_t type)
{
	bool cname = type == DP_RR_CNAME;
	enum dp_status st;
	char had;

	/* TXT at every owner (pass two of observe) would make the set grow with the zone */
	if (type == DP_RR_TXT && r->opts->all_txt && !s->owner_persist)
		return DP_OK;
	/* a filtered load keeps few of these records: the caller checks the owners it
	 * keeps (observe.c), and a set of every owner would cost a scan of a few names
	 * more than the rest of its reading */
	if (r->opts->cname_filter != NULL)
		return DP_OK;
	if (r->owners == NULL) {
		r->owners = zone_owners_new();
		if (r->owners == NULL)
			return DP_ENOMEM;
	}
	st = zone_owners_note(r->owners, s->owner, cname, &had);
	if (st != DP_OK)
		return st;
	if (had == 'C' || (had == 'O' && cname))
		return conflict(r, s, cname, had == 'C', 0);
	return DP_OK;
}

enum dp_status zone_skipped_entry(struct reader *r, struct source *s)
{
	r->stats.entries++;
	r->stats.big_ttls += r->e.big_ttl;
	return track(r, s, r->e.type, r->e.in_class);
}

static enum dp_status emit(struct reader *r, struct source *s, uint16_t type, uint32_t ttl,
                           size_t i)
{
	struct dp_zrr rr = {0};
	char target[ZNAME_MAX];
	enum dp_status st;

	if (r->e.overflow)
		return zone_syntax(r, s, r->e.t[0].line, 0, "record has more than %d fields",
		                   MAX_TOKENS);
	rr.owner = s->owner;
	rr.type = type;
	rr.ttl = ttl;
	rr.file = s->path;
	rr.line = r->e.t[0].line;
	dp_buf_reset(&r->rdata);
	if (type == DP_RR_TXT)
		st = zone_parse_txt(r, s, i, &rr);
	else if (type == DP_RR_CAA)
		st = zone_parse_caa(r, s, i, &rr);
	else {
		st = zone_parse_cname(r, s, i, target);
		rr.target = target;
	}
	if (st == DP_OK)
		st = track_kept(r, s, type);
	if (st != DP_OK)
		return st;
	r->stats.kept++;
	return r->cb(&rr, r->ctx, r->err);
}

enum dp_status zone_process_entry(struct reader *r, struct source *s)
{
	const struct entry *e = &r->e;
	struct head h;
	enum dp_status st;
	int got;

	if (e->skip)
		return zone_skipped_entry(r, s);
	if (is_directive(e))
		return zone_directive(r, s);
	if (!e->blank_owner) {
		st = zone_resolve_name(r, s, &e->t[0], s->origin, s->has_origin, s->owner);
		if (st != DP_OK)
			return st;
		s->has_owner = true;
		s->owner_pending = false;
		s->owner_persist = is_persist_owner(s->owner);
	} else if (!s->has_owner) {
		return zone_syntax(
		    r, s, e->t[0].line, e->t[0].col,
		    "record without an owner name (the line starts with white space)");
	} else {
		st = zone_resolve_owner(r, s);
		if (st != DP_OK)
			return st;
	}
	got = parse_head(e, e->blank_owner ? 0 : 1, s->ttl, &h);
	if (got < 0)
		return zone_syntax(r, s, e->t[0].line, 0, "record without a type");
	if (got == 0)
		return zone_tok_error(r, s, h.bad, h.why);
	r->stats.entries++;
	r->stats.big_ttls += h.big_ttl;
	st = track(r, s, h.type, h.in_class);
	if (st != DP_OK)
		return st;
	if (h.in_class && wanted(r, s, h.type))
		return emit(r, s, h.type, h.ttl, h.type_at + 1);
	return DP_OK;
}
