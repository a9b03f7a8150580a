// SPDX-License-Identifier: BSD-3-Clause
/* ICMPv6 lines as tcpdump 4.99 prints them: errors, echo, neighbour discovery and MLD; with -v
 * the checksum verdict, NA flags, RA parameters and ND options (one per line).
 * specification: RFC 4443 (ICMPv6), RFC 4861 §4 (ND messages, §4.6 options), RFC 2710 (MLD),
 * RFC 3810 §5 (MLDv2). */
#include "print_grouprec.h"
#include "print_int.h"

static const char *type_name(uint8_t t)
{
	switch (t) {
	case 1: return "destination unreachable";
	case 2: return "packet too big";
	case 3: return "time exceeded in-transit";
	case 4: return "parameter problem";
	case 128: return "echo request";
	case 129: return "echo reply";
	case 130: return "multicast listener query";
	case 131: return "multicast listener report";
	case 132: return "multicast listener done";
	case 133: return "router solicitation";
	case 134: return "router advertisement";
	case 135: return "neighbor solicitation";
	case 136: return "neighbor advertisement";
	case 137: return "redirect";
	case 138: return "router renumbering";
	case 139: return "who-are-you request";	/* tcpdump's first name for 139 and 140 */
	case 140: return "who-are-you reply";
	case 141: return "inverse neighbor solicitation";
	case 142: return "inverse neighbor advertisement";
	case 143: return "multicast listener report v2";
	case 144: return "ha discovery request";
	case 145: return "ha discovery reply";
	case 146: return "mobile router solicitation";
	case 147: return "mobile router advertisement";
	case 200: return "mtrace response";
	case 201: return "mtrace message";
	case 155: return "RPL";
	default: return NULL;
	}
}

/* Offset of the TCP or UDP header inside the quoted IPv6 packet q, walking extension
 * headers, and its protocol; -1 when there is none (tcpdump then reports the message
 * truncated, whatever the quoted protocol). */
static int upper_layer(struct cursor q, uint8_t *proto)
{
	size_t off = 40, cap = cur_left(&q);
	uint8_t nh;

	if (cap < 40)
		return -1;
	nh = cur_at_u8(&q, 6);
	for (int i = 0; i < 16; i++) {
		switch (nh) {
		case 0:
		case 43:
		case 60:
			if (off + 2 > cap)
				return -1;
			nh = cur_at_u8(&q, off);
			off += (cur_at_u8(&q, off + 1) + 1u) * 8;
			break;
		case 44:
			if (off + 8 > cap || (cur_at_be16(&q, off + 2) & 0xfff8))
				return -1;
			nh = cur_at_u8(&q, off);
			off += 8;
			break;
		case 51:
			if (off + 2 > cap)
				return -1;
			nh = cur_at_u8(&q, off);
			off += (cur_at_u8(&q, off + 1) + 2u) * 4;
			break;
		case 6:
		case 17:
			*proto = nh;
			return off + 4 <= cap ? (int)off : -1;
		default:
			return -1;
		}
	}
	return -1;
}

static void lifetime(struct pbuf *pb, uint32_t v)
{
	if (v == 0xffffffffu) {
		pb_str(pb, "infinity");
	} else {
		pb_u(pb, v);
		pb_ch(pb, 's');
	}
}

static const char *opt_name(uint8_t t)
{
	switch (t) {
	case 1: return "source link-address";
	case 2: return "destination link-address";
	case 3: return "prefix info";
	case 4: return "redirected header";
	case 5: return "mtu";
	case 7: return "advertisement interval";
	case 8: return "homeagent information";
	/* 14 (nonce, RFC 3971 §5.3.2): tcpdump 4.99.3 calls it unknown and stops there */
	case 24: return "route info";
	case 25: return "rdnss";
	case 31: return "dnssl";
	default: return "unknown";
	}
}

/* Route Information (RFC 4191 §2.3): a prefix of 0, 8 or 16 bytes (option length 1-3), its
 * preference in bits 4-3 of the flags and a lifetime. */
static bool route_info(struct pbuf *pb, struct cursor o, size_t olen)
{
	static const char *const prefs[4] = { "medium", "high", "rsv", "low" };
	uint8_t prefix[16] = { 0 };
	struct cursor pc = cur_init(prefix, sizeof(prefix));

	if (olen > 24)
		return false;
	memcpy(prefix, cur_at_ptr(&o, 8, olen - 8), olen - 8);
	pb_ch(pb, ' ');
	print_ip6_at(pb, &pc, 0);
	pb_ch(pb, '/');
	pb_u(pb, cur_at_u8(&o, 2));
	pb_str(pb, ", pref=");
	pb_str(pb, prefs[(cur_at_u8(&o, 3) >> 3) & 3]);
	pb_str(pb, ", lifetime=");
	lifetime(pb, cur_at_be32(&o, 4));
	return true;
}

