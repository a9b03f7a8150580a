// SPDX-License-Identifier: BSD-3-Clause
/* QUIC long-header dissector: version, packet type and connection IDs of every long-header
 * packet; Initial packets decrypted (both directions) and their CRYPTO frames reassembled
 * across packets, so the ClientHello's SNI, ALPN and JA4 are reported on the packet that
 * completes it; Retry and Version Negotiation summarised. Detected by content on any port.
 * specification: RFC 8999 (invariants), RFC 9000 §17.2 (long header), §17.2.1 (Version
 * Negotiation), §17.2.2 (Initial), §17.2.5 (Retry), §19 (frames), Appendix A.3 (packet number
 * decoding); RFC 9001 §5 (Initial protection); RFC 9369 (QUIC v2) */
#include "dissect.h"
#include "dissect_ctx.h"
#include "quic.h"
#include "quic_crypto.h"
#include "quic_reasm.h"
#include "tls_hello.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define QUIC_MAX_DATAGRAM	65536	/* UDP payloads are smaller */

struct quic_state {
	struct quic_reasm *reasm;
	uint8_t pkt[QUIC_MAX_DATAGRAM];		/* packet with header protection removed */
	uint8_t plain[QUIC_MAX_DATAGRAM];	/* decrypted payload */
	struct tls_hello hello;
};

void quic_state_free(struct quic_state *s)
{
	if (!s)
		return;
	quic_reasm_free(s->reasm);
	free(s);
}

struct quic_reasm *quic_state_reasm(struct quic_state *s)
{
	return s ? s->reasm : NULL;
}

static struct quic_state *quic_state_get(struct dissect_ctx *ctx)
{
	if (!ctx->quic) {
		ctx->quic = xcalloc(1, sizeof(*ctx->quic));
		ctx->quic->reasm = quic_reasm_new();
	}
	return ctx->quic;
}

/* One long-header packet as parsed before decryption. */
struct long_pkt {
	const struct quic_version *v;
	uint8_t type;			/* QUIC_PT_* */
	struct quic_cid dcid, scid;
	const uint8_t *bytes;		/* the whole packet: header + protected payload */
	size_t len, pn_offset;
	bool greased;			/* fixed bit 0 (RFC 9287): only for flows we know */
};

/* The UDP 4-tuple with the sender as client (as_client) or the receiver as client. */
static struct quic_tuple tuple_of(const struct pkt_meta *m, bool as_client)
{
	struct quic_tuple t;

	memset(&t, 0, sizeof(t));
	t.ip_ver = m->ip_ver;
	memcpy(t.client, as_client ? m->src : m->dst, 16);
	memcpy(t.server, as_client ? m->dst : m->src, 16);
	t.client_port = as_client ? m->sport : m->dport;
	t.server_port = as_client ? m->dport : m->sport;
	return t;
}

/* RFC 9000 Appendix A.3: the packet number closest to largest + 1 with these low bits. */
static uint64_t decode_pn(int64_t largest, uint64_t truncated, unsigned int bits)
{
	uint64_t expected = (uint64_t)(largest + 1);
	uint64_t win = 1ull << bits, hwin = win / 2, mask = win - 1;
	uint64_t cand = (expected & ~mask) | truncated;

	if (cand + hwin <= expected && cand < (1ull << 62) - win)
		return cand + win;
	if (cand > expected + hwin && cand >= win)
		return cand - win;
	return cand;
}

/* Removes header protection and opens the payload with the Initial keys of `side` derived
 * from key_cid. Returns the plaintext length in st->plain, -1 if these keys do not fit. */
