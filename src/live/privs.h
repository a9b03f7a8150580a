// SPDX-License-Identifier: BSD-3-Clause
/* -Z USER: give up root the way tcpdump does, once what needs root is done, so capture files
 * are created by (and owned by) USER. */
#ifndef PROCAP_PRIVS_H
#define PROCAP_PRIVS_H

#include <stdbool.h>
#include <sys/types.h>

/* Switches to USER (name or numeric uid): supplementary groups from initgroups(), then the
 * real, effective and saved gid and uid, and verifies that root cannot be regained.
 * keep_net_caps: keep CAP_BPF and CAP_NET_ADMIN (and nothing else) in the effective set, for
 * a live capture that still attaches to interfaces appearing later and must detach its TC
 * filters at exit (netlink, CAP_NET_ADMIN); file access is then USER's. Without root (nothing
 * to drop) it only checks that USER is the current user. Returns 0, or -1 after printing one
 * line. NULL user: nothing to do. */
int privs_drop(const char *user, bool keep_net_caps);

/* Who the commands procap starts (`-- CMD`, -z) run as: the -Z user, else the user who ran
 * sudo (SUDO_UID/SUDO_GID, trusted only when procap's real uid is root), else the real user.
 * Resolved in the parent (NSS lookups), applied in the forked child before exec. */
#define PRIVS_MAX_GROUPS	64
struct child_ids {
	uid_t uid;
	gid_t gid;
	int n_groups;		/* supplementary groups, from the user's group list */
	gid_t groups[PRIVS_MAX_GROUPS];
};

/* 0, or -1 after printing one line (unknown -Z user, malformed SUDO_UID). */
int privs_child_ids(const char *user, struct child_ids *ids);

/* In a forked child: become ids with no capabilities at all (permitted, effective,
 * inheritable, ambient; for uid 0 also the bounding set, so that exec does not hand root's
 * capabilities back) and no descriptor above 2 surviving exec. 0, or -1 after printing one
 * line: the caller must then _exit instead of running the command. */
int privs_child_apply(const struct child_ids *ids);

#endif
