// SPDX-License-Identifier: BSD-3-Clause
/* Crafted hellos (RFC 8446 §4.1.2/§4.1.3 wire format built byte by byte here): field
 * extraction, truncated vs invalid, escaping, ECH, ServerHello; then the same ClientHello
 * carried by every supported link type, VLAN tags, IPv4 options, IPv6 extension headers, on a
 * non-TLS port, split over records and segments; and what must not be taken for TLS. */
#include <string.h>
#include "check.h"
#include "dissect_ctx.h"
#include "tls_hello.h"

struct buf {
	uint8_t b[4096];
	size_t n;
};

static void put(struct buf *b, const void *p, size_t n)
{
	memcpy(b->b + b->n, p, n);
	b->n += n;
}

static void u8(struct buf *b, unsigned v)
{
	b->b[b->n++] = (uint8_t)v;
}

static void be16(struct buf *b, unsigned v)
{
	u8(b, v >> 8);
	u8(b, v);
}

static void be24(struct buf *b, unsigned v)
{
	u8(b, v >> 16);
	be16(b, v & 0xffff);
}

static void be32(struct buf *b, uint32_t v)
{
	be16(b, v >> 16);
	be16(b, v & 0xffff);
}

static void ext(struct buf *b, unsigned type, const struct buf *body)
{
	be16(b, type);
	be16(b, (unsigned)body->n);
	put(b, body->b, body->n);
}

/* ClientHello handshake message: SNI name (NULL: none), ALPN "h2","http/1.1", supported
 * versions GREASE/1.3/1.2, two sigalgs, optional ECH. */
static void client_hello(struct buf *m, const char *sni, bool ech)
{
	struct buf body = { .n = 0 }, exts = { .n = 0 }, e = { .n = 0 };
	static const uint8_t random[32] = { 1, 2, 3 };

	be16(&body, 0x0303);
	put(&body, random, 32);
	u8(&body, 32);					/* session id */
	put(&body, random, 32);
	be16(&body, 6);
	be16(&body, 0x3a3a);				/* GREASE */
	be16(&body, 0x1301);
	be16(&body, 0xc02b);
	u8(&body, 1);
	u8(&body, 0);
	if (sni) {
		e.n = 0;
		be16(&e, (unsigned)strlen(sni) + 3);
		u8(&e, 0);
		be16(&e, (unsigned)strlen(sni));
		put(&e, sni, strlen(sni));
		ext(&exts, 0x0000, &e);
	}
	e.n = 0;
	be16(&e, 12);
	u8(&e, 2);
	put(&e, "h2", 2);
	u8(&e, 8);
	put(&e, "http/1.1", 8);
	ext(&exts, 0x0010, &e);
	e.n = 0;
	u8(&e, 6);
	be16(&e, 0x7a7a);
	be16(&e, 0x0304);
	be16(&e, 0x0303);
	ext(&exts, 0x002b, &e);
	e.n = 0;
	be16(&e, 4);
	be16(&e, 0x0403);
	be16(&e, 0x0804);
	ext(&exts, 0x000d, &e);
	if (ech) {
		e.n = 0;
		put(&e, "\x00\x00\x01\x00\x01", 5);
		ext(&exts, 0xfe0d, &e);
	}
	be16(&body, (unsigned)exts.n);
	put(&body, exts.b, exts.n);
	m->n = 0;
	u8(m, 1);
	be24(m, (unsigned)body.n);
	put(m, body.b, body.n);
}

/* One TLS record per fragment size (0: the whole message in one record). */
static void records(struct buf *out, const struct buf *msg, size_t frag)
{
	out->n = 0;
	for (size_t off = 0; off < msg->n;) {
		size_t n = frag && msg->n - off > frag ? frag : msg->n - off;
		u8(out, 22);
		be16(out, 0x0301);
		be16(out, (unsigned)n);
		put(out, msg->b + off, n);
		off += n;
	}
}

