// SPDX-License-Identifier: BSD-3-Clause
/* libFuzzer target for the QUIC dissector (dissectors/quic*.c). The input is a sequence of
 * datagrams, each prefixed by a 2-byte big-endian length and preceded by a direction byte
 * (bit 0: sent by the server), all fed to one dissect_ctx so decryption candidates, aliases,
 * Retry handling and CRYPTO reassembly across datagrams are reached. Each datagram is copied
 * to a heap block of its exact length so ASan sees any overread. Direction bit 1 claims a
 * longer UDP length (a snap cut), bits 2-7 scale the clock (flow ageing). A datagram reported
 * as decrypted must carry a QUIC version and an Initial packet type.
 * Seeds: tests/fuzz/seeds/fuzz_quic (tests/fuzz/seeds/mkseeds_quic_ipip.py).
 * fuzz-seeds: none */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissect.h"
#include "dissect_ctx.h"

#define FUZZ_MAX_DATAGRAMS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dissect_ctx *ctx = dissect_ctx_new();
	struct cursor in = cur_init(data, size);

	for (int i = 0; i < FUZZ_MAX_DATAGRAMS && cur_left(&in) > 0; i++) {
		static const uint8_t client[4] = { 192, 0, 2, 1 }, server[4] = { 198, 51, 100, 2 };
		uint8_t dir = cur_u8(&in);
		uint16_t len = cur_be16(&in);
		size_t have = cur_left(&in) < len ? cur_left(&in) : len;
		const uint8_t *bytes = cur_bytes(&in, have);
		struct dissect_result res;
		struct pkt_meta m;
		uint8_t *copy;

		if (in.short_read || !bytes)
			break;
		copy = malloc(have ? have : 1);
		memcpy(copy, bytes, have);
		memset(&m, 0, sizeof(m));
		m.ip_ver = 4;
		m.l4_proto = 17;
		memcpy(m.src, dir & 1 ? server : client, 4);
		memcpy(m.dst, dir & 1 ? client : server, 4);
		m.sport = dir & 1 ? 443 : 50000;
		m.dport = dir & 1 ? 50000 : 443;
		m.payload_len = dir & 2 ? len : (uint32_t)have;	/* bit 1: pretend a snap cut */
		ctx->now_ns = (uint64_t)i * 1000000000ull * (dir >> 2);
		memset(&res, 0, sizeof(res));
		dissector_quic.dissect(ctx, &m, cur_init(copy, have), &res);
		if (res.u.quic.decrypted && (res.u.quic.version == 0 ||
					     res.u.quic.pkt_type != QUIC_PT_INITIAL))
			abort();
		free(copy);
	}
	dissect_ctx_free(ctx);
	return 0;
}
