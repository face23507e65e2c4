/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The shipped issuer table. Source: each CA owner's CAA identifiers as
 * published in its CP/CPS section 4.2 and in the CCADB "CAA Identifiers"
 * field, compiled 2026-11-30. Check before relying on a row; an inventory's
 * ct.issuers adds or overrides rows (docs/inventory.md).
 */
#include "ct/issuers.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#define CAA(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Longer, more specific organisation names first: the first match wins. */
static const struct dp_issuer_map table[] = {
    {"Let's Encrypt", CAA("letsencrypt.org")},
    {"Google Trust Services", CAA("pki.goog")},
    {"ZeroSSL", CAA("sectigo.com", "zerossl.com")},
    {"Sectigo",
     CAA("sectigo.com", "comodoca.com", "comodo.com", "usertrust.com", "trust-provider.com")},
    {"COMODO", CAA("sectigo.com", "comodoca.com", "comodo.com")},
    {"The USERTRUST Network", CAA("sectigo.com", "usertrust.com")},
    {"DigiCert", CAA("digicert.com", "symantec.com", "geotrust.com", "rapidssl.com", "thawte.com",
                     "digitalcertvalidation.com", "www.digicert.com")},
    {"GeoTrust", CAA("digicert.com", "geotrust.com")},
    {"Thawte", CAA("digicert.com", "thawte.com")},
    {"RapidSSL", CAA("digicert.com", "rapidssl.com")},
    {"Cloudflare", CAA("digicert.com", "pki.goog", "letsencrypt.org", "ssl.com")},
    {"GlobalSign", CAA("globalsign.com")},
    {"Amazon", CAA("amazon.com", "amazontrust.com", "awstrust.com", "amazonaws.com")},
    {"Microsoft Corporation", CAA("microsoft.com")},
    {"Entrust", CAA("entrust.net", "affirmtrust.com")},
    {"GoDaddy", CAA("godaddy.com", "starfieldtech.com")},
    {"Starfield", CAA("starfieldtech.com", "godaddy.com")},
    {"Buypass", CAA("buypass.com", "buypass.no")},
    {"SSL Corporation", CAA("ssl.com")},
    {"SSL.com", CAA("ssl.com")},
    {"Asseco", CAA("certum.pl", "certum.eu")},
    {"Certum", CAA("certum.pl", "certum.eu")},
    {"Actalis", CAA("actalis.it")},
    {"HARICA", CAA("harica.gr")},
    {"Hellenic Academic", CAA("harica.gr")},
    {"SECOM", CAA("secomtrust.net")},
    {"Telia", CAA("telia.com", "teliasonera.com")},
    {"Certainly", CAA("certainly.com")},
    {"Internet Security Research Group", CAA("letsencrypt.org")},
    {NULL, NULL},
};

const struct dp_issuer_map *dp_issuers_builtin(void)
{
	return table;
}

/* Whether needle occurs in hay[0..len), ignoring ASCII case. */
static bool contains(const char *hay, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; n > 0 && i + n <= len; i++) {
		size_t k = 0;
		while (k < n &&
		       tolower((unsigned char)hay[i + k]) == tolower((unsigned char)needle[k]))
			k++;
		if (k == n)
			return true;
	}
	return false;
}

/* The O= value of a DN ("C=US, O=Let's Encrypt, CN=R3"), or the whole name. */
static void org_of(const char *issuer, const char **o, size_t *len)
{
	const char *p = issuer;

	for (; (p = strstr(p, "O=")) != NULL; p += 2) {
		if (p == issuer || p[-1] == ' ' || p[-1] == ',' || p[-1] == '/') {
			*o = p + 2;
			*len = strcspn(*o, ",/");
			return;
		}
	}
	*o = issuer;
	*len = strlen(issuer);
}

static const struct dp_issuer_map *find(const struct dp_issuer_map *t, size_t n, const char *o,
                                        size_t len)
{
	for (size_t i = 0; i < n && t[i].org != NULL; i++)
		if (contains(o, len, t[i].org))
			return &t[i];
	return NULL;
}

const struct dp_issuer_map *dp_issuers_match(const char *issuer, const struct dp_issuer_map *extra,
                                             size_t n_extra)
{
	const struct dp_issuer_map *m = NULL;
	const char *o;
	size_t len;

	if (issuer == NULL)
		return NULL;
	org_of(issuer, &o, &len);
	if (extra != NULL)
		m = find(extra, n_extra, o, len);
	if (m == NULL)
		m = find(table, sizeof(table) / sizeof(*table), o, len);
	return m;
}
