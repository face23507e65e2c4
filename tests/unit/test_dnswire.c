/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests for query building and response judging: responses are built
 * with ldns from zone-file text, or written byte by byte when ldns would
 * refuse to build them (compression loops, truncation).
 */
#include "cmocka_wrap.h"

#include <ldns/ldns.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dnswire.h"

#define Q "_validation-persist.a.example"

struct resp {
	uint16_t id;
	const char *qname;
	uint16_t qtype;
	ldns_pkt_rcode rcode;
	bool tc, ad, ra, qr;
	const char *answer[12];
	const char *authority[2];
};

static ldns_rr *rr_of(const char *text)
{
	ldns_rr *rr = NULL;
	assert_int_equal(ldns_rr_new_frm_str(&rr, text, 300, NULL, NULL), LDNS_STATUS_OK);
	return rr;
}

/* The wire form of a response; the caller frees it. */
static uint8_t *wire_of(const struct resp *r, size_t *len)
{
	ldns_pkt *p = ldns_pkt_new();
	ldns_rr *q = ldns_rr_new();
	uint8_t *w = NULL;

	ldns_rr_set_owner(q, ldns_dname_new_frm_str(r->qname));
	ldns_rr_set_type(q, (ldns_rr_type)r->qtype);
	ldns_rr_set_class(q, LDNS_RR_CLASS_IN);
	ldns_rr_set_question(q, true);
	ldns_pkt_push_rr(p, LDNS_SECTION_QUESTION, q);
	for (size_t i = 0; i < ARRAY_LEN(r->answer) && r->answer[i]; i++)
		ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr_of(r->answer[i]));
	for (size_t i = 0; i < ARRAY_LEN(r->authority) && r->authority[i]; i++)
		ldns_pkt_push_rr(p, LDNS_SECTION_AUTHORITY, rr_of(r->authority[i]));
	ldns_pkt_set_id(p, r->id);
	ldns_pkt_set_qr(p, r->qr);
	ldns_pkt_set_rcode(p, (uint8_t)r->rcode);
	ldns_pkt_set_tc(p, r->tc);
	ldns_pkt_set_ad(p, r->ad);
	ldns_pkt_set_ra(p, r->ra);
	assert_int_equal(ldns_pkt2wire(&w, p, len), LDNS_STATUS_OK);
	ldns_pkt_free(p);
	return w;
}

static enum dp_status judge(const struct resp *r, uint16_t id, const char *qname, uint16_t qtype,
                            struct dp_arena *a, struct dp_dns_answer *out)
{
	size_t len;
	uint8_t *w = wire_of(r, &len);
	enum dp_status st = dp_dns_parse(a, w, len, id, qname, qtype, out);
	free(w);
	return st;
}

#define OK_RESP(...)                                                                               \
	{                                                                                          \
		.id = 7, .qname = Q, .qtype = DP_DNS_TXT, .qr = true, __VA_ARGS__                  \
	}

static void test_plain_and_multi_string(void **state)
{
	static const struct resp r =
	    OK_RESP(.ra = true,
	            .answer = {Q " TXT \"letsencrypt.org; \" \"accounturi=x:1\"", Q " TXT \"b\""});
	struct dp_arena *a = dp_arena_new();
	struct dp_dns_answer ans;

	(void)state;
	assert_int_equal(judge(&r, 7, Q, DP_DNS_TXT, a, &ans), DP_OK);
	assert_int_equal(ans.kind, DP_DNS_DATA);
	assert_int_equal(ans.n_rrs, 2);
	assert_string_equal(ans.rrs->data, "letsencrypt.org; accounturi=x:1");
	assert_int_equal(ans.rrs->len, strlen("letsencrypt.org; accounturi=x:1"));
	assert_string_equal(ans.rrs->next->data, "b");
	assert_string_equal(ans.owner, Q);
	assert_int_equal(ans.n_chain, 0);
	assert_true(ans.ra);
	assert_false(ans.ad);
	dp_arena_free(a);
}

