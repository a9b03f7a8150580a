// SPDX-License-Identifier: BSD-3-Clause
/* libFuzzer target for decrypted-TLS parsing: HPACK header blocks (hpack.c), HTTP/2 frame
 * streams (http2.c), HTTP/1.1 streams (http1.c) and the TLS connection follower
 * (tls_flow.c) through dissect_packet with key log secrets taken from the input.
 * Input: byte 0 picks the mode (mod 4); then
 *   0: byte 1 sets the table limit (x 256), then header blocks as [2-byte length][block],
 *      all through one decoder (its dynamic table carries over);
 *   1, 2: chunks as [1 byte: direction (bit 0)][2-byte length][bytes] through one HTTP/2 or
 *      HTTP/1.1 connection;
 *   3: 32 bytes of client random and 48 of secret (key log lines CLIENT_RANDOM and both
 *      TLS 1.3 traffic secrets are made of them), then raw IPv4 packets (link type 228) as
 *      [2-byte length][bytes] through one dissect context.
 * Build: tests/fuzz/run.sh fuzz_http. Seeds: tests/fuzz/seeds/fuzz_http/ (RFC 7541 C.4 blocks,
 * an HTTP/2 and an HTTP/1.1 exchange).
 * fuzz-seeds: none */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dissect.h"
#include "dissect_ctx.h"
#include "hpack.h"
#include "http.h"
#include "fuzz_packets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t scratch[HPACK_SCRATCH];

static void ignore(void *arg, const struct hpack_field *f)
{
	(void)arg;
	(void)f;
}

static void fuzz_hpack(struct cursor c)
{
	struct hpack_dec d;

	hpack_init(&d);
	hpack_set_limit(&d, (uint32_t)cur_u8(&c) << 8);
	while (cur_left(&c) >= 2) {
		uint16_t len = cur_be16(&c);
		struct cursor b = cur_sub(&c, len);
		size_t n = cur_left(&b);

		if (hpack_decode(&d, cur_bytes(&b, n), n, scratch, ignore, NULL))
			break;
	}
	hpack_free(&d);
}

static void fuzz_streams(struct cursor c, bool h2)
{
	struct http2_conn c2;
	struct http1_conn c1;
	struct http_info out;

	http2_init(&c2);
	memset(&c1, 0, sizeof(c1));
	while (cur_left(&c) >= 3) {
		int dir = cur_u8(&c) & 1;
		uint16_t len = cur_be16(&c);
		struct cursor b = cur_sub(&c, len);
		size_t n = cur_left(&b);
		const uint8_t *p = cur_bytes(&b, n);

		memset(&out, 0, sizeof(out));
		if (h2)
			http2_feed(&c2, dir, p, n, &out);
		else
			http1_feed(&c1, dir, p, n, &out);
	}
	http2_free(&c2);
	http1_free(&c1);
}

static void hex(char *out, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static void fuzz_flow(struct cursor c)
{
	const uint8_t *random = cur_bytes(&c, 32), *secret = cur_bytes(&c, 48);
	char r[65], s[97], lines[512];

	if (!random || !secret)
		return;
	hex(r, random, 32);
	hex(s, secret, 48);
	snprintf(lines, sizeof(lines),
		 "CLIENT_RANDOM %s %s\nCLIENT_TRAFFIC_SECRET_0 %s %.64s\n"
		 "SERVER_TRAFFIC_SECRET_0 %s %.64s\n", r, s, r, s, r, s + 32);
	struct dissect_ctx *ctx = dissect_ctx_new();
	tls_decrypt_add_keylog(ctx, lines, strlen(lines));
	fuzz_dissect_packets(ctx, 228, c);
	dissect_ctx_free(ctx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cursor c = cur_init(data, size);
	uint8_t mode = cur_u8(&c);

	if (c.short_read)
		return 0;
	switch (mode % 4) {
	case 0:
		fuzz_hpack(c);
		break;
	case 1:
		fuzz_streams(c, true);
		break;
	case 2:
		fuzz_streams(c, false);
		break;
	default:
		fuzz_flow(c);
	}
	return 0;
}
