// SPDX-License-Identifier: BSD-3-Clause
/* Process filters on replay (see procmatch.h): the live capture checks them in the kernel
 * against the packet's owner; a replay checks the same fields of the owner that procap's
 * pcapng comment (or epb_processid_threadid and a Process Information Block) names. */
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "comment.h"
#include "container.h"
#include "procmatch.h"
#include "util.h"

struct procmatch {
	const struct options *o;
	char cgroup[4096];		/* --cgroup as a path below the cgroup v2 root */
	uint32_t *pids;			/* --pid and, with --follow-forks, the children seen */
	size_t n_pids, cap_pids;
	uint64_t owned;			/* packets that named an owner */
};

bool procmatch_wanted(const struct options *o)
{
	return o->n_pids || o->comm || o->has_uid || o->cgroup || o->container || o->pod ||
	       o->pod_ns;
}

struct procmatch *procmatch_new(const struct options *o)
{
	struct procmatch *pm = xcalloc(1, sizeof(*pm));

	pm->o = o;
	if (o->cgroup) {
		/* the file's paths are below the root; strip the usual mount points */
		char tmp[sizeof(pm->cgroup)];
		cgroup_rel_path("/sys/fs/cgroup/unified", o->cgroup, tmp, sizeof(tmp));
		cgroup_rel_path("/sys/fs/cgroup", tmp, pm->cgroup, sizeof(pm->cgroup));
	}
	for (int i = 0; i < o->n_pids; i++)
		procmatch_add_pid(pm, o->pids[i]);
	return pm;
}

void procmatch_add_pid(struct procmatch *pm, uint32_t pid)
{
	for (size_t i = 0; i < pm->n_pids; i++)
		if (pm->pids[i] == pid)
			return;
	if (pm->n_pids == pm->cap_pids) {
		pm->cap_pids = pm->cap_pids ? pm->cap_pids * 2 : 16;
		pm->pids = xrealloc(pm->pids, pm->cap_pids * sizeof(*pm->pids));
	}
	pm->pids[pm->n_pids++] = pid;
}

static bool has_pid(const struct procmatch *pm, uint32_t pid)
{
	for (size_t i = 0; i < pm->n_pids; i++)
		if (pm->pids[i] == pid)
			return true;
	return false;
}

/* PATH itself or below it, as the kernel's ancestor check selects */
static bool below(const char *path, const char *top)
{
	size_t n = strlen(top);

	if (!strcmp(top, "/"))
		return true;
	return !strncmp(path, top, n) && (path[n] == 0 || path[n] == '/');
}

bool procmatch_packet(struct procmatch *pm, const struct packet *p)
{
	const struct options *o = pm->o;
	const struct proc_meta *m = &p->proc;

	if (!m->valid)
		return false;	/* as live: a packet without an owner never matches */
	pm->owned++;
	if (o->n_pids && !has_pid(pm, m->pid)) {
		/* --follow-forks: a child is known by its parent's PID, once one of its packets
		 * names it; its own children then follow */
		if (!o->follow_forks || !m->ppid || !has_pid(pm, m->ppid))
			return false;
		procmatch_add_pid(pm, m->pid);
	}
	if (o->comm && strcmp(m->comm, o->comm))
		return false;
	if (o->has_uid && (m->uid == COMMENT_UID_UNKNOWN || m->uid != o->uid))
		return false;
	if (o->cgroup && (!m->cgroup[0] || !below(m->cgroup, pm->cgroup)))
		return false;
	/* --container, --pod, --pod-namespace: the names the comment gives the container */
	struct ctr_query q = { .container = o->container, .pod = o->pod, .pod_ns = o->pod_ns };
	if (ctr_query_active(&q) && (!m->container[0] || !ctr_matches(&q, m->container, &m->ctr)))
		return false;
	return true;
}

uint64_t procmatch_owned(const struct procmatch *pm)
{
	return pm->owned;
}

void procmatch_free(struct procmatch *pm)
{
	if (!pm)
		return;
	free(pm->pids);
	free(pm);
}
