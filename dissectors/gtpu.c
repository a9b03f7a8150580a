// SPDX-License-Identifier: BSD-3-Clause
/* GTP-U (GTPv1 user plane) on UDP port 2152: TEID and message type; a G-PDU's T-PDU (an IP
 * packet of either version) is walked by base.c, so a hello inside a mobile core tunnel is
 * found for the subscriber's flow.
 * specification: 3GPP TS 29.281 §5.1 (header: version 3 bits = 1, PT = 1, E, S, PN flags;
 * message type; length of what follows the first 8 bytes; TEID; when any of E, S, PN is set,
 * sequence number, N-PDU number and next extension header type), §5.2 (extension headers:
 * length in 4-byte units including the length and next-type bytes, 0 ends the chain), §6.1
 * (message type 255: G-PDU). GTP' and GTPv2 (version 2, control plane) are not GTP-U. */
#include "tunnel.h"

#define GTPU_PORT	2152
#define GTP_E		0x04
#define GTP_S		0x02
#define GTP_PN		0x01
#define GTP_G_PDU	255
#define MAX_EXT_HDRS	16

static enum dissect_rc gtpu_dissect(struct dissect_ctx *ctx, const struct pkt_meta *m,
				    struct cursor c, struct dissect_result *out)
{
	(void)ctx;
	if (!tunnel_udp_port(m, c, GTPU_PORT))
		return DISSECT_NOT_MINE;
	struct cursor peek = c;
	uint8_t flags = cur_u8(&peek);

	if (flags >> 5 != 1 || !(flags & 0x10))
		return DISSECT_NOT_MINE;	/* not GTPv1 (GTP' has PT = 0) */
	struct tunnel_info *t = tunnel_start(out, m, TUN_GTPU);

	t->flags = cur_u8(&c);
	t->msg_type = cur_u8(&c);
	uint16_t len = cur_be16(&c);
	t->id = cur_be32(&c);
	if (c.short_read)
		return DISSECT_TRUNCATED;
	/* the length covers everything after the mandatory header: the message ends there */
	struct cursor msg = cur_sub(&c, len);
	bool cut = c.short_read;

	if (flags & (GTP_E | GTP_S | GTP_PN)) {
		cur_skip(&msg, 3);		/* sequence number, N-PDU number */
		uint8_t next = cur_u8(&msg);

		for (int i = 0; next && (flags & GTP_E) && i < MAX_EXT_HDRS; i++) {
			uint8_t units = cur_u8(&msg);

			if (units == 0 && !msg.short_read)
				return DISSECT_INVALID;
			cur_skip(&msg, (size_t)units * 4 - 2);
			next = cur_u8(&msg);
		}
		if (next && (flags & GTP_E) && !msg.short_read)
			return DISSECT_INVALID;	/* longer chain than we follow */
	}
	if (msg.short_read)
		return cut ? DISSECT_TRUNCATED : DISSECT_INVALID;
	if (t->msg_type != GTP_G_PDU)
		return DISSECT_OK;		/* echo, error indication, end marker: no T-PDU */
	return tunnel_inner(out, msg, INNER_IP);
}

const struct dissector dissector_gtpu = {
	.name = "gtpu",
	.layer = DL_UDP,
	.hint = GTPU_PORT,
	.hint_only = true,
	.tunnel = true,
	.dissect = gtpu_dissect,
};
