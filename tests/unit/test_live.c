/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests for the live source's belief rules, against a forked
 * authoritative server on 127.0.0.1 that lies about another zone: asked
 * for _validation-persist.cust.example.com it answers with a CNAME into
 * www.example.com and a record it made up for that target.
 */
#include "cmocka_wrap.h"

#include <arpa/inet.h>
#include <ldns/ldns.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "source/live.h"

#define TENANT "cust.example.com."
#define TARGET "_validation-persist.www.example.com."
#define FAKE   "letsencrypt.org; accounturi=https://le/acct/666"

struct liar {
	pid_t pid;
	int fd;
	struct dp_server server;
};

static void push(ldns_pkt *p, ldns_pkt_section s, const char *text)
{
	ldns_rr *rr = NULL;

	if (ldns_rr_new_frm_str(&rr, text, 300, NULL, NULL) != LDNS_STATUS_OK)
		_exit(3);
	ldns_pkt_push_rr(p, s, rr);
}

/* The tenant zone's server: its own names answered, and one made-up record. */
static ldns_pkt *answer(const ldns_pkt *q)
{
	const ldns_rr *qr = ldns_rr_list_rr(ldns_pkt_question(q), 0);
	char *qname = ldns_rdf2str(ldns_rr_owner(qr));
	ldns_pkt *p = ldns_pkt_new();

	ldns_pkt_push_rr(p, LDNS_SECTION_QUESTION, ldns_rr_clone(qr));
	ldns_pkt_set_id(p, ldns_pkt_id(q));
	ldns_pkt_set_qr(p, true);
	ldns_pkt_set_aa(p, true);
	if (strcmp(qname, "_validation-persist.a.example.org.") == 0) {
		/* a's lookup: a chain to b, and a record there */
		push(p, LDNS_SECTION_ANSWER,
		     "_validation-persist.a.example.org. CNAME _validation-persist.b.example.org.");
		push(p, LDNS_SECTION_ANSWER, "_validation-persist.b.example.org. TXT \"" FAKE "\"");
	} else if (strstr(qname, "example.org.") != NULL) {
		/* b's own lookup, and everything else there: nothing */
		ldns_pkt_set_rcode(p, LDNS_RCODE_NXDOMAIN);
		push(p, LDNS_SECTION_AUTHORITY,
		     "example.org. SOA ns.example.org. h.example.org. 1 3600 600 86400 300");
	} else if (strcmp(qname, "_validation-persist." TENANT) == 0 &&
	           ldns_rr_get_type(qr) == LDNS_RR_TYPE_TXT) {
		push(p, LDNS_SECTION_ANSWER, "_validation-persist." TENANT " CNAME " TARGET);
		push(p, LDNS_SECTION_ANSWER, TARGET " TXT \"" FAKE "\"");
	} else if (strstr(qname, TENANT) != NULL) {
		push(p, LDNS_SECTION_AUTHORITY,
		     TENANT " SOA ns." TENANT " h." TENANT " 1 3600 600 86400 300");
	} else {
		ldns_pkt_set_rcode(p, LDNS_RCODE_REFUSED); /* not its zone */
	}
	free(qname);
	return p;
}

static void serve(int fd)
{
	for (;;) {
		uint8_t buf[2048], *w = NULL;
		struct sockaddr_storage from;
		socklen_t flen = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
		ldns_pkt *q = NULL, *p;
		size_t len = 0;
		if (n <= 0 || ldns_wire2pkt(&q, buf, (size_t)n) != LDNS_STATUS_OK)
			continue;
		p = answer(q);
		if (ldns_pkt2wire(&w, p, &len) == LDNS_STATUS_OK &&
		    sendto(fd, w, len, 0, (struct sockaddr *)&from, flen) < 0)
			_exit(2);
		free(w);
		ldns_pkt_free(p);
		ldns_pkt_free(q);
	}
}

