// SPDX-License-Identifier: BSD-3-Clause
/*
 * runstat: run a command and report what it cost, for bench/run.sh.
 *   runstat -- CMD ARGS...
 * prints on stderr, after CMD exits:
 *   runstat wall=SECONDS cpu=SECONDS user=SECONDS sys=SECONDS maxrss_kb=KB status=CODE
 * CPU and peak RSS come from wait4()'s rusage of the child, so they cover CMD only.
 * CMD's own stdout/stderr are left alone (the caller redirects them).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double tv_secs(struct timeval tv)
{
	return tv.tv_sec + tv.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	struct rusage ru;
	int status, argi = 1;

	if (argi < argc && !strcmp(argv[argi], "--"))
		argi++;
	if (argi >= argc) {
		fprintf(stderr, "usage: runstat -- CMD [ARGS...]\n");
		return 2;
	}
	double start = now();
	pid_t pid = fork();
	if (pid < 0) {
		perror("runstat: fork");
		return 2;
	}
	if (!pid) {
		execvp(argv[argi], &argv[argi]);
		fprintf(stderr, "runstat: exec %s: %s\n", argv[argi], strerror(errno));
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("runstat: wait4");
		return 2;
	}
	double wall = now() - start, user = tv_secs(ru.ru_utime), sys = tv_secs(ru.ru_stime);
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);

	fprintf(stderr, "runstat wall=%.3f cpu=%.3f user=%.3f sys=%.3f maxrss_kb=%ld status=%d\n",
		wall, user + sys, user, sys, ru.ru_maxrss, code);
	return code;
}
