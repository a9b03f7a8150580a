// SPDX-License-Identifier: BSD-3-Clause
/* cgroup v2 helpers (Documentation/admin-guide/cgroup-v2.rst). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "cgroup.h"
#include "util.h"

#define CGROUP2_MAGIC	0x63677270	/* linux/magic.h CGROUP2_SUPER_MAGIC */

/* mountinfo (proc(5)): "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - FSTYPE SRC SUPER" */
static int find_cgroup2_mount(const char *mountinfo, char *mnt, size_t mntlen)
{
	FILE *f = fopen(mountinfo, "re");
	char line[4096];
	int rc = -ENOENT;

	if (!f)
		return -errno;
	while (rc && fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - ");
		char point[4096];

		if (!sep || strncmp(sep + 3, "cgroup2 ", 8))
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %4095s", point) != 1)
			continue;
		/* octal escapes (\040 for a space) are rare in mount points: keep them */
		snprintf(mnt, mntlen, "%s", point);
		rc = 0;
	}
	fclose(f);
	return rc;
}

static int open_if_cgroup2(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct statfs sf;

	if (fd < 0)
		return -errno;
	if (fstatfs(fd, &sf) || sf.f_type != CGROUP2_MAGIC) {
		close(fd);
		return -ENOENT;
	}
	return fd;
}

