// SPDX-License-Identifier: BSD-3-Clause
/* Attribution without kprobes: cgroup sock hooks on the cgroup v2 root run in the context of
 * the task that creates or binds a socket, so the current task IS the owner there. They fill
 * sock_owner (the socket's storage -> owner) and, for bound sockets, tuple_owner (local
 * address/port -> owner). Who sends on a socket later is seen by the egress capture program
 * itself (bpf/owner.bpf.h), so no hook runs per connect, datagram sent or datagram received.
 * sched_process_exec/exit feed the userspace process table and sched_process_fork follows
 * children for --pid --follow-forks.
 * These hooks affect every socket of the machine: they never deny (always return 1) and each
 * one does at most one lookup and one update. */
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
 * its ingress packets attributed through this entry (remote part zero). */
static __always_inline void own_bound(struct bpf_sock *sk, bool v6)
{
	struct cap_tuple k = {};
	struct cap_tuple_val v = {};

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
	current_owner(&v.owner);
	v.source = CAP_SRC_TUPLE;
	bpf_map_update_elem(&tuple_owner, &k, &v, BPF_ANY);
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
