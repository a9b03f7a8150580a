// SPDX-License-Identifier: BSD-3-Clause
/* Sockets that existed before procap started have no storage (the cgroup hooks did not see
 * them being created): scan /proc/PID/fd once at start, give every socket its process as the
 * owner in its storage (through the process's pidfd) and seed the tuple map with the owners
 * of the sockets of /proc/net/{tcp,tcp6,udp,udp6} and of other namespaces (source "proc"). */
#ifndef PROCAP_PROCSOCK_H
#define PROCAP_PROCSOCK_H

#include <stdint.h>

/* sizeof(struct sock_state) of bpf/maps.bpf.h, the value of the sock_owner storage map */
#define SOCK_STATE_SIZE	144

struct procsock_cfg {
	int tuple_map_fd;
	int sock_map_fd;		/* sock_owner: sockets' storage (-1: none) */
	int cgroup_root_fd;		/* to turn cgroup paths into ids; -1 if unknown */
	const char *cg_target;		/* subtree (relative path) for CAP_OWNER_IN_CGROUP */
};

/* The cookie of procap's network namespace (SO_NETNS_COOKIE), 0 if the kernel has none:
 * bound sockets' entries carry it (bpf/capture.h). */
uint64_t procsock_netns_cookie(void);

/* Returns the number of sockets added to the map, or -errno. */
int procsock_scan(const struct procsock_cfg *cfg);

#endif
