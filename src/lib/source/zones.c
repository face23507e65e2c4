/* SPDX-License-Identifier: BSD-3-Clause */
/* The zone-file source: the plan's filter on the reader, then every file read. */
#include "source/source.h"

static enum dp_status zone_observe(const void *cfg, const struct dp_plan *plan, struct dp_obs *o,
                                   struct dp_error *err)
{
	const struct dp_zone_config *z = cfg;

	/* the plan decides which names and CNAMEs matter; lint keeps every record */
	if (dp_plan_filters(plan))
		dp_obs_set_filter(o, dp_plan_wants, (void *)plan);
	return dp_obs_load_zones(o, z->files, z->n_files, z->origin, err);
}

const struct dp_source dp_source_zone = {"zone", zone_observe};