static int open_initial(struct quic_state *st, const struct long_pkt *p,
			const struct quic_cid *key_cid, enum quic_side side, int64_t largest,
			uint64_t *pn_out)
{
	struct quic_keys k;
	uint8_t mask[5];
	uint64_t truncated = 0;
	size_t pn_len, hdr_len;

	if (p->len > sizeof(st->pkt))
		return -1;
	memcpy(st->pkt, p->bytes, p->len);
	if (quic_initial_keys(p->v, key_cid->b, key_cid->len, side, &k) ||
	    quic_hp_mask(k.hp, st->pkt + p->pn_offset + 4, mask))
		return -1;
	/* RFC 9001 §5.4.1: 4 low bits of a long header's first byte, then the packet number;
	 * dissect_long made sure the packet holds pn_offset + 4 + 16 bytes (the sample) */
	st->pkt[0] ^= mask[0] & 0x0f;
	pn_len = (size_t)(st->pkt[0] & 3) + 1;
	for (size_t i = 0; i < pn_len; i++) {
		st->pkt[p->pn_offset + i] ^= mask[1 + i];
		truncated = truncated << 8 | st->pkt[p->pn_offset + i];
	}
	*pn_out = decode_pn(largest, truncated, (unsigned int)(8 * pn_len));
	hdr_len = p->pn_offset + pn_len;
	return quic_aead_open(&k, *pn_out, st->pkt, hdr_len, st->pkt + hdr_len, p->len - hdr_len,
			      st->plain);
}

/* ACK frame body (RFC 9000 §19.3): only skipped. */
static void skip_ack(struct cursor *c, bool ecn)
{
	uint64_t ranges;

	cur_varint(c);			/* largest acknowledged */
	cur_varint(c);			/* ACK delay */
	ranges = cur_varint(c);
	cur_varint(c);			/* first ACK range */
	for (uint64_t i = 0; i < ranges && !c->short_read; i++) {
		cur_varint(c);		/* gap */
		cur_varint(c);		/* ACK range length */
	}
	if (ecn) {
		cur_varint(c);		/* ECT0, ECT1, ECN-CE counts */
		cur_varint(c);
		cur_varint(c);
	}
}

/* Walks the frames of a decrypted Initial (RFC 9000 §19; §17.2.2 lists the frame types allowed
 * in Initial packets) and stores CRYPTO data. Returns the number of CRYPTO frames, -1 on a
 * malformed frame or a type an Initial cannot carry (frames before it are kept). */
static int walk_frames(struct quic_reasm *r, struct quic_flow *f, enum quic_side side,
		       struct cursor c)
{
	int crypto = 0;

	while (cur_left(&c) > 0) {
		uint64_t type = cur_varint(&c), off, len;
		const uint8_t *data;

		switch (type) {
		case 0x00:	/* PADDING */
		case 0x01:	/* PING */
			break;
		case 0x02:	/* ACK */
		case 0x03:	/* ACK with ECN counts */
			skip_ack(&c, type == 0x03);
			break;
		case 0x06:	/* CRYPTO: offset, length, data */
			off = cur_varint(&c);
			len = cur_varint(&c);
			data = cur_bytes(&c, len);
			if (!data)
				return -1;
			quic_stream_insert(r, f, side, off, data, len);
			crypto++;
			break;
		case 0x1c:	/* CONNECTION_CLOSE (transport): code, frame type, reason */
		case 0x1d:	/* CONNECTION_CLOSE (application): code, reason */
			cur_varint(&c);
			if (type == 0x1c)
				cur_varint(&c);
			cur_skip(&c, cur_varint(&c));
			break;
		default:
			return -1;
		}
		if (c.short_read)
			return -1;
	}
	return crypto;
}

/* Parses the handshake messages the stream completed (each once) and reports the last
 * ClientHello or ServerHello among them. */
static void report_hello(struct quic_state *st, struct quic_stream *s, struct quic_info *qi)
{
	size_t len;

	while ((len = quic_stream_message_len(s)) > 0) {
		enum dissect_rc rc;

		memset(&st->hello, 0, sizeof(st->hello));
		rc = tls_hello_parse(cur_init(s->buf + s->reported, len), &st->hello);
		s->reported += (uint32_t)len;
		if (rc != DISSECT_OK && rc != DISSECT_TRUNCATED)
			continue;
		memset(&qi->tls, 0, sizeof(qi->tls));
		tls_hello_to_info(&st->hello, 'q', &qi->tls);
		qi->tls.segments = s->packets;
		qi->tls.reassembled = s->packets > 1;
		qi->has_tls = true;
		s->packets = 0;		/* the next message counts its own packets */
	}
}

