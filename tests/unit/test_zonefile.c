/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for the zone-file reader: syntax, kept records, errors with positions. */
#include "cmocka_wrap.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "source/zonefile.h"

/* Each kept record as one line: "line owner TYPE data". */
struct collect {
	struct dp_buf out;
	size_t n;
	uint32_t ttl; /* of the last record */
};

static enum dp_status collect_cb(const struct dp_zrr *rr, void *ctx, struct dp_error *err)
{
	struct collect *c = ctx;

	(void)err;
	c->n++;
	c->ttl = rr->ttl;
	dp_buf_addf(&c->out, "%lu %s ", rr->line, rr->owner);
	if (rr->type == DP_RR_TXT) {
		dp_buf_addf(&c->out, "TXT %zu ", rr->txt_strings);
		dp_buf_add_escaped(&c->out, rr->txt, rr->txt_len);
	} else if (rr->type == DP_RR_CAA) {
		dp_buf_addf(&c->out, "CAA %u %s ", rr->caa_flags, rr->caa_tag);
		dp_buf_add_escaped(&c->out, rr->caa_value, rr->caa_value_len);
	} else {
		dp_buf_addf(&c->out, "CNAME %s", rr->target);
	}
	dp_buf_addc(&c->out, '\n');
	return DP_OK;
}

static enum dp_status read_text(const char *name, const char *text, const char *origin,
                                struct collect *c, struct dp_error *err)
{
	struct dp_zone_opts opts = {.origin = origin, .no_include = true};
	memset(c, 0, sizeof(*c));
	return dp_zone_read_mem(name, text, strlen(text), &opts, collect_cb, c, err);
}

static void test_kept_records(void **state)
{
	static const char zone[] = "$ORIGIN example.com.\n"
	                           "$TTL 1h\n"
	                           "@ IN SOA ns1 host ( 1 2 3\n"
	                           "                   4 5 ) ; comment\n"
	                           "  IN CAA 0 issue \"letsencrypt.org\"\n"
	                           "www 300 IN A 192.0.2.1\n"
	                           "_validation-persist IN TXT \"a; b\" \"c\" ; joined\n"
	                           "_validation-persist.WWW 60 TXT ( \"multi\"\n"
	                           "   \"line\" )\n"
	                           "_VALIDATION-PERSIST.api.example.com. IN 60 TXT unquoted\n"
	                           "other TXT \"not kept\"\n"
	                           "_validation-persist.esc TXT \"q\\\"s\\\\b\\059\\255\"\n"
	                           "alias CNAME target\n"
	                           "alias2 CNAME target.example.net.\n"
	                           "_validation-persist.gen TYPE16 \\# 6 03616263 0164\n"
	                           "caagen CAA \\# 11 80 05 6973737565 63612e78\n"
	                           "chaos CH TXT \"x\"\n"
	                           "_validation-persist.chaos CH TXT \"x\"\n"
	                           "$ORIGIN sub.example.com.\n"
	                           "_validation-persist TXT \"sub\"\n";
	static const char want[] = "5 example.com CAA 0 issue letsencrypt.org\n"
	                           "7 _validation-persist.example.com TXT 2 a; bc\n"
	                           "8 _validation-persist.www.example.com TXT 2 multiline\n"
	                           "10 _validation-persist.api.example.com TXT 1 unquoted\n"
	                           "12 _validation-persist.esc.example.com TXT 1 q\"s\\x5cb;\\xff\n"
	                           "13 alias.example.com CNAME target.example.com\n"
	                           "14 alias2.example.com CNAME target.example.net\n"
	                           "15 _validation-persist.gen.example.com TXT 2 abcd\n"
	                           "16 caagen.example.com CAA 128 issue ca.x\n"
	                           "20 _validation-persist.sub.example.com TXT 1 sub\n";
	struct collect c;
	struct dp_error err = {0};
	struct dp_zone_stats stats = {0};
	struct dp_zone_opts opts = {.stats = &stats};

	(void)state;
	assert_int_equal(read_text("t.zone", zone, NULL, &c, &err), DP_OK);
	assert_string_equal(c.out.data, want);
	dp_buf_free(&c.out);
	memset(&c, 0, sizeof(c));
	assert_int_equal(dp_zone_read_mem("t", zone, sizeof(zone) - 1, &opts, collect_cb, &c, &err),
	                 DP_OK);
	assert_int_equal(stats.entries, 15);
	assert_int_equal(stats.kept, 10);
	dp_buf_free(&c.out);
}

static void test_all_txt_and_origin(void **state)
{
	struct collect c;
	struct dp_error err = {0};
	struct dp_zone_opts opts = {.all_txt = true};

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(
	    dp_zone_read_mem("example.org.zone", "x TXT \"y\"\n", 10, &opts, collect_cb, &c, &err),
	    DP_OK);
	assert_string_equal(c.out.data, "1 x.example.org TXT 1 y\n");
	dp_buf_free(&c.out);
	/* --origin overrides the file name; "." is the root */
	assert_int_equal(
	    read_text("example.org.zone", "c CAA 0 issue \";\"\n", "example.net", &c, &err), DP_OK);
	assert_string_equal(c.out.data, "1 c.example.net CAA 0 issue ;\n");
	dp_buf_free(&c.out);
	assert_int_equal(read_text("z", "c CAA 0 issue \"x\"\n", ".", &c, &err), DP_OK);
	assert_string_equal(c.out.data, "1 c CAA 0 issue x\n");
	dp_buf_free(&c.out);
	/* no trailing newline, CRLF line ends */
	assert_int_equal(
	    read_text("z", "a.b. CAA 0 issue \"x\"\r\nc.d. CAA 0 iodef y", NULL, &c, &err), DP_OK);
	assert_int_equal(c.n, 2);
	dp_buf_free(&c.out);
}

struct ecase {
	const char *text;
	unsigned long line, col;
	const char *msg_has;
};

