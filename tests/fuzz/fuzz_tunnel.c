// SPDX-License-Identifier: BSD-3-Clause
/* libFuzzer target for the overlay tunnel dissectors (dissectors/vxlan.c, geneve.c, gtpu.c,
 * erspan.c) and base.c's walk through Ethernet, VLAN tags, MPLS labels and nested tunnels.
 * The input is one frame, copied to a heap block of its exact length (ASan sees any overread)
 * and dissected as an Ethernet frame and as a raw IP packet. Every tunnel result's inner packet
 * must lie inside the frame, and the walk must stop within DISSECT_MAX_RESULTS results.
 * Seeds: every frame of the testdata captures (testdata/tunnels/crafted.pcap among them).
 * fuzz-seeds: frames */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissect.h"

#define LINKTYPE_ETHERNET	1
#define LINKTYPE_RAW		101

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void dissect_as(int linktype, const uint8_t *buf, size_t len)
{
	static struct dissect_result res[DISSECT_MAX_RESULTS];
	struct dissect_ctx *ctx = dissect_ctx_new();
	struct pkt_meta m;

	memset(&m, 0, sizeof(m));
	int n = dissect_packet(ctx, linktype, buf, (uint32_t)len, (uint32_t)len, 1, &m, res,
			       DISSECT_MAX_RESULTS);
	if (n < 0 || n > DISSECT_MAX_RESULTS)
		abort();
	for (int i = 0; i < n; i++) {
		const struct dissect_result *r = &res[i];

		if (r->by && r->by->tunnel && r->rc == DISSECT_OK && cur_left(&r->inner) &&
		    (r->inner.pos < buf || r->inner.end > buf + len))
			abort();
	}
	dissect_ctx_free(ctx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);

	memcpy(copy, data, size);
	dissect_as(LINKTYPE_ETHERNET, copy, size);
	dissect_as(LINKTYPE_RAW, copy, size);
	free(copy);
	return 0;
}
