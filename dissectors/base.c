// SPDX-License-Identifier: BSD-3-Clause
/* L2-L4 base: link layer, IPv4/IPv6 and UDP/TCP headers; fills struct pkt_meta, narrows the
 * payload to the length the headers announce (so Ethernet padding or a lying inner length
 * never reaches a dissector) and hands it to the registered dissectors. A tunnel dissector's
 * result points at the packet it carries (IP-in-IP and GRE: ipip.c; VXLAN, Geneve, GTP-U:
 * UDP ports; ERSPAN: GRE protocol types), which is walked here in turn.
 * specification: tcpdump.org link-layer header types (LINKTYPE_NULL 0, ETHERNET 1, RAW 101,
 * LOOP 108, LINUX_SLL 113, IPV4 228, IPV6 229, LINUX_SLL2 276); IEEE 802.1Q §9.6 (VLAN tag,
 * 802.1ad QinQ, stacked); RFC 3032 §2.1 (MPLS label stack); RFC 791 §3.1 (IPv4);
 * RFC 8200 §3, §4 (IPv6 and its extension headers);
 * RFC 4302 §2 (AH length); RFC 768 (UDP); RFC 9293 §3.1 (TCP header). */
#include <string.h>
#include "dissect.h"
#include "dissect_ctx.h"
#include "linktype.h"
#include "registry.h"

#define MAX_MPLS_LABELS	8
#define MAX_STEPS	32		/* headers walked per packet, all layers together */

#define PROTO_IPIP	4
#define PROTO_TCP	6
#define PROTO_UDP	17
#define PROTO_IPV6	41
#define PROTO_GRE	47
#define MAX_ENCAP	4
#define MAX_V6_EXT	8

#define SLL_OUTGOING	4	/* LINUX_SLL packet type "sent by us" */
#define DIR_IN		1	/* enum pkt_dir in src/packet.h */
#define DIR_OUT		2

/* What follows the link-layer header, as an EtherType; TYPE_IP: an IP header of either version
 * (by its version nibble); TYPE_NONE: not something we follow. */
#define TYPE_IP		0x0000
#define TYPE_NONE	0xffff

/* BSD loopback: the address family in the capturing host's byte order. */
static uint16_t null_family_type(uint32_t fam)
{
	uint32_t swapped = __builtin_bswap32(fam);

	if (fam == 2 || swapped == 2)
		return ETH_P_IPV4;
	/* AF_INET6 is 10 (Linux), 24 (NetBSD/OpenBSD), 28 (FreeBSD), 30 (macOS) */
	for (int i = 0; i < 4; i++) {
		static const uint32_t v6[] = { 10, 24, 28, 30 };
		if (fam == v6[i] || swapped == v6[i])
			return ETH_P_IPV6;
	}
	return TYPE_NONE;
}

static int sll_dir(uint16_t pkttype)
{
	return pkttype == SLL_OUTGOING ? DIR_OUT : DIR_IN;
}

/* Skips the link-layer header; returns the type of what follows. */
static uint16_t link_layer(int linktype, struct cursor *c, struct pkt_meta *m)
{
	uint16_t type, pkttype;

	switch (linktype) {
	case LT_ETHERNET:
		cur_skip(c, 12);			/* destination, source */
		type = cur_be16(c);
		return c->short_read ? TYPE_NONE : type;
	case LT_LINUX_SLL:
		pkttype = cur_be16(c);
		cur_skip(c, 12);			/* ARPHRD, address length, address */
		type = cur_be16(c);
		if (c->short_read)
			return TYPE_NONE;
		if (!m->dir)
			m->dir = (uint8_t)sll_dir(pkttype);
		return type;
	case LT_LINUX_SLL2:
		type = cur_be16(c);
		cur_skip(c, 8);				/* reserved, interface index, ARPHRD */
		pkttype = cur_u8(c);
		cur_skip(c, 9);				/* address length, address */
		if (c->short_read)
			return TYPE_NONE;
		if (!m->dir)
			m->dir = (uint8_t)sll_dir(pkttype);
		return type;
	case LT_NULL:
	case LT_LOOP: {
		uint32_t fam = cur_be32(c);
		return c->short_read ? TYPE_NONE : null_family_type(fam);
	}
	case LT_RAW:
	case LT_DLT_RAW:
		return TYPE_IP;
	case LT_IPV4:
		return ETH_P_IPV4;
	case LT_IPV6:
		return ETH_P_IPV6;
	default:
		return TYPE_NONE;
	}
}

