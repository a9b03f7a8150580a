// SPDX-License-Identifier: BSD-3-Clause
/* QUIC Initial protection and the quic dissector against the RFC 9001 Appendix A and
 * RFC 9369 Appendix A vectors (testdata/quic/rfc*.hex, transcribed from the RFC text and
 * cross-checked with tshark, see testdata/README.md), plus header edge cases. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dissect.h"
#include "dissect_ctx.h"
#include "quic.h"
#include "quic_crypto.h"
#include "quic_reasm.h"
#include "quic_testlib.h"

#define TD "testdata/quic/"

static const uint8_t rfc_dcid[8] = { 0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08 };

static void check_hex(const uint8_t *got, size_t n, const char *want, const char *name)
{
	char hex[2 * 64 + 1];

	bytes_to_hex(got, n, hex);
	CHECK_STR(hex, want, name);
}

/* RFC 9001 A.1 / RFC 9369 A.1: keys, IVs and header protection keys of both sides. */
static void test_keys(void)
{
	const struct quic_version *v1 = quic_version_lookup(QUIC_V1);
	const struct quic_version *v2 = quic_version_lookup(QUIC_V2);
	struct quic_keys k;
	uint8_t secret[32];

	if (!CHECK(v1 && v2, "quic version table"))
		return;
	CHECK(quic_initial_secret(v1, rfc_dcid, 8, QUIC_CLIENT, secret) == 0, "v1 client secret");
	check_hex(secret, 32, "c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea",
		  "rfc9001 A.1 client_initial_secret");
	CHECK(quic_initial_keys(v1, rfc_dcid, 8, QUIC_CLIENT, &k) == 0, "v1 client keys");
	check_hex(k.key, 16, "1f369613dd76d5467730efcbe3b1a22d", "rfc9001 A.1 client key");
	check_hex(k.iv, 12, "fa044b2f42a3fd3b46fb255c", "rfc9001 A.1 client iv");
	check_hex(k.hp, 16, "9f50449e04a0e810283a1e9933adedd2", "rfc9001 A.1 client hp");
	CHECK(quic_initial_secret(v1, rfc_dcid, 8, QUIC_SERVER, secret) == 0, "v1 server secret");
	check_hex(secret, 32, "3c199828fd139efd216c155ad844cc81fb82fa8d7446fa7d78be803acdda951b",
		  "rfc9001 A.1 server_initial_secret");
	CHECK(quic_initial_keys(v1, rfc_dcid, 8, QUIC_SERVER, &k) == 0, "v1 server keys");
	check_hex(k.key, 16, "cf3a5331653c364c88f0f379b6067e37", "rfc9001 A.1 server key");
	check_hex(k.iv, 12, "0ac1493ca1905853b0bba03e", "rfc9001 A.1 server iv");
	check_hex(k.hp, 16, "c206b8d9b9f0f37644430b490eeaa314", "rfc9001 A.1 server hp");

	CHECK(quic_initial_secret(v2, rfc_dcid, 8, QUIC_CLIENT, secret) == 0, "v2 client secret");
	check_hex(secret, 32, "14ec9d6eb9fd7af83bf5a668bc17a7e283766aade7ecd0891f70f9ff7f4bf47b",
		  "rfc9369 A.1 client_initial_secret");
	CHECK(quic_initial_keys(v2, rfc_dcid, 8, QUIC_CLIENT, &k) == 0, "v2 client keys");
	check_hex(k.key, 16, "8b1a0bc121284290a29e0971b5cd045d", "rfc9369 A.1 client key");
	check_hex(k.iv, 12, "91f73e2351d8fa91660e909f", "rfc9369 A.1 client iv");
	check_hex(k.hp, 16, "45b95e15235d6f45a6b19cbcb0294ba9", "rfc9369 A.1 client hp");
	CHECK(quic_initial_keys(v2, rfc_dcid, 8, QUIC_SERVER, &k) == 0, "v2 server keys");
	check_hex(k.key, 16, "82db637861d55e1d011f19ea71d5d2a7", "rfc9369 A.1 server key");
	check_hex(k.iv, 12, "dd13c276499c0249d3310652", "rfc9369 A.1 server iv");
	check_hex(k.hp, 16, "edf6d05c83121201b436e16877593c3a", "rfc9369 A.1 server hp");
}

