// SPDX-License-Identifier: BSD-3-Clause
/* ICMP (IPv4) lines as tcpdump 4.99 prints them: "ICMP <message>, length N"; with -v a wrong
 * checksum is flagged and the packet quoted in an error message is printed on the next line.
 * specification: RFC 792 (ICMP), RFC 1191 (next-hop MTU), RFC 1256 (router discovery),
 * RFC 950 (address mask). */
#include "print_int.h"

static const char *unreach_fmt(uint8_t code)
{
	switch (code) {
	case 0: return "net %s unreachable";
	case 1: return "host %s unreachable";
	case 5: return "%s unreachable - source route failed";
	case 6: return "net %s unreachable - unknown";
	case 7: return "host %s unreachable - unknown";
	case 8: return "%s unreachable - source host isolated";
	case 9: return "net %s unreachable - admin prohibited";
	case 10: return "host %s unreachable - admin prohibited";
	case 11: return "net %s unreachable - tos prohibited";
	case 12: return "host %s unreachable - tos prohibited";
	case 13: return "host %s unreachable - admin prohibited filter";
	case 14: return "host %s unreachable - host precedence violation";
	case 15: return "host %s unreachable - precedence cutoff";
	default: return NULL;
	}
}

static const char *simple_name(uint8_t type)
{
	switch (type) {
	case 0: return "echo reply";
	case 4: return "source quench";
	case 8: return "echo request";
	case 10: return "router solicitation";
	case 13: return "time stamp request";
	case 14: return "time stamp reply";
	case 15: return "information request";
	case 16: return "information reply";
	case 17: return "address mask request";
	default: return NULL;
	}
}

/* "%s" in fmt replaced by the dotted address at offset a of d, the second by the one at b
 * (the formats hold one or two). */
static void fmt_addr(struct pbuf *pb, const char *fmt, const struct cursor *d, size_t a, size_t b)
{
	for (const char *f = fmt; *f; f++) {
		if (f[0] == '%' && f[1] == 's') {
			print_ip4_at(pb, d, a);
			a = b;
			f++;
		} else {
			pb_ch(pb, *f);
		}
	}
}

static void tstamp(struct pbuf *pb, uint32_t t)
{
	uint32_t ms, sec, min, hrs;

	ms = t % 1000;
	sec = t / 1000;
	min = sec / 60;
	sec -= min * 60;
	hrs = min / 60;
	min -= hrs * 60;
	pb_u_pad(pb, hrs, 2);
	pb_ch(pb, ':');
	pb_u_pad(pb, min, 2);
	pb_ch(pb, ':');
	pb_u_pad(pb, sec, 2);
	pb_ch(pb, '.');
	pb_u_pad(pb, ms, 3);
}

static void lifetime(struct pbuf *pb, unsigned l)
{
	if (l < 60) {
		pb_u(pb, l);
	} else if (l < 3600) {
		pb_u(pb, l / 60);
		pb_ch(pb, ':');
		pb_u_pad(pb, l % 60, 2);
	} else {
		pb_u(pb, l / 3600);
		pb_ch(pb, ':');
		pb_u_pad(pb, (l % 3600) / 60, 2);
		pb_ch(pb, ':');
		pb_u_pad(pb, l % 60, 2);
	}
}

