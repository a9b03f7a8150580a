// SPDX-License-Identifier: BSD-3-Clause
/* Warnings for process filters that select nothing running (proctarget.h). */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proctarget.h"
#include "util.h"

static bool comm_running(const char *name)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	bool found = false;

	if (!d)
		return true;	/* cannot tell: no warning */
	while (!found && (de = readdir(d))) {
		char fn[300], comm[32];
		FILE *f;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(fn, sizeof(fn), "/proc/%s/comm", de->d_name);
		f = fopen(fn, "re");
		if (!f)
			continue;	/* exited meanwhile */
		if (fgets(comm, sizeof(comm), f)) {
			comm[strcspn(comm, "\n")] = 0;
			found = strcmp(comm, name) == 0;
		}
		fclose(f);
	}
	closedir(d);
	return found;
}

void proctarget_warn_absent(const struct options *o)
{
	for (int i = 0; i < o->n_pids; i++)
		if (kill((pid_t)o->pids[i], 0) && errno == ESRCH)
			pr_warn("warning: --pid %u: no such process; it selects nothing unless a "
				"process gets that id\n", o->pids[i]);
	if (o->comm && !comm_running(o->comm))
		pr_warn("warning: --comm %s: no running process has that name; its packets are "
			"captured once one runs\n", o->comm);
}
