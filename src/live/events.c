// SPDX-License-Identifier: BSD-3-Clause
/* Ring buffer consumer (see events.h). */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <bpf/libbpf.h>

#include "events.h"
#include "packet.h"
#include "util.h"

/* A record's owner_src becomes the packet's proc.source unchanged (live.c), so the kernel's
 * CAP_SRC_* and user space's enum owner_source must stay the same numbers. */
_Static_assert(CAP_SRC_NONE == OWNER_NONE && CAP_SRC_COOKIE == OWNER_COOKIE &&
	       CAP_SRC_TUPLE == OWNER_TUPLE && CAP_SRC_PROC == OWNER_PROC,
	       "bpf/capture.h CAP_SRC_* differ from enum owner_source");

_Static_assert(offsetof(struct cap_event, data) == 128, "cap_event ABI: header is 128 bytes");
_Static_assert(sizeof(struct cap_event) == 128, "cap_event ABI: no trailing padding");
_Static_assert(sizeof(struct cap_owner) == 40, "cap_owner ABI");
_Static_assert(sizeof(struct cap_tuple) == 40, "cap_tuple ABI");
_Static_assert(sizeof(struct cap_tuple_val) == 48, "cap_tuple_val ABI");
_Static_assert(sizeof(struct cap_proc_event) == 320, "cap_proc_event ABI");
_Static_assert(sizeof(struct cap_stats) == 64, "cap_stats ABI");

struct events {
	struct ring_buffer *rb;
	const struct events_ops *ops;
	void *ctx;
	uint64_t bad;
};

int events_check_packet(const void *data, size_t size)
{
	const struct cap_event *e = data;

	if (size < sizeof(*e) || e->kind != CAP_KIND_PACKET)
		return -EINVAL;
	if (e->cap_len == 0 || e->cap_len > CAP_DATA_MAX || e->cap_len > size - sizeof(*e) ||
	    e->cap_len > e->wire_len || e->dir > CAP_DIR_EGRESS || e->owner_src > CAP_SRC_PROC)
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
	ev->rb = ring_buffer__new(ring_fd, on_record, ev, NULL);
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
	ring_buffer__free(ev->rb);
	free(ev);
}

int events_fd(const struct events *ev)
{
	return ring_buffer__epoll_fd(ev->rb);
}

int events_consume(struct events *ev)
{
	return ring_buffer__consume(ev->rb);
}

uint64_t events_bad(const struct events *ev)
{
	return ev->bad;
}
