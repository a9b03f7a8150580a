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
#include "fuzz_datagram.h"

#define FUZZ_MAX_DATAGRAMS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dissect_ctx *ctx = dissect_ctx_new();
	struct cursor in = cur_init(data, size);

	struct fuzz_datagram d;

	for (int i = 0; i < FUZZ_MAX_DATAGRAMS && fuzz_next_datagram(&in, 50000, 443, &d); i++) {
		struct dissect_result res;

		ctx->now_ns = (uint64_t)i * 1000000000ull * (d.dir >> 2);
		memset(&res, 0, sizeof(res));
		dissector_quic.dissect(ctx, &d.m, cur_init(d.copy, d.have), &res);
		if (res.u.quic.decrypted && (res.u.quic.version == 0 ||
					     res.u.quic.pkt_type != QUIC_PT_INITIAL))
			abort();
		free(d.copy);
	}
	dissect_ctx_free(ctx);
	return 0;
}
