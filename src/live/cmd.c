// SPDX-License-Identifier: BSD-3-Clause
/* Capture one command (see cmd.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "cgroup.h"
#include "cmd.h"
#include "util.h"

struct cmd {
	pid_t pid;
	int pidfd;
	int go_fd;		/* write end: one byte = exec, close without writing = give up */
	int root_fd;
	char name[64];		/* cgroup directory below the root */
	bool reaped;
	int status;
};

/* In the child: join the cgroup, wait for the go byte, exec. Never returns. */
static void child_main(int root_fd, const char *name, int go_rd, char **argv)
{
	char go;
	int err = cgroup_join(root_fd, name, getpid());

	if (err) {
		fprintf(stderr, "procap: join cgroup %s: %s\n", name, strerror(-err));
		_exit(127);
	}
	close(root_fd);
	if (read(go_rd, &go, 1) != 1)
		_exit(127);	/* procap failed to start the capture */
	close(go_rd);
	signal(SIGPIPE, SIG_DFL);
	execvp(argv[0], argv);
	fprintf(stderr, "procap: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

int cmd_prepare(struct cmd **out, char **argv, int cgroup_root_fd, uint64_t *cg_id,
		char *rel, size_t rellen)
{
	struct cmd *c = xcalloc(1, sizeof(*c));
	int pipefd[2], err;

	c->pidfd = -1;
	c->go_fd = -1;
	c->root_fd = cgroup_root_fd;
	snprintf(c->name, sizeof(c->name), "procap-%d", (int)getpid());
	err = cgroup_create(cgroup_root_fd, c->name);
	if (!err)
		err = cgroup_id_at(cgroup_root_fd, c->name, cg_id);
	if (err) {
		pr_warn("create cgroup %s: %s\n", c->name, strerror(-err));
		free(c);
		return err;
	}
	snprintf(rel, rellen, "/%s", c->name);
	if (pipe2(pipefd, O_CLOEXEC)) {
		err = -errno;
		goto fail;
	}
	fflush(NULL);
	c->pid = fork();
	if (c->pid < 0) {
		err = -errno;
		close(pipefd[0]);
		close(pipefd[1]);
		goto fail;
	}
	if (c->pid == 0) {
		close(pipefd[1]);
		child_main(cgroup_root_fd, c->name, pipefd[0], argv);
	}
	close(pipefd[0]);
	c->go_fd = pipefd[1];
	c->pidfd = (int)syscall(SYS_pidfd_open, c->pid, 0);
	*out = c;
	return 0;
fail:
	pr_warn("start %s: %s\n", argv[0], strerror(-err));
	cgroup_remove(cgroup_root_fd, c->name);
	free(c);
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
	int code, err;

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
	err = cgroup_remove(c->root_fd, c->name);
	if (err)
		pr_warn("remove cgroup %s: %s (processes of the command still run)\n", c->name,
			strerror(-err));
	free(c);
	return code;
}
