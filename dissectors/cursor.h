// SPDX-License-Identifier: BSD-3-Clause
/* Bounded cursor: every packet byte procap parses is read through it.
 * Reads past the end return 0 and set a sticky short_read flag, so a parser reads a run of
 * fields and tests once. Lengths are compared, never pointers (pos + n may overflow). */
#ifndef PROCAP_CURSOR_H
#define PROCAP_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cursor {
	const uint8_t *pos;	/* next unread byte */
	const uint8_t *end;	/* one past the last captured byte */
	bool short_read;	/* sticky: set by the first read that did not fit */
};

static inline struct cursor cur_init(const uint8_t *p, size_t len)
{
	struct cursor c = { p, p + len, false };
	return c;
}

static inline size_t cur_left(const struct cursor *c)
{
	return c->short_read ? 0 : (size_t)(c->end - c->pos);
}

static inline bool cur_need(struct cursor *c, size_t n)
{
	if (c->short_read || n > (size_t)(c->end - c->pos)) {
		c->short_read = true;
		return false;
	}
	return true;
}

static inline uint8_t cur_u8(struct cursor *c)
{
	if (!cur_need(c, 1))
		return 0;
	return *c->pos++;
}

static inline uint16_t cur_be16(struct cursor *c)
{
	if (!cur_need(c, 2))
		return 0;
	uint16_t v = (uint16_t)(c->pos[0] << 8 | c->pos[1]);
	c->pos += 2;
	return v;
}

static inline uint32_t cur_be24(struct cursor *c)
{
	if (!cur_need(c, 3))
		return 0;
	uint32_t v = (uint32_t)c->pos[0] << 16 | (uint32_t)c->pos[1] << 8 | c->pos[2];
	c->pos += 3;
	return v;
}

static inline uint32_t cur_be32(struct cursor *c)
{
	if (!cur_need(c, 4))
		return 0;
	uint32_t v = (uint32_t)c->pos[0] << 24 | (uint32_t)c->pos[1] << 16 |
		     (uint32_t)c->pos[2] << 8 | c->pos[3];
	c->pos += 4;
	return v;
}

static inline uint64_t cur_be64(struct cursor *c)
{
	uint64_t hi = cur_be32(c);
	uint64_t lo = cur_be32(c);
	return c->short_read ? 0 : hi << 32 | lo;
}

/* Variable-length integer, RFC 9000 §16: the two top bits of the first byte give the length. */
static inline uint64_t cur_varint(struct cursor *c)
{
	if (!cur_need(c, 1))
		return 0;
	size_t n = (size_t)1 << (c->pos[0] >> 6);
	if (!cur_need(c, n))
		return 0;
	uint64_t v = c->pos[0] & 0x3f;
	for (size_t i = 1; i < n; i++)
		v = v << 8 | c->pos[i];
	c->pos += n;
	return v;
}

static inline bool cur_skip(struct cursor *c, size_t n)
{
	if (!cur_need(c, n))
		return false;
	c->pos += n;
	return true;
}

/* Borrow n bytes; NULL on short read. */
static inline const uint8_t *cur_bytes(struct cursor *c, size_t n)
{
	if (!cur_need(c, n))
		return NULL;
	const uint8_t *p = c->pos;
	c->pos += n;
	return p;
}

/* Child cursor of exactly n bytes; the parent advances n. If fewer than n bytes are left the
 * child holds what is there and the parent is marked short: a truncated vector can still be
 * parsed as far as it goes, while a lying length never reaches past the parent. */
static inline struct cursor cur_sub(struct cursor *c, size_t n)
{
	struct cursor child;
	size_t left = cur_left(c);

	child.pos = c->pos;
	child.short_read = c->short_read;
	if (n > left) {
		child.end = c->pos + left;
		c->pos += left;
		c->short_read = true;
	} else {
		child.end = c->pos + n;
		c->pos += n;
	}
	return child;
}

/* Reads at an offset from the cursor's position that leave the cursor where it is: the text
 * printers' accessors (tcpdump's GET_* in spirit). Printers test cur_has() before they print a
 * field; a byte outside the captured data reads as 0, so a forgotten test prints a wrong value
 * and never reads past the packet. */
static inline bool cur_has(const struct cursor *c, size_t off, size_t n)
{
	size_t left = cur_left(c);

	return off <= left && n <= left - off;
}

static inline uint8_t cur_at_u8(const struct cursor *c, size_t off)
{
	return cur_has(c, off, 1) ? c->pos[off] : 0;
}

static inline uint16_t cur_at_be16(const struct cursor *c, size_t off)
{
	return cur_has(c, off, 2) ? (uint16_t)(c->pos[off] << 8 | c->pos[off + 1]) : 0;
}

static inline uint32_t cur_at_be24(const struct cursor *c, size_t off)
{
	if (!cur_has(c, off, 3))
		return 0;
	return (uint32_t)c->pos[off] << 16 | (uint32_t)c->pos[off + 1] << 8 | c->pos[off + 2];
}

static inline uint32_t cur_at_be32(const struct cursor *c, size_t off)
{
	if (!cur_has(c, off, 4))
		return 0;
	return (uint32_t)c->pos[off] << 24 | (uint32_t)c->pos[off + 1] << 16 |
	       (uint32_t)c->pos[off + 2] << 8 | c->pos[off + 3];
}

/* The bytes from off on (empty when off is past the captured data). */
static inline struct cursor cur_from(const struct cursor *c, size_t off)
{
	struct cursor r = *c;

	r.pos = cur_has(c, off, 0) ? c->pos + off : c->end;
	return r;
}

/* At most n bytes from off on: what of them was captured. */
static inline struct cursor cur_sub_at(const struct cursor *c, size_t off, size_t n)
{
	struct cursor r = cur_from(c, off);

	if (cur_left(&r) > n)
		r.end = r.pos + n;
	return r;
}

/* A pointer to n captured bytes at off, NULL when they are not all captured. */
static inline const uint8_t *cur_at_ptr(const struct cursor *c, size_t off, size_t n)
{
	return cur_has(c, off, n) ? c->pos + off : NULL;
}

#endif