static void test_errors(void **state)
{
	static const struct ecase cases[] = {
	    {"a TXT \"x\"\nb FOO x\n", 2, 3, "unknown record type"},
	    {"_validation-persist TXT \"abc\n", 1, 25, "end of the line"},
	    {"a TXT ( \"x\"\n\"y\"\n", 1, 0, "never closed"},
	    {"a TXT \"x\" )\n", 1, 11, "without '('"},
	    {"a TXT ( ( \"x\" ) )\n", 1, 9, "nested"},
	    {"a 1x TXT \"x\"\n", 1, 3, "bad TTL"},
	    {"a 99999999999 TXT \"x\"\n", 1, 3, "bad TTL"},
	    /* one head grammar for skipped and kept entries: a second TTL is no type */
	    {"a 60 60 A 192.0.2.1\n", 1, 6, "unknown record type '60'"},
	    {"a 60 IN 60 TXT \"x\"\n", 1, 9, "unknown record type '60'"},
	    {"  TXT \"x\"\n", 1, 3, "without an owner"},
	    {"a IN\n", 1, 0, "without a type"},
	    {"$INCLUDE other.zone\n", 1, 1, "not allowed"},
	    {"$FOO 1-2 a A 1.2.3.4\n", 1, 1, "unsupported directive '$FOO'"},
	    {"$TTL abc\n", 1, 1, "$TTL"},
	    {"$ORIGIN\n", 1, 1, "$ORIGIN"},
	    {"_validation-persist TXT \"\\999\"\n", 1, 25, "bad escape"},
	    {"a..b CAA 0 issue x\n", 1, 1, "empty label"},
	    {"a CAA 256 issue x\n", 1, 7, "flags"},
	    {"a CAA 0 is-sue x\n", 1, 9, "tag"},
	    {"a CAA 0 issue a b\n", 1, 7, "one value"},
	    {"a CAA \\# 3 0005\n", 1, 7, "length"},
	    {"a CAA \\# 2 0099\n", 1, 7, "CAA generic"},
	    {"_validation-persist TXT \\# 2 05ab\n", 1, 25, "overruns"},
	    {"_validation-persist TXT \\# 1 zz\n", 1, 30, "hexadecimal"},
	    {"a CNAME b c\n", 1, 9, "exactly one"},
	    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa CNAME b\n", 1, 1,
	     "63"},
	};
	struct collect c;
	struct dp_error err;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		dp_error_clear(&err);
		enum dp_status st = read_text("t.zone", cases[i].text, "example.com", &c, &err);
		dp_buf_free(&c.out);
		if (st == DP_OK)
			fail_msg("case %zu accepted: %s", i, cases[i].text);
		if (err.line != cases[i].line || err.col != cases[i].col ||
		    strstr(err.msg, cases[i].msg_has) == NULL || strcmp(err.file, "t.zone") != 0)
			fail_msg("case %zu: got %s:%lu:%lu: %s", i, err.file, err.line, err.col,
			         err.msg);
	}
}

static void test_long_txt_string(void **state)
{
	struct dp_buf z = {0};
	struct collect c;
	struct dp_error err;

	(void)state;
	dp_buf_adds(&z, "_validation-persist TXT \"");
	for (int i = 0; i < 256; i++)
		dp_buf_addc(&z, 'x');
	dp_buf_adds(&z, "\"\n");
	assert_int_equal(read_text("t.zone", z.data, "example.com", &c, &err), DP_ESYNTAX);
	assert_non_null(strstr(err.msg, "at most 255"));
	dp_buf_free(&c.out);
	dp_buf_free(&z);
}

static void test_no_origin(void **state)
{
	struct collect c;
	struct dp_error err;

	(void)state;
	/* a file name that gives no origin: only an error once a relative name appears */
	assert_int_equal(read_text("zone.txt", "a.example. CAA 0 issue x\n", NULL, &c, &err),
	                 DP_OK);
	dp_buf_free(&c.out);
	assert_int_equal(read_text("zone.txt", "a CAA 0 issue x\n", NULL, &c, &err), DP_ENOORIGIN);
	assert_non_null(strstr(err.msg, "--origin"));
	assert_int_equal(err.line, 1);
	dp_buf_free(&c.out);
}

static void test_origin_from_filename(void **state)
{
	static const struct {
		const char *path, *want;
	} cases[] = {
	    {"zones/example.com.zone", "example.com"},
	    {"db.example.com", "example.com"},
	    {"/x/example.com.db", "example.com"},
	    {"example.com", "example.com"},
	    {"zone.txt", NULL},
	    {"zone", NULL},
	    {"example.com.signed", NULL},
	    {"Example.COM.zone", "example.com"},
	};
	char out[DP_NAME_MAX];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		bool ok = dp_zone_origin_from_filename(cases[i].path, out);
		if (ok != (cases[i].want != NULL))
			fail_msg("%s: got %d", cases[i].path, ok);
		if (ok)
			assert_string_equal(out, cases[i].want);
	}
}

static void add_labels(struct dp_buf *b, const int *sizes, size_t n, char c)
{
	for (size_t i = 0; i < n && sizes[i] > 0; i++) {
		if (i > 0)
			dp_buf_addc(b, '.');
		for (int k = 0; k < sizes[i]; k++)
			dp_buf_addc(b, c);
	}
}

