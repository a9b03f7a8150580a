// SPDX-License-Identifier: BSD-3-Clause
/* Shared by the fuzz targets that dissect whole packets (fuzz_tls.c, fuzz_http.c): the rest of
 * the input is a run of packet records [2-byte big-endian length][bytes] of one link type, all
 * dissected through one context (so reassembly and connection state carry over), one second
 * apart; at most 63 packets. A record longer than the input left is cut (the wire length stays
 * what the record claims). */
#ifndef PROCAP_FUZZ_PACKETS_H
#define PROCAP_FUZZ_PACKETS_H

#include <string.h>
#include "dissect.h"

static inline void fuzz_dissect_packets(struct dissect_ctx *ctx, int linktype, struct cursor c)
{
	static struct dissect_result res[DISSECT_MAX_RESULTS];

	for (uint64_t ts = 1; cur_left(&c) >= 2 && ts < 64; ts++) {
		uint16_t len = cur_be16(&c);
		struct cursor pkt = cur_sub(&c, len);
		struct pkt_meta m;
		size_t n = cur_left(&pkt);

		memset(&m, 0, sizeof(m));
		dissect_packet(ctx, linktype, cur_bytes(&pkt, n), (uint32_t)n, len,
			       ts * 1000000000ull, &m, res, DISSECT_MAX_RESULTS);
	}
}

#endif
