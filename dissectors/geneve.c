// SPDX-License-Identifier: BSD-3-Clause
/* Geneve on UDP port 6081: VNI, flags, options (the first TUNNEL_OPTS_MAX named by class and
 * type) and the payload named by its protocol type, walked by base.c.
 * specification: RFC 8926 §3.4 (header: version 2 bits, options length 6 bits in 4-byte
 * units, O and C flags, protocol type, 24-bit VNI, reserved), §3.5 (option: class 16 bits,
 * type 8 bits, 3 reserved bits, length 5 bits in 4-byte units, data). Version other than 0:
 * INVALID (§3.4: a receiver must not parse what it does not know). */
#include "tunnel.h"

#define GENEVE_PORT	6081

static enum dissect_rc geneve_dissect(struct dissect_ctx *ctx, const struct pkt_meta *m,
				      struct cursor c, struct dissect_result *out)
{
	(void)ctx;
	if (!tunnel_udp_port(m, c, GENEVE_PORT))
		return DISSECT_NOT_MINE;
	struct tunnel_info *t = tunnel_start(out, m, TUN_GENEVE);
	uint8_t ver_len = cur_u8(&c);

	t->flags = cur_u8(&c) & 0xc0;
	t->proto = cur_be16(&c);
	t->id = cur_be24(&c);
	cur_skip(&c, 1);
	t->opt_len = (uint16_t)((ver_len & 0x3f) * 4);
	if (c.short_read)
		return DISSECT_TRUNCATED;
	if (ver_len >> 6)
		return DISSECT_INVALID;
	struct cursor opts = cur_sub(&c, t->opt_len);
	while (cur_left(&opts) > 0) {
		uint16_t cls = cur_be16(&opts);
		uint8_t type = cur_u8(&opts);
		uint8_t len = cur_u8(&opts) & 0x1f;

		if (opts.short_read || !cur_skip(&opts, (size_t)len * 4))
			break;
		if (t->n_opts < TUNNEL_OPTS_MAX) {
			t->opt_class[t->n_opts] = cls;
			t->opt_type[t->n_opts] = type;
		}
		t->n_opts++;
	}
	if (opts.short_read && !c.short_read)
		return DISSECT_INVALID;		/* an option runs past the options length */
	return tunnel_inner(out, c, t->proto);
}

const struct dissector dissector_geneve = {
	.name = "geneve",
	.layer = DL_UDP,
	.hint = GENEVE_PORT,
	.hint_only = true,
	.tunnel = true,
	.dissect = geneve_dissect,
};
