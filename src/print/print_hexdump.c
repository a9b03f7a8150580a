// SPDX-License-Identifier: BSD-3-Clause
/* Packet dumps in tcpdump's layouts: -x (hex), -X (hex and ASCII), -A (ASCII).
 * Each line starts "\n\t0xOOOO:  "; hex is grouped in 16-bit words; ASCII shows 0x21..0x7e and
 * a dot for anything else. -A prints text as is, except that a CR before LF is dropped and other
 * non-printable bytes (but tab, space, LF) become dots. */
#include "print_int.h"

static const char hexdig[] = "0123456789abcdef";

static void offset(struct pbuf *pb, size_t off)
{
	pb_str(pb, "\n\t0x");
	pb_hex(pb, off, 4);
	pb_str(pb, ": ");
}

/* " xxxx" per 16-bit word, " xx" for a final odd byte; returns characters written. */
static size_t hexwords(struct pbuf *pb, const uint8_t *p, size_t n)
{
	size_t w = 0;

	pb_need(pb, 5 * 8);
	for (size_t i = 0; i < n; i += 2) {
		char *o = pb->buf + pb->len;

		o[0] = ' ';
		o[1] = hexdig[p[i] >> 4];
		o[2] = hexdig[p[i] & 0xf];
		if (i + 1 < n) {
			o[3] = hexdig[p[i + 1] >> 4];
			o[4] = hexdig[p[i + 1] & 0xf];
			pb->len += 5;
			w += 5;
		} else {
			pb->len += 3;
			w += 3;
		}
	}
	return w;
}

void print_hex(struct pbuf *pb, const uint8_t *p, size_t len)
{
	for (size_t off = 0; off < len; off += 16) {
		size_t n = len - off < 16 ? len - off : 16;

		offset(pb, off);
		hexwords(pb, p + off, n);
	}
}

void print_hex_ascii(struct pbuf *pb, const uint8_t *p, size_t len)
{
	for (size_t off = 0; off < len; off += 16) {
		size_t n = len - off < 16 ? len - off : 16;
		size_t w;

		offset(pb, off);
		w = hexwords(pb, p + off, n);
		pb_need(pb, 40 - w + 2 + 16);
		while (w < 40) {
			pb->buf[pb->len++] = ' ';
			w++;
		}
		pb->buf[pb->len++] = ' ';
		pb->buf[pb->len++] = ' ';
		for (size_t i = 0; i < n; i++) {
			uint8_t ch = p[off + i];

			pb->buf[pb->len++] = ch >= 0x21 && ch <= 0x7e ? (char)ch : '.';
		}
	}
}

void print_ascii(struct pbuf *pb, const uint8_t *p, size_t len)
{
	pb_need(pb, len + 1);
	pb->buf[pb->len++] = '\n';
	for (size_t i = 0; i < len; i++) {
		uint8_t ch = p[i];

		if (ch == '\r') {
			if (i + 1 < len && p[i + 1] == '\n')
				continue;
			pb->buf[pb->len++] = '.';
		} else if ((ch >= 0x21 && ch <= 0x7e) || ch == '\t' || ch == ' ' || ch == '\n') {
			pb->buf[pb->len++] = (char)ch;
		} else {
			pb->buf[pb->len++] = '.';
		}
	}
}