/* A NUL before a class or type makes it no class or type: refused, the NUL shown as \000. */
static void test_nul_in_head(void **state)
{
	static const struct {
		const char text[16];
		size_t len;
		unsigned long col;
		const char *msg;
	} cases[] = {
	    {"a \0IN TXT x\n", 12, 3, "unknown record type '\\000IN'"},
	    {"a IN \0\0TXT x\n", 13, 6, "unknown record type '\\000\\000TXT'"},
	    {"a IN \0A 1.2.3.4", 15, 6, "unknown record type '\\000A'"},
	};
	struct dp_zone_opts opts = {.origin = "example.com", .no_include = true};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct collect c;
		struct dp_error err;
		enum dp_status st;
		memset(&c, 0, sizeof(c));
		dp_error_clear(&err);
		st = dp_zone_read_mem("t.zone", cases[i].text, cases[i].len, &opts, collect_cb, &c,
		                      &err);
		dp_buf_free(&c.out);
		if (st != DP_ESYNTAX || err.line != 1 || err.col != cases[i].col ||
		    strstr(err.msg, cases[i].msg) == NULL)
			fail_msg("case %zu: %d %lu:%lu: %s", i, st, err.line, err.col, err.msg);
	}
}

/* Owner names: at most 255 octets on the wire, relative part and origin together. */
static void test_name_bounds(void **state)
{
	static const struct {
		int owner[4];
		bool absolute;
		int origin; /* one label of this many octets under "example"; 0: "example" */
		const char *msg_has; /* NULL: accepted */
	} cases[] = {
	    {{63, 63, 63, 60}, true, 0, NULL}, /* 253 characters: the one-pass reading */
	    {{63, 63, 63, 61}, true, 0, NULL}, /* 254: the octet-by-octet one */
	    {{63, 63, 63, 62}, true, 0, "name longer than 255 octets: 'aaaa"},
	    {{63, 63, 63, 63}, true, 0, "name longer than 255 octets: 'aaaa"},
	    {{63, 63, 63, 63}, false, 0, "name longer than 255 octets: 'aaaa"},
	    /* relative, 253 characters (one pass) and 254 (octet by octet), origin too long */
	    {{63, 63, 63, 61}, false, 0, "name longer than 255 octets with the origin"},
	    {{63, 63, 63, 62}, false, 0, "name longer than 255 octets: 'aaaa"},
	    {{63, 63, 63}, false, 53, NULL},
	    {{63, 63, 63}, false, 54, "name longer than 255 octets with the origin"},
	    {{63, 63, 63}, false, 63, "name longer than 255 octets with the origin"},
	};
	struct collect c;
	struct dp_error err;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct dp_buf z = {0};
		if (cases[i].origin > 0) {
			int o[1] = {cases[i].origin};
			dp_buf_adds(&z, "$ORIGIN ");
			add_labels(&z, o, 1, 'b');
			dp_buf_adds(&z, ".example.\n");
		}
		add_labels(&z, cases[i].owner, 4, 'a');
		dp_buf_adds(&z, cases[i].absolute ? ". CAA 0 issue x\n" : " CAA 0 issue x\n");
		dp_error_clear(&err);
		enum dp_status st = read_text("t.zone", z.data, "example", &c, &err);
		dp_buf_free(&c.out);
		dp_buf_free(&z);
		if (cases[i].msg_has == NULL
		        ? st != DP_OK
		        : st != DP_ESYNTAX || strstr(err.msg, cases[i].msg_has) == NULL ||
		              err.col != 1)
			fail_msg("case %zu: %d %lu:%lu: %s", i, st, err.line, err.col, err.msg);
	}
}

/* RDATA: at most 65,535 octets (length octets of TXT strings included). */
static void test_rdata_bounds(void **state)
{
	struct dp_buf z = {0};
	struct collect c;
	struct dp_error err;

	(void)state;
	/* 255 strings of 255 octets: 65,280 octets, accepted; 257: 65,792, refused */
	for (int strings = 255; strings <= 257; strings += 2) {
		dp_buf_reset(&z);
		dp_buf_adds(&z, "_validation-persist TXT (\n");
		for (int i = 0; i < strings; i++) {
			dp_buf_addc(&z, '"');
			for (int k = 0; k < 255; k++)
				dp_buf_addc(&z, 'x');
			dp_buf_adds(&z, "\"\n");
		}
		dp_buf_adds(&z, ")\n");
		enum dp_status st = read_text("t.zone", z.data, "example.com", &c, &err);
		dp_buf_free(&c.out);
		if (strings == 255) {
			assert_int_equal(st, DP_OK);
			continue;
		}
		assert_int_equal(st, DP_ESYNTAX);
		assert_non_null(strstr(err.msg, "TXT RDATA longer than 65535 octets"));
		assert_int_equal(err.line, 257); /* the 256th string: 65,536 octets */
	}
	dp_buf_reset(&z);
	dp_buf_adds(&z, "a CAA 0 issue \"");
	for (int k = 0; k < 65534; k++)
		dp_buf_addc(&z, 'x');
	dp_buf_adds(&z, "\"\n");
	assert_int_equal(read_text("t.zone", z.data, "example.com", &c, &err), DP_ESYNTAX);
	assert_non_null(strstr(err.msg, "CAA RDATA longer than 65535 octets"));
	dp_buf_free(&c.out);
	dp_buf_free(&z);
}

/* A UTF-8 byte order mark at the start of a file is skipped. */
static void test_bom(void **state)
{
	struct collect c;
	struct dp_error err;

	(void)state;
	assert_int_equal(read_text("t.zone",
	                           "\xef\xbb\xbf$ORIGIN example.com.\n"
	                           "_validation-persist TXT \"bom\"\n",
	                           NULL, &c, &err),
	                 DP_OK);
	assert_string_equal(c.out.data, "2 _validation-persist.example.com TXT 1 bom\n");
	dp_buf_free(&c.out);
	assert_int_equal(read_text("t.zone", "\xef\xbb\xbf", "example.com", &c, &err), DP_OK);
	dp_buf_free(&c.out);
	/* columns count from after the mark; one elsewhere is an escaped error */
	assert_int_equal(read_text("t.zone",
	                           "\xef\xbb\xbf"
	                           "a FOO x\n",
	                           "example.com", &c, &err),
	                 DP_ESYNTAX);
	assert_int_equal(err.col, 3);
	dp_buf_free(&c.out);
	assert_int_equal(read_text("t.zone",
	                           "a TXT x\nb \xef\xbb\xbf"
	                           "A 1\n",
	                           "example.com", &c, &err),
	                 DP_ESYNTAX);
	assert_non_null(strstr(err.msg, "unknown record type '\\239\\187\\191A'"));
	dp_buf_free(&c.out);
}

