# SPDX-License-Identifier: BSD-3-Clause
# Deterministic benchmark zone: N records of mixed A, AAAA, CNAME, MX; one
# name in twenty has a _validation-persist TXT and a CAA. Also writes the
# matching inventory (every authorized name expected, the zone owned) to INV,
# and to SMALL an inventory of the first 20 such names that owns no zone
# (an organisation's few authorizations inside a provider's large zone).
#   awk -v records=1000000 -v inv=inv.yaml -v small=small.yaml -f gen-zone.awk > bench.example.zone
BEGIN {
	acct = "https://acme-v02.api.letsencrypt.org/acme/acct/1234567890"
	print "$ORIGIN bench.example."
	print "$TTL 3600"
	print "@ IN SOA ns1 hostmaster 2026112401 7200 3600 1209600 3600"
	print "@ IN NS ns1"
	print "ns1 IN A 192.0.2.53"
	print "mail IN A 192.0.2.25"
	n = 5
	printf "version: 1\ncas: {le: {issuer: letsencrypt.org}}\n" > inv
	printf "accounts: {prod: {ca: le, uri: '%s'}}\nzones: [bench.example]\ndomains:\n", acct > inv
	printf "version: 1\ncas: {le: {issuer: letsencrypt.org}}\n" > small
	printf "accounts: {prod: {ca: le, uri: '%s'}}\ndomains:\n", acct > small
	listed = 0
	for (i = 1; n < records; i++) {
		t = i % 4
		if (t == 0)
			printf "host%d IN A 198.51.%d.%d\n", i, int(i / 250) % 256, i % 250
		else if (t == 1)
			printf "host%d IN AAAA 2001:db8::%x:%x\n", i, int(i / 65536), i % 65536
		else if (t == 2)
			printf "host%d IN CNAME host%d\n", i, i - 2
		else
			printf "host%d IN MX 10 mail\n", i
		n++
		if (i % 20 == 0 && n + 2 <= records) {
			printf "_validation-persist.host%d IN TXT \"letsencrypt.org; accounturi=%s\"\n", i, acct
			printf "host%d IN CAA 0 issue \"letsencrypt.org\"\n", i
			printf "  - {name: host%d.bench.example, authorize: [{account: prod}]}\n", i > inv
			if (listed++ < 20)
				printf "  - {name: host%d.bench.example, authorize: [{account: prod}]}\n", i > small
			n += 2
		}
	}
}
