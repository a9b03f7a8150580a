// SPDX-License-Identifier: BSD-3-Clause
/* --netns NAME|PATH|all: the network namespaces to capture in. NAME is an `ip netns` name
 * (/run/netns/NAME), PATH any namespace file (/proc/PID/ns/net, a bind mount); all is every
 * namespace on the machine: procap's own, the named ones and every one a process is in, found
 * again later so new namespaces (a container that starts) are captured too. A namespace is
 * known by its inode number (what `ls -L -i /proc/PID/ns/net` shows). */
#ifndef PROCAP_NETNS_H
#define PROCAP_NETNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct netns_ref {
	int fd;			/* O_RDONLY on the namespace file */
	uint64_t ino;
	char label[48];		/* interface names become LABEL/DEV: the ip netns name, else
				   "ns" and the inode number */
};

/* The namespace of arg (NAME or PATH). Returns 0 or -errno (printed). */
int netns_open(const char *arg, struct netns_ref *out);

/* procap's own namespace (label ""). Returns 0 or -errno. */
int netns_self(struct netns_ref *out);

/* What a scan remembers for the next: namespaces seen only through a process. `ip netns add`
 * creates its namespace a moment before it names it (the bind mount on /run/netns/NAME), so
 * a namespace without a name is taken on its second sighting, named if it has been named. */
#define NETNS_UNNAMED_MAX	256
struct netns_scan_state {
	uint64_t unnamed[NETNS_UNNAMED_MAX];
	size_t n_unnamed;
};

/* Every namespace not in known (n_known inodes): the named ones (/run/netns), then those of
 * processes (see above). Calls cb for each new one with an open reference the callee keeps
 * (or closes). */
void netns_scan(struct netns_scan_state *st, const uint64_t *known, size_t n_known,
		void (*cb)(void *ctx, struct netns_ref *ns), void *ctx);

/* setns(2) into fd. Returns 0 or -errno. */
int netns_enter(int fd);

#endif
