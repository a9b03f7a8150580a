// SPDX-License-Identifier: BSD-3-Clause
/* Shared library files of running processes (see libfind.h). */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "libfind.h"

bool libset_add(struct libset *set, const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return false;
	for (int i = 0; i < set->n; i++)
		if (set->devs[i] == st.st_dev && set->inos[i] == st.st_ino)
			return false;
	if (set->n == LIBFIND_MAX)
		return false;
	set->devs[set->n] = st.st_dev;
	set->inos[set->n++] = st.st_ino;
	return true;
}

static bool base_matches(const char *path, const char *prefix)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return !strncmp(base, prefix, strlen(prefix));
}

/* The mappings of one process (/proc/PID/maps) that are the library. */
static void scan_process(const char *pid, const char *prefix, libfind_fn fn, void *ctx)
{
	char fn_maps[300], line[4352], path[4352 + 300];
	FILE *f;

	snprintf(fn_maps, sizeof(fn_maps), "/proc/%s/maps", pid);
	f = fopen(fn_maps, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *p = strchr(line, '/'), *deleted;

		if (!p || !strstr(p, prefix))
			continue;
		p[strcspn(p, "\n")] = 0;
		deleted = strstr(p, " (deleted)");
		if (deleted)
			*deleted = 0;
		if (!base_matches(p, prefix))
			continue;
		if (deleted)
			snprintf(path, sizeof(path), "/proc/%s/map_files/%.*s", pid,
				 (int)strcspn(line, " "), line);
		else
			snprintf(path, sizeof(path), "/proc/%s/root%s", pid, p);
		fn(ctx, path, p);
	}
	fclose(f);
}

void libfind_each(const char *const *usual, size_t n_usual, const char *prefix, libfind_fn fn,
		  void *ctx)
{
	DIR *proc;
	struct dirent *de;

	for (size_t i = 0; i < n_usual; i++)
		fn(ctx, usual[i], usual[i]);
	proc = opendir("/proc");
	if (!proc)
		return;
	while ((de = readdir(proc)))
		if (de->d_name[0] >= '1' && de->d_name[0] <= '9')
			scan_process(de->d_name, prefix, fn, ctx);
	closedir(proc);
}
