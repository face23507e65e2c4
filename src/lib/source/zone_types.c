/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Record type mnemonics a zone file may use, our own table so that a type
 * newer than the installed ldns (RESINFO, WALLET, DSYNC, BRID...) does not
 * make a zone unreadable when its records are only skipped. The data types
 * BIND 9 knows (lib/dns/rdata), meta types (OPT, TKEY, TSIG) left out.
 */
#include "source/zone_text.h"

#include <stdlib.h>
#include <string.h>

struct rrtype {
	const char *name; /* upper case */
	uint16_t code;
};

/* Sorted by name (byte order), for bsearch. */
static const struct rrtype rrtypes[] = {
    {"A", 1},         {"A6", 38},       {"AAAA", 28},       {"AFSDB", 18},   {"AMTRELAY", 260},
    {"APL", 42},      {"ATMA", 34},     {"AVC", 258},       {"BRID", 68},    {"CAA", 257},
    {"CDNSKEY", 60},  {"CDS", 59},      {"CERT", 37},       {"CNAME", 5},    {"CSYNC", 62},
    {"DHCID", 49},    {"DLV", 32769},   {"DNAME", 39},      {"DNSKEY", 48},  {"DOA", 259},
    {"DS", 43},       {"DSYNC", 66},    {"EID", 31},        {"EUI48", 108},  {"EUI64", 109},
    {"GPOS", 27},     {"HHIT", 67},     {"HINFO", 13},      {"HIP", 55},     {"HTTPS", 65},
    {"IPSECKEY", 45}, {"ISDN", 20},     {"KEY", 25},        {"KX", 36},      {"L32", 105},
    {"L64", 106},     {"LOC", 29},      {"LP", 107},        {"MB", 7},       {"MD", 3},
    {"MF", 4},        {"MG", 8},        {"MINFO", 14},      {"MR", 9},       {"MX", 15},
    {"NAPTR", 35},    {"NID", 104},     {"NIMLOC", 32},     {"NINFO", 56},   {"NS", 2},
    {"NSAP", 22},     {"NSAP-PTR", 23}, {"NSEC", 47},       {"NSEC3", 50},   {"NSEC3PARAM", 51},
    {"NULL", 10},     {"NXT", 30},      {"OPENPGPKEY", 61}, {"PTR", 12},     {"PX", 26},
    {"RESINFO", 261}, {"RKEY", 57},     {"RP", 17},         {"RRSIG", 46},   {"RT", 21},
    {"SIG", 24},      {"SINK", 40},     {"SMIMEA", 53},     {"SOA", 6},      {"SPF", 99},
    {"SRV", 33},      {"SSHFP", 44},    {"SVCB", 64},       {"TA", 32768},   {"TALINK", 58},
    {"TLSA", 52},     {"TXT", 16},      {"URI", 256},       {"WALLET", 262}, {"WKS", 11},
    {"X25", 19},      {"ZONEMD", 63},
};

struct key {
	const char *p;
	size_t len;
};

static int cmp(const void *k, const void *e)
{
	const struct key *key = k;
	const char *name = ((const struct rrtype *)e)->name;
	size_t i = 0;

	for (; i < key->len && name[i] != '\0'; i++) {
		unsigned char c = (unsigned char)key->p[i];
		if (c >= 'a' && c <= 'z')
			c = (unsigned char)(c - 'a' + 'A');
		if (c != (unsigned char)name[i])
			return c < (unsigned char)name[i] ? -1 : 1;
	}
	if (i < key->len)
		return 1;
	return name[i] == '\0' ? 0 : -1;
}

uint16_t zone_type_by_name(const char *p, size_t len)
{
	struct key k = {p, len};
	const struct rrtype *t =
	    bsearch(&k, rrtypes, sizeof(rrtypes) / sizeof(*rrtypes), sizeof(*rrtypes), cmp);

	return t ? t->code : 0;
}
