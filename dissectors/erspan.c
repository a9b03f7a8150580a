// SPDX-License-Identifier: BSD-3-Clause
/* ERSPAN (Cisco encapsulated remote SPAN, mirrored frames in GRE): type, session ID and the
 * mirrored frame, walked by base.c (so a mirrored hello is found for the mirrored flow).
 * specification: draft-foschiano-erspan-03 §4.1 (type I: GRE protocol 0x88be without a
 * sequence number, no ERSPAN header), §4.2 (type II: 0x88be with a sequence number; 8-byte
 * header: version 1, VLAN, CoS, encapsulation type, truncated bit, 10-bit session ID, index),
 * §4.3 (type III: 0x22eb; 12-byte header: version 2, VLAN, CoS, BSO, T, session ID, timestamp,
 * SGT, P, frame type (0 Ethernet, 2 IP), hardware ID, direction, granularity, O: an 8-byte
 * platform-specific subheader follows). */
#include "tunnel.h"

#define GRE_S		0x1000		/* the GRE header has a sequence number */
#define ERSPAN3_O	0x01		/* platform-specific subheader present */
#define ERSPAN3_FT_IP	2

static enum dissect_rc erspan_dissect(struct dissect_ctx *ctx, const struct pkt_meta *m,
				      struct cursor c, struct dissect_result *out)
{
	(void)ctx;
	if (m->ethertype != ETH_P_ERSPAN && m->ethertype != ETH_P_ERSPAN3)
		return DISSECT_NOT_MINE;
	struct tunnel_info *t = tunnel_start(out, m, TUN_ERSPAN);

	if (m->ethertype == ETH_P_ERSPAN && !(m->gre_flags & GRE_S)) {
		t->version = 1;
		return tunnel_inner(out, c, ETH_P_TEB);
	}
	uint16_t ver_vlan = cur_be16(&c);
	uint16_t cos_session = cur_be16(&c);

	t->version = (uint8_t)((ver_vlan >> 12) + 1);	/* field 1: type II, 2: type III */
	t->vlan = ver_vlan & 0x0fff;
	t->id = cos_session & 0x03ff;
	if (m->ethertype == ETH_P_ERSPAN) {
		cur_skip(&c, 4);			/* reserved, index */
		if (c.short_read)
			return DISSECT_TRUNCATED;
		return t->version == 2 ? tunnel_inner(out, c, ETH_P_TEB) : DISSECT_INVALID;
	}
	cur_skip(&c, 6);				/* timestamp, SGT */
	uint16_t tail = cur_be16(&c);
	if (tail & ERSPAN3_O)
		cur_skip(&c, 8);
	if (c.short_read)
		return DISSECT_TRUNCATED;
	if (t->version != 3)
		return DISSECT_INVALID;
	return tunnel_inner(out, c, ((tail >> 10) & 0x1f) == ERSPAN3_FT_IP ? INNER_IP :
									 ETH_P_TEB);
}

const struct dissector dissector_erspan = {
	.name = "erspan",
	.layer = DL_ETHERTYPE,
	.hint = ETH_P_ERSPAN,		/* also 0x22eb (type III), checked by the dissector */
	.tunnel = true,
	.dissect = erspan_dissect,
};
