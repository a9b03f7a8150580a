// SPDX-License-Identifier: BSD-3-Clause
/* IPv4 lines as tcpdump 4.99 prints them, and the demultiplexer to the next protocol.
 * specification: RFC 791 (IPv4, options), RFC 3168 §5 (ECN bits in -v), RFC 2113 (Router
 * Alert), RFC 2003 (IP in IP). */
#include "linktype.h"
#include "print_int.h"
#include "print_tunnel.h"

#define IP_DF 0x4000
#define IP_MF 0x2000
#define IP_RES 0x8000
#define IP_OFFMASK 0x1fff

void print_trunc_mark(struct pstate *ps, const char *proto)
{
	pb_str(ps->pb, " [|");
	pb_str(ps->pb, proto);
	pb_ch(ps->pb, ']');
}

void print_trunc(struct pstate *ps, const char *proto)
{
	ps->truncated = true;
	print_trunc_mark(ps, proto);
}

static const char *opt_name(uint8_t t)
{
	switch (t) {
	case 0: return "EOL";
	case 1: return "NOP";
	case 68: return "timestamp";
	case 130: return "security";
	case 7: return "RR";
	case 137: return "SSRR";
	case 131: return "LSRR";
	case 148: return "RA";
	case 82: return "traceroute";
	default: return NULL;
	}
}

/* o: an option whose len bytes are captured (checked by ip_options), and what follows it. */
static void opt_route(struct pbuf *pb, struct cursor o, unsigned len)
{
	unsigned ptr;

	if (len < 3) {
		pb_str(pb, " [bad length ");
		pb_u(pb, len);
		pb_ch(pb, ']');
		return;
	}
	if ((len + 1) & 3) {
		pb_str(pb, " [bad length ");
		pb_u(pb, len);
		pb_ch(pb, ']');
	}
	ptr = (unsigned)cur_at_u8(&o, 2) - 1;
	if (ptr < 3 || ((ptr + 1) & 3) || ptr > len + 1) {
		pb_str(pb, " [bad ptr ");
		pb_u(pb, cur_at_u8(&o, 2));
		pb_ch(pb, ']');
	}
	/* like tcpdump, a last partial address is read on into the bytes after the option */
	for (unsigned i = 3; i < len && cur_has(&o, i, 4); i += 4) {
		pb_ch(pb, ' ');
		print_ip4_at(pb, &o, i);
		if (ptr > i)
			pb_ch(pb, ',');
	}
}

static void opt_timestamp(struct pbuf *pb, struct cursor o, unsigned len)
{
	uint8_t flg = cur_at_u8(&o, 3);	/* overflow count and flag */
	unsigned hoplen, ptr, i = 0;
	const char *type;

	if (len < 4) {
		pb_str(pb, "[bad length ");
		pb_u(pb, len);
		pb_ch(pb, ']');
		return;
	}
	pb_str(pb, " TS{");
	hoplen = (flg & 0xf) != 0 ? 8 : 4;
	if ((len - 4) & (hoplen - 1)) {
		pb_str(pb, "[bad length ");
		pb_u(pb, len);
		pb_ch(pb, ']');
	}
	ptr = (unsigned)cur_at_u8(&o, 2) - 1;
	if (ptr < 4 || ((ptr - 4) & (hoplen - 1)) || ptr > len + 1) {
		pb_str(pb, "[bad ptr ");
		pb_u(pb, cur_at_u8(&o, 2));
		pb_ch(pb, ']');
	}
	switch (flg & 0xf) {
	case 0: pb_str(pb, "TSONLY"); break;
	case 1: pb_str(pb, "TS+ADDR"); break;
	case 3: pb_str(pb, "PRESPEC"); break;
	default:
		pb_str(pb, "[bad ts type ");
		pb_u(pb, flg & 0xf);
		pb_ch(pb, ']');
		goto done;
	}
	type = " ";
	for (i = 4; i + hoplen <= len; i += hoplen) {
		if (ptr == i)
			type = " ^ ";
		pb_str(pb, type);
		pb_u(pb, cur_at_be32(&o, i + hoplen - 4));
		pb_ch(pb, '@');
		if (hoplen == 8)
			print_ip4_at(pb, &o, i);
		type = " ";
	}
done:
	if (ptr == i)
		pb_str(pb, " ^ ");
	if (flg >> 4) {
		pb_str(pb, " [");
		pb_u(pb, flg >> 4);
		pb_str(pb, " hops not recorded]} ");
	} else {
		pb_ch(pb, '}');
	}
}

