// SPDX-License-Identifier: BSD-3-Clause
/* Two small EtherType payloads tcpdump 4.99.3 decodes on one line: AppleTalk ARP (0x80F3) and
 * the Ethernet configuration testing protocol ("Loopback", 0x9000).
 * specification: Inside AppleTalk (2nd ed.) §2 "AppleTalk Address Resolution Protocol" (packet
 * format: ARP header with hardware type 1, protocol 0x809B, 6/4-byte addresses; request 1,
 * response 2, probe 3); The Ethernet, Version 2.0 (DEC/Intel/Xerox 1982) §7.11 "Ethernet
 * Configuration Testing Protocol" (little-endian skip count, function 1 reply / 2 forward
 * data, receipt number, forward address). */
#include "print_int.h"

/* An AppleTalk protocol address: a pad byte, the network (16 bits) and the node. */
static void at_addr(struct pbuf *pb, const struct cursor *c, size_t off)
{
	pb_u(pb, cur_at_be16(c, off + 1));
	pb_ch(pb, '.');
	pb_u(pb, cur_at_u8(c, off + 3));
}

void print_aarp(struct pstate *ps, struct cursor c, uint32_t len)
{
	struct pbuf *pb = ps->pb;
	unsigned op;

	pb_str(pb, "aarp ");
	if (!cur_has(&c, 0, 28)) {
		print_trunc_mark(ps, "aarp");
		return;
	}
	op = cur_at_be16(&c, 6);
	if (cur_at_be16(&c, 0) == 1 && cur_at_be16(&c, 2) == 0x809b && cur_at_u8(&c, 4) == 6 &&
	    cur_at_u8(&c, 5) == 4 && op >= 1 && op <= 3) {
		/* sender: hardware 8, protocol 14; target: hardware 18, protocol 24 */
		if (op == 2) {
			pb_str(pb, "reply ");
			at_addr(pb, &c, 14);
			pb_str(pb, " is-at ");
			pb_mac(pb, cur_at_ptr(&c, 8, 6));
			return;
		}
		pb_str(pb, op == 1 ? "who-has " : "probe ");
		at_addr(pb, &c, 24);
		pb_str(pb, " tell ");
		at_addr(pb, &c, 14);
		return;
	}
	pb_printf(pb, "len %u op %u htype %u ptype %#x halen %u palen %u", len, op,
		  cur_at_be16(&c, 0), cur_at_be16(&c, 2), cur_at_u8(&c, 4), cur_at_u8(&c, 5));
}

void print_loopback(struct pstate *ps, struct cursor c, uint32_t len)
{
	struct pbuf *pb = ps->pb;
	size_t cap = cur_left(&c) < len ? cur_left(&c) : len;
	size_t off;
	unsigned skip, fn;

	pb_str(pb, "Loopback");
	if (len < 2)
		goto invalid;
	if (cap < 2)
		goto trunc;
	skip = cur_at_u8(&c, 0) | (unsigned)cur_at_u8(&c, 1) << 8;
	pb_printf(pb, ", skipCount %u", skip);
	if (skip % 8)
		pb_str(pb, " (bogus)");
	off = 2 + (size_t)skip;
	if (off > len || len - off < 2)
		goto invalid;
	if (cap < off + 2)
		goto trunc;
	fn = cur_at_u8(&c, off) | (unsigned)cur_at_u8(&c, off + 1) << 8;
	off += 2;
	if (fn == 1) {
		pb_str(pb, ", Reply");
		if (len - off < 2)
			goto invalid;
		if (cap < off + 2)
			goto trunc;
		pb_printf(pb, ", receipt number %u",
			  cur_at_u8(&c, off) | (unsigned)cur_at_u8(&c, off + 1) << 8);
		off += 2;
	} else if (fn == 2) {
		pb_str(pb, ", Forward Data");
		if (len - off < 6)
			goto invalid;
		if (cap < off + 6)
			goto trunc;
		pb_str(pb, ", forwarding address ");
		pb_mac(pb, cur_at_ptr(&c, off, 6));
		off += 6;
	} else {
		pb_printf(pb, ",  invalid (%u)", fn);
	}
	if (fn == 1 || fn == 2)
		pb_printf(pb, ", data (%u octets)", (unsigned)(len - off));
	if (cap < len)
		goto trunc;
	return;
invalid:
	pb_str(pb, " (invalid)");
	return;
trunc:
	print_trunc_mark(ps, "loopback");
}
