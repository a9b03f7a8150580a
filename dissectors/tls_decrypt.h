// SPDX-License-Identifier: BSD-3-Clause
/* TLS record protection for live decryption (dissectors/tls_flow.c): the secrets of NSS key
 * log lines kept by client random, the TLS 1.2 and 1.3 key schedules down to a record key and
 * IV, and AEAD record opening (AES-128/256-GCM, ChaCha20-Poly1305) with libcrypto.
 * specification: RFC 5246 §5 (PRF), §6.2.3.3 (AEAD records), §6.3 (key block); RFC 5288 §3
 * (GCM nonce: 4-byte salt + 8-byte explicit nonce); RFC 7905 §2 (ChaCha20-Poly1305 nonce);
 * RFC 8446 §5.2 (TLSInnerPlaintext), §5.3 (per-record nonce), §7.1 (traffic keys), §7.2
 * (key update); draft-ietf-tls-keylogfile (NSS key log labels). */
#ifndef PROCAP_TLS_DECRYPT_H
#define PROCAP_TLS_DECRYPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TLSD_RANDOM_LEN		32
#define TLSD_SECRET_MAX		48
#define TLSD_TAG_LEN		16
#define TLSD_KEYSTORE_SLOTS	4096	/* connections whose secrets are kept (the oldest go) */

enum { TLSD_HAVE_MASTER = 1, TLSD_HAVE_CLIENT_TS = 2, TLSD_HAVE_SERVER_TS = 4 };

/* One connection's secrets, by its client random. */
struct tlsd_secrets {
	uint8_t random[TLSD_RANDOM_LEN];
	uint8_t have;				/* TLSD_HAVE_* */
	uint8_t ts_len;				/* traffic secrets: 32 or 48 */
	uint8_t master[48];			/* TLS 1.2 CLIENT_RANDOM */
	uint8_t client_ts[TLSD_SECRET_MAX];	/* TLS 1.3 CLIENT_TRAFFIC_SECRET_0 */
	uint8_t server_ts[TLSD_SECRET_MAX];	/* TLS 1.3 SERVER_TRAFFIC_SECRET_0 */
};

struct tlsd_keystore;

/* n bytes from the 2n hex digits at s (either case); false on any other character. */
bool tlsd_unhex(const char *s, size_t n, uint8_t *out);

struct tlsd_keystore *tlsd_keystore_new(void);
void tlsd_keystore_free(struct tlsd_keystore *ks);

/* Takes the complete lines of NSS key log text (others, comments and labels not used for
 * application data are ignored). Returns the number of lines taken. */
int tlsd_keystore_add(struct tlsd_keystore *ks, const char *text, size_t len);

/* The secrets known for a client random, NULL if none. */
const struct tlsd_secrets *tlsd_keystore_find(const struct tlsd_keystore *ks,
					      const uint8_t random[TLSD_RANDOM_LEN]);

/* A cipher suite we can decrypt (TLS 1.3: 0x1301-0x1303; TLS 1.2: the ECDHE/DHE/RSA AES-GCM
 * and ChaCha20-Poly1305 suites), NULL for any other. */
struct tlsd_suite {
	uint16_t id;
	uint8_t key_len;			/* 16 or 32 */
	uint8_t hash_len;			/* PRF / HKDF hash: 32 SHA-256, 48 SHA-384 */
	bool chacha;				/* ChaCha20-Poly1305, else AES-GCM */
};
const struct tlsd_suite *tlsd_suite(uint16_t id);

/* One direction's record protection. */
struct tlsd_keys {
	const struct tlsd_suite *suite;
	bool tls13;
	uint8_t key[32];
	uint8_t iv[12];				/* TLS 1.2 GCM: only the 4-byte salt is used */
	uint8_t secret[TLSD_SECRET_MAX];	/* TLS 1.3: the traffic secret (for KeyUpdate) */
};

/* TLS 1.3 keys from a traffic secret (suite->hash_len bytes). 0 or -1. */
int tlsd_keys_tls13(struct tlsd_keys *k, const struct tlsd_suite *suite, const uint8_t *secret);

/* TLS 1.3 KeyUpdate: the next traffic secret and its keys. 0 or -1. */
int tlsd_keys_update(struct tlsd_keys *k);

/* The TLS 1.2 PRF (RFC 5246 §5) with SHA-256 (hash_len 32) or SHA-384 (48): out_len bytes
 * of PRF(secret, label, seed); label and seed together at most 128 bytes. 0 or -1. */
int tlsd_prf12(size_t hash_len, const uint8_t *secret, size_t secret_len, const char *label,
	       const uint8_t *seed, size_t seed_len, uint8_t *out, size_t out_len);

/* TLS 1.2 keys of one side (client: the client_write key and IV) from the master secret and
 * the two randoms. 0 or -1. */
int tlsd_keys_tls12(struct tlsd_keys *k, const struct tlsd_suite *suite,
		    const uint8_t master[48], const uint8_t client_random[TLSD_RANDOM_LEN],
		    const uint8_t server_random[TLSD_RANDOM_LEN], bool client);

struct evp_cipher_ctx_st;

/* Opens one protected record: hdr is its 5-byte header, body its fragment. out needs
 * body_len bytes. TLS 1.3: the inner content type goes to *type and the padding is removed.
 * Returns the plaintext length, or -1 (bad tag, wrong length). cctx: a reusable
 * EVP_CIPHER_CTX. */
long tlsd_open(struct evp_cipher_ctx_st *cctx, const struct tlsd_keys *k, uint64_t seq,
	       const uint8_t hdr[5], const uint8_t *body, size_t body_len, uint8_t *out,
	       uint8_t *type);

#endif