static void liar_start(struct liar *l)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);
	char spec[64];

	l->fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_int_equal(bind(l->fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(l->fd, (struct sockaddr *)&a, &alen), 0);
	snprintf(spec, sizeof(spec), "127.0.0.1@%u", ntohs(a.sin_port));
	assert_int_equal(dp_server_parse(spec, &l->server, NULL), DP_OK);
	l->pid = fork();
	assert_true(l->pid >= 0);
	if (l->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL); /* a failed test must not leave it serving */
		serve(l->fd);
	}
}

static void liar_stop(struct liar *l)
{
	kill(l->pid, SIGKILL);
	waitpid(l->pid, NULL, 0);
	close(l->fd);
}

/* Observe names through the liar; zone: what the server is believed for. */
static struct dp_obs *observe_names(const struct liar *l, const char *zone,
                                    const char *const *names, size_t n)
{
	struct dp_resolver_opts ro = {.servers = &l->server, .n_servers = 1, .timeout_ms = 500};
	struct dp_live_opts lo = {.n_servers = 1, .zone = zone};
	struct dp_resolver *r = NULL;
	struct dp_obs *o = NULL;

	assert_int_equal(dp_resolver_new(&ro, &r), DP_OK);
	assert_int_equal(dp_obs_new("live", &o), DP_OK);
	assert_int_equal(dp_live_observe(r, o, names, n, &lo), DP_OK);
	dp_resolver_free(r);
	return o;
}

static struct dp_obs *observe(const struct liar *l, const char *zone)
{
	static const char *const names[] = {"cust.example.com"};
	return observe_names(l, zone, names, 1);
}

/* What a lookup of _validation-persist.cust.example.com yields in the observations. */
static const struct dp_obs_txt *records(const struct dp_obs *o)
{
	const char *via = NULL;
	return dp_obs_records(o, "cust.example.com", &via);
}

static void test_out_of_bailiwick_not_believed(void **state)
{
	struct liar l;
	struct dp_obs *o;
	const struct dp_obs_dns *d;

	(void)state;
	liar_start(&l);
	/* as the servers of cust.example.com (--authoritative): the made-up
	 * record for www.example.com is not believed, and the name is an error */
	o = observe(&l, "cust.example.com");
	assert_null(records(o));
	assert_false(dp_obs_has_rrset(o, "_validation-persist.www.example.com", false));
	d = dp_obs_dns_get(o, "cust.example.com");
	assert_non_null(d);
	assert_non_null(d->error);
	assert_non_null(strstr(d->error, "leads out of zone cust.example.com"));
	dp_obs_free(o);
	/* the same server taken as a resolver: its answer is what a CA would get */
	o = observe(&l, NULL);
	assert_non_null(records(o));
	assert_string_equal(records(o)->value, FAKE);
	dp_obs_free(o);
	liar_stop(&l);
}

/*
 * Through a resolver, a's lookup follows a CNAME to b and finds a record;
 * b's own lookup finds nothing. Each name is judged on its own lookup: the
 * chain's record is a's, and does not stand in for b's NXDOMAIN.
 */
static void test_chain_data_stays_with_its_lookup(void **state)
{
	static const char *const names[] = {"a.example.org", "b.example.org"};
	struct liar l;
	struct dp_obs *o;
	const char *via = NULL;
	const struct dp_obs_txt *t;

	(void)state;
	liar_start(&l);
	o = observe_names(&l, NULL, names, 2);
	t = dp_obs_records(o, "a.example.org", &via);
	assert_non_null(t);
	assert_string_equal(t->value, FAKE);
	assert_string_equal(via, "_validation-persist.b.example.org");
	assert_null(dp_obs_records(o, "b.example.org", &via));
	dp_obs_free(o);
	liar_stop(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_out_of_bailiwick_not_believed),
	    cmocka_unit_test(test_chain_data_stays_with_its_lookup),
	};
	return cmocka_run_group_tests_name("live", tests, NULL, NULL);
}
