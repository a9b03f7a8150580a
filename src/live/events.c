// SPDX-License-Identifier: BSD-3-Clause
/* Ring buffer consumer (see events.h). */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "events.h"
#include "packet.h"
#include "ring.h"
#include "util.h"

/* A record's owner_src becomes the packet's proc.source unchanged (live.c), so the kernel's
 * CAP_SRC_* and user space's enum owner_source must stay the same numbers. */
_Static_assert(CAP_SRC_NONE == OWNER_NONE && CAP_SRC_COOKIE == OWNER_COOKIE &&
	       CAP_SRC_TUPLE == OWNER_TUPLE && CAP_SRC_PROC == OWNER_PROC,
	       "bpf/capture.h CAP_SRC_* differ from enum owner_source");

_Static_assert(offsetof(struct cap_event, data) == 88, "cap_event ABI: header is 88 bytes");
_Static_assert(sizeof(struct cap_event) == 88, "cap_event ABI: no trailing padding");
_Static_assert(sizeof(struct cap_peer) == 64, "cap_peer ABI");
_Static_assert(offsetof(struct cap_peer, ts_ns) == offsetof(struct cap_tcpinfo, ts_ns) &&
	       offsetof(struct cap_peer, ifindex) == offsetof(struct cap_tcpinfo, ifindex),
	       "side records share kind, ifindex, ts_ns");
_Static_assert(sizeof(struct cap_owner) == 40, "cap_owner ABI");
_Static_assert(sizeof(struct cap_tuple) == 40, "cap_tuple ABI");
_Static_assert(sizeof(struct cap_tuple_val) == 48, "cap_tuple_val ABI");
_Static_assert(sizeof(struct cap_proc_event) == 320, "cap_proc_event ABI");
_Static_assert(sizeof(struct cap_stats) == 64, "cap_stats ABI");
_Static_assert(sizeof(struct cap_tcpinfo) == 88, "cap_tcpinfo ABI");

/* Records that come just before their packet (tcpinfo, peer), waiting for it: another CPU's
 * records can come between a record and its packet, two per CPU at most, so a few slots
 * suffice. Both kinds start with kind, ifindex and ts_ns; dir sits where each has room. */
#define SIDE_PENDING	32

union side_rec {
	__u32 kind;
	struct cap_tcpinfo tcpinfo;
	struct cap_peer peer;
};

struct events {
	struct bpf_ring *rb;
	int ring_fd;
	const struct events_ops *ops;
	void *ctx;
	uint64_t bad;
	union side_rec side[SIDE_PENDING];
	unsigned next_side;
};

/* The record of kind that came before packet e; NULL if its record was lost (a full ring). */
static const union side_rec *side_of(const struct events *ev, __u32 kind,
				     const struct cap_event *e)
{
	for (unsigned i = 0; i < SIDE_PENDING; i++) {
		const union side_rec *r = &ev->side[i];
		__u8 dir = kind == CAP_KIND_PEER ? r->peer.dir : r->tcpinfo.dir;

		if (r->kind == kind && r->peer.ts_ns == e->ts_ns &&
		    r->peer.ifindex == e->ifindex && dir == e->dir)
			return r;
	}
	return NULL;
}

const struct cap_owner *events_peer(const struct events *ev, const struct cap_event *e)
{
	const union side_rec *r = e->peer_src != CAP_SRC_NONE ? side_of(ev, CAP_KIND_PEER, e) : NULL;

	return r ? &r->peer.peer : NULL;
}

const struct cap_tcpinfo *events_tcpinfo(const struct events *ev, const struct cap_event *e)
{
	const union side_rec *r = e->flags & CAP_F_TCPINFO ? side_of(ev, CAP_KIND_TCPINFO, e) : NULL;

	return r ? &r->tcpinfo : NULL;
}