/* Opens an Initial with the keys of a flow it belongs to: as a client packet (its DCID is one
 * of the flow's), else as a server packet (its DCID is the client's SCID). Returns the flow,
 * with *side, *pn and *n (plaintext length) set, or NULL. */
static struct quic_flow *open_known(struct quic_state *st, const struct pkt_meta *m,
				    const struct long_pkt *p, enum quic_side *side,
				    uint64_t *pn, int *n)
{
	struct quic_tuple as_client = tuple_of(m, true), as_server = tuple_of(m, false);
	struct quic_flow *f = NULL;
	struct quic_cid key_cid;

	*side = QUIC_CLIENT;
	while ((f = quic_reasm_find_client(st->reasm, &as_client, &p->dcid, &key_cid, f)))
		if (f->version == p->v->version &&
		    (*n = open_initial(st, p, &key_cid, QUIC_CLIENT, f->largest_pn[QUIC_CLIENT],
				       pn)) >= 0)
			return f;
	*side = QUIC_SERVER;
	while ((f = quic_reasm_find_server(st->reasm, &as_server, &p->dcid, f)))
		if ((*n = open_initial(st, p, &f->key_cid, QUIC_SERVER, f->largest_pn[QUIC_SERVER],
				       pn)) >= 0)
			return f;
	return NULL;
}

/* Decrypts one Initial with the keys its flow dictates and feeds its CRYPTO frames to the
 * flow's stream. A client Initial of an unknown flow starts one if its own DCID opens it;
 * a server Initial needs the flow (keys come from the client's first DCID). */
static void dissect_initial(struct dissect_ctx *ctx, const struct pkt_meta *m,
			    const struct long_pkt *p, struct quic_info *qi)
{
	struct quic_state *st = quic_state_get(ctx);
	enum quic_side side;
	struct quic_flow *f;
	uint64_t pn = 0;
	int n = -1;

	f = open_known(st, m, p, &side, &pn, &n);
	if (!f && !p->greased) {
		struct quic_tuple as_client = tuple_of(m, true);

		side = QUIC_CLIENT;
		n = open_initial(st, p, &p->dcid, QUIC_CLIENT, -1, &pn);
		if (n < 0)
			return;
		f = quic_reasm_add(st->reasm, &as_client, p->v->version, &p->dcid, &p->scid,
				   ctx->now_ns);
	}
	if (!f)
		return;
	/* The datagram is described by the packet that was decrypted: when an Initial follows a
	 * 0-RTT or Handshake packet in one datagram, report the Initial's type and CIDs. */
	qi->decrypted = true;
	qi->pkt_type = QUIC_PT_INITIAL;
	qi->dcid_len = p->dcid.len;
	qi->scid_len = p->scid.len;
	memcpy(qi->dcid, p->dcid.b, p->dcid.len);
	memcpy(qi->scid, p->scid.b, p->scid.len);
	f->last_ns = ctx->now_ns;
	if ((int64_t)pn > f->largest_pn[side])
		f->largest_pn[side] = (int64_t)pn;
	/* the client addresses later Initials to the server's SCID; keys stay the same */
	if (side == QUIC_SERVER)
		quic_flow_add_alias(f, &p->scid, &f->key_cid);
	if (walk_frames(st->reasm, f, side, cur_init(st->plain, (size_t)n)) > 0 &&
	    f->stream[side].packets < UINT16_MAX)
		f->stream[side].packets++;
	report_hello(st, &f->stream[side], qi);
}

/* A Retry (RFC 9000 §17.2.5) gives the client a new DCID; its next Initials derive their keys
 * from it (RFC 9001 §5.2), while the CRYPTO stream continues. The flow it answers is the one
 * whose current DCID verifies the Retry's integrity tag (RFC 9001 §5.8); for versions without
 * a known Retry key, the first flow of the tuple and client SCID. */
static void note_retry(struct dissect_ctx *ctx, const struct pkt_meta *m, const struct long_pkt *p,
		       struct quic_info *qi)
{
	struct quic_state *st = quic_state_get(ctx);
	struct quic_tuple as_server = tuple_of(m, false);
	struct quic_flow *f = NULL;