/* A CNAME holds no other data (RFC 1034 3.6.2): the second record is the error. */
static void test_cname_and_other_data(void **state)
{
	static const struct {
		const char *text;
		unsigned long line; /* 0: accepted */
		const char *msg_has;
	} cases[] = {
	    {"a CNAME b\na A 192.0.2.1\n", 2,
	     "data beside a CNAME at 'a.example.com' (the first on line 1)"},
	    {"a A 192.0.2.1\n  CNAME b\n", 2, "a CNAME beside other data at 'a.example.com'"},
	    {"a CNAME b\na CNAME c\n", 2, "a second CNAME"},
	    {"a CNAME b\n  MX 10 mail\n", 2, "data beside a CNAME"},
	    {"a CNAME b\nx A 192.0.2.1\na CAA 0 issue x\n", 3, "data beside a CNAME"},
	    {"_validation-persist TXT \"x\"\nfoo A 192.0.2.1\n_validation-persist CNAME t\n", 3,
	     "a CNAME beside other data at '_validation-persist.example.com'"},
	    {"a CNAME b\na.example.com. CAA 0 issue x\n", 2, "data beside a CNAME"},
	    {"A.example.com. CNAME b\nx A 192.0.2.1\na CNAME c\n", 3, "a second CNAME"},
	    /* DNSSEC records sit beside a CNAME; other classes and owners do not count */
	    {"a CNAME b\na RRSIG CNAME 8 3 300 20260101000000 20250101000000 1 example.com. AA==\n"
	     "  NSEC c A\n",
	     0, NULL},
	    {"a CNAME b\na CH TXT \"x\"\n", 0, NULL},
	    {"a CNAME b\nb A 192.0.2.1\n", 0, NULL},
	    {"a CNAME b\n$ORIGIN sub.example.com.\na A 192.0.2.1\n", 0, NULL},
	};
	struct collect c;
	struct dp_error err;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		dp_error_clear(&err);
		enum dp_status st = read_text("t.zone", cases[i].text, "example.com", &c, &err);
		dp_buf_free(&c.out);
		if (cases[i].line == 0 ? st != DP_OK
		                       : st != DP_ESYNTAX || err.line != cases[i].line ||
		                             strstr(err.msg, cases[i].msg_has) == NULL)
			fail_msg("case %zu: %d %lu: %s", i, st, err.line, err.msg);
	}
}

/* Zones BIND reads that the reader refused (issue 10): one case per construct. */
static void test_bind_compat(void **state)
{
	static const struct {
		const char *text, *origin, *want;
	} cases[] = {
	    /* types newer than ldns, skipped */
	    {"a RESINFO qnamemin\na WALLET BTC x\na DSYNC CDS 1 5359 ns\na BRID AA==\n"
	     "a HHIT AA==\na TYPE65280 \\# 0\n_validation-persist TXT ok\n",
	     "example.com", "7 _validation-persist.example.com TXT 1 ok\n"},
	    /* TXT in the generic form, in parentheses over two lines */
	    {"_validation-persist TXT ( \\# 8\n 03616263 03646566 )\n", "example.com",
	     "1 _validation-persist.example.com TXT 2 abcdef\n"},
	    {"$DATE 20250101120000\n_validation-persist TXT x\n", "example.com",
	     "2 _validation-persist.example.com TXT 1 x\n"},
	    /* a classless reverse zone's origin */
	    {"@ CAA 0 issue x\n", "0/25.2.0.192.in-addr.arpa",
	     "1 0\\04725.2.0.192.in-addr.arpa CAA 0 issue x\n"},
	    {"@ CAA 0 issue x\n", "Example.COM.", "1 example.com CAA 0 issue x\n"},
	    /* $GENERATE: $, ${offset,width,base}, $$, \$, nibbles, a quoted rhs */
	    {"$GENERATE 1-3 _validation-persist.h$ TXT \"acct=$\"\n", "example.com",
	     "1 _validation-persist.h1.example.com TXT 1 acct=1\n"
	     "1 _validation-persist.h2.example.com TXT 1 acct=2\n"
	     "1 _validation-persist.h3.example.com TXT 1 acct=3\n"},
	    {"\n$GENERATE 0-2/2 _validation-persist.x${1,3,d} 60 IN TXT v\\$$$${0,2,x}\n",
	     "example.com",
	     "2 _validation-persist.x001.example.com TXT 1 v$$00\n"
	     "2 _validation-persist.x003.example.com TXT 1 v$$02\n"},
	    {"$GENERATE 10-11 c${0,3,n} CNAME t${-10,1,X}.example.net.\n", "example.com",
	     "1 ca.0.example.com CNAME t0.example.net\n1 cb.0.example.com CNAME t1.example.net\n"},
	    {"$GENERATE 1-2 c$ CAA \"0 issue ca$.example\"\n", "example.com",
	     "1 c1.example.com CAA 0 issue ca1.example\n1 c2.example.com CAA 0 issue "
	     "ca2.example\n"},
	    {"$GENERATE 1-65536 host$ A 192.0.2.1\n", "example.com", ""},
	};
	struct collect c;
	struct dp_error err;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		dp_error_clear(&err);
		enum dp_status st = read_text("t.zone", cases[i].text, cases[i].origin, &c, &err);
		if (st != DP_OK || strcmp(c.out.data ? c.out.data : "", cases[i].want) != 0)
			fail_msg("case %zu: %d %lu:%lu: %s\n%s", i, st, err.line, err.col, err.msg,
			         c.out.data ? c.out.data : "");
		dp_buf_free(&c.out);
	}
}

