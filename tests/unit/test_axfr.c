/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests for the zone transfer against small forked TCP responders on
 * 127.0.0.1 that transfer a zone, refuse, never end, drip records or
 * octets, fall silent or hang up. Real NSD transfers in the integration tests.
 */
#include "cmocka_wrap.h"

#include <arpa/inet.h>
#include <ldns/ldns.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dns/axfr.h"

#define SOA "z.example SOA ns.z.example. h.z.example. 1 2 3 4 5"

enum mode {
	GOOD,     /* SOA, names, SOA over two messages */
	REFUSE,   /* REFUSED */
	ENDLESS,  /* SOA, then messages of 100 RRs as fast as it can, never the last SOA */
	DRIP,     /* SOA, then one RR every 60 ms, forever */
	DRIP_OCT, /* one message, one octet every 50 ms */
	MUTE,     /* SOA, then nothing, the connection open */
	HANG_UP,  /* SOA, then the connection closed */
};

struct fake {
	pid_t pid;
	int lfd;
	struct dp_server server;
};

static void put(int c, const uint8_t *w, size_t len)
{
	if (write(c, w, len) != (ssize_t)len)
		_exit(0); /* the client went: done */
}

/* One length-prefixed message answering id with the RRs given as text. */
static void send_msg(int c, uint16_t id, ldns_pkt_rcode rc, const char *const *rrs, size_t n)
{
	ldns_pkt *p = ldns_pkt_new();
	uint8_t *w = NULL, hdr[2];
	size_t len;

	for (size_t i = 0; i < n; i++) {
		ldns_rr *rr = NULL;
		if (ldns_rr_new_frm_str(&rr, rrs[i], 300, NULL, NULL) != LDNS_STATUS_OK)
			_exit(3);
		ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr);
	}
	ldns_pkt_set_id(p, id);
	ldns_pkt_set_qr(p, true);
	ldns_pkt_set_rcode(p, (uint8_t)rc);
	ldns_pkt2wire(&w, p, &len);
	hdr[0] = (uint8_t)(len >> 8);
	hdr[1] = (uint8_t)len;
	put(c, hdr, 2);
	put(c, w, len);
	free(w);
	ldns_pkt_free(p);
}

static void serve_one(int c, enum mode m, uint16_t id)
{
	static const char *const names[] = {
	    "_validation-persist.a.z.example TXT \"ca.example; accounturi=x:1\"",
	    "b.z.example A 192.0.2.1",
	    "_validation-persist.c.z.example CNAME elsewhere.example.",
	};
	static const char *const soa[] = {SOA};
	const char *many[100];

	switch (m) {
	case GOOD:
		send_msg(c, id, LDNS_RCODE_NOERROR, soa, 1);
		send_msg(c, id, LDNS_RCODE_NOERROR, names, 3);
		send_msg(c, id, LDNS_RCODE_NOERROR, soa, 1);
		break;
	case REFUSE:
		send_msg(c, id, LDNS_RCODE_REFUSED, NULL, 0);
		break;
	case ENDLESS:
		for (size_t i = 0; i < 100; i++)
			many[i] = names[0];
		send_msg(c, id, LDNS_RCODE_NOERROR, soa, 1);
		for (;;)
			send_msg(c, id, LDNS_RCODE_NOERROR, many, 100);
	case DRIP:
		send_msg(c, id, LDNS_RCODE_NOERROR, soa, 1);
		for (;; usleep(60000))
			send_msg(c, id, LDNS_RCODE_NOERROR, names, 1);
	case DRIP_OCT: /* a length of 256, then zeros */
		put(c, (const uint8_t *)"\x01", 1);
		for (;; usleep(50000))
			put(c, (const uint8_t *)"", 1);
	case MUTE:
		send_msg(c, id, LDNS_RCODE_NOERROR, soa, 1);
		pause();
		break;
	case HANG_UP:
		send_msg(c, id, LDNS_RCODE_NOERROR, soa, 1);
		break;
	}
}

static void serve(int lfd, enum mode m)
{
	for (;;) {
		int c = accept(lfd, NULL, NULL);
		uint8_t buf[2048];
		ssize_t n = c >= 0 ? read(c, buf, sizeof(buf)) : -1;
		if (n > 4)
			serve_one(c, m, (uint16_t)(buf[2] << 8 | buf[3]));
		if (c >= 0)
			close(c);
	}
}

