/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * octoDNS zone files (zones/example.com.yaml) as a second zone-file format:
 * records keyed by name relative to the zone ('' is the apex), each a
 * mapping {type, value | values} or a list of them. The records the zone
 * reader keeps (TXT, CAA, CNAME) are handed to the same callback as for a
 * BIND zone file, with the line of each value. Untrusted input: errors name
 * file:line:column (libyaml's marks).
 */
#ifndef DP_OCTODNS_H
#define DP_OCTODNS_H

#include <stdbool.h>
#include <stddef.h>

#include "source/zonefile.h"

/* Does the file name say octoDNS (".yaml", ".yml")? */
bool dp_octodns_is_file(const char *path);
/* The zone of an octoDNS file name: "zones/example.com.yaml" is example.com. */
bool dp_octodns_origin(const char *path, char out[DP_NAME_MAX]);

/*
 * Read an octoDNS zone: a file (data NULL) or a buffer named name. The
 * origin is opts->origin, else the file name's. TXT values have octoDNS's
 * "\;" unescaped; an unescaped ';' is an error, as octoDNS makes it.
 */
enum dp_status dp_octodns_read(const char *name, const char *data, size_t len,
                               const struct dp_zone_opts *opts, dp_zone_cb cb, void *ctx,
                               struct dp_error *err);

#endif
