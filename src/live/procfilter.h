// SPDX-License-Identifier: BSD-3-Clause
/* In-kernel process filters: --pid (with --follow-forks), --comm, --uid, --cgroup, and
 * --container, --pod, --pod-namespace (their cgroups: ctrwatch.h). They are
 * checked in the capture programs against the packet's owner, after the pcap expression; a
 * packet without an owner never matches a process filter. */
#ifndef PROCAP_PROCFILTER_H
#define PROCAP_PROCFILTER_H

#include <stddef.h>

#include "loader.h"
#include "opts.h"

/* Fills the process-filter part of cfg from o. --cgroup PATH is resolved below the cgroup
 * root (root_fd, mounted at mnt) into cg_rel. Returns 0 or -errno (printed). */
int procfilter_config(const struct options *o, int root_fd, const char *mnt,
		      struct loader_cfg *cfg, char *cg_rel, size_t cg_rel_len);

/* After load: the --pid set. Returns 0 or -errno (printed). */
int procfilter_apply(const struct options *o, int pid_filter_fd);

#endif