static void test_generate_errors(void **state)
{
	static const struct ecase cases[] = {
	    {"$GENERATE 1-65537 a$ TXT x\n", 1, 11, "$GENERATE of 65537 records (at most 65536)"},
	    {"$GENERATE 2-1 a TXT x\n", 1, 1, "usage: $GENERATE"},
	    {"$GENERATE 1-2/0 a TXT x\n", 1, 1, "usage: $GENERATE"},
	    {"$GENERATE 1-2 a$ TXT\n", 1, 1, "usage: $GENERATE"},
	    {"$GENERATE 1-2 a${1,2,q} TXT x\n", 1, 0, "bad ${offset,width,base}"},
	    {"$GENERATE 1-2 a${1 TXT x\n", 1, 0, "bad ${offset,width,base}"},
	    {"$GENERATE 1-2 $$INCLUDE TXT x\n", 1, 0, "cannot be a directive: '$INCLUDE'"},
	    {"$GENERATE 1-2 c$ CAA 0 issue x\n", 1, 24, "takes one rhs"},
	    {"$GENERATE 1-2 a$ FOO x\n", 1, 18, "unknown record type 'FOO'"},
	    {"$GENERATE 1-2 _validation-persist.a$ TXT \"(x\"\n", 1, 0,
	     "$GENERATE: '(' is never closed"},
	    {"$GENERATE 1-2 a$ CAA \"0 issue\"\n", 1, 0, "$GENERATE: CAA needs flags"},
	    {"$DATE 2025\n", 1, 1, "usage: $DATE"},
	    {"a 4294967296 TXT x\n", 1, 3, "bad TTL"},
	};
	struct collect c;
	struct dp_error err;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		dp_error_clear(&err);
		enum dp_status st = read_text("t.zone", cases[i].text, "example.com", &c, &err);
		dp_buf_free(&c.out);
		if (st == DP_OK || err.line != cases[i].line || err.col != cases[i].col ||
		    strstr(err.msg, cases[i].msg_has) == NULL)
			fail_msg("case %zu: %d %s:%lu:%lu: %s", i, st, err.file, err.line, err.col,
			         err.msg);
	}
}

/* TTLs above 2^31-1 read as 0 (RFC 2181, BIND), and are counted. */
static void test_big_ttl(void **state)
{
	struct dp_zone_stats stats = {0};
	struct dp_zone_opts opts = {.origin = "example.com", .stats = &stats};
	struct collect c = {0};
	struct dp_error err = {0};
	static const char zone[] = "_validation-persist 4294967295 TXT x\n"
	                           "a 2147483648 A 192.0.2.1\n"
	                           "$TTL 3000000000\n_validation-persist.b TXT y\n"
	                           "$GENERATE 1-20 h$ A 192.0.2.1\n";

	(void)state;
	assert_int_equal(
	    dp_zone_read_mem("t.zone", zone, sizeof(zone) - 1, &opts, collect_cb, &c, &err), DP_OK);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.ttl, 0);
	assert_int_equal(stats.big_ttls, 3);
	assert_int_equal(stats.entries, 23);
	assert_int_equal(stats.guessed_origins, 0);
	dp_buf_free(&c.out);
	memset(&c, 0, sizeof(c));
	opts.origin = NULL;
	assert_int_equal(dp_zone_read_mem("example.com.zone", "@ CAA 0 issue x\n", 16, &opts,
	                                  collect_cb, &c, &err),
	                 DP_OK);
	assert_int_equal(stats.guessed_origins, 1);
	dp_buf_free(&c.out);
}

/* ---- files: $INCLUDE, loops, refills ---- */

static char tmpdir[64];

static void write_file(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static enum dp_status read_path_opts(const char *name, const struct dp_zone_opts *opts,
                                     struct collect *c, struct dp_error *err)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	memset(c, 0, sizeof(*c));
	dp_error_clear(err);
	return dp_zone_read_file(path, opts, collect_cb, c, err);
}

static enum dp_status read_path(const char *name, struct collect *c, struct dp_error *err)
{
	return read_path_opts(name, NULL, c, err);
}

static void make_dir(const char *name)
{
	char d[256];

	snprintf(d, sizeof(d), "%s/%s", tmpdir, name);
	assert_int_equal(mkdir(d, 0700), 0);
}

/* No control character, DEL or non-ASCII byte in a message or file name. */
static void assert_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			fail_msg("unescaped byte 0x%02x in message", (unsigned char)*s);
}

static int setup_dir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/dp-zonetest-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_include(void **state)
{
	struct collect c;
	struct dp_error err = {0};

	(void)state;
	write_file("example.com.zone", "a CAA 0 issue \"x\"\n"
	                               "$INCLUDE inc/sub.inc sub.example.com.\n"
	                               "b CAA 0 issue \"y\"\n"
	                               "  CAA 0 issue \"z\"\n");
	{
		char d[128];
		snprintf(d, sizeof(d), "%s/inc", tmpdir);
		assert_int_equal(mkdir(d, 0700), 0);
	}
	write_file("inc/sub.inc", "\n_validation-persist TXT \"in sub\"\n");
	assert_int_equal(read_path("example.com.zone", &c, &err), DP_OK);
	assert_string_equal(c.out.data, "1 a.example.com CAA 0 issue x\n"
	                                "2 _validation-persist.sub.example.com TXT 1 in sub\n"
	                                "3 b.example.com CAA 0 issue y\n"
	                                "4 b.example.com CAA 0 issue z\n");
	dp_buf_free(&c.out);
	/* an error inside the included file names that file */
	write_file("inc/sub.inc", "x BOGUS y\n");
	assert_int_equal(read_path("example.com.zone", &c, &err), DP_ESYNTAX);
	assert_non_null(strstr(err.file, "inc/sub.inc"));
	assert_int_equal(err.line, 1);
	dp_buf_free(&c.out);
	/* loops and missing files */
	write_file("loop.zone", "$ORIGIN l.\n$INCLUDE loop.zone\n");
	assert_int_equal(read_path("loop.zone", &c, &err), DP_ESYNTAX);
	assert_non_null(strstr(err.msg, "loop"));
	dp_buf_free(&c.out);
	write_file("missing.zone", "$ORIGIN m.\n$INCLUDE nowhere.zone\n");
	assert_int_equal(read_path("missing.zone", &c, &err), DP_ESYNTAX);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.msg, "nowhere.zone"));
	dp_buf_free(&c.out);
	assert_int_equal(read_path("does-not-exist.zone", &c, &err), DP_EIO);
	assert_int_equal(read_path("inc", &c, &err), DP_EIO);
	dp_buf_free(&c.out);
}

