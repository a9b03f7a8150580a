// SPDX-License-Identifier: BSD-3-Clause
/* TLS over TCP: finds a ClientHello or ServerHello by its content on any port and reassembles
 * one that spans several TLS records and TCP segments, then reports it on the segment that
 * completes it.
 * specification: RFC 8446 §5.1 (record layer: a handshake message may be fragmented over
 * several records, which are not interleaved with other record types; zero-length handshake
 * fragments are forbidden), RFC 8446 §4 (handshake header), RFC 5246 §6.2.1, RFC 9293 §3.4.
 *
 * A hello's later segments may arrive before its first one (reordering on the path): a SYN or
 * SYN-ACK opens a speculative entry for the data direction it announces, in a free slot only
 * (it never evicts a hello in progress), and segments arriving ahead of the first data byte wait
 * in it; the entry is dropped as soon as the first byte arrives and does not start a hello.
 *
 * Cost on the per-packet path: a TCP segment with no payload, or whose first bytes are not a
 * handshake record holding a hello, is rejected after a few byte comparisons (plus one hash
 * lookup while some entry is open). Reassembly state holds bytes only for a segment that starts
 * a hello the segment does not finish, or for segments ahead of a flow's first data byte. */
#include <stdlib.h>
#include <string.h>
#include "dissect.h"
#include "dissect_ctx.h"
#include "tcp_reasm.h"
#include "tls_hello.h"
#include "util.h"

#define REC_HANDSHAKE	22
#define REC_HDR		5
#define REC_MAX		(16384 + 2048)		/* TLSCiphertext limit, RFC 8446 §5.2 */
#define HS_MAX		(64 * 1024)		/* largest hello we reassemble */
#define IPPROTO_TCP_NUM	6
#define TCP_FLAG_SYN	0x02

struct tls_state {
	struct tcp_reasm *reasm;
	uint8_t *msg;				/* HS_MAX bytes: a message joined from records */
};

static const struct tcp_reasm_limits reasm_limits = {
	.max_flows = 1024,
	.max_flow_bytes = HS_MAX + 64 * REC_HDR,	/* room for the record headers */
	.max_total_bytes = 16u << 20,
	.max_age_ns = 30ull * 1000000000ull,
};

void tls_state_free(struct tls_state *s)
{
	if (!s)
		return;
	tcp_reasm_free(s->reasm);
	free(s->msg);
	free(s);
}

/* The per-run state with its reassembly table; the message buffer (HS_MAX bytes) only once a
 * hello has to be joined (state_get), not for the speculative entries every SYN opens. */
static struct tls_state *state_reasm(struct dissect_ctx *ctx)
{
	if (!ctx->tls) {
		ctx->tls = xcalloc(1, sizeof(*ctx->tls));
		ctx->tls->reasm = tcp_reasm_new(&reasm_limits);
	}
	return ctx->tls;
}

static struct tls_state *state_get(struct dissect_ctx *ctx)
{
	struct tls_state *st = state_reasm(ctx);

	if (!st->msg)
		st->msg = xmalloc(HS_MAX);
	return st;
}

/* Does this segment start a handshake record holding a ClientHello or ServerHello?
 * Record: type 22, version 3.0-3.4, length; then handshake type 1/2, 24-bit length, and the
 * hello's own legacy_version 3.x. A segment of 1-5 bytes that starts a record header is
 * accepted when it was captured whole (the header was sent alone). */
static bool hello_start(struct cursor c, bool cut)
{
	uint8_t type = cur_u8(&c), major = cur_u8(&c), minor = cur_u8(&c);

	if (c.short_read || type != REC_HANDSHAKE || major != 3 || minor > 4)
		return false;
	cur_skip(&c, 2);
	uint8_t hs_type = cur_u8(&c);
	if (c.short_read)
		return !cut;
	if (hs_type != TLS_MSG_CLIENT_HELLO && hs_type != TLS_MSG_SERVER_HELLO)
		return false;
	cur_skip(&c, 3);
	uint8_t vmajor = cur_u8(&c), vminor = cur_u8(&c);
	return c.short_read || (vmajor == 3 && vminor <= 4);
}

/* A TLS 1.3 client sends its second ClientHello (after a HelloRetryRequest) behind a
 * ChangeCipherSpec record (RFC 8446 §D.4 middlebox compatibility): 14 03 0x 00 01 01. */
static bool skip_ccs(struct cursor *c, uint32_t *seq)
{
	struct cursor p = *c;
	uint8_t type = cur_u8(&p), major = cur_u8(&p);

	cur_skip(&p, 1);
	uint16_t len = cur_be16(&p);
	uint8_t body = cur_u8(&p);
	if (p.short_read || type != 20 || major != 3 || len != 1 || body != 1 || !cur_left(&p))
		return false;
	*c = p;
	*seq += 6;
	return true;
}

