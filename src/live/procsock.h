// SPDX-License-Identifier: BSD-3-Clause
/* Sockets that existed before procap started have no cookie entry (the cgroup hooks did not
 * see them being created): scan /proc/net/{tcp,tcp6,udp,udp6} and /proc/PID/fd once at start
 * and seed the tuple map with their owners (source "proc"). */
#ifndef PROCAP_PROCSOCK_H
#define PROCAP_PROCSOCK_H

#include <stdint.h>

struct procsock_cfg {
	int tuple_map_fd;
	int cgroup_root_fd;		/* to turn cgroup paths into ids; -1 if unknown */
	const char *cg_target;		/* subtree (relative path) for CAP_OWNER_IN_CGROUP */
};

/* Returns the number of sockets added to the map, or -errno. */
int procsock_scan(const struct procsock_cfg *cfg);

#endif
