// SPDX-License-Identifier: BSD-3-Clause
/* A command's SSLKEYLOGFILE as a FIFO procap reads (see keylog.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keylog.h"
#include "util.h"

#define KEYLOG_BUF	(64u << 10)	/* a pipe's capacity: one read empties it */

struct keylog {
	char dir[PATH_MAX - 16];	/* room for "/sslkeylog" in path */
	char path[PATH_MAX];
	int fd;
	char buf[KEYLOG_BUF];
	size_t len;		/* bytes of a partial line kept at the start of buf */
};

/* Directories a SIGKILLed procap left (its name holds its PID, and no process has that PID
 * now): the FIFO, then the directory. Only a directory that is no symlink and holds a FIFO of
 * that name is touched; the FIFO never held data of its own (a pipe keeps nothing once both
 * ends are gone). */
static void sweep_stale(const char *tmp)
{
	DIR *d = opendir(tmp);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		int pid, fd;
		struct stat st;

		if (sscanf(de->d_name, "procap-keys-%d-", &pid) != 1 || pid <= 0 ||
		    kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		fd = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (!fstatat(fd, "sslkeylog", &st, AT_SYMLINK_NOFOLLOW) && S_ISFIFO(st.st_mode) &&
		    !unlinkat(fd, "sslkeylog", 0))
			unlinkat(dirfd(d), de->d_name, AT_REMOVEDIR);
		close(fd);
	}
	closedir(d);
}

struct keylog *keylog_open(uid_t uid, gid_t gid)
{
	struct keylog *k = xcalloc(1, sizeof(*k));
	const char *tmp = getenv("TMPDIR");
	const char *step = "mkdtemp";

	k->fd = -1;
	if (!tmp || tmp[0] != '/')
		tmp = "/tmp";
	if (snprintf(k->dir, sizeof(k->dir), "%s/procap-keys-%d-XXXXXX", tmp, (int)getpid()) >=
	    (int)sizeof(k->dir)) {
		tmp = "/tmp";
		snprintf(k->dir, sizeof(k->dir), "/tmp/procap-keys-%d-XXXXXX", (int)getpid());
	}
	sweep_stale(tmp);
	if (!mkdtemp(k->dir))	/* mode 0700 */
		goto fail;
	snprintf(k->path, sizeof(k->path), "%s/sslkeylog", k->dir);
	step = "mkfifo";
	if (mkfifo(k->path, 0600))
		goto fail;
	/* read and write: no EOF when the command closes it, no ENXIO when it opens it */
	step = "open";
	k->fd = open(k->path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (k->fd < 0)
		goto fail;
	step = "chown";
	if (chown(k->path, uid, gid) || chown(k->dir, uid, gid))
		goto fail;
	return k;
fail:
	pr_warn("SSLKEYLOGFILE %s: %s: %s\n", k->path[0] ? k->path : k->dir, step,
		strerror(errno));
	keylog_close(k);
	return NULL;
}

const char *keylog_path(const struct keylog *k)
{
	return k->path;
}

int keylog_fd(const struct keylog *k)
{
	return k->fd;
}

int keylog_read(struct keylog *k, int (*fn)(void *ctx, const char *text, size_t len),
		void *ctx)
{
	for (;;) {
		ssize_t n = read(k->fd, k->buf + k->len, sizeof(k->buf) - k->len);
		size_t whole;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;	/* EAGAIN: all read */
		k->len += (size_t)n;
		whole = k->len;
		while (whole && k->buf[whole - 1] != '\n')
			whole--;
		if (!whole && k->len == sizeof(k->buf))
			whole = k->len;	/* no newline in 64 KiB: not a key log, let it go */
		int rc = whole ? fn(ctx, k->buf, whole) : 0;
		memmove(k->buf, k->buf + whole, k->len - whole);
		k->len -= whole;
		if (rc)
			return rc;
	}
}

void keylog_close(struct keylog *k)
{
	if (!k)
		return;
	if (k->fd >= 0)
		close(k->fd);
	if (k->path[0])
		unlink(k->path);
	if (k->dir[0] && !strstr(k->dir, "XXXXXX"))
		rmdir(k->dir);
	free(k);
}