enum gather { GATHER_DONE, GATHER_MORE, GATHER_BAD };

/* Joins the handshake message that starts the record stream s into out (HS_MAX bytes).
 * *got: bytes of the message gathered (its full length when DONE); *records: records used. */
static enum gather gather(struct cursor s, uint8_t *out, size_t *got, uint16_t *records)
{
	size_t len = 0, need = 0;

	*records = 0;
	for (;;) {
		*got = len;
		if (cur_left(&s) < REC_HDR)
			return GATHER_MORE;
		uint8_t type = cur_u8(&s), major = cur_u8(&s);
		cur_skip(&s, 1);
		uint16_t rlen = cur_be16(&s);
		if (type != REC_HANDSHAKE || major != 3 || rlen == 0 || rlen > REC_MAX)
			return GATHER_BAD;
		struct cursor body = cur_sub(&s, rlen);
		size_t take = cur_left(&body);
		if (take > HS_MAX - len)
			return GATHER_BAD;
		memcpy(out + len, cur_bytes(&body, take), take);
		len += take;
		(*records)++;
		if (!need && len >= 4) {
			struct cursor hdr = cur_init(out, 4);
			cur_skip(&hdr, 1);
			need = 4 + (size_t)cur_be24(&hdr);
			if (need > HS_MAX)
				return GATHER_BAD;
		}
		if (need && len >= need) {
			*got = need;
			return GATHER_DONE;
		}
		if (s.short_read)
			return GATHER_MORE;
	}
}

/* Parses a gathered message, or the part of it that could be had (then TRUNCATED, as the
 * handshake length says more), and fills the result. */
static enum dissect_rc report(struct cursor msg, uint16_t segments, uint16_t records,
			      struct dissect_result *out)
{
	struct tls_hello h;
	enum dissect_rc rc = tls_hello_parse(msg, &h);

	if (rc == DISSECT_NOT_MINE)
		return DISSECT_NOT_MINE;
	memset(&out->u.tls, 0, sizeof(out->u.tls));
	tls_hello_to_info(&h, 't', &out->u.tls);
	out->u.tls.segments = segments;
	out->u.tls.reassembled = segments > 1 || records > 1;
	return rc;
}

static void flow_key(const struct pkt_meta *m, struct tcp_flow_key *k)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->src, m->src, 16);
	memcpy(k->dst, m->dst, 16);
	k->sport = m->sport;
	k->dport = m->dport;
	k->ip_ver = m->ip_ver;
}

/* Nothing to report yet: say which hello is on its way. */
static enum dissect_rc pending(struct cursor stream, uint16_t segments, struct dissect_result *out)
{
	cur_skip(&stream, REC_HDR);
	memset(&out->u.tls, 0, sizeof(out->u.tls));
	out->u.tls.msg = cur_u8(&stream);
	out->u.tls.segments = segments;
	return DISSECT_PENDING;
}

/* Tries to finish the hello held by f. cut/overflow: no more bytes can come for it, so what
 * is there is reported as truncated. */
static enum dissect_rc try_complete(struct tls_state *st, struct tcp_reasm_flow *f, bool cut,
				    bool overflow, struct dissect_result *out)
{
	struct cursor stream = cur_init(f->buf, f->contig);
	uint16_t segments = f->segments, records;
	size_t got;
	enum gather g = gather(stream, st->msg, &got, &records);

	if (g == GATHER_MORE && !cut && !overflow)
		return pending(stream, segments, out);
	tcp_reasm_close(st->reasm, f);
	if (g == GATHER_BAD)
		return DISSECT_INVALID;
	return report(cur_init(st->msg, got), segments, records, out);
}

/* The first record holds the whole message (the common case): parse it in place. Returns
 * NOT_MINE when the message goes on past this segment. */
static enum dissect_rc in_place(struct cursor c, bool cut, struct dissect_result *out)
{
	cur_skip(&c, 3);
	uint16_t rlen = cur_be16(&c);
	struct cursor peek = c;
	cur_skip(&peek, 1);
	uint32_t hs_len = cur_be24(&peek);

	if (peek.short_read || rlen > REC_MAX || (uint32_t)rlen < 4 + hs_len)
		return DISSECT_NOT_MINE;
	bool whole = cur_left(&c) >= 4 + hs_len;
	if (!whole && !cut)
		return DISSECT_NOT_MINE;
	return report(cur_sub(&c, 4 + hs_len), 1, 1, out);
}

/* SYN or SYN-ACK: the sender's data starts at seq + 1. A speculative entry takes a free slot
 * only, so a burst of new connections cannot push out hellos being reassembled. */
