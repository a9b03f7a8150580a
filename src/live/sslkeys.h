// SPDX-License-Identifier: BSD-3-Clause
/* --tls-keys: TLS secrets of every process using OpenSSL 3.0's libssl.so.3, read by uprobes
 * (bpf/sslprobe.bpf.c, ABI bpf/sslprobe.h) and turned into NSS key log lines. The uprobes are
 * attached to the library files, so they cover the processes already running and those
 * started later. */
#ifndef PROCAP_SSLKEYS_H
#define PROCAP_SSLKEYS_H

#include <stddef.h>

#include "tlskeys.h"

struct sslkeys;

/* Finds the libssl.so.3 files (the usual library paths and the ones running processes have
 * mapped), checks that each has the OpenSSL 3.0 layout the probes read (a library that does
 * not is named once and skipped) and attaches. NULL with a message when nothing could be
 * attached. */
struct sslkeys *sslkeys_open(void);

/* Descriptor to poll for secrets. */
int sslkeys_fd(const struct sslkeys *sp);

/* Called with the key log lines of one connection and its process. */
typedef int (*sslkeys_fn)(void *ctx, const char *text, size_t len,
			   const struct tlskeys_origin *origin);

/* Hands every connection reported so far to fn. 0 or fn's first error. */
int sslkeys_poll(struct sslkeys *sp, sslkeys_fn fn, void *ctx);

void sslkeys_close(struct sslkeys *sp);

#endif
