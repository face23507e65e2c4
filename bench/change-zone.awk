# SPDX-License-Identifier: BSD-3-Clause
# A second version of the benchmark zone with 1% of its lines changed, the
# way a large pull request would: one record line in each block of 100 (at
# a position that moves from block to block) gets a new value
# (policy=wildcard on a _validation-persist record, validationmethods on a
# CAA property, another address, or another TTL), so that `dnspersist diff`
# has grants to report and nothing new to fail on.
#   awk -f change-zone.awk bench.example.zone > bench.example.v2.zone
NR > 6 && NR % 100 == int(NR / 100) % 100 {
	if ($0 ~ /^_validation-persist/)
		sub(/"$/, "; policy=wildcard\"")
	else if ($3 == "CAA")
		sub(/"letsencrypt.org"$/, "\"letsencrypt.org; validationmethods=dns-persist-01\"")
	else if ($3 == "A")
		sub(/\.[0-9]+$/, ".251")
	else
		sub(/ IN /, " 300 IN ")
}
{ print }
