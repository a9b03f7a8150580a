// SPDX-License-Identifier: BSD-3-Clause
/* Replays the fuzzer findings kept in testdata/malformed/ through the fuzz target that found
 * them (the including file #includes that target's source first), one forked child per file so
 * a crash or abort() is reported as a FAIL line naming the file instead of ending the test.
 * A file belongs to the target whose REGRESS_PREFIX its name starts with. */
#ifndef PROCAP_FUZZ_REPLAY_H
#define PROCAP_FUZZ_REPLAY_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#define REGRESS_DIR "testdata/malformed"
#define REGRESS_MAX (1u << 20)

/* A target with an LLVMFuzzerInitialize() defines REGRESS_INIT() to call it. */
#ifndef REGRESS_INIT
#define REGRESS_INIT() do { } while (0)
#endif

static void replay_child(const char *path)
{
	static uint8_t buf[REGRESS_MAX];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		_exit(3);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	REGRESS_INIT();
	LLVMFuzzerTestOneInput(buf, n);
	_exit(0);
}

int main(void)
{
	DIR *d = opendir(REGRESS_DIR);
	struct dirent *de;
	int files = 0;

	if (!d) {
		SKIP("regress " REGRESS_PREFIX, "no " REGRESS_DIR " (run from the source tree)");
		return 0;
	}
	while ((de = readdir(d))) {
		char path[512], name[600];
		int status;

		if (strncmp(de->d_name, REGRESS_PREFIX, strlen(REGRESS_PREFIX)))
			continue;
		snprintf(path, sizeof(path), "%s/%s", REGRESS_DIR, de->d_name);
		snprintf(name, sizeof(name), "regress %s", de->d_name);
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0)
			replay_child(path);
		if (pid < 0 || waitpid(pid, &status, 0) != pid) {
			CHECKF(false, name, "fork/wait failed");
			continue;
		}
		files++;
		if (WIFEXITED(status))
			CHECKF(WEXITSTATUS(status) == 0, name, "exit %d", WEXITSTATUS(status));
		else
			CHECKF(false, name, "killed by signal %d (see stderr)", WTERMSIG(status));
	}
	closedir(d);
	if (!files)
		SKIP("regress " REGRESS_PREFIX, "no files");
	return CHECK_EXIT();
}

#endif