static void test_parse(void)
{
	struct buf m;
	struct tls_hello h;

	client_hello(&m, "example.test", true);
	CHECK_INT(tls_hello_parse(cur_init(m.b, m.n), &h), DISSECT_OK, "parse ok");
	CHECK(h.is_client && !h.truncated, "client, complete");
	CHECK_STR(h.sni, "example.test", "sni");
	CHECK_STR(h.alpn, "h2,http/1.1", "alpn list");
	CHECK_INT(h.n_ciphers, 3, "ciphers incl. GREASE");
	CHECK_INT(h.n_versions, 3, "supported_versions");
	CHECK_INT(tls_hello_version(&h), 0x0304, "highest non-GREASE version");
	CHECK_INT(h.n_sigalgs, 2, "sigalgs");
	CHECK(h.ech, "ech present");

	struct tls_info info;
	memset(&info, 0, sizeof(info));
	tls_hello_to_info(&h, 't', &info);
	CHECK(info.ech && info.has_sni && info.version == 0x0304, "info");
	/* ciphers 1301,c02b; exts 000d,002b,fe0d (+0000,0010 counted); sigalgs 0403,0804 */
	CHECK_STR(info.ja4_r, "t13d0205h2_1301,c02b_000d,002b,fe0d_0403,0804", "ja4_r crafted");

	/* every cut of the message is TRUNCATED, never INVALID or OK */
	int wrong = 0;
	for (size_t cut = 0; cut < m.n; cut++) {
		enum dissect_rc rc = tls_hello_parse(cur_init(m.b, cut), &h);
		if (rc != DISSECT_TRUNCATED || !h.truncated ||
		    (h.has_sni && strcmp(h.sni, "example.test")))
			wrong++;
	}
	CHECK_INT(wrong, 0, "every cut is TRUNCATED with whole fields only");

	/* a non-printable byte in the name is escaped */
	client_hello(&m, "a\x01" "b\\", false);
	tls_hello_parse(cur_init(m.b, m.n), &h);
	CHECK_STR(h.sni, "a\\x01b\\x5c", "sni escaped");
	CHECK(!h.ech, "no ech");

	/* no SNI */
	client_hello(&m, NULL, false);
	tls_hello_parse(cur_init(m.b, m.n), &h);
	CHECK(!h.has_sni && h.sni[0] == '\0', "no sni");
}

/* A whole hello whose lengths do not add up is reported as parsed and marked malformed (the
 * rules in dissectors/tls_hello.c follow tshark 4.0's decode; testdata/hellos/odd.pcap checks
 * them against tshark itself in test_hello_tshark). */
static void test_malformed(void)
{
	struct buf m;
	struct tls_hello h;

	client_hello(&m, "example.test", false);
	m.b[4 + 2 + 32] = 33;				/* session id longer than 32 */
	CHECK_INT(tls_hello_parse(cur_init(m.b, m.n), &h), DISSECT_OK, "session id 33: reported");
	CHECK(h.malformed && !h.truncated, "session id 33: malformed, not truncated");

	client_hello(&m, "example.test", false);
	size_t suites_len = 4 + 2 + 32 + 1 + 32 + 1;
	m.b[suites_len] = 5;				/* odd cipher suites length (was 6) */
	CHECK_INT(tls_hello_parse(cur_init(m.b, m.n), &h), DISSECT_OK, "odd cipher length");
	CHECK(h.malformed && h.n_ciphers == 2, "odd cipher length: two whole suites, malformed");

	client_hello(&m, "example.test", false);
	size_t ext_len = 4 + 2 + 32 + 1 + 32 + 2 + 6 + 2;
	m.b[ext_len] = 0xff;				/* extensions longer than the message */
	CHECK_INT(tls_hello_parse(cur_init(m.b, m.n), &h), DISSECT_OK, "extensions overrun");
	CHECK(h.malformed && h.n_exts == 0 && h.n_ciphers == 3 && !h.has_sni,
	      "extensions overrun: suites kept, no extension");

	client_hello(&m, "example.test", false);
	m.b[ext_len + 2 + 4 + 1] = 0xff;		/* SNI list longer than its extension */
	CHECK_INT(tls_hello_parse(cur_init(m.b, m.n), &h), DISSECT_OK, "sni list overrun");
	CHECK(h.malformed && !h.has_sni && h.n_exts > 1 && h.exts[0] == 0,
	      "sni list overrun: no name, the extension and those after it kept");

	client_hello(&m, "example.test", false);
	CHECK_INT(tls_hello_parse(cur_init(m.b, m.n), &h), DISSECT_OK, "well-formed");
	CHECK(!h.malformed, "well-formed: not malformed");

	client_hello(&m, "example.test", false);
	m.b[0] = 11;					/* Certificate */
	CHECK_INT(tls_hello_parse(cur_init(m.b, m.n), &h), DISSECT_NOT_MINE, "other handshake");
}

