// SPDX-License-Identifier: BSD-3-Clause
/* TLS ClientHello / ServerHello parser output, shared by TLS over TCP (tls.c) and QUIC
 * (quic.c), and the input of JA4 (ja4.c), which is a pure function of it.
 * specification: RFC 8446 §4.1.2, §4.1.3, §4.2; RFC 6066 §3 (SNI); RFC 7301 (ALPN) */
#ifndef PROCAP_TLS_HELLO_H
#define PROCAP_TLS_HELLO_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include "cursor.h"
#include "dissect.h"

#define TLS_HELLO_MAX_CIPHERS	256
#define TLS_HELLO_MAX_EXTS	128
#define TLS_HELLO_MAX_SIGALGS	128
#define TLS_HELLO_MAX_VERSIONS	32

struct tls_hello {
	bool is_client;			/* ClientHello (1) or ServerHello (2) */
	uint8_t cookie_len;		/* DTLS ClientHello: HelloVerifyRequest cookie echoed */
	bool malformed;			/* whole, but its lengths do not add up (rules in
					   tls_hello.c): the fields parsed are reported */
	bool truncated;			/* not fully parsed (cut or invalid): only fields read
					   completely are set, and no JA4 is computed */
	uint16_t legacy_version;
	uint16_t n_ciphers, ciphers[TLS_HELLO_MAX_CIPHERS];	/* wire order, GREASE kept */
	uint16_t n_exts, exts[TLS_HELLO_MAX_EXTS];		/* wire order, GREASE kept */
	uint16_t n_sigalgs, sigalgs[TLS_HELLO_MAX_SIGALGS];	/* wire order */
	uint16_t n_versions, versions[TLS_HELLO_MAX_VERSIONS];	/* supported_versions */
	uint16_t selected_version;	/* ServerHello supported_versions, 0 if absent */
	uint16_t cipher;		/* ServerHello chosen cipher */
	bool has_sni, ech;
	char sni[TLS_SNI_MAX];		/* printable-escaped host_name */
	uint8_t alpn_first_len;		/* length of the first ALPN protocol id (0 = none) */
	uint8_t alpn_first[255];	/* raw bytes of the first ALPN protocol id */
	char alpn[TLS_ALPN_MAX];	/* all protocol ids, comma-separated, escaped */
};

/* Parses one handshake message (starting at its type byte: 1 ClientHello, 2 ServerHello).
 * Returns DISSECT_OK (h->malformed when its lengths did not add up), DISSECT_TRUNCATED (fields
 * before the cut are valid) or DISSECT_NOT_MINE (another handshake type). */
enum dissect_rc tls_hello_parse(struct cursor c, struct tls_hello *h);

/* The same for the body of a DTLS handshake message of this type (its ClientHello has a cookie
 * after the session id). complete: body holds the whole message (else it was cut). */
enum dissect_rc dtls_hello_parse(uint8_t type, struct cursor body, bool complete,
				 struct tls_hello *h);

/* JA4 (FoxIO JA4 spec) of a ClientHello; proto is 't' (TCP), 'q' (QUIC) or 'd' (DTLS).
 * ja4 gets the hashed form, ja4_r the raw form. */
void ja4_compute(const struct tls_hello *h, char proto, char ja4[JA4_MAX], char ja4_r[JA4_R_MAX]);

/* Fills the printable summary used by the sinks (SNI, ALPN, version, JA4...). Leaves
 * info->reassembled and info->segments to the caller (it knows how the bytes arrived). */
void tls_hello_to_info(const struct tls_hello *h, char proto, struct tls_info *info);

/* RFC 8701 GREASE value (0x0a0a, 0x1a1a, ... 0xfafa). */
bool tls_is_grease(uint16_t v);

/* ClientHello: highest non-GREASE supported_versions entry, else legacy_version.
 * ServerHello: the selected supported_versions entry, else legacy_version. */
uint16_t tls_hello_version(const struct tls_hello *h);

#endif
