// SPDX-License-Identifier: BSD-3-Clause
/* Process filter configuration (see procfilter.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>

#include "cgroup.h"
#include "procfilter.h"
#include "util.h"

int procfilter_config(const struct options *o, int root_fd, const char *mnt,
		      struct loader_cfg *cfg, char *cg_rel, size_t cg_rel_len)
{
	if (o->n_pids) {
		cfg->pf_mask |= CAP_PF_PID;
		cfg->follow_forks = o->follow_forks;
	}
	if (o->comm) {
		cfg->pf_mask |= CAP_PF_COMM;
		memset(cfg->pf_comm, 0, sizeof(cfg->pf_comm));
		snprintf(cfg->pf_comm, sizeof(cfg->pf_comm), "%s", o->comm);
	}
	if (o->has_uid) {
		cfg->pf_mask |= CAP_PF_UID;
		cfg->pf_uid = o->uid;
	}
	if (o->cgroup) {
		int err;

		if (root_fd < 0) {
			pr_warn("--cgroup %s: no cgroup v2 hierarchy found\n", o->cgroup);
			return -ENOENT;
		}
		cgroup_rel_path(mnt, o->cgroup, cg_rel, cg_rel_len);
		err = cgroup_id_at(root_fd, cg_rel, &cfg->cg_id);
		if (err) {
			pr_warn("--cgroup %s: %s\n", o->cgroup, strerror(-err));
			return err;
		}
		cfg->pf_mask |= CAP_PF_CGROUP;
		cfg->cg_filter = true;
		cfg->cg_level = (uint32_t)cgroup_level(cg_rel);
	}
	if (o->container || o->pod || o->pod_ns) {
		/* the container cgroups' ids are added after load (ctrwatch.c) */
		if (root_fd < 0) {
			pr_warn("--container/--pod: no cgroup v2 hierarchy found\n");
			return -ENOENT;
		}
		cfg->pf_mask |= CAP_PF_CGROUP_SET;
	}
	return 0;
}

int procfilter_apply(const struct options *o, int pid_filter_fd)
{
	uint8_t one = 1;

	for (int i = 0; i < o->n_pids; i++) {
		if (bpf_map_update_elem(pid_filter_fd, &o->pids[i], &one, BPF_ANY)) {
			int err = -errno;
			pr_warn("--pid %u: %s\n", o->pids[i], strerror(-err));
			return err;
		}
	}
	return 0;
}
