// SPDX-License-Identifier: BSD-3-Clause
/* Process table: pid -> exe, args, ppid, cgroup path, container id and names. Filled from the
 * sched_process_exec records of the kernel and from /proc, cached with a bounded size (oldest
 * entry evicted first), so a process that already exited still has its exe and args. */
#ifndef PROCAP_PROC_H
#define PROCAP_PROC_H

#include <stddef.h>
#include <stdint.h>

#include "packet.h"

struct proc_table;
struct cap_proc_event;

/* cgroup_root_fd: the cgroup v2 root (cgroup_root_open()) to resolve cgroup ids with, or -1. */
struct proc_table *proc_table_new(size_t max_entries, int cgroup_root_fd);
void proc_table_free(struct proc_table *t);
/* --no-args: proc_table_fill() leaves args empty, so no sink can write a command line. */
void proc_table_omit_args(struct proc_table *t);

/* Completes m (pid, tid, uid, comm, cgroup_id already set from the kernel record) with ppid,
 * exe, args, cgroup path and container id. Reads /proc on the first packet of a pid that no
 * exec record announced, and resolves the cgroup id when it changes. */
void proc_table_fill(struct proc_table *t, struct proc_meta *m);

/* Names containers (proc_meta.ctr) from the runtimes' state through ctrs (container.h). */
struct ctr_table;
void proc_table_set_containers(struct proc_table *t, struct ctr_table *ctrs);

/* Changes whenever proc_table_fill could give a different answer for the same owner. */
uint64_t proc_table_gen(const struct proc_table *t);

/* A process record from the kernel (exec: new image; exit: the pid may be reused later). */
void proc_table_event(struct proc_table *t, const struct cap_proc_event *e);

/* Container id from a cgroup path: the first run of 64 hex digits (docker, containerd, podman
 * and kubepods all embed it), "" if none. */
void proc_container_id(const char *cgroup_path, char *out, size_t outlen);

#endif
