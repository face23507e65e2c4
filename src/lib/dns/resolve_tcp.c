/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The live DNS engine over TCP, as RFC 7766 asks: a few persistent
 * connections per server, many queries pipelined on each, answers matched
 * by ID in any order; what was in flight on a connection that closes is
 * sent again on another; idle connections close (after the server's RFC
 * 7828 keepalive timeout when it gives one). A server that closes its
 * connections after a number of queries (NSD's tcp-query-count, dnsdist's
 * maxTCPQueriesPerConnection) teaches us that number the first time: from
 * then on no more than that is sent on one connection, so no query waits
 * behind the close and is sent again at the back of another queue, over
 * and over, until its time is up.
 */
#include "dns/resolve_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define IDLE_US      5000000 /* a connection idle this long closes */
#define RECONNECT_US 50000   /* after a connection failed, queries wait this long */
#define BUSY_US      5000    /* every connection full: a query looks again this soon */
#define SPREAD       16      /* queries in flight on a connection before another opens */
#define IN_CAP       (2 + 65535)

static uint64_t tag_of(const struct dp_resolver *r, unsigned c)
{
	return TCP_TAG | (uint64_t)r->conns[c].gen << 40 | c;
}

static void watch(struct dp_resolver *r, unsigned c, bool out)
{
	struct epoll_event ev = {.events = EPOLLIN | (out ? EPOLLOUT : 0u),
	                         .data.u64 = tag_of(r, c)};

	r->conns[c].want_out = out;
	epoll_ctl(r->ep, EPOLL_CTL_MOD, r->conns[c].fd, &ev);
}

/*
 * Close connection c. What was in flight on it is sent again at when (RFC
 * 7766 6.2.4), within each query's try, on another connection.
 */
static void conn_close(struct dp_resolver *r, unsigned c, int64_t when, const char *why)
{
	struct conn *k = &r->conns[c];

	if (k->fd < 0)
		return;
	for (unsigned i = 0; i < r->o.concurrency && k->inflight > 0; i++)
		if (r->slots[i].e != NULL && r->slots[i].sock == (int)(CONN_BASE + c))
			dp_res_lost_soon(r, &r->slots[i], when, why);
	epoll_ctl(r->ep, EPOLL_CTL_DEL, k->fd, NULL);
	close(k->fd);
	free(k->in);
	free(k->out);
	*k = (struct conn){.fd = -1, .server = k->server, .gen = (k->gen + 1) & 0xffffff};
}

static bool conn_open(struct dp_resolver *r, unsigned c, int64_t now)
{
	struct conn *k = &r->conns[c];
	const struct dp_server *srv = &r->servers[k->server].s;
	struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.u64 = tag_of(r, c)};

	k->in = malloc(IN_CAP);
	k->fd = socket(srv->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	k->connecting = k->want_out = true;
	k->idle_us = IDLE_US;
	k->last_io = k->last_read = now;
	if (k->in != NULL && k->fd >= 0 &&
	    (connect(k->fd, (const struct sockaddr *)&srv->addr, srv->len) == 0 ||
	     errno == EINPROGRESS) &&
	    epoll_ctl(r->ep, EPOLL_CTL_ADD, k->fd, &ev) == 0)
		return true;
	if (k->fd >= 0)
		close(k->fd);
	free(k->in);
	*k = (struct conn){.fd = -1, .server = k->server, .gen = (k->gen + 1) & 0xffffff};
	return false;
}

/* Connection c may take one more query: below its server's limit, if any. */
static bool has_room(const struct dp_resolver *r, unsigned c)
{
	unsigned lim = r->servers[r->conns[c].server].conn_limit;

	return r->conns[c].fd >= 0 && (lim == 0 || r->conns[c].sent < lim);
}

/*
 * The server's connection for one more query: the least busy with room, or
 * a new one; -1 when none can be had now (all full, or it cannot connect).
 */
static int pick_conn(struct dp_resolver *r, int server, int64_t now)
{
	int best = -1, closed = -1;

	for (unsigned j = 0; j < CONNS_PER_SERVER; j++) {
		unsigned c = (unsigned)server * CONNS_PER_SERVER + j;
		if (r->conns[c].fd < 0 && closed < 0)
			closed = (int)c;
		else if (has_room(r, c) &&
		         (best < 0 || r->conns[c].inflight < r->conns[best].inflight))
			best = (int)c;
	}
	if (best >= 0 && (r->conns[best].inflight < SPREAD || closed < 0))
		return best;
	if (closed >= 0 && conn_open(r, (unsigned)closed, now))
		return closed;
	return best;
}

