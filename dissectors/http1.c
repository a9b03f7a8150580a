// SPDX-License-Identifier: BSD-3-Clause
/* HTTP/1.1 message heads in one direction of a decrypted stream: the request line (method,
 * target, Host) and the status line, with the message framing needed to find the next head
 * (Content-Length, chunked transfer coding, responses without a body).
 * specification: RFC 9112 §2.2 (message parsing; empty lines before a request-line), §3
 * (request line), §4 (status line), §5 (field lines), §6.3 (message body length), §7.1
 * (chunked transfer coding); RFC 9110 §6.4.1 (HEAD, 1xx, 204 and 304 have no content). */
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "util.h"

enum { H_HEAD = 0, H_BODY, H_CHUNK_SIZE, H_CHUNK_DATA, H_TRAILER };

void http_info_add(struct http_info *out, const struct http_msg *m)
{
	if (out->n < HTTP_MSGS_MAX)
		out->msg[out->n++] = *m;
	else if (out->dropped < UINT8_MAX)
		out->dropped++;
}

void http_copy(char *dst, size_t cap, const uint8_t *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && i + 1 < cap && s[i]; i++)
		dst[i] = (char)s[i];
	dst[i] = 0;
}

static bool is_tchar_upper(char c)	/* methods are upper-case tokens in practice */
{
	return (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
}

bool http1_sniff(int dir, const uint8_t *p, size_t n)
{
	if (dir == 1)
		return n >= 5 && !memcmp(p, "HTTP/", 5);
	size_t i = 0;
	while (i < n && i < HTTP_METHOD_MAX && is_tchar_upper((char)p[i]))
		i++;
	return i > 0 && i < n && p[i] == ' ';
}

/* The value of header name in the head's field lines (after the first line), or NULL;
 * *len gets its length with surrounding white space trimmed. */
static const char *field(const char *head, size_t head_len, const char *name, size_t *len)
{
	size_t nl = strlen(name);
	const char *p = memchr(head, '\n', head_len), *end = head + head_len;

	while (p && ++p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (!eol)
			break;
		if ((size_t)(eol - p) > nl && p[nl] == ':' && !strncasecmp(p, name, nl)) {
			const char *v = p + nl + 1, *ve = eol;

			while (v < ve && (*v == ' ' || *v == '\t'))
				v++;
			while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t'))
				ve--;
			*len = (size_t)(ve - v);
			return v;
		}
		p = eol;
	}
	return NULL;
}

static bool has_token(const char *v, size_t len, const char *token)
{
	size_t tl = strlen(token);

	for (size_t i = 0; i + tl <= len; i++)
		if (!strncasecmp(v + i, token, tl))
			return true;
	return false;
}

/* Sets the state for the body that follows the head (RFC 9112 §6.3). no_body: a response to
 * HEAD, or 1xx/204/304. Returns false when the length is unknown (read until close). */
static bool body_after(struct http1_dir *d, bool response, bool no_body)
{
	size_t len;
	const char *v;

	d->state = H_HEAD;
	if (no_body)
		return true;
	v = field(d->head, d->head_len, "transfer-encoding", &len);
	if (v && has_token(v, len, "chunked")) {
		d->state = H_CHUNK_SIZE;
		return true;
	}
	v = field(d->head, d->head_len, "content-length", &len);
	if (v) {
		char *e;
		char num[24];

		http_copy(num, sizeof(num), (const uint8_t *)v, len);
		unsigned long long cl = strtoull(num, &e, 10);
		if (e == num || *e)
			return false;
		d->left = cl;
		d->state = cl ? H_BODY : H_HEAD;
		return true;
	}
	return !response;	/* a request without either has no body; a response runs to close */
}

static bool request_head(struct http1_conn *c, struct http1_dir *d, struct http_info *out)
{
	const char *h = d->head, *eol = memchr(h, '\n', d->head_len);
	const char *sp1 = memchr(h, ' ', (size_t)(eol - h)), *sp2;
	struct http_msg m;
	size_t len;

	if (!sp1 || !(sp2 = memchr(sp1 + 1, ' ', (size_t)(eol - sp1 - 1))) ||
	    eol - sp2 < 9 || memcmp(sp2 + 1, "HTTP/1.", 7))
		return false;
	memset(&m, 0, sizeof(m));
	m.version = 1;
	m.minor = (uint8_t)(sp2[8] - '0');
	http_copy(m.method, sizeof(m.method), (const uint8_t *)h, (size_t)(sp1 - h));
	http_copy(m.path, sizeof(m.path), (const uint8_t *)sp1 + 1, (size_t)(sp2 - sp1 - 1));
	const char *host = field(h, d->head_len, "host", &len);
	if (host)
		http_copy(m.authority, sizeof(m.authority), (const uint8_t *)host, len);
	http_info_add(out, &m);
	if (c->head_n < 32) {
		if (!strcmp(m.method, "HEAD"))
			c->head_bits |= 1u << c->head_n;
		c->head_n++;
	}
	return body_after(d, false, false);
}

static bool response_head(struct http1_conn *c, struct http1_dir *d, struct http_info *out)
{
	const char *h = d->head, *eol = memchr(h, '\n', d->head_len);
	struct http_msg m;

	/* HTTP/1.x SP 3DIGIT SP reason */
	if (eol - h < 12 || memcmp(h, "HTTP/1.", 7) || h[8] != ' ' || h[9] < '1' || h[9] > '5' ||
	    h[10] < '0' || h[10] > '9' || h[11] < '0' || h[11] > '9')
		return false;
	memset(&m, 0, sizeof(m));
	m.version = 1;
	m.response = true;
	m.minor = (uint8_t)(h[7] - '0');
	m.status = (uint16_t)((h[9] - '0') * 100 + (h[10] - '0') * 10 + (h[11] - '0'));
	if (eol - h > 13) {
		const char *r = h + 13, *re = eol;

		while (re > r && re[-1] == '\r')
			re--;
		http_copy(m.reason, sizeof(m.reason), (const uint8_t *)r, (size_t)(re - r));
	}
	http_info_add(out, &m);
	if (m.status == 101)
		return false;	/* the connection changes protocol */
	if (m.status < 200)
		return body_after(d, true, true);	/* interim: the final one follows */
	bool head = c->head_n && (c->head_bits & 1);
	if (c->head_n) {
		c->head_bits >>= 1;
		c->head_n--;
	}
	return body_after(d, true, head || m.status == 204 || m.status == 304);
}

/* A complete line in the head buffer (ends with '\n'): acts on it per state. */
static void line_done(struct http1_conn *c, int dir, struct http_info *out)
{
	struct http1_dir *d = &c->d[dir];
	size_t l = d->head_len;
	bool empty_line = l == 1 || (l >= 2 && d->head[l - 2] == '\n') ||
			  (l >= 3 && d->head[l - 2] == '\r' && d->head[l - 3] == '\n') ||
			  (l == 2 && d->head[0] == '\r');

	switch (d->state) {
	case H_HEAD:
		if (l <= 2 && empty_line) {	/* §2.2: empty lines before a message */
			d->head_len = 0;
			return;
		}
		if (!empty_line)
			return;
		if (!(dir == 0 ? request_head(c, d, out) : response_head(c, d, out)))
			d->dead = true;
		break;
	case H_CHUNK_SIZE: {
		char *e;

		if (l <= 2 && empty_line) {	/* the CRLF after a chunk's data */
			d->head_len = 0;
			return;
		}
		d->head[l - 1] = 0;
		unsigned long long size = strtoull(d->head, &e, 16);
		if (e == d->head) {
			d->dead = true;
			break;
		}
		d->left = size;
		d->state = size ? H_CHUNK_DATA : H_TRAILER;
		break;
	}
	case H_TRAILER:
		if (!empty_line)
			return;
		d->state = H_HEAD;
		break;
	}
	d->head_len = 0;
}

void http1_feed(struct http1_conn *c, int dir, const uint8_t *p, size_t n, struct http_info *out)
{
	struct http1_dir *d = &c->d[dir];

	while (n && !d->dead) {
		if (d->state == H_BODY || d->state == H_CHUNK_DATA) {
			size_t take = d->left < n ? (size_t)d->left : n;

			p += take;
			n -= take;
			d->left -= take;
			if (!d->left)
				d->state = d->state == H_BODY ? H_HEAD : H_CHUNK_SIZE;
			continue;
		}
		if (!d->head)
			d->head = xmalloc(HTTP1_HEAD_MAX);
		const uint8_t *nl = memchr(p, '\n', n);
		size_t take = nl ? (size_t)(nl - p) + 1 : n;
		if (take > HTTP1_HEAD_MAX - 1 - d->head_len) {
			d->dead = true;		/* a head larger than we keep */
			break;
		}
		memcpy(d->head + d->head_len, p, take);
		d->head_len += (uint32_t)take;
		d->head[d->head_len] = 0;
		p += take;
		n -= take;
		if (nl)
			line_done(c, dir, out);
	}
}

void http1_free(struct http1_conn *c)
{
	free(c->d[0].head);
	free(c->d[1].head);
	memset(c, 0, sizeof(*c));
}
