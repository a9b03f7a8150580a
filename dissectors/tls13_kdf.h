// SPDX-License-Identifier: BSD-3-Clause
/* TLS 1.3 key schedule step shared by the QUIC Initial keys and the --tls-keys handshake
 * secrets. */
#ifndef PROCAP_TLS13_KDF_H
#define PROCAP_TLS13_KDF_H

#include <stddef.h>
#include <stdint.h>

/* HKDF-Expand-Label (RFC 8446 §7.1) of secret (hash_len bytes: 32 = SHA-256, 48 = SHA-384)
 * with label ("tls13 " is prepended) and context ctx[0..ctx_len), out_len <= hash_len bytes
 * into out. 0, or -1 for other lengths or a libcrypto failure. */
int tls13_expand_label(const uint8_t *secret, size_t hash_len, const char *label,
		       const uint8_t *ctx, size_t ctx_len, uint8_t *out, size_t out_len);

#endif
