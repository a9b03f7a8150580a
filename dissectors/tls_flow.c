// SPDX-License-Identifier: BSD-3-Clause
/* Live decryption of TLS over TCP: follows the connections whose ClientHello it saw, reads
 * their record streams in order, opens the application data records with the secrets of the
 * key log (tls_decrypt.c) and hands the plaintext to HTTP/1.1 (http1.c) or HTTP/2 (http2.c),
 * whose message heads are reported on the segment that completed them ("http" findings).
 * specification: RFC 8446 §5.1 (record layer), §4.1.3 (ServerHello, HelloRetryRequest random),
 * §5.2 (protected records), §D.4 (ChangeCipherSpec in TLS 1.3); RFC 5246 §6.2, §7.1 (records
 * after ChangeCipherSpec are protected, sequence number 0 first); RFC 9293 §3.4 (sequence
 * numbers).
 *
 * Which records are application data: TLS 1.2 protects every record after a direction's
 * ChangeCipherSpec (Finished first), so each is opened to keep the sequence number. TLS 1.3
 * protects the rest of the handshake with handshake keys the key log lines we use do not
 * give: a direction's application keys are tried on its protected records, at sequence 0,
 * until one opens; from there every record must open in order.
 *
 * Keys that come after the records (the key log is read beside the packets): a direction's
 * protected records wait (HELD_MAX bytes) and are opened on a later segment of the
 * connection once the keys are there; their messages are reported on that segment.
 * Bounds: FLOWS_MAX connections (idle ones, then the oldest, go), per direction one partial
 * record and HELD_MAX waiting bytes, BYTES_MAX over all of them; a gap in a direction's
 * sequence numbers (a lost segment) ends its decryption. */
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "dissect.h"
#include "dissect_ctx.h"
#include "http.h"
#include "tcp_reasm.h"
#include "tls_decrypt.h"
#include "tls_hello.h"
#include "util.h"

#define FLOWS_MAX	512
#define PROBE		8
#define IDLE_NS		(300ull * 1000000000ull)
#define REC_HDR		5
#define REC_MAX		(16384 + 2048 + 256)	/* TLSCiphertext fragment limit (RFC 8446 §5.2) */
#define HELD_MAX	(64 * 1024)
#define BYTES_MAX	(32u << 20)
#define TRIALS_MAX	32			/* TLS 1.3 handshake records tried per direction */
#define IPPROTO_TCP_NUM	6
#define TCP_FLAG_RST	0x04
#define TCP_FLAG_FIN	0x01

enum rec_type { REC_CCS = 20, REC_ALERT = 21, REC_HANDSHAKE = 22, REC_APPDATA = 23 };
enum app_proto { APP_UNKNOWN = 0, APP_HTTP1, APP_HTTP2, APP_OTHER };

struct dir_state {
	bool started, lost, protected_on, keyed, app;
	uint8_t trials;
	uint32_t next_seq;
	uint64_t seq;			/* record sequence number */
	uint8_t *rec;			/* a record that spans segments, REC_HDR + REC_MAX bytes */
	uint32_t rec_len;
	uint8_t *held;			/* protected records waiting for keys */
	uint32_t held_len;
	struct tlsd_keys keys;
};

struct tls_flow {
	bool used;
	struct tcp_flow_key key;	/* src = the client */
	uint64_t last_ns;
	uint8_t client_random[TLSD_RANDOM_LEN], server_random[TLSD_RANDOM_LEN];
	bool have_server_hello, tls13, unsupported;
	uint16_t version, cipher;
	uint8_t app;			/* enum app_proto */
	struct dir_state d[2];		/* 0: client to server, 1: server to client */
	struct http1_conn h1;
	struct http2_conn h2;
	struct http_info pending;	/* messages not yet reported */
};

struct tls_decrypt_state {
	struct tlsd_keystore *keys;
	struct tls_flow flows[FLOWS_MAX];
	EVP_CIPHER_CTX *cctx;
	uint8_t *plain;			/* REC_MAX bytes: one opened record */
	uint64_t bytes;			/* rec and held buffers allocated over all flows */
	void (*source)(void *arg);	/* reads the secrets sources (tls_decrypt_set_source) */
	void *source_arg;
	bool in_source;
};

