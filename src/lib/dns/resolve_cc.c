/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The live DNS engine's congestion control, per server. Each server gets a
 * window of queries in flight and, once it has shown that it limits us, a
 * pacing rate. Both grow additively on clean answers and are cut
 * multiplicatively on loss, truncation slips and bursts of REFUSED or
 * SERVFAIL (AIMD, as TCP does), within --concurrency and --qps. A server
 * that slips truncated answers (response rate limiting), or that keeps
 * losing queries over UDP, is asked over TCP for the rest of the run.
 */
#include "dns/resolve_int.h"

#include <string.h>

#define EPOCH_US    100000 /* the rates are measured over 100 ms */
#define BETA        0.7    /* what a cut keeps */
#define STEP        0.15   /* the increase per second, as a share of the rate after a cut */
#define MIN_STEP    20.0
#define MIN_RATE    10.0
#define MIN_CWND    4.0
#define RTO_MIN_US  100000 /* a query is taken as lost after this long at least... */
#define RTO_MIN_REC 400000 /* ...or this, from a resolver that may be resolving it */
#define TC_TO_TCP   2      /* truncation slips before a server moves to TCP */
#define LOSS_TO_TCP 6      /* cuts for loss over UDP before it moves to TCP */
#define BAD_BURST   10     /* REFUSED or SERVFAIL in 100 ms, most of the answers: a cut */

/* Start fast: the whole window, not paced but by --qps (which the loop applies). */
static void restart(struct dp_resolver *r, struct cc *c, int64_t now)
{
	c->cwnd = r->o.concurrency;
	c->rate = 0;
	c->rate_cut = 0;
	c->next_send = now;
	c->last_cut = now;
}

void dp_cc_init(struct dp_resolver *r, struct srv *v, int64_t now)
{
	memset(&v->cc, 0, sizeof(v->cc));
	restart(r, &v->cc, now);
	v->cc.last_cut = 0;
	v->cc.epoch = now;
}

/* The rate queries went out at lately; something sensible before the first epoch ends. */
static double send_rate(const struct cc *c, int64_t now)
{
	if (c->send_rate > 0)
		return c->send_rate;
	if (now > c->epoch && c->ep_sent > 0)
		return c->ep_sent * 1e6 / (double)(now - c->epoch);
	return 1000;
}

/*
 * Multiplicative decrease. The new rate is never above what the server
 * answered over the last 100 ms: against a limit that drops, that is the
 * limit, found in one step instead of many.
 */
static void cut(struct dp_resolver *r, struct cc *c, int64_t now)
{
	double base = c->rate > 0 ? c->rate : send_rate(c, now);
	double rate = BETA * base;

	if (c->ans_rate > 0 && rate > c->ans_rate)
		rate = c->ans_rate;
	if (rate < MIN_RATE)
		rate = MIN_RATE;
	if (r->o.qps > 0 && rate > r->o.qps)
		rate = r->o.qps;
	c->rate = c->rate_cut = rate;
	c->cwnd = c->cwnd * 0.5 < MIN_CWND ? MIN_CWND : c->cwnd * 0.5;
	c->last_cut = now;
	c->cuts++;
}

/* Every 100 ms: the rates, and whether the server refused or failed most of it. */
static void roll(struct dp_resolver *r, struct cc *c, int64_t now)
{
	double secs = (double)(now - c->epoch) / 1e6;
	bool burst;

	if (now - c->epoch < EPOCH_US)
		return;
	c->send_rate = c->ep_sent / secs;
	c->ans_rate = c->ep_ans / secs;
	burst = c->ep_bad >= BAD_BURST && 2 * c->ep_bad > c->ep_ans;
	c->ep_sent = c->ep_ans = c->ep_bad = 0;
	c->epoch = now;
	if (burst)
		cut(r, c, now);
}

bool dp_cc_may_send(struct dp_resolver *r, struct srv *v, int64_t now)
{
	struct cc *c = &v->cc;

	if (c->inflight >= (unsigned)c->cwnd)
		return false;
	/* on TCP, no more than the server's connections take: the rest would only wait */
	if (c->tcp && v->conn_limit > 0 && c->inflight >= CONNS_PER_SERVER * v->conn_limit)
		return false;
	if (c->rate <= 0 || now >= c->next_send)
		return true;
	if (r->pace_wake == 0 || c->next_send < r->pace_wake)
		r->pace_wake = c->next_send;
	return false;
}

