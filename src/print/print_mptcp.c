// SPDX-License-Identifier: BSD-3-Clause
/* The Multipath TCP option (TCP option kind 30) as tcpdump 4.99.3 prints it inside
 * "options [...]": "mptcp LEN SUBTYPE" and the subtype's fields.
 * specification: RFC 8684 §3.1 (MP_CAPABLE), §3.2 (MP_JOIN), §3.3 (DSS), §3.4.1 (ADD_ADDR),
 * §3.4.2 (REMOVE_ADDR), §3.3.8 (MP_PRIO), §3.7 (MP_FAIL), §3.5 (MP_FASTCLOSE); RFC 6824 for the
 * version 0 forms. tcpdump 4.99.3 knows subtypes 0-7 only: MP_TCPRST (8) and later print as
 * "unknown". A length that does not fit the subtype (or a SYN where the subtype does not
 * belong) returns false, and the caller ends the option list with "[bad opt]" as tcpdump does.
 */
#include "print_int.h"

#define TCP_SYN 0x02
#define TCP_ACK 0x10

/* MP_CAPABLE: keys by length; SYN carries the sender's key (or none, v1), the third ACK both. */
static bool mp_capable(struct pbuf *pb, const struct cursor *o, unsigned len, uint8_t flags)
{
	unsigned ver = cur_at_u8(o, 2) & 0xf;
	bool syn_form = (len == 4 || len == 12) && (flags & TCP_SYN);
	bool ack_form = (len == 20 || len == 22) && (flags & (TCP_SYN | TCP_ACK)) == TCP_ACK;

	if (!syn_form && !ack_form)
		return false;
	if (ver > 1) {
		pb_str(pb, " Unknown Version (");
		pb_u(pb, ver);
		pb_ch(pb, ')');
		return true;
	}
	pb_str(pb, " v");
	pb_u(pb, ver);
	if (cur_at_u8(o, 3) & 0x80)
		pb_str(pb, " csum");
	if (len == 12 || len >= 20) {
		pb_str(pb, " {0x");
		pb_hex(pb, (uint64_t)cur_at_be32(o, 4) << 32 | cur_at_be32(o, 8), 1);
		if (len >= 20) {
			pb_str(pb, ",0x");
			pb_hex(pb, (uint64_t)cur_at_be32(o, 12) << 32 | cur_at_be32(o, 16), 1);
		}
		pb_ch(pb, '}');
	}
	return true;
}

/* MP_JOIN: SYN (token, nonce), SYN/ACK (truncated HMAC, nonce), third ACK (full HMAC). */
static bool mp_join(struct pbuf *pb, const struct cursor *o, unsigned len, uint8_t flags)
{
	if (!(len == 12 && (flags & TCP_SYN)) &&
	    !(len == 16 && (flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK)) &&
	    !(len == 24 && (flags & TCP_ACK)))
		return false;
	if (len != 24) {
		if (cur_at_u8(o, 2) & 0x01)
			pb_str(pb, " backup");
		pb_str(pb, " id ");
		pb_u(pb, cur_at_u8(o, 3));
	}
	if (len == 12) {
		pb_str(pb, " token 0x");
		pb_hex(pb, cur_at_be32(o, 4), 1);
		pb_str(pb, " nonce 0x");
		pb_hex(pb, cur_at_be32(o, 8), 1);
	} else if (len == 16) {
		pb_str(pb, " hmac 0x");
		pb_hex(pb, (uint64_t)cur_at_be32(o, 4) << 32 | cur_at_be32(o, 8), 1);
		pb_str(pb, " nonce 0x");
		pb_hex(pb, cur_at_be32(o, 12), 1);
	} else {
		pb_str(pb, " hmac 0x");
		for (unsigned k = 4; k < 24; k++)
			pb_hex(pb, cur_at_u8(o, k), 2);
	}
	return true;
}

/* A 4- or 8-byte DSS number at *off (wide: the 'a' or 'm' flag); false when len runs out. */
static bool dss_number(struct pbuf *pb, const struct cursor *o, unsigned *off, unsigned len,
		       bool wide)
{
	unsigned n = wide ? 8 : 4;

	if (len - *off < n)
		return false;
	if (wide)
		pb_u(pb, (uint64_t)cur_at_be32(o, *off) << 32 | cur_at_be32(o, *off + 4));
	else
		pb_u(pb, cur_at_be32(o, *off));
	*off += n;
	return true;
}