enum opt_rc { OPT_OK, OPT_TRUNC_OPTION, OPT_TRUNC_LINE };

/* The option list inside "options (...)": len bytes by the header, o holds the captured ones.
 * OPT_TRUNC_OPTION: an option's body is not captured (" [truncated-option]" follows);
 * OPT_TRUNC_LINE: a type or length byte is not captured (the line ends with " [|ip]"). */
static enum opt_rc ip_options(struct pbuf *pb, struct cursor o, unsigned len)
{
	bool first = true;
	size_t cap = cur_left(&o);

	while (len > 0) {
		uint8_t t;
		unsigned olen;
		const char *name;

		if (!first)
			pb_ch(pb, ',');
		first = false;
		if (cap < 1)
			return OPT_TRUNC_LINE;
		t = cur_at_u8(&o, 0);
		name = opt_name(t);
		if (name)
			pb_str(pb, name);
		else {
			pb_str(pb, "unknown ");
			pb_u(pb, t);
		}
		if (t == 0 || t == 1) {
			olen = 1;
		} else {
			if (cap < 2)
				return OPT_TRUNC_LINE;
			olen = cur_at_u8(&o, 1);
			if (olen < 2) {
				pb_str(pb, " [bad length ");
				pb_u(pb, olen);
				pb_ch(pb, ']');
				return OPT_OK;
			}
		}
		if (olen > len) {
			pb_str(pb, " [bad length ");
			pb_u(pb, olen);
			pb_ch(pb, ']');
			return OPT_OK;
		}
		if (olen > cap)
			return OPT_TRUNC_OPTION;
		switch (t) {
		case 0:
			return OPT_OK;
		case 68:
			opt_timestamp(pb, o, olen);
			break;
		case 7:
		case 131:
		case 137:
			opt_route(pb, o, olen);
			break;
		case 148:
			if (olen < 4) {
				pb_str(pb, " [bad length ");
				pb_u(pb, olen);
				pb_ch(pb, ']');
			} else if (cur_at_be16(&o, 2)) {
				pb_str(pb, " value ");
				pb_u(pb, cur_at_be16(&o, 2));
			}
			break;
		default:
			break;
		}
		o = cur_from(&o, olen);
		len -= olen;
		cap -= olen;
	}
	return OPT_OK;
}

/* RFC 791 §3.1: with a source route the last address of the route is the final destination,
 * which is what the transport pseudo-header uses. */
static const uint8_t *route_final_dst(struct cursor o)
{
	size_t len = cur_left(&o);

	while (len > 0) {
		uint8_t t = cur_at_u8(&o, 0);
		unsigned olen;

		if (t == 0)
			break;
		if (t == 1) {
			olen = 1;
		} else {
			if (len < 2 || cur_at_u8(&o, 1) < 2)
				break;
			olen = cur_at_u8(&o, 1);
		}
		if (len < olen)
			break;
		if ((t == 131 || t == 137) && olen >= 7)
			return cur_at_ptr(&o, olen - 4, 4);
		o = cur_from(&o, olen);
		len -= olen;
	}
	return NULL;
}

/* GRE as tcpdump prints it: "GREv0, key=0x.., seq N, length L: <inner>" (RFC 2784, RFC 2890)
 * and version 1, Enhanced GRE of PPTP (RFC 2637). Source-route entries (RFC 1701 routing,
 * obsolete) are not decoded. */
