/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness: DNS responses, as the live engine judges them. The
 * question asked is taken from the packet itself when it has one, so that
 * inputs reach the answer handling (CNAME chains, TXT joining, CAA), whose
 * results then go into the observations as a live scan puts them.
 */
#include <ldns/ldns.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "dns/dnswire.h"
#include "observe/observe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The question of the packet, as the engine would have asked it. */
static void question_of(const uint8_t *data, size_t size, char *qname, size_t qsize,
                        uint16_t *qtype)
{
	ldns_pkt *p = NULL;
	char *s;

	snprintf(qname, qsize, "_validation-persist.a.example");
	*qtype = size > 0 && (data[size - 1] & 1) ? DP_DNS_CAA : DP_DNS_TXT;
	if (ldns_wire2pkt(&p, data, size) != LDNS_STATUS_OK)
		return;
	if (ldns_rr_list_rr_count(ldns_pkt_question(p)) == 1) {
		const ldns_rr *q = ldns_rr_list_rr(ldns_pkt_question(p), 0);
		s = ldns_rdf2str(ldns_rr_owner(q));
		if (s != NULL) {
			size_t n = strlen(s);
			if (n > 1 && s[n - 1] == '.')
				s[n - 1] = '\0';
			snprintf(qname, qsize, "%s", s);
			free(s);
		}
		*qtype = (uint16_t)ldns_rr_get_type(q);
	}
	ldns_pkt_free(p);
}

static void observe(const struct dp_dns_answer *a)
{
	struct dp_obs *o = NULL;
	struct dp_obs_caa_view v;
	const char *prev = a->qname, *via;

	if (dp_obs_new("live", &o) != DP_OK)
		return;
	for (size_t i = 0; i < a->n_chain; prev = a->chain[i++])
		dp_obs_add_cname(o, prev, a->chain[i], "fuzz secure", 0);
	for (const struct dp_dns_rr *rr = a->rrs; rr != NULL; rr = rr->next)
		if (a->qtype == DP_DNS_CAA)
			dp_obs_add_caa(o, a->owner, rr->flags, rr->tag, rr->data, rr->len, "fuzz",
			               0);
		else
			dp_obs_add_txt(o, a->owner, rr->data, rr->len, "fuzz", 0);
	(void)dp_obs_records(o, "a.example", &via);
	if (dp_obs_caa_view(o, a->qname, &v) == DP_OK)
		dp_obs_caa_view_free(&v);
	dp_obs_free(o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dp_arena *a = dp_arena_new();
	struct dp_dns_answer ans;
	char qname[1100];
	uint16_t qtype, id = size >= 2 ? (uint16_t)(data[0] << 8 | data[1]) : 0;

	if (a == NULL)
		return 0;
	question_of(data, size, qname, sizeof(qname), &qtype);
	if (dp_dns_parse(a, data, size, id, qname, qtype, &ans) == DP_OK) {
		(void)dp_dns_in_bailiwick(&ans, ans.zone != NULL ? ans.zone : "example");
		observe(&ans);
	}
	dp_arena_free(a);
	return 0;
}
