// SPDX-License-Identifier: BSD-3-Clause
/* DTLS over UDP: finds a ClientHello or ServerHello by its content on any port, joins a hello
 * whose handshake fragments span several records or datagrams, and reports it (SNI, ALPN,
 * JA4 with the 'd' prefix) on the datagram that completes it.
 * specification: RFC 6347 §4.1 (DTLS 1.0/1.2 record: type, version, epoch, sequence number,
 * length), §4.2.2 (handshake header: type, length, message_seq, fragment_offset,
 * fragment_length), §4.2.3 (fragmentation; several handshake messages may share a record),
 * §4.2.1 (HelloVerifyRequest, ClientHello cookie); RFC 9147 §4 (DTLS 1.3: the hello still
 * travels in a DTLSPlaintext record, epoch 0), §5.3 (legacy_cookie); RFC 4347 (DTLS 1.0,
 * version 0xfeff) and OpenSSL's pre-RFC 0x0100.
 *
 * Which hellos are reported: every ClientHello a datagram completes, as tshark shows every one.
 * After a HelloVerifyRequest the client repeats its hello with the server's cookie (a new
 * message_seq): both are reported, the repeat with cookie_len set (cookie=1 in the text), and
 * both give the same JA4 (the cookie is not part of it). A retransmitted hello is reported
 * again. The flow's SNI/JA4 is the same either way.
 *
 * Fragments are joined per (UDP 4-tuple, message type, message_seq, length) in a bounded table
 * (DTLS_MAX_PENDING entries, DTLS_MSG_MAX bytes each, DTLS_MAX_AGE_NS); a duplicate or
 * overlapping fragment only fills bytes not yet seen. A fragment that claims bytes past the
 * message length is ignored (RFC 6347 §4.2.3 makes it invalid). */
#include <stdlib.h>
#include <string.h>
#include "dissect.h"
#include "dissect_ctx.h"
#include "tls_hello.h"
#include "util.h"

#define IPPROTO_UDP_NUM		17
#define REC_HANDSHAKE		22
#define REC_HDR			13
#define HS_HDR			12
#define DTLS_MSG_MAX		(64 * 1024)	/* largest hello joined from fragments */
#define DTLS_MAX_PENDING	64
#define DTLS_MAX_AGE_NS		(30ull * 1000000000ull)

struct dtls_pending {
	bool used;
	uint8_t ip_ver, msg_type;
	uint8_t src[16], dst[16];
	uint16_t sport, dport, msg_seq;
	uint16_t fragments;		/* fragments that added bytes */
	uint32_t len;			/* message body length */
	uint32_t have;			/* distinct body bytes received */
	uint64_t last_ns;
	uint8_t *body;			/* len bytes */
	uint8_t *seen;			/* one bit per body byte */
};

struct dtls_state {
	struct dtls_pending p[DTLS_MAX_PENDING];
};

static void pending_drop(struct dtls_pending *p)
{
	free(p->body);
	free(p->seen);
	memset(p, 0, sizeof(*p));
}

void dtls_state_free(struct dtls_state *s)
{
	if (!s)
		return;
	for (int i = 0; i < DTLS_MAX_PENDING; i++)
		pending_drop(&s->p[i]);
	free(s);
}

static bool version_ok(uint16_t v)
{
	/* DTLS 1.0 (0xfeff), 1.2 (0xfefd), 1.3's legacy value (0xfefd); 0xfefc seen in
	 * DTLS 1.3 drafts; OpenSSL's pre-RFC DTLS1_BAD_VER 0x0100 */
	return v == 0xfeff || v == 0xfefd || v == 0xfefc || v == 0x0100;
}

/* The first record is a plaintext handshake record (epoch 0): a hello is always in the first
 * flight of its sender, though not always the first message of the record. */
static bool handshake_start(struct cursor c)
{
	uint8_t type = cur_u8(&c);
	uint16_t ver = cur_be16(&c);
	uint16_t epoch = cur_be16(&c);

	cur_skip(&c, 6);			/* sequence number */
	uint16_t len = cur_be16(&c);
	return !c.short_read && type == REC_HANDSHAKE && version_ok(ver) && epoch == 0 &&
	       len >= HS_HDR;
}

struct frag {
	uint8_t type;
	uint16_t seq;
	uint32_t len, off;
	struct cursor data;		/* the fragment bytes captured */
	bool cut;			/* the capture ended inside the fragment */
};

static bool same_msg(const struct dtls_pending *p, const struct pkt_meta *m, const struct frag *f)
{
	return p->used && p->ip_ver == m->ip_ver && p->sport == m->sport &&
	       p->dport == m->dport && p->msg_type == f->type && p->msg_seq == f->seq &&
	       p->len == f->len && !memcmp(p->src, m->src, 16) && !memcmp(p->dst, m->dst, 16);
}

