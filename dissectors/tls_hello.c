// SPDX-License-Identifier: BSD-3-Clause
/* TLS ClientHello / ServerHello parser: one handshake message into struct tls_hello.
 * specification: RFC 8446 §4 (handshake header), §4.1.2 (ClientHello), §4.1.3 (ServerHello),
 * §4.2 (extensions), §4.2.1 (supported_versions), §4.2.3 (signature_algorithms);
 * RFC 6066 §3 (server_name); RFC 7301 §3.1 (ALPN); RFC 8701 (GREASE);
 * draft-ietf-tls-esni §5 (encrypted_client_hello, 0xfe0d).
 *
 * Every vector is parsed in a child cursor of exactly its announced length. The handshake body
 * itself is a child of the handshake length: if the capture holds all of it, a vector that runs
 * past its parent is a lie (INVALID); if the capture ends inside it, it is TRUNCATED and only the
 * fields read completely before the cut are filled in. */
#include <string.h>
#include "tls_hello.h"

#define EXT_SERVER_NAME		0x0000
#define EXT_SIG_ALGS		0x000d
#define EXT_ALPN		0x0010
#define EXT_SUPPORTED_VERSIONS	0x002b
#define EXT_ECH			0xfe0d

bool tls_is_grease(uint16_t v)
{
	/* RFC 8701 §2: 0x0a0a, 0x1a1a, ... 0xfafa */
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

/* Appends n bytes to dst (capacity cap, NUL kept), printable ASCII as is, everything else (and
 * the backslash and the list separator ',') as \xHH. Stops before an escape that would not fit,
 * so a cut string never ends in half an escape. */
static void append_escaped(char *dst, size_t cap, const uint8_t *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t len = strlen(dst);

	for (size_t i = 0; i < n; i++) {
		uint8_t b = s[i];
		bool plain = b > 0x20 && b < 0x7f && b != '\\' && b != ',';

		if (len + (plain ? 1 : 4) >= cap)
			break;
		if (plain) {
			dst[len++] = (char)b;
		} else {
			dst[len++] = '\\';
			dst[len++] = 'x';
			dst[len++] = hex[b >> 4];
			dst[len++] = hex[b & 15];
		}
	}
	dst[len] = '\0';
}

/* server_name extension, RFC 6066 §3: the first host_name entry. */
static bool parse_sni(struct cursor *ext, struct tls_hello *h)
{
	struct cursor list = cur_sub(ext, cur_be16(ext));

	if (ext->short_read)
		return false;				/* the list claims more than there is */
	while (cur_left(&list) > 0) {
		uint8_t type = cur_u8(&list);
		uint16_t len = cur_be16(&list);
		const uint8_t *name = cur_bytes(&list, len);

		if (!name)
			return false;
		if (type == 0 && !h->has_sni) {
			h->sni[0] = '\0';
			append_escaped(h->sni, sizeof(h->sni), name, len);
			h->has_sni = true;
		}
	}
	return !list.short_read && !ext->short_read;
}

/* ALPN extension, RFC 7301 §3.1: the first protocol id raw (JA4), all of them for display. */
static bool parse_alpn(struct cursor *ext, struct tls_hello *h)
{
	struct cursor list = cur_sub(ext, cur_be16(ext));
	char shown[TLS_ALPN_MAX] = "";

	if (ext->short_read)
		return false;
	uint8_t first[255];
	int first_len = -1;

	while (cur_left(&list) > 0) {
		uint8_t len = cur_u8(&list);
		const uint8_t *id = cur_bytes(&list, len);

		if (!id)
			return false;
		if (first_len < 0) {
			memcpy(first, id, len);
			first_len = len;
		} else if (strlen(shown) + 2 < sizeof(shown)) {
			strcat(shown, ",");
		}
		append_escaped(shown, sizeof(shown), id, len);
	}
	if (list.short_read || ext->short_read)
		return false;
	/* only a complete list is reported, so nothing beyond a cut ever shows */
	h->alpn_first_len = first_len > 0 ? (uint8_t)first_len : 0;
	if (first_len > 0)
		memcpy(h->alpn_first, first, (size_t)first_len);
	memcpy(h->alpn, shown, sizeof(shown));
	return true;
}

/* A vector of big-endian 16-bit values, complete or not at all. */
static bool parse_u16_list(struct cursor *vec, uint16_t *out, uint16_t *n, size_t max)
{
	uint16_t got = 0;

	if (cur_left(vec) % 2)
		return false;
	while (cur_left(vec) >= 2) {
		uint16_t v = cur_be16(vec);

		if (got < max)
			out[got++] = v;
	}
	if (vec->short_read)
		return false;
	*n = got;
	return true;
}

static bool parse_extension(uint16_t type, struct cursor *body, struct tls_hello *h)
{
	struct cursor vec;

	switch (type) {
	case EXT_SERVER_NAME:
		return h->is_client ? parse_sni(body, h) : true;	/* ServerHello: empty */
	case EXT_ALPN:
		return parse_alpn(body, h);
	case EXT_SIG_ALGS:
		if (!h->is_client)
			return true;
		vec = cur_sub(body, cur_be16(body));
		return !body->short_read &&
		       parse_u16_list(&vec, h->sigalgs, &h->n_sigalgs, TLS_HELLO_MAX_SIGALGS);
	case EXT_SUPPORTED_VERSIONS:
		if (!h->is_client) {
			h->selected_version = cur_be16(body);	/* RFC 8446 §4.2.1 */
			return !body->short_read;
		}
		vec = cur_sub(body, cur_u8(body));
		return !body->short_read &&
		       parse_u16_list(&vec, h->versions, &h->n_versions, TLS_HELLO_MAX_VERSIONS);
	case EXT_ECH:
		h->ech = true;
		return true;
	default:
		return true;
	}
}

/* Extensions block: a 2-byte length then (type, length, body) triples. Absent in
 * pre-RFC 3546 hellos (the body simply ends after the compression methods). */
static enum dissect_rc parse_extensions(struct cursor *msg, struct tls_hello *h, bool complete)
{
	if (cur_left(msg) == 0 && !msg->short_read)
		return complete ? DISSECT_OK : DISSECT_TRUNCATED;
	struct cursor exts = cur_sub(msg, cur_be16(msg));

	while (cur_left(&exts) > 0) {
		uint16_t type = cur_be16(&exts);
		struct cursor body = cur_sub(&exts, cur_be16(&exts));

		if (exts.short_read)
			break;
		if (h->n_exts < TLS_HELLO_MAX_EXTS)
			h->exts[h->n_exts++] = type;
		/* the body is complete here (a cut one ended the loop above): a bad one lies */
		if (!parse_extension(type, &body, h))
			return DISSECT_INVALID;
	}
	if (exts.short_read || msg->short_read)
		return complete ? DISSECT_INVALID : DISSECT_TRUNCATED;
	return DISSECT_OK;
}

/* The body of handshake message type. complete: the capture holds the whole message, so a
 * short read inside is a lie (INVALID), not a cut (TRUNCATED). dtls: a DTLS ClientHello, which
 * has a cookie after the session id (RFC 6347 §4.2.1; an empty legacy_cookie in DTLS 1.3,
 * RFC 9147 §5.3). */
static enum dissect_rc hello_body(uint8_t type, struct cursor msg, bool complete,
				  struct tls_hello *h, bool dtls)
{
	enum dissect_rc bad = complete ? DISSECT_INVALID : DISSECT_TRUNCATED;

	memset(h, 0, sizeof(*h));
	if (type != TLS_MSG_CLIENT_HELLO && type != TLS_MSG_SERVER_HELLO)
		return DISSECT_NOT_MINE;
	h->is_client = type == TLS_MSG_CLIENT_HELLO;
	h->legacy_version = cur_be16(&msg);
	cur_skip(&msg, 32);				/* random */
	uint8_t sid_len = cur_u8(&msg);
	if (sid_len > 32) {
		h->truncated = true;
		return DISSECT_INVALID;
	}
	cur_skip(&msg, sid_len);
	if (h->is_client && dtls) {
		h->cookie_len = cur_u8(&msg);
		cur_skip(&msg, h->cookie_len);
	}
	if (msg.short_read)
		goto cut;

	if (h->is_client) {
		struct cursor suites = cur_sub(&msg, cur_be16(&msg));

		if (msg.short_read || !parse_u16_list(&suites, h->ciphers, &h->n_ciphers,
						      TLS_HELLO_MAX_CIPHERS)) {
			if (cur_left(&suites) % 2 && !msg.short_read)
				bad = DISSECT_INVALID;
			goto cut;
		}
		uint8_t n_comp = cur_u8(&msg);
		if (!msg.short_read && n_comp == 0) {
			bad = DISSECT_INVALID;		/* must offer "null" */
			goto cut;
		}
		cur_skip(&msg, n_comp);
	} else {
		h->cipher = cur_be16(&msg);
		cur_skip(&msg, 1);			/* legacy_compression_method */
	}
	if (msg.short_read)
		goto cut;

	enum dissect_rc rc = parse_extensions(&msg, h, complete);
	h->truncated = rc != DISSECT_OK;
	return rc;
cut:
	h->truncated = true;
	return bad;
}

enum dissect_rc tls_hello_parse(struct cursor c, struct tls_hello *h)
{
	uint8_t type = cur_u8(&c);
	uint32_t len = cur_be24(&c);

	if (c.short_read) {
		memset(h, 0, sizeof(*h));
		h->truncated = true;
		return DISSECT_TRUNCATED;
	}
	bool complete = cur_left(&c) >= len;
	return hello_body(type, cur_sub(&c, len), complete, h, false);
}

enum dissect_rc dtls_hello_parse(uint8_t type, struct cursor body, bool complete,
				 struct tls_hello *h)
{
	return hello_body(type, body, complete, h, true);
}

uint16_t tls_hello_version(const struct tls_hello *h)
{
	uint16_t best = 0;

	if (!h->is_client)
		return h->selected_version ? h->selected_version : h->legacy_version;
	for (uint16_t i = 0; i < h->n_versions; i++)
		if (!tls_is_grease(h->versions[i]) && h->versions[i] > best)
			best = h->versions[i];
	return best ? best : h->legacy_version;
}

void tls_hello_to_info(const struct tls_hello *h, char proto, struct tls_info *info)
{
	info->msg = h->is_client ? TLS_MSG_CLIENT_HELLO : TLS_MSG_SERVER_HELLO;
	info->has_sni = h->has_sni;
	info->ech = h->ech;
	info->version = tls_hello_version(h);
	info->cipher = h->is_client ? 0 : h->cipher;
	info->cookie_len = h->cookie_len;
	memcpy(info->sni, h->sni, sizeof(info->sni));
	memcpy(info->alpn, h->alpn, sizeof(info->alpn));
	info->ja4[0] = '\0';
	info->ja4_r[0] = '\0';
	if (h->is_client && !h->truncated)
		ja4_compute(h, proto, info->ja4, info->ja4_r);
}