/* DNS Search List (RFC 8106 §5.2): a lifetime, then domain names in DNS wire form without
 * compression, zero bytes padding the option to its length. */
static bool dnssl(struct pbuf *pb, struct cursor o, size_t olen)
{
	size_t off = 8;

	pb_str(pb, " lifetime ");
	pb_u(pb, cur_at_be32(&o, 4));
	pb_str(pb, "s, domain(s):");
	while (off < olen && cur_at_u8(&o, off)) {
		pb_ch(pb, ' ');
		for (uint8_t n; (n = cur_at_u8(&o, off)) != 0; off += 1u + n) {
			if (n > 63 || off + 1 + n >= olen)
				return false;
			pb_escaped(pb, (const char *)cur_at_ptr(&o, off + 1, n), n, false);
			pb_ch(pb, '.');
		}
		off++;
	}
	return true;
}

/* n bytes of p (captured: the caller checked) as tcpdump's hex lines. */
static void unknown_data(struct pbuf *pb, struct cursor p, size_t n, const char *ident)
{
	for (size_t off = 0; off < n; off += 16) {
		size_t k = n - off < 16 ? n - off : 16;

		pb_str(pb, ident);
		pb_str(pb, "0x");
		pb_hex(pb, off, 4);
		pb_str(pb, ": ");
		for (size_t i = 0; i < k; i += 2) {
			pb_ch(pb, ' ');
			pb_hex(pb, cur_at_u8(&p, off + i), 2);
			if (i + 1 < k)
				pb_hex(pb, cur_at_u8(&p, off + i + 1), 2);
		}
	}
}

/* ND options, one per line (-v), in p (the option bytes both announced and captured); false
 * on truncation. */
static bool nd_options(struct pstate *ps, struct cursor p)
{
	struct pbuf *pb = ps->pb;
	size_t off = 0, len = cur_left(&p);

	while (off < len) {
		uint8_t t, l;
		size_t olen;
		struct cursor o = cur_from(&p, off);

		if (off + 2 > len)
			return false;
		t = cur_at_u8(&o, 0);
		l = cur_at_u8(&o, 1);
		olen = (size_t)l << 3;
		if (l == 0 || off + olen > len)
			return false;
		pb_str(pb, "\n\t  ");
		pb_str(pb, opt_name(t));
		pb_str(pb, " option (");
		pb_u(pb, t);
		pb_str(pb, "), length ");
		pb_u(pb, olen);
		pb_str(pb, " (");
		pb_u(pb, l);
		pb_str(pb, "): ");
		switch (t) {
		case 1:
		case 2:
			for (size_t i = 2; i < olen; i++) {
				if (i > 2)
					pb_ch(pb, ':');
				pb_hex(pb, cur_at_u8(&o, i), 2);
			}
			break;
		case 3:
			if (olen < 32)
				return false;
			print_ip6_at(pb, &o, 16);
			pb_ch(pb, '/');
			pb_u(pb, cur_at_u8(&o, 2));
			if (l != 4)
				pb_str(pb, "badlen");
			pb_str(pb, ", Flags [");
			if (!(cur_at_u8(&o, 3) & 0xe0)) {
				pb_str(pb, "none");
			} else {
				bool sep = false;

				if (cur_at_u8(&o, 3) & 0x80) {
					pb_str(pb, "onlink");
					sep = true;
				}
				if (cur_at_u8(&o, 3) & 0x40) {
					pb_str(pb, sep ? ", auto" : "auto");
					sep = true;
				}
				if (cur_at_u8(&o, 3) & 0x20)
					pb_str(pb, sep ? ", router" : "router");
			}
			pb_str(pb, "], valid time ");
			lifetime(pb, cur_at_be32(&o, 4));
			pb_str(pb, ", pref. time ");
			lifetime(pb, cur_at_be32(&o, 8));
			break;
		case 5:
			if (olen < 8)
				return false;
			pb_ch(pb, ' ');
			pb_u(pb, cur_at_be32(&o, 4));
			if (l != 1)
				pb_str(pb, "bad option length");
			break;
		case 7:
			if (olen < 8)
				return false;
			pb_ch(pb, ' ');
			pb_u(pb, cur_at_be32(&o, 4));
			pb_str(pb, "ms");
			break;
		case 25:
			pb_str(pb, " lifetime ");
			pb_u(pb, cur_at_be32(&o, 4));
			pb_str(pb, "s,");
			for (size_t i = 8; i + 16 <= olen; i += 16) {
				pb_str(pb, " addr: ");
				print_ip6_at(pb, &o, i);
			}
			break;
		case 24:
			if (!route_info(pb, o, olen))
				return false;
			break;
		case 31:
			if (!dnssl(pb, o, olen))
				return false;
			break;
		case 4:
			unknown_data(pb, o, olen, "\n\t    ");
			break;
		default:
			if (ps->o->vflag <= 1) {
				unknown_data(pb, cur_from(&o, 2), olen - 2, "\n\t  ");
				return true;
			}
			break;
		}
		if (ps->o->vflag > 1)
			unknown_data(pb, cur_from(&o, 2), olen - 2, "\n\t    ");
		off += olen;
	}
	return true;
}

