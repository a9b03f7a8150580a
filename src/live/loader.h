// SPDX-License-Identifier: BSD-3-Clause
/* BPF lifecycle: open the capture and sock skeletons, write rodata and map sizes, splice the
 * pcap filter, load, attach (TC per interface through tcx links, or clsact filters on kernels
 * without tcx; XDP, cgroup hooks at the cgroup v2 root and sched tracepoints via bpf_link),
 * and undo exactly what was attached. */
#ifndef PROCAP_LOADER_H
#define PROCAP_LOADER_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/types.h>

#include "capture.h"

/* procap's clsact filters (no tcx): a fixed handle and a small range of priorities reserved
 * for procap, so a restart finds (and removes) filters a killed run left behind. */
#define LOADER_TC_HANDLE	0x70636170	/* "pcap" */
#define LOADER_TC_PRIO_BASE	0x7c00		/* runs before tc's automatic priorities */
#define LOADER_TC_PRIO_SLOTS	16

#define LOADER_DIR_IN		(1u << 0)
#define LOADER_DIR_OUT		(1u << 1)

struct loader_cfg {
	uint32_t snaplen;
	uint32_t ring_bytes;		/* power of two */
	const char *filter;		/* pcap expression or NULL */
	bool xdp;			/* ingress through XDP */
	uint32_t pf_mask;		/* CAP_PF_* */
	char pf_comm[CAP_COMM_LEN];
	uint32_t pf_uid;
	bool follow_forks;
	bool cg_filter;
	uint64_t cg_id;
	uint32_t cg_level;
	bool immediate;			/* --immediate-mode: every record wakes the reader */
	bool egress_learn_only;		/* -Q in: egress programs only learn owners */
	bool tcpinfo;			/* --tcpinfo records (bpf/tcpinfo.bpf.h) */
};

struct loader;

/* Opens and loads both objects. Returns 0 or -errno after printing a one-line error. */
int loader_open(struct loader **out, const struct loader_cfg *cfg);

/* --netns: the capture programs for one more network namespace, loaded while procap is in it
 * (their "own namespace" is that one), with their own ring and interface map and primary's
 * owner maps; no hooks of their own (primary's see every namespace). 0 or -errno (printed). */
int loader_open_ns(struct loader **out, const struct loader_cfg *cfg,
		   const struct loader *primary);

/* cgroup sock hooks on the cgroup v2 root and the sched tracepoints. 0 or -errno (printed). */
int loader_attach_hooks(struct loader *l, int cgroup_root_fd);

/* Capture on one interface in the directions of dir_mask (LOADER_DIR_*). 0 or -errno
 * (printed). l3: the device has no link header (tun, wireguard). peer_netnsid: the namespace
 * of a veth's other end (struct iface_info), -1 if none. With egress_learn_only the egress
 * program is attached whatever dir_mask says: it learns who sends, captures nothing. */
int loader_attach_iface(struct loader *l, int ifindex, const char *name, bool l3,
			int peer_netnsid, unsigned int dir_mask);

/* The interface is gone (RTM_DELLINK): forget it without touching the kernel. */
void loader_forget_iface(struct loader *l, int ifindex);

int loader_events_fd(const struct loader *l);
int loader_tuple_fd(const struct loader *l);
int loader_sock_fd(const struct loader *l);	/* sock_owner (SK_STORAGE), -1 if unusable */
int loader_pid_filter_fd(const struct loader *l);
int loader_cgroup_set_fd(const struct loader *l);	/* CAP_PF_CGROUP_SET's cgroup ids */

/* Sum of the per-CPU counters. */
void loader_stats(const struct loader *l, struct cap_stats *sum);

/* Detaches everything procap attached; the maps stay (drain the ring after this). */
void loader_close_attachments(struct loader *l);

/* Detaches everything procap attached (TC filters, clsact qdiscs it created, links), frees. */
void loader_close(struct loader *l);

#endif