/* Write what is queued; the rest when the socket can take it. */
static void flush(struct dp_resolver *r, unsigned c, int64_t now)
{
	struct conn *k = &r->conns[c];

	while (k->out_off < k->out_len) {
		/* MSG_NOSIGNAL: a server that closed the connection must not end the process */
		ssize_t n = send(k->fd, k->out + k->out_off, k->out_len - k->out_off, MSG_NOSIGNAL);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (!k->want_out)
				watch(r, c, true);
			return;
		}
		if (n < 0) {
			conn_close(r, c, now + RECONNECT_US, "the TCP connection failed");
			return;
		}
		k->out_off += (size_t)n;
		k->last_io = now;
	}
	k->out_off = k->out_len = 0;
	if (k->want_out)
		watch(r, c, false);
}

/* Room for n more octets in the connection's queue. */
static bool out_room(struct conn *k, size_t n)
{
	size_t cap = k->out_cap ? k->out_cap : 1024;
	uint8_t *p;

	if (k->out_len + n <= k->out_cap)
		return true;
	while (cap < k->out_len + n)
		cap *= 2;
	p = realloc(k->out, cap);
	if (p == NULL)
		return false;
	k->out = p;
	k->out_cap = cap;
	return true;
}

/* The query, length-prefixed, with an empty EDNS TCP keepalive option (RFC 7828). */
static enum dp_status queue_query(struct dp_resolver *r, struct slot *s, struct conn *k)
{
	uint8_t *w = NULL;
	size_t len;
	enum dp_status st = dp_res_wire_for(r, s, &w, &len);

	if (st != DP_OK)
		return st;
	if (!out_room(k, len + 6)) {
		free(w);
		return DP_ENOMEM;
	}
	w[len - 1] = 4; /* the OPT RR comes last: its RDLENGTH */
	k->out[k->out_len++] = (uint8_t)((len + 4) >> 8);
	k->out[k->out_len++] = (uint8_t)(len + 4);
	memcpy(k->out + k->out_len, w, len);
	memcpy(k->out + k->out_len + len, "\0\x0b\0\0", 4);
	k->out_len += len + 4;
	free(w);
	return DP_OK;
}

static bool any_open(const struct dp_resolver *r, int server)
{
	for (unsigned j = 0; j < CONNS_PER_SERVER; j++)
		if (r->conns[(unsigned)server * CONNS_PER_SERVER + j].fd >= 0)
			return true;
	return false;
}

enum dp_status dp_res_send_tcp(struct dp_resolver *r, struct slot *s, int64_t now)
{
	int c = pick_conn(r, s->server, now);
	struct conn *k;
	enum dp_status st;

	if (c < 0) {
		if (any_open(r, s->server)) { /* all at the server's limit: one frees soon */
			s->parked = true;
			dp_res_lost_soon(r, s, now + BUSY_US,
			                 "every TCP connection to the server was full");
		} else
			dp_res_lost_soon(r, s, now + RECONNECT_US, "the TCP connection failed");
		return DP_OK;
	}
	k = &r->conns[c];
	do
		s->id = dp_res_random_id(r);
	while (dp_res_tab_find(r, CONN_BASE + c, s->id) >= 0);
	st = queue_query(r, s, k);
	if (st != DP_OK)
		return st;
	s->sock = CONN_BASE + c;
	dp_res_tab_put(r, (int32_t)(s - r->slots));
	k->inflight++;
	k->sent++;
	dp_res_sent(r, s, true, now);
	if (!k->connecting)
		flush(r, (unsigned)c, now);
	return DP_OK;
}

/* One message read from connection c: the answer to the query of its ID, if any. */
static enum dp_status message(struct dp_resolver *r, unsigned c, const uint8_t *p, size_t len,
                              int64_t now)
{
	int32_t k =
	    len >= 12 ? dp_res_tab_find(r, (int)(CONN_BASE + c), (uint16_t)(p[0] << 8 | p[1])) : -1;

	if (k < 0) {
		r->st.dropped++; /* an ID not asked on this connection, or no DNS message */
		return DP_OK;
	}
	r->conns[c].answered++;
	return dp_res_judge(r, &r->slots[k], p, len, now);
}

/*
 * The server closed connection c. When it had answered some queries and
 * left others, it keeps a count per connection: the smallest seen is its
 * limit. (A close with nothing answered says nothing about a count.)
 */
static void closed_by_server(struct dp_resolver *r, unsigned c, int64_t now)
{
	struct conn *k = &r->conns[c];
	struct srv *v = &r->servers[k->server];

	if (k->inflight > 0 && k->answered > 0 &&
	    (v->conn_limit == 0 || k->answered < v->conn_limit))
		v->conn_limit = k->answered;
	conn_close(r, c, now, "the TCP connection closed early");
}