/* The message text; false when the captured bytes end before it is complete. */
static bool message(struct pbuf *pb, struct cursor d)
{
	size_t cap = cur_left(&d);
	uint8_t type = cur_at_u8(&d, 0), code = cur_at_u8(&d, 1);
	struct cursor oip = cur_from(&d, 8);	/* the quoted IPv4 header of an error */
	const char *s;

	switch (type) {
	case 0:
	case 8:
		if (cap < 8)
			return false;
		pb_str(pb, type == 8 ? "echo request, id " : "echo reply, id ");
		pb_u(pb, cur_at_be16(&d, 4));
		pb_str(pb, ", seq ");
		pb_u(pb, cur_at_be16(&d, 6));
		return true;
	case 3:
		if (cap < 8 + 20)
			return false;
		switch (code) {
		case 2:
			print_ip4_at(pb, &oip, 16);
			pb_str(pb, " protocol ");
			pb_u(pb, cur_at_u8(&oip, 9));
			pb_str(pb, " unreachable");
			return true;
		case 3: {
			unsigned hl = (cur_at_u8(&oip, 0) & 0xf) * 4u;
			uint16_t dport;

			if (cap < 8 + hl + 4)
				return false;
			dport = cur_at_be16(&oip, hl + 2);
			print_ip4_at(pb, &oip, 16);
			if (cur_at_u8(&oip, 9) == 6 || cur_at_u8(&oip, 9) == 17) {
				pb_str(pb, cur_at_u8(&oip, 9) == 6 ? " tcp port " : " udp port ");
				pb_u(pb, dport);
			} else {
				pb_str(pb, " protocol ");
				pb_u(pb, cur_at_u8(&oip, 9));
				pb_str(pb, " port ");
				pb_u(pb, dport);
			}
			pb_str(pb, " unreachable");
			return true;
		}
		case 4: {
			uint16_t mtu = cur_at_be16(&d, 6);

			print_ip4_at(pb, &oip, 16);
			pb_str(pb, " unreachable - need to frag");
			if (mtu) {
				pb_str(pb, " (mtu ");
				pb_u(pb, mtu);
				pb_ch(pb, ')');
			}
			return true;
		}
		default:
			s = unreach_fmt(code);
			if (s) {
				fmt_addr(pb, s, &oip, 16, 0);
			} else {
				print_ip4_at(pb, &oip, 16);
				pb_str(pb, " unreachable - #");
				pb_u(pb, code);
			}
			return true;
		}
	case 5:
		if (cap < 8 + 20)
			return false;
		switch (code) {
		case 0: s = "redirect %s to net %s"; break;
		case 1: s = "redirect %s to host %s"; break;
		case 2: s = "redirect-tos %s to net %s"; break;
		case 3: s = "redirect-tos %s to host %s"; break;
		default:
			pb_str(pb, "redirect-#");
			pb_u(pb, code);
			s = " %s to %s";
			break;
		}
		fmt_addr(pb, s, &d, 8 + 16, 4);
		return true;
	case 9: {
		unsigned num, size;

		pb_str(pb, "router advertisement");
		if (cap < 8)
			return false;
		pb_str(pb, " lifetime ");
		lifetime(pb, cur_at_be16(&d, 6));
		num = cur_at_u8(&d, 4);
		size = cur_at_u8(&d, 5);
		pb_ch(pb, ' ');
		pb_u(pb, num);
		pb_ch(pb, ':');
		if (size != 2) {
			pb_str(pb, " [size ");
			pb_u(pb, size);
			pb_ch(pb, ']');
			return true;
		}
		for (unsigned i = 0; i < num; i++) {
			if (cap < 8 + (i + 1) * 8u)
				return false;
			pb_str(pb, " {");
			print_ip4_at(pb, &d, 8 + i * 8);
			pb_ch(pb, ' ');
			pb_u(pb, cur_at_be32(&d, 12 + i * 8));
			pb_ch(pb, '}');
		}
		return true;
	}
	case 11:
		if (cap < 8 + 20)
			return false;
		switch (code) {
		case 0: pb_str(pb, "time exceeded in-transit"); break;
		case 1: pb_str(pb, "ip reassembly time exceeded"); break;
		default:
			pb_str(pb, "time exceeded-#");
			pb_u(pb, code);
			break;
		}
		return true;
	case 12:
		if (code) {
			pb_str(pb, "parameter problem - code ");
			pb_u(pb, code);
		} else {
			if (cap < 5)
				return false;
			pb_str(pb, "parameter problem - octet ");
			pb_u(pb, cur_at_u8(&d, 4));
		}
		return true;
	case 18:
		if (cap < 12)
			return false;
		pb_str(pb, "address mask is 0x");
		pb_hex(pb, cur_at_be32(&d, 8), 8);
		return true;
	case 13:
		if (cap < 8)
			return false;
		pb_str(pb, "time stamp query id ");
		pb_u(pb, cur_at_be16(&d, 4));
		pb_str(pb, " seq ");
		pb_u(pb, cur_at_be16(&d, 6));
		return true;
	case 14:
		if (cap < 20)
			return false;
		pb_str(pb, "time stamp reply id ");
		pb_u(pb, cur_at_be16(&d, 4));
		pb_str(pb, " seq ");
		pb_u(pb, cur_at_be16(&d, 6));
		pb_str(pb, ": org ");
		tstamp(pb, cur_at_be32(&d, 8));
		pb_str(pb, ", recv ");
		tstamp(pb, cur_at_be32(&d, 12));
		pb_str(pb, ", xmit ");
		tstamp(pb, cur_at_be32(&d, 16));
		return true;
	default:
		s = simple_name(type);
		if (s) {
			pb_str(pb, s);
		} else {
			pb_str(pb, "type-#");
			pb_u(pb, type);
		}
		return true;
	}
}

