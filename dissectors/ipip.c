// SPDX-License-Identifier: BSD-3-Clause
/* IP-in-IP and GRE tunnels: names the outer and inner IP versions and addresses and points
 * res.inner at the encapsulated IP header, so base.c dissects the inner packet (TLS and QUIC
 * inside a tunnel are found too; base.c bounds the nesting). A GRE payload other than IP
 * (MPLS, ERSPAN, ...) is left to base.c by its protocol type (res.inner_type).
 * specification: RFC 2003 (IPv4 in IPv4, protocol 4), RFC 4213 §3.5 (IPv6 in IPv4, protocol
 * 41), RFC 2473 §3 (IPv4/IPv6 in IPv6, next header 4/41), RFC 2784 §2 (GRE, version 0),
 * RFC 2890 §2 (GRE key and sequence number), RFC 1701 §3.1 (transparent Ethernet bridging,
 * protocol type 0x6558), IEEE 802.1Q §9.6 (VLAN tags inside the bridged frame) */
#include <string.h>
#include "dissect.h"
#include "linktype.h"

#define PROTO_IPIP	4
#define PROTO_IPV6	41
#define PROTO_GRE	47

#define GRE_C		0x8000		/* checksum (and reserved1) present */
#define GRE_R		0x4000		/* RFC 1701 routing: not in version 0 of RFC 2784 */
#define GRE_K		0x2000		/* key present */
#define GRE_S		0x1000		/* sequence number present */
#define GRE_RESERVED0	0x0ff8		/* strict source route, recursion, flags: must be 0 */
#define GRE_VERSION	0x0007

#define MAX_INNER_VLANS	2

/* GRE header (RFC 2784 §2.1, RFC 2890 §2): fills the GRE fields, returns the protocol type
 * of the payload and leaves c at the payload. */
static enum dissect_rc gre_header(struct cursor *c, struct ipip_info *ii)
{
	uint16_t flags = cur_be16(c);

	ii->gre_ethertype = cur_be16(c);
	ii->gre_flags = flags;
	if (c->short_read)
		return DISSECT_TRUNCATED;
	if ((flags & GRE_VERSION) != 0 || (flags & (GRE_R | GRE_RESERVED0)) != 0)
		return DISSECT_INVALID;		/* PPTP's version 1 or RFC 1701 routing */
	if (flags & GRE_C)
		cur_skip(c, 4);			/* checksum, reserved1 */
	if (flags & GRE_K) {
		ii->gre_has_key = true;
		ii->gre_key = cur_be32(c);
	}
	if (flags & GRE_S)
		cur_be32(c);			/* sequence number */
	return c->short_read ? DISSECT_TRUNCATED : DISSECT_OK;
}

/* The Ethernet header of a bridged frame (with up to two VLAN tags): returns its EtherType
 * and leaves c at the payload. */
static uint16_t inner_ethernet(struct cursor *c)
{
	uint16_t type;

	cur_skip(c, 12);			/* destination, source MAC */
	type = cur_be16(c);
	for (int i = 0; i < MAX_INNER_VLANS && (type == ETH_P_8021Q || type == ETH_P_8021AD); i++) {
		cur_be16(c);			/* tag control information */
		type = cur_be16(c);
	}
	return type;
}

/* Inner IP header: version and addresses; c stays at the header. */
static enum dissect_rc inner_ip(struct cursor c, uint8_t want_ver, struct ipip_info *ii)
{
	struct cursor peek = c;
	uint8_t ver = cur_u8(&peek) >> 4;
	const uint8_t *src, *dst;

	if (peek.short_read)
		return DISSECT_TRUNCATED;
	if (ver != want_ver)
		return DISSECT_INVALID;
	ii->inner_ver = ver;
	if (ver == 4) {
		cur_skip(&peek, 11);		/* to the source address (RFC 791 §3.1) */
		src = cur_bytes(&peek, 4);
		dst = cur_bytes(&peek, 4);
	} else {
		cur_skip(&peek, 7);		/* to the source address (RFC 8200 §3) */
		src = cur_bytes(&peek, 16);
		dst = cur_bytes(&peek, 16);
	}
	if (!src || !dst)
		return DISSECT_TRUNCATED;
	memcpy(ii->inner_src, src, ver == 4 ? 4 : 16);
	memcpy(ii->inner_dst, dst, ver == 4 ? 4 : 16);
	return DISSECT_OK;
}

static enum dissect_rc dissect_ipip(struct dissect_ctx *ctx, const struct pkt_meta *m,
				    struct cursor c, struct dissect_result *out)
{
	struct ipip_info *ii = &out->u.ipip;
	uint16_t type;
	enum dissect_rc rc;

	if (m->l4_proto != PROTO_IPIP && m->l4_proto != PROTO_IPV6 && m->l4_proto != PROTO_GRE)
		return DISSECT_NOT_MINE;
	memset(ii, 0, sizeof(*ii));
	memset(&out->inner, 0, sizeof(out->inner));
	ii->proto = m->l4_proto;
	ii->outer_ver = m->ip_ver;
	memcpy(ii->outer_src, m->src, sizeof(ii->outer_src));
	memcpy(ii->outer_dst, m->dst, sizeof(ii->outer_dst));

	type = m->l4_proto == PROTO_IPIP ? ETH_P_IPV4 : ETH_P_IPV6;
	if (m->l4_proto == PROTO_GRE) {
		rc = gre_header(&c, ii);
		if (rc != DISSECT_OK)
			return rc;
		type = ii->gre_ethertype;
		if (type == ETH_P_TEB) {
			ii->inner_eth = true;
			type = inner_ethernet(&c);
			if (c.short_read)
				return DISSECT_TRUNCATED;
		}
		if (type != ETH_P_IPV4 && type != ETH_P_IPV6) {
			/* base.c walks it (MPLS, VLAN) or offers it by EtherType (ERSPAN) */
			out->inner = c;
			out->inner_type = type;
			return DISSECT_OK;
		}
	}
	rc = inner_ip(c, type == ETH_P_IPV4 ? 4 : 6, ii);
	if (rc == DISSECT_OK) {
		out->inner = c;
		out->inner_type = 0;		/* an IP header */
	}
	return rc;
}

const struct dissector dissector_ipip = {
	.name = "ipip",
	.layer = DL_IP_PROTO,
	.hint = PROTO_IPIP,		/* also 41 and 47, checked by the dissector */
	.tunnel = true,
	.dissect = dissect_ipip,
};
