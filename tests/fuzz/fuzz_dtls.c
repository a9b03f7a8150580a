// SPDX-License-Identifier: BSD-3-Clause
/* libFuzzer target for the DTLS dissector (dissectors/dtls.c) and the DTLS ClientHello parser.
 * The input is a sequence of datagrams, each a direction byte then a 2-byte big-endian length
 * and the bytes, all fed to one dissect_ctx so fragments join across datagrams (and the
 * fragment table fills, ages and evicts). Each datagram is copied to a heap block of its exact
 * length so ASan sees any overread. Direction bit 0: sent by the server; bit 1: the UDP length
 * claims more than was captured (a snap cut); bits 2-4 pick one of 8 client ports (several
 * flows), bits 5-7 scale the clock. A complete ClientHello result must carry a 'd' JA4.
 * Seeds: tests/fuzz/seeds/fuzz_dtls (tests/fuzz/seeds/mkseeds_dtls.py, from testdata/dtls).
 * fuzz-seeds: none */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissect.h"
#include "dissect_ctx.h"

#define FUZZ_MAX_DATAGRAMS 128

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t client[4] = { 192, 0, 2, 1 }, server[4] = { 198, 51, 100, 2 };
	struct dissect_ctx *ctx = dissect_ctx_new();
	struct cursor in = cur_init(data, size);

	for (int i = 0; i < FUZZ_MAX_DATAGRAMS && cur_left(&in) > 0; i++) {
		uint8_t dir = cur_u8(&in);
		uint16_t len = cur_be16(&in);
		size_t have = cur_left(&in) < len ? cur_left(&in) : len;
		const uint8_t *bytes = cur_bytes(&in, have);
		uint16_t port = (uint16_t)(50000 + ((dir >> 2) & 7));
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
		m.sport = dir & 1 ? 4433 : port;
		m.dport = dir & 1 ? port : 4433;
		m.payload_len = dir & 2 ? (uint32_t)len + 100 : (uint32_t)have;
		ctx->now_ns = (uint64_t)i * 1000000000ull * (dir >> 5);
		memset(&res, 0, sizeof(res));
		enum dissect_rc rc = dissector_dtls.dissect(ctx, &m, cur_init(copy, have), &res);
		if (rc == DISSECT_OK && res.u.tls.msg == TLS_MSG_CLIENT_HELLO &&
		    res.u.tls.ja4[0] != 'd')
			abort();
		free(copy);
	}
	dissect_ctx_free(ctx);
	return 0;
}