/* RFC 9001 A.2 step by step: mask from the sample, then the AEAD opens to the CRYPTO frame. */
static void test_a2_steps(void)
{
	static uint8_t pkt[1300], frame[300], plain[1300];
	const struct quic_version *v1 = quic_version_lookup(QUIC_V1);
	long n = load_hex(TD "rfc9001_a2_client_initial.hex", pkt, sizeof(pkt));
	long fn = load_hex(TD "rfc9001_a2_crypto_frame.hex", frame, sizeof(frame));
	struct quic_keys k;
	uint8_t mask[5];
	int pn_len, len;

	if (!CHECK(n == 1200 && fn == 245, "rfc9001 A.2 vectors load"))
		return;
	quic_initial_keys(v1, rfc_dcid, 8, QUIC_CLIENT, &k);
	/* the 4-byte packet number starts at 18; the sample 4 bytes later */
	CHECK(quic_hp_mask(k.hp, pkt + 22, mask) == 0, "rfc9001 A.2 hp mask computed");
	check_hex(mask, 5, "437b9aec36", "rfc9001 A.2 mask");
	pkt[0] ^= mask[0] & 0x0f;
	pn_len = (pkt[0] & 3) + 1;
	for (int i = 0; i < pn_len; i++)
		pkt[18 + i] ^= mask[1 + i];
	check_hex(pkt, 22, "c300000001088394c8f03e5157080000449e00000002",
		  "rfc9001 A.2 unprotected header");
	len = quic_aead_open(&k, 2, pkt, 22, pkt + 22, 1200 - 22, plain);
	CHECK_INT(len, 1162, "rfc9001 A.2 payload length");
	CHECK(len == 1162 && memcmp(plain, frame, 245) == 0, "rfc9001 A.2 plaintext CRYPTO frame");
	for (int i = 245; i < len; i++)
		if (plain[i] != 0) {
			CHECK(0, "rfc9001 A.2 PADDING after the CRYPTO frame");
			break;
		}
	pkt[100] ^= 1;
	CHECK(quic_aead_open(&k, 2, pkt, 22, pkt + 22, 1200 - 22, plain) < 0,
	      "rfc9001 A.2 corrupted payload fails the tag");
}

/* Dissects one datagram read from a hex file. */
static enum dissect_rc dissect_hex(struct dissect_ctx *ctx, const char *path, int from_server,
				   struct dissect_result *res)
{
	static uint8_t buf[2048];
	long n = load_hex(path, buf, sizeof(buf));
	struct pkt_meta m = quic_test_meta(from_server);

	memset(res, 0, sizeof(*res));
	if (n < 0)
		return DISSECT_NOT_MINE;
	return dissector_quic.dissect(ctx, &m, cur_init(buf, (size_t)n), res);
}

/* The CRYPTO stream the flow of the RFC DCID reassembled for one side. */
static const struct quic_stream *rfc_stream(struct dissect_ctx *ctx, enum quic_side side)
{
	struct quic_reasm *r = quic_state_reasm(ctx->quic);
	struct pkt_meta m = quic_test_meta(0);
	struct quic_tuple t;
	struct quic_cid dcid = { .len = 8 }, key;
	struct quic_flow *f;

	if (!r)
		return NULL;
	memset(&t, 0, sizeof(t));
	t.ip_ver = 4;
	memcpy(t.client, m.src, 16);
	memcpy(t.server, m.dst, 16);
	t.client_port = m.sport;
	t.server_port = m.dport;
	memcpy(dcid.b, rfc_dcid, 8);
	f = quic_reasm_find_client(r, &t, &dcid, &key, NULL);
	return f ? &f->stream[side] : NULL;
}

