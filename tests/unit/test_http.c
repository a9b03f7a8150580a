// SPDX-License-Identifier: BSD-3-Clause
/* HTTP/1.1 and HTTP/2 message heads from decrypted streams (http1.c, http2.c), fed in pieces
 * of 1 to 13 bytes so every boundary falls everywhere.
 * HTTP/1.1: pipelined requests with a Content-Length body, a chunked body and none; responses
 * with an interim 100, a body that looks like a request line, a chunked body with a trailer, a
 * response to HEAD whose Content-Length has no body (RFC 9110 §9.3.2) and a 304 (RFC 9112
 * §6.3): each head is reported once, in order, and no body byte is taken for a head.
 * HTTP/2: the client preface, SETTINGS_HEADER_TABLE_SIZE 256, then RFC 7541 C.4's three
 * requests as HEADERS (the second padded and with priority, the third split over a
 * CONTINUATION) and C.6's three responses, which only decode with the 256-byte table the
 * client's SETTINGS gave the server's encoder: the expected fields are the RFC's. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "http.h"

static char got[4096];

static void record(const struct http_info *out)
{
	for (unsigned i = 0; i < out->n; i++) {
		const struct http_msg *m = &out->msg[i];
		size_t n = strlen(got);

		if (m->response)
			snprintf(got + n, sizeof(got) - n, "%u;", m->status);
		else
			snprintf(got + n, sizeof(got) - n, "%s %s %s [%u];", m->method, m->path,
				 m->authority, m->stream);
	}
}

/* Feeds s in pieces of 1..13 bytes (the piece size cycles). */
static void feed(void *conn, bool h2, int dir, const uint8_t *s, size_t len)
{
	size_t off = 0, piece = 1;

	while (off < len) {
		struct http_info out;
		size_t n = len - off < piece ? len - off : piece;

		memset(&out, 0, sizeof(out));
		if (h2)
			http2_feed(conn, dir, s + off, n, &out);
		else
			http1_feed(conn, dir, s + off, n, &out);
		record(&out);
		off += n;
		piece = piece % 13 + 1;
	}
}

static void test_http1(void)
{
	static const char client[] =
		"GET /a HTTP/1.1\r\nHost: h1.test\r\n\r\n"
		"POST /b HTTP/1.1\r\nHost: h1.test\r\nContent-Length: 21\r\n\r\n"
		"GET /not HTTP/1.1\r\n\r\n"
		"HEAD /c HTTP/1.1\r\n\r\n"
		"PUT /d HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
		"5\r\nGET /\r\n0\r\n\r\n";
	static const char server[] =
		"HTTP/1.1 100 Continue\r\n\r\n"
		"HTTP/1.1 200 OK\r\nContent-Length: 19\r\n\r\nHTTP/1.1 999 body\r\n"
		"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
		"4\r\nHTTP\r\n10\r\n/1.1 500 Error\r\n\r\n0\r\nX-Trailer: 1\r\n\r\n"
		"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"
		"HTTP/1.1 304 Not Modified\r\n\r\n";
	struct http1_conn c;

	memset(&c, 0, sizeof(c));
	got[0] = 0;
	feed(&c, false, 0, (const uint8_t *)client, sizeof(client) - 1);
	CHECK_STR(got, "GET /a h1.test [0];POST /b h1.test [0];HEAD /c  [0];PUT /d  [0];",
		  "http1_requests");
	got[0] = 0;
	feed(&c, false, 1, (const uint8_t *)server, sizeof(server) - 1);
	CHECK_STR(got, "100;200;201;200;304;", "http1_responses");
	CHECK(!c.d[0].dead && !c.d[1].dead, "http1_in_step");
	/* a response without a length runs to the close: nothing after it is a head */
	static const char to_close[] = "HTTP/1.0 200 ok\r\n\r\nHTTP/1.1 404 x\r\n\r\n";
	http1_free(&c);
	memset(&c, 0, sizeof(c));
	got[0] = 0;
	feed(&c, false, 1, (const uint8_t *)to_close, sizeof(to_close) - 1);
	CHECK_STR(got, "200;", "http1_body_to_close");
	http1_free(&c);
}