void dp_cc_sent(struct dp_resolver *r, struct srv *v, bool tcp, int64_t now)
{
	struct cc *c = &v->cc;

	c->sent++;
	c->tcp_sent += tcp;
	c->ep_sent++;
	if (c->rate > 0) {
		int64_t gap = (int64_t)(1e6 / c->rate);
		c->next_send = (c->next_send > now - gap ? c->next_send : now - gap) + gap;
	}
	roll(r, c, now);
}

/* Round-trip time, from answers to queries sent once only (Karn). */
static void sample(struct cc *c, const struct slot *s, int64_t now)
{
	int64_t rtt = now - s->sent_at, d;

	if (s->resends > 0 || s->attempt > 0 || s->free_tries > 0 || rtt <= 0)
		return;
	if (c->srtt == 0) {
		c->srtt = rtt;
		c->rttvar = rtt / 2;
		return;
	}
	d = c->srtt > rtt ? c->srtt - rtt : rtt - c->srtt;
	c->rttvar = (3 * c->rttvar + d) / 4;
	c->srtt = (7 * c->srtt + rtt) / 8;
}

void dp_cc_answer(struct dp_resolver *r, struct srv *v, const struct slot *s, enum dp_dns_kind kind,
                  int64_t now)
{
	struct cc *c = &v->cc;

	c->answered++;
	c->ep_ans++;
	sample(c, s, now);
	if (kind == DP_DNS_REFUSED || kind == DP_DNS_SERVFAIL) {
		c->ep_bad++;
	} else { /* additive increase: the window by one a round trip, the rate by a step a second
		  */
		if (c->cwnd < r->o.concurrency)
			c->cwnd += 1.0 / c->cwnd;
		if (c->rate > 0) {
			double step = STEP * c->rate_cut < MIN_STEP ? MIN_STEP : STEP * c->rate_cut;
			c->rate += step / c->rate;
			if (r->o.qps > 0 && c->rate > r->o.qps)
				c->rate = r->o.qps;
		}
	}
	roll(r, c, now);
}

/* From now on the server is asked over TCP, starting fast again: UDP's limits are gone. */
static void to_tcp(struct dp_resolver *r, struct cc *c, int64_t now)
{
	c->tcp = true;
	restart(r, c, now);
}

void dp_cc_loss(struct dp_resolver *r, struct srv *v, const struct slot *s, int64_t now)
{
	struct cc *c = &v->cc;

	c->losses++;
	if (s->sent_at < c->last_cut)
		return; /* sent before the last cut: that cut was for it */
	if (!c->tcp && c->answered > 0 && ++c->loss_cuts >= LOSS_TO_TCP)
		to_tcp(r, c, now);
	else
		cut(r, c, now);
}

void dp_cc_truncated(struct dp_resolver *r, struct srv *v, const struct slot *s, int64_t now)
{
	struct cc *c = &v->cc;

	if (c->tcp)
		return; /* a lookup's own truncated answer from before the move */
	if (++c->tc_seen >= TC_TO_TCP)
		to_tcp(r, c, now);
	else if (s->sent_at >= c->last_cut)
		cut(r, c, now);
}

int64_t dp_cc_rto(const struct dp_resolver *r, const struct srv *v, unsigned resends)
{
	int64_t floor = r->o.recursive ? RTO_MIN_REC : RTO_MIN_US;
	int64_t rto = v->cc.srtt + 4 * v->cc.rttvar;

	if (v->cc.srtt == 0)
		return INT64_MAX / 2; /* never answered: only the try's timeout counts */
	if (rto < floor)
		rto = floor;
	return rto << (resends < 6 ? resends : 6);
}

size_t dp_resolver_server_count(const struct dp_resolver *r)
{
	return r->o.n_servers;
}

void dp_resolver_server_stats(const struct dp_resolver *r, size_t i,
                              struct dp_resolver_server_stats *out)
{
	const struct cc *c = &r->servers[i].cc;

	*out = (struct dp_resolver_server_stats){
	    .label = r->servers[i].s.label,
	    .sent = c->sent,
	    .tcp = c->tcp_sent,
	    .drops = c->losses,
	    .slips = c->tc_seen,
	    .cuts = c->cuts,
	    .rate = c->rate,
	    .secs = (double)(now_us() - r->start) / 1e6,
	    .moved_tcp = c->tcp,
	    .conn_limit = r->servers[i].conn_limit,
	};
}
