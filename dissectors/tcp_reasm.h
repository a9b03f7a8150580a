// SPDX-License-Identifier: BSD-3-Clause
/* Bounded TCP stream reassembly for the first bytes of one direction of a flow (a TLS
 * ClientHello or ServerHello that spans several segments). Keyed by directional 4-tuple.
 * Bounds: entry cap (the oldest entry is evicted), per-flow byte cap, total byte cap, and age
 * eviction. Out-of-order segments wait as islands until the gap is filled; retransmitted and
 * overlapping bytes are ignored (the first copy wins).
 * specification: RFC 9293 §3.4 (sequence numbers, modulo 2^32 comparison) */
#ifndef PROCAP_TCP_REASM_H
#define PROCAP_TCP_REASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TCP_REASM_MAX_ISLANDS	16	/* disjoint byte ranges kept per flow */

struct tcp_flow_key {
	uint8_t src[16], dst[16];	/* network order; v4 in the first 4 bytes, rest zero */
	uint16_t sport, dport;
	uint8_t ip_ver;
};

struct tcp_reasm_limits {
	uint32_t max_flows;		/* entries */
	uint32_t max_flow_bytes;	/* stream bytes kept per entry, from its first byte */
	uint64_t max_total_bytes;	/* buffer bytes over all entries */
	uint64_t max_age_ns;		/* an entry older than this is dropped */
};

struct tcp_reasm_flow {
	struct tcp_flow_key key;
	uint32_t seq0;			/* sequence number of stream offset 0 */
	uint64_t born_ns;
	uint16_t segments;		/* segments that brought new bytes */
	bool speculative;		/* opened on the SYN: what the stream carries is unknown */
	uint32_t contig;		/* bytes [0, contig) are present */
	uint8_t *buf;			/* stream bytes from offset 0; cap bytes allocated */
	uint32_t cap;
	uint8_t n_islands;		/* filled ranges, sorted, disjoint, not touching */
	struct { uint32_t start, end; } islands[TCP_REASM_MAX_ISLANDS];
	/* table links (tcp_reasm.c only) */
	struct tcp_reasm_flow *hnext, *older, *newer;
};

struct tcp_reasm;

struct tcp_reasm *tcp_reasm_new(const struct tcp_reasm_limits *lim);
void tcp_reasm_free(struct tcp_reasm *t);
size_t tcp_reasm_count(const struct tcp_reasm *t);
uint64_t tcp_reasm_bytes(const struct tcp_reasm *t);

/* Drops entries older than max_age_ns at now_ns. */
void tcp_reasm_expire(struct tcp_reasm *t, uint64_t now_ns);

struct tcp_reasm_flow *tcp_reasm_find(struct tcp_reasm *t, const struct tcp_flow_key *k);

/* New empty entry whose stream starts at seq0 (an existing one for k is replaced); evicts the
 * oldest entry when the table is full. */
struct tcp_reasm_flow *tcp_reasm_open(struct tcp_reasm *t, const struct tcp_flow_key *k,
				      uint32_t seq0, uint64_t now_ns);

/* Stores a segment's bytes. Returns 1 if it brought new bytes, 0 if all were already there (or
 * before offset 0), -1 when a bound is hit (per-flow or total bytes, too many islands): the
 * caller then closes the entry. Bytes past max_flow_bytes count as a bound hit. */
int tcp_reasm_add(struct tcp_reasm *t, struct tcp_reasm_flow *f, uint32_t seq,
		  const uint8_t *data, size_t len);

/* Signed offset of seq in f's stream (modulo 2^32 arithmetic). */
static inline int64_t tcp_reasm_offset(const struct tcp_reasm_flow *f, uint32_t seq)
{
	return (int32_t)(seq - f->seq0);
}

void tcp_reasm_close(struct tcp_reasm *t, struct tcp_reasm_flow *f);

#endif
