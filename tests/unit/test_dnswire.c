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
	    cmocka_unit_test(test_query_wire),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