/* Only a response to our own question is believed. */
static void test_wrong_question(void **state)
{
	static const struct resp good = OK_RESP(.answer = {Q " TXT \"x\""});
	static const struct resp not_qr = {.id = 7, .qname = Q, .qtype = DP_DNS_TXT};
	static const struct resp other_name = {
	    .id = 7, .qname = "_validation-persist.b.example", .qtype = DP_DNS_TXT, .qr = true};
	static const struct resp other_type = {
	    .id = 7, .qname = Q, .qtype = DP_DNS_CAA, .qr = true};
	struct dp_arena *a = dp_arena_new();
	struct dp_dns_answer ans;

	(void)state;
	assert_int_equal(judge(&good, 8, Q, DP_DNS_TXT, a, &ans), DP_EINVAL);
	assert_int_equal(judge(&not_qr, 7, Q, DP_DNS_TXT, a, &ans), DP_EINVAL);
	assert_int_equal(judge(&other_name, 7, Q, DP_DNS_TXT, a, &ans), DP_EINVAL);
	assert_int_equal(judge(&other_type, 7, Q, DP_DNS_TXT, a, &ans), DP_EINVAL);
	/* names compare without regard to case, as DNS does */
	assert_int_equal(judge(&good, 7, "_VALIDATION-persist.A.example", DP_DNS_TXT, a, &ans),
	                 DP_OK);
	dp_arena_free(a);
}

static void test_rcodes(void **state)
{
	static const struct {
		ldns_pkt_rcode rc;
		enum dp_dns_kind kind;
	} cases[] = {
	    {LDNS_RCODE_NOERROR, DP_DNS_NODATA},    {LDNS_RCODE_NXDOMAIN, DP_DNS_NXDOMAIN},
	    {LDNS_RCODE_SERVFAIL, DP_DNS_SERVFAIL}, {LDNS_RCODE_REFUSED, DP_DNS_REFUSED},
	    {LDNS_RCODE_NOTIMPL, DP_DNS_ERROR},     {LDNS_RCODE_FORMERR, DP_DNS_ERROR},
	};
	struct dp_arena *a = dp_arena_new();

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct resp r =
		    OK_RESP(.rcode = cases[i].rc, .authority = {"a.example SOA ns h 1 2 3 4 5"});
		struct dp_dns_answer ans;
		assert_int_equal(judge(&r, 7, Q, DP_DNS_TXT, a, &ans), DP_OK);
		assert_int_equal(ans.kind, cases[i].kind);
		if (cases[i].kind == DP_DNS_ERROR)
			assert_non_null(ans.detail);
		else
			assert_string_equal(ans.zone, "a.example");
	}
	dp_arena_free(a);
}

static void test_cname_chains(void **state)
{
	static const struct resp chain = OK_RESP(.answer = {
	                                             Q " CNAME b.example.",
	                                             "b.example CNAME c.example.",
	                                             "c.example TXT \"x\"",
	                                             "other.example TXT \"not ours\"",
	                                         });
	static const struct resp loop =
	    OK_RESP(.answer = {Q " CNAME b.example.", "b.example CNAME " Q "."});
	static const struct resp dangling =
	    OK_RESP(.rcode = LDNS_RCODE_NXDOMAIN, .answer = {Q " CNAME gone.example."},
	            .authority = {"example SOA ns h 1 2 3 4 5"});
	static const struct resp elsewhere = OK_RESP(.answer = {Q " CNAME t.other."});
	struct resp longc = OK_RESP(.answer = {Q " CNAME c1.example."});
	struct dp_arena *a = dp_arena_new();
	struct dp_dns_answer ans;
	char text[9][64];

	(void)state;
	assert_int_equal(judge(&chain, 7, Q, DP_DNS_TXT, a, &ans), DP_OK);
	assert_int_equal(ans.kind, DP_DNS_DATA);
	assert_int_equal(ans.n_chain, 2);
	assert_string_equal(ans.chain[0], "b.example");
	assert_string_equal(ans.chain[1], "c.example");
	assert_string_equal(ans.owner, "c.example");
	assert_int_equal(ans.n_rrs, 1);

	assert_int_equal(judge(&loop, 7, Q, DP_DNS_TXT, a, &ans), DP_OK);
	assert_int_equal(ans.kind, DP_DNS_ERROR);
	assert_string_equal(ans.detail, "CNAME loop");

	assert_int_equal(judge(&dangling, 7, Q, DP_DNS_TXT, a, &ans), DP_OK);
	assert_int_equal(ans.kind, DP_DNS_NXDOMAIN);
	assert_string_equal(ans.owner, "gone.example");
	assert_false(ans.incomplete);

	/* an authoritative server that does not serve the target: ask it next */
	assert_int_equal(judge(&elsewhere, 7, Q, DP_DNS_TXT, a, &ans), DP_OK);
	assert_int_equal(ans.kind, DP_DNS_NODATA);
	assert_true(ans.incomplete);
	assert_string_equal(ans.owner, "t.other");

	/* nine hops: one more than followed */
	for (int i = 1; i <= 9; i++) {
		snprintf(text[i - 1], sizeof(text[0]), "c%d.example CNAME c%d.example.", i, i + 1);
		longc.answer[i] = text[i - 1];
	}
	assert_int_equal(judge(&longc, 7, Q, DP_DNS_TXT, a, &ans), DP_OK);
	assert_int_equal(ans.kind, DP_DNS_ERROR);
	assert_string_equal(ans.detail, "CNAME chain longer than 8");
	dp_arena_free(a);
}

