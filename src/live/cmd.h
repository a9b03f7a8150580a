// SPDX-License-Identifier: BSD-3-Clause
/* `procap [opts] [expr] -- CMD ARGS`: run one command in a fresh cgroup v2 below the root
 * (procap-<pid>) and capture exactly that cgroup's packets. The child joins the cgroup and
 * then waits on a pipe until the capture is attached, so its first packet is captured. It
 * runs as the invoking user (privs.h: the -Z user, else SUDO_UID) with no capabilities and
 * none of procap's descriptors, and dies with procap; its cgroup is removed whatever way
 * procap ends. */
#ifndef PROCAP_CMD_H
#define PROCAP_CMD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct cmd;

/* Creates the cgroup, forks the keeper and the child (joined, waiting) and returns the
 * cgroup's id and its path relative to the cgroup root. user: -Z USER or NULL.
 * 0 or -errno (printed). Call before giving up root. */
int cmd_prepare(struct cmd **out, char **argv, int cgroup_root_fd, const char *user,
		uint64_t *cg_id, char *rel, size_t rellen);

/* Kills and removes the command cgroups of procap runs that are gone (killed together with
 * their keeper). Any live start calls it. */
void cmd_remove_stale(int cgroup_root_fd);

/* Lets the child exec. 0 or -errno. */
int cmd_start(struct cmd *c);

/* pidfd of the child: readable once it exited (for the caller's epoll), or -1. */
int cmd_pidfd(const struct cmd *c);

/* Reaps the child if it exited; true once it has. */
bool cmd_exited(struct cmd *c);

/* Stops the child if still running (SIGTERM), reaps it, has the keeper kill what is left in
 * the cgroup and remove it, and frees.
 * Returns the command's exit code (128+N if killed by signal N; 127 if it could not run). */
int cmd_finish(struct cmd *c);

#endif
