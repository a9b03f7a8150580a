// SPDX-License-Identifier: BSD-3-Clause
/* Input byte stream with transparent gunzip (see instream.h). zlib's gzread() is not used: it
 * keeps reading until its buffer is full, which stalls a reader fed by a pipe. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "instream.h"
#include "util.h"

#define IN_BUF (128u << 10)

struct instream {
	int fd;
	uint8_t *in;		/* raw bytes read from fd */
	size_t in_pos, in_len;
	bool eof;		/* fd reached end of file */
	bool gzip;
	bool in_member;		/* inside a gzip member (not at its end) */
	z_stream zs;
	char err[128];
};

/* Refills the raw buffer; 1 ok, 0 end of file, -1 error. */
static int fill(struct instream *s)
{
	ssize_t k;

	if (s->eof)
		return 0;
	k = read(s->fd, s->in, IN_BUF);
	if (k < 0) {
		snprintf(s->err, sizeof(s->err), "%s", strerror(errno));
		return -1;
	}
	if (k == 0) {
		s->eof = true;
		return 0;
	}
	s->in_pos = 0;
	s->in_len = (size_t)k;
	return 1;
}

struct instream *instream_open(int fd)
{
	struct instream *s = xcalloc(1, sizeof(*s));

	s->fd = fd;
	s->in = xmalloc(IN_BUF);
	/* peek the first two bytes for the gzip magic 1f 8b (a short first read is retried) */
	while (s->in_len < 2 && !s->eof) {
		ssize_t k = read(fd, s->in + s->in_len, IN_BUF - s->in_len);
		if (k < 0) {	/* EINTR included: a ^C before any byte ends the read */
			snprintf(s->err, sizeof(s->err), "%s", strerror(errno));
			break;
		}
		if (k == 0)
			s->eof = true;
		s->in_len += (size_t)(k > 0 ? k : 0);
	}
	if (s->in_len >= 2 && s->in[0] == 0x1f && s->in[1] == 0x8b) {
		s->gzip = true;
		if (inflateInit2(&s->zs, 16 + MAX_WBITS) != Z_OK) {
			snprintf(s->err, sizeof(s->err), "zlib: out of memory");
			s->gzip = false;
		}
	}
	return s;
}

static ssize_t read_plain(struct instream *s, uint8_t *buf, size_t n)
{
	if (s->in_pos == s->in_len) {
		if (n >= IN_BUF) {	/* big reads bypass the buffer */
			ssize_t k = s->eof ? 0 : read(s->fd, buf, n);
			if (k < 0)
				snprintf(s->err, sizeof(s->err), "%s", strerror(errno));
			return k;
		}
		int rc = fill(s);
		if (rc <= 0)
			return rc;
	}
	size_t k = s->in_len - s->in_pos < n ? s->in_len - s->in_pos : n;
	memcpy(buf, s->in + s->in_pos, k);
	s->in_pos += k;
	return (ssize_t)k;
}

static ssize_t read_gzip(struct instream *s, uint8_t *buf, size_t n)
{
	if (n > UINT32_MAX)
		n = UINT32_MAX;
	for (;;) {
		if (s->in_pos == s->in_len) {
			int rc = fill(s);
			if (rc <= 0)
				return rc;
		}
		if (!s->in_member) {
			if (inflateReset(&s->zs) != Z_OK)
				return -1;
			s->in_member = true;
		}
		s->zs.next_in = s->in + s->in_pos;
		s->zs.avail_in = (uInt)(s->in_len - s->in_pos);
		s->zs.next_out = buf;
		s->zs.avail_out = (uInt)n;
		int z = inflate(&s->zs, Z_NO_FLUSH);
		s->in_pos = s->in_len - s->zs.avail_in;
		size_t got = n - s->zs.avail_out;
		if (z == Z_STREAM_END)
			s->in_member = false;	/* another member may follow */
		else if ((z != Z_OK && z != Z_BUF_ERROR) ||
			 (z == Z_BUF_ERROR && !got && s->in_pos < s->in_len)) {
			snprintf(s->err, sizeof(s->err), "gzip data error: %s",
				 s->zs.msg ? s->zs.msg : "corrupt stream");
			return -1;
		}
		if (got)
			return (ssize_t)got;
	}
}

ssize_t instream_read(struct instream *s, void *buf, size_t n)
{
	if (!n)
		return 0;
	if (s->err[0])
		return -1;
	return s->gzip ? read_gzip(s, buf, n) : read_plain(s, buf, n);
}

const char *instream_error(const struct instream *s)
{
	return s->err;
}

bool instream_truncated(const struct instream *s)
{
	return s->gzip && s->in_member && s->eof;
}

void instream_close(struct instream *s)
{
	if (!s)
		return;
	if (s->gzip)
		inflateEnd(&s->zs);
	close(s->fd);
	free(s->in);
	free(s);
}