static void fake_start(struct fake *f, enum mode m)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);
	char spec[64];

	f->lfd = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(bind(f->lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(f->lfd, 8), 0);
	assert_int_equal(getsockname(f->lfd, (struct sockaddr *)&a, &alen), 0);
	snprintf(spec, sizeof(spec), "127.0.0.1@%u", ntohs(a.sin_port));
	assert_int_equal(dp_server_parse(spec, &f->server, NULL), DP_OK);
	f->pid = fork();
	assert_true(f->pid >= 0);
	if (f->pid == 0)
		serve(f->lfd, m);
}

static void fake_stop(struct fake *f)
{
	kill(f->pid, SIGKILL);
	waitpid(f->pid, NULL, 0);
	close(f->lfd);
}

struct seen {
	int n;
	char names[4][64];
};

static void found(const char *name, void *ctx)
{
	struct seen *s = ctx;

	if (s->n < 4)
		snprintf(s->names[s->n], sizeof(s->names[0]), "%s", name);
	s->n++;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void test_transfer(void **state)
{
	struct fake f;
	struct seen s = {0};
	char why[256];

	(void)state;
	fake_start(&f, GOOD);
	assert_int_equal(
	    dp_axfr_persist_names(&f.server, "z.example", 1000, found, &s, why, sizeof(why)),
	    DP_OK);
	fake_stop(&f);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.names[0], "a.z.example");
	assert_string_equal(s.names[1], "c.z.example");
	assert_string_equal(why, "");
}

/*
 * Each hostile server ends in an error that says which bound, within that
 * bound (plus a second of slack for a loaded machine; without the bounds
 * the endless and dripping servers never ended). The count bounds are
 * told apart from the 60 s time bound by the reason; how fast 10,000
 * records are read is the machine's, not the bound's (30 s at most).
 */
static void test_bounds(void **state)
{
	static const struct {
		enum mode m;
		struct dp_axfr_limits lim;
		const char *why;
		double within;
	} cases[] = {
	    {REFUSE, {1000, 1000, 100, 1 << 20}, "(REFUSED)", 1.5},
	    {ENDLESS, {60000, 1000, 10000, 1u << 30}, "(more than 10000 records)", 30},
	    {ENDLESS, {500, 1000, 1u << 30, 1u << 30}, "(took longer than 500 ms)", 1.5},
	    {ENDLESS, {60000, 1000, 1u << 30, 100000}, "(more than 100000 octets)", 30},
	    {DRIP, {500, 200, 1000, 1 << 20}, "(took longer than 500 ms)", 1.5},
	    {DRIP_OCT, {500, 200, 1000, 1 << 20}, "(took longer than 500 ms)", 1.5},
	    {MUTE, {5000, 200, 1000, 1 << 20}, "(nothing received for 200 ms)", 1.2},
	    {HANG_UP,
	     {5000, 1000, 1000, 1 << 20},
	     "(the connection closed before the zone's end)",
	     1.5},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct fake f;
		struct seen s = {0};
		char why[256];
		struct timespec t0;
		enum dp_status st;
		double secs;
		fake_start(&f, cases[i].m);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		st = dp_axfr_persist_names_within(&f.server, "z.example", &cases[i].lim, found, &s,
		                                  why, sizeof(why));
		secs = seconds_since(&t0);
		fake_stop(&f);
		print_message("# case %zu: %.2f s: %s\n", i, secs, why);
		assert_int_equal(st, DP_ELOOKUP);
		if (strstr(why, cases[i].why) == NULL ||
		    strstr(why, "AXFR of z.example from") != why)
			fail_msg("case %zu: '%s'", i, why);
		if (secs > cases[i].within)
			fail_msg("case %zu: %.2f s", i, secs);
	}
}

/*
 * The default bound holds without being asked for: 30 timeouts at most.
 * (A timeout of 200 ms against a record every 60 ms: the idle bound must
 * not end the transfer first on a loaded machine, so that the total one
 * is what is tested.)
 */
static void test_default_bound(void **state)
{
	struct fake f;
	struct seen s = {0};
	char why[256];
	struct timespec t0;

	(void)state;
	alarm(20); /* the code before the bound never ended: fail, not hang */
	fake_start(&f, DRIP);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(
	    dp_axfr_persist_names(&f.server, "z.example", 200, found, &s, why, sizeof(why)),
	    DP_ELOOKUP);
	assert_true(seconds_since(&t0) < 6.5);
	fake_stop(&f);
	alarm(0);
	if (strstr(why, "(took longer than 6 s)") == NULL)
		fail_msg("%s", why);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_transfer),
	    cmocka_unit_test(test_bounds),
	    cmocka_unit_test(test_default_bound),
	};
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