static void test_caa_and_hostile_text(void **state)
{
	static const struct resp caa = {.id = 9,
	                                .qname = "a.example",
	                                .qtype = DP_DNS_CAA,
	                                .qr = true,
	                                .answer = {"a.example CAA 128 issue \"ca.example; x=y\"",
	                                           "a.example CAA 0 iodef \"mailto:a@b\""}};
	static const struct resp hostile =
	    OK_RESP(.tc = true, .answer = {Q " TXT \"a|b\\010\\027[31m\\000z\""});
	struct dp_arena *a = dp_arena_new();
	struct dp_dns_answer ans;

	(void)state;
	assert_int_equal(judge(&caa, 9, "a.example", DP_DNS_CAA, a, &ans), DP_OK);
	assert_int_equal(ans.n_rrs, 2);
	assert_int_equal(ans.rrs->flags, 128);
	assert_string_equal(ans.rrs->tag, "issue");
	assert_string_equal(ans.rrs->data, "ca.example; x=y");
	assert_string_equal(ans.rrs->next->tag, "iodef");

	/* control characters, '|' and a NUL arrive as they are, with their length */
	assert_int_equal(judge(&hostile, 7, Q, DP_DNS_TXT, a, &ans), DP_OK);
	assert_true(ans.tc);
	assert_int_equal(ans.rrs->len, 11);
	assert_memory_equal(ans.rrs->data, "a|b\n\033[31m\0z", 11);
	dp_arena_free(a);
}

/* Bytes ldns would never build: the parser must refuse them, not loop or crash. */
static void test_malformed_wire(void **state)
{
	static const uint8_t header[12] = {0, 7, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0};
	uint8_t loop[64], *w;
	size_t len, n = 0;
	struct dp_arena *a = dp_arena_new();
	struct dp_dns_answer ans;
	static const struct resp good = OK_RESP(.answer = {Q " TXT \"x\""});

	(void)state;
	/* a question whose name is a compression pointer to itself */
	memcpy(loop, header, 12);
	n = 12;
	loop[n++] = 0xc0;
	loop[n++] = 12;
	loop[n++] = 0;
	loop[n++] = 16;
	loop[n++] = 0;
	loop[n++] = 1;
	assert_int_not_equal(dp_dns_parse(a, loop, n, 7, Q, DP_DNS_TXT, &ans), DP_OK);
	/* every truncation of a good response */
	w = wire_of(&good, &len);
	for (size_t cut = 0; cut < len; cut++)
		assert_int_not_equal(dp_dns_parse(a, w, cut, 7, Q, DP_DNS_TXT, &ans), DP_OK);
	assert_int_equal(dp_dns_parse(a, w, len, 7, Q, DP_DNS_TXT, &ans), DP_OK);
	free(w);
	dp_arena_free(a);
}

/*
 * The raw bytes of a response to Q TXT with ID 7: header RCODE rc, no
 * answer, and n_opt OPT RRs whose TTL's high octet (RFC 6891 6.1.3: the
 * upper eight bits of the 12-bit RCODE) is ext.
 */
static size_t opt_response(uint8_t *w, uint8_t rc, uint8_t ext, unsigned n_opt)
{
	ldns_rdf *q = ldns_dname_new_frm_str(Q);
	size_t n = 0;

	memcpy(w, (const uint8_t[]){0, 7, 0x84, rc, 0, 1, 0, 0, 0, 0, 0, (uint8_t)n_opt}, 12);
	n = 12;
	memcpy(w + n, ldns_rdf_data(q), ldns_rdf_size(q));
	n += ldns_rdf_size(q);
	ldns_rdf_deep_free(q);
	memcpy(w + n, "\0\x10\0\x01", 4);
	n += 4;
	for (unsigned i = 0; i < n_opt; i++) {
		memcpy(w + n, (const uint8_t[]){0, 0, 41, 4, 0xd0, ext, 0, 0, 0, 0, 0}, 11);
		n += 11;
		ext = 0; /* a later OPT would hide the first one's extended RCODE */
	}
	return n;
}

