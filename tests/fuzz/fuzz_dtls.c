// SPDX-License-Identifier: BSD-3-Clause
/* libFuzzer target for the DTLS dissector (dissectors/dtls.c) and the DTLS ClientHello parser.
 * The input is a sequence of datagrams, each a direction byte then a 2-byte big-endian length
 * and the bytes, all fed to one dissect_ctx so fragments join across datagrams (and the
 * fragment table fills, ages and evicts). Each datagram is copied to a heap block of its exact
 * length so ASan sees any overread (tests/fuzz/fuzz_datagram.h: bit 0 of the direction byte:
 * sent by the server; bit 1: a snap cut); bits 2-4 pick one of 8 client ports (several flows),
 * bits 5-7 scale the clock. A complete ClientHello result must carry a 'd' JA4.
 * Seeds: tests/fuzz/seeds/fuzz_dtls (tests/fuzz/seeds/mkseeds_dtls.py, from testdata/dtls).
 * fuzz-seeds: none */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissect.h"
#include "dissect_ctx.h"
#include "fuzz_datagram.h"

#define FUZZ_MAX_DATAGRAMS 128

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dissect_ctx *ctx = dissect_ctx_new();
	struct cursor in = cur_init(data, size);
	struct fuzz_datagram d;

	/* direction bits 2-4 pick one of 8 client ports (flows), 5-7 scale the clock */
	for (int i = 0; i < FUZZ_MAX_DATAGRAMS && cur_left(&in) > 0; i++) {
		struct cursor peek = in;
		uint16_t port = (uint16_t)(50000 + ((cur_u8(&peek) >> 2) & 7));
		struct dissect_result res;

		if (!fuzz_next_datagram(&in, port, 4433, &d))
			break;
		ctx->now_ns = (uint64_t)i * 1000000000ull * (d.dir >> 5);
		memset(&res, 0, sizeof(res));
		enum dissect_rc rc = dissector_dtls.dissect(ctx, &d.m, cur_init(d.copy, d.have),
							    &res);
		if (rc == DISSECT_OK && res.u.tls.msg == TLS_MSG_CLIENT_HELLO &&
		    res.u.tls.ja4[0] != 'd')
			abort();
		free(d.copy);
	}
	dissect_ctx_free(ctx);
	return 0;
}
