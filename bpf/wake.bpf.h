// SPDX-License-Identifier: BSD-3-Clause
/* When a ring record wakes the reader. A wakeup per record costs the sending CPU an irq_work
 * and the reader a context switch per packet; never waking leaves a lone packet in the ring
 * until the reader polls. So a record forces a wakeup when a quarter of the ring (at most
 * 256 KiB, wake_bytes) waits, or when no record of this object woke the reader for
 * wake_gap_ns: the first packet after a quiet spell is delivered at once, and a steady stream
 * wakes the reader at most 1 s / wake_gap_ns times per second. The reader drains the ring
 * every wake_gap_ns on its own while records keep coming (src/live.c), so a record submitted
 * without a wakeup waits at most about twice that. Each object including this header has its
 * own last_wake_ns; concurrent CPUs may both wake, which costs one extra wakeup. */
#ifndef PROCAP_WAKE_BPF_H
#define PROCAP_WAKE_BPF_H

#include "maps.bpf.h"

/* Set by the loader before load; 1 byte and 0 ns (the defaults) wake on every record. */
const volatile __u32 wake_bytes = 1;
const volatile __u64 wake_gap_ns;
/* A backlog of wake_bytes forces a wakeup at most once per this many ns. Each forced wakeup
 * is an irq_work, a self-IPI: on a paravirtualised guest an APIC write that traps, 10% of a
 * flooding sender's CPU when every record behind a backlog forced one while the reader was
 * still on its way (bench/README.md). */
const volatile __u64 wake_backlog_gap_ns;

__u64 last_wake_ns;

/* now: the record's own bpf_ktime_get_ns() time (a clock read costs the sender as much as
 * the ring reservation on a KVM guest, so it is read once per record). */
static __always_inline __u64 wake_flags(__u64 now)
{
	__u64 since = now - last_wake_ns;

	if (since < wake_gap_ns &&
	    (since < wake_backlog_gap_ns ||
	     bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) < wake_bytes))
		return BPF_RB_NO_WAKEUP;
	last_wake_ns = now;
	return BPF_RB_FORCE_WAKEUP;
}

#endif