static void open_speculative(struct dissect_ctx *ctx, const struct pkt_meta *m)
{
	struct tls_state *st = state_reasm(ctx);
	struct tcp_flow_key k;
	struct tcp_reasm_flow *f;

	tcp_reasm_expire(st->reasm, ctx->now_ns);
	if (tcp_reasm_count(st->reasm) >= reasm_limits.max_flows)
		return;
	flow_key(m, &k);
	f = tcp_reasm_open(st->reasm, &k, m->tcp_seq + 1, ctx->now_ns);
	if (f)
		f->speculative = true;
}

/* A segment of a speculative entry: keeps segments ahead of the first data byte (NOT_MINE until
 * the hello is known), confirms the entry when its first byte starts a hello that such
 * segments continue, drops it otherwise. Returns true when the segment was handled here. */
static bool speculative_segment(struct tls_state *st, struct tcp_reasm_flow **f, int64_t off,
				struct cursor c, bool start)
{
	size_t have = cur_left(&c);

	if (off > 0 && off < (int64_t)reasm_limits.max_flow_bytes) {
		if (tcp_reasm_add(st->reasm, *f, (*f)->seq0 + (uint32_t)off, cur_bytes(&c, have),
				  have) < 0) {
			tcp_reasm_close(st->reasm, *f);
			*f = NULL;
		}
		return true;
	}
	if (off == 0 && start && (*f)->n_islands) {
		(*f)->speculative = false;	/* a hello whose later bytes came first */
		return false;
	}
	/* not a hello, bytes we cannot place, or a hello arriving in order: the usual path */
	tcp_reasm_close(st->reasm, *f);
	*f = NULL;
	return false;
}

static enum dissect_rc tls_dissect(struct dissect_ctx *ctx, const struct pkt_meta *m,
				   struct cursor c, struct dissect_result *out)
{
	size_t have = cur_left(&c);

	if (m->l4_proto != IPPROTO_TCP_NUM)
		return DISSECT_NOT_MINE;
	if (have == 0) {
		if (m->tcp_flags & TCP_FLAG_SYN)
			open_speculative(ctx, m);
		return DISSECT_NOT_MINE;
	}
	bool cut = have < m->payload_len;		/* the capture ended inside it */
	bool start = hello_start(c, cut);
	struct tls_state *st = ctx->tls;
	struct tcp_reasm_flow *f = NULL;
	struct tcp_flow_key k;

	if (st && tcp_reasm_count(st->reasm)) {
		tcp_reasm_expire(st->reasm, ctx->now_ns);
		flow_key(m, &k);
		f = tcp_reasm_find(st->reasm, &k);
	}
	if (f && f->speculative &&
	    speculative_segment(st, &f, tcp_reasm_offset(f, m->tcp_seq), c, start))
		return DISSECT_NOT_MINE;
	if (f) {
		int64_t off = tcp_reasm_offset(f, m->tcp_seq);

		/* a segment reaching into the awaited stream continues it, retransmissions too */
		if (off + (int64_t)have > 0 && off < (int64_t)reasm_limits.max_flow_bytes) {
			int added = tcp_reasm_add(st->reasm, f, m->tcp_seq, cur_bytes(&c, have),
						  have);

			if (added == 0 && !cut)
				return pending(cur_init(f->buf, f->contig), f->segments, out);
			/* a confirmed speculative entry may come before any message buffer */
			return try_complete(state_get(ctx), f, cut, added < 0, out);
		}
	}
	uint32_t seq = m->tcp_seq;
	if (!start && skip_ccs(&c, &seq)) {
		have = cur_left(&c);
		start = hello_start(c, cut);
	}
	if (!start)
		return DISSECT_NOT_MINE;

	enum dissect_rc rc = in_place(c, cut, out);
	if (rc != DISSECT_NOT_MINE)
		return rc;

	/* several records, or several segments: join them */
	st = state_get(ctx);
	uint16_t records;
	size_t got;
	enum gather g = gather(c, st->msg, &got, &records);

	if (g == GATHER_BAD)
		return DISSECT_INVALID;
	if (g == GATHER_DONE || cut)
		return report(cur_init(st->msg, got), 1, records, out);
	flow_key(m, &k);
	f = tcp_reasm_open(st->reasm, &k, seq, ctx->now_ns);
	if (!f || tcp_reasm_add(st->reasm, f, seq, cur_bytes(&c, have), have) < 0) {
		if (f)
			tcp_reasm_close(st->reasm, f);
		return report(cur_init(st->msg, got), 1, records, out);
	}
	return pending(c, 1, out);
}

const struct dissector dissector_tls = {
	.name = "tls",
	.layer = DL_TCP,
	.hint = 443,
	.dissect = tls_dissect,
};
