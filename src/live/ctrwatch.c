// SPDX-License-Identifier: BSD-3-Clause
/* Container filters followed through the cgroup tree (see ctrwatch.h). inotify(7) reports a
 * mkdir in a watched cgroup directory as IN_CREATE|IN_ISDIR and the removal of a watched one
 * as IN_IGNORED; each directory is watched, so a cgroup made anywhere in the tree is seen. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/inotify.h>
#include <bpf/bpf.h>

#include "cgroup.h"
#include "ctrwatch.h"
#include "proc.h"
#include "util.h"

#define PENDING_MAX		256
#define PENDING_GIVE_UP_MS	10000	/* a runtime that never names its container */
#define WATCH_MASK		(IN_CREATE | IN_ONLYDIR)

struct watched {
	char *rel;			/* "/a/b" below the root; NULL if the slot is free */
	uint64_t cgid;			/* in cgroup_set, else 0 */
};

struct pending {
	char rel[PATH_MAX];
	uint64_t since_ms;
};

struct ctr_watch {
	struct ctr_query q;
	struct ctr_table *ctrs;
	int root_fd, map_fd, ino_fd;
	struct watched *wd;		/* indexed by inotify watch descriptor */
	int n_wd;
	struct pending pend[PENDING_MAX];
	int n_pend;
	unsigned selected;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* 1 if rel belongs to a selected container, 0 if not, -1 if its container has no names yet. */
static int selects(struct ctr_watch *w, const char *rel)
{
	char id[80];
	const struct ctr_meta *m;

	proc_container_id(rel, id, sizeof(id));
	if (!id[0])
		return 0;
	m = ctr_lookup(w->ctrs, id);
	if (!m && (w->q.pod || w->q.pod_ns || !ctr_matches(&w->q, id, NULL)))
		return -1;
	return ctr_matches(&w->q, id, m);
}

static void select_cgroup(struct ctr_watch *w, const char *rel, struct watched *slot)
{
	uint64_t id;
	uint8_t one = 1;

	if (cgroup_id_at(w->root_fd, rel, &id))
		return;		/* removed meanwhile */
	if (bpf_map_update_elem(w->map_fd, &id, &one, BPF_ANY)) {
		pr_warn("container cgroup %s: %s\n", rel, strerror(errno));
		return;
	}
	pr_debug("container filter: cgroup %s selected\n", rel);
	w->selected++;
	if (slot)
		slot->cgid = id;
}

static void add_pending(struct ctr_watch *w, const char *rel)
{
	if (w->n_pend == PENDING_MAX)
		return;
	for (int i = 0; i < w->n_pend; i++)
		if (!strcmp(w->pend[i].rel, rel))
			return;
	str_copy(w->pend[w->n_pend].rel, sizeof(w->pend[0].rel), rel);
	w->pend[w->n_pend++].since_ms = now_ms();
}

static struct watched *watch_dir(struct ctr_watch *w, const char *rel)
{
	char path[PATH_MAX + 32];
	int wd;

	snprintf(path, sizeof(path), "/proc/self/fd/%d%s", w->root_fd, rel);
	wd = inotify_add_watch(w->ino_fd, path, WATCH_MASK);
	if (wd < 0) {
		if (errno == ENOSPC)
			pr_warn("container filter: out of inotify watches at %s "
				"(fs.inotify.max_user_watches)\n", rel);
		return NULL;
	}
	if (wd >= w->n_wd) {
		int n = wd + 64;
		w->wd = xrealloc(w->wd, (size_t)n * sizeof(*w->wd));
		memset(w->wd + w->n_wd, 0, (size_t)(n - w->n_wd) * sizeof(*w->wd));
		w->n_wd = n;
	}
	if (!w->wd[wd].rel)
		w->wd[wd].rel = xstrdup(rel);
	return &w->wd[wd];
}

/* A cgroup directory and everything below it: watched first, listed after, so a child made
 * in between is reported by inotify or found by the listing (both: selecting twice is fine). */
static void visit(struct ctr_watch *w, const char *rel)
{
	struct watched *slot = watch_dir(w, rel);
	struct dirent *de;
	int r, fd;
	DIR *d;

	r = selects(w, rel);
	if (r > 0)
		select_cgroup(w, rel, slot);
	else if (r < 0)
		add_pending(w, rel);
	fd = openat(w->root_fd, rel[1] ? rel + 1 : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	while ((de = readdir(d))) {
		char child[PATH_MAX];

		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		if (snprintf(child, sizeof(child), "%s/%s", rel[1] ? rel : "", de->d_name) >=
		    (int)sizeof(child))
			continue;
		visit(w, child);
	}
	closedir(d);
}

int ctr_watch_start(struct ctr_watch **out, const struct ctr_query *q, struct ctr_table *ctrs,
		    int cg_root_fd, int cgroup_set_fd)
{
	struct ctr_watch *w = xcalloc(1, sizeof(*w));

	w->q = *q;
	w->ctrs = ctrs;
	w->root_fd = cg_root_fd;
	w->map_fd = cgroup_set_fd;
	w->ino_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->ino_fd < 0) {
		int err = -errno;
		pr_warn("container filter: inotify: %s\n", strerror(-err));
		free(w);
		return err;
	}
	visit(w, "/");
	*out = w;
	return 0;
}

int ctr_watch_fd(const struct ctr_watch *w)
{
	return w->ino_fd;
}

static void on_event(struct ctr_watch *w, const struct inotify_event *ev)
{
	struct watched *slot = ev->wd >= 0 && ev->wd < w->n_wd ? &w->wd[ev->wd] : NULL;
	char child[PATH_MAX];

	if (!slot || !slot->rel)
		return;
	if (ev->mask & IN_IGNORED) {	/* the cgroup was removed: its id is never reused */
		if (slot->cgid)
			bpf_map_delete_elem(w->map_fd, &slot->cgid);
		free(slot->rel);
		memset(slot, 0, sizeof(*slot));
		return;
	}
	if (!(ev->mask & IN_CREATE) || !(ev->mask & IN_ISDIR) || !ev->len)
		return;
	if (snprintf(child, sizeof(child), "%s/%s", slot->rel[1] ? slot->rel : "", ev->name) <
	    (int)sizeof(child))
		visit(w, child);
}

void ctr_watch_poll(struct ctr_watch *w)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	uint64_t now;
	ssize_t n;

	while ((n = read(w->ino_fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			on_event(w, ev);
			p += sizeof(*ev) + ev->len;
		}
	}
	now = now_ms();
	for (int i = 0; i < w->n_pend;) {
		struct pending *pe = &w->pend[i];
		int r = selects(w, pe->rel);

		if (r > 0)
			select_cgroup(w, pe->rel, NULL);
		if (r >= 0 || now - pe->since_ms > PENDING_GIVE_UP_MS)
			*pe = w->pend[--w->n_pend];
		else
			i++;
	}
}

unsigned ctr_watch_selected(const struct ctr_watch *w)
{
	return w->selected;
}

void ctr_watch_free(struct ctr_watch *w)
{
	if (!w)
		return;
	for (int i = 0; i < w->n_wd; i++)
		free(w->wd[i].rel);
	free(w->wd);
	close(w->ino_fd);
	free(w);
}
