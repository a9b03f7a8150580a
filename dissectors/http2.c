// SPDX-License-Identifier: BSD-3-Clause
/* HTTP/2 request and response heads in one direction of a decrypted stream: frames are read
 * in order, header blocks (HEADERS or PUSH_PROMISE, then CONTINUATIONs) joined and decoded
 * with HPACK (hpack.c), whose dynamic table every block updates, so every block is decoded
 * even when it reports nothing; SETTINGS_HEADER_TABLE_SIZE sets the peer's decoder limit.
 * Reported: :method :path :authority of a request, :status of a response.
 * specification: RFC 9113 §3.4 (connection preface), §4.1 (frame format), §4.3 (header
 * compression; CONTINUATION), §6.2 (HEADERS: padding, priority), §6.5 (SETTINGS), §6.6
 * (PUSH_PROMISE), §6.10 (CONTINUATION), §8.3 (pseudo-header fields). */
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "util.h"

static const char preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
#define PREFACE_LEN	24

enum { F_DATA = 0, F_HEADERS = 1, F_SETTINGS = 4, F_PUSH_PROMISE = 5, F_CONTINUATION = 9 };
enum { FL_ACK = 0x1, FL_END_HEADERS = 0x4, FL_PADDED = 0x8, FL_PRIORITY = 0x20 };
#define SETTINGS_HEADER_TABLE_SIZE 1

bool http2_sniff(int dir, const uint8_t *p, size_t n)
{
	if (dir == 0)
		return n >= PREFACE_LEN && !memcmp(p, preface, PREFACE_LEN);
	/* §3.4: the server's preface is a SETTINGS frame on stream 0 */
	return n >= 9 && p[3] == F_SETTINGS && !(p[4] & ~FL_ACK) && !(p[5] & 0x7f) && !p[6] &&
	       !p[7] && !p[8] && (((uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2]) % 6) == 0;
}

void http2_init(struct http2_conn *c)
{
	memset(c, 0, sizeof(*c));
	c->d[0].preface_left = PREFACE_LEN;
	hpack_init(&c->d[0].hpack);
	hpack_init(&c->d[1].hpack);
}

void http2_free(struct http2_conn *c)
{
	for (int i = 0; i < 2; i++) {
		free(c->d[i].buf);
		free(c->d[i].block);
		hpack_free(&c->d[i].hpack);
	}
	free(c->scratch);
	memset(c, 0, sizeof(*c));
}

struct collect {
	struct http_msg m;
	bool have_method, have_status;
};

static void on_field(void *arg, const struct hpack_field *f)
{
	struct collect *col = arg;
	struct http_msg *m = &col->m;

#define IS(lit) (f->name_len == sizeof(lit) - 1 && !memcmp(f->name, lit, sizeof(lit) - 1))
	if (IS(":method")) {
		http_copy(m->method, sizeof(m->method), f->value, f->value_len);
		col->have_method = true;
	} else if (IS(":path")) {
		http_copy(m->path, sizeof(m->path), f->value, f->value_len);
	} else if (IS(":authority")) {
		http_copy(m->authority, sizeof(m->authority), f->value, f->value_len);
	} else if (IS(":status") && f->value_len == 3) {
		uint16_t s = 0;

		for (int i = 0; i < 3; i++)
			s = (uint16_t)(s * 10 + (f->value[i] - '0'));
		m->status = s;
		col->have_status = true;
	}
#undef IS
}

static void decode_block(struct http2_conn *c, int dir, struct http_info *out)
{
	struct http2_dir *d = &c->d[dir];
	struct collect col;

	memset(&col, 0, sizeof(col));
	if (!c->scratch)
		c->scratch = xmalloc(HPACK_SCRATCH);
	if (d->block_len &&
	    hpack_decode(&d->hpack, d->block, d->block_len, c->scratch, on_field, &col)) {
		d->dead = true;		/* the table is out of step from here on */
		return;
	}
	d->in_block = false;
	if (d->block_push)
		return;		/* a promised request: decoded for the table only */
	col.m.version = 2;
	col.m.stream = d->block_stream;
	if (dir == 0 && col.have_method) {
		http_info_add(out, &col.m);
	} else if (dir == 1 && col.have_status) {
		col.m.response = true;
		http_info_add(out, &col.m);
	}
}

static void block_append(struct http2_dir *d, const uint8_t *p, size_t n)
{
	if (!n)
		return;
	if (n > HTTP2_BLOCK_MAX - d->block_len) {
		d->dead = true;
		return;
	}
	if (d->block_len + n > d->block_cap) {
		uint32_t cap = d->block_cap ? d->block_cap : 1024;

		while (cap < d->block_len + n)
			cap *= 2;
		d->block = xrealloc(d->block, cap);
		d->block_cap = cap;
	}
	memcpy(d->block + d->block_len, p, n);
	d->block_len += (uint32_t)n;
}