static size_t unhex(const char *s, uint8_t *out)
{
	size_t n = 0;
	unsigned v;

	while (*s) {
		if (*s == ' ') {
			s++;
			continue;
		}
		sscanf(s, "%2x", &v);
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

static size_t frame(uint8_t *p, uint8_t type, uint8_t flags, uint32_t stream, const uint8_t *pl,
		    size_t len)
{
	p[0] = (uint8_t)(len >> 16);
	p[1] = (uint8_t)(len >> 8);
	p[2] = (uint8_t)len;
	p[3] = type;
	p[4] = flags;
	p[5] = (uint8_t)(stream >> 24);
	p[6] = (uint8_t)(stream >> 16);
	p[7] = (uint8_t)(stream >> 8);
	p[8] = (uint8_t)stream;
	memcpy(p + 9, pl, len);
	return 9 + len;
}

static void test_http2(void)
{
	static uint8_t cl[2048], sv[2048];
	uint8_t b[512], pl[600];
	size_t n = 0, m = 0, k;
	struct http2_conn c;

	/* client: preface, SETTINGS (HEADER_TABLE_SIZE 256), C.4.1 .. C.4.3 */
	memcpy(cl, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 24);
	n = 24;
	n += frame(cl + n, 4, 0, 0, (const uint8_t *)"\x00\x01\x00\x00\x01\x00", 6);
	k = unhex("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff", b);
	n += frame(cl + n, 1, 0x5, 1, b, k);
	k = unhex("8286 84be 5886 a8eb 1064 9cbf", b);
	pl[0] = 3;					/* pad length */
	memcpy(pl + 1, "\x80\x00\x00\x01\x0f", 5);	/* exclusive dependency on 1, weight */
	memcpy(pl + 6, b, k);
	memset(pl + 6 + k, 0, 3);
	n += frame(cl + n, 1, 0x4 | 0x8 | 0x20 | 0x1, 3, pl, 6 + k + 3);
	k = unhex("8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf", b);
	n += frame(cl + n, 1, 0x1, 5, b, 7);		/* no END_HEADERS */
	n += frame(cl + n, 9, 0x4, 5, b + 7, k - 7);
	n += frame(cl + n, 0, 0x1, 5, (const uint8_t *)"data", 4);
	/* server: SETTINGS, C.6.1 .. C.6.3 with DATA between */
	m += frame(sv + m, 4, 0, 0, b, 0);
	k = unhex("4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 "
		  "82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3", b);
	m += frame(sv + m, 1, 0x4, 1, b, k);
	m += frame(sv + m, 0, 0x1, 1, (const uint8_t *)"\x00\x00\x00\x09\x01", 5);
	k = unhex("4883 640e ffc1 c0bf", b);
	m += frame(sv + m, 1, 0x5, 3, b, k);
	k = unhex("88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b "
		  "d9ab 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 "
		  "0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07", b);
	m += frame(sv + m, 1, 0x5, 5, b, k);

	CHECK(http2_sniff(0, cl, n) && http2_sniff(1, sv, m), "http2_sniff");
	http2_init(&c);
	got[0] = 0;
	feed(&c, true, 0, cl, n);
	CHECK_STR(got, "GET / www.example.com [1];GET / www.example.com [3];"
		       "GET /index.html www.example.com [5];", "http2_requests_rfc7541_c4");
	got[0] = 0;
	feed(&c, true, 1, sv, m);
	CHECK_STR(got, "302;307;200;", "http2_responses_rfc7541_c6");
	CHECK(!c.d[0].dead && !c.d[1].dead, "http2_in_step");
	CHECK_INT(c.d[1].hpack.size, 215, "http2_server_table_rfc_size");
	http2_free(&c);

	/* a frame other than CONTINUATION inside a header block stops the direction */
	http2_init(&c);
	got[0] = 0;
	n = 24;
	k = unhex("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff", b);
	n += frame(cl + n, 1, 0x0, 1, b, 4);
	n += frame(cl + n, 0, 0x0, 1, b, 1);
	n += frame(cl + n, 9, 0x4, 1, b + 4, k - 4);
	feed(&c, true, 0, cl, n);
	CHECK(c.d[0].dead && !got[0], "http2_interleaved_block_refused");
	http2_free(&c);
}

int main(void)
{
	test_http1();
	test_http2();
	return CHECK_EXIT();
}