/* Last resort: mount the hierarchy on a private directory, keep an fd, detach the mount. */
static int open_private_mount(void)
{
	char dir[] = "/tmp/procap-cgroup.XXXXXX";
	int fd;

	if (!mkdtemp(dir))
		return -errno;
	if (mount("cgroup2", dir, "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)) {
		fd = -errno;
		rmdir(dir);
		return fd;
	}
	fd = open_if_cgroup2(dir);
	umount2(dir, MNT_DETACH);
	rmdir(dir);
	return fd;
}

int cgroup_root_open(char *mnt, size_t mntlen)
{
	char via_init[4200];
	int fd;

	/* `ip netns exec` also unmounts the old /sys: then only init's mount table knows */
	if (find_cgroup2_mount("/proc/self/mountinfo", mnt, mntlen) &&
	    find_cgroup2_mount("/proc/1/mountinfo", mnt, mntlen))
		snprintf(mnt, mntlen, "/sys/fs/cgroup");
	/* `ip netns exec` mounts a fresh /sys over the one holding the cgroup mount: the path
	 * then leads into sysfs. Try the mount point as init sees it, then a private mount. */
	fd = open_if_cgroup2(mnt);
	if (fd < 0) {
		snprintf(via_init, sizeof(via_init), "/proc/1/root%s", mnt);
		fd = open_if_cgroup2(via_init);
	}
	if (fd < 0)
		fd = open_private_mount();
	return fd;
}

int cgroup_create(int root_fd, const char *name)
{
	if (mkdirat(root_fd, name, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

int cgroup_join(int root_fd, const char *name, pid_t pid)
{
	char fn[300], buf[32];
	int fd, n, rc = 0;

	snprintf(fn, sizeof(fn), "%s/cgroup.procs", name);
	fd = openat(root_fd, fn, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%d\n", (int)pid);
	if (write(fd, buf, (size_t)n) != n)
		rc = -errno;
	close(fd);
	return rc;
}

int cgroup_remove(int root_fd, const char *name)
{
	return unlinkat(root_fd, name, AT_REMOVEDIR) ? -errno : 0;
}

int cgroup_kill(int root_fd, const char *name)
{
	char fn[300];
	FILE *f;
	int fd, pid, rc = 0;

	snprintf(fn, sizeof(fn), "%s/cgroup.kill", name);
	fd = openat(root_fd, fn, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		rc = write(fd, "1", 1) == 1 ? 0 : -errno;
		close(fd);
		return rc;
	}
	snprintf(fn, sizeof(fn), "%s/cgroup.procs", name);
	fd = openat(root_fd, fn, O_RDONLY | O_CLOEXEC);
	f = fd >= 0 ? fdopen(fd, "r") : NULL;
	if (!f) {
		rc = -errno;
		if (fd >= 0)
			close(fd);
		return rc;
	}
	while (fscanf(f, "%d", &pid) == 1)
		if (kill(pid, SIGKILL) && errno != ESRCH)
			rc = -errno;
	fclose(f);
	return rc;
}

int cgroup_id_at(int root_fd, const char *rel, uint64_t *id)
{
	struct {
		struct file_handle fh;
		uint64_t id;
	} h;
	int mount_id;
	const char *p = rel;

	while (*p == '/')
		p++;
	h.fh.handle_bytes = sizeof(h.id);
	/* kernfs file handles carry the cgroup id, the value BPF helpers report */
	if (name_to_handle_at(root_fd, *p ? p : "", &h.fh, &mount_id,
			      *p ? 0 : AT_EMPTY_PATH) == 0 &&
	    h.fh.handle_bytes == sizeof(h.id)) {
		memcpy(id, h.fh.f_handle, sizeof(*id));
		return 0;
	}
	struct stat st;
	if (fstatat(root_fd, *p ? p : ".", &st, 0))
		return -errno;
	*id = st.st_ino;
	return 0;
}

int cgroup_level(const char *rel)
{
	int level = 0;

	for (const char *p = rel; *p; p++)
		if (*p != '/' && (p == rel || p[-1] == '/'))
			level++;
	return level;
}

void cgroup_rel_path(const char *mnt, const char *path, char *rel, size_t rellen)
{
	size_t n = strlen(mnt);

	if (!strncmp(path, mnt, n) && (path[n] == '/' || path[n] == 0))
		path += n;
	snprintf(rel, rellen, "%s%s", path[0] == '/' ? "" : "/", path);
	/* drop trailing slashes, keep "/" itself */
	for (size_t len = strlen(rel); len > 1 && rel[len - 1] == '/'; len--)
		rel[len - 1] = 0;
}

/* The path of the first line of /proc/PID/cgroup ("ID:CONTROLLERS:PATH") that v2 (the
 * "0::PATH" line) or v1 (a line with controllers and a path below the root) asks for. */
static int cgroup_line_of_pid(pid_t pid, bool v1, char *path, size_t len)
{
	char fn[64], line[4096];
	FILE *f;
	int rc = -ENOENT;

	snprintf(fn, sizeof(fn), "/proc/%d/cgroup", (int)pid);
	f = fopen(fn, "re");
	if (!f)
		return -errno;
	while (rc && fgets(line, sizeof(line), f)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		bool is_v2 = c2 == c1 + 1 && !strncmp(line, "0::", 3);

		if (!c2 || is_v2 == v1 || (v1 && c2 == c1 + 1))
			continue;
		c2[strcspn(c2, "\n")] = 0;
		if (v1 && (!strcmp(c2 + 1, "/") || !c2[1]))
			continue;
		snprintf(path, len, "%s", c2 + 1);
		rc = 0;
	}
	fclose(f);
	return rc;
}

int cgroup_of_pid(pid_t pid, char *path, size_t len)
{
	return cgroup_line_of_pid(pid, false, path, len);
}

int cgroup_v1_of_pid(pid_t pid, char *path, size_t len)
{
	return cgroup_line_of_pid(pid, true, path, len);
}

/* The path of an open fd, as /proc/self/fd shows it. */
static int fd_path(int fd, char *buf, size_t len)
{
	char fn[64];
	int n;

	snprintf(fn, sizeof(fn), "/proc/self/fd/%d", fd);
	n = read_link(fn, buf, len);
	return n < 0 ? n : 0;
}

int cgroup_path_of_id(int root_fd, uint64_t id, char *path, size_t len)
{
	/* cgroup v2 ids are kernfs node ids, which the cgroup file system takes as a file
	 * handle of type FILEID_KERNFS (include/linux/exportfs.h) */
	struct {
		struct file_handle fh;
		uint64_t id;
	} h = { .fh = { .handle_bytes = sizeof(uint64_t), .handle_type = 0xfe } };
	char root[4096], dir[4096];
	size_t rl;
	int fd, rc;

	memcpy(h.fh.f_handle, &id, sizeof(id));
	fd = open_by_handle_at(root_fd, &h.fh, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	rc = fd_path(root_fd, root, sizeof(root));
	if (!rc)
		rc = fd_path(fd, dir, sizeof(dir));
	close(fd);
	if (rc)
		return rc;
	rl = strlen(root);
	if (strncmp(dir, root, rl) || (dir[rl] && dir[rl] != '/'))
		return -EXDEV;	/* outside the hierarchy procap opened */
	snprintf(path, len, "%s", dir[rl] ? dir + rl : "/");
	return 0;
}