/* DSS: flags F (0x10), m (0x08), M (0x04), a (0x02), A (0x01); every byte must be used. */
static bool mp_dss(struct pbuf *pb, const struct cursor *o, unsigned len, uint8_t flags)
{
	unsigned f, off = 4;

	if (len < 4 || (flags & TCP_SYN))
		return false;
	f = cur_at_u8(o, 3);
	if (f & 0x10)
		pb_str(pb, " fin");
	if (f & 0x01) {
		pb_str(pb, " ack ");
		if (!dss_number(pb, o, &off, len, f & 0x02))
			return false;
	}
	if (f & 0x04) {
		pb_str(pb, " seq ");
		if (!dss_number(pb, o, &off, len, f & 0x08))
			return false;
		if (len - off < 4)
			return false;
		pb_str(pb, " subseq ");
		pb_u(pb, cur_at_be32(o, off));
		off += 4;
		if (len - off < 2)
			return false;
		pb_str(pb, " len ");
		pb_u(pb, cur_at_be16(o, off));
		off += 2;
		/* the checksum is there when negotiated: tcpdump takes any 2 bytes left */
		if (len - off >= 2) {
			pb_str(pb, " csum 0x");
			pb_hex(pb, cur_at_be16(o, off), 1);
			off += 2;
		}
	}
	return off == len;
}

/* ADD_ADDR: the length alone says IPv4 or IPv6, with or without port, with or without the
 * truncated HMAC of version 1; the low nibble names the version/echo form. */
static bool mp_add_addr(struct pbuf *pb, const struct cursor *o, unsigned len)
{
	bool v4 = len == 8 || len == 10 || len == 16 || len == 18;
	bool v6 = len == 20 || len == 22 || len == 28 || len == 30;
	unsigned alen = v4 ? 4 : 16, hmac;

	if (!v4 && !v6)
		return false;
	switch (cur_at_u8(o, 2) & 0xf) {
	case 0x6: pb_str(pb, " v0-ip6"); break;
	case 0x4: pb_str(pb, " v0-ip4"); break;
	case 0x1: pb_str(pb, " v1-echo"); break;
	case 0x0: pb_str(pb, " v1"); break;
	default: pb_str(pb, " [bad version/echo]"); break;
	}
	pb_str(pb, " id ");
	pb_u(pb, cur_at_u8(o, 3));
	pb_ch(pb, ' ');
	print_ip_at(pb, v4 ? 4 : 6, o, 4);
	hmac = 4 + alen;
	if ((len - 4 - alen) % 8 == 2) {	/* a port follows the address */
		pb_ch(pb, ':');
		pb_u(pb, cur_at_be16(o, 4 + alen));
		hmac += 2;
	}
	if (len - hmac == 8) {
		pb_str(pb, " hmac 0x");
		pb_hex(pb, (uint64_t)cur_at_be32(o, hmac) << 32 | cur_at_be32(o, hmac + 4), 1);
	}
	return true;
}

bool print_mptcp(struct pbuf *pb, struct cursor o, unsigned len, uint8_t flags)
{
	static const char *const names[] = { "capable", "join", "dss", "add-addr", "rem-addr",
					     "prio", "fail", "fast-close", "unknown" };
	unsigned sub;

	if (len < 3)
		return false;
	sub = cur_at_u8(&o, 2) >> 4;
	if (sub > 8)
		sub = 8;
	pb_ch(pb, ' ');
	pb_u(pb, len);
	pb_ch(pb, ' ');
	pb_str(pb, names[sub]);
	switch (sub) {
	case 0:
		return mp_capable(pb, &o, len, flags);
	case 1:
		return mp_join(pb, &o, len, flags);
	case 2:
		return mp_dss(pb, &o, len, flags);
	case 3:
		return mp_add_addr(pb, &o, len);
	case 4:				/* REMOVE_ADDR: one or more address ids */
		if (len < 4)
			return false;
		pb_str(pb, " id");
		for (unsigned k = 3; k < len; k++) {
			pb_ch(pb, ' ');
			pb_u(pb, cur_at_u8(&o, k));
		}
		return true;
	case 5:				/* MP_PRIO: backup bit, address id optional */
		if (len != 3 && len != 4)
			return false;
		pb_str(pb, cur_at_u8(&o, 2) & 0x01 ? " backup" : " non-backup");
		if (len == 4) {
			pb_str(pb, " id ");
			pb_u(pb, cur_at_u8(&o, 3));
		}
		return true;
	case 6:				/* MP_FAIL: the data sequence number */
	case 7:				/* MP_FASTCLOSE: the receiver's key */
		if (len != 12)
			return false;
		pb_str(pb, sub == 6 ? " seq " : " key 0x");
		if (sub == 6)
			pb_u(pb, (uint64_t)cur_at_be32(&o, 4) << 32 | cur_at_be32(&o, 8));
		else
			pb_hex(pb, (uint64_t)cur_at_be32(&o, 4) << 32 | cur_at_be32(&o, 8), 1);
		return true;
	default:
		return true;
	}
}
