// SPDX-License-Identifier: BSD-3-Clause
/* JA4 TLS client fingerprint: a pure function of a parsed ClientHello.
 * specification: FoxIO technical_details/JA4.md (JA4 algorithm, "Raw Output" for JA4_r).
 *
 * JA4 (TLS client fingerprinting) is licensed by FoxIO under the BSD 3-Clause licence:
 *   Copyright (c) 2026 FoxIO. All rights reserved. Software: JA4 (TLS client fingerprinting).
 *   Redistribution and use in source and binary forms, with or without modification, are
 *   permitted provided that the conditions of the licence are met; the full text, including
 *   its disclaimer, is in testdata/corpus/ja4/LICENSE-JA4.BSD3. JA4+ (JA4S, JA4H, ...) is under a
 *   different licence and is not implemented here.
 *
 * Where FoxIO's code and the written spec disagree, this follows the spec (JA4.md "ALPN
 * Extension Value"): a first ALPN whose first or last byte is not alphanumeric gives the first
 * and last hex digit of the whole value (0xBA 0xAD -> "bd", where FoxIO's code prints "99"),
 * and a one-character ALPN "a" gives "aa" (FoxIO's Rust prints "a0"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include "tls_hello.h"

#define EXT_SERVER_NAME	0x0000
#define EXT_ALPN	0x0010

static const char hex_digits[] = "0123456789abcdef";

/* JA4.md "TLS and DTLS Version" */
static const char *version_code(uint16_t v)
{
	switch (v) {
	case 0x0304: return "13";
	case 0x0303: return "12";
	case 0x0302: return "11";
	case 0x0301: return "10";
	case 0x0300: return "s3";
	case 0x0002: return "s2";
	case 0xfeff: return "d1";
	case 0xfefd: return "d2";
	case 0xfefc: return "d3";
	default: return "00";
	}
}

static bool alnum(uint8_t b)
{
	return (b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z');
}

/* JA4.md "ALPN Extension Value": first and last character of the first ALPN value. */
static void alpn_code(const struct tls_hello *h, char out[3])
{
	size_t n = h->alpn_first_len;
	const uint8_t *v = h->alpn_first;

	if (n == 0) {
		strcpy(out, "00");
	} else if (alnum(v[0]) && alnum(v[n - 1])) {
		out[0] = (char)v[0];
		out[1] = (char)v[n - 1];	/* one character: it is both first and last */
	} else {
		out[0] = hex_digits[v[0] >> 4];	/* first and last digit of the value in hex */
		out[1] = hex_digits[v[n - 1] & 15];
	}
	out[2] = '\0';
}

/* JA4.md "SNI": the extension's presence decides, not its content */
static bool has_ext(const struct tls_hello *h, uint16_t type)
{
	for (size_t i = 0; i < h->n_exts; i++)
		if (h->exts[i] == type)
			return true;
	return false;
}

/* Insertion sort: the lists are short (tens of values) and this is on the per-hello path. */
static void sort_u16(uint16_t *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		uint16_t x = v[i];
		size_t j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* Copies the non-GREASE values; drop_sni_alpn also leaves out SNI and ALPN (JA4.md "Extension
 * hash": they are already in the first section). */
static size_t filter(const uint16_t *in, size_t n, uint16_t *out, bool drop_sni_alpn)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (tls_is_grease(in[i]))
			continue;
		if (drop_sni_alpn && (in[i] == EXT_SERVER_NAME || in[i] == EXT_ALPN))
			continue;
		out[k++] = in[i];
	}
	return k;
}

/* "hhhh,hhhh,..." (lowercase 4-digit hex), appended at *len in buf of cap bytes. */
static void append_hex_list(char *buf, size_t cap, size_t *len, const uint16_t *v, size_t n)
{
	size_t l = *len;

	for (size_t i = 0; i < n && l + 6 < cap; i++) {
		if (i)
			buf[l++] = ',';
		for (int shift = 12; shift >= 0; shift -= 4)
			buf[l++] = hex_digits[(v[i] >> shift) & 15];
	}
	buf[l] = '\0';
	*len = l;
}

/* First 12 hex digits of SHA-256(s), or "000000000000" for an empty list (JA4.md). */
static void hash12(const char *s, size_t n, char out[13])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;

	if (n == 0 || !EVP_Digest(s, n, md, &md_len, EVP_sha256(), NULL) || md_len < 6) {
		strcpy(out, "000000000000");
		return;
	}
	for (int i = 0; i < 6; i++) {
		out[2 * i] = hex_digits[md[i] >> 4];
		out[2 * i + 1] = hex_digits[md[i] & 15];
	}
	out[12] = '\0';
}

void ja4_compute(const struct tls_hello *h, char proto, char ja4[JA4_MAX], char ja4_r[JA4_R_MAX])
{
	uint16_t ciphers[TLS_HELLO_MAX_CIPHERS], exts[TLS_HELLO_MAX_EXTS];
	uint16_t sigalgs[TLS_HELLO_MAX_SIGALGS];
	/* large enough for every list at its maximum: 5 bytes per value */
	char b[TLS_HELLO_MAX_CIPHERS * 5 + 1];
	char c[(TLS_HELLO_MAX_EXTS + TLS_HELLO_MAX_SIGALGS) * 5 + 2];
	size_t b_len = 0, c_len = 0;
	char a[16], alpn[3], hb[13], hc[13];

	size_t n_ciphers = filter(h->ciphers, h->n_ciphers, ciphers, false);
	size_t n_all_exts = filter(h->exts, h->n_exts, exts, false);
	size_t n_exts = filter(h->exts, h->n_exts, exts, true);
	size_t n_sig = filter(h->sigalgs, h->n_sigalgs, sigalgs, false);

	alpn_code(h, alpn);
	snprintf(a, sizeof(a), "%c%s%c%02zu%02zu%s", proto, version_code(tls_hello_version(h)),
		 has_ext(h, EXT_SERVER_NAME) ? 'd' : 'i', n_ciphers > 99 ? 99 : n_ciphers,
		 n_all_exts > 99 ? 99 : n_all_exts, alpn);

	sort_u16(ciphers, n_ciphers);
	sort_u16(exts, n_exts);
	b[0] = c[0] = '\0';
	append_hex_list(b, sizeof(b), &b_len, ciphers, n_ciphers);
	append_hex_list(c, sizeof(c), &c_len, exts, n_exts);
	if (n_sig) {
		c[c_len++] = '_';
		c[c_len] = '\0';
		append_hex_list(c, sizeof(c), &c_len, sigalgs, n_sig);
	}

	hash12(b, b_len, hb);
	hash12(c, n_exts ? c_len : 0, hc);
	snprintf(ja4, JA4_MAX, "%.10s_%.12s_%.12s", a, hb, hc);
	/* a hello with hundreds of values can exceed JA4_R_MAX: the raw form is then cut (the hash
	 * above was taken over the full lists) */
	if (snprintf(ja4_r, JA4_R_MAX, "%s_%s_%s", a, b, c) >= JA4_R_MAX)
		ja4_r[JA4_R_MAX - 1] = '\0';
}
