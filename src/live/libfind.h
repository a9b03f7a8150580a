// SPDX-License-Identifier: BSD-3-Clause
/* Finding the files of a shared library that processes use, for uprobes (--tls-keys on
 * libssl, --resolver-names on libc). A uprobe is attached to a file (its inode), so it covers
 * every process mapping that file, also those started later; processes in other mount
 * namespaces (containers) or still running a replaced library have files of their own, which
 * only their mappings lead to. */
#ifndef PROCAP_LIBFIND_H
#define PROCAP_LIBFIND_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define LIBFIND_MAX	64

/* The distinct files seen so far (device and inode): the same library reached through many
 * processes' /proc/PID/root is probed once. */
struct libset {
	dev_t devs[LIBFIND_MAX];
	ino_t inos[LIBFIND_MAX];
	int n;
};

/* true when path is a file (or directory) not in set yet (it is added); false for one seen
 * before, one that is not there, or a full set. */
bool libset_add(struct libset *set, const char *path);

/* Called for each candidate file: path opens it (through /proc for a process's copy), shown
 * is its name for messages. */
typedef void (*libfind_fn)(void *ctx, const char *path, const char *shown);

/* fn for each of the n_usual usual paths, then for every mapped file of every process whose
 * base name starts with prefix (e.g. "libc.so.6"): a process's own root through
 * /proc/PID/root, a file replaced since it was loaded ("(deleted)") through
 * /proc/PID/map_files/START-END, which still reaches the old file. fn sees repeats; it uses a
 * libset to skip them. */
void libfind_each(const char *const *usual, size_t n_usual, const char *prefix, libfind_fn fn,
		  void *ctx);

#endif