/* $INCLUDE stays below the top file's directory and reads regular files only. */
static void test_include_confined(void **state)
{
	static const struct {
		const char *text, *msg_has;
		bool anywhere_ok; /* accepted with include_anywhere */
	} cases[] = {
	    {"$INCLUDE ../outside.zone\n", "outside the top zone file's directory", true},
	    {"$INCLUDE link.zone\n", "outside the top zone file's directory", true},
	    {"$INCLUDE sub/../../outside.zone\n", "outside", true},
	    {"$INCLUDE /dev/null\n", "outside", false},
	    {"$INCLUDE fifo.zone\n", "not a regular file", false},
	    {"$INCLUDE sub\n", "a directory", false},
	    {"$INCLUDE /proc/self/environ\n", "outside", false},
	};
	struct dp_zone_opts anywhere = {.include_anywhere = true};
	struct collect c;
	struct dp_error err;
	char path[256], target[256];

	(void)state;
	make_dir("z");
	make_dir("z/sub");
	write_file("outside.zone", "$ORIGIN example.net.\nsecret CAA 0 issue \"x\"\n");
	snprintf(path, sizeof(path), "%s/z/link.zone", tmpdir);
	snprintf(target, sizeof(target), "%s/outside.zone", tmpdir);
	assert_int_equal(symlink(target, path), 0);
	snprintf(path, sizeof(path), "%s/z/fifo.zone", tmpdir);
	assert_int_equal(mkfifo(path, 0600), 0);
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		write_file("z/example.com.zone", cases[i].text);
		enum dp_status st = read_path("z/example.com.zone", &c, &err);
		dp_buf_free(&c.out);
		if (st != DP_ESYNTAX || err.line != 1 || err.col != 10 ||
		    strstr(err.msg, cases[i].msg_has) == NULL)
			fail_msg("case %zu: %d %s:%lu:%lu: %s", i, st, err.file, err.line, err.col,
			         err.msg);
		st = read_path_opts("z/example.com.zone", &anywhere, &c, &err);
		dp_buf_free(&c.out);
		if ((st == DP_OK) != cases[i].anywhere_ok)
			fail_msg("case %zu with include_anywhere: %d %s", i, st, err.msg);
		/* never a byte of /proc or /sys in a message */
		if (st != DP_OK && strstr(err.msg, "=") != NULL)
			fail_msg("case %zu: file content in the message: %s", i, err.msg);
	}
	/* inside the directory, through a symbolic link that stays inside: read */
	write_file("z/sub/in.zone", "_validation-persist TXT \"in\"\n");
	snprintf(path, sizeof(path), "%s/z/in-link.zone", tmpdir);
	assert_int_equal(symlink("sub/in.zone", path), 0);
	write_file("z/example.com.zone", "$INCLUDE in-link.zone\n$INCLUDE sub/in.zone x\n");
	assert_int_equal(read_path("z/example.com.zone", &c, &err), DP_OK);
	assert_string_equal(c.out.data, "1 _validation-persist.example.com TXT 1 in\n"
	                                "1 _validation-persist.x.example.com TXT 1 in\n");
	dp_buf_free(&c.out);
}

/* What a message quotes from a file (tokens, file names) is escaped, once. */
static void test_messages_escaped(void **state)
{
	static const struct {
		const char *text, *msg_has;
	} cases[] = {
	    {"a \033]0;title\007 x\n", "unknown record type '\\027]0'"},
	    {"a CAA 0 \xff\xfe x\n", "tag must be 1-15 letters and digits, not '\\255\\254'"},
	    {"\033[31m. FOO x\n", "unknown record type 'FOO'"},
	    {"$INCLUDE \"\\027[2Jx\"\n", "/\\027[2Jx: cannot open"},
	};
	struct collect c;
	struct dp_error err;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		write_file("example.com.zone", cases[i].text);
		enum dp_status st = read_path("example.com.zone", &c, &err);
		dp_buf_free(&c.out);
		if (st == DP_OK || strstr(err.msg, cases[i].msg_has) == NULL)
			fail_msg("case %zu: %d %s", i, st, err.msg);
		assert_printable(err.msg);
		assert_printable(err.file);
	}
	/* a file name with an escape sequence, named in err.file */
	write_file("inc\033[1m.zone", "x FOO y\n");
	write_file("example.com.zone", "$INCLUDE \"inc\\027[1m.zone\"\n");
	assert_int_equal(read_path("example.com.zone", &c, &err), DP_ESYNTAX);
	assert_non_null(strstr(err.file, "inc\\027[1m.zone"));
	assert_printable(err.file);
	dp_buf_free(&c.out);
	assert_int_equal(read_text("t\033.zone", "a\001 CAA 0 issue x\n", "example.com", &c, &err),
	                 DP_OK);
	dp_buf_free(&c.out);
	assert_int_equal(read_text("t\033.zone", "a\001 FOO x\n", "example.com", &c, &err),
	                 DP_ESYNTAX);
	assert_string_equal(err.file, "t\\027.zone");
	dp_buf_free(&c.out);
}

