// SPDX-License-Identifier: BSD-3-Clause
/* Overlay and label-switching lines as tcpdump 4.99.3 prints them: VXLAN (UDP port 4789),
 * Geneve (UDP port 6081) and MPLS label stacks (EtherTypes 0x8847/0x8848, GRE), each followed
 * by the packet it carries. tcpdump 4.99.3 does not decode GTP-U or ERSPAN: procap prints those
 * as tcpdump does (plain UDP, "gre-proto-0x88be") and names them in its findings only.
 * Lines checked against tcpdump 4.99.3 on testdata/tunnels/crafted.pcap (golden rows).
 * specification: RFC 7348 §5 (VXLAN), RFC 8926 §3.4-3.5 (Geneve), RFC 3032 §2.1 (MPLS label
 * stack entry: label 20 bits, traffic class 3, bottom of stack 1, TTL 8). */
#include <string.h>
#include "linktype.h"
#include "print_tunnel.h"

#define MAX_NESTING	8		/* tunnels inside tunnels, as print_gre bounds it */

void print_vxlan(struct pstate *ps, struct cursor c, uint32_t len)
{
	struct pbuf *pb = ps->pb;

	pb_str(pb, "VXLAN");
	if (!cur_has(&c, 0, 8) || len < 8) {
		print_trunc(ps, "vxlan");
		return;
	}
	uint8_t flags = cur_at_u8(&c, 0);

	pb_str(pb, ", flags [");
	pb_str(pb, flags & 0x08 ? "I" : "invalid");
	pb_str(pb, "] (0x");
	pb_hex(pb, flags, 2);
	pb_str(pb, "), vni ");
	pb_u(pb, cur_at_be24(&c, 4));
	pb_ch(pb, '\n');
	if (ps->ip_depth >= MAX_NESTING)
		return;
	ps->ip_depth++;
	print_ether(ps, cur_from(&c, 8), len - 8);
	ps->ip_depth--;
}

/* tcpdump's names of the Geneve option classes it knows (print-geneve.c); the IANA registry
 * ranges as tcpdump 4.99.3 prints them, read back from its output. */
static const char *geneve_class_name(uint16_t cls)
{
	static const char *const named[] = { "Linux", "Open vSwitch",
					     "Open Virtual Networking (OVN)",
					     "In-band Network Telemetry (INT)", "VMware" };

	if (cls <= 0x00ff)
		return "Standard";
	if (cls >= 0x0100 && cls <= 0x0104)
		return named[cls - 0x0100];
	if (cls >= 0xfff0)
		return "Experimental";
	return "Unknown";
}

static void geneve_options(struct pstate *ps, struct cursor c, uint32_t len)
{
	struct pbuf *pb = ps->pb;
	size_t off = 0;

	while (off < len) {
		uint16_t cls = cur_at_be16(&c, off);
		uint8_t type = cur_at_u8(&c, off + 2);
		uint32_t olen = 4 + (uint32_t)(cur_at_u8(&c, off + 3) & 0x1f) * 4;

		pb_str(pb, off ? ", class " : "class ");
		pb_str(pb, geneve_class_name(cls));
		pb_str(pb, " (0x");
		pb_hex(pb, cls, 1);
		pb_str(pb, ") type 0x");
		pb_hex(pb, type, 1);
		if (type & 0x80)
			pb_str(pb, "(C)");
		pb_str(pb, " len ");
		pb_u(pb, olen);
		if (olen > len - off) {
			pb_str(pb, " [bad length]");
			return;
		}
		if (ps->o->vflag > 1 && olen > 4) {
			pb_str(pb, " data");
			for (uint32_t i = 4; i < olen; i += 4) {
				pb_ch(pb, ' ');
				pb_hex(pb, cur_at_be32(&c, off + i), 8);
			}
		}
		off += olen;
	}
}

