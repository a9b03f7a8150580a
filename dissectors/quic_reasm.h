// SPDX-License-Identifier: BSD-3-Clause
/* QUIC Initial flow table: which connection IDs belong to one handshake, which DCID its
 * Initial keys come from, and the CRYPTO stream of each side reassembled by offset.
 * Bounded: QUIC_REASM_MAX_FLOWS entries, QUIC_REASM_MAX_BYTES buffered in total,
 * QUIC_REASM_STREAM_MAX per stream, flows idle for QUIC_REASM_MAX_AGE_NS are dropped.
 * specification: RFC 9000 §7.2 (connection ID use during the handshake), §17.2.5 (Retry),
 * §19.6 (CRYPTO frames carry an offset: data may arrive out of order); RFC 9001 §5.2 */
#ifndef PROCAP_QUIC_REASM_H
#define PROCAP_QUIC_REASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "quic_crypto.h"

#define QUIC_REASM_MAX_FLOWS	256
#define QUIC_REASM_MAX_BYTES	(2u << 20)
#define QUIC_REASM_STREAM_MAX	16384u		/* a post-quantum ClientHello is ~2.3 KB */
#define QUIC_REASM_MAX_AGE_NS	(60ull * 1000000000ull)
#define QUIC_FLOW_ALIASES	6

struct quic_cid {
	uint8_t len;
	uint8_t b[QUIC_CID_MAX];
};

/* The UDP 4-tuple seen from the client: client = sender of the first Initial. */
struct quic_tuple {
	uint8_t ip_ver;
	uint8_t client[16], server[16];
	uint16_t client_port, server_port;
};

struct quic_stream {
	uint8_t *buf;		/* bytes by stream offset */
	uint8_t *have;		/* one bit per byte of buf: received */
	uint32_t alloc;		/* bytes allocated in buf */
	uint32_t prefix;	/* bytes received contiguously from offset 0 */
	uint16_t packets;	/* packets that contributed CRYPTO data */
	uint32_t reported;	/* handshake messages before this offset were reported */
};

struct quic_flow {
	bool used;
	uint32_t version;
	uint64_t last_ns;
	struct quic_tuple tuple;
	struct quic_cid client_scid;
	struct quic_cid key_cid;	/* keys of server packets: first DCID or Retry SCID */
	struct {
		struct quic_cid cid;	/* a DCID the client uses */
		struct quic_cid key_cid;	/* the DCID its Initial keys derive from */
	} alias[QUIC_FLOW_ALIASES];
	uint8_t n_alias, alias_next;
	int64_t largest_pn[2];		/* per enum quic_side; -1 = none yet */
	struct quic_stream stream[2];	/* per enum quic_side */
};

struct quic_reasm {
	struct quic_flow flows[QUIC_REASM_MAX_FLOWS];
	size_t bytes;			/* buffered in all streams */
};

struct quic_reasm *quic_reasm_new(void);
void quic_reasm_free(struct quic_reasm *r);

bool quic_cid_eq(const struct quic_cid *a, const struct quic_cid *b);

/* A client packet: the next flow after `after` (NULL: the first) of this tuple using dcid;
 * *key_cid gets the DCID to derive its keys from. Several flows can match (a client reusing
 * its SCID, a Retry): the caller tries each until one's keys open the packet. */
struct quic_flow *quic_reasm_find_client(struct quic_reasm *r, const struct quic_tuple *t,
					 const struct quic_cid *dcid, struct quic_cid *key_cid,
					 const struct quic_flow *after);

/* A server packet: t is the client's view (addresses already swapped), dcid = client's SCID;
 * the next match after `after` (NULL: the first). */
struct quic_flow *quic_reasm_find_server(struct quic_reasm *r, const struct quic_tuple *t,
					 const struct quic_cid *dcid,
					 const struct quic_flow *after);

/* New flow for a client's first Initial; evicts idle or the least recently used flows. */
struct quic_flow *quic_reasm_add(struct quic_reasm *r, const struct quic_tuple *t,
				 uint32_t version, const struct quic_cid *dcid,
				 const struct quic_cid *scid, uint64_t now_ns);

/* Client DCID cid is decrypted with keys from key_cid (server SCID or Retry SCID). */
void quic_flow_add_alias(struct quic_flow *f, const struct quic_cid *cid,
			 const struct quic_cid *key_cid);

/* Stores CRYPTO data at offset. Returns 0, or -1 when it lies beyond the stream or table cap
 * (the data is dropped; what is already buffered stays). */
int quic_stream_insert(struct quic_reasm *r, struct quic_flow *f, enum quic_side side,
		       uint64_t offset, const uint8_t *data, size_t len);

/* Length of the handshake message (4-byte header + body) that starts at s->reported, if it
 * has fully arrived, else 0. A stream carries several: a ClientHello after a
 * HelloRetryRequest, a ServerHello after it. */
size_t quic_stream_message_len(const struct quic_stream *s);

#endif
