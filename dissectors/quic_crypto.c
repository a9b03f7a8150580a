// SPDX-License-Identifier: BSD-3-Clause
/* QUIC Initial packet protection with libcrypto: HKDF-SHA256, AES-128-ECB header protection,
 * AES-128-GCM payload protection.
 * specification: RFC 9001 §5.2-§5.4, RFC 8446 §7.1 (HKDF-Expand-Label), RFC 5869 (HKDF),
 * RFC 9369 §3.3 (QUIC v2), draft-ietf-quic-tls-23 and -29 §5.2 (draft salts) */
#include "quic_crypto.h"
#include "tls13_kdf.h"
#include "dissect.h"

#include <stdio.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

static const uint8_t salt_v1[20] = {	/* RFC 9001 §5.2; also drafts 33 and 34 */
	0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
	0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a,
};
static const uint8_t salt_v2[20] = {	/* RFC 9369 §3.3.1 */
	0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93,
	0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9,
};
static const uint8_t salt_d29[20] = {	/* draft-ietf-quic-tls-29..32 */
	0xaf, 0xbf, 0xec, 0x28, 0x99, 0x93, 0xd2, 0x4c, 0x9e, 0x97,
	0x86, 0xf1, 0x9c, 0x61, 0x11, 0xe0, 0x43, 0x90, 0xa8, 0x99,
};
static const uint8_t salt_d23[20] = {	/* draft-ietf-quic-tls-23..28 */
	0xc3, 0xee, 0xf7, 0x12, 0xc7, 0x2e, 0xbb, 0x5a, 0x11, 0xa7,
	0xd2, 0x43, 0x2b, 0xb4, 0x63, 0x65, 0xbe, 0xf9, 0xf5, 0x02,
};

/* Retry integrity keys and nonces: RFC 9001 §5.8, RFC 9369 §3.3.3, draft-ietf-quic-tls-29 */
static const uint8_t retry_key_v1[16] = {
	0xbe, 0x0c, 0x69, 0x0b, 0x9f, 0x66, 0x57, 0x5a,
	0x1d, 0x76, 0x6b, 0x54, 0xe3, 0x68, 0xc8, 0x4e,
};
static const uint8_t retry_nonce_v1[12] = {
	0x46, 0x15, 0x99, 0xd3, 0x5d, 0x63, 0x2b, 0xf2, 0x23, 0x98, 0x25, 0xbb,
};
static const uint8_t retry_key_v2[16] = {
	0x8f, 0xb4, 0xb0, 0x1b, 0x56, 0xac, 0x48, 0xe2,
	0x60, 0xfb, 0xcb, 0xce, 0xad, 0x7c, 0xcc, 0x92,
};
static const uint8_t retry_nonce_v2[12] = {
	0xd8, 0x69, 0x69, 0xbc, 0x2d, 0x7c, 0x6d, 0x99, 0x90, 0xef, 0xb0, 0x4a,
};
static const uint8_t retry_key_d29[16] = {
	0xcc, 0xce, 0x18, 0x7e, 0xd0, 0x9a, 0x09, 0xd0,
	0x57, 0x28, 0x15, 0x5a, 0x6c, 0xb9, 0x6b, 0xe1,
};
static const uint8_t retry_nonce_d29[12] = {
	0xe5, 0x49, 0x30, 0xf9, 0x7f, 0x21, 0x36, 0xf0, 0x53, 0x0a, 0x8c, 0x1c,
};

/* v1 and the drafts number the long-header types Initial 0, 0-RTT 1, Handshake 2, Retry 3;
 * v2 rotates them to Initial 1, 0-RTT 2, Handshake 3, Retry 0 (RFC 9369 §3.2). */
static const struct quic_version v1 = {
	QUIC_V1, salt_v1, "quic", { 0, 1, 2, 3 }, retry_key_v1, retry_nonce_v1
};
static const struct quic_version v2 = {
	QUIC_V2, salt_v2, "quicv2", { 1, 2, 3, 0 }, retry_key_v2, retry_nonce_v2
};

