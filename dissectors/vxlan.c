// SPDX-License-Identifier: BSD-3-Clause
/* VXLAN on UDP port 4789: the VNI, and the Ethernet frame it carries is walked by base.c (so
 * TLS, QUIC and DTLS inside an overlay are found for the inner flow).
 * specification: RFC 7348 §5 (8-byte header: flags with I = 0x08 for a valid VNI, 24 reserved
 * bits, 24-bit VNI, 8 reserved bits; the inner Ethernet frame follows). As tcpdump and
 * libpcap do, the port alone decides (the I flag is reported, not required). */
#include "tunnel.h"

#define VXLAN_PORT	4789

static enum dissect_rc vxlan_dissect(struct dissect_ctx *ctx, const struct pkt_meta *m,
				     struct cursor c, struct dissect_result *out)
{
	(void)ctx;
	if (!tunnel_udp_port(m, c, VXLAN_PORT))
		return DISSECT_NOT_MINE;
	struct tunnel_info *t = tunnel_start(out, m, TUN_VXLAN);

	t->flags = cur_u8(&c);
	cur_skip(&c, 3);
	t->id = cur_be24(&c);
	cur_skip(&c, 1);
	return tunnel_inner(out, c, ETH_P_TEB);
}

const struct dissector dissector_vxlan = {
	.name = "vxlan",
	.layer = DL_UDP,
	.hint = VXLAN_PORT,
	.hint_only = true,
	.tunnel = true,
	.dissect = vxlan_dissect,
};
