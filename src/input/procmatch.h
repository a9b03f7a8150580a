// SPDX-License-Identifier: BSD-3-Clause
/* -r with process filters (--pid, --follow-forks, --comm, --uid, --cgroup, --container, --pod,
 * --pod-namespace): a packet is selected when the owner its pcapng data names passes every
 * filter given, as the capture programs decide live. A packet without an owner never matches.
 * --follow-forks on a file: a packet whose owner's parent (PPID) is selected selects its owner
 * too, so children (and their children) are followed once they have sent a packet. */
#ifndef PROCAP_PROCMATCH_H
#define PROCAP_PROCMATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "opts.h"
#include "packet.h"

struct procmatch;

/* Whether o has any process filter. */
bool procmatch_wanted(const struct options *o);

struct procmatch *procmatch_new(const struct options *o);
void procmatch_add_pid(struct procmatch *pm, uint32_t pid);
bool procmatch_packet(struct procmatch *pm, const struct packet *p);
/* Packets seen so far that named an owner (0 at the end: the file has no process data). */
uint64_t procmatch_owned(const struct procmatch *pm);
void procmatch_free(struct procmatch *pm);	/* NULL-safe */

#endif
