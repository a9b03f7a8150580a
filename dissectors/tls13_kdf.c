// SPDX-License-Identifier: BSD-3-Clause
/* HKDF-Expand-Label. specification: RFC 8446 §7.1 (HkdfLabel), RFC 5869 §2.3 (HKDF-Expand). */
#include <string.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "tls13_kdf.h"

int tls13_expand_label(const uint8_t *secret, size_t hash_len, const char *label,
		       const uint8_t *ctx, size_t ctx_len, uint8_t *out, size_t out_len)
{
	const EVP_MD *md = hash_len == 32 ? EVP_sha256() : hash_len == 48 ? EVP_sha384() : NULL;
	/* HkdfLabel = uint16 length, opaque label<7..255> = "tls13 " + label, context<0..255>;
	 * one HKDF-Expand block T(1) = HMAC(secret, HkdfLabel || 0x01) covers out_len <= hash_len */
	uint8_t info[2 + 1 + 255 + 1 + 255 + 1], t[EVP_MAX_MD_SIZE];
	size_t label_len = strlen(label), n = 0;
	unsigned int t_len = 0;

	if (!md || out_len > hash_len || 6 + label_len > 255 || ctx_len > 255)
		return -1;
	info[n++] = (uint8_t)(out_len >> 8);
	info[n++] = (uint8_t)out_len;
	info[n++] = (uint8_t)(6 + label_len);
	memcpy(info + n, "tls13 ", 6);
	n += 6;
	memcpy(info + n, label, label_len);
	n += label_len;
	info[n++] = (uint8_t)ctx_len;
	if (ctx_len)
		memcpy(info + n, ctx, ctx_len);
	n += ctx_len;
	info[n++] = 1;		/* block counter */
	if (!HMAC(md, secret, (int)hash_len, info, n, t, &t_len) || t_len != hash_len)
		return -1;
	memcpy(out, t, out_len);
	return 0;
}