/* A.2 + A.3 + A.4 through the dissector, for v1 (RFC 9001) or v2 (RFC 9369). */
static void test_dissect_rfc(const char *rfc, uint32_t version)
{
	static uint8_t frame[300], payload[200];
	struct dissect_ctx ctx = { .now_ns = 1 };
	struct dissect_result res;
	const struct quic_stream *s;
	char path[128], name[96];
	enum dissect_rc rc;

	snprintf(path, sizeof(path), TD "%s_a3_server_initial.hex", rfc);
	rc = dissect_hex(&ctx, path, 1, &res);
	snprintf(name, sizeof(name), "%s A.3 alone: recognised, not decryptable", rfc);
	CHECK(rc == DISSECT_OK && res.u.quic.pkt_type == QUIC_PT_INITIAL &&
	      !res.u.quic.decrypted, name);

	snprintf(path, sizeof(path), TD "%s_a2_client_initial.hex", rfc);
	rc = dissect_hex(&ctx, path, 0, &res);
	snprintf(name, sizeof(name), "%s A.2 dissect rc", rfc);
	CHECK_INT(rc, DISSECT_OK, name);
	snprintf(name, sizeof(name), "%s A.2 version", rfc);
	CHECK_INT(res.u.quic.version, version, name);
	snprintf(name, sizeof(name), "%s A.2 Initial type", rfc);
	CHECK_INT(res.u.quic.pkt_type, QUIC_PT_INITIAL, name);
	snprintf(name, sizeof(name), "%s A.2 DCID", rfc);
	CHECK(res.u.quic.dcid_len == 8 && memcmp(res.u.quic.dcid, rfc_dcid, 8) == 0, name);
	snprintf(name, sizeof(name), "%s A.2 decrypted", rfc);
	CHECK(res.u.quic.decrypted, name);
	load_hex(TD "rfc9001_a2_crypto_frame.hex", frame, sizeof(frame));
	s = rfc_stream(&ctx, QUIC_CLIENT);
	/* the CRYPTO frame header is 060040f1: offset 0, length 0xf1 = 241 */
	snprintf(name, sizeof(name), "%s A.2 CRYPTO stream == the RFC's ClientHello bytes", rfc);
	CHECK(s && s->prefix == 241 && memcmp(s->buf, frame + 4, 241) == 0, name);
	snprintf(name, sizeof(name), "%s A.2 ClientHello parsed", rfc);
	if (CHECK(res.u.quic.has_tls, name)) {
		snprintf(name, sizeof(name), "%s A.2 SNI", rfc);
		CHECK_STR(res.u.quic.tls.sni, "example.com", name);
		snprintf(name, sizeof(name), "%s A.2 ALPN", rfc);
		CHECK_STR(res.u.quic.tls.alpn, "alpn", name);
		snprintf(name, sizeof(name), "%s A.2 JA4 is a QUIC one", rfc);
		CHECK(res.u.quic.tls.ja4[0] == 'q', name);
	}

	snprintf(path, sizeof(path), TD "%s_a3_server_initial.hex", rfc);
	rc = dissect_hex(&ctx, path, 1, &res);
	snprintf(name, sizeof(name), "%s A.3 server Initial decrypted with the client DCID", rfc);
	CHECK(rc == DISSECT_OK && res.u.quic.decrypted && res.u.quic.scid_len == 8, name);
	load_hex(TD "rfc9001_a3_server_payload.hex", payload, sizeof(payload));
	s = rfc_stream(&ctx, QUIC_SERVER);
	/* payload = ACK 0200000000, then CRYPTO 0600405a: 90 bytes of ServerHello */
	snprintf(name, sizeof(name), "%s A.3 server CRYPTO stream == the RFC's ServerHello", rfc);
	CHECK(s && s->prefix == 90 && memcmp(s->buf, payload + 9, 90) == 0, name);
	snprintf(name, sizeof(name), "%s A.3 ServerHello reported", rfc);
	CHECK(res.u.quic.has_tls && res.u.quic.tls.msg == TLS_MSG_SERVER_HELLO, name);

	snprintf(path, sizeof(path), TD "%s_a4_retry.hex", rfc);
	rc = dissect_hex(&ctx, path, 1, &res);
	snprintf(name, sizeof(name), "%s A.4 Retry", rfc);
	CHECK(rc == DISSECT_OK && res.u.quic.pkt_type == QUIC_PT_RETRY && !res.u.quic.decrypted,
	      name);
	snprintf(name, sizeof(name), "%s A.4 Retry token length", rfc);
	CHECK_INT(res.u.quic.token_len, 5, name);	/* "token" */
	snprintf(name, sizeof(name), "%s A.4 Retry SCID", rfc);
	CHECK(res.u.quic.scid_len == 8 && res.u.quic.scid[0] == 0xf0 && res.u.quic.dcid_len == 0,
	      name);
	snprintf(name, sizeof(name), "%s A.4 Retry integrity tag verified", rfc);
	CHECK(res.u.quic.retry_verified, name);
	quic_state_free(ctx.quic);

	/* the same Retry with one bit flipped in the token: not verified, flow keys unchanged */
	{
		static uint8_t buf[64];
		struct dissect_ctx c2 = { .now_ns = 1 };
		struct pkt_meta m = quic_test_meta(1);
		long n;

		snprintf(path, sizeof(path), TD "%s_a2_client_initial.hex", rfc);
		dissect_hex(&c2, path, 0, &res);
		snprintf(path, sizeof(path), TD "%s_a4_retry.hex", rfc);
		n = load_hex(path, buf, sizeof(buf));
		buf[16] ^= 1;
		memset(&res, 0, sizeof(res));
		dissector_quic.dissect(&c2, &m, cur_init(buf, (size_t)n), &res);
		snprintf(name, sizeof(name), "%s A.4 forged Retry rejected", rfc);
		CHECK(res.u.quic.pkt_type == QUIC_PT_RETRY && !res.u.quic.retry_verified, name);
		snprintf(path, sizeof(path), TD "%s_a3_server_initial.hex", rfc);
		dissect_hex(&c2, path, 1, &res);
		snprintf(name, sizeof(name), "%s A.3 after a forged Retry: same keys", rfc);
		CHECK(res.u.quic.decrypted, name);
		quic_state_free(c2.quic);
	}
}

