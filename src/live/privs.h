// SPDX-License-Identifier: BSD-3-Clause
/* -Z USER: give up root the way tcpdump does, once what needs root is done, so capture files
 * are created by (and owned by) USER. */
#ifndef PROCAP_PRIVS_H
#define PROCAP_PRIVS_H

#include <stdbool.h>

/* Switches to USER (name or numeric uid): supplementary groups from initgroups(), then the
 * real, effective and saved gid and uid, and verifies that root cannot be regained.
 * keep_net_caps: keep CAP_BPF and CAP_NET_ADMIN (and nothing else) in the effective set, for
 * a live capture that still attaches to interfaces appearing later and must detach its TC
 * filters at exit (netlink, CAP_NET_ADMIN); file access is then USER's. Without root (nothing
 * to drop) it only checks that USER is the current user. Returns 0, or -1 after printing one
 * line. NULL user: nothing to do. */
int privs_drop(const char *user, bool keep_net_caps);

#endif