/* A file given or included twice in one scope is read once; other scopes read it again. */
static void test_repeats(void **state)
{
	struct dp_zone_stats stats = {0};
	struct dp_zone_opts opts = {.stats = &stats};
	struct collect c = {0};
	struct dp_error err = {0};
	char path[256];
	const char *paths[3] = {path, path, path};

	(void)state;
	write_file("inc.zone", "_validation-persist TXT \"r\"\n");
	write_file("example.com.zone", "$INCLUDE inc.zone\n$INCLUDE inc.zone\n"
	                               "$INCLUDE inc.zone sub\n$INCLUDE ./inc.zone sub\n"
	                               "www A 192.0.2.1\n$INCLUDE inc.zone\n");
	snprintf(path, sizeof(path), "%s/example.com.zone", tmpdir);
	assert_int_equal(dp_zone_read_files(paths, 3, &opts, collect_cb, &c, &err), DP_OK);
	/* the last include inherits the owner www (BIND): another scope, read again */
	assert_string_equal(c.out.data, "1 _validation-persist.example.com TXT 1 r\n"
	                                "1 _validation-persist.sub.example.com TXT 1 r\n"
	                                "1 _validation-persist.example.com TXT 1 r\n");
	assert_int_equal(stats.files, 4);
	assert_int_equal(stats.repeats, 4);
	dp_buf_free(&c.out);
}

/* Every bound of one load ends in DP_ELIMIT at the file and line where it was passed. */
static void test_load_bounds(void **state)
{
	struct dp_zone_opts few_files = {.max_files = 3};
	struct dp_zone_opts few_records = {.max_records = 5};
	struct dp_zone_opts few_bytes = {.max_bytes = 50};
	struct dp_zone_opts few_reread = {.max_reread = 20};
	struct dp_zone_opts few_generated = {.max_generated = 5};
	struct collect c;
	struct dp_error err;

	(void)state;
	write_file("a.zone", "x A 192.0.2.1\n");
	write_file("b.zone", "x A 192.0.2.1\n");
	write_file("c.zone", "x A 192.0.2.1\n");
	write_file("example.com.zone", "$INCLUDE a.zone\n$INCLUDE b.zone\n$INCLUDE c.zone\n");
	assert_int_equal(read_path_opts("example.com.zone", &few_files, &c, &err), DP_ELIMIT);
	assert_int_equal(err.line, 3);
	assert_non_null(strstr(err.msg, "more than 3 zone files"));
	dp_buf_free(&c.out);
	assert_int_equal(read_path_opts("example.com.zone", &few_records, &c, &err), DP_OK);
	dp_buf_free(&c.out);
	write_file("example.com.zone", "a A 192.0.2.1\nb A 192.0.2.1\nc A 192.0.2.1\n"
	                               "d CAA 0 issue x\ne A 192.0.2.1\nf A 192.0.2.1\n");
	assert_int_equal(read_path_opts("example.com.zone", &few_records, &c, &err), DP_ELIMIT);
	assert_non_null(strstr(err.msg, "more than 5 records"));
	dp_buf_free(&c.out);
	assert_int_equal(read_path_opts("example.com.zone", &few_bytes, &c, &err), DP_ELIMIT);
	assert_non_null(strstr(err.msg, "more than 50 bytes"));
	dp_buf_free(&c.out);
	/* fan-out: a file read again under another origin counts; once is free */
	write_file("example.com.zone", "$INCLUDE a.zone\n$INCLUDE a.zone x\n");
	assert_int_equal(read_path_opts("example.com.zone", &few_reread, &c, &err), DP_OK);
	dp_buf_free(&c.out);
	write_file("example.com.zone", "$INCLUDE a.zone\n$INCLUDE a.zone x\n$INCLUDE a.zone y\n");
	assert_int_equal(read_path_opts("example.com.zone", &few_reread, &c, &err), DP_ELIMIT);
	assert_non_null(strstr(err.msg, "more than 20 bytes of files read again"));
	assert_non_null(strstr(err.file, "a.zone"));
	dp_buf_free(&c.out);
	/* generated records of kept types, over the load; others are only counted */
	write_file("example.com.zone", "$GENERATE 1-100 h$ A 192.0.2.1\n"
	                               "$GENERATE 1-3 a$ CAA \"0 issue x\"\n"
	                               "$GENERATE 1-3 b$ CNAME a$\n");
	assert_int_equal(read_path_opts("example.com.zone", &few_generated, &c, &err), DP_ELIMIT);
	assert_int_equal(err.line, 3);
	assert_non_null(strstr(err.msg, "more than 5 TXT, CAA and CNAME records"));
	dp_buf_free(&c.out);
}

/* As BIND does, a blank owner on an included file's first line is the includer's last owner. */
static void test_include_inherits_owner(void **state)
{
	struct collect c;
	struct dp_error err = {0};

	(void)state;
	write_file("inc.zone", "\tCAA 0 issue \"inherited\"\n");
	write_file("example.com.zone", "www A 192.0.2.1\n$INCLUDE inc.zone\n"
	                               "  CAA 0 issue \"own\"\n");
	assert_int_equal(read_path("example.com.zone", &c, &err), DP_OK);
	assert_string_equal(c.out.data, "1 www.example.com CAA 0 issue inherited\n"
	                                "3 www.example.com CAA 0 issue own\n");
	dp_buf_free(&c.out);
	/* with nothing to inherit it is still an error, in the included file */
	write_file("example.com.zone", "$INCLUDE inc.zone\n");
	assert_int_equal(read_path("example.com.zone", &c, &err), DP_ESYNTAX);
	assert_non_null(strstr(err.msg, "without an owner"));
	assert_non_null(strstr(err.file, "inc.zone"));
	dp_buf_free(&c.out);
}

