/* SPDX-License-Identifier: BSD-3-Clause */
/* The servers a live scan asks: "ADDR[@PORT]" as given, or read from resolv.conf. */
#ifndef DP_SERVER_H
#define DP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "base/status.h"

/* One server to ask: an address and port, and how we print it. */
struct dp_server {
	struct sockaddr_storage addr;
	socklen_t len;
	char label[64]; /* "192.0.2.1@53", "2001:db8::1@53" */
};

/* "ADDR[@PORT]" (IPv4 or IPv6); err gets the reason. */
enum dp_status dp_server_parse(const char *spec, struct dp_server *out, struct dp_error *err);

/*
 * The nameserver lines of a resolv.conf (path NULL: /etc/resolv.conf), at
 * most max of them. *n is 0 when the file names none.
 */
enum dp_status dp_server_resolv_conf(const char *path, struct dp_server *out, size_t max, size_t *n,
                                     struct dp_error *err);

/* The same address and port (a response's source against the server asked). */
bool dp_server_same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b);

#endif
