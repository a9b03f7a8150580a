// SPDX-License-Identifier: BSD-3-Clause
/* Capture one command (see cmd.h).
 *
 * Processes: procap forks a keeper first, then the command. The keeper stays with procap's
 * starting privileges (root, before -Z) and does one thing: when its pipe from procap reaches
 * EOF (procap exited, or was killed, even with SIGKILL) it kills whatever is left in the
 * command's cgroup and removes the cgroup. So the cgroup goes away even when procap itself
 * may no longer remove it (-Z) or never gets to (SIGKILL). The command additionally gets
 * PR_SET_PDEATHSIG, and a keeper killed together with procap leaves a cgroup that the next
 * live start removes (cmd_remove_stale): every command cgroup holds an flock while its procap
 * or keeper lives, so a stale one is one nobody holds. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "cgroup.h"
#include "cmd.h"
#include "privs.h"
#include "util.h"

#define CGROUP_PREFIX		"procap-"
#define KILL_WAIT_MS		2000	/* killed processes leave the cgroup within this */

struct cmd {
	pid_t pid;
	int pidfd;
	int go_fd;		/* write end: one byte = exec, close without writing = give up */
	pid_t keeper;
	int keeper_fd;		/* write end of the keeper's pipe: EOF = clean up now */
	int lock_fd;		/* the cgroup directory, flock()ed while procap lives */
	int root_fd;
	char name[64];		/* cgroup directory below the root */
	bool reaped;
	int status;
};

/* Kills every process left in the cgroup and removes it. 0 or -errno. */
static int kill_and_remove(int root_fd, const char *name)
{
	struct timespec tick = { 0, 10 * 1000000 };
	int err = cgroup_remove(root_fd, name);

	if (err != -EBUSY)
		return err == -ENOENT ? 0 : err;
	err = cgroup_kill(root_fd, name);
	if (err)
		return err;
	for (int waited = 0; waited < KILL_WAIT_MS; waited += 10) {
		err = cgroup_remove(root_fd, name);
		if (err != -EBUSY)
			return err == -ENOENT ? 0 : err;
		nanosleep(&tick, NULL);
	}
	return err;
}

/* The keeper: waits for EOF from procap, then cleans up. Never returns. */
static void keeper_main(int root_fd, const char *name, int rd)
{
	char b;
	int err;

	/* a ^C on the terminal reaches the whole process group: procap decides when to stop */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGUSR1, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	prctl(PR_SET_NAME, "procap-keeper", 0, 0, 0);
	/* not holding procap's stdout open: a reader of `procap | ...` sees EOF with procap */
	close(0);
	close(1);
	while (read(rd, &b, 1) < 0 && errno == EINTR)
		;
	err = kill_and_remove(root_fd, name);
	if (err)
		fprintf(stderr, "procap: remove cgroup %s: %s\n", name, strerror(-err));
	_exit(err ? 1 : 0);
}

/* In the child: join the cgroup, become the invoking user with no capabilities, wait for
 * the go byte, exec. Never returns. */
