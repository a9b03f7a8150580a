// SPDX-License-Identifier: BSD-3-Clause
/* Attribution without kprobes: cgroup sock hooks on the cgroup v2 root run in the context of
 * the task that creates or binds a socket, so the current task IS the owner there. They fill
 * sock_owner (the socket's storage -> owner) and, for bound sockets, tuple_owner (local
 * address/port in its netns -> owner). cgroup hooks run in every network namespace, so the
 * sock_ops hook also writes each TCP connection's flow (both ends' addresses as that namespace
 * sees them) when it is made: a process in a container or another namespace is named from the
 * host, and an inbound packet's receiver is known without an egress packet first (-Q in).
 * Who sends on a socket later is seen by the egress capture program itself (bpf/owner.bpf.h),
 * so no hook runs per datagram sent or received.
 * sched_process_exec/exit feed the userspace process table and sched_process_fork follows
 * children for --pid --follow-forks.
 * These hooks affect every socket of the machine: they never deny (always return 1) and each
 * one does at most two lookups and one update, once per socket or connection. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_tracing.h>

#include "capture.h"
#include "compat.bpf.h"
#include "maps.bpf.h"
#include "owner.bpf.h"
#include "wake.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define SOCK_ALLOW	1

/* Set by the loader before load. */
const volatile __u32 follow_forks;	/* --follow-forks */

/* Record the current task as the owner of the socket unless it already is. */
static __always_inline void own_socket(struct bpf_sock *sk)
{
	struct sock_state *st;

	if (!sk)
		return;
	st = bpf_sk_storage_get(&sock_owner, sk, NULL, BPF_SK_STORAGE_GET_F_CREATE);
	if (st)
		own_by_current(&st->owner);
}

SEC("cgroup/sock_create")
int sock_create(struct bpf_sock *sk)
{
	own_socket(sk);
	return SOCK_ALLOW;
}

/* post_bind: the local address and port are known now; a listening or bound UDP socket gets
 * its ingress packets attributed through this entry (bound_key(): its netns, no remote). */
static __always_inline void own_bound(struct bpf_sock *sk, bool v6)
{
	struct cap_tuple k = {};
	struct cap_owner o;

	own_socket(sk);
	if (v6) {
		/* one 4-byte context load per word: the only access the verifier allows */
		__u32 a0 = sk->src_ip6[0], a1 = sk->src_ip6[1], a2 = sk->src_ip6[2],
		      a3 = sk->src_ip6[3];
		__builtin_memcpy(&k.laddr[0], &a0, 4);
		__builtin_memcpy(&k.laddr[4], &a1, 4);
		__builtin_memcpy(&k.laddr[8], &a2, 4);
		__builtin_memcpy(&k.laddr[12], &a3, 4);
	} else {
		__u32 a = sk->src_ip4;

		__builtin_memcpy(k.laddr, &a, 4);
	}
	k.lport_be = bpf_htons((__u16)sk->src_port);
	k.proto = (__u8)sk->protocol;
	bound_key(&k, bpf_get_netns_cookie(sk));
	current_owner(&o);
	learn_owner(&k, &o);
}

SEC("cgroup/post_bind4")
int post_bind4(struct bpf_sock *sk)
{
	own_bound(sk, false);
	return SOCK_ALLOW;
}

SEC("cgroup/post_bind6")
int post_bind6(struct bpf_sock *sk)
{
	own_bound(sk, true);
	return SOCK_ALLOW;
}

/* The flow of a TCP socket as its own namespace sees it (local end first). */
static __always_inline void sockops_key(struct bpf_sock_ops *skops, struct cap_tuple *k)
{
	if (skops->family == AF_INET6) {
		/* one 4-byte context load per word, as in own_bound() */
		__u32 l0 = skops->local_ip6[0], l1 = skops->local_ip6[1], l2 = skops->local_ip6[2],
		      l3 = skops->local_ip6[3], r0 = skops->remote_ip6[0],
		      r1 = skops->remote_ip6[1], r2 = skops->remote_ip6[2],
		      r3 = skops->remote_ip6[3];
		__builtin_memcpy(&k->laddr[0], &l0, 4);
		__builtin_memcpy(&k->laddr[4], &l1, 4);
		__builtin_memcpy(&k->laddr[8], &l2, 4);
		__builtin_memcpy(&k->laddr[12], &l3, 4);
		__builtin_memcpy(&k->raddr[0], &r0, 4);
		__builtin_memcpy(&k->raddr[4], &r1, 4);
		__builtin_memcpy(&k->raddr[8], &r2, 4);
		__builtin_memcpy(&k->raddr[12], &r3, 4);
	} else {
		__u32 l = skops->local_ip4, r = skops->remote_ip4;

		__builtin_memcpy(k->laddr, &l, 4);
		__builtin_memcpy(k->raddr, &r, 4);
	}
	/* a dual-stack socket's IPv4 connection: the addresses as its packets carry them */
	if (skops->family == AF_INET6 && !(k->laddr[0] | k->laddr[1] | k->laddr[2] | k->laddr[3] |
					   k->laddr[4] | k->laddr[5] | k->laddr[6] | k->laddr[7] |
					   k->laddr[8] | k->laddr[9]) &&
	    k->laddr[10] == 0xff && k->laddr[11] == 0xff) {
		__builtin_memmove(k->laddr, &k->laddr[12], 4);
		__builtin_memset(&k->laddr[4], 0, 12);
		__builtin_memmove(k->raddr, &k->raddr[12], 4);
		__builtin_memset(&k->raddr[4], 0, 12);
	}
	k->lport_be = bpf_htons((__u16)skops->local_port);		/* host order */
	k->rport_be = bpf_htons((__u16)bpf_ntohl(skops->remote_port));	/* in the top half */
	k->proto = IPPROTO_TCP;
}

