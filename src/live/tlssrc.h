// SPDX-License-Identifier: BSD-3-Clause
/* Where a live capture's TLS secrets come from: the SSLKEYLOGFILE FIFO of `-- COMMAND`
 * (keylog.h) and, with --tls-keys, the libssl uprobes (sslkeys.h). Both feed
 * output_tls_secrets(). */
#ifndef PROCAP_TLSSRC_H
#define PROCAP_TLSSRC_H

#include "opts.h"
#include "output.h"

struct tlssrc;

/* Before the command is forked: makes its SSLKEYLOGFILE and puts it in procap's environment
 * for the fork to inherit; with --tls-keys attaches the uprobes. *out stays NULL when the
 * capture records no secrets. 0 or -errno (message printed). */
int tlssrc_open(struct tlssrc **out, const struct options *o);

/* After the fork: procap's own environment as it was (no later child inherits the FIFO). */
void tlssrc_forked(struct tlssrc *ts);

/* Adds the descriptors to watch to epoll instance ep. 0 or -errno. */
int tlssrc_watch(struct tlssrc *ts, int ep);

/* Reads every source and hands the secrets to out; also the once-a-second output_tick.
 * 0 or the output's error. NULL-safe. */
int tlssrc_poll(struct tlssrc *ts, struct output *out);

/* NULL-safe. */
void tlssrc_close(struct tlssrc *ts);

#endif
