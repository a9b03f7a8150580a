// SPDX-License-Identifier: BSD-3-Clause
/* The SSLKEYLOGFILE procap gives `-- COMMAND`: a FIFO in a private directory, read as the
 * command writes it (curl, Python's ssl, Chromium, Firefox and Node with --tls-keylog write
 * their TLS secrets there). A FIFO keeps the secrets off the disk; procap holds its write end
 * too, so a client that closes the file never ends the stream and one that opens it later
 * (or several, or children) still can. */
#ifndef PROCAP_KEYLOG_H
#define PROCAP_KEYLOG_H

#include <stddef.h>
#include <sys/types.h>

struct keylog;

/* Directory $TMPDIR/procap-keys-PID-XXXXXX (0700) with the FIFO "sslkeylog" (0600), both owned by
 * uid:gid, the user the command runs as; such directories of procaps that no longer run (a
 * SIGKILL leaves them) are removed first. NULL with a message printed on error. */
struct keylog *keylog_open(uid_t uid, gid_t gid);

/* The FIFO's path (the command's SSLKEYLOGFILE) and a descriptor to poll for input. */
const char *keylog_path(const struct keylog *k);
int keylog_fd(const struct keylog *k);

/* Reads what is there and calls fn with the complete lines (a partial line waits for its
 * end). Returns fn's first nonzero result, or 0. */
int keylog_read(struct keylog *k, int (*fn)(void *ctx, const char *text, size_t len),
		void *ctx);

/* Closes and removes the FIFO and the directory. NULL-safe. */
void keylog_close(struct keylog *k);

#endif