/* A connection's flow goes to tuple_owner when it is made, in whichever namespace:
 * - connect() (TCP_CONNECT_CB, the SYN is about to leave): the connecting task, which the
 *   socket's storage names from now on;
 * - a SYN reaching a listener (TIMEOUT_INIT on the request socket, before the SYN-ACK): the
 *   owner of the socket bound to that address and port in that namespace;
 * - the accepted connection (PASSIVE_ESTABLISHED): its storage, cloned from the listener's.
 * The other callbacks (they come only for the ones a program asks for) cost a switch. */
SEC("sockops")
int sock_ops(struct bpf_sock_ops *skops)
{
	struct cap_tuple k = {};
	struct cap_tuple_val *v;
	struct sock_state *st;
	struct bpf_sock *sk;

	if (skops->family != AF_INET && skops->family != AF_INET6)
		return SOCK_ALLOW;
	switch (skops->op) {
	case BPF_SOCK_OPS_TCP_CONNECT_CB:
	case BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB:
		sk = skops->sk;
		if (!sk)
			return SOCK_ALLOW;
		st = bpf_sk_storage_get(&sock_owner, sk, NULL,
					skops->op == BPF_SOCK_OPS_TCP_CONNECT_CB ?
						BPF_SK_STORAGE_GET_F_CREATE : 0);
		if (!st)
			return SOCK_ALLOW;
		if (skops->op == BPF_SOCK_OPS_TCP_CONNECT_CB)
			own_by_current(&st->owner);
		sockops_key(skops, &k);
		learn_owner(&k, &st->owner);
		break;
	case BPF_SOCK_OPS_TIMEOUT_INIT:
		if (skops->is_fullsock)
			return SOCK_ALLOW;	/* connect(): TCP_CONNECT_CB follows */
		sockops_key(skops, &k);
		{
			struct cap_tuple b = k;

			bound_key(&b, bpf_get_netns_cookie(skops));
			v = bpf_map_lookup_elem(&tuple_owner, &b);
			if (!v) {
				__builtin_memset(b.laddr, 0, 16);
				v = bpf_map_lookup_elem(&tuple_owner, &b);
			}
			if (v)
				learn_owner(&k, &v->owner);
		}
		break;
	}
	return SOCK_ALLOW;
}

static __always_inline struct cap_proc_event *proc_event(__u32 kind)
{
	struct cap_proc_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	struct task_struct *task;
	__u64 pid_tgid;

	if (!e)
		return NULL;
	pid_tgid = bpf_get_current_pid_tgid();
	task = (struct task_struct *)bpf_get_current_task();
	e->kind = kind;
	e->pid = pid_tgid >> 32;
	e->ts_ns = bpf_ktime_get_ns();
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->exit_code = 0;
	e->args_len = 0;
	e->cgroup_id = bpf_get_current_cgroup_id();
	e->start_ns = BPF_CORE_READ(task, group_leader, start_time);
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	e->filename[0] = 0;
	e->args[0] = 0;
	return e;
}

/* Raw tracepoints: attached by name, so they need no tracefs (absent under `ip netns exec`,
 * which mounts a fresh /sys). */
SEC("raw_tp/sched_process_exec")
int BPF_PROG(sched_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct cap_proc_event *e = proc_event(CAP_KIND_EXEC);
	unsigned long arg_start, arg_end, len;

	if (!e)
		return 0;
	bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), BPF_CORE_READ(bprm, filename));
	arg_start = BPF_CORE_READ(p, mm, arg_start);
	arg_end = BPF_CORE_READ(p, mm, arg_end);
	len = arg_end > arg_start ? arg_end - arg_start : 0;
	if (len > sizeof(e->args))
		len = sizeof(e->args);
	/* a constant-size read (the environment follows argv on the stack); args_len says
	 * how much of it is argv */
	if (len && bpf_probe_read_user(e->args, sizeof(e->args), (void *)arg_start) == 0)
		e->args_len = len;
	bpf_ringbuf_submit(e, wake_flags(e->ts_ns));
	return 0;
}

SEC("raw_tp/sched_process_exit")
int BPF_PROG(sched_exit, struct task_struct *p)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct cap_proc_event *e;

	if ((__u32)pid_tgid != pid_tgid >> 32)	/* threads: only the group leader */
		return 0;
	e = proc_event(CAP_KIND_EXIT);
	if (!e)
		return 0;
	e->exit_code = BPF_CORE_READ(p, exit_code);
	bpf_ringbuf_submit(e, wake_flags(e->ts_ns));
	return 0;
}

SEC("raw_tp/sched_process_fork")
int BPF_PROG(sched_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = bpf_get_current_pid_tgid() >> 32, ctgid;
	__u8 one = 1;

	if (!follow_forks || !bpf_map_lookup_elem(&pid_filter, &ptgid))
		return 0;
	ctgid = BPF_CORE_READ(child, tgid);	/* a new thread keeps its parent's tgid */
	bpf_map_update_elem(&pid_filter, &ctgid, &one, BPF_ANY);
	return 0;
}