static void print_gre(struct pstate *ps, struct cursor c, uint32_t length)
{
	struct pbuf *pb = ps->pb;
	size_t cap = cur_left(&c), off = 4;
	uint32_t len = length;
	uint16_t flags, prot;
	unsigned ver;

	if (cap < 2 || len < 2) {
		print_trunc(ps, "gre");
		return;
	}
	flags = cur_at_be16(&c, 0);
	ver = flags & 7;
	pb_str(pb, "GREv");
	pb_u(pb, ver);
	if (ver > 1) {
		pb_str(pb, " ERROR: unknown-version");
		return;
	}
	if (ps->o->vflag && ver == 0) {
		static const char *const names[] = { "checksum present", "routing present",
						     "key present", "sequence# present",
						     "source routing present" };
		bool sep = false;

		pb_str(pb, ", Flags [");
		for (int i = 0; i < 5; i++) {
			if (flags & (0x8000 >> i)) {
				pb_str(pb, sep ? ", " : "");
				pb_str(pb, names[i]);
				sep = true;
			}
		}
		if (flags & 0x0080) {
			pb_str(pb, sep ? ", ack present" : "ack present");
			sep = true;
		}
		if (!sep)
			pb_str(pb, "none");
		pb_ch(pb, ']');
	}
	if (cap < 4 || len < 4)
		goto trunc;
	prot = cur_at_be16(&c, 2);
	if (ver == 0 && (flags & 0xc000)) {
		if (cap < off + 4 || len < off + 4)
			goto trunc;
		if (ps->o->vflag) {
			pb_str(pb, ", sum 0x");
			pb_hex(pb, cur_at_be16(&c, off), 1);
		}
		pb_str(pb, ", off 0x");
		pb_hex(pb, cur_at_be16(&c, off + 2), 1);
		off += 4;
	}
	if (flags & 0x2000) {
		if (cap < off + 4 || len < off + 4)
			goto trunc;
		if (ver == 0) {
			pb_str(pb, ", key=0x");
			pb_hex(pb, cur_at_be32(&c, off), 1);
		} else {
			pb_str(pb, ", call ");
			pb_u(pb, cur_at_be32(&c, off) & 0xffff);
		}
		off += 4;
	}
	if (flags & 0x1000) {
		if (cap < off + 4 || len < off + 4)
			goto trunc;
		pb_str(pb, ", seq ");
		pb_u(pb, cur_at_be32(&c, off));
		off += 4;
	}
	if (ver == 0 && (flags & 0x4000)) {
		print_trunc(ps, "gre");
		return;
	}
	if (ver == 1) {
		if (flags & 0x0080) {
			if (cap < off + 4 || len < off + 4)
				goto trunc;
			pb_str(pb, ", ack ");
			pb_u(pb, cur_at_be32(&c, off));
			off += 4;
		}
		if (!(flags & 0x1000))
			pb_str(pb, ", no-payload");
	}
	if (ps->o->eflag) {
		pb_str(pb, ", proto ");
		pb_str(pb, prot == ETH_P_IPV4 ? "IPv4" : prot == ETH_P_IPV6 ? "IPv6" : prot == ETH_P_TEB ?
			   "TEB" : prot == 0x880b ? "PPP" : prot == ETH_P_MPLS_UC ? "MPLS unicast" :
			   "unknown");
		pb_str(pb, " (0x");
		pb_hex(pb, prot, 4);
		pb_ch(pb, ')');
	}
	pb_str(pb, ", length ");
	pb_u(pb, length);
	if (ver == 1 && !(flags & 0x1000))
		return;
	pb_str(pb, ps->o->vflag ? "\n\t" : ": ");
	cur_skip(&c, off);
	len -= (uint32_t)off;
	if (ver == 0 && prot == ETH_P_IPV4 && ps->ip_depth < 8) {
		ps->ip_depth++;
		print_ip(ps, c, len);
		ps->ip_depth--;
	} else if (ver == 0 && prot == ETH_P_IPV6 && ps->ip_depth < 8) {
		ps->ip_depth++;
		print_ip6(ps, c, len);
		ps->ip_depth--;
	} else if (ver == 0 && prot == ETH_P_MPLS_UC && ps->ip_depth < 8) {
		ps->ip_depth++;
		print_mpls(ps, c, len);
		ps->ip_depth--;
	} else if (ver == 0 && prot == ETH_P_TEB && ps->ip_depth < 8) {
		/* transparent Ethernet bridging: an Ethernet frame */
		ps->ip_depth++;
		print_ether(ps, c, len);
		ps->ip_depth--;
	} else {
		pb_str(pb, "gre-proto-0x");
		pb_hex(pb, prot, 1);
	}
	return;
trunc:
	print_trunc(ps, "gre");
}

