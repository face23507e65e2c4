/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A hostile DNS responder for tests/integration/hostile.bats: it listens on
 * UDP and TCP at one port of 127.0.0.1, prints the port, and misbehaves in
 * one way until killed. Never an example of a DNS server.
 *
 *   hostile badvers       every answer carries EDNS BADVERS (RCODE 16)
 *   hostile two-opt       BADVERS in a first OPT RR, hidden by a second one
 *   hostile wrong-type    every answer is an A RR at the name asked
 *   hostile tc-dead-tcp   TC over UDP; TCP connections taken and never answered
 *   hostile axfr-endless  UDP: NODATA; AXFR: the SOA, then records forever
 *   hostile axfr-drip MS  UDP: NODATA; AXFR: the SOA, then one record every MS ms
 *
 * and over TCP, after a TC over UDP (TXT asked: the record; else NODATA):
 *   hostile tcp-close10     closes the connection after every 10 answers
 *   hostile tcp-reorder     answers the queries it has read in reverse order
 *   hostile tc-lie          TC with the record, over UDP and over TCP
 *   hostile tcp-half-prefix one octet of the length, then closes
 *   hostile tcp-stall       a length of 65535, a few octets, then silence
 *   hostile tcp-wrong-id    every TCP answer under another ID
 *   hostile refused-flood   REFUSED, each followed by 20 REFUSED of random IDs
 *   hostile tcp-reset       answers, but resets each connection 20 ms after it
 *                           opened, busy or not (as a limiter dropping over
 *                           TCP does; the count per connection it teaches
 *                           varies with the machine's speed)
 */
#include <arpa/inet.h>
#include <ldns/ldns.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SOA "hostile.test. 300 IN SOA ns.hostile.test. h.hostile.test. 1 2 3 4 5"
#define RECORD                                                                                     \
	"TXT \"letsencrypt.org; accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/1\""

static const char *mode;
static unsigned drip_ms = 1500;

static ldns_rr *rr_of(const char *text)
{
	ldns_rr *rr = NULL;

	if (ldns_rr_new_frm_str(&rr, text, 300, NULL, NULL) != LDNS_STATUS_OK)
		exit(3);
	return rr;
}

/* A response to q: the question, QR, AA, the ID; the caller adds the rest. */
static ldns_pkt *response_to(const ldns_pkt *q)
{
	ldns_pkt *p = ldns_pkt_new();

	ldns_pkt_push_rr(p, LDNS_SECTION_QUESTION,
	                 ldns_rr_clone(ldns_rr_list_rr(ldns_pkt_question(q), 0)));
	ldns_pkt_set_id(p, ldns_pkt_id(q));
	ldns_pkt_set_qr(p, true);
	ldns_pkt_set_aa(p, true);
	return p;
}

static bool is(const char *m)
{
	return strcmp(mode, m) == 0;
}

/* Modes that push every query to TCP and misbehave there. */
static bool tcp_mode(void)
{
	return strncmp(mode, "tcp-", 4) == 0 || is("tc-lie") || is("refused-flood");
}

/* The record when TXT is asked, else NODATA; TC (and the record) in tc-lie; REFUSED in a flood. */
static ldns_pkt *tcp_response(const ldns_pkt *q)
{
	ldns_pkt *p = response_to(q);
	const ldns_rr *qr = ldns_rr_list_rr(ldns_pkt_question(q), 0);
	char text[600], *owner = ldns_rdf2str(ldns_rr_owner(qr));

	if (is("refused-flood")) {
		ldns_pkt_set_rcode(p, LDNS_RCODE_REFUSED);
	} else if (ldns_rr_get_type(qr) == LDNS_RR_TYPE_TXT) {
		snprintf(text, sizeof(text), "%s 300 IN " RECORD, owner);
		ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr_of(text));
	} else {
		ldns_pkt_push_rr(p, LDNS_SECTION_AUTHORITY, rr_of(SOA));
	}
	free(owner);
	ldns_pkt_set_tc(p, is("tc-lie"));
	return p;
}

static ldns_pkt *udp_response(const ldns_pkt *q)
{
	ldns_pkt *p = response_to(q);
	char text[600], *owner;

	if (tcp_mode() && !is("tc-lie") && !is("refused-flood")) {
		ldns_pkt_set_tc(p, true);
		return p;
	}
	if (tcp_mode()) {
		ldns_pkt_free(p);
		return tcp_response(q);
	}

	if (strcmp(mode, "badvers") == 0 || strcmp(mode, "two-opt") == 0) {
		ldns_pkt_set_edns_udp_size(p, 1232);
		ldns_pkt_set_edns_extended_rcode(p, 1);
	} else if (strcmp(mode, "wrong-type") == 0) {
		owner = ldns_rdf2str(ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_question(q), 0)));
		snprintf(text, sizeof(text), "%s 300 IN A 192.0.2.1", owner);
		free(owner);
		ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr_of(text));
	} else if (strcmp(mode, "tc-dead-tcp") == 0) {
		ldns_pkt_set_tc(p, true);
	} else {
		ldns_pkt_push_rr(p, LDNS_SECTION_AUTHORITY, rr_of(SOA));
	}
	return p;
}