	while ((f = quic_reasm_find_server(st->reasm, &as_server, &p->dcid, f))) {
		int ok = quic_retry_verify(p->v, f->key_cid.b, f->key_cid.len, p->bytes, p->len);

		if (ok == 0)
			continue;
		qi->retry_verified = ok == 1;
		f->key_cid = p->scid;
		quic_flow_add_alias(f, &p->scid, &p->scid);
		f->last_ns = ctx->now_ns;
		return;
	}
}

static bool read_cid(struct cursor *c, struct quic_cid *cid)
{
	const uint8_t *b;

	cid->len = cur_u8(c);
	if (cid->len > QUIC_CID_MAX)
		return false;
	b = cur_bytes(c, cid->len);
	if (b)
		memcpy(cid->b, b, cid->len);
	return true;
}

/* How the datagram ended: cut by the snap length, whole (base.c told us its length and all
 * of it is here) or unknown (a caller without UDP length). Running out of bytes inside a
 * whole datagram means a length field lied: INVALID; otherwise TRUNCATED. */
struct datagram_end {
	bool cut, whole;
};

static enum dissect_rc short_rc(struct datagram_end e)
{
	return e.whole ? DISSECT_INVALID : DISSECT_TRUNCATED;
}

/* One long-header packet of a known version; c advances past it. */
static enum dissect_rc dissect_long(struct dissect_ctx *ctx, const struct pkt_meta *m,
				    const struct quic_version *v, struct cursor *c,
				    struct quic_info *qi, bool first_in_datagram,
				    struct datagram_end end)
{
	struct cursor start = *c;
	struct long_pkt p = { .v = v };
	uint64_t token_len = 0, length;
	uint8_t b0;

	b0 = cur_u8(c);
	p.greased = !(b0 & 0x40);
	cur_be32(c);		/* version: the caller checked it */
	if (!read_cid(c, &p.dcid) || !read_cid(c, &p.scid))
		return DISSECT_INVALID;		/* RFC 9000 §17.2: CIDs are at most 20 bytes */
	if (c->short_read)
		return short_rc(end);
	p.type = quic_version_pkt_type(v, (uint8_t)(b0 >> 4));
	if (first_in_datagram) {
		qi->pkt_type = p.type;
		qi->dcid_len = p.dcid.len;
		qi->scid_len = p.scid.len;
		memcpy(qi->dcid, p.dcid.b, p.dcid.len);
		memcpy(qi->scid, p.scid.b, p.scid.len);
	}
	if (p.type == QUIC_PT_RETRY) {
		/* Retry Token (..), Retry Integrity Tag (128): the rest of the datagram */
		size_t left = cur_left(c);

		if (left < QUIC_TAG_LEN)
			return short_rc(end);
		if (first_in_datagram)
			qi->token_len = (uint16_t)(left - QUIC_TAG_LEN);
		p.len = cur_left(&start);
		p.bytes = cur_bytes(&start, p.len);
		cur_skip(c, left);
		if (end.cut)
			return DISSECT_TRUNCATED;	/* the token would be longer */
		note_retry(ctx, m, &p, qi);
		return DISSECT_OK;
	}
	if (p.type == QUIC_PT_INITIAL) {
		token_len = cur_varint(c);
		cur_skip(c, token_len);
		if (first_in_datagram)
			qi->token_len = token_len > UINT16_MAX ? UINT16_MAX : (uint16_t)token_len;
	}
	length = cur_varint(c);
	if (c->short_read)
		return short_rc(end);
	p.pn_offset = cur_left(&start) - cur_left(c);
	if (!cur_skip(c, length))
		return short_rc(end);
	if (p.type != QUIC_PT_INITIAL)
		return DISSECT_OK;
	/* header protection samples 16 bytes 4 bytes after the packet number start, and the
	 * payload carries at least the AEAD tag (RFC 9001 §5.4.2) */
	if (length < 4 + QUIC_SAMPLE_LEN)
		return DISSECT_INVALID;
	p.len = p.pn_offset + (size_t)length;
	p.bytes = cur_bytes(&start, p.len);
	dissect_initial(ctx, m, &p, qi);
	return DISSECT_OK;
}

