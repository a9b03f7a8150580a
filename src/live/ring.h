// SPDX-License-Identifier: BSD-3-Clause
/* Reader of a BPF ring buffer map (BPF_MAP_TYPE_RINGBUF) through the kernel's mmap interface,
 * in place of libbpf's ring_buffer for the packet ring: it reads every page of the ring once
 * when opened (see ring.c), and gives records back to the kernel in batches. */
#ifndef PROCAP_RING_H
#define PROCAP_RING_H

#include <stddef.h>

/* A committed record: size bytes at data, valid until the callback returns. Return 0 to go
 * on, < 0 to stop (the record counts as read). */
typedef int (*ring_record_fn)(void *ctx, void *data, size_t size);

struct bpf_ring;

/* NULL and errno set on failure (EINVAL: map_fd is not a ring buffer). */
struct bpf_ring *ring_open(int map_fd, ring_record_fn fn, void *ctx);
void ring_close(struct bpf_ring *r);	/* NULL-safe */

/* Reads every committed record. Returns how many, or the callback's negative return. */
int ring_consume(struct bpf_ring *r);

#endif