/* Send p length-prefixed on c; false when the client has gone. */
static bool send_tcp(int c, ldns_pkt *p)
{
	uint8_t *w = NULL, hdr[2];
	size_t len = 0;
	bool ok;

	ldns_pkt2wire(&w, p, &len);
	hdr[0] = (uint8_t)(len >> 8);
	hdr[1] = (uint8_t)len;
	ok = write(c, hdr, 2) == 2 && write(c, w, len) == (ssize_t)len;
	free(w);
	ldns_pkt_free(p);
	return ok;
}

/* The transfer that never ends: the SOA, then TXT RRs, fast or one at a time. */
static void axfr(int c, const ldns_pkt *q)
{
	ldns_pkt *p = response_to(q);
	bool drip = strcmp(mode, "axfr-drip") == 0;
	char text[200];

	ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr_of(SOA));
	for (unsigned long i = 0; send_tcp(c, p); i++) {
		p = response_to(q);
		for (int k = 0; k < (drip ? 1 : 50); k++) {
			snprintf(text, sizeof(text), "n%lu-%d.hostile.test. 300 IN TXT \"filler\"",
			         i, k);
			ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr_of(text));
		}
		if (drip)
			usleep(drip_ms * 1000);
	}
	ldns_pkt_free(p);
}

static bool read_full(int c, uint8_t *buf, size_t len)
{
	for (size_t off = 0; off < len;) {
		ssize_t n = read(c, buf + off, len - off);
		if (n <= 0)
			return false;
		off += (size_t)n;
	}
	return true;
}

/* One length-prefixed query; NULL when the client has gone. */
static ldns_pkt *read_query(int c)
{
	static uint8_t buf[65535];
	uint8_t hdr[2];
	size_t len;
	ldns_pkt *q = NULL;

	if (!read_full(c, hdr, 2))
		return NULL;
	len = (size_t)(hdr[0] << 8 | hdr[1]);
	if (!read_full(c, buf, len) || ldns_wire2pkt(&q, buf, len) != LDNS_STATUS_OK)
		return NULL;
	return q;
}

static bool readable(int c, int ms)
{
	struct pollfd pf = {c, POLLIN, 0};
	return poll(&pf, 1, ms) == 1;
}

/* Answer one query in the mode's way; false to end the connection. */
static bool tcp_answer(int c, ldns_pkt *q)
{
	ldns_pkt *p = tcp_response(q);
	static const uint8_t junk[100];

	ldns_pkt_free(q);
	if (is("tcp-half-prefix")) {
		ldns_pkt_free(p);
		(void)!write(c, "\x01", 1);
		return false;
	}
	if (is("tcp-stall")) {
		ldns_pkt_free(p);
		if (write(c, "\xff\xff", 2) == 2 && write(c, junk, sizeof(junk)) > 0)
			for (;;)
				pause(); /* until the responder is killed */
		return false;
	}
	if (is("tcp-wrong-id"))
		ldns_pkt_set_id(p, (uint16_t)(ldns_pkt_id(p) + 1));
	return send_tcp(c, p);
}

/*
 * tcp-reset: answer what comes for 20 ms, then close with SO_LINGER 0, which
 * sends RST; the next write of the client to the connection fails with EPIPE.
 */