/* RFC 3032 §2.1: label stack entries up to the one with the bottom-of-stack bit; what follows
 * is not named, so the walk looks at the IP version nibble (as tcpdump and libpcap do). */
static uint16_t mpls_stack(struct cursor *c)
{
	for (int i = 0; i < MAX_MPLS_LABELS; i++) {
		uint32_t entry = cur_be32(c);

		if (c->short_read)
			return TYPE_NONE;
		if (entry & 0x100)			/* S: bottom of stack */
			return TYPE_IP;
	}
	return TYPE_NONE;
}

/* Outcome of an IP header: go on to L4, or stop (bad header, later fragment). */
enum ip_next { IP_STOP, IP_L4 };

/* RFC 791 §3.1. A total length of 0 (TSO/big-TCP packets captured at egress) means "all
 * that follows". Later fragments fill meta but are not dissected. */
static enum ip_next ipv4(struct cursor *c, struct pkt_meta *m, struct cursor *payload)
{
	const uint8_t *h = cur_bytes(c, 20);	/* the fixed header: one bounds check, not ten */

	if (!h)
		return IP_STOP;
	uint8_t vihl = h[0];
	size_t hlen = (size_t)(vihl & 15) * 4;
	uint16_t total = (uint16_t)(h[2] << 8 | h[3]);
	uint16_t frag = (uint16_t)(h[6] << 8 | h[7]);

	if (vihl >> 4 != 4 || hlen < 20)
		return IP_STOP;
	memset(m->src, 0, sizeof(m->src));
	memset(m->dst, 0, sizeof(m->dst));
	memcpy(m->src, h + 12, 4);
	memcpy(m->dst, h + 16, 4);
	m->ip_ver = 4;
	m->l4_proto = h[9];
	if (!cur_skip(c, hlen - 20))			/* options */
		return IP_STOP;
	size_t body = total ? (total >= hlen ? total - hlen : 0) : cur_left(c);
	if (total && total < hlen)
		return IP_STOP;
	m->payload_len = (uint32_t)body;
	*payload = cur_sub(c, body);
	payload->short_read = false;
	return (frag & 0x1fff) ? IP_STOP : IP_L4;
}

/* RFC 8200 §3, §4: walks at most MAX_V6_EXT extension headers to the upper-layer header. */
static enum ip_next ipv6(struct cursor *c, struct pkt_meta *m, struct cursor *payload)
{
	const uint8_t *h = cur_bytes(c, 40);	/* the fixed header in one bounds check */

	if (!h || h[0] >> 4 != 6)
		return IP_STOP;
	uint16_t plen = (uint16_t)(h[4] << 8 | h[5]);
	uint8_t nh = h[6];
	memcpy(m->src, h + 8, 16);
	memcpy(m->dst, h + 24, 16);
	m->ip_ver = 6;
	size_t left = plen ? plen : cur_left(c);	/* 0: jumbogram, RFC 2675 */
	struct cursor body = cur_sub(c, left);
	body.short_read = false;