/* RFC 8446 §4.1.3: a ServerHello with this random is a HelloRetryRequest */
static const uint8_t hrr_random[TLSD_RANDOM_LEN] = {
	0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
	0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

void tls_decrypt_enable(struct dissect_ctx *ctx)
{
	struct tls_decrypt_state *st;

	if (ctx->tlsd)
		return;
	EVP_CIPHER_CTX *cctx = EVP_CIPHER_CTX_new();
	if (!cctx)
		return;		/* libcrypto out of memory: no decryption */
	st = xcalloc(1, sizeof(*st));
	st->keys = tlsd_keystore_new();
	st->cctx = cctx;
	st->plain = xmalloc(REC_MAX);
	ctx->tlsd = st;
}

int tls_decrypt_add_keylog(struct dissect_ctx *ctx, const char *text, size_t len)
{
	tls_decrypt_enable(ctx);
	if (!ctx->tlsd)
		return 0;
	return tlsd_keystore_add(ctx->tlsd->keys, text, len);
}

void tls_decrypt_set_source(struct dissect_ctx *ctx, void (*fn)(void *arg), void *arg)
{
	if (!ctx->tlsd)
		return;
	ctx->tlsd->source = fn;
	ctx->tlsd->source_arg = arg;
}

static void dir_free(struct tls_decrypt_state *st, struct dir_state *d)
{
	if (d->rec)
		st->bytes -= REC_HDR + REC_MAX;
	if (d->held)
		st->bytes -= HELD_MAX;
	free(d->rec);
	free(d->held);
}

static void flow_free(struct tls_decrypt_state *st, struct tls_flow *f)
{
	dir_free(st, &f->d[0]);
	dir_free(st, &f->d[1]);
	http1_free(&f->h1);
	if (f->app == APP_HTTP2)
		http2_free(&f->h2);
	memset(f, 0, sizeof(*f));
}

void tls_decrypt_state_free(struct tls_decrypt_state *st)
{
	if (!st)
		return;
	for (int i = 0; i < FLOWS_MAX; i++)
		if (st->flows[i].used)
			flow_free(st, &st->flows[i]);
	tlsd_keystore_free(st->keys);
	EVP_CIPHER_CTX_free(st->cctx);
	free(st->plain);
	free(st);
}

/* Same for both directions of a connection. */
static uint32_t flow_hash(const struct pkt_meta *m)
{
	uint32_t a = 2166136261u, b = 2166136261u;

	for (int i = 0; i < 16; i++) {
		a = (a ^ m->src[i]) * 16777619u;
		b = (b ^ m->dst[i]) * 16777619u;
	}
	a = (a ^ m->sport) * 16777619u;
	b = (b ^ m->dport) * 16777619u;
	return (a ^ b) % FLOWS_MAX;
}

static bool same_way(const struct tcp_flow_key *k, const struct pkt_meta *m)
{
	return k->sport == m->sport && k->dport == m->dport && !memcmp(k->src, m->src, 16) &&
	       !memcmp(k->dst, m->dst, 16);
}

static bool other_way(const struct tcp_flow_key *k, const struct pkt_meta *m)
{
	return k->sport == m->dport && k->dport == m->sport && !memcmp(k->src, m->dst, 16) &&
	       !memcmp(k->dst, m->src, 16);
}

static struct tls_flow *flow_find(struct tls_decrypt_state *st, const struct pkt_meta *m,
				  int *dir)
{
	uint32_t h = flow_hash(m);

	for (int i = 0; i < PROBE; i++) {
		struct tls_flow *f = &st->flows[(h + i) % FLOWS_MAX];

		if (!f->used || f->key.ip_ver != m->ip_ver)
			continue;
		if (same_way(&f->key, m)) {
			*dir = 0;
			return f;
		}
		if (other_way(&f->key, m)) {
			*dir = 1;
			return f;
		}
	}
	return NULL;
}

/* A new connection from m's source (the client): a free slot of the window, an idle one, or
 * the least recently used. */
static struct tls_flow *flow_new(struct tls_decrypt_state *st, const struct pkt_meta *m,
				 uint64_t now)
{
	uint32_t h = flow_hash(m);
	struct tls_flow *victim = NULL;

	for (int i = 0; i < PROBE; i++) {
		struct tls_flow *f = &st->flows[(h + i) % FLOWS_MAX];

		if (!f->used || now - f->last_ns > IDLE_NS) {
			victim = f;
			break;
		}
		if (!victim || f->last_ns < victim->last_ns)
			victim = f;
	}
	if (victim->used)
		flow_free(st, victim);
	victim->used = true;
	memcpy(victim->key.src, m->src, 16);
	memcpy(victim->key.dst, m->dst, 16);
	victim->key.sport = m->sport;
	victim->key.dport = m->dport;
	victim->key.ip_ver = m->ip_ver;
	return victim;
}

/* ---- handshake (plaintext) ---- */

static void server_hello(struct tls_flow *f, const uint8_t *body, size_t len)
{
	struct tls_hello h;
	struct cursor c = cur_init(body, len);

	if (len < 38 || body[0] != TLS_MSG_SERVER_HELLO || !memcmp(body + 6, hrr_random, 32))
		return;
	if (tls_hello_parse(c, &h) == DISSECT_NOT_MINE)
		return;
	memcpy(f->server_random, body + 6, TLSD_RANDOM_LEN);
	f->have_server_hello = true;
	f->cipher = h.cipher;
	f->version = tls_hello_version(&h);
	f->unsupported = !tlsd_suite(f->cipher);
	if (f->version == 0x0304) {
		/* everything after the ServerHello is protected, both ways (CCS aside) */
		f->tls13 = true;
		f->d[0].protected_on = f->d[1].protected_on = true;
	}
}

/* Keys for a direction once the key log and the ServerHello have what they need. */
static bool have_keys(struct tls_decrypt_state *st, struct tls_flow *f, int dir)
{
	struct dir_state *d = &f->d[dir];
	const struct tlsd_suite *suite = tlsd_suite(f->cipher);
	const struct tlsd_secrets *s;

	if (d->keyed)
		return true;
	if (!f->have_server_hello || !suite ||
	    !(s = tlsd_keystore_find(st->keys, f->client_random)))
		return false;
	if (f->tls13) {
		uint8_t need = dir ? TLSD_HAVE_SERVER_TS : TLSD_HAVE_CLIENT_TS;

		if (!(s->have & need) || s->ts_len != suite->hash_len ||
		    tlsd_keys_tls13(&d->keys, suite, dir ? s->server_ts : s->client_ts))
			return false;
	} else if (!(s->have & TLSD_HAVE_MASTER) ||
		   tlsd_keys_tls12(&d->keys, suite, s->master, f->client_random, f->server_random,
				   dir == 0)) {
		return false;
	}
	d->keyed = true;
	return true;
}

/* ---- application data ---- */

static void app_data(struct tls_flow *f, int dir, const uint8_t *p, size_t n)
{
	if (!n)
		return;
	if (f->app == APP_UNKNOWN) {
		if (http2_sniff(dir, p, n)) {
			f->app = APP_HTTP2;
			http2_init(&f->h2);	/* the client's preface is skipped when it comes */
		} else if (http1_sniff(dir, p, n)) {
			f->app = APP_HTTP1;
		} else {
			f->app = APP_OTHER;
		}
	}
	if (f->app == APP_HTTP1)
		http1_feed(&f->h1, dir, p, n, &f->pending);
	else if (f->app == APP_HTTP2)
		http2_feed(&f->h2, dir, p, n, &f->pending);
}

/* Opens one protected record; false when the direction cannot go on. */
static bool open_record(struct tls_decrypt_state *st, struct tls_flow *f, int dir,
			const uint8_t *hdr, const uint8_t *body, size_t len)
{
	struct dir_state *d = &f->d[dir];
	uint8_t type;
	long n;

	if (f->tls13 && !d->app) {
		n = tlsd_open(st->cctx, &d->keys, 0, hdr, body, len, st->plain, &type);
		if (n < 0)	/* a handshake record (handshake keys): not ours */
			return ++d->trials < TRIALS_MAX;
		d->app = true;
		d->seq = 1;
	} else {
		n = tlsd_open(st->cctx, &d->keys, d->seq, hdr, body, len, st->plain, &type);
		if (n < 0)
			return false;
		d->seq++;
	}
	if (type == REC_APPDATA) {
		if (f->pending.n == 0 && !f->pending.dropped) {
			f->pending.tls_version = f->tls13 ? 0x0304 : f->version;
			f->pending.cipher = f->cipher;
		}
		app_data(f, dir, st->plain, (size_t)n);
	} else if (type == REC_HANDSHAKE && f->tls13 && n >= 4 && st->plain[0] == 24) {
		/* KeyUpdate (RFC 8446 §4.6.3): the sender's next records use the next secret */
		if (tlsd_keys_update(&d->keys))
			return false;
		d->seq = 0;
	}
	return true;
}

static void hold(struct tls_decrypt_state *st, struct dir_state *d, const uint8_t *rec,
		 size_t len)
{
	if (d->held_len + len > HELD_MAX || (!d->held && st->bytes + HELD_MAX > BYTES_MAX)) {
		d->lost = true;		/* the keys are too late: give up on this direction */
		return;
	}
	if (!d->held) {
		d->held = xmalloc(HELD_MAX);
		st->bytes += HELD_MAX;
	}
	memcpy(d->held + d->held_len, rec, len);
	d->held_len += (uint32_t)len;
}

/* The records held for keys, once they are there. */
static void release(struct tls_decrypt_state *st, struct tls_flow *f, int dir)
{
	struct dir_state *d = &f->d[dir];
	uint8_t *held = d->held;
	uint32_t len = d->held_len, off = 0;

	if (!len || !have_keys(st, f, dir))
		return;
	d->held = NULL;
	d->held_len = 0;
	st->bytes -= HELD_MAX;
	while (off + REC_HDR <= len && !d->lost) {
		uint32_t rlen = REC_HDR + (uint32_t)(held[off + 3] << 8 | held[off + 4]);

		if (!open_record(st, f, dir, held + off, held + off + REC_HDR, rlen - REC_HDR))
			d->lost = true;
		off += rlen;
	}
	free(held);
}

/* One whole record (header included) of direction dir. */
static void record(struct tls_decrypt_state *st, struct tls_flow *f, int dir, const uint8_t *rec,
		   size_t len)
{
	struct dir_state *d = &f->d[dir];
	uint8_t type = rec[0];
	const uint8_t *body = rec + REC_HDR;
	size_t body_len = len - REC_HDR;

	if (!d->protected_on) {
		if (type == REC_HANDSHAKE && dir == 1 && !f->have_server_hello)
			server_hello(f, body, body_len);
		else if (type == REC_CCS && f->have_server_hello && !f->tls13)
			d->protected_on = true;	/* RFC 5246 §7.1: Finished is next, seq 0 (a
						   CCS before, after a HelloRetryRequest, is
						   TLS 1.3's §D.4 one) */
		return;
	}
	if (f->tls13 && type != REC_APPDATA)
		return;		/* CCS (§D.4) and plaintext alerts are not protected */
	if (f->unsupported) {
		d->lost = true;
		return;
	}
	if (!have_keys(st, f, dir) && f->have_server_hello && st->source && !st->in_source) {
		st->in_source = true;	/* the keys may be waiting to be read */
		st->source(st->source_arg);
		st->in_source = false;
	}
	if (!have_keys(st, f, dir)) {
		hold(st, d, rec, len);
		return;
	}
	release(st, f, dir);	/* records that waited go first: sequence numbers are in order */
	if (!d->lost && !open_record(st, f, dir, rec, body, body_len))
		d->lost = true;
}

/* Cuts the direction's in-order bytes into records. */
static void stream_bytes(struct tls_decrypt_state *st, struct tls_flow *f, int dir,
			 const uint8_t *p, size_t n)
{
	struct dir_state *d = &f->d[dir];

	while (n && !d->lost) {
		if (!d->rec_len && n >= REC_HDR) {	/* whole records in place: no copy */
			size_t rlen = REC_HDR + (size_t)(p[3] << 8 | p[4]);

			if (rlen - REC_HDR > REC_MAX || p[1] != 3) {
				d->lost = true;
				return;
			}
			if (rlen <= n) {
				record(st, f, dir, p, rlen);
				p += rlen;
				n -= rlen;
				continue;
			}
		}
		if (!d->rec) {
			if (st->bytes + REC_HDR + REC_MAX > BYTES_MAX) {
				d->lost = true;
				return;
			}
			d->rec = xmalloc(REC_HDR + REC_MAX);
			st->bytes += REC_HDR + REC_MAX;
		}
		size_t want = REC_HDR;
		if (d->rec_len >= REC_HDR)
			want += (size_t)(d->rec[3] << 8 | d->rec[4]);
		size_t take = want - d->rec_len < n ? want - d->rec_len : n;
		memcpy(d->rec + d->rec_len, p, take);
		d->rec_len += (uint32_t)take;
		p += take;
		n -= take;
		if (d->rec_len == REC_HDR &&
		    ((size_t)(d->rec[3] << 8 | d->rec[4]) > REC_MAX || d->rec[1] != 3)) {
			d->lost = true;
			return;
		}
		if (d->rec_len >= REC_HDR &&
		    d->rec_len == REC_HDR + (uint32_t)(d->rec[3] << 8 | d->rec[4])) {
			record(st, f, dir, d->rec, d->rec_len);
			d->rec_len = 0;
		}
	}
}

/* A segment's payload in sequence order: retransmitted bytes are skipped, a gap ends the
 * direction (its records can no longer be opened in order). */
static void segment(struct tls_decrypt_state *st, struct tls_flow *f, int dir, uint32_t seq,
		    const uint8_t *p, size_t n)
{
	struct dir_state *d = &f->d[dir];

	if (!d->started) {
		d->started = true;
		d->next_seq = seq;
	}
	int32_t off = (int32_t)(seq - d->next_seq);
	if (off < 0) {
		if ((size_t)-(int64_t)off >= n)
			return;
		p += -(int64_t)off;
		n -= (size_t)-(int64_t)off;
	} else if (off > 0) {
		d->lost = true;
		return;
	}
	d->next_seq += (uint32_t)n;
	stream_bytes(st, f, dir, p, n);
}

/* Does this segment start a ClientHello record (type 22, 3.x, handshake type 1) whose random
 * it holds? */
static bool client_hello(struct cursor c, uint8_t random[TLSD_RANDOM_LEN])
{
	uint8_t type = cur_u8(&c), major = cur_u8(&c);

	cur_skip(&c, 3);
	uint8_t hs = cur_u8(&c);
	cur_skip(&c, 3 + 2);
	const uint8_t *r = cur_bytes(&c, TLSD_RANDOM_LEN);
	if (c.short_read || type != REC_HANDSHAKE || major != 3 || hs != TLS_MSG_CLIENT_HELLO)
		return false;
	memcpy(random, r, TLSD_RANDOM_LEN);
	return true;
}

static enum dissect_rc tls_flow_dissect(struct dissect_ctx *ctx, const struct pkt_meta *m,
					struct cursor c, struct dissect_result *out)
{
	struct tls_decrypt_state *st = ctx->tlsd;
	uint8_t random[TLSD_RANDOM_LEN];
	size_t have = cur_left(&c);
	struct tls_flow *f;
	int dir = 0;
	bool hello;

	if (!st || m->l4_proto != IPPROTO_TCP_NUM || !m->ip_ver)
		return DISSECT_NOT_MINE;
	f = flow_find(st, m, &dir);
	if (!f && (!have || !client_hello(c, random)))
		return DISSECT_NOT_MINE;	/* the cheap way out for every other segment */
	hello = have && client_hello(c, random);
	if (f && dir == 0 && hello && memcmp(f->client_random, random, TLSD_RANDOM_LEN)) {
		flow_free(st, f);	/* a new connection on the same ports */
		f = NULL;
	}
	if (!f) {
		f = flow_new(st, m, ctx->now_ns);
		dir = 0;
		memcpy(f->client_random, random, TLSD_RANDOM_LEN);
	}
	f->last_ns = ctx->now_ns;
	for (int i = 0; i < 2; i++)
		if (f->d[i].held_len && !f->d[i].lost)
			release(st, f, i);
	if (have && have == m->payload_len && !f->d[dir].lost)
		segment(st, f, dir, m->tcp_seq, cur_bytes(&c, have), have);
	else if (have)
		f->d[dir].lost = true;		/* the capture cut the segment */
	/* a hello segment stays the TLS dissector's; messages wait for the next segment */
	if (!f->pending.n && !f->pending.dropped)
		return DISSECT_NOT_MINE;
	if (hello || (have >= 6 && c.pos[0] == REC_HANDSHAKE && c.pos[5] == TLS_MSG_SERVER_HELLO))
		return DISSECT_NOT_MINE;
	out->u.http = f->pending;
	memset(&f->pending, 0, sizeof(f->pending));
	return DISSECT_OK;
}

const struct dissector dissector_tls_flow = {
	.name = "http",
	.layer = DL_TCP,
	.hint = 443,
	.dissect = tls_flow_dissect,
};