static void mld_v1(struct pbuf *pb, struct cursor d)
{
	if (!cur_has(&d, 0, 24))
		return;
	pb_str(pb, "max resp delay: ");
	pb_u(pb, cur_at_be16(&d, 4));
	pb_str(pb, " addr: ");
	print_ip6_at(pb, &d, 8);
}

/* MLDv2 query (RFC 3810 §5.1). */
static bool mld_v2_query(struct pstate *ps, struct cursor d, uint32_t len)
{
	struct pbuf *pb = ps->pb;
	size_t cap = cur_left(&d);
	unsigned mrc, nsrcs;
	uint32_t mrt;

	if (len < 28) {
		pb_str(pb, " [invalid len ");
		pb_u(pb, len);
		pb_ch(pb, ']');
		return true;
	}
	if (cap < 6)
		return false;
	mrc = cur_at_be16(&d, 4);
	mrt = mrc < 32768 ? mrc : ((mrc & 0x0fff) | 0x1000) << (((mrc & 0x7000) >> 12) + 3);
	if (ps->o->vflag) {
		pb_str(pb, " [max resp delay=");
		pb_u(pb, mrt);
		pb_ch(pb, ']');
	}
	if (cap < 24)
		return false;
	pb_str(pb, " [gaddr ");
	print_ip6_at(pb, &d, 8);
	if (cap < 28)
		return false;
	if (ps->o->vflag) {
		unsigned qqic = cur_at_u8(&d, 25);
		uint8_t flags = cur_at_u8(&d, 24);
		uint32_t qqi = qqic < 128 ? qqic : ((qqic & 0x0f) | 0x10) << (((qqic & 0x70) >> 4) + 3);

		if (flags & 0x08)
			pb_str(pb, " sflag");
		if (flags & 0x07) {
			pb_str(pb, " robustness=");
			pb_u(pb, flags & 0x07);
		}
		pb_str(pb, " qqi=");
		pb_u(pb, qqi);
	}
	nsrcs = cur_at_be16(&d, 26);
	if (nsrcs > 0) {
		if (len < 28 + nsrcs * 16u) {
			pb_str(pb, " [invalid number of sources]");
		} else if (!print_grouprec_sources(ps, cur_from(&d, 28), nsrcs, 16)) {
			return false;
		}
	}
	pb_ch(pb, ']');
	return true;
}

static const char *rtpref(uint8_t f)
{
	static const char *const n[] = { "medium", "high", "rsv", "low" };

	return n[(f >> 3) & 3];
}