const struct quic_version *quic_version_lookup(uint32_t version)
{
	/* Draft versions are 0xff0000NN; each shares v1's layout, only the salt differs. */
	static const struct quic_version drafts[] = {
		{ 0xff000017, salt_d23, "quic", { 0, 1, 2, 3 }, NULL, NULL },
		{ 0xff000018, salt_d23, "quic", { 0, 1, 2, 3 }, NULL, NULL },
		{ 0xff000019, salt_d23, "quic", { 0, 1, 2, 3 }, NULL, NULL },
		{ 0xff00001a, salt_d23, "quic", { 0, 1, 2, 3 }, NULL, NULL },
		{ 0xff00001b, salt_d23, "quic", { 0, 1, 2, 3 }, NULL, NULL },
		{ 0xff00001c, salt_d23, "quic", { 0, 1, 2, 3 }, NULL, NULL },
		{ 0xff00001d, salt_d29, "quic", { 0, 1, 2, 3 }, retry_key_d29, retry_nonce_d29 },
		{ 0xff00001e, salt_d29, "quic", { 0, 1, 2, 3 }, retry_key_d29, retry_nonce_d29 },
		{ 0xff00001f, salt_d29, "quic", { 0, 1, 2, 3 }, retry_key_d29, retry_nonce_d29 },
		{ 0xff000020, salt_d29, "quic", { 0, 1, 2, 3 }, retry_key_d29, retry_nonce_d29 },
		{ 0xff000021, salt_v1, "quic", { 0, 1, 2, 3 }, retry_key_v1, retry_nonce_v1 },
		{ 0xff000022, salt_v1, "quic", { 0, 1, 2, 3 }, retry_key_v1, retry_nonce_v1 },
	};

	if (version == QUIC_V1)
		return &v1;
	if (version == QUIC_V2)
		return &v2;
	for (size_t i = 0; i < sizeof(drafts) / sizeof(drafts[0]); i++)
		if (drafts[i].version == version)
			return &drafts[i];
	return NULL;
}

uint8_t quic_version_pkt_type(const struct quic_version *v, uint8_t type_bits)
{
	for (uint8_t pt = 0; pt < 4; pt++)
		if (v->wire_type[pt] == (type_bits & 3))
			return pt;	/* QUIC_PT_INITIAL .. QUIC_PT_RETRY */
	return QUIC_PT_INITIAL;		/* unreachable: the table is a permutation of 0..3 */
}

static int hmac_sha256(const uint8_t *key, size_t key_len, const uint8_t *msg, size_t msg_len,
		       uint8_t out[32])
{
	unsigned int len = 32;

	if (!HMAC(EVP_sha256(), key, (int)key_len, msg, msg_len, out, &len) || len != 32)
		return -1;
	return 0;
}

int quic_hkdf_expand_label(const uint8_t secret[32], const char *label, uint8_t *out,
			   size_t out_len)
{
	return tls13_expand_label(secret, 32, label, NULL, 0, out, out_len);
}

int quic_initial_secret(const struct quic_version *v, const uint8_t *dcid, size_t dcid_len,
			enum quic_side side, uint8_t secret[32])
{
	uint8_t initial[32];

	/* HKDF-Extract(salt, IKM) = HMAC(salt, IKM) */
	if (hmac_sha256(v->salt, 20, dcid, dcid_len, initial))
		return -1;
	return quic_hkdf_expand_label(initial, side == QUIC_CLIENT ? "client in" : "server in",
				      secret, 32);
}

int quic_keys_from_secret(const struct quic_version *v, const uint8_t secret[32],
			  struct quic_keys *k)
{
	char label[16];

	snprintf(label, sizeof(label), "%s key", v->label_prefix);
	if (quic_hkdf_expand_label(secret, label, k->key, sizeof(k->key)))
		return -1;
	snprintf(label, sizeof(label), "%s iv", v->label_prefix);
	if (quic_hkdf_expand_label(secret, label, k->iv, sizeof(k->iv)))
		return -1;
	snprintf(label, sizeof(label), "%s hp", v->label_prefix);
	return quic_hkdf_expand_label(secret, label, k->hp, sizeof(k->hp));
}

