/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Writing records: the value to publish, its TXT RDATA in zone-file form
 * (255-octet strings), and the draft -02 hashed account URI.
 */
#include <stdio.h>
#include <string.h>

#include <ldns/sha2.h>

#include "model/record.h"

void dp_record_format(const struct dp_record_spec *spec, struct dp_buf *out)
{
	dp_buf_addf(out, "%s; accounturi=%s", spec->issuer, spec->accounturi);
	if (spec->wildcard)
		dp_buf_adds(out, "; policy=wildcard");
	if (spec->has_persist_until)
		dp_buf_addf(out, "; persistUntil=%lld", (long long)spec->persist_until);
}

void dp_record_format_txt_rdata(const char *value, size_t len, struct dp_buf *out)
{
	size_t off = 0;

	do {
		size_t n = len - off > 255 ? 255 : len - off;
		if (off > 0)
			dp_buf_addc(out, ' ');
		dp_buf_addc(out, '"');
		for (size_t i = off; i < off + n; i++) {
			unsigned char c = (unsigned char)value[i];
			if (c == '"' || c == '\\')
				dp_buf_addf(out, "\\%c", c);
			else if (c < 0x20 || c >= 0x7f)
				dp_buf_addf(out, "\\%03u", c);
			else
				dp_buf_addc(out, (char)c);
		}
		dp_buf_addc(out, '"');
		off += n;
	} while (off < len);
}

static void base64url(const unsigned char *in, size_t len, struct dp_buf *out)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t i;

	for (i = 0; i + 2 < len; i += 3) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
		char q[4] = {tab[v >> 18], tab[(v >> 12) & 63], tab[(v >> 6) & 63], tab[v & 63]};
		dp_buf_add(out, q, 4);
	}
	if (len - i == 1) {
		unsigned v = (unsigned)in[i] << 16;
		char q[2] = {tab[v >> 18], tab[(v >> 12) & 63]};
		dp_buf_add(out, q, 2);
	} else if (len - i == 2) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8;
		char q[3] = {tab[v >> 18], tab[(v >> 12) & 63], tab[(v >> 6) & 63]};
		dp_buf_add(out, q, 3);
	}
}

enum dp_status dp_record_hash_account(const char *prefix, const char *domain,
                                      const char *thumbprint, const char *account_url,
                                      struct dp_buf *out, struct dp_error *err)
{
	struct dp_buf in = {0};
	unsigned char digest[LDNS_SHA256_DIGEST_LENGTH];
	size_t dlen = strlen(domain);
	enum dp_status st;

	if (dlen == 0 || dlen > 253)
		return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "domain must be 1..253 octets");
	if (strlen(thumbprint) != 43 || !dp_is_b64url(thumbprint))
		return dp_error_set(err, DP_EINVAL, NULL, 0, 0,
		                    "thumbprint must be the 43 base64url characters of an RFC 7638 "
		                    "SHA-256 JWK thumbprint");
	dp_buf_addc(&in, (char)(unsigned char)dlen);
	dp_buf_adds(&in, domain);
	dp_buf_adds(&in, thumbprint);
	dp_buf_adds(&in, account_url);
	st = dp_buf_status(&in);
	if (st == DP_OK) {
		ldns_sha256((unsigned char *)in.data, (unsigned)in.len, digest);
		dp_buf_adds(out, prefix);
		dp_buf_adds(out, "sha-256/");
		base64url(digest, sizeof(digest), out);
		st = dp_buf_status(out);
	}
	dp_buf_free(&in);
	return st;
}
