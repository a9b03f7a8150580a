// SPDX-License-Identifier: BSD-3-Clause
/* HTTP/1.1 and HTTP/2 message heads in decrypted TLS application data (dissectors/tls_flow.c
 * feeds them): per direction, in stream order, each finds where a message starts and reports
 * the request line / status line (HTTP/1.1: http1.c) or the :method :path :authority and
 * :status pseudo-header fields (HTTP/2: http2.c) into struct http_info (dissect.h). Bounded:
 * a header section or header block larger than the buffers below ends the parse of that
 * direction, never the capture. */
#ifndef PROCAP_HTTP_H
#define PROCAP_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dissect.h"
#include "hpack.h"

#define HTTP1_HEAD_MAX		8192		/* request/status line and header fields */
#define HTTP2_FRAME_KEEP	65536		/* HEADERS, CONTINUATION, PUSH_PROMISE, SETTINGS
						   payloads are gathered up to this */
#define HTTP2_BLOCK_MAX		65536		/* one header block */

/* Adds a message to out (counted in out->dropped when out is full). */
void http_info_add(struct http_info *out, const struct http_msg *m);

/* Copies n bytes of s into dst (size cap) as a C string; NUL bytes end it. */
void http_copy(char *dst, size_t cap, const uint8_t *s, size_t n);

/* ---- HTTP/1.1 (RFC 9112) ---- */

struct http1_dir {
	uint8_t state;			/* http1.c */
	bool dead;			/* lost track of message boundaries */
	uint32_t head_len;
	uint64_t left;			/* body or chunk bytes still to skip */
	char *head;			/* HTTP1_HEAD_MAX bytes, allocated on first use */
};

struct http1_conn {
	struct http1_dir d[2];		/* 0: client (requests), 1: server (responses) */
	uint32_t head_bits;		/* requests waiting for their response: bit set = HEAD */
	uint8_t head_n;
};

/* Does this first application data of a direction look like HTTP/1.x? */
bool http1_sniff(int dir, const uint8_t *p, size_t n);
void http1_feed(struct http1_conn *c, int dir, const uint8_t *p, size_t n, struct http_info *out);
void http1_free(struct http1_conn *c);

/* ---- HTTP/2 (RFC 9113) ---- */

struct http2_dir {
	bool dead;
	uint8_t preface_left;		/* client connection preface bytes still to skip */
	uint8_t fh[9];			/* frame header being read */
	uint8_t fh_len;
	uint32_t left;			/* payload bytes of the current frame still to come */
	bool keep;			/* the current frame's payload is gathered into buf */
	uint8_t *buf;			/* gathered frame payload */
	uint32_t buf_len, buf_cap;
	uint8_t *block;			/* header block being joined over CONTINUATIONs */
	uint32_t block_len, block_cap, block_stream;
	bool in_block, block_push;
	struct hpack_dec hpack;		/* decodes what this direction's sender encoded */
};

struct http2_conn {
	struct http2_dir d[2];
	uint8_t *scratch;		/* HPACK_SCRATCH bytes, shared by both directions */
};

/* Does this first application data of a direction look like HTTP/2 (the client preface, or a
 * server's SETTINGS frame)? */
bool http2_sniff(int dir, const uint8_t *p, size_t n);
void http2_init(struct http2_conn *c);
void http2_feed(struct http2_conn *c, int dir, const uint8_t *p, size_t n, struct http_info *out);
void http2_free(struct http2_conn *c);

#endif
