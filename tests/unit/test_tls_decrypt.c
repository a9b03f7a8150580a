// SPDX-License-Identifier: BSD-3-Clause
/* TLS record protection against published vectors: the TLS 1.2 PRF (the P_SHA256 and
 * P_SHA384 vectors of the IETF TLS working group list, msg03416), and RFC 8448 §3 (simple
 * 1-RTT handshake): the application traffic keys derived from its traffic secrets, its
 * client application data record (sequence 0), its server application data record (sequence
 * 1, after the NewSessionTicket) and its client close_notify alert (sequence 1) opened to the
 * RFC's plaintexts; a wrong sequence number or a flipped bit fails. Then the key log store:
 * NSS lines in, secrets out by client random; malformed lines ignored. */
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "check.h"
#include "tls_decrypt.h"

static size_t unhex(const char *s, uint8_t *out)
{
	size_t n = 0;
	unsigned v;

	for (; s[0] && s[1]; s += 2) {
		sscanf(s, "%2x", &v);
		out[n++] = (uint8_t)v;
	}
	return n;
}

static bool eq_hex(const uint8_t *b, size_t n, const char *hex)
{
	uint8_t want[256];

	return unhex(hex, want) == n && !memcmp(b, want, n);
}

static void test_prf(void)
{
	uint8_t secret[16], seed[16], out[148];

	unhex("9bbe436ba940f017b17652849a71db35", secret);
	unhex("a0ba9f936cda311827a6f796ffd5198c", seed);
	CHECK_INT(tlsd_prf12(32, secret, 16, "test label", seed, 16, out, 100), 0, "prf12_sha256_runs");
	CHECK(eq_hex(out, 100, "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a"
			       "6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab"
			       "4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff701"
			       "87347b66"), "prf12_sha256_vector");
	unhex("b80b733d6ceefcdc71566ea48e5567df", secret);
	unhex("cd665cf6a8447dd6ff8b27555edb7465", seed);
	CHECK_INT(tlsd_prf12(48, secret, 16, "test label", seed, 16, out, 148), 0, "prf12_sha384_runs");
	/* the vector's first 99 of 148 bytes (P_hash output is a stream: a prefix is valid) */
	CHECK(eq_hex(out, 99, "7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cd"
			       "e9ca0faa60be9fe34f82b1233c9146a0e534cb400fed2700884f9dc236f80edd"
			       "8bfa961144c9e8d792eca722a7b32fc3d416d473ebc2c5fd4abfdad05d918425"
			       "9b5bf8"), "prf12_sha384_vector");
}

static const char *plain_0_31 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
				"202122232425262728292a2b2c2d2e2f3031";

/* Opens hex record rec with k at seq; returns the plaintext length (-1: refused). */
static long open_hex(EVP_CIPHER_CTX *c, const struct tlsd_keys *k, uint64_t seq, const char *rec,
		     uint8_t *out, uint8_t *type, int flip)
{
	uint8_t r[256];
	size_t n = unhex(rec, r);

	if (flip >= 0)
		r[flip] ^= 1;
	return tlsd_open((struct evp_cipher_ctx_st *)c, k, seq, r, r + 5, n - 5, out, type);
}