/* The entry for this message: found, or made in a free, expired or else the oldest slot. */
static struct dtls_pending *pending_get(struct dtls_state *st, const struct pkt_meta *m,
					const struct frag *f, uint64_t now)
{
	struct dtls_pending *slot = NULL;

	for (int i = 0; i < DTLS_MAX_PENDING; i++) {
		struct dtls_pending *p = &st->p[i];

		if (p->used && now - p->last_ns > DTLS_MAX_AGE_NS)
			pending_drop(p);
		if (same_msg(p, m, f))
			return p;
		if (!slot || !p->used || (slot->used && p->last_ns < slot->last_ns))
			slot = p;
	}
	pending_drop(slot);
	slot->body = malloc(f->len);
	slot->seen = calloc((f->len + 7) / 8, 1);
	if (!slot->body || !slot->seen) {
		pending_drop(slot);
		return NULL;
	}
	slot->used = true;
	slot->ip_ver = m->ip_ver;
	memcpy(slot->src, m->src, 16);
	memcpy(slot->dst, m->dst, 16);
	slot->sport = m->sport;
	slot->dport = m->dport;
	slot->msg_type = f->type;
	slot->msg_seq = f->seq;
	slot->len = f->len;
	return slot;
}

/* Adds the fragment's captured bytes; returns true when it added any. */
static bool pending_add(struct dtls_pending *p, const struct frag *f)
{
	size_t n = cur_left(&f->data);
	bool added = false;

	for (size_t i = 0; i < n; i++) {
		uint32_t at = f->off + (uint32_t)i;

		if (p->seen[at / 8] & (1u << (at % 8)))
			continue;
		p->seen[at / 8] |= (uint8_t)(1u << (at % 8));
		p->body[at] = f->data.pos[i];
		p->have++;
		added = true;
	}
	return added;
}

static enum dissect_rc report(uint8_t type, struct cursor body, bool complete,
			      uint16_t fragments, struct dissect_result *out)
{
	struct tls_hello h;
	enum dissect_rc rc = dtls_hello_parse(type, body, complete, &h);

	memset(&out->u.tls, 0, sizeof(out->u.tls));
	tls_hello_to_info(&h, 'd', &out->u.tls);
	out->u.tls.segments = fragments;
	out->u.tls.reassembled = fragments > 1;
	return rc;
}

/* One hello fragment: reported in place when it is the whole message, else joined. */
static enum dissect_rc fragment(struct dissect_ctx *ctx, const struct pkt_meta *m,
				const struct frag *f, struct dissect_result *out)
{
	if (f->off == 0 && cur_left(&f->data) == f->len)
		return report(f->type, f->data, true, 1, out);
	if (f->off == 0 && f->cut)		/* the capture ends inside an unfragmented hello */
		return report(f->type, f->data, false, 1, out);
	if (f->len > DTLS_MSG_MAX || f->off > f->len || f->len - f->off < cur_left(&f->data))
		return DISSECT_NOT_MINE;
	if (!ctx->dtls)
		ctx->dtls = xcalloc(1, sizeof(*ctx->dtls));

	struct dtls_pending *p = pending_get(ctx->dtls, m, f, ctx->now_ns);
	if (!p)
		return DISSECT_NOT_MINE;
	p->last_ns = ctx->now_ns;
	if (pending_add(p, f))
		p->fragments++;
	if (p->have < p->len) {
		memset(&out->u.tls, 0, sizeof(out->u.tls));
		out->u.tls.msg = f->type;
		out->u.tls.segments = p->fragments;
		return DISSECT_PENDING;
	}
	enum dissect_rc rc = report(p->msg_type, cur_init(p->body, p->len), true, p->fragments,
				    out);
	pending_drop(p);
	return rc;
}

static enum dissect_rc dtls_dissect(struct dissect_ctx *ctx, const struct pkt_meta *m,
				    struct cursor c, struct dissect_result *out)
{
	enum dissect_rc rc = DISSECT_NOT_MINE;

	if (m->l4_proto != IPPROTO_UDP_NUM || !handshake_start(c))
		return DISSECT_NOT_MINE;
	bool capture_cut = cur_left(&c) < m->payload_len;
	/* records and the handshake fragments in them, up to the first hello completed */
	while (cur_left(&c) >= REC_HDR) {
		uint8_t type = cur_u8(&c);
		uint16_t ver = cur_be16(&c);
		uint16_t epoch = cur_be16(&c);

		cur_skip(&c, 6);			/* sequence number */
		struct cursor rec = cur_sub(&c, cur_be16(&c));
		bool rec_cut = c.short_read;

		if (!version_ok(ver))
			break;
		if (type != REC_HANDSHAKE || epoch != 0)
			continue;
		while (cur_left(&rec) >= HS_HDR) {
			struct frag f;

			f.type = cur_u8(&rec);
			f.len = cur_be24(&rec);
			f.seq = cur_be16(&rec);
			f.off = cur_be24(&rec);
			uint32_t flen = cur_be24(&rec);
			f.data = cur_sub(&rec, flen);
			f.cut = rec.short_read && rec_cut && capture_cut;
			if (f.type != TLS_MSG_CLIENT_HELLO && f.type != TLS_MSG_SERVER_HELLO)
				continue;
			if (flen > f.len || f.off > f.len - flen)
				continue;		/* claims bytes past its message */
			enum dissect_rc r = fragment(ctx, m, &f, out);
			if (r != DISSECT_NOT_MINE && r != DISSECT_PENDING)
				return r;
			if (r == DISSECT_PENDING)
				rc = r;
		}
	}
	return rc;
}

const struct dissector dissector_dtls = {
	.name = "dtls",
	.layer = DL_UDP,
	.hint = 0,			/* any port: WebRTC, VPNs and CoAP use many */
	.lead_min = REC_HANDSHAKE,	/* a datagram that starts with a handshake record */
	.lead_max = REC_HANDSHAKE,
	.dissect = dtls_dissect,
};
