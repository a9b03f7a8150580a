// SPDX-License-Identifier: BSD-3-Clause
/* The current task as a packet owner, shared by the cgroup sock hooks (sock.bpf.c) and the
 * egress capture program (capture.bpf.c).
 *
 * At TC the current task is whoever the CPU happens to run, so it names the sender only when
 * the program runs in that task's own send path. task_is_sending() decides it from where the
 * program's stack lives: x86-64 runs every softirq (the TCP ACK and retransmit timers, packets
 * received on loopback and veth, neighbour-queue flushes) on the per-CPU IRQ stack, or in
 * ksoftirqd, a kernel thread; a user task's system call (sendmsg, connect, close, an io_uring
 * worker's send) runs on the task's own stack. So "on the current user task's stack" is
 * "sent by this task's system call", and that task is the owner even when the socket was
 * created, inherited or passed from another process. */
#ifndef PROCAP_OWNER_BPF_H
#define PROCAP_OWNER_BPF_H

#include "capture.h"

/* Set by the loader before load (both objects). */
const volatile __u64 cg_target_id;	/* --cgroup / -- CMD: cgroup id of the subtree root */
const volatile __u32 cg_target_level;	/* its level below the root (0 = the root itself) */
const volatile __u32 cg_filter;		/* 1 if a cgroup subtree is selected */

/* 0 where TC programs cannot read the current task (helpers open to every program type since
 * Linux 6.10; the loader probes them): the verifier then drops every path that would. */
const volatile __u32 owner_from_task = 1;

/* PREEMPT_RT runs softirqs in the task that enables them, on its stack: no proof there. */
extern bool CONFIG_PREEMPT_RT __kconfig __weak;

#define OWNER_PF_KTHREAD	0x00200000	/* task_struct.flags: a kernel thread */
/* THREAD_SIZE of x86-64 without KASAN. With a larger stack the test below fails for the deeper
 * part of it and the socket's stored owner is used instead: never a wrong owner. */
#define OWNER_TASK_STACK_BYTES	(16 * 1024)

static __always_inline bool task_is_sending(void)
{
	struct task_struct *task;
	volatile __u32 marker = 0;	/* lives on whatever stack this program runs on */
	__u64 sp = (__u64)&marker, base;

	if (!owner_from_task || CONFIG_PREEMPT_RT)
		return false;
	task = bpf_get_current_task_btf();
	if (task->flags & OWNER_PF_KTHREAD)
		return false;
	base = (__u64)task->stack;
	/* two comparisons, kept apart so the compiler cannot fold them into a subtraction from
	 * a stack pointer, which the verifier refuses */
	barrier_var(sp);
	if (sp < base)
		return false;
	barrier_var(sp);
	return sp < base + OWNER_TASK_STACK_BYTES;
}

static __always_inline void current_owner(struct cap_owner *o)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();

	o->pid = pid_tgid >> 32;
	o->tid = (__u32)pid_tgid;
	o->uid = (__u32)bpf_get_current_uid_gid();
	o->flags = 0;
	o->cgroup_id = bpf_get_current_cgroup_id();
	if (cg_filter && (cg_target_level == 0 ||
			  bpf_get_current_ancestor_cgroup_id(cg_target_level) == cg_target_id))
		o->flags |= CAP_OWNER_IN_CGROUP;
	bpf_get_current_comm(o->comm, sizeof(o->comm));
}

/* Make o name the current task unless it already does: an unchanged owner costs one helper
 * call, another thread of the same process two (its id and name: threads of one process take
 * turns on a shared socket packet by packet, as Go's runtime does), another process the
 * helpers of current_owner(). True if o now names another process. */
static __always_inline bool own_by_current(struct cap_owner *o)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();

	if (o->pid == pid_tgid >> 32) {
		if (o->tid != (__u32)pid_tgid) {
			o->tid = (__u32)pid_tgid;
			bpf_get_current_comm(o->comm, sizeof(o->comm));
		}
		return false;
	}
	current_owner(o);
	return true;
}

#endif