static struct cursor payload_cursor(struct cursor c, uint32_t len)
{
	size_t left = cur_left(&c);

	if (len < left)
		c.end = c.pos + len;
	return c;
}

void print_ip_demux(struct pstate *ps, struct cursor c, struct ipinfo *ip, uint8_t proto,
		    uint32_t len)
{
	struct pbuf *pb = ps->pb;

	c = payload_cursor(c, len);
again:
	ip->len = len;
	switch (proto) {
	case 6:
		print_tcp(ps, c, ip);
		return;
	case 17:
		print_udp(ps, c, ip);
		return;
	case 1:
		if (ip->ver == 4)
			print_icmp(ps, c, ip);
		else
			pb_str(pb, "[ICMP requires IPv4] (invalid)");
		return;
	case 58:
		if (ip->ver == 6)
			print_icmp6(ps, c, ip);
		else
			pb_str(pb, "[ICMPv6 requires IPv6] (invalid)");
		return;
	case 4:
		if (ps->ip_depth < 8) {
			ps->ip_depth++;
			print_ip(ps, c, len);
			ps->ip_depth--;
			return;
		}
		break;
	case 41:
		if (ps->ip_depth < 8) {
			ps->ip_depth++;
			print_ip6(ps, c, len);
			ps->ip_depth--;
			return;
		}
		break;
	case 59:
		pb_str(pb, "no next header");
		return;
	case 47:
		print_gre(ps, c, len);
		return;
	case 2:
		if (ip->ver == 4)
			print_igmp(ps, c, len);
		else
			pb_str(pb, "[IGMP requires IPv4] (invalid)");
		return;
	case 132:
		/* SCTP is not decoded; its common header gives the line tcpdump starts with */
		if (len < 12) {
			pb_str(pb, "truncated-sctp - ");
			pb_u(pb, 12 - len);
			pb_str(pb, " bytes missing!");
			return;
		}
		if (cur_left(&c) < 12) {
			if (ip->first_nxt != 132)
				break;
			print_trunc(ps, "sctp");
			return;
		}
		print_ports_prefix(pb, ip, cur_at_be16(&c, 0), cur_at_be16(&c, 2), 132);
		pb_str(pb, "sctp");
		return;
	case 51: {
		/* RFC 4302: AH, then the protected protocol; printed as far as captured */
		size_t cap = cur_left(&c);
		unsigned alen;

		if (cap < 1) {
			print_trunc(ps, "ah");
			return;
		}
		pb_str(pb, "AH(");
		if (cap < 2)
			goto ah_trunc;
		alen = (cur_at_u8(&c, 1) + 2u) * 4;
		if (ps->o->vflag) {
			pb_str(pb, "length=");
			pb_u(pb, cur_at_u8(&c, 1));
			pb_ch(pb, '(');
			pb_u(pb, alen);
			pb_str(pb, "-bytes),");
		}
		if (cap < 4)
			goto ah_trunc;
		if (cur_at_be16(&c, 2)) {
			pb_str(pb, "reserved=0x");
			pb_hex(pb, cur_at_be16(&c, 2), 1);
			pb_str(pb, "[MustBeZero],");
		}
		if (cap < 8)
			goto ah_trunc;
		pb_str(pb, "spi=0x");
		pb_hex(pb, cur_at_be32(&c, 4), 8);
		pb_ch(pb, ',');
		if (cap < 12)
			goto ah_trunc;
		pb_str(pb, "seq=0x");
		pb_hex(pb, cur_at_be32(&c, 8), 1);
		pb_str(pb, ",icv=0x");
		for (unsigned i = 12; i < alen; i++) {
			if (i >= cap)
				goto ah_trunc;
			pb_hex(pb, cur_at_u8(&c, i), 2);
		}
		pb_str(pb, "): ");
		if (alen > len)
			return;
		proto = cur_at_u8(&c, 0);
		cur_skip(&c, alen);
		len -= alen;
		goto again;
ah_trunc:
		print_trunc(ps, "ah");
		return;
	}
	default:
		break;
	}
	pb_str(pb, " ip-proto-");
	pb_u(pb, proto);
	pb_ch(pb, ' ');
	pb_u(pb, len);
}

