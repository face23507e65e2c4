/* SPDX-License-Identifier: BSD-3-Clause */
/* Server addresses: parsing "ADDR[@PORT]", reading resolv.conf, comparing sources. */
#include "dns/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "base/num.h"

enum dp_status dp_server_parse(const char *spec, struct dp_server *out, struct dp_error *err)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *at = strrchr(spec, '@');
	size_t hlen = at ? (size_t)(at - spec) : strlen(spec);
	int64_t port = 53;
	struct sockaddr_in *v4 = (struct sockaddr_in *)&out->addr;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&out->addr;

	memset(out, 0, sizeof(*out));
	if (hlen == 0 || hlen >= sizeof(host))
		return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "'%s' is not ADDR[@PORT]", spec);
	memcpy(host, spec, hlen);
	host[hlen] = '\0';
	if (at != NULL && dp_parse_int(at + 1, strlen(at + 1), false, 1, 65535, &port) != DP_OK)
		return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "'%s': the port is not 1..65535",
		                    spec);
	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		out->len = sizeof(*v4);
	} else if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		out->len = sizeof(*v6);
	} else {
		return dp_error_set(err, DP_EINVAL, NULL, 0, 0,
		                    "'%s' is not an IPv4 or IPv6 address (ADDR[@PORT])", spec);
	}
	snprintf(out->label, sizeof(out->label), "%s@%lld", host, (long long)port);
	return DP_OK;
}

enum dp_status dp_server_resolv_conf(const char *path, struct dp_server *out, size_t max, size_t *n,
                                     struct dp_error *err)
{
	FILE *f = fopen(path ? path : "/etc/resolv.conf", "r");
	char line[512], addr[128];

	*n = 0;
	if (f == NULL)
		return dp_error_set(err, DP_EIO, path ? path : "/etc/resolv.conf", 0, 0,
		                    "cannot read: %s", strerror(errno));
	while (*n < max && fgets(line, sizeof(line), f) != NULL) {
		char *pct;
		if (sscanf(line, " nameserver %127s", addr) != 1)
			continue;
		pct = strchr(addr, '%');
		if (pct != NULL)
			*pct = '\0'; /* a link-local scope: not supported, try the address */
		if (dp_server_parse(addr, &out[*n], NULL) == DP_OK)
			(*n)++;
	}
	fclose(f);
	return DP_OK;
}

bool dp_server_same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
		return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;
	return x->sin6_port == y->sin6_port &&
	       memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr)) == 0;
}