	for (int i = 0; i < MAX_V6_EXT; i++) {
		size_t len;
		uint8_t next;

		switch (nh) {
		case 0:		/* hop-by-hop */
		case 43:	/* routing */
		case 60:	/* destination options */
		case 135:	/* mobility */
		case 139:	/* HIP */
		case 140:	/* shim6 */
			next = cur_u8(&body);
			len = ((size_t)cur_u8(&body) + 1) * 8;
			break;
		case 44: {	/* fragment */
			next = cur_u8(&body);
			cur_skip(&body, 1);
			uint16_t off = cur_be16(&body);
			cur_skip(&body, 4);
			if (body.short_read || left < 8 || (off & 0xfff8))
				return IP_STOP;		/* later fragments are not dissected */
			left -= 8;
			nh = next;
			continue;
		}
		case 51:	/* AH, RFC 4302 §2.2: length in 4-byte units minus 2 */
			next = cur_u8(&body);
			len = ((size_t)cur_u8(&body) + 2) * 4;
			break;
		default:
			goto upper;
		}
		if (!cur_skip(&body, len - 2) || left < len)
			return IP_STOP;
		left -= len;
		nh = next;
	}
	return IP_STOP;					/* too many extension headers */
upper:
	m->l4_proto = nh;
	m->payload_len = (uint32_t)left;
	*payload = body;
	return IP_L4;
}

/* RFC 768 / RFC 9293 §3.1: ports, and for TCP sequence number and flags; the payload is
 * narrowed to what the UDP length (or the IP length) leaves. */
static bool transport(struct cursor *c, struct pkt_meta *m)
{
	uint32_t ip_len = m->payload_len;

	if (m->l4_proto == PROTO_UDP && cur_has(c, 0, 8)) {	/* the header in one check */
		const uint8_t *h = cur_bytes(c, 8);
		uint16_t ulen = (uint16_t)(h[4] << 8 | h[5]);

		m->sport = (uint16_t)(h[0] << 8 | h[1]);
		m->dport = (uint16_t)(h[2] << 8 | h[3]);
		if (ulen < 8 || ulen > ip_len)
			return false;
		m->payload_len = ulen - 8u;
		*c = cur_sub(c, m->payload_len);
		c->short_read = false;
		return true;
	}
	m->sport = cur_be16(c);		/* what a cut header holds of the ports, then TCP */
	m->dport = cur_be16(c);
	if (m->l4_proto == PROTO_UDP)
		return false;
	m->tcp_seq = cur_be32(c);
	cur_skip(c, 4);					/* ack */
	uint16_t off_flags = cur_be16(c);
	size_t doff = (size_t)(off_flags >> 12) * 4;
	m->tcp_flags = (uint8_t)off_flags;
	cur_skip(c, 6);					/* window, checksum, urgent pointer */
	if (c->short_read || doff < 20 || doff > ip_len || !cur_skip(c, doff - 20))
		return false;
	m->payload_len = ip_len - (uint32_t)doff;
	return true;
}

static bool is_tunnel(uint8_t proto)
{
	return proto == PROTO_IPIP || proto == PROTO_IPV6 || proto == PROTO_GRE;
}

/* Offers payload c to the dissectors of layer; a tunnel's OK result moves *c to the packet it
 * carries and returns its type, else TYPE_NONE (the walk ends). *n counts the results kept. */
static __attribute__((noinline)) uint16_t
offer_to(struct dissect_ctx *ctx, enum dissect_layer layer, struct pkt_meta *meta, struct cursor *c,
	 struct dissect_result *res, size_t *n)
{
	struct dissect_result *r = &res[*n];

	if (dissect_dispatch(ctx, layer, meta, *c, r) == DISSECT_NOT_MINE)
		return TYPE_NONE;
	(*n)++;
	if (r->rc != DISSECT_OK || !r->by->tunnel || !cur_left(&r->inner))
		return TYPE_NONE;
	/* ERSPAN (offered by EtherType) tells type I from II by the GRE header's flags */
	meta->gre_flags = r->by == &dissector_ipip ? r->u.ipip.gre_flags : 0;
	*c = r->inner;
	return r->inner_type;
}