static void reset_session(int c)
{
	struct linger l = {1, 0};
	struct timespec t;
	long end, left;

	clock_gettime(CLOCK_MONOTONIC, &t);
	end = t.tv_sec * 1000L + t.tv_nsec / 1000000 + 20;
	for (;;) {
		ldns_pkt *q;
		clock_gettime(CLOCK_MONOTONIC, &t);
		left = end - (t.tv_sec * 1000L + t.tv_nsec / 1000000);
		if (left <= 0 || !readable(c, (int)left))
			break;
		q = read_query(c);
		if (q == NULL || !tcp_answer(c, q))
			return;
	}
	setsockopt(c, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
}

/* A TCP session of the TCP modes: queries read as they come, pipelined. */
static void tcp_session(int c)
{
	ldns_pkt *q[8];

	if (is("tcp-reset")) {
		reset_session(c);
		return;
	}
	for (unsigned answered = 0;;) {
		size_t k = 0;
		q[k] = read_query(c);
		if (q[k++] == NULL)
			return;
		while (is("tcp-reorder") && k < 8 && readable(c, 20)) {
			q[k] = read_query(c);
			if (q[k] == NULL)
				break;
			k++;
		}
		if (k > 1)
			fprintf(stderr, "hostile: %zu answers in reverse order\n", k);
		for (size_t i = k; i-- > 0;) { /* the last read first */
			size_t j = is("tcp-reorder") ? i : k - 1 - i;
			if (!tcp_answer(c, q[j]))
				return;
			q[j] = NULL;
			if (is("tcp-close10") && ++answered % 10 == 0)
				return;
		}
	}
}

/* One TCP client, in a child of its own. */
static void tcp_client(int c)
{
	uint8_t buf[2048];
	ssize_t n;
	ldns_pkt *q = NULL;

	prctl(PR_SET_PDEATHSIG, SIGKILL); /* killing the responder ends its clients */
	if (tcp_mode()) {
		tcp_session(c);
		_exit(0);
	}
	n = read(c, buf, sizeof(buf));
	while (strcmp(mode, "tc-dead-tcp") == 0 && n > 0)
		n = read(c, buf, sizeof(buf)); /* hold the connection, say nothing */
	if (n > 2 && ldns_wire2pkt(&q, buf + 2, (size_t)n - 2) == LDNS_STATUS_OK) {
		if (ldns_rr_get_type(ldns_rr_list_rr(ldns_pkt_question(q), 0)) == LDNS_RR_TYPE_AXFR)
			axfr(c, q);
		else
			send_tcp(c, udp_response(q));
		ldns_pkt_free(q);
	}
	_exit(0);
}

static void udp_query(int fd)
{
	uint8_t buf[2048], *w = NULL;
	struct sockaddr_storage from;
	socklen_t flen = sizeof(from);
	ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
	ldns_pkt *q = NULL, *p;
	size_t len = 0;

	if (n <= 0 || ldns_wire2pkt(&q, buf, (size_t)n) != LDNS_STATUS_OK)
		return;
	p = udp_response(q);
	ldns_pkt2wire(&w, p, &len);
	if (strcmp(mode, "two-opt") == 0) {
		uint8_t *more = realloc(w, len + 11);
		if (more == NULL)
			exit(1);
		w = more;
		/* a second OPT with an extended RCODE of 0: ldns would keep only this one */
		memcpy(w + len, "\0\0\x29\x04\xd0\0\0\0\0\0\0", 11);
		len += 11;
		w[11]++; /* ARCOUNT */
	}
	sendto(fd, w, len, 0, (struct sockaddr *)&from, flen);
	for (int i = 0; is("refused-flood") && i < 20; i++) { /* answers to nothing asked */
		uint16_t id = (uint16_t)random();
		w[0] = (uint8_t)(id >> 8);
		w[1] = (uint8_t)id;
		sendto(fd, w, len, 0, (struct sockaddr *)&from, flen);
	}
	free(w);
	ldns_pkt_free(p);
	ldns_pkt_free(q);
}

static void listen_on(int *udp, int *tcp)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);

	*udp = socket(AF_INET, SOCK_DGRAM, 0);
	*tcp = socket(AF_INET, SOCK_STREAM, 0);
	if (bind(*udp, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    getsockname(*udp, (struct sockaddr *)&a, &alen) != 0 ||
	    setsockopt(*tcp, SOL_SOCKET, SO_REUSEADDR, &(int){1}, sizeof(int)) != 0 ||
	    bind(*tcp, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(*tcp, 64) != 0) {
		perror("hostile: listen");
		exit(1);
	}
	printf("%u\n", ntohs(a.sin_port));
	fflush(stdout);
}

int main(int argc, char **argv)
{
	int udp, tcp;
	struct pollfd pf[2];

	if (argc < 2) {
		fprintf(stderr, "usage: hostile MODE [MS]\n");
		return 2;
	}
	mode = argv[1];
	if (argc > 2)
		drip_ms = (unsigned)strtoul(argv[2], NULL, 10);
	signal(SIGCHLD, SIG_IGN); /* no zombies from the TCP children */
	signal(SIGPIPE, SIG_IGN);
	listen_on(&udp, &tcp);
	pf[0] = (struct pollfd){udp, POLLIN, 0};
	pf[1] = (struct pollfd){tcp, POLLIN, 0};
	for (;;) {
		if (poll(pf, 2, -1) < 0)
			continue;
		if (pf[0].revents & POLLIN)
			udp_query(udp);
		if (pf[1].revents & POLLIN) {
			int c = accept(tcp, NULL, NULL);
			if (c >= 0 && fork() == 0)
				tcp_client(c);
			if (c >= 0)
				close(c);
		}
	}
}