/* The body after "ICMP6, NAME"; false on truncation. */
static bool body(struct pstate *ps, struct cursor d, uint32_t len, bool *no_length)
{
	struct pbuf *pb = ps->pb;
	bool v = ps->o->vflag > 0;
	size_t cap = cur_left(&d);
	uint8_t type = cur_at_u8(&d, 0), code = cur_at_u8(&d, 1);
	struct cursor q = cur_from(&d, 8);	/* the quoted packet of an error */
	size_t qcap = cur_left(&q);

	switch (type) {
	case 1:
		/* each text is printed before the address it needs, as tcpdump does */
		switch (code) {
		case 0:
			pb_str(pb, ", unreachable route");
			if (qcap < 40)
				return false;
			pb_ch(pb, ' ');
			print_ip6_at(pb, &q, 24);
			break;
		case 1:
			pb_str(pb, ",  unreachable prohibited");
			if (qcap < 40)
				return false;
			pb_ch(pb, ' ');
			print_ip6_at(pb, &q, 24);
			break;
		case 2:
			pb_str(pb, ", beyond scope");
			if (qcap < 40)
				return false;
			pb_ch(pb, ' ');
			print_ip6_at(pb, &q, 24);
			pb_str(pb, ", source address ");
			print_ip6_at(pb, &q, 8);
			break;
		case 3:
			pb_str(pb, ", unreachable address");
			if (qcap < 40)
				return false;
			pb_ch(pb, ' ');
			print_ip6_at(pb, &q, 24);
			break;
		case 4: {
			uint8_t proto = 0;
			int off;

			pb_str(pb, ", unreachable port");
			off = upper_layer(q, &proto);
			if (off < 0)
				return false;
			pb_str(pb, ", ");
			print_ip6_at(pb, &q, 24);
			pb_str(pb, proto == 6 ? " tcp port " : " udp port ");
			pb_u(pb, cur_at_be16(&q, (size_t)off + 2));
			break;
		}
		default:
			/* tcpdump dumps the message and ends the line without its length */
			pb_str(pb, ", unknown unreach code (");
			pb_u(pb, code);
			pb_ch(pb, ')');
			if (ps->o->vflag < 2)
				print_hex(pb, d.pos, cap < len ? cap : len);
			*no_length = true;
			break;
		}
		return true;
	case 2:
		if (cap < 8)
			return false;
		pb_str(pb, ", mtu ");
		pb_u(pb, cur_at_be32(&d, 4));
		return true;
	case 3:
		switch (code) {
		case 0:
			if (qcap < 40)
				return false;
			pb_str(pb, " for ");
			print_ip6_at(pb, &q, 24);
			break;
		case 1:
			pb_str(pb, " (reassembly)");
			break;
		default:
			pb_str(pb, ", unknown code (");
			pb_u(pb, code);
			pb_ch(pb, ')');
			break;
		}
		return true;
	case 4:
		if (qcap < 40)
			return false;
		switch (code) {
		case 0: pb_str(pb, ", erroneous - octet "); break;
		case 1: pb_str(pb, ", next header - octet "); break;
		case 2: pb_str(pb, ", option - octet "); break;
		case 3: pb_str(pb, ", incomplete header chain - octet "); break;
		default:
			pb_str(pb, ", code-#");
			pb_u(pb, code);
			return true;
		}
		pb_u(pb, cur_at_be32(&d, 4));
		return true;
	case 128:
	case 129:
		if (cap < 8)
			return false;
		pb_str(pb, ", id ");
		pb_u(pb, cur_at_be16(&d, 4));
		pb_str(pb, ", seq ");
		pb_u(pb, cur_at_be16(&d, 6));
		return true;
	case 130:
		if (len == 24) {
			mld_v1(pb, d);
		} else if (len >= 28) {
			pb_str(pb, " v2");
			return mld_v2_query(ps, d, len);
		} else {
			pb_str(pb, " unknown-version (len ");
			pb_u(pb, len);
			pb_str(pb, ") ");
		}
		return true;
	case 131:
	case 132:
		mld_v1(pb, d);
		return true;
	case 133:
		if (v && !nd_options(ps, cur_sub_at(&d, 8, len - 8)))
			return false;
		return true;
	case 134:
		if (v) {
			if (cap < 16)
				return false;
			pb_str(pb, "\n\thop limit ");
			pb_u(pb, cur_at_u8(&d, 4));
			pb_str(pb, ", Flags [");
			if (!(cur_at_u8(&d, 5) & 0xe2)) {
				pb_str(pb, "none");
			} else {
				bool sep = false;

				if (cur_at_u8(&d, 5) & 0x80) {
					pb_str(pb, "managed");
					sep = true;
				}
				if (cur_at_u8(&d, 5) & 0x40) {
					pb_str(pb, sep ? ", other stateful" : "other stateful");
					sep = true;
				}
				if (cur_at_u8(&d, 5) & 0x20) {
					pb_str(pb, sep ? ", home agent" : "home agent");
					sep = true;
				}
				if (cur_at_u8(&d, 5) & 0x02)
					pb_str(pb, sep ? ", ipv6 only" : "ipv6 only");
			}
			pb_str(pb, "], pref ");
			pb_str(pb, rtpref(cur_at_u8(&d, 5)));
			pb_str(pb, ", router lifetime ");
			pb_u(pb, cur_at_be16(&d, 6));
			pb_str(pb, "s, reachable time ");
			pb_u(pb, cur_at_be32(&d, 8));
			pb_str(pb, "ms, retrans timer ");
			pb_u(pb, cur_at_be32(&d, 12));
			pb_str(pb, "ms");
			if (!nd_options(ps, cur_sub_at(&d, 16, len - 16)))
				return false;
		}
		return true;
	case 135:
	case 136:
		if (cap < 24)
			return false;
		pb_str(pb, type == 135 ? ", who has " : ", tgt is ");
		print_ip6_at(pb, &d, 8);
		if (v && type == 136) {
			uint32_t f = cur_at_be32(&d, 4);
			bool sep = false;

			pb_str(pb, ", Flags [");
			if (!(f & 0xe0000000u))
				pb_str(pb, "none");
			if (f & 0x80000000u) {
				pb_str(pb, "router");
				sep = true;
			}
			if (f & 0x40000000u) {
				pb_str(pb, sep ? ", solicited" : "solicited");
				sep = true;
			}
			if (f & 0x20000000u)
				pb_str(pb, sep ? ", override" : "override");
			pb_ch(pb, ']');
		}
		if (v && !nd_options(ps, cur_sub_at(&d, 24, len - 24)))
			return false;
		return true;
	case 137:
		if (cap < 40)
			return false;
		pb_str(pb, ", ");
		print_ip6_at(pb, &d, 24);
		pb_str(pb, " to ");
		print_ip6_at(pb, &d, 8);
		if (v && !nd_options(ps, cur_sub_at(&d, 40, len - 40)))
			return false;
		return true;
	case 138:
	case 139:
	case 140:
	case 155:
		return print_icmp6_info(ps, d, len);
	case 143:
		/* RFC 3810 §5.2: records of 20 + 16n bytes; aux data not skipped, as tcpdump */
		return print_grouprec_report(ps, d, len, 16, "v2-report", false);
	default:
		if (type_name(type))
			return true;
		/* unknown type: the length, then the message in hex */
		pb_str(pb, ", length ");
		pb_u(pb, len);
		if (ps->o->vflag < 2)
			print_hex(pb, d.pos, cap < len ? cap : len);
		*no_length = true;
		return true;
	}
}

