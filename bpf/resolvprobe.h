/* SPDX-License-Identifier: BSD-3-Clause */
/* Kernel<->user ABI of bpf/resolvprobe.bpf.c (--resolver-names): the addresses one resolver
 * call of a process returned for a name. Included by both sides; includes nothing (the BPF
 * side gets __u* from vmlinux.h, the user side from <linux/types.h>). */
#ifndef PROCAP_RESOLVPROBE_ABI_H
#define PROCAP_RESOLVPROBE_ABI_H

#define RSLV_NAME_LEN		256	/* as DNS_NAME_MAX: a DNS name is at most 253 bytes */
#define RSLV_MAX_ADDRS		16	/* addresses kept per call; more are rare and dropped */
#define RSLV_COMM_LEN		16

/* Which call returned them. */
#define RSLV_GETADDRINFO	1
#define RSLV_GETHOSTBYNAME	2	/* gethostbyname, gethostbyname2 and their _r forms */

struct rslv_event {
	__u32 pid, tid;
	__u32 ppid;			/* for --follow-forks */
	__u32 uid;
	__u32 call;			/* RSLV_* */
	__u32 pad;
	__u64 cgroup_id;
	__u32 n_addrs;
	__u8 ver[RSLV_MAX_ADDRS];	/* 4 or 6 */
	__u8 addr[RSLV_MAX_ADDRS][16];	/* network order; IPv4 in the first 4 bytes */
	char comm[RSLV_COMM_LEN];
	char name[RSLV_NAME_LEN];	/* the name the process asked for, NUL-terminated */
};

#endif
