// SPDX-License-Identifier: BSD-3-Clause
/* Ring buffer consumer: validates every record (kind, size, cap_len) before anyone reads it
 * and dispatches packet and process records to the caller's callbacks. */
#ifndef PROCAP_EVENTS_H
#define PROCAP_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>

#include "capture.h"

struct events_ops {
	/* A validated packet record: e->cap_len bytes at e->data. Return 0 to go on, < 0 to stop
	 * consuming (e.g. -c reached: -ECANCELED). */
	int (*packet)(void *ctx, const struct cap_event *e);
	void (*proc)(void *ctx, const struct cap_proc_event *e);
};

struct events;

/* The --tcpinfo record that came before packet record e (CAP_F_TCPINFO), or NULL. Valid
 * during the packet callback. */
const struct cap_tcpinfo *events_tcpinfo(const struct events *ev, const struct cap_event *e);

/* The peer (cap_peer record) that came before packet record e, or NULL if e has none or its
 * record was lost. Valid during the packet callback. */
const struct cap_owner *events_peer(const struct events *ev, const struct cap_event *e);

struct tcp_state;
/* r as a packet's tcp_state; false (s untouched) if r is NULL. */
bool events_tcp_state(const struct cap_tcpinfo *r, struct tcp_state *s);

struct events;

/* NULL and errno set on failure. */
struct events *events_new(int ring_fd, const struct events_ops *ops, void *ctx);
void events_free(struct events *ev);

/* Adds the ring to epoll instance ep, edge-triggered: epoll_wait returns when the kernel
 * side wakes the reader (bpf/wake.bpf.h), not whenever a record is waiting. Returns 0 or
 * -errno. */
int events_watch(const struct events *ev, int ep);

/* Consumes every waiting record. Returns the number consumed or a negative callback/ring
 * error. */
int events_consume(struct events *ev);

/* Records that failed validation (never expected: kernel and user disagree on the ABI). */
uint64_t events_bad(const struct events *ev);

/* Validation alone, for tests: 0 if a record of size bytes is a well-formed packet record. */
int events_check_packet(const void *data, size_t size);

#endif