/* RFC 4884: an extension structure 128 bytes into the quoted datagram. tcpdump looks for it in
 * long error messages; without a length field it requires a valid extension checksum. Version
 * 2 objects (RFC 4950 MPLS) are not decoded here. */
#define ICMP_EXT_OFFSET 136u

static void multipart(struct pstate *ps, struct cursor d, uint32_t plen)
{
	size_t cap = cur_left(&d);
	struct pbuf *pb = ps->pb;
	unsigned ver;

	if (cap < ICMP_EXT_OFFSET + 5) {
		print_trunc(ps, "icmp");
		return;
	}
	if (cur_at_u8(&d, 5) == 0 && cap >= plen &&
	    print_cksum_fold(print_cksum_add(0, cur_at_ptr(&d, ICMP_EXT_OFFSET, plen - ICMP_EXT_OFFSET),
					    plen - ICMP_EXT_OFFSET)))
		return;
	ver = cur_at_u8(&d, ICMP_EXT_OFFSET) >> 4;
	pb_str(pb, "\n\tICMP Multi-Part extension v");
	pb_u(pb, ver);
	if (ver != 2) {
		pb_str(pb, " packet not supported");
		return;
	}
	pb_str(pb, ", checksum 0x");
	pb_hex(pb, cur_at_be16(&d, ICMP_EXT_OFFSET + 2), 4);
	pb_str(pb, " (unverified), length ");
	pb_u(pb, plen - ICMP_EXT_OFFSET);
}

static bool is_error(uint8_t type)
{
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

void print_icmp(struct pstate *ps, struct cursor c, const struct ipinfo *ip)
{
	struct pbuf *pb = ps->pb;
	size_t cap = cur_left(&c);
	uint32_t plen = ip->len;
	size_t mark;

	if (cap < 2) {
		print_trunc(ps, "icmp");
		return;
	}
	mark = pb->len;
	pb_str(pb, "ICMP ");
	if (!message(pb, c)) {
		uint8_t type = cur_at_u8(&c, 0);

		pb->len = mark;
		/* tcpdump checks these lengths itself (no longjmp: -x skips the link header):
		 * a port unreachable's quoted addresses (its ports are read with a longjmp), time
		 * exceeded, timestamps and router advertisements */
		if ((type == 3 && cur_at_u8(&c, 1) == 3 && cur_left(&c) < 8 + 20) || type == 11 ||
		    type == 9 || type == 13 || type == 14)
			print_trunc_mark(ps, "icmp");
		else
			print_trunc(ps, "icmp");
		return;
	}
	pb_str(pb, ", length ");
	pb_u(pb, plen);
	if (ps->o->vflag && !ip->fragmented && cap >= plen) {
		uint16_t sum = print_cksum_fold(print_cksum_add(0, cur_at_ptr(&c, 0, plen), plen));

		if (sum != 0) {
			uint16_t field = cur_at_be16(&c, 2);

			pb_str(pb, " (wrong icmp cksum ");
			pb_hex(pb, field, 1);
			pb_str(pb, " (->");
			pb_hex(pb, print_cksum_shouldbe(field, sum), 1);
			pb_str(pb, ")!)");
		}
	}
	if (ps->o->vflag && is_error(cur_at_u8(&c, 0)) && ps->ip_depth < 8) {
		struct cursor in;
		uint32_t ilen;

		pb_str(pb, "\n\t");
		if (!cur_has(&c, 8, 4)) {
			print_trunc(ps, "icmp");
			return;
		}
		ilen = cur_at_be16(&c, 8 + 2);
		in = cur_sub_at(&c, 8, ilen);
		ps->ip_depth++;
		print_ip(ps, in, ilen);
		ps->ip_depth--;
	}
	if (ps->o->vflag && plen > ICMP_EXT_OFFSET && (cur_at_u8(&c, 0) == 3 || cur_at_u8(&c, 0) == 11 ||
						    cur_at_u8(&c, 0) == 12))
		multipart(ps, c, plen);
}
