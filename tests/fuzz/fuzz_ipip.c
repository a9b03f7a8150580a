// SPDX-License-Identifier: BSD-3-Clause
/* libFuzzer target for the IP-in-IP / GRE dissector (dissectors/ipip.c). Input: byte 0 picks
 * the IP protocol an outer header announced (4, 41 or 47; bits 0-6) and the outer IP version
 * (bit 7); the rest is an IP packet. It goes to the ipip dissector directly as that protocol's
 * payload (a 4in4 payload is itself an IPv4 packet), then whole through dissect_packet as a
 * raw IP packet (LINKTYPE_RAW), where base.c peels nested tunnels up to its depth limit. A
 * tunnel result must point its inner cursor inside the input.
 * Seeds: tests/fuzz/seeds/fuzz_ipip (tests/fuzz/seeds/mkseeds_quic_ipip.py).
 * fuzz-seeds: none */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissect.h"
#include "dissect_ctx.h"

#define LINKTYPE_RAW 101

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_inner(const struct dissect_result *r, const uint8_t *buf, size_t len)
{
	if (r->rc == DISSECT_OK && cur_left(&r->inner) > 0 &&
	    (r->inner.pos < buf || r->inner.end > buf + len))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t protos[3] = { 4, 41, 47 };
	struct dissect_result res[DISSECT_MAX_RESULTS];
	struct dissect_ctx *ctx;
	struct pkt_meta m;
	uint8_t *copy;
	int n;

	if (size < 1)
		return 0;
	copy = malloc(size - 1 ? size - 1 : 1);
	memcpy(copy, data + 1, size - 1);
	memset(&m, 0, sizeof(m));
	m.ip_ver = data[0] & 0x80 ? 6 : 4;
	m.l4_proto = protos[(data[0] & 0x7f) % 3];
	memset(&res[0], 0, sizeof(res[0]));
	dissector_ipip.dissect(NULL, &m, cur_init(copy, size - 1), &res[0]);
	check_inner(&res[0], copy, size - 1);

	ctx = dissect_ctx_new();
	memset(&m, 0, sizeof(m));
	n = dissect_packet(ctx, LINKTYPE_RAW, copy, (uint32_t)(size - 1), (uint32_t)(size - 1), 1,
			   &m, res, DISSECT_MAX_RESULTS);
	for (int i = 0; i < n; i++)
		if (res[i].by == &dissector_ipip)
			check_inner(&res[i], copy, size - 1);
	dissect_ctx_free(ctx);
	free(copy);
	return 0;
}
