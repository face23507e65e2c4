/* SPDX-License-Identifier: BSD-3-Clause */
/* The report finished: findings and names worst first, each name's findings, the finding keys. */
#include "report/report_int.h"

#include <stdlib.h>
#include <string.h>

#include <ldns/sha2.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/strmap.h"

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int cmp_finding(const void *pa, const void *pb)
{
	const struct dp_finding *a = pa, *b = pb;
	int c;

	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	c = cmp_str(a->name, b->name);
	if (c != 0)
		return c;
	/* Within a name, the catalogue's order (record, inventory, lifetime, rules,
	 * CAA, DNS) puts a cause before its consequences; where the files happen
	 * to live must not decide which finding heads a report or a plugin line. */
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	c = cmp_str(a->file, b->file);
	if (c != 0)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	/* the same order whatever order they were added in: a merged report
	 * prints its findings as the one run over every name would (the
	 * message, since a report read back has no subjects) */
	return cmp_str(a->message, b->message);
}

static int cmp_name(const void *pa, const void *pb)
{
	const struct dp_report_name *a = *(const struct dp_report_name *const *)pa;
	const struct dp_report_name *b = *(const struct dp_report_name *const *)pb;

	if (a->worst != b->worst)
		return a->worst > b->worst ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* Give every name the list of its findings, in the global (worst-first) order. */
static enum dp_status index_findings(struct dp_report *r)
{
	for (size_t i = 0; i < r->n_findings; i++)
		((struct dp_report_name *)dp_strmap_get(r->by_name, r->findings[i].name))
		    ->n_findings++;
	for (size_t i = 0; i < r->n_names; i++) {
		struct dp_report_name *n = r->names[i];
		n->findings = dp_arena_alloc(r->arena, (n->n_findings + 1) * sizeof(*n->findings));
		if (n->findings == NULL)
			return DP_ENOMEM;
		n->n_findings = 0;
	}
	for (size_t i = 0; i < r->n_findings; i++) {
		struct dp_report_name *n = dp_strmap_get(r->by_name, r->findings[i].name);
		n->findings[n->n_findings++] = &r->findings[i];
	}
	return DP_OK;
}

/* Findings that only the key's fields tell apart, next to each other. */
static int cmp_identity(const struct dp_finding *a, const struct dp_finding *b)
{
	int c;

	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	c = strcmp(a->name, b->name);
	if (c != 0)
		return c;
	return strcmp(a->subject, b->subject);
}

/*
 * The key: SHA-256 of id, name and subject, and of the ordinal among
 * findings with the same three (identical records repeated), so that keys
 * are unique in a report yet independent of lines, order and wording.
 */
static void make_key(const struct dp_finding *f, unsigned ordinal, char key[DP_FINDING_KEY_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	const char *id = dp_finding_info(f->id)->id;
	unsigned char digest[LDNS_SHA256_DIGEST_LENGTH];
	struct dp_buf in = {0};

	/* id, name, subject and ordinal, each ended by a newline */
	dp_buf_adds(&in, id);
	dp_buf_addc(&in, '\n');
	dp_buf_adds(&in, f->name);
	dp_buf_addc(&in, '\n');
	dp_buf_adds(&in, f->subject);
	dp_buf_addc(&in, '\n');
	dp_buf_addc(&in, (char)('0' + ordinal % 10)); /* the ordinal, lowest digit first */
	for (unsigned o = ordinal / 10; o > 0; o /= 10)
		dp_buf_addc(&in, (char)('0' + o % 10));
	ldns_sha256((unsigned char *)(in.data ? in.data : ""), (unsigned)in.len, digest);
	dp_buf_free(&in);
	for (size_t i = 0; i < DP_FINDING_KEY_LEN / 2; i++) {
		key[2 * i] = hex[digest[i] >> 4];
		key[2 * i + 1] = hex[digest[i] & 15];
	}
	key[DP_FINDING_KEY_LEN] = '\0';
}

void dp_report_finding_key(const struct dp_report *r, size_t i, char key[DP_FINDING_KEY_LEN + 1])
{
	const struct dp_finding *f = &r->findings[i];
	const struct dp_report_name *n = dp_strmap_get(r->by_name, f->name);
	unsigned ordinal = 0;

	if (f->key != NULL) {
		memcpy(key, f->key, DP_FINDING_KEY_LEN + 1);
		return;
	}
	/* the identical ones sorted before it, among its name's (few) findings */
	for (size_t k = 0; n != NULL && k < n->n_findings && n->findings[k] != f; k++)
		ordinal += cmp_identity(n->findings[k], f) == 0;
	make_key(f, ordinal, key);
}

enum dp_status dp_report_finish(struct dp_report *r)
{
	if (r->n_findings > 0)
		qsort(r->findings, r->n_findings, sizeof(*r->findings), cmp_finding);
	if (r->n_names > 0)
		qsort(r->names, r->n_names, sizeof(*r->names), cmp_name);
	return index_findings(r);
}
