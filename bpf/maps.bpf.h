// SPDX-License-Identifier: BSD-3-Clause
/* Maps shared by capture.bpf.c (TC/XDP) and sock.bpf.c (cgroup hooks, sched tracepoints).
 * Both objects declare them identically; the loader makes sock.bpf.o reuse the capture
 * object's map fds (bpf_map__reuse_fd), so one set of maps connects the two. */
#ifndef PROCAP_MAPS_BPF_H
#define PROCAP_MAPS_BPF_H

#include "capture.h"

#define OWNER_MAP_ENTRIES	65536
#define PID_FILTER_ENTRIES	4096

/* Ring of packet and process records; size set by the loader (-B) before load. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22);
} events SEC(".maps");

/* What procap keeps on a socket: its owner, and the last local tuple an egress packet of it
 * wrote to tuple_owner, so a connected socket's stream costs no tuple_owner lookup per packet
 * (rechecked every LEARN_RECHECK_NS in case the LRU map evicted the entry). */
struct sock_state {
	struct cap_owner owner;
	struct cap_tuple learned;
	__u64 learned_ns;		/* bpf_ktime_get_ns() of the last check; 0 none */
	/* the local process receiving what this socket sends to the learned tuple's remote end
	 * (another namespace, loopback), looked up again every PEER_RECHECK_NS, or sooner while
	 * none is known */
	struct cap_owner peer;
	__u64 peer_ns;			/* bpf_ktime_get_ns() of the last lookup; 0 none */
	__u32 peer_src;			/* CAP_SRC_* */
	__u32 _pad;
};

/* socket -> sock_state, in the socket's own storage: written by the cgroup sock hooks and the
 * egress capture program, read by the capture programs through skb->sk (egress) and the
 * socket the kernel delivers an ingress packet to (bpf_sk_lookup_*). The kernel frees it with
 * the socket (no release hook, no table to fill up), and a lookup is a pointer walk instead of
 * a hash lookup on every packet. BPF_F_CLONE: a connection a listener accepts starts with the
 * listener's owner. */
struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC | BPF_F_CLONE);
	__type(key, int);
	__type(value, struct sock_state);
} sock_owner SEC(".maps");

/* local tuple -> owner: post_bind (bound), sock_ops (TCP flows in every namespace), egress
 * packets of owned sockets (flows), the /proc scan (both). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, OWNER_MAP_ENTRIES);
	__type(key, struct cap_tuple);
	__type(value, struct cap_tuple_val);
} tuple_owner SEC(".maps");

/* Turn a flow key into the key of a socket bound to its local address and port in netns
 * (capture.h: the cookie goes where the remote address was). */
static __always_inline void bound_key(struct cap_tuple *k, __u64 netns)
{
	__builtin_memset(k->raddr, 0, 16);
	__builtin_memcpy(k->raddr, &netns, sizeof(netns));
	k->rport_be = 0;
}

static __always_inline void learn_owner(const struct cap_tuple *k, const struct cap_owner *o)
{
	struct cap_tuple_val v = {};

	v.owner = *o;
	v.source = CAP_SRC_TUPLE;
	bpf_map_update_elem(&tuple_owner, k, &v, BPF_ANY);
}

/* --pid set (tgids); sched_process_fork adds children with --follow-forks. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, PID_FILTER_ENTRIES);
	__type(key, __u32);
	__type(value, __u8);
} pid_filter SEC(".maps");

#endif
