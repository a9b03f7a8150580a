// SPDX-License-Identifier: BSD-3-Clause
/* libFuzzer target for the TLS path: the hello parser + JA4 on raw bytes, and dissect_packet()
 * with TCP reassembly over a short sequence of packets.
 * Input: byte 0 picks the mode; then either one handshake message (mode even), or packets
 * as [2-byte length][bytes] records for one link type (byte 1 picks it), all through one
 * dissect context so a hello can span them.
 * Build: clang -fsanitize=fuzzer,address,undefined -Isrc -Idissectors tests/fuzz/fuzz_tls.c
 * plus every dissectors .c file and src/util.c, -lcrypto (tests/fuzz/run.sh does it). Seeds in
 * this input format: tests/fuzz/seeds/fuzz_tls/ (tests/fuzz/seeds/mkseeds_tls.py, from
 * testdata/tls).
 * fuzz-seeds: none */
#include <stdint.h>
#include <string.h>
#include "dissect.h"
#include "tls_hello.h"
#include "fuzz_packets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int linktypes[] = { 1, 0, 101, 108, 113, 228, 229, 276 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cursor c = cur_init(data, size);
	uint8_t mode = cur_u8(&c);

	if (c.short_read)
		return 0;
	if (!(mode & 1)) {
		static struct tls_hello h;
		static struct tls_info info;

		if (tls_hello_parse(c, &h) != DISSECT_NOT_MINE)
			tls_hello_to_info(&h, mode & 2 ? 'q' : 't', &info);
		return 0;
	}
	int lt = linktypes[cur_u8(&c) % (sizeof(linktypes) / sizeof(linktypes[0]))];
	struct dissect_ctx *ctx = dissect_ctx_new();
	fuzz_dissect_packets(ctx, lt, c);
	dissect_ctx_free(ctx);
	return 0;
}
