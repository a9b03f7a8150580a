// SPDX-License-Identifier: BSD-3-Clause
/* TLS ClientHello / ServerHello parser: one handshake message into struct tls_hello.
 * specification: RFC 8446 §4 (handshake header), §4.1.2 (ClientHello), §4.1.3 (ServerHello),
 * §4.2 (extensions), §4.2.1 (supported_versions), §4.2.3 (signature_algorithms);
 * RFC 6066 §3 (server_name); RFC 7301 §3.1 (ALPN); RFC 8701 (GREASE);
 * draft-ietf-tls-esni §5 (encrypted_client_hello, 0xfe0d).
 *
 * Every vector is parsed in a child cursor of its announced length, never past its parent. The
 * handshake body is a child of the handshake length: if the capture ends inside it, the result
 * is TRUNCATED and only the fields read completely before the cut are filled in (no JA4).
 *
 * A hello the capture holds whole is always reported (OK) with what could be parsed, as tshark
 * 4.0 shows it; where its lengths do not add up it is marked malformed. The rules, each the
 * decode tshark 4.0 gives (testdata/hellos/odd.pcap):
 *  - session id longer than 32 bytes, no compression method: read as announced;
 *  - cipher suites of odd length: the whole suites read, the odd byte skipped;
 *  - a vector that runs past the end of the hello: the fields before it are reported, nothing
 *    from it on (for the extensions block: no extension at all);
 *  - an extensions length that ends inside an extension: that extension is still read whole
 *    when it fits in the hello (its own length counts); one that does not fit is dropped with
 *    all after it;
 *  - bytes after the extensions block inside the hello: ignored;
 *  - inside an extension: a server_name list longer than its extension gives no name (the
 *    extension still counts); ALPN ids, supported_versions and signature_algorithms are read
 *    as far as whole values fit in the extension.
 * JA4 is computed from the fields parsed, as from tshark's decode. */
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

/* ALPN extension, RFC 7301 §3.1: the first protocol id raw (JA4), all of them for display; ids
 * as far as they fit in the extension (false when the list said otherwise). */
static bool parse_alpn(struct cursor *ext, struct tls_hello *h)
{
	struct cursor list = cur_sub(ext, cur_be16(ext));
	char shown[TLS_ALPN_MAX] = "";
	bool whole = !ext->short_read;

	list.short_read = false;
	uint8_t first[255];
	int first_len = -1;

	while (cur_left(&list) > 0) {
		uint8_t len = cur_u8(&list);
		const uint8_t *id = cur_bytes(&list, len);

		if (!id) {
			whole = false;
			break;
		}
		if (first_len < 0) {
			memcpy(first, id, len);
			first_len = len;
		} else if (strlen(shown) + 2 < sizeof(shown)) {
			strcat(shown, ",");
		}
		append_escaped(shown, sizeof(shown), id, len);
	}
	/* the extension body is whole here (a cut one is never parsed), so the ids shown are
	 * all the ones sent */
	h->alpn_first_len = first_len > 0 ? (uint8_t)first_len : 0;
	if (first_len > 0)
		memcpy(h->alpn_first, first, (size_t)first_len);
	memcpy(h->alpn, shown, sizeof(shown));
	return whole;
}

/* A vector of big-endian 16-bit values: the whole values it holds (an odd last byte is left);
 * false when it was odd or cut short by its parent. */
static bool parse_u16_list(struct cursor *vec, uint16_t *out, uint16_t *n, size_t max)
{
	uint16_t got = 0;
	bool whole = !vec->short_read && cur_left(vec) % 2 == 0;

	vec->short_read = false;
	while (cur_left(vec) >= 2) {
		uint16_t v = cur_be16(vec);

		if (got < max)
			out[got++] = v;
	}
	*n = got;
	return whole;
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
		return parse_u16_list(&vec, h->sigalgs, &h->n_sigalgs, TLS_HELLO_MAX_SIGALGS);
	case EXT_SUPPORTED_VERSIONS:
		if (!h->is_client) {
			h->selected_version = cur_be16(body);	/* RFC 8446 §4.2.1 */
			return !body->short_read;
		}
		vec = cur_sub(body, cur_u8(body));
		return parse_u16_list(&vec, h->versions, &h->n_versions, TLS_HELLO_MAX_VERSIONS);
	case EXT_ECH:
		h->ech = true;
		return true;
	default:
		return true;
	}
}

