/* SPDX-License-Identifier: BSD-3-Clause */
/* The live DNS engine over TCP: a truncated answer asked again on a connection of its own. */
#include "dns/resolve_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

/*
 * The try failed: the next look at the deadlines, at once, retries it or
 * gives up, rather than waiting for the try's timeout.
 */
static void fail_soon(struct dp_resolver *r, struct slot *s, const char *why)
{
	s->deadline = 0;
	if (why != NULL)
		s->why = why;
	r->next_deadline = 1; /* before any now: expire() runs next */
}

/* ---- TCP ------------------------------------------------------------------------ */

enum dp_status dp_res_start_tcp(struct dp_resolver *r, struct slot *s, int64_t now)
{
	const struct dp_server *srv = &r->servers[s->server].s;
	struct epoll_event ev = {.events = EPOLLOUT,
	                         .data.u64 = TCP_TAG | (uint64_t)(s - r->slots)};
	uint8_t *w = NULL;
	size_t len;
	enum dp_status st;

	s->tcp = TCP_CONNECTING;
	s->id = dp_res_random_id(r);
	st = dp_res_wire_for(r, s, &w, &len);
	if (st != DP_OK)
		return st;
	s->tbuf = malloc(len + 2);
	s->tfd = socket(srv->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->tbuf == NULL || s->tfd < 0) {
		free(w);
		return s->tbuf == NULL ? DP_ENOMEM : DP_ELOOKUP;
	}
	s->tbuf[0] = (uint8_t)(len >> 8);
	s->tbuf[1] = (uint8_t)len;
	memcpy(s->tbuf + 2, w, len);
	free(w);
	s->tlen = len + 2;
	s->toff = 0;
	if ((connect(s->tfd, (const struct sockaddr *)&srv->addr, srv->len) != 0 &&
	     errno != EINPROGRESS) ||
	    epoll_ctl(r->ep, EPOLL_CTL_ADD, s->tfd, &ev) != 0)
		fail_soon(r, s, NULL); /* refused at once */
	else
		dp_res_set_deadline(r, s, now);
	r->st.sent++;
	return DP_OK;
}

/* Write the length-prefixed query, then wait for the answer. */
static void tcp_write(struct dp_resolver *r, struct slot *s)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = TCP_TAG | (uint64_t)(s - r->slots)};
	ssize_t n = write(s->tfd, s->tbuf + s->toff, s->tlen - s->toff);

	if (n < 0) {
		if (errno != EAGAIN)
			fail_soon(r, s, "the TCP connection failed");
		return;
	}
	s->toff += (size_t)n;
	if (s->toff < s->tlen)
		return;
	free(s->tbuf);
	s->tbuf = malloc(65535 + 2);
	s->toff = 0;
	s->tcp = TCP_READING;
	if (s->tbuf == NULL || epoll_ctl(r->ep, EPOLL_CTL_MOD, s->tfd, &ev) != 0)
		fail_soon(r, s, "the TCP connection failed");
}

static enum dp_status tcp_read(struct dp_resolver *r, struct slot *s, int64_t now)
{
	size_t want = s->toff < 2 ? 2 : 2 + (size_t)(s->tbuf[0] << 8 | s->tbuf[1]);
	ssize_t n = read(s->tfd, s->tbuf + s->toff, want - s->toff);

	if (n <= 0) {
		if (n == 0 || errno != EAGAIN)
			fail_soon(r, s, "the TCP connection closed early");
		return DP_OK;
	}
	s->toff += (size_t)n;
	if (s->toff == 2 && want == 2)
		return tcp_read(r, s, now); /* the length is in: read the message */
	if (s->toff < want || want == 2)
		return DP_OK;
	enum dp_status st = dp_res_judge(r, s, s->tbuf + 2, want - 2, now);
	if (st == DP_OK && s->e != NULL && s->tcp == TCP_READING)
		fail_soon(r, s, NULL); /* a response over TCP we could not believe */
	return st;
}

enum dp_status dp_res_tcp_event(struct dp_resolver *r, struct slot *s, uint32_t events, int64_t now)
{
	int err = 0;
	socklen_t elen = sizeof(err);

	if (s->e == NULL || s->tcp == TCP_NONE)
		return DP_OK; /* a stale event for a slot already done */
	if (s->tcp == TCP_CONNECTING) {
		if ((events & (EPOLLERR | EPOLLHUP)) ||
		    getsockopt(s->tfd, SOL_SOCKET, SO_ERROR, &err, &elen) != 0 || err != 0) {
			fail_soon(r, s, "the TCP connection failed");
			return DP_OK;
		}
		tcp_write(r, s);
		return DP_OK;
	}
	return tcp_read(r, s, now);
}