/* An extended RCODE is an error with its name, never "no data"; two OPT RRs are malformed. */
static void test_extended_rcode_and_opt(void **state)
{
	static const struct {
		uint8_t rc, ext;
		unsigned n_opt;
		enum dp_status st;
		enum dp_dns_kind kind;
		const char *detail;
	} cases[] = {
	    {0, 0, 1, DP_OK, DP_DNS_NODATA, NULL},
	    {0, 0, 0, DP_OK, DP_DNS_NODATA, NULL},
	    {3, 0, 1, DP_OK, DP_DNS_NXDOMAIN, NULL},
	    {0, 1, 1, DP_OK, DP_DNS_ERROR, "BADVERS"}, /* 16 = 1 << 4 | 0 */
	    {3, 1, 1, DP_OK, DP_DNS_ERROR, "extended RCODE 19"},
	    {7, 1, 1, DP_OK, DP_DNS_ERROR, "BADCOOKIE"}, /* 23, RFC 7873 */
	    {0, 0xff, 1, DP_OK, DP_DNS_ERROR, "extended RCODE 4080"},
	    {0, 1, 2, DP_ESYNTAX, DP_DNS_DATA, NULL}, /* the second OPT hides BADVERS */
	    {0, 0, 2, DP_ESYNTAX, DP_DNS_DATA, NULL},
	};
	struct dp_arena *a = dp_arena_new();

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		uint8_t w[128];
		size_t len = opt_response(w, cases[i].rc, cases[i].ext, cases[i].n_opt);
		struct dp_dns_answer ans;
		enum dp_status st = dp_dns_parse(a, w, len, 7, Q, DP_DNS_TXT, &ans);
		if (st != cases[i].st)
			fail_msg("case %zu: status %d, want %d", i, st, cases[i].st);
		if (st != DP_OK)
			continue;
		if (ans.kind != cases[i].kind)
			fail_msg("case %zu: %s, want %s", i, dp_dns_kind_name(ans.kind),
			         dp_dns_kind_name(cases[i].kind));
		if (cases[i].detail != NULL)
			assert_string_equal(ans.detail, cases[i].detail);
	}
	dp_arena_free(a);
}

/* RFC 7828: the server's edns-tcp-keepalive timeout, found among other options or not at all. */
static void test_tcp_keepalive(void **state)
{
	static const struct {
		const char *rdata; /* the OPT's options, raw */
		size_t len;
		int want;
	} cases[] = {
	    {"", 0, -1},
	    {"\0\x0b\0\x02\0\x32", 6, 50},                     /* 5 seconds */
	    {"\0\x0b\0\x02\0\0", 6, 0},                        /* close soon */
	    {"\0\x0b\0\0", 4, -1},                             /* a client's form: no timeout */
	    {"\0\x0c\0\x03\0\0\0\0\x0b\0\x02\x01\0", 13, 256}, /* after padding */
	    {"\0\x0b\0\x0a\0\x32", 6, -1},                     /* longer than the RDATA */
	    {"\0\x0b\0\x03\0\x32\0", 7, -1},                   /* the wrong length */
	    {"\0\x0b", 2, -1},                                 /* half an option */
	};
	struct dp_arena *a = dp_arena_new();

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		uint8_t w[160];
		size_t len = opt_response(w, 0, 0, 1);
		struct dp_dns_answer ans;
		w[len - 2] = 0;
		w[len - 1] = (uint8_t)cases[i].len;
		memcpy(w + len, cases[i].rdata, cases[i].len);
		len += cases[i].len;
		if (dp_dns_parse(a, w, len, 7, Q, DP_DNS_TXT, &ans) != DP_OK)
			fail_msg("case %zu: not parsed", i);
		if (ans.keepalive != cases[i].want)
			fail_msg("case %zu: keepalive %d, want %d", i, ans.keepalive,
			         cases[i].want);
	}
	uint8_t w[128];
	size_t len = opt_response(w, 0, 0, 0);
	struct dp_dns_answer ans;
	assert_int_equal(dp_dns_parse(a, w, len, 7, Q, DP_DNS_TXT, &ans), DP_OK);
	assert_int_equal(ans.keepalive, -1); /* no OPT at all */
	dp_arena_free(a);
}