bool events_tcp_state(const struct cap_tcpinfo *r, struct tcp_state *s)
{
	if (!r)
		return false;
	memset(s, 0, sizeof(*s));
	s->cwnd = r->snd_cwnd;
	s->ssthresh = r->snd_ssthresh;
	s->srtt_us = r->srtt_us;
	s->rttvar_us = r->rttvar_us;
	s->snd_wnd = r->snd_wnd;
	s->rcv_wnd = r->rcv_wnd;
	s->packets_out = r->packets_out;
	s->retrans_out = r->retrans_out;
	s->sacked_out = r->sacked_out;
	s->lost_out = r->lost_out;
	s->mss = r->mss_cache;
	s->in_flight = r->snd_nxt - r->snd_una;	/* sequence space wraps */
	s->pacing_rate = r->pacing_rate;
	/* as tcp_compute_delivery_rate(): segments delivered over the sampled interval */
	if (r->rate_interval_us)
		s->delivery_rate = (uint64_t)r->rate_delivered * r->mss_cache * 1000000u /
				   r->rate_interval_us;
	s->ca_state = r->ca_state;
	return true;
}

int events_check_packet(const void *data, size_t size)
{
	const struct cap_event *e = data;

	if (size < sizeof(*e) || e->kind != CAP_KIND_PACKET)
		return -EINVAL;
	if (e->cap_len == 0 || e->cap_len > CAP_DATA_MAX || e->cap_len > size - sizeof(*e) ||
	    e->cap_len > e->wire_len || e->dir > CAP_DIR_EGRESS || e->owner_src > CAP_SRC_PROC ||
	    e->peer_src > CAP_SRC_PROC)
		return -EINVAL;
	return 0;
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct events *ev = ctx;
	const __u32 *kind = data;

	if (size < sizeof(*kind)) {
		ev->bad++;
		return 0;
	}
	if (*kind == CAP_KIND_PACKET) {
		if (events_check_packet(data, size)) {
			ev->bad++;
			return 0;
		}
		return ev->ops->packet(ev->ctx, data);
	}
	if ((*kind == CAP_KIND_TCPINFO && size >= sizeof(struct cap_tcpinfo)) ||
	    (*kind == CAP_KIND_PEER && size >= sizeof(struct cap_peer))) {
		union side_rec *r = &ev->side[ev->next_side++ % SIDE_PENDING];

		memcpy(r, data, *kind == CAP_KIND_PEER ? sizeof(r->peer) : sizeof(r->tcpinfo));
		return 0;
	}
	if ((*kind == CAP_KIND_EXEC || *kind == CAP_KIND_EXIT) &&
	    size >= sizeof(struct cap_proc_event)) {
		if (ev->ops->proc)
			ev->ops->proc(ev->ctx, data);
		return 0;
	}
	ev->bad++;
	return 0;
}

struct events *events_new(int ring_fd, const struct events_ops *ops, void *ctx)
{
	struct events *ev = xcalloc(1, sizeof(*ev));

	ev->ops = ops;
	ev->ctx = ctx;
	ev->ring_fd = ring_fd;
	ev->rb = ring_open(ring_fd, on_record, ev);
	if (!ev->rb) {
		int err = errno;
		free(ev);
		errno = err;
		return NULL;
	}
	return ev;
}

void events_free(struct events *ev)
{
	if (!ev)
		return;
	ring_close(ev->rb);
	free(ev);
}

/* Level-triggered, a flood keeps the ring non-empty, so every epoll_wait returned at once and
 * the reader looped a syscall per hundred records (5,000 a second at 700k packets/s, each
 * one an interrupt-enable trap on a paravirtualised guest). Edge-triggered, it sleeps until
 * a wakeup: the first record after a quiet spell, a backlog of wake_bytes, or the caller's
 * timeout, which drains what came without one. */
int events_watch(const struct events *ev, int ep)
{
	struct epoll_event ee = { .events = EPOLLIN | EPOLLET, .data.fd = ev->ring_fd };

	return epoll_ctl(ep, EPOLL_CTL_ADD, ev->ring_fd, &ee) ? -errno : 0;
}

int events_consume(struct events *ev)
{
	return ring_consume(ev->rb);
}

uint64_t events_bad(const struct events *ev)
{
	return ev->bad;
}