static void test_server_hello(void)
{
	struct buf m = { .n = 0 }, body = { .n = 0 }, exts = { .n = 0 }, e = { .n = 0 };
	static const uint8_t random[32];
	struct tls_hello h;
	struct tls_info info;

	be16(&body, 0x0303);
	put(&body, random, 32);
	u8(&body, 0);
	be16(&body, 0x1302);
	u8(&body, 0);
	be16(&e, 0x0304);
	ext(&exts, 0x002b, &e);
	be16(&body, (unsigned)exts.n);
	put(&body, exts.b, exts.n);
	u8(&m, 2);
	be24(&m, (unsigned)body.n);
	put(&m, body.b, body.n);
	CHECK_INT(tls_hello_parse(cur_init(m.b, m.n), &h), DISSECT_OK, "server hello ok");
	memset(&info, 0, sizeof(info));
	tls_hello_to_info(&h, 't', &info);
	CHECK_INT(info.msg, TLS_MSG_SERVER_HELLO, "server hello msg");
	CHECK_INT(info.version, 0x0304, "server hello selected version");
	CHECK_INT(info.cipher, 0x1302, "server hello cipher");
	CHECK(info.ja4[0] == '\0', "no ja4 for a server hello");
}

/* IPv4 + TCP header around payload (seq given), no checksums (nobody checks them here). */
static void ipv4_tcp(struct buf *out, const uint8_t *pl, size_t n, uint32_t seq, uint16_t dport,
		     size_t opt_words, uint16_t frag)
{
	size_t ihl = 20 + 4 * opt_words;

	u8(out, 0x40 | (unsigned)(ihl / 4));
	u8(out, 0);
	be16(out, (unsigned)(ihl + 20 + n));
	be16(out, 1);
	be16(out, frag);
	u8(out, 64);
	u8(out, 6);
	be16(out, 0);
	put(out, "\xc0\x00\x02\x01\xc0\x00\x02\x02", 8);
	for (size_t i = 0; i < opt_words; i++)
		be32(out, 0x01010101);			/* NOPs */
	be16(out, 40000);
	be16(out, dport);
	be32(out, seq);
	be32(out, 0);
	be16(out, 0x5018);
	be16(out, 512);
	be32(out, 0);
	put(out, pl, n);
}