/* RRs of another type at a name of the chain answer another question: not believed. */
static void test_wrong_type_answers(void **state)
{
	static const struct {
		struct resp r;
		enum dp_status st;
	} cases[] = {
	    {OK_RESP(.answer = {Q " A 192.0.2.1"}), DP_ESYNTAX},
	    {OK_RESP(.answer = {Q " TXT \"x\"", Q " A 192.0.2.1"}), DP_ESYNTAX},
	    {OK_RESP(.answer = {Q " CNAME b.example.", "b.example AAAA ::1"}), DP_ESYNTAX},
	    {OK_RESP(.rcode = LDNS_RCODE_NXDOMAIN, .answer = {Q " MX 1 mx.example."}), DP_ESYNTAX},
	    /* signatures, and RRs at names off the chain, are no claim about it */
	    {OK_RESP(.answer = {Q " TXT \"x\"",
	                        Q " RRSIG TXT 13 3 300 20300101000000 20200101000000 1 a.example. "
	                          "AAAA"}),
	     DP_OK},
	    {OK_RESP(.answer = {Q " CNAME b.example.", "b.example TXT \"x\"",
	                        "c.example A 192.0.2.1"}),
	     DP_OK},
	    {OK_RESP(.answer = {Q " CNAME b.example."}), DP_OK},
	};
	struct dp_arena *a = dp_arena_new();

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct dp_dns_answer ans;
		enum dp_status st = judge(&cases[i].r, 7, Q, DP_DNS_TXT, a, &ans);
		if (st != cases[i].st)
			fail_msg("case %zu: status %d, want %d", i, st, cases[i].st);
	}
	dp_arena_free(a);
}

/* Which names of a chain a server for a zone speaks for. */
static void test_bailiwick(void **state)
{
	static const struct resp chain = OK_RESP(.answer = {
	                                             Q " CNAME b.a.example.",
	                                             "b.a.example CNAME c.other.",
	                                             "c.other TXT \"made up\"",
	                                         });
	static const struct {
		const char *apex;
		size_t n;
	} cases[] = {
	    {"a.example", 2},
	    {"example", 2},
	    {"other", 0},
	    {"", 3},
	    {"b.a.example", 0},
	    {"xa.example", 0},
	    {"_validation-persist.a.example", 1},
	};
	struct dp_arena *a = dp_arena_new();
	struct dp_dns_answer ans;

	(void)state;
	assert_int_equal(judge(&chain, 7, Q, DP_DNS_TXT, a, &ans), DP_OK);
	assert_int_equal(ans.n_chain, 2);
	for (size_t i = 0; i < ARRAY_LEN(cases); i++)
		if (dp_dns_in_bailiwick(&ans, cases[i].apex) != cases[i].n)
			fail_msg("apex '%s': %zu, want %zu", cases[i].apex,
			         dp_dns_in_bailiwick(&ans, cases[i].apex), cases[i].n);
	dp_arena_free(a);
}

static void test_query_wire(void **state)
{
	uint8_t *w = NULL;
	size_t len;
	ldns_pkt *p = NULL;

	(void)state;
	assert_int_equal(dp_dns_query_wire(Q, DP_DNS_CAA, 4242, true, true, true, &w, &len), DP_OK);
	assert_int_equal(ldns_wire2pkt(&p, w, len), LDNS_STATUS_OK);
	assert_int_equal(ldns_pkt_id(p), 4242);
	assert_true(ldns_pkt_rd(p));
	assert_true(ldns_pkt_cd(p));
	assert_true(ldns_pkt_edns_do(p));
	assert_int_equal(ldns_pkt_edns_udp_size(p), 1232);
	assert_int_equal(ldns_rr_get_type(ldns_rr_list_rr(ldns_pkt_question(p), 0)), DP_DNS_CAA);
	ldns_pkt_free(p);
	free(w);
	assert_int_equal(dp_dns_query_wire(Q, DP_DNS_TXT, 1, false, false, false, &w, &len), DP_OK);
	assert_int_equal(ldns_wire2pkt(&p, w, len), LDNS_STATUS_OK);
	assert_false(ldns_pkt_rd(p));
	assert_false(ldns_pkt_cd(p));
	assert_false(ldns_pkt_edns_do(p));
	ldns_pkt_free(p);
	free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain_and_multi_string),
	    cmocka_unit_test(test_wrong_question),
	    cmocka_unit_test(test_rcodes),
	    cmocka_unit_test(test_cname_chains),
	    cmocka_unit_test(test_caa_and_hostile_text),
	    cmocka_unit_test(test_malformed_wire),
	    cmocka_unit_test(test_extended_rcode_and_opt),
	    cmocka_unit_test(test_tcp_keepalive),
	    cmocka_unit_test(test_wrong_type_answers),
	    cmocka_unit_test(test_bailiwick),
	    cmocka_unit_test(test_query_wire),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