/* udp_len: the UDP payload length base.c would announce (0: unknown). */
static enum dissect_rc dissect_udp(const uint8_t *b, size_t n, uint32_t udp_len,
				   struct dissect_result *res)
{
	struct dissect_ctx ctx = { 0 };
	struct pkt_meta m = quic_test_meta(0);
	enum dissect_rc rc;

	m.payload_len = udp_len;
	memset(res, 0, sizeof(*res));
	rc = dissector_quic.dissect(&ctx, &m, cur_init(b, n), res);
	quic_state_free(ctx.quic);
	return rc;
}

static enum dissect_rc dissect_bytes(const uint8_t *b, size_t n, struct dissect_result *res)
{
	struct dissect_ctx ctx = { 0 };
	struct pkt_meta m = quic_test_meta(0);
	enum dissect_rc rc;

	memset(res, 0, sizeof(*res));
	rc = dissector_quic.dissect(&ctx, &m, cur_init(b, n), res);
	quic_state_free(ctx.quic);
	return rc;
}

static void test_headers(void)
{
	/* Version Negotiation: version 0, DCID 1 byte, SCID 2 bytes, versions v1 and v2 */
	static const uint8_t vn[] = { 0x80, 0, 0, 0, 0, 1, 0xaa, 2, 0xbb, 0xcc,
				      0, 0, 0, 1, 0x6b, 0x33, 0x43, 0xcf };
	static const uint8_t long_dcid[] = { 0xc0, 0, 0, 0, 1, 21 };
	static const uint8_t no_fixed[] = { 0x80, 0, 0, 0, 1, 0, 0, 0, 0x41, 0 };
	static const uint8_t unknown_ver[] = { 0xc0, 0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0x41, 0 };
	static const uint8_t short_hdr[] = { 0x40, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
	static const uint8_t cut_initial[] = { 0xc0, 0, 0, 0, 1, 8, 1, 2 };
	/* Handshake packet with an empty Length: nothing to decrypt, still a QUIC packet */
	static const uint8_t handshake[] = { 0xe0, 0, 0, 0, 1, 1, 9, 1, 8, 0 };
	struct dissect_result res;

	CHECK_INT(dissect_bytes(vn, sizeof(vn), &res), DISSECT_OK, "VN recognised");
	CHECK(res.u.quic.pkt_type == QUIC_PT_VN && res.u.quic.n_versions == 2 &&
	      res.u.quic.versions[0] == QUIC_V1 && res.u.quic.versions[1] == QUIC_V2 &&
	      res.u.quic.scid_len == 2, "VN versions listed");
	CHECK_INT(dissect_bytes(vn, sizeof(vn) - 1, &res), DISSECT_NOT_MINE,
		  "VN with a ragged version list is not QUIC");
	CHECK_INT(dissect_bytes(long_dcid, sizeof(long_dcid), &res), DISSECT_INVALID,
		  "DCID length 21 is invalid");
	CHECK_INT(dissect_bytes(no_fixed, sizeof(no_fixed), &res), DISSECT_NOT_MINE,
		  "fixed bit 0 is not QUIC");
	CHECK_INT(dissect_bytes(unknown_ver, sizeof(unknown_ver), &res), DISSECT_NOT_MINE,
		  "unknown version is not claimed");
	CHECK_INT(dissect_bytes(short_hdr, sizeof(short_hdr), &res), DISSECT_NOT_MINE,
		  "short header is not claimed");
	CHECK_INT(dissect_bytes(cut_initial, sizeof(cut_initial), &res), DISSECT_TRUNCATED,
		  "cut Initial header is truncated");
	CHECK_INT(dissect_bytes(handshake, sizeof(handshake), &res), DISSECT_OK,
		  "Handshake packet recognised");
	CHECK_INT(res.u.quic.pkt_type, QUIC_PT_HANDSHAKE, "Handshake packet type");
	/* Initial whose Length (0x40 0x64 = 100) runs past its datagram */
	{
		static const uint8_t lying[] = { 0xc0, 0, 0, 0, 1, 1, 9, 0, 0, 0x40, 0x64,
						 1, 2, 3 };

		CHECK_INT(dissect_udp(lying, sizeof(lying), sizeof(lying), &res), DISSECT_INVALID,
			  "Length past a whole datagram is invalid");
		CHECK_INT(dissect_udp(lying, sizeof(lying), 200, &res), DISSECT_TRUNCATED,
			  "Length past a cut datagram is truncated");
	}
}

int main(void)
{
	test_keys();
	test_a2_steps();
	test_dissect_rfc("rfc9001", QUIC_V1);
	test_dissect_rfc("rfc9369", QUIC_V2);
	test_headers();
	return CHECK_EXIT();
}