static void ipv6_tcp(struct buf *out, const uint8_t *pl, size_t n)
{
	static const uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t b[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

	be32(out, 0x60000000);
	be16(out, (unsigned)(8 + 8 + 20 + n));
	u8(out, 0);					/* hop-by-hop */
	u8(out, 64);
	put(out, a, 16);
	put(out, b, 16);
	put(out, "\x3c\x00\x01\x04\x00\x00\x00\x00", 8);	/* -> destination options */
	put(out, "\x06\x00\x01\x04\x00\x00\x00\x00", 8);	/* -> TCP */
	be16(out, 40000);
	be16(out, 443);
	be32(out, 7);
	be32(out, 0);
	be16(out, 0x5018);
	be16(out, 512);
	be32(out, 0);
	put(out, pl, n);
}

static int run(struct dissect_ctx *ctx, int lt, const struct buf *f, struct pkt_meta *m,
	       struct dissect_result *r)
{
	memset(m, 0, sizeof(*m));
	return dissect_packet(ctx, lt, f->b, (uint32_t)f->n, (uint32_t)f->n, 1, m, r, 4);
}

static void expect_hello(int lt, const struct buf *f, const char *name)
{
	struct dissect_ctx *ctx = dissect_ctx_new();
	struct dissect_result r[4];
	struct pkt_meta m;
	int n = run(ctx, lt, f, &m, r);

	CHECKF(n == 1 && r[0].by == &dissector_tls && r[0].rc == DISSECT_OK &&
		       !strcmp(r[0].u.tls.sni, "example.test") && m.sport == 40000,
	       name, "n=%d rc=%d sni='%s' sport=%u", n, n ? (int)r[0].rc : -1,
	       n ? r[0].u.tls.sni : "",
	       m.sport);
	dissect_ctx_free(ctx);
}

static void test_link_layers(void)
{
	struct buf msg, rec, ip = { .n = 0 }, f;

	client_hello(&msg, "example.test", false);
	records(&rec, &msg, 0);
	ipv4_tcp(&ip, rec.b, rec.n, 1000, 443, 0, 0);

	f.n = 0;
	put(&f, "\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00", 14);
	put(&f, ip.b, ip.n);
	put(&f, "padding-padding", 15);		/* Ethernet trailer beyond the IP length */
	expect_hello(1, &f, "ethernet + trailer");

	f.n = 0;
	put(&f, "\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x88\xa8\x00\x05\x81\x00\x00\x07\x08\x00", 22);
	put(&f, ip.b, ip.n);
	expect_hello(1, &f, "ethernet qinq");

	f.n = 0;
	put(&f, "\x00\x04\x00\x01\x00\x06\x02\0\0\0\0\x01\0\0\x08\x00", 16);
	put(&f, ip.b, ip.n);
	expect_hello(113, &f, "linux sll");

	f.n = 0;
	put(&f, "\x08\x00\x00\x00\x00\x00\x00\x03\x00\x01\x04\x06\x02\0\0\0\0\x01\0\0", 20);
	put(&f, ip.b, ip.n);
	expect_hello(276, &f, "linux sll2");

	f.n = 0;
	put(&f, "\x02\x00\x00\x00", 4);			/* AF_INET, little-endian host */
	put(&f, ip.b, ip.n);
	expect_hello(0, &f, "null");
	f.n = 0;
	put(&f, "\x00\x00\x00\x02", 4);
	put(&f, ip.b, ip.n);
	expect_hello(108, &f, "loop");
	expect_hello(101, &ip, "raw");
	expect_hello(12, &ip, "raw (DLT 12)");
	expect_hello(228, &ip, "ipv4 linktype");

	f.n = 0;
	ipv4_tcp(&f, rec.b, rec.n, 1000, 443, 3, 0);
	expect_hello(101, &f, "ipv4 options");

	f.n = 0;
	ipv6_tcp(&f, rec.b, rec.n);
	expect_hello(229, &f, "ipv6 extension headers");

	f.n = 0;
	ipv4_tcp(&f, rec.b, rec.n, 1000, 12345, 0, 0);
	expect_hello(101, &f, "any port");

	struct dissect_ctx *ctx = dissect_ctx_new();
	struct dissect_result r[4];
	struct pkt_meta m;
	f.n = 0;
	ipv4_tcp(&f, rec.b, rec.n, 1000, 443, 0, 0x0010);	/* fragment offset 128 */
	CHECK(run(ctx, 101, &f, &m, r) == 0 && m.ip_ver == 4, "later fragment not dissected");
	f.n = 0;
	ipv4_tcp(&f, (const uint8_t *)"GET / HTTP/1.1\r\n\r\n", 18, 1, 443, 0, 0);
	CHECK(run(ctx, 101, &f, &m, r) == 0 && m.dport == 443, "http is not tls");
	msg.b[0] = 11;
	records(&rec, &msg, 0);
	f.n = 0;
	ipv4_tcp(&f, rec.b, rec.n, 1000, 443, 0, 0);
	CHECK(run(ctx, 101, &f, &m, r) == 0, "certificate record is not a hello");
	CHECK(ctx->tls == NULL, "no tls state created for non-hellos");
	dissect_ctx_free(ctx);
}

static void test_reassembly(void)
{
	struct buf msg, rec, f;
	struct dissect_result r[4];
	struct pkt_meta m;

	/* one segment, three records */
	client_hello(&msg, "example.test", false);
	records(&rec, &msg, 50);
	f.n = 0;
	ipv4_tcp(&f, rec.b, rec.n, 1000, 443, 0, 0);
	struct dissect_ctx *ctx = dissect_ctx_new();
	int n = run(ctx, 101, &f, &m, r);
	CHECK(n == 1 && r[0].rc == DISSECT_OK && !strcmp(r[0].u.tls.sni, "example.test") &&
		      r[0].u.tls.reassembled && r[0].u.tls.segments == 1,
	      "hello over several records in one segment");

	/* the record header alone, then the rest: PENDING, then OK on the second segment */
	records(&rec, &msg, 0);
	f.n = 0;
	ipv4_tcp(&f, rec.b, 5, 5000, 443, 0, 0);
	n = run(ctx, 101, &f, &m, r);
	CHECK(n == 1 && r[0].rc == DISSECT_PENDING, "record header alone: pending");
	f.n = 0;
	ipv4_tcp(&f, rec.b + 5, rec.n - 5, 5005, 443, 0, 0);
	n = run(ctx, 101, &f, &m, r);
	CHECK(n == 1 && r[0].rc == DISSECT_OK && r[0].u.tls.segments == 2 &&
		      r[0].u.tls.reassembled && !strcmp(r[0].u.tls.sni, "example.test"),
	      "completed by the second segment");

	/* a record type that is not handshake in the middle of a hello: INVALID, state dropped */
	records(&rec, &msg, 100);
	rec.b[105] = 23;				/* second record: application data */
	f.n = 0;
	ipv4_tcp(&f, rec.b, 80, 9000, 443, 0, 0);
	CHECK(run(ctx, 101, &f, &m, r) == 1 && r[0].rc == DISSECT_PENDING, "split: pending");
	f.n = 0;
	ipv4_tcp(&f, rec.b + 80, rec.n - 80, 9080, 443, 0, 0);
	CHECK(run(ctx, 101, &f, &m, r) == 1 && r[0].rc == DISSECT_INVALID,
	      "interleaved record type is invalid");
	dissect_ctx_free(ctx);
}

int main(void)
{
	test_parse();
	test_malformed();
	test_server_hello();
	test_link_layers();
	test_reassembly();
	return CHECK_EXIT();
}