static void test_refill_boundaries(void **state)
{
	struct dp_buf z = {0};
	struct collect c;
	struct dp_error err = {0};
	unsigned long line = 1, last = 0;
	char want[128];

	(void)state;
	/* ~2 MiB of filler so that kept entries straddle many 256 KiB reads */
	dp_buf_adds(&z, "$ORIGIN example.com.\n");
	for (int i = 0; i < 40000; i++) {
		dp_buf_addf(&z, "host%d 300 IN A 192.0.2.%d ; filler filler\n", i, i % 250);
		line++;
		if (i % 997 == 0) {
			dp_buf_addf(&z,
			            "_validation-persist.h%d IN TXT ( \"part one;\"\n"
			            " \"part two\" )\n",
			            i);
			last = line + 1; /* line is the filler line just written */
			line += 2;
		}
	}
	write_file("big.zone", z.data);
	assert_int_equal(read_path("big.zone", &c, &err), DP_OK);
	assert_int_equal(c.n, 41);
	/* the last kept entry, with the line it starts on */
	snprintf(want, sizeof(want),
	         "%lu _validation-persist.h39880.example.com TXT 2 part one;part two\n", last);
	assert_non_null(strstr(c.out.data, want));
	dp_buf_free(&c.out);
	dp_buf_free(&z);
}

/* ---- fixtures: tests/data/zones-bind (BIND reads them) and zones-hostile ---- */

static void test_fixtures(void **state)
{
	static const struct {
		const char *path;
		enum dp_status st;
		const char *msg_has; /* with DP_OK: a kept record */
		size_t kept;
	} cases[] = {
	    {"zones-bind/big-ttl.zone", DP_OK, "5 _validation-persist.example.com TXT", 1},
	    {"zones-bind/bom.zone", DP_OK, "4 _validation-persist.example.com TXT", 1},
	    {"zones-bind/cname-dnssec.zone", DP_OK, "4 www.example.com CNAME", 1},
	    {"zones-bind/date.zone", DP_OK, "5 _validation-persist.example.com TXT", 1},
	    {"zones-bind/generate.zone", DP_OK,
	     "9 _validation-persist.app1.example.com TXT 1 "
	     "letsencrypt.org;accounturi=https://"
	     "acme-v02.api.letsencrypt.org/acme/acct/0101",
	     8},
	    {"zones-bind/include-owner.zone", DP_OK,
	     "1 _validation-persist.www.example.com TXT 1 letsencrypt.org; "
	     "accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/2",
	     2},
	    {"zones-bind/new-types.zone", DP_OK, "12 _validation-persist.example.com TXT", 1},
	    {"zones-bind/txt-generic.zone", DP_OK,
	     "4 _validation-persist.example.com TXT 1 letsencrypt.org;", 2},
	    {"zones-hostile/cname-and-caa.zone", DP_ESYNTAX, "data beside a CNAME", 0},
	    {"zones-hostile/cname-and-txt.zone", DP_ESYNTAX, "data beside a CNAME", 0},
	    {"zones-hostile/cname-twice.zone", DP_ESYNTAX, "a second CNAME", 0},
	    {"zones-hostile/escape-sequence.zone", DP_ESYNTAX, "'\\027[2J\\027[31mA'", 0},
	    {"zones-hostile/generate-directive.zone", DP_ESYNTAX, "cannot be a directive", 0},
	    {"zones-hostile/generate-too-many.zone", DP_ELIMIT, "at most 65536", 0},
	    {"zones-hostile/include-dev.zone", DP_ESYNTAX, "outside", 0},
	    {"zones-hostile/include-dotdot/example.com.zone", DP_ESYNTAX, "outside", 0},
	    {"zones-hostile/include-proc.zone", DP_ESYNTAX, "outside", 0},
	    {"zones-hostile/include-symlink/example.com.zone", DP_ESYNTAX, "outside", 0},
	    {"zones-hostile/name-too-long.zone", DP_ESYNTAX, "longer than 255 octets", 0},
	};
	const char *src = getenv("DP_SRCDIR");
	struct collect c;
	struct dp_error err;
	char path[512];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		snprintf(path, sizeof(path), "%s/tests/data/%s", src ? src : ".", cases[i].path);
		memset(&c, 0, sizeof(c));
		dp_error_clear(&err);
		enum dp_status st = dp_zone_read_file(path, NULL, collect_cb, &c, &err);
		const char *got = st == DP_OK ? (c.out.data ? c.out.data : "") : err.msg;
		if (st != cases[i].st || strstr(got, cases[i].msg_has) == NULL ||
		    (st == DP_OK && c.n != cases[i].kept))
			fail_msg("%s: %d, %zu kept: %s", cases[i].path, st, c.n, got);
		if (st != DP_OK) {
			assert_printable(err.msg);
			assert_null(strstr(err.msg, "hunter2"));
		}
		dp_buf_free(&c.out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kept_records),
	    cmocka_unit_test(test_all_txt_and_origin),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_long_txt_string),
	    cmocka_unit_test(test_no_origin),
	    cmocka_unit_test(test_origin_from_filename),
	    cmocka_unit_test(test_name_bounds),
	    cmocka_unit_test(test_nul_in_head),
	    cmocka_unit_test(test_rdata_bounds),
	    cmocka_unit_test(test_bom),
	    cmocka_unit_test(test_cname_and_other_data),
	    cmocka_unit_test(test_bind_compat),
	    cmocka_unit_test(test_generate_errors),
	    cmocka_unit_test(test_big_ttl),
	    cmocka_unit_test_setup_teardown(test_include, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_refill_boundaries, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_include_confined, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_messages_escaped, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_repeats, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_include_inherits_owner, setup_dir, teardown_dir),
	    cmocka_unit_test_setup_teardown(test_load_bounds, setup_dir, teardown_dir),
	    cmocka_unit_test(test_fixtures),
	};
	return cmocka_run_group_tests_name("zonefile", tests, NULL, NULL);
}