/* Extensions block: a 2-byte length then (type, length, body) triples. Absent in
 * pre-RFC 3546 hellos (the body simply ends after the compression methods). complete: msg holds
 * the rest of a whole hello (else the capture ended inside it). */
static enum dissect_rc parse_extensions(struct cursor *msg, struct tls_hello *h, bool complete)
{
	enum dissect_rc cut = complete ? DISSECT_OK : DISSECT_TRUNCATED;

	if (cur_left(msg) == 0)
		return cut;
	uint16_t len = cur_be16(msg);
	if (msg->short_read || (complete && len > cur_left(msg))) {
		h->malformed = complete;	/* one stray byte, or a block past the end */
		return cut;
	}
	size_t start = cur_left(msg);

	while (start - cur_left(msg) < len) {
		uint16_t type = cur_be16(msg);
		struct cursor body = cur_sub(msg, cur_be16(msg));

		if (msg->short_read) {			/* an extension past the end of the hello */
			h->malformed = complete;
			return cut;
		}
		if (h->n_exts < TLS_HELLO_MAX_EXTS)
			h->exts[h->n_exts++] = type;
		if (!parse_extension(type, &body, h))
			h->malformed = true;
	}
	/* the last extension ran past the block, or bytes follow it in the hello */
	if (start - cur_left(msg) != len || cur_left(msg))
		h->malformed = true;
	return DISSECT_OK;
}

/* The body of handshake message type. complete: the capture holds the whole message, so a
 * short read inside is a lie (malformed), not a cut (TRUNCATED). dtls: a DTLS ClientHello, which
 * has a cookie after the session id (RFC 6347 §4.2.1; an empty legacy_cookie in DTLS 1.3,
 * RFC 9147 §5.3). */
static enum dissect_rc hello_body(uint8_t type, struct cursor msg, bool complete,
				  struct tls_hello *h, bool dtls)
{
	memset(h, 0, sizeof(*h));
	if (type != TLS_MSG_CLIENT_HELLO && type != TLS_MSG_SERVER_HELLO)
		return DISSECT_NOT_MINE;
	h->is_client = type == TLS_MSG_CLIENT_HELLO;
	h->legacy_version = cur_be16(&msg);
	cur_skip(&msg, 32);				/* random */
	uint8_t sid_len = cur_u8(&msg);
	if (sid_len > 32)
		h->malformed = true;			/* RFC 8446 §4.1.2: at most 32 */
	cur_skip(&msg, sid_len);
	if (h->is_client && dtls) {
		h->cookie_len = cur_u8(&msg);
		cur_skip(&msg, h->cookie_len);
	}
	if (msg.short_read)
		goto cut;

	if (h->is_client) {
		struct cursor suites = cur_sub(&msg, cur_be16(&msg));

		if (msg.short_read)
			goto cut;
		if (!parse_u16_list(&suites, h->ciphers, &h->n_ciphers, TLS_HELLO_MAX_CIPHERS))
			h->malformed = true;		/* odd length */
		uint8_t n_comp = cur_u8(&msg);
		if (n_comp == 0)
			h->malformed = true;		/* must offer "null" */
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
	/* a field past the end: of the hello (reported as parsed), or of the capture */
	h->malformed = complete;
	h->truncated = !complete;
	return complete ? DISSECT_OK : DISSECT_TRUNCATED;
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
	info->malformed = h->malformed;
	memcpy(info->sni, h->sni, sizeof(info->sni));
	memcpy(info->alpn, h->alpn, sizeof(info->alpn));
	info->ja4[0] = '\0';
	info->ja4_r[0] = '\0';
	if (h->is_client && !h->truncated)
		ja4_compute(h, proto, info->ja4, info->ja4_r);
}