void print_icmp6(struct pstate *ps, struct cursor c, const struct ipinfo *ip)
{
	struct pbuf *pb = ps->pb;
	size_t cap = cur_left(&c);
	uint32_t len = ip->len;
	const char *name;
	uint8_t type;
	bool no_length = false;

	if (len == 0) {		/* IPv6 payload length 0: whatever was captured after it */
		pb_str(pb, "ICMP6, length 0 (invalid)");
		return;
	}
	if (cap < 1) {
		print_trunc(ps, "icmp6");
		return;
	}
	type = cur_at_u8(&c, 0);
	if (ps->o->vflag && !ip->fragmented && cap >= len) {
		if (cap < 4) {	/* tcpdump reads the checksum field unchecked */
			print_trunc(ps, "icmp6");
			return;
		}
		print_cksum_verdict(pb, "icmp6", cur_at_be16(&c, 2),
				    print_cksum_pseudo(ip, 58, cur_at_ptr(&c, 0, len), len));
	}
	pb_str(pb, "ICMP6, ");
	name = type_name(type);
	if (name) {
		pb_str(pb, name);
	} else {
		pb_str(pb, "unknown icmp6 type (");
		pb_u(pb, type);
		pb_ch(pb, ')');
	}
	if (ps->o->vflag && (type == 133 || type == 134 || type == 135 || type == 136 ||
			     type == 137 || type == 145 || type == 147)) {
		pb_str(pb, ", length ");
		pb_u(pb, len);
	}
	if (cap < 2) {		/* the type was named; the code is not there */
		print_trunc(ps, "icmp6");
		return;
	}
	if (!body(ps, c, len, &no_length)) {
		/* tcpdump checks the quoted header of a port unreachable and the pointer of a
		 * parameter problem itself (no longjmp: -x skips the link header) */
		if ((type == 1 && cur_at_u8(&c, 1) == 4) || type == 4)
			print_trunc_mark(ps, "icmp6");
		else
			print_trunc(ps, "icmp6");
		return;
	}
	if (!ps->o->vflag && !no_length) {
		pb_str(pb, ", length ");
		pb_u(pb, len);
	}
}
