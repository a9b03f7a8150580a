// SPDX-License-Identifier: BSD-3-Clause
/* The text line buffer: a whole packet's text is assembled here and written with one fwrite.
 * Shared by the tcpdump printers (src/print/) and the findings renderers (src/sink/findings.c);
 * the append functions are in print_util.c. */
#ifndef PROCAP_PBUF_H
#define PROCAP_PBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct pbuf {
	char *buf;
	size_t len, cap;
};

void pb_grow(struct pbuf *pb, size_t need);

static inline void pb_need(struct pbuf *pb, size_t n)
{
	if (pb->cap - pb->len < n)
		pb_grow(pb, n);
}

static inline void pb_mem(struct pbuf *pb, const char *s, size_t n)
{
	pb_need(pb, n);
	memcpy(pb->buf + pb->len, s, n);
	pb->len += n;
}

static inline void pb_str(struct pbuf *pb, const char *s)
{
	pb_mem(pb, s, strlen(s));
}

static inline void pb_ch(struct pbuf *pb, char ch)
{
	pb_need(pb, 1);
	pb->buf[pb->len++] = ch;
}

void pb_u64(struct pbuf *pb, uint64_t v);		/* decimal */
void pb_i64(struct pbuf *pb, int64_t v);		/* decimal, signed */
void pb_u_pad(struct pbuf *pb, uint64_t v, int width);	/* decimal, zero-padded to width */
void pb_hex(struct pbuf *pb, uint64_t v, int width);	/* lower-case hex, zero-padded */
void pb_ip4(struct pbuf *pb, const uint8_t *a);
void pb_ip6(struct pbuf *pb, const uint8_t *a);
void pb_mac(struct pbuf *pb, const uint8_t *a);
void pb_ip(struct pbuf *pb, int ver, const uint8_t *a);	/* pb_ip4 for ver 4, else pb_ip6 */
/* A link-layer address of n bytes: pb_mac for 6, else hex bytes joined by ':'. */
void pb_lladdr(struct pbuf *pb, const uint8_t *a, unsigned n);
void pb_printf(struct pbuf *pb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s with bytes outside 0x21..0x7e escaped as \xNN, so a value never contains a space
 * or a control byte. quoted: for a "..." value: space kept, '\\' and '"' backslash-escaped. */
void pb_escaped(struct pbuf *pb, const char *s, size_t n, bool quoted);

static inline void pb_u(struct pbuf *pb, uint64_t v)
{
	if (v < 10) {
		pb_ch(pb, (char)('0' + v));
		return;
	}
	pb_u64(pb, v);
}

#endif