int quic_initial_keys(const struct quic_version *v, const uint8_t *dcid, size_t dcid_len,
		      enum quic_side side, struct quic_keys *k)
{
	uint8_t secret[32];

	if (quic_initial_secret(v, dcid, dcid_len, side, secret))
		return -1;
	return quic_keys_from_secret(v, secret, k);
}

int quic_hp_mask(const uint8_t hp[16], const uint8_t sample[QUIC_SAMPLE_LEN], uint8_t mask[5])
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	uint8_t block[QUIC_SAMPLE_LEN];
	int len = 0, rc = -1;

	if (!ctx)
		return -1;
	if (EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), NULL, hp, NULL) == 1 &&
	    EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
	    EVP_EncryptUpdate(ctx, block, &len, sample, QUIC_SAMPLE_LEN) == 1 &&
	    len == QUIC_SAMPLE_LEN) {
		memcpy(mask, block, 5);
		rc = 0;
	}
	EVP_CIPHER_CTX_free(ctx);
	return rc;
}

int quic_aead_open(const struct quic_keys *k, uint64_t pn, const uint8_t *aad, size_t aad_len,
		   const uint8_t *ct, size_t ct_len, uint8_t *out)
{
	EVP_CIPHER_CTX *ctx;
	uint8_t nonce[12], tag[QUIC_TAG_LEN];
	int len = 0, fin = 0, rc = -1;
	size_t body;

	if (ct_len < QUIC_TAG_LEN || ct_len - QUIC_TAG_LEN > INT32_MAX || aad_len > INT32_MAX)
		return -1;
	body = ct_len - QUIC_TAG_LEN;
	/* nonce = iv XOR the packet number left-padded to 12 bytes */
	memcpy(nonce, k->iv, sizeof(nonce));
	for (int i = 0; i < 8; i++)
		nonce[11 - i] ^= (uint8_t)(pn >> (8 * i));
	memcpy(tag, ct + body, QUIC_TAG_LEN);

	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return -1;
	if (EVP_DecryptInit_ex(ctx, EVP_aes_128_gcm(), NULL, NULL, NULL) == 1 &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, sizeof(nonce), NULL) == 1 &&
	    EVP_DecryptInit_ex(ctx, NULL, NULL, k->key, nonce) == 1 &&
	    EVP_DecryptUpdate(ctx, NULL, &len, aad, (int)aad_len) == 1 &&
	    EVP_DecryptUpdate(ctx, out, &len, ct, (int)body) == 1 &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, QUIC_TAG_LEN, tag) == 1 &&
	    EVP_DecryptFinal_ex(ctx, out + len, &fin) == 1)
		rc = len + fin;
	EVP_CIPHER_CTX_free(ctx);
	return rc;
}

int quic_retry_verify(const struct quic_version *v, const uint8_t *odcid, size_t odcid_len,
		      const uint8_t *retry, size_t retry_len)
{
	/* Retry Pseudo-Packet { ODCID Length (8), Original Destination Connection ID (0..160),
	 * the Retry packet up to its tag }; the tag is GCM over it with an empty plaintext */
	uint8_t pseudo[1 + QUIC_CID_MAX + 2048];
	struct quic_keys k;
	size_t body;

	if (!v->retry_key)
		return -1;
	if (odcid_len > QUIC_CID_MAX || retry_len < QUIC_TAG_LEN ||
	    retry_len - QUIC_TAG_LEN > sizeof(pseudo) - 1 - QUIC_CID_MAX)
		return 0;
	body = retry_len - QUIC_TAG_LEN;
	pseudo[0] = (uint8_t)odcid_len;
	memcpy(pseudo + 1, odcid, odcid_len);
	memcpy(pseudo + 1 + odcid_len, retry, body);
	memcpy(k.key, v->retry_key, sizeof(k.key));
	memcpy(k.iv, v->retry_nonce, sizeof(k.iv));
	/* packet number 0 leaves the nonce as it is */
	return quic_aead_open(&k, 0, pseudo, 1 + odcid_len + body, retry + body, QUIC_TAG_LEN,
			      pseudo) == 0 ? 1 : 0;
}
