// SPDX-License-Identifier: BSD-3-Clause
/* QUIC Initial packet protection: version parameters, Initial key derivation, header
 * protection mask and AEAD_AES_128_GCM payload decryption (libcrypto).
 * specification: RFC 9001 §5.2 (Initial secrets), §5.3 (AEAD), §5.4 (header protection);
 * RFC 9369 §3.3 (QUIC v2 salt and labels); draft-ietf-quic-tls-23..32 (draft salts) */
#ifndef PROCAP_QUIC_CRYPTO_H
#define PROCAP_QUIC_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define QUIC_V1		0x00000001u
#define QUIC_V2		0x6b3343cfu
#define QUIC_CID_MAX	20
#define QUIC_TAG_LEN	16
#define QUIC_SAMPLE_LEN	16

/* What differs between the versions we can decrypt: the Initial salt, the HKDF label prefix
 * ("quic " or "quicv2 ") and the long-header type numbering. */
struct quic_version {
	uint32_t version;
	const uint8_t *salt;		/* 20 bytes */
	const char *label_prefix;	/* "quic" or "quicv2" */
	uint8_t wire_type[4];		/* type bits of QUIC_PT_INITIAL, 0RTT, HANDSHAKE, RETRY */
	const uint8_t *retry_key;	/* 16 bytes, NULL if we do not know it */
	const uint8_t *retry_nonce;	/* 12 bytes */
};

/* The parameters of a version we know, or NULL. */
const struct quic_version *quic_version_lookup(uint32_t version);

/* Maps the 2 long-header type bits to the version-independent QUIC_PT_* numbering. */
uint8_t quic_version_pkt_type(const struct quic_version *v, uint8_t type_bits);

struct quic_keys {
	uint8_t key[16];
	uint8_t iv[12];
	uint8_t hp[16];
};

enum quic_side { QUIC_CLIENT = 0, QUIC_SERVER = 1 };

/* HKDF-Expand-Label of RFC 8446 §7.1 with an empty context; out_len <= 32. */
int quic_hkdf_expand_label(const uint8_t secret[32], const char *label, uint8_t *out,
			   size_t out_len);

/* The client or server Initial secret (RFC 9001 §5.2) for the client's first DCID. */
int quic_initial_secret(const struct quic_version *v, const uint8_t *dcid, size_t dcid_len,
			enum quic_side side, uint8_t secret[32]);

/* key, iv and hp from a traffic secret with the version's labels. */
int quic_keys_from_secret(const struct quic_version *v, const uint8_t secret[32],
			  struct quic_keys *k);

/* Both steps: Initial keys for one side. Returns 0 or -1 (libcrypto failure). */
int quic_initial_keys(const struct quic_version *v, const uint8_t *dcid, size_t dcid_len,
		      enum quic_side side, struct quic_keys *k);

/* AES-128-ECB(hp, sample)[0..4] (RFC 9001 §5.4.3). */
int quic_hp_mask(const uint8_t hp[16], const uint8_t sample[QUIC_SAMPLE_LEN], uint8_t mask[5]);

/* AEAD_AES_128_GCM open with nonce = iv XOR pn (RFC 9001 §5.3). ct_len includes the 16-byte
 * tag. Writes ct_len - 16 bytes to out. Returns the plaintext length, -1 on a bad tag. */
int quic_aead_open(const struct quic_keys *k, uint64_t pn, const uint8_t *aad, size_t aad_len,
		   const uint8_t *ct, size_t ct_len, uint8_t *out);

/* Retry Integrity Tag check (RFC 9001 §5.8): AES-128-GCM over the Retry pseudo-packet (the
 * client's DCID, then the Retry without its tag). Returns 1 valid, 0 invalid, -1 when the
 * version's Retry key is unknown. */
int quic_retry_verify(const struct quic_version *v, const uint8_t *odcid, size_t odcid_len,
		      const uint8_t *retry, size_t retry_len);

#endif
