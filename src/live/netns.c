// SPDX-License-Identifier: BSD-3-Clause
/* Network namespaces for --netns (see netns.h; namespaces(7), setns(2), ip-netns(8)). */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "netns.h"
#include "util.h"

#define NETNS_RUN_DIR	"/run/netns"
#define SCAN_MAX	4096	/* namespaces one scan tracks */

static int open_ns(const char *path, const char *label, struct netns_ref *out)
{
	struct stat st;

	out->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (out->fd < 0)
		return -errno;
	if (fstat(out->fd, &st)) {
		int err = -errno;
		close(out->fd);
		return err;
	}
	out->ino = st.st_ino;
	if (label)
		str_copy(out->label, sizeof(out->label), label);
	else
		snprintf(out->label, sizeof(out->label), "ns%llu", (unsigned long long)out->ino);
	return 0;
}

int netns_open(const char *arg, struct netns_ref *out)
{
	char path[512];
	const char *label = NULL;
	int err;

	if (!strchr(arg, '/')) {	/* an `ip netns` name */
		snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, arg);
		label = arg;
	} else {
		snprintf(path, sizeof(path), "%s", arg);
	}
	err = open_ns(path, label, out);
	if (err) {
		pr_warn("--netns %s: %s\n", arg, strerror(-err));
		return err;
	}
	/* a namespace file, not any file: setns() tells, without entering (nstype check only
	 * happens on entry, so enter and come back through our own namespace) */
	struct netns_ref self;
	if (netns_self(&self) == 0) {
		err = netns_enter(out->fd);
		if (!err)
			netns_enter(self.fd);
		close(self.fd);
		if (err) {
			pr_warn("--netns %s: not a network namespace (%s)\n", arg, strerror(-err));
			close(out->fd);
			return err;
		}
	}
	return 0;
}

int netns_self(struct netns_ref *out)
{
	int err = open_ns("/proc/self/ns/net", "", out);

	if (!err)
		out->label[0] = 0;
	return err;
}

int netns_enter(int fd)
{
	return setns(fd, CLONE_NEWNET) ? -errno : 0;
}

static bool seen(const uint64_t *list, size_t n, uint64_t ino)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == ino)
			return true;
	return false;
}

/* One candidate: reported unless known or already reported by this scan. An unnamed one
 * (label NULL) only if the previous scan saw it too (st), else it is remembered for the next. */
static void consider(struct netns_scan_state *st, struct netns_scan_state *next,
		     const char *path, const char *label, const uint64_t *known, size_t n_known,
		     uint64_t *found, size_t *n_found,
		     void (*cb)(void *ctx, struct netns_ref *ns), void *ctx)
{
	struct netns_ref ns;
	struct stat st_ns;

	/* stat first: most processes share a namespace already reported, no fd needed */
	if (stat(path, &st_ns) || seen(known, n_known, st_ns.st_ino) ||
	    seen(found, *n_found, st_ns.st_ino))
		return;
	if (!label && !seen(st->unnamed, st->n_unnamed, st_ns.st_ino)) {
		if (next->n_unnamed < NETNS_UNNAMED_MAX &&
		    !seen(next->unnamed, next->n_unnamed, st_ns.st_ino))
			next->unnamed[next->n_unnamed++] = st_ns.st_ino;
		return;
	}
	if (open_ns(path, label, &ns))
		return;
	if (*n_found < SCAN_MAX)
		found[(*n_found)++] = ns.ino;
	cb(ctx, &ns);
}

void netns_scan(struct netns_scan_state *st, const uint64_t *known, size_t n_known,
		void (*cb)(void *ctx, struct netns_ref *ns), void *ctx)
{
	uint64_t *found = xcalloc(SCAN_MAX, sizeof(*found));
	struct netns_scan_state next = { .n_unnamed = 0 };
	size_t n_found = 0;
	struct dirent *de;
	char path[600];
	DIR *d;

	d = opendir(NETNS_RUN_DIR);
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, de->d_name);
		consider(st, &next, path, de->d_name, known, n_known, found, &n_found, cb, ctx);
	}
	if (d)
		closedir(d);
	d = opendir("/proc");
	while (d && (de = readdir(d))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", de->d_name);
		consider(st, &next, path, NULL, known, n_known, found, &n_found, cb, ctx);
	}
	if (d)
		closedir(d);
	*st = next;
	free(found);
}
