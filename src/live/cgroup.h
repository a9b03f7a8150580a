// SPDX-License-Identifier: BSD-3-Clause
/* cgroup v2 helpers: the hierarchy root (for the cgroup sock hooks), cgroup ids and levels
 * (for --cgroup), a private cgroup for `procap -- CMD`, and the cgroup path of a process. */
#ifndef PROCAP_CGROUP_H
#define PROCAP_CGROUP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Opens the cgroup v2 root directory found in /proc/self/mountinfo and stores its mount point
 * in mnt. Call it before anything else. `ip netns exec` mounts a new /sys over the one that
 * holds the cgroup mount; then the root is opened through /proc/1/root or, failing that, a
 * private mount. Returns an O_DIRECTORY fd or -errno. */
int cgroup_root_open(char *mnt, size_t mntlen);

/* The cgroup id (what bpf_get_current_cgroup_id() returns) of the cgroup at rel below the
 * root fd ("" or "/" = the root). Returns 0 or -errno. */
int cgroup_id_at(int root_fd, const char *rel, uint64_t *id);

/* Depth of rel below the root: "/" 0, "/a" 1, "/a/b" 2. */
int cgroup_level(const char *rel);

/* --cgroup PATH: accepts a cgroup path as in /proc/PID/cgroup ("/system.slice/x") or a path
 * under the mount point ("/sys/fs/cgroup/system.slice/x"); writes the former to rel. */
void cgroup_rel_path(const char *mnt, const char *path, char *rel, size_t rellen);

/* `procap -- CMD`: a child cgroup NAME directly below the root, joining it, removing it.
 * Each returns 0 or -errno. */
int cgroup_create(int root_fd, const char *name);
int cgroup_join(int root_fd, const char *name, pid_t pid);
int cgroup_remove(int root_fd, const char *name);
/* SIGKILL to every process in the cgroup (cgroup.kill, Linux 5.14+; before that each PID of
 * cgroup.procs). 0 or -errno. */
int cgroup_kill(int root_fd, const char *name);

/* The path below the root fd ("/a/b", as /proc/PID/cgroup shows it) of the cgroup whose id
 * bpf_get_current_cgroup_id() returned: no /proc read per process, and it works after the
 * process has gone. Needs CAP_DAC_READ_SEARCH (open_by_handle_at). Returns 0 or -errno. */
int cgroup_path_of_id(int root_fd, uint64_t id, char *path, size_t len);

/* Reads the cgroup v2 path of pid ("0::/path" in /proc/PID/cgroup). Returns 0 or -errno. */
int cgroup_of_pid(pid_t pid, char *path, size_t len);

/* Reads the first cgroup v1 path of pid below a hierarchy's root ("N:controllers:/path" in
 * /proc/PID/cgroup) where the v2 path says nothing: hosts with only v1 hierarchies (every
 * task then sits in the v2 root) and hybrid ones whose runtime leaves the unified hierarchy
 * alone. Returns 0, -ENOENT if pid is at every v1 root, or -errno. */
int cgroup_v1_of_pid(pid_t pid, char *path, size_t len);

#endif
