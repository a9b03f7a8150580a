// SPDX-License-Identifier: BSD-3-Clause
/* --resolver-names: the addresses processes get from their C library's resolver
 * (getaddrinfo, gethostbyname...), read by uprobes (bpf/resolvprobe.bpf.c, ABI
 * bpf/resolvprobe.h), so that a connection is named even when no DNS answer crosses a captured
 * interface (/etc/hosts, a local caching resolver, DNS over TLS or HTTPS). The uprobes are
 * attached to the library files, so they cover the processes already running and those
 * started later. */
#ifndef PROCAP_RESOLVNAMES_H
#define PROCAP_RESOLVNAMES_H

#include <stdint.h>
#include <linux/types.h>

#include "resolvprobe.h"

struct resolvnames;

/* Finds the C libraries (libc.so.6 in the usual paths and every one running processes have
 * mapped, containers' too) and attaches. NULL with a message when nothing could be attached. */
struct resolvnames *resolvnames_open(void);

/* A process executed (live_on_proc): the first one seen in a mount namespace (a container
 * started after procap) gets its root's C library probed, when that is a file not probed yet.
 * Its later lookups and those of every later process with that library are then seen; one
 * made before procap read the exec record (up to about 0.2 s) is not. */
void resolvnames_exec(struct resolvnames *rn, uint32_t pid);

/* Descriptor to poll for results. */
int resolvnames_fd(const struct resolvnames *rn);

/* Called for each resolver result: e->name is not an address literal and holds at least one
 * address. */
typedef void (*resolvnames_fn)(void *ctx, const struct rslv_event *e);

/* Hands every result reported so far to fn. Cheap when there is none (two loads), so it can
 * run before each captured packet: a name then always precedes the first packet to its
 * address, which the process sends after its lookup returned. */
void resolvnames_poll(struct resolvnames *rn, resolvnames_fn fn, void *ctx);

void resolvnames_close(struct resolvnames *rn);

#endif