void print_ip(struct pstate *ps, struct cursor c, uint32_t length)
{
	struct pbuf *pb = ps->pb;
	const struct options *o = ps->o;
	size_t caplen = cur_left(&c);
	unsigned hlen, ver;
	uint32_t len;
	uint16_t off;
	uint8_t proto;
	struct ipinfo ip = { .ver = 4 };

	if (caplen < 1) {
		print_trunc(ps, "ip");
		return;
	}
	ver = cur_at_u8(&c, 0) >> 4;
	if (ver != 4) {
		if (ver == 6)
			pb_str(pb, "IP6, wrong link-layer encapsulation");
		else {
			pb_str(pb, "IP");
			pb_u(pb, ver);
		}
		pb_str(pb, " (invalid)");
		return;
	}
	if (!o->eflag)
		pb_str(pb, "IP ");
	if (length < 20) {
		pb_str(pb, "truncated-ip ");
		pb_u(pb, length);
		return;
	}
	hlen = (cur_at_u8(&c, 0) & 0xf) * 4u;
	if (hlen < 20) {
		pb_str(pb, "bad-hlen ");
		pb_u(pb, hlen);
		return;
	}
	if (caplen < 20) {
		print_trunc_mark(ps, "ip");
		return;
	}
	len = cur_at_be16(&c, 2);
	if (len > length) {
		pb_str(pb, "truncated-ip - ");
		pb_u(pb, len - length);
		pb_str(pb, " bytes missing! ");	/* tcpdump keeps the header's length */
	}
	if (len < hlen) {
		pb_str(pb, "bad-len ");
		pb_u(pb, len);
		return;
	}
	off = cur_at_be16(&c, 6);
	proto = cur_at_u8(&c, 9);
	if (o->vflag) {
		uint8_t tos = cur_at_u8(&c, 1);

		pb_str(pb, "(tos 0x");
		pb_hex(pb, tos, 1);
		switch (tos & 3) {
		case 1: pb_str(pb, ",ECT(1)"); break;
		case 2: pb_str(pb, ",ECT(0)"); break;
		case 3: pb_str(pb, ",CE"); break;
		default: break;
		}
		if (cur_at_u8(&c, 8) >= 1) {
			pb_str(pb, ", ttl ");
			pb_u(pb, cur_at_u8(&c, 8));
		}
		pb_str(pb, ", id ");
		pb_u(pb, cur_at_be16(&c, 4));
		pb_str(pb, ", offset ");
		pb_u(pb, (off & IP_OFFMASK) * 8u);
		pb_str(pb, ", flags [");
		if (!(off & (IP_RES | IP_DF | IP_MF))) {
			pb_str(pb, "none");
		} else {
			bool sep = false;

			if (off & IP_MF) {
				pb_ch(pb, '+');
				sep = true;
			}
			if (off & IP_DF) {
				pb_str(pb, sep ? ", DF" : "DF");
				sep = true;
			}
			if (off & IP_RES)
				pb_str(pb, sep ? ", rsvd" : "rsvd");
		}
		pb_str(pb, "], proto ");
		pb_str(pb, print_ipproto_name(proto) ? print_ipproto_name(proto) : "unknown");
		pb_str(pb, " (");
		pb_u(pb, proto);
		pb_str(pb, "), length ");
		pb_u(pb, len);
		if (hlen > 20) {
			enum opt_rc orc;

			pb_str(pb, ", options (");
			orc = ip_options(pb, cur_from(&c, 20), hlen - 20);
			if (orc == OPT_TRUNC_LINE) {
				print_trunc(ps, "ip");
				return;
			}
			if (orc == OPT_TRUNC_OPTION)
				pb_str(pb, " [truncated-option]");
			pb_ch(pb, ')');
		}
		if (caplen >= hlen && !o->no_cksum) {	/* -K */
			uint16_t sum = print_cksum_fold(print_cksum_add(0, cur_at_ptr(&c, 0, hlen),
									hlen));

			if (sum != 0) {
				uint16_t field = cur_at_be16(&c, 10);

				pb_str(pb, ", bad cksum ");
				pb_hex(pb, field, 1);
				pb_str(pb, " (->");
				pb_hex(pb, print_cksum_shouldbe(field, sum), 1);
				pb_str(pb, ")!");
			}
		}
		pb_str(pb, ")\n    ");
		if (caplen < hlen && !(off & IP_OFFMASK)) {
			print_ip4_at(pb, &c, 12);
			pb_str(pb, " > ");
			print_ip4_at(pb, &c, 16);
			pb_str(pb, ": ");
			print_trunc(ps, "ip");
			return;
		}
	}
	ip.src = cur_at_ptr(&c, 12, 4);	/* captured: caplen >= 20 */
	ip.dst = cur_at_ptr(&c, 16, 4);
	ip.first_nxt = proto;
	ip.final_dst = route_final_dst(cur_sub_at(&c, 20, hlen - 20));
	ip.fragmented = (off & (IP_MF | IP_OFFMASK)) != 0;
	ip.len = len - hlen;
	cur_skip(&c, hlen);
	if ((off & IP_OFFMASK) == 0) {
		if (proto != 6 && proto != 17 && proto != 132) {
			pb_ip4(pb, ip.src);
			pb_str(pb, " > ");
			pb_ip4(pb, ip.dst);
			pb_str(pb, ": ");
		}
		if (caplen < hlen) {
			pb_str(pb, " [remaining caplen(");
			pb_u(pb, caplen);
			pb_str(pb, ") < header length(");
			pb_u(pb, hlen);
			pb_str(pb, ")]");
			print_trunc(ps, "ip");
			return;
		}
		print_ip_demux(ps, c, &ip, proto, len - hlen);
	} else {
		pb_ip4(pb, ip.src);
		pb_str(pb, " > ");
		pb_ip4(pb, ip.dst);
		pb_str(pb, ": ip-proto-");
		pb_u(pb, proto);
	}
}

void print_ip_any(struct pstate *ps, struct cursor c, uint32_t len)
{
	if (cur_left(&c) < 1) {
		print_trunc(ps, "ip");
		return;
	}
	switch (cur_at_u8(&c, 0) >> 4) {
	case 4:
		print_ip(ps, c, len);
		return;
	case 6:
		print_ip6(ps, c, len);
		return;
	default:
		pb_str(ps->pb, "unknown ip ");
		pb_u(ps->pb, cur_at_u8(&c, 0) >> 4);
		return;
	}
}
