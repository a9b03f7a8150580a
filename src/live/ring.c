// SPDX-License-Identifier: BSD-3-Clause
/* BPF ring buffer reader (see ring.h). The kernel's interface (kernel/bpf/ringbuf.c,
 * include/uapi/linux/bpf.h, Documentation/bpf/ringbuf.rst): the map's first page holds the
 * consumer position, which the reader writes; the next page the producer position, then the
 * data area, mapped twice in a row so a record that wraps reads as one piece; both read only.
 * Positions are byte counts that only grow. Each record starts with an 8-byte header: a 32-bit
 * length whose top bits say busy (reserved, not yet committed) or discarded, then the kernel's
 * page offset; records are 8-byte aligned. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <linux/bpf.h>

#include "ring.h"
#include "util.h"

/* The consumer position is written back after this many records and at the end of a pass,
 * not after each record as libbpf does: the producer reads that cache line at every
 * reservation, and a write per record moves it between the two CPUs per packet. A few
 * records' lag only makes the ring look fuller to the producer by as much. */
#define RELEASE_EVERY	32

struct bpf_ring {
	ring_record_fn fn;
	void *ctx;
	uint64_t mask;		/* data bytes - 1 (a power of two) */
	uint64_t *consumer;	/* read-write page */
	const uint64_t *producer;	/* read-only: this page, then the data twice */
	const uint8_t *data;
	size_t page, map_len;
};

/* One read of every page the reader will use. On a paravirtualised guest whose host keeps
 * shadow page tables (PVM; bench/README.md) the first access to each page of a mapping costs
 * a host fault the guest never sees, a few microseconds: 8 ms for the default 8 MiB ring,
 * which the first flood's packets paid otherwise (tcpdump's ring pays it on its first pass).
 * The second copy is read only as far as a record can reach past the first. */
static void warm_pages(const struct bpf_ring *r)
{
	const volatile uint8_t *d = r->data;
	size_t data_len = (size_t)r->mask + 1, reach = data_len + (64u << 10) + 2 * r->page;

	if (reach > 2 * data_len)
		reach = 2 * data_len;
	for (size_t off = 0; off < reach; off += r->page)
		(void)d[off];
}

struct bpf_ring *ring_open(int map_fd, ring_record_fn fn, void *ctx)
{
	struct bpf_map_info info = { 0 };
	__u32 info_len = sizeof(info);
	long page = sysconf(_SC_PAGESIZE);
	struct bpf_ring *r;
	int err;

	if (bpf_obj_get_info_by_fd(map_fd, &info, &info_len))
		return NULL;
	if (info.type != BPF_MAP_TYPE_RINGBUF || info.max_entries < (__u32)page ||
	    (info.max_entries & (info.max_entries - 1))) {
		errno = EINVAL;
		return NULL;
	}
	r = xcalloc(1, sizeof(*r));
	r->fn = fn;
	r->ctx = ctx;
	r->page = (size_t)page;
	r->mask = info.max_entries - 1;
	r->map_len = r->page + 2 * (size_t)info.max_entries;
	r->consumer = mmap(NULL, r->page, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd, 0);
	if (r->consumer == MAP_FAILED)
		goto fail;
	r->producer = mmap(NULL, r->map_len, PROT_READ, MAP_SHARED, map_fd, (off_t)r->page);
	if (r->producer == MAP_FAILED)
		goto fail;
	r->data = (const uint8_t *)r->producer + r->page;
	warm_pages(r);
	return r;
fail:
	err = errno;
	if (r->consumer != MAP_FAILED)
		munmap(r->consumer, r->page);
	free(r);
	errno = err;
	return NULL;
}

void ring_close(struct bpf_ring *r)
{
	if (!r)
		return;
	munmap((void *)r->producer, r->map_len);
	munmap(r->consumer, r->page);
	free(r);
}

static void release(struct bpf_ring *r, uint64_t pos)
{
	__atomic_store_n(r->consumer, pos, __ATOMIC_RELEASE);
}

int ring_consume(struct bpf_ring *r)
{
	uint64_t cons = *r->consumer;	/* only this reader writes it */
	unsigned unreleased = 0;
	int n = 0;

	for (;;) {
		uint64_t prod = __atomic_load_n(r->producer, __ATOMIC_ACQUIRE);

		if (cons >= prod)
			break;
		while (cons < prod) {
			const uint32_t *hdr = (const uint32_t *)(r->data + (cons & r->mask));
			uint32_t len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);

			if (len & BPF_RINGBUF_BUSY_BIT)	/* not committed yet: the next pass */
				goto out;
			uint32_t size = len & ~(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT);
			cons += (BPF_RINGBUF_HDR_SZ + (uint64_t)size + 7) & ~(uint64_t)7;
			if (!(len & BPF_RINGBUF_DISCARD_BIT)) {
				int rc = r->fn(r->ctx, (void *)(hdr + 2), size);

				if (rc < 0) {
					release(r, cons);
					return rc;
				}
				n++;
			}
			if (++unreleased == RELEASE_EVERY) {
				release(r, cons);
				unreleased = 0;
			}
		}
		release(r, cons);
		unreleased = 0;
	}
out:
	if (unreleased)
		release(r, cons);
	return n;
}