/* A connection that has taken all its server will answer on it, all answered: ours to close. */
static void close_if_spent(struct dp_resolver *r, unsigned c, int64_t now)
{
	const struct conn *k = &r->conns[c];

	if (k->fd >= 0 && k->inflight == 0 && k->out_len == 0 && !has_room(r, c))
		conn_close(r, c, now, NULL);
}

/* Each whole message in the buffer, then what is left moved to its front. */
static enum dp_status messages(struct dp_resolver *r, unsigned c, int64_t now)
{
	struct conn *k = &r->conns[c];
	uint32_t gen = k->gen;
	size_t off = 0;

	while (k->in_len - off >= 2) {
		size_t len = (size_t)(k->in[off] << 8 | k->in[off + 1]);
		enum dp_status st;
		if (k->in_len - off < 2 + len)
			break;
		st = message(r, c, k->in + off + 2, len, now);
		if (st != DP_OK || k->gen != gen)
			return st; /* the connection closed meanwhile: its buffer is gone */
		off += 2 + len;
	}
	memmove(k->in, k->in + off, k->in_len - off);
	k->in_len -= off;
	return DP_OK;
}

static enum dp_status conn_read(struct dp_resolver *r, unsigned c, int64_t now)
{
	struct conn *k = &r->conns[c];
	uint32_t gen = k->gen;

	for (;;) {
		ssize_t n = read(k->fd, k->in + k->in_len, IN_CAP - k->in_len);
		enum dp_status st;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			return DP_OK;
		if (n <= 0) {
			closed_by_server(r, c, now);
			return DP_OK;
		}
		k->in_len += (size_t)n;
		k->last_io = k->last_read = now;
		st = messages(r, c, now);
		if (st != DP_OK || k->gen != gen)
			return st;
		close_if_spent(r, c, now);
		if (k->gen != gen)
			return DP_OK;
	}
}

enum dp_status dp_res_tcp_event(struct dp_resolver *r, uint64_t tag, uint32_t events, int64_t now)
{
	unsigned c = (uint32_t)tag;
	struct conn *k = &r->conns[c];
	int err = 0;
	socklen_t elen = sizeof(err);

	if (k->fd < 0 || k->gen != (uint32_t)(tag >> 40))
		return DP_OK; /* an event for a connection already closed */
	if (k->connecting) {
		if ((events & (EPOLLERR | EPOLLHUP)) ||
		    getsockopt(k->fd, SOL_SOCKET, SO_ERROR, &err, &elen) != 0 || err != 0) {
			conn_close(r, c, now + RECONNECT_US, "the TCP connection failed");
			return DP_OK;
		}
		if (!(events & EPOLLOUT))
			return DP_OK;
		k->connecting = false;
	}
	if (events & EPOLLOUT)
		flush(r, c, now);
	if (k->fd >= 0 && k->gen == (uint32_t)(tag >> 40) &&
	    (events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		return conn_read(r, c, now);
	return DP_OK;
}

void dp_res_conn_keepalive(struct dp_resolver *r, const struct slot *s, int timeout)
{
	if (s->sock >= CONN_BASE && timeout >= 0)
		r->conns[s->sock - CONN_BASE].idle_us = (int64_t)timeout * 100000;
}

/* A try timed out on a connection that has said nothing since: take it as stalled. */
void dp_res_conn_stalled(struct dp_resolver *r, const struct slot *s, int64_t now)
{
	unsigned c = (unsigned)(s->sock - CONN_BASE);

	if (r->conns[c].last_read <= s->sent_at)
		conn_close(r, c, now, "the TCP connection stalled");
}

void dp_res_conns_idle(struct dp_resolver *r, int64_t now)
{
	for (unsigned c = 0; c < r->o.n_servers * CONNS_PER_SERVER; c++) {
		struct conn *k = &r->conns[c];
		if (k->fd >= 0 && !k->connecting && k->inflight == 0 && k->out_len == 0 &&
		    now - k->last_io >= k->idle_us)
			conn_close(r, c, now, NULL);
	}
}

void dp_res_conns_free(struct dp_resolver *r)
{
	for (unsigned c = 0; r->conns != NULL && c < r->o.n_servers * CONNS_PER_SERVER; c++) {
		if (r->conns[c].fd >= 0)
			close(r->conns[c].fd);
		free(r->conns[c].in);
		free(r->conns[c].out);
	}
	free(r->conns);
}
