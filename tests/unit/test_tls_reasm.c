// SPDX-License-Identifier: BSD-3-Clause
/* tcp_reasm bounds and segment handling (RFC 9293 §3.4 sequence arithmetic): out of order,
 * overlapping and retransmitted segments, sequence wrap-around, entry cap (oldest evicted),
 * per-flow and total byte caps, island cap, age eviction. */
#include <string.h>
#include "check.h"
#include "tcp_reasm.h"

static struct tcp_flow_key key(uint16_t sport)
{
	struct tcp_flow_key k;

	memset(&k, 0, sizeof(k));
	k.src[0] = 192;
	k.dst[0] = 198;
	k.sport = sport;
	k.dport = 443;
	k.ip_ver = 4;
	return k;
}

int main(void)
{
	struct tcp_reasm_limits lim = { .max_flows = 2, .max_flow_bytes = 8192,
					.max_total_bytes = 12000, .max_age_ns = 1000 };
	struct tcp_reasm *t = tcp_reasm_new(&lim);
	uint8_t data[8192];
	int r;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7);

	/* segments 0-99, 200-299, 100-199 (gap filled), 50-149 (overlap), 0-99 (retransmission);
	 * the stream starts near the top of the sequence space and wraps */
	struct tcp_flow_key k1 = key(1);
	uint32_t s0 = 0xffffff80u;
	struct tcp_reasm_flow *f = tcp_reasm_open(t, &k1, s0, 0);
	r = tcp_reasm_add(t, f, s0, data, 100);
	CHECK_INT(r, 1, "first segment");
	r = tcp_reasm_add(t, f, s0 + 200, data + 200, 100);
	CHECK_INT(r, 1, "out of order segment");
	CHECK_INT(f->contig, 100, "gap keeps contig at 100");
	r = tcp_reasm_add(t, f, s0 + 100, data + 100, 100);
	CHECK_INT(r, 1, "gap filled");
	CHECK_INT(f->contig, 300, "contig after the gap is filled (across seq wrap)");
	r = tcp_reasm_add(t, f, s0 + 50, data + 50, 100);
	CHECK_INT(r, 0, "overlap brings nothing new");
	r = tcp_reasm_add(t, f, s0, data, 100);
	CHECK_INT(r, 0, "retransmission brings nothing new");
	r = tcp_reasm_add(t, f, s0 - 10, data, 5);
	CHECK_INT(r, 0, "before the stream: ignored");
	CHECK_INT(f->segments, 3, "segments that brought bytes");
	CHECK(memcmp(f->buf, data, 300) == 0, "bytes in stream order");

	/* per-flow byte cap */
	r = tcp_reasm_add(t, f, s0 + 8000, data, 500);
	CHECK_INT(r, -1, "past the per-flow cap");

	/* island cap: 17 disjoint islands */
	struct tcp_flow_key k2 = key(2);
	struct tcp_reasm_flow *g = tcp_reasm_open(t, &k2, 0, 10);
	int last = 0;
	for (int i = 0; i <= TCP_REASM_MAX_ISLANDS; i++)
		last = tcp_reasm_add(t, g, (uint32_t)(10 + i * 20), data, 5);
	CHECK_INT(last, -1, "too many islands");

	/* total byte cap: flow 1's buffer plus flow 2's may not exceed max_total_bytes */
	CHECK(tcp_reasm_bytes(t) <= lim.max_total_bytes, "total within cap");
	r = tcp_reasm_add(t, g, 4000, data, 4000);
	CHECK_INT(r, -1, "past the total byte cap");

	/* entry cap: a third flow evicts the oldest (flow 1) */
	struct tcp_flow_key k3 = key(3);
	tcp_reasm_open(t, &k3, 0, 20);
	CHECK_INT(tcp_reasm_count(t), 2, "entry cap");
	CHECK(tcp_reasm_find(t, &k1) == NULL, "oldest evicted");
	CHECK(tcp_reasm_find(t, &k2) != NULL && tcp_reasm_find(t, &k3) != NULL, "newer kept");

	/* age: at t=1015 flow 2 (born 10) is older than 1000 ns, flow 3 (born 20) is not */
	tcp_reasm_expire(t, 1015);
	CHECK(tcp_reasm_find(t, &k2) == NULL && tcp_reasm_find(t, &k3) != NULL, "age eviction");
	tcp_reasm_expire(t, 5);				/* time going backwards expires nothing */
	CHECK_INT(tcp_reasm_count(t), 1, "backwards clock");
	tcp_reasm_free(t);
	return CHECK_EXIT();
}
