/* SPDX-License-Identifier: BSD-3-Clause */
/* The live DNS engine reads: UDP responses, judged and believed or counted as not. */
#include "dns/resolve_int.h"

#include <errno.h>
#include <sys/socket.h>

/* ---- answers ------------------------------------------------------------------ */

static void dnssec_status(const struct dp_resolver *r, const struct slot *s,
                          struct dp_dns_answer *a)
{
	if (s->cd)
		a->dnssec = DP_DNSSEC_BOGUS; /* it failed validation, and answers without it */
	else if (!r->o.recursive || !a->ra)
		a->dnssec = DP_DNSSEC_UNCHECKED;
	else
		a->dnssec = a->ad ? DP_DNSSEC_SECURE : DP_DNSSEC_INSECURE;
}

/* A believed response for slot s. */
static enum dp_status take(struct dp_resolver *r, struct slot *s, struct dp_dns_answer *a,
                           int64_t now)
{
	struct entry *e = s->e;
	struct srv *v = &r->servers[s->server];

	r->st.answered++;
	/*
	 * TC over UDP is no answer yet: a server that truncates everything and
	 * fails over TCP must go down like a silent one, so it is heard only
	 * when it answers over TCP. Truncation is also how a rate limit slips
	 * answers: the server's pace is cut, or it moves to TCP.
	 */
	if (a->tc && s->sock < CONN_BASE) {
		dp_cc_truncated(r, v, s, now);
		s->tcp = true;
		dp_res_set_deadline(r, s, now);
		return dp_res_send(r, s, now);
	}
	v->last_heard = now;
	dp_cc_answer(r, v, s, a->kind, now);
	dp_res_conn_keepalive(r, s, a->keepalive);
	if (a->kind == DP_DNS_SERVFAIL && r->o.recursive && !s->cd) {
		s->cd = true; /* does it answer without validation? then it is bogus */
		s->attempt = 0;
		return dp_res_retry(r, s, now);
	}
	if (a->tc) {
		a->kind = DP_DNS_ERROR;
		a->detail = "truncated over TCP";
	}
	if (s->cd && a->kind == DP_DNS_SERVFAIL)
		s->cd = false; /* SERVFAIL either way: a plain failure */
	dnssec_status(r, s, a);
	a->server = r->servers[s->server].s.label;
	dp_res_release(r, s);
	dp_res_finish(r, e, a);
	return DP_OK;
}

/* Judge a response for slot s; not believed ones are counted and ignored. */
enum dp_status dp_res_judge(struct dp_resolver *r, struct slot *s, const uint8_t *p, size_t len,
                            int64_t now)
{
	struct dp_arena *arena = arena_of(r, s->e);
	struct dp_dns_answer *a = dp_arena_alloc(arena, sizeof(*a));
	enum dp_status st;

	if (a == NULL)
		return DP_ENOMEM;
	st = dp_dns_parse(arena, p, len, s->id, s->e->qname, s->e->qtype, a);
	if (st == DP_ENOMEM)
		return st;
	if (st != DP_OK) {
		r->st.dropped++;
		s->why = st == DP_EINVAL ? "responses to another question"
		         : a->detail     ? a->detail /* a static string: outlives the arena */
		                         : "malformed responses";
		if (s->sock >= CONN_BASE) /* that ID will not be answered again there: ask anew */
			dp_res_lost_soon(r, s, now, NULL);
		return DP_OK;
	}
	return take(r, s, a, now);
}

enum dp_status dp_res_read_udp(struct dp_resolver *r, int sock, int64_t now)
{
	for (;;) {
		struct sockaddr_storage from;
		socklen_t flen = sizeof(from);
		ssize_t n = recvfrom(dp_res_sock_fd(r, sock), r->buf, sizeof(r->buf), 0,
		                     (struct sockaddr *)&from, &flen);
		int32_t k;
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK || errno == ECONNREFUSED ||
			               errno == EINTR
			           ? DP_OK
			           : DP_ELOOKUP;
		k = n >= 12 ? dp_res_tab_find(r, sock, (uint16_t)(r->buf[0] << 8 | r->buf[1])) : -1;
		if (k < 0 || !dp_server_same_addr(&from, &r->servers[r->slots[k].server].s.addr)) {
			r->st.dropped++; /* late, or from someone we did not ask */
			continue;
		}
		enum dp_status st = dp_res_judge(r, &r->slots[k], r->buf, (size_t)n, now);
		if (st != DP_OK)
			return st;
	}
}
