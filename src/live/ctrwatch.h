// SPDX-License-Identifier: BSD-3-Clause
/* --container, --pod, --pod-namespace in the kernel: the cgroup v2 ids of the containers they
 * select go into the capture programs' cgroup_set map (CAP_PF_CGROUP_SET). The cgroup tree is
 * walked once at start and then followed with inotify: a container that starts later gets its
 * cgroup (made by the runtime before the container's first process runs) added as soon as it
 * appears, and so does any cgroup below a selected one. The runtime writes the container's
 * names before it makes the cgroup; one it has not written yet is looked up again for a while. */
#ifndef PROCAP_CTRWATCH_H
#define PROCAP_CTRWATCH_H

#include "container.h"

struct ctr_watch;

/* Starts following the tree below cg_root_fd. Returns 0 or -errno (printed). */
int ctr_watch_start(struct ctr_watch **out, const struct ctr_query *q, struct ctr_table *ctrs,
		    int cg_root_fd, int cgroup_set_fd);

/* The inotify fd to poll for input. */
int ctr_watch_fd(const struct ctr_watch *w);

/* Handles pending inotify events and retries containers not yet named. Cheap when idle. */
void ctr_watch_poll(struct ctr_watch *w);

/* Cgroups in the map now (for the start message and tests). */
unsigned ctr_watch_selected(const struct ctr_watch *w);

void ctr_watch_free(struct ctr_watch *w);

#endif