static void test_rfc8448(void)
{
	static const char *client_rec =
		"1703030043a23f7054b62c94d0affafe8228ba55cbefacea42f914aa66bcab3f2b9819a8a5b46b395b"
		"d54a9a20441e2b62974e1f5a6292a2977014bd1e3deae63aeebb21694915e4";
	static const char *server_rec =
		"17030300432e937e11ef4ac740e538ad36005fc4a46932fc3225d05f82aa1b36e30efaf97d90e6dffc"
		"602dcb501a59a8fcc49c4bf2e5f0a21c0047c2abf332540dd032e167c2955d";
	static const char *client_alert = "1703030013c9872760655666b74d7ff1153efd6db6d0b0e3";
	const struct tlsd_suite *suite = tlsd_suite(0x1301);
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	uint8_t secret[32], out[256], type = 0;
	struct tlsd_keys ck, sk;
	long n;

	if (!CHECK(suite && c, "rfc8448_setup"))
		return;
	unhex("9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5", secret);
	CHECK_INT(tlsd_keys_tls13(&ck, suite, secret), 0, "rfc8448_client_keys_derive");
	CHECK(eq_hex(ck.key, 16, "17422dda596ed5d9acd890e3c63f5051"), "rfc8448_client_app_key");
	CHECK(eq_hex(ck.iv, 12, "5b78923dee08579033e523d9"), "rfc8448_client_app_iv");
	unhex("a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643", secret);
	CHECK_INT(tlsd_keys_tls13(&sk, suite, secret), 0, "rfc8448_server_keys_derive");
	CHECK(eq_hex(sk.key, 16, "9f02283b6c9c07efc26bb9f2ac92e356"), "rfc8448_server_app_key");
	CHECK(eq_hex(sk.iv, 12, "cf782b88dd83549aadf1e984"), "rfc8448_server_app_iv");

	n = open_hex(c, &ck, 0, client_rec, out, &type, -1);
	CHECK(n == 50 && eq_hex(out, 50, plain_0_31) && type == 23, "rfc8448_client_record_opens");
	n = open_hex(c, &sk, 1, server_rec, out, &type, -1);
	CHECK(n == 50 && eq_hex(out, 50, plain_0_31) && type == 23, "rfc8448_server_record_opens");
	n = open_hex(c, &ck, 1, client_alert, out, &type, -1);
	CHECK(n == 2 && out[0] == 1 && out[1] == 0 && type == 21, "rfc8448_client_alert_opens");
	CHECK_INT(open_hex(c, &ck, 1, client_rec, out, &type, -1), -1, "rfc8448_wrong_seq_refused");
	CHECK_INT(open_hex(c, &ck, 0, client_rec, out, &type, 20), -1, "rfc8448_flipped_bit_refused");
	CHECK_INT(open_hex(c, &ck, 0, client_rec, out, &type, 3), -1, "rfc8448_header_is_aad");
	CHECK_INT(open_hex(c, &sk, 0, client_rec, out, &type, -1), -1, "rfc8448_other_side_refused");
	/* KeyUpdate: the next secret differs and the old record no longer opens under it */
	struct tlsd_keys next = ck;
	CHECK_INT(tlsd_keys_update(&next), 0, "key_update_derives");
	CHECK(memcmp(next.key, ck.key, 16) != 0, "key_update_changes_key");
	EVP_CIPHER_CTX_free(c);
}

static void test_keystore(void)
{
	struct tlsd_keystore *ks = tlsd_keystore_new();
	char text[1024];
	uint8_t r1[32], r2[32];
	const struct tlsd_secrets *s;

	memset(r1, 0x11, 32);
	memset(r2, 0x22, 32);
	snprintf(text, sizeof(text),
		 "# comment\n"
		 "CLIENT_RANDOM %s %s\n"
		 "CLIENT_TRAFFIC_SECRET_0 %s %s\n"
		 "SERVER_TRAFFIC_SECRET_0 %s %s\n"
		 "CLIENT_HANDSHAKE_TRAFFIC_SECRET %s %s\n"
		 "CLIENT_RANDOM %s 00\n"
		 "partial line without newline",
		 "1111111111111111111111111111111111111111111111111111111111111111",
		 "abababababababababababababababababababababababababababababababababababababababababababababababab",
		 "2222222222222222222222222222222222222222222222222222222222222222",
		 "0101010101010101010101010101010101010101010101010101010101010101",
		 "2222222222222222222222222222222222222222222222222222222222222222",
		 "0202020202020202020202020202020202020202020202020202020202020202",
		 "2222222222222222222222222222222222222222222222222222222222222222",
		 "0303030303030303030303030303030303030303030303030303030303030303",
		 "3333333333333333333333333333333333333333333333333333333333333333");
	CHECK_INT(tlsd_keystore_add(ks, text, strlen(text)), 3, "keystore_lines_taken");
	s = tlsd_keystore_find(ks, r1);
	CHECK(s && s->have == TLSD_HAVE_MASTER && s->master[47] == 0xab, "keystore_master");
	s = tlsd_keystore_find(ks, r2);
	CHECK(s && s->have == (TLSD_HAVE_CLIENT_TS | TLSD_HAVE_SERVER_TS) && s->ts_len == 32 &&
	      s->client_ts[0] == 1 && s->server_ts[31] == 2, "keystore_traffic_secrets");
	memset(r2, 0x33, 32);
	CHECK(tlsd_keystore_find(ks, r2) == NULL, "keystore_bad_line_ignored");
	tlsd_keystore_free(ks);
}

int main(void)
{
	test_prf();
	test_rfc8448();
	test_keystore();
	return CHECK_EXIT();
}