/* Version Negotiation (RFC 9000 §17.2.1): version 0, CIDs, then a list of 32-bit versions. */
static enum dissect_rc dissect_vn(struct cursor c, struct quic_info *qi, struct datagram_end end)
{
	struct quic_cid dcid, scid;

	cur_u8(&c);
	cur_be32(&c);
	if (!read_cid(&c, &dcid) || !read_cid(&c, &scid))
		return DISSECT_NOT_MINE;
	if (c.short_read)
		return DISSECT_NOT_MINE;
	/* a datagram that is not VN would rarely leave a non-empty multiple of 4 here */
	if (!end.cut && (cur_left(&c) == 0 || cur_left(&c) % 4))
		return DISSECT_NOT_MINE;
	qi->version = 0;
	qi->pkt_type = QUIC_PT_VN;
	qi->dcid_len = dcid.len;
	qi->scid_len = scid.len;
	memcpy(qi->dcid, dcid.b, dcid.len);
	memcpy(qi->scid, scid.b, scid.len);
	while (cur_left(&c) >= 4) {
		uint32_t v = cur_be32(&c);

		if (qi->n_versions < QUIC_VN_MAX)
			qi->versions[qi->n_versions++] = v;
	}
	return end.cut ? DISSECT_TRUNCATED : DISSECT_OK;
}

/* Is the DCID at c (just after the version) one of a flow we decrypted before? */
static bool known_flow(struct dissect_ctx *ctx, const struct pkt_meta *m, struct cursor c)
{
	struct quic_tuple as_client = tuple_of(m, true), as_server = tuple_of(m, false);
	struct quic_cid dcid, key;
	struct quic_reasm *r = ctx->quic ? ctx->quic->reasm : NULL;

	if (!r || !read_cid(&c, &dcid) || c.short_read)
		return false;
	return quic_reasm_find_client(r, &as_client, &dcid, &key, NULL) ||
	       quic_reasm_find_server(r, &as_server, &dcid, NULL);
}

static enum dissect_rc dissect_quic(struct dissect_ctx *ctx, const struct pkt_meta *m,
				    struct cursor c, struct dissect_result *out)
{
	struct quic_info *qi = &out->u.quic;
	struct cursor peek = c;
	const struct quic_version *v;
	uint8_t b0 = cur_u8(&peek);
	uint32_t version = cur_be32(&peek);
	enum dissect_rc rc = DISSECT_OK;
	bool first = true;
	/* base.c says how long the UDP payload is */
	struct datagram_end end = {
		.cut = m->payload_len > cur_left(&c),
		.whole = m->payload_len != 0 && m->payload_len == cur_left(&c),
	};

	/* long header form; a short header carries nothing to recognise it by */
	if (peek.short_read || !(b0 & 0x80))
		return DISSECT_NOT_MINE;
	memset(qi, 0, sizeof(*qi));
	if (version == 0)
		return dissect_vn(c, qi, end);
	v = quic_version_lookup(version);
	if (!v)
		return DISSECT_NOT_MINE;
	/* The fixed bit is 1 in every packet but VN (RFC 9000 §17.2), unless the peer allowed
	 * greasing it (RFC 9287): then the packet is taken only as part of a known flow. */
	if (!(b0 & 0x40) && !known_flow(ctx, m, peek))
		return DISSECT_NOT_MINE;
	qi->version = version;
	/* coalesced packets (RFC 9000 §12.2): walk the Length fields */
	while (cur_left(&c) > 0 && rc == DISSECT_OK) {
		peek = c;
		b0 = cur_u8(&peek);
		if (!first && (!(b0 & 0x80) || cur_be32(&peek) != version))
			break;		/* a short-header packet or padding ends the walk */
		rc = dissect_long(ctx, m, v, &c, qi, first, end);
		first = false;
	}
	return rc;
}

const struct dissector dissector_quic = {
	.name = "quic",
	.layer = DL_UDP,
	.hint = 0,		/* by content: QUIC runs on any port */
	.lead_min = 0x80,	/* a long header (RFC 9000 §17.2) */
	.lead_max = 0xff,
	.dissect = dissect_quic,
};