/* Offers the payload only when some dissector could want it (dissect_wanted), without the
 * call otherwise. */
static inline uint16_t offer(struct dissect_ctx *ctx, enum dissect_layer layer,
			     struct pkt_meta *meta, struct cursor *c, struct dissect_result *res,
			     size_t *n)
{
	return dissect_wanted(ctx, layer, meta, c) ? offer_to(ctx, layer, meta, c, res, n) :
						      TYPE_NONE;
}

int dissect_packet(struct dissect_ctx *ctx, int linktype, const uint8_t *data, uint32_t cap_len,
		   uint32_t wire_len, uint64_t ts_ns, struct pkt_meta *meta,
		   struct dissect_result *res, size_t max_res)
{
	/* the caller may preset the direction and interface it knows (live capture) */
	uint8_t dir = meta->dir;
	uint32_t ifindex = meta->ifindex;
	struct cursor c = cur_init(data, cap_len);
	size_t n = 0;
	uint8_t depth = 0;

	memset(meta, 0, sizeof(*meta));
	meta->dir = dir;
	meta->ifindex = ifindex;
	meta->ts_ns = ts_ns;
	meta->wire_len = wire_len;
	meta->cap_len = cap_len;
	if (ctx)
		ctx->now_ns = ts_ns;

	/* The walk: link layer, VLAN tags, MPLS labels and IP headers are read here; what they
	 * carry is offered to the dissectors, and a tunnel's inner packet is walked the same way
	 * (UDP overlays, GRE, IP-in-IP, ERSPAN), up to MAX_ENCAP IP levels. */
	uint16_t type = link_layer(linktype, &c, meta);
	for (int step = 0; step < MAX_STEPS && type != TYPE_NONE; step++) {
		struct cursor payload, peek = c;

		switch (type) {
		case ETH_P_TEB:				/* Ethernet: destination, source, type */
			cur_skip(&c, 12);
			type = cur_be16(&c);
			continue;
		case ETH_P_8021Q:
		case ETH_P_8021AD:
		case ETH_P_QINQ_OLD:			/* a VLAN tag: TCI, then the next type */
			cur_skip(&c, 2);
			type = cur_be16(&c);
			continue;
		case ETH_P_MPLS_UC:
		case ETH_P_MPLS_MC:
			type = mpls_stack(&c);
			continue;
		case TYPE_IP:
			type = cur_u8(&peek) >> 4 == 6 ? ETH_P_IPV6 : ETH_P_IPV4;
			break;
		case ETH_P_IPV4:
		case ETH_P_IPV6:
			break;
		default:				/* ERSPAN, or nothing we know */
			if (!ctx || n >= max_res || c.short_read)
				return (int)n;
			meta->ethertype = type;
			type = offer(ctx, DL_ETHERTYPE, meta, &c, res, &n);
			continue;
		}
		if (c.short_read || depth > MAX_ENCAP)
			break;
		meta->encap_depth = depth++;
		meta->sport = meta->dport = 0;
		meta->tcp_seq = 0;
		meta->tcp_flags = 0;
		enum ip_next next = type == ETH_P_IPV4 ? ipv4(&c, meta, &payload) :
							 ipv6(&c, meta, &payload);
		if (next == IP_STOP || !ctx || n >= max_res)
			break;
		if (is_tunnel(meta->l4_proto)) {
			if (depth > MAX_ENCAP)
				break;
			c = payload;
			type = offer(ctx, DL_IP_PROTO, meta, &c, res, &n);
			continue;
		}
		if ((meta->l4_proto != PROTO_TCP && meta->l4_proto != PROTO_UDP) ||
		    !transport(&payload, meta))
			break;
		c = payload;
		type = offer(ctx, meta->l4_proto == PROTO_TCP ? DL_TCP : DL_UDP, meta, &c, res, &n);
		if (depth > MAX_ENCAP)
			break;
	}
	return (int)n;
}