void print_geneve(struct pstate *ps, struct cursor c, uint32_t len)
{
	struct pbuf *pb = ps->pb;

	pb_str(pb, "Geneve");
	if (!cur_has(&c, 0, 8) || len < 8) {
		print_trunc(ps, "geneve");
		return;
	}
	uint8_t ver_opt = cur_at_u8(&c, 0), flags = cur_at_u8(&c, 1);
	uint16_t proto = cur_at_be16(&c, 2);
	uint8_t reserved = cur_at_u8(&c, 7);
	uint32_t opts_len = (uint32_t)(ver_opt & 0x3f) * 4;

	if (ver_opt >> 6) {
		pb_str(pb, " ERROR: unknown-version ");
		pb_u(pb, ver_opt >> 6);
		return;
	}
	pb_str(pb, ", Flags [");
	if (flags & 0xc0) {
		pb_str(pb, flags & 0x80 ? "O" : "");
		pb_str(pb, flags & 0x40 ? "C" : "");
	} else {
		pb_str(pb, "none");
	}
	pb_str(pb, "], vni 0x");
	pb_hex(pb, cur_at_be24(&c, 4), 1);
	if (reserved) {
		pb_str(pb, ", rsvd 0x");
		pb_hex(pb, reserved, 1);
	}
	if (ps->o->eflag) {
		const char *name = proto == ETH_P_TEB ? "TEB" : print_ethertype_name(proto);

		pb_str(pb, ", proto ");
		pb_str(pb, strcmp(name, "Unknown") ? name : "unknown");
		pb_str(pb, " (0x");
		pb_hex(pb, proto, 4);
		pb_ch(pb, ')');
	}
	len -= 8;
	if (len < opts_len) {
		pb_str(pb, " truncated-geneve - ");
		pb_u(pb, opts_len - len);
		pb_str(pb, " bytes missing");
		return;
	}
	if (!cur_has(&c, 8, opts_len)) {
		print_trunc(ps, "geneve");
		return;
	}
	if (opts_len) {
		pb_str(pb, ", options [");
		if (ps->o->vflag) {
			geneve_options(ps, cur_from(&c, 8), opts_len);
		} else {
			pb_u(pb, opts_len);
			pb_str(pb, " bytes");
		}
		pb_ch(pb, ']');
	}
	pb_str(pb, ps->o->vflag ? "\n\t" : ": ");
	len -= opts_len;
	struct cursor inner = cur_from(&c, 8 + opts_len);
	if (ps->ip_depth >= MAX_NESTING)
		return;
	ps->ip_depth++;
	if (!print_ethertype(ps, proto, inner, len)) {
		if (proto == ETH_P_TEB) {
			print_ether(ps, inner, len);
		} else {
			pb_str(pb, "geneve-proto-0x");
			pb_hex(pb, proto, 1);
		}
	}
	ps->ip_depth--;
}

void print_mpls(struct pstate *ps, struct cursor c, uint32_t len)
{
	static const char *const label_names[16] = {
		"IPv4 explicit NULL", "router alert", "IPv6 explicit NULL", "implicit NULL",
		"rsvd", "rsvd", "rsvd", "rsvd", "rsvd", "rsvd", "rsvd", "rsvd", "rsvd", "rsvd",
		"rsvd", "rsvd",
	};
	struct pbuf *pb = ps->pb;
	size_t off = 0;
	uint32_t entry;

	pb_str(pb, "MPLS");
	do {
		if (len < 4 || !cur_has(&c, off, 4)) {
			print_trunc(ps, "mpls");
			return;
		}
		entry = cur_at_be32(&c, off);
		pb_str(pb, off && ps->o->vflag ? "\n\t(label " : " (label ");
		pb_u(pb, entry >> 12);
		if (ps->o->vflag && entry >> 12 < 16) {
			pb_str(pb, " (");
			pb_str(pb, label_names[entry >> 12]);
			pb_ch(pb, ')');
		}
		pb_str(pb, ", tc ");
		pb_u(pb, (entry >> 9) & 7);
		if (entry & 0x100)
			pb_str(pb, ", [S]");
		pb_str(pb, ", ttl ");
		pb_u(pb, entry & 0xff);
		pb_ch(pb, ')');
		off += 4;
		len -= 4;
	} while (!(entry & 0x100));

	struct cursor inner = cur_from(&c, off);
	uint32_t label = entry >> 12;
	int ver = label == 0 || label == 3 ? 4 : label == 2 ? 6 : 0;
	if (!ver && len >= 1 && cur_has(&inner, 0, 1))
		ver = cur_at_u8(&inner, 0) >> 4 == 4 ? 4 : cur_at_u8(&inner, 0) >> 4 == 6 ? 6 : 0;
	if (!ver) {
		/* tcpdump's default print of a payload it cannot name (not with -q, -x, -X) */
		size_t n = cur_left(&inner) < len ? cur_left(&inner) : len;

		if (n && !ps->o->qflag && !ps->o->xflag && !ps->o->Xflag)
			print_hex_ascii(pb, inner.pos, n);
		return;
	}
	if (ps->ip_depth >= MAX_NESTING)
		return;
	pb_str(pb, ps->o->vflag ? "\n\t" : " ");
	ps->ip_depth++;
	if (ver == 4)
		print_ip(ps, inner, len);
	else
		print_ip6(ps, inner, len);
	ps->ip_depth--;
}