/* A gathered frame: settings, or a header block fragment. */
static void frame_done(struct http2_conn *c, int dir, struct http_info *out)
{
	struct http2_dir *d = &c->d[dir];
	uint8_t type = d->fh[3], flags = d->fh[4];
	uint32_t stream = ((uint32_t)d->fh[5] << 24 | (uint32_t)d->fh[6] << 16 |
			   (uint32_t)d->fh[7] << 8 | d->fh[8]) & 0x7fffffff;
	static const uint8_t empty[1];
	const uint8_t *p = d->buf ? d->buf : empty;	/* a frame with no payload */
	size_t n = d->buf_len, pad = 0, skip = 0;

	switch (type) {
	case F_SETTINGS:
		if (flags & FL_ACK || n % 6)
			return;
		for (size_t i = 0; i + 6 <= n; i += 6) {
			uint16_t id = (uint16_t)(p[i] << 8 | p[i + 1]);
			uint32_t v = (uint32_t)p[i + 2] << 24 | (uint32_t)p[i + 3] << 16 |
				     (uint32_t)p[i + 4] << 8 | p[i + 5];

			/* the sender's decoder limit: it bounds what the peer encodes */
			if (id == SETTINGS_HEADER_TABLE_SIZE)
				hpack_set_limit(&c->d[!dir].hpack, v);
		}
		return;
	case F_HEADERS:
	case F_PUSH_PROMISE:
		if (flags & FL_PADDED) {
			if (!n) {
				d->dead = true;
				return;
			}
			pad = p[0];
			skip = 1;
		}
		skip += type == F_PUSH_PROMISE ? 4 : (flags & FL_PRIORITY) ? 5 : 0;
		if (skip + pad > n) {
			d->dead = true;
			return;
		}
		d->block_len = 0;
		d->block_stream = stream;
		d->block_push = type == F_PUSH_PROMISE;
		d->in_block = true;
		block_append(d, p + skip, n - skip - pad);
		break;
	case F_CONTINUATION:
		if (!d->in_block || stream != d->block_stream) {
			d->dead = true;
			return;
		}
		block_append(d, p, n);
		break;
	default:
		return;
	}
	if (!d->dead && (flags & FL_END_HEADERS))
		decode_block(c, dir, out);
}

static void frame_start(struct http2_dir *d)
{
	uint32_t len = (uint32_t)d->fh[0] << 16 | (uint32_t)d->fh[1] << 8 | d->fh[2];
	uint8_t type = d->fh[3];

	if (d->in_block && type != F_CONTINUATION) {
		d->dead = true;		/* §6.10: nothing may come between a block's frames */
		return;
	}
	d->left = len;
	d->buf_len = 0;
	d->keep = type == F_HEADERS || type == F_SETTINGS || type == F_PUSH_PROMISE ||
		  type == F_CONTINUATION;
	if (!d->keep)
		return;
	if (len > HTTP2_FRAME_KEEP) {
		d->dead = true;
		return;
	}
	if (len > d->buf_cap) {
		uint32_t cap = d->buf_cap ? d->buf_cap : 1024;

		while (cap < len)
			cap *= 2;
		d->buf = xrealloc(d->buf, cap);
		d->buf_cap = cap;
	}
}

void http2_feed(struct http2_conn *c, int dir, const uint8_t *p, size_t n, struct http_info *out)
{
	struct http2_dir *d = &c->d[dir];

	while (n && !d->dead) {
		size_t take;

		if (d->preface_left) {
			take = n < d->preface_left ? n : d->preface_left;
			p += take;
			n -= take;
			d->preface_left = (uint8_t)(d->preface_left - take);
			continue;
		}
		if (d->fh_len < 9) {
			take = 9u - d->fh_len < n ? 9u - d->fh_len : n;
			memcpy(d->fh + d->fh_len, p, take);
			d->fh_len = (uint8_t)(d->fh_len + take);
			p += take;
			n -= take;
			if (d->fh_len < 9)
				break;
			frame_start(d);
			if (d->dead)
				break;
		} else {
			take = d->left < n ? d->left : n;
			if (d->keep)
				memcpy(d->buf + d->buf_len, p, take);
			d->buf_len += (uint32_t)take;
			d->left -= (uint32_t)take;
			p += take;
			n -= take;
		}
		if (!d->left) {
			if (d->keep)
				frame_done(c, dir, out);
			d->fh_len = 0;
		}
	}
}