static void child_main(int root_fd, const char *name, pid_t parent, int go_rd,
		       const struct child_ids *ids, char **argv)
{
	char go;
	int err = cgroup_join(root_fd, name, getpid());

	if (err) {
		fprintf(stderr, "procap: join cgroup %s: %s\n", name, strerror(-err));
		_exit(127);
	}
	if (privs_child_apply(ids))
		_exit(127);
	/* after the identity change, which clears it; then make sure procap is still there */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) || getppid() != parent)
		_exit(127);
	if (read(go_rd, &go, 1) != 1)
		_exit(127);	/* procap failed to start the capture */
	close(go_rd);
	signal(SIGPIPE, SIG_DFL);
	execvp(argv[0], argv);
	fprintf(stderr, "procap: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* "procap-<digits>": a command cgroup of some procap */
static bool is_cmd_cgroup(const char *name, pid_t *pid)
{
	char *end;
	long v;

	if (strncmp(name, CGROUP_PREFIX, strlen(CGROUP_PREFIX)))
		return false;
	name += strlen(CGROUP_PREFIX);
	v = strtol(name, &end, 10);
	if (end == name || *end || v <= 0)
		return false;
	*pid = (pid_t)v;
	return true;
}

/* A procap of a build before the flock (or of another PID namespace we cannot see) may own
 * it: one whose PID still runs under the name procap is left alone. */
static bool owner_alive(pid_t pid)
{
	char fn[64], comm[32] = "";
	FILE *f;

	snprintf(fn, sizeof(fn), "/proc/%d/comm", (int)pid);
	f = fopen(fn, "re");
	if (!f)
		return false;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = 0;
	fclose(f);
	return !strcmp(comm, "procap\n");
}

void cmd_remove_stale(int root_fd)
{
	int dfd = openat(root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	struct dirent *de;

	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return;
	}
	while ((de = readdir(d))) {
		pid_t pid;
		int fd, err;

		if (de->d_type != DT_DIR || !is_cmd_cgroup(de->d_name, &pid))
			continue;
		fd = openat(root_fd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (!flock(fd, LOCK_EX | LOCK_NB) && !owner_alive(pid)) {
			err = kill_and_remove(root_fd, de->d_name);
			if (err)
				pr_warn("remove stale cgroup %s: %s\n", de->d_name, strerror(-err));
			else
				pr_debug("removed stale cgroup %s\n", de->d_name);
		}
		close(fd);
	}
	closedir(d);
}

static void abandon(struct cmd *c)
{
	if (c->keeper_fd >= 0)
		close(c->keeper_fd);	/* the keeper removes the cgroup */
	if (c->keeper > 0)
		while (waitpid(c->keeper, NULL, 0) < 0 && errno == EINTR)
			;
	else
		cgroup_remove(c->root_fd, c->name);
	if (c->lock_fd >= 0)
		close(c->lock_fd);
	free(c);
}

int cmd_prepare(struct cmd **out, char **argv, int cgroup_root_fd, const char *user,
		uint64_t *cg_id, char *rel, size_t rellen)
{
	struct cmd *c = xcalloc(1, sizeof(*c));
	struct child_ids ids;
	int keeper_pipe[2], go_pipe[2], err;
	pid_t self = getpid();

	if (privs_child_ids(user, &ids)) {
		free(c);
		return -EINVAL;
	}
	c->pidfd = c->go_fd = c->keeper_fd = c->lock_fd = -1;
	c->root_fd = cgroup_root_fd;
	snprintf(c->name, sizeof(c->name), CGROUP_PREFIX "%d", (int)self);
	err = cgroup_create(cgroup_root_fd, c->name);
	if (!err)
		err = cgroup_id_at(cgroup_root_fd, c->name, cg_id);
	if (err) {
		pr_warn("create cgroup %s: %s\n", c->name, strerror(-err));
		free(c);
		return err;
	}
	snprintf(rel, rellen, "/%s", c->name);
	c->lock_fd = openat(cgroup_root_fd, c->name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c->lock_fd < 0 || flock(c->lock_fd, LOCK_EX | LOCK_NB)) {
		err = -errno;
		goto fail;
	}
	if (pipe2(keeper_pipe, O_CLOEXEC)) {
		err = -errno;
		goto fail;
	}
	fflush(NULL);
	c->keeper = fork();
	if (c->keeper == 0) {
		close(keeper_pipe[1]);
		keeper_main(cgroup_root_fd, c->name, keeper_pipe[0]);
	}
	close(keeper_pipe[0]);
	if (c->keeper < 0) {
		err = -errno;
		close(keeper_pipe[1]);
		goto fail;
	}
	c->keeper_fd = keeper_pipe[1];
	if (pipe2(go_pipe, O_CLOEXEC)) {
		err = -errno;
		goto fail;
	}
	c->pid = fork();
	if (c->pid == 0) {
		close(go_pipe[1]);
		close(c->keeper_fd);
		child_main(cgroup_root_fd, c->name, self, go_pipe[0], &ids, argv);
	}
	close(go_pipe[0]);
	if (c->pid < 0) {
		err = -errno;
		close(go_pipe[1]);
		goto fail;
	}
	c->go_fd = go_pipe[1];
	c->pidfd = (int)syscall(SYS_pidfd_open, c->pid, 0);
	*out = c;
	return 0;
fail:
	pr_warn("start %s: %s\n", argv[0], strerror(-err));
	abandon(c);
	return err;
}

int cmd_start(struct cmd *c)
{
	char go = 1;
	int rc = write(c->go_fd, &go, 1) == 1 ? 0 : -errno;

	close(c->go_fd);
	c->go_fd = -1;
	return rc;
}

int cmd_pidfd(const struct cmd *c)
{
	return c->pidfd;
}

bool cmd_exited(struct cmd *c)
{
	if (!c->reaped && waitpid(c->pid, &c->status, WNOHANG) == c->pid)
		c->reaped = true;
	return c->reaped;
}

int cmd_finish(struct cmd *c)
{
	int code;

	if (c->go_fd >= 0)
		close(c->go_fd);	/* never started: the child exits 127 */
	if (!cmd_exited(c)) {
		kill(c->pid, SIGTERM);
		while (waitpid(c->pid, &c->status, 0) < 0 && errno == EINTR)
			;
		c->reaped = true;
	}
	if (WIFEXITED(c->status))
		code = WEXITSTATUS(c->status);
	else if (WIFSIGNALED(c->status))
		code = 128 + WTERMSIG(c->status);
	else
		code = 1;
	if (c->pidfd >= 0)
		close(c->pidfd);
	abandon(c);	/* processes the command left behind are killed with the cgroup */
	return code;
}
