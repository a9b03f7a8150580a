// SPDX-License-Identifier: BSD-3-Clause
/* Input byte stream for the -r reader: a file descriptor, gunzipped on the fly when its first
 * bytes are the gzip magic (RFC 1952 §2.3.1; concatenated members are read in sequence).
 * A read returns what is available rather than waiting to fill a buffer, so packets piped in
 * (tcpdump -w - | procap -r -) come out as they arrive. */
#ifndef PROCAP_INSTREAM_H
#define PROCAP_INSTREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct instream;

/* Takes ownership of fd. Never NULL. */
struct instream *instream_open(int fd);

/* Reads 1..n bytes into buf; 0 at end of input; -1 on error (instream_error() says why; errno
 * is EINTR when a signal interrupted a read). */
ssize_t instream_read(struct instream *s, void *buf, size_t n);

const char *instream_error(const struct instream *s);

/* True once the end of input came inside a gzip member (a cut .gz file). */
bool instream_truncated(const struct instream *s);

void instream_close(struct instream *s);	/* NULL-safe; closes the descriptor */

#endif
