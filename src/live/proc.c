// SPDX-License-Identifier: BSD-3-Clause
/* Process table (see proc.h): open hashing on pid over a fixed pool, FIFO eviction. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/types.h>

#include "capture.h"
#include "cgroup.h"
#include "container.h"
#include "proc.h"
#include "util.h"

#define NO_ENTRY	UINT32_MAX

struct proc_entry {
	uint32_t pid;
	uint32_t next;		/* hash chain: index or NO_ENTRY */
	bool used;
	bool from_proc;		/* /proc was read for the current image */
	uint32_t ppid;
	char exe[PROC_STR_LEN];
	char args[PROC_STR_LEN];
	bool cgroup_known;	/* cgroup (maybe "") was resolved for cgroup_id */
	uint64_t cgroup_id;
	char cgroup[PROC_STR_LEN];
	/* proc_container_id(cgroup): 64 hex digits at most; proc_meta's size, so copying it
	 * out reads no further than it holds */
	char container[sizeof(((struct proc_meta *)0)->container)];
	bool ctr_known;		/* ctr was read from the container's runtime state */
	struct ctr_meta ctr;
};

struct proc_table {
	struct proc_entry *pool;
	size_t max;
	size_t hand;		/* next pool slot to (re)use */
	uint32_t *buckets;
	size_t n_buckets;
	int cgroup_root_fd;	/* for cgroup id -> path, or -1 */
	struct ctr_table *ctrs;	/* container id -> names, or NULL */
	uint64_t gen;		/* bumped whenever an entry is made, read or changed */
	bool no_args;		/* --no-args: command lines are never handed out */
};

struct proc_table *proc_table_new(size_t max_entries, int cgroup_root_fd)
{
	struct proc_table *t = xcalloc(1, sizeof(*t));

	t->cgroup_root_fd = cgroup_root_fd;
	t->max = max_entries ? max_entries : 1;
	t->pool = xcalloc(t->max, sizeof(*t->pool));
	t->n_buckets = t->max * 2;
	t->buckets = xmalloc(t->n_buckets * sizeof(*t->buckets));
	for (size_t i = 0; i < t->n_buckets; i++)
		t->buckets[i] = NO_ENTRY;
	return t;
}

void proc_table_omit_args(struct proc_table *t)
{
	t->no_args = true;
}

void proc_table_free(struct proc_table *t)
{
	if (!t)
		return;
	free(t->pool);
	free(t->buckets);
	free(t);
}

static uint32_t *bucket_of(struct proc_table *t, uint32_t pid)
{
	return &t->buckets[(pid * 2654435761u) % t->n_buckets];
}

static struct proc_entry *find(struct proc_table *t, uint32_t pid)
{
	for (uint32_t i = *bucket_of(t, pid); i != NO_ENTRY; i = t->pool[i].next)
		if (t->pool[i].pid == pid)
			return &t->pool[i];
	return NULL;
}

static void unlink_entry(struct proc_table *t, uint32_t idx)
{
	uint32_t *link = bucket_of(t, t->pool[idx].pid);

	while (*link != NO_ENTRY && *link != idx)
		link = &t->pool[*link].next;
	if (*link == idx)
		*link = t->pool[idx].next;
	t->pool[idx].used = false;
}

/* A fresh entry for pid, evicting the oldest one when the pool is full. */
static struct proc_entry *insert(struct proc_table *t, uint32_t pid)
{
	uint32_t idx = (uint32_t)t->hand;
	struct proc_entry *e = &t->pool[idx];

	t->hand = (t->hand + 1) % t->max;
	t->gen++;
	if (e->used)
		unlink_entry(t, idx);
	memset(e, 0, sizeof(*e));
	e->pid = pid;
	e->used = true;
	e->next = *bucket_of(t, pid);
	*bucket_of(t, pid) = idx;
	return e;
}

/* NUL-separated argv to one line with spaces; non-printable bytes become '.'. */
static void join_args(char *dst, size_t dstlen, const char *src, size_t n)
{
	size_t o = 0;

	while (n > 0 && src[n - 1] == 0)
		n--;
	for (size_t i = 0; i < n && o + 1 < dstlen; i++) {
		unsigned char c = (unsigned char)src[i];
		dst[o++] = c == 0 ? ' ' : (isprint(c) ? (char)c : '.');
	}
	dst[o] = 0;
}

/* The cgroup path of the process's packets, and the container id in it: resolved when the
 * cgroup id first differs from the one resolved before (a process can be moved), not for every
 * packet. The id comes with the packet, so the path is found even when the process has gone;
 * without privileges for that (-Z), /proc/PID/cgroup of the running process is read. */
static void resolve_cgroup(struct proc_table *t, struct proc_entry *e, uint64_t cgroup_id)
{
	if (e->cgroup_known && e->cgroup_id == cgroup_id)
		return;
	t->gen++;
	e->cgroup_known = true;
	e->cgroup_id = cgroup_id;
	e->cgroup[0] = 0;
	if (!cgroup_id || t->cgroup_root_fd < 0 ||
	    cgroup_path_of_id(t->cgroup_root_fd, cgroup_id, e->cgroup, sizeof(e->cgroup)))
		cgroup_of_pid((pid_t)e->pid, e->cgroup, sizeof(e->cgroup));
	proc_container_id(e->cgroup, e->container, sizeof(e->container));
	/* v1-only hosts keep every task in the v2 root: the container is in a v1 path */
	if (!e->container[0] && (!e->cgroup[0] || !strcmp(e->cgroup, "/"))) {
		char v1[PROC_STR_LEN];

		if (!cgroup_v1_of_pid((pid_t)e->pid, v1, sizeof(v1)))
			proc_container_id(v1, e->container, sizeof(e->container));
	}
	e->ctr_known = false;
	memset(&e->ctr, 0, sizeof(e->ctr));
}

/* The container's names, once its runtime has written them (ctr_lookup retries an unknown id
 * after a short wait, so this costs little while a container is being created). */
static void resolve_container(struct proc_table *t, struct proc_entry *e)
{
	const struct ctr_meta *c;

	if (e->ctr_known || !e->container[0] || !t->ctrs)
		return;
	c = ctr_lookup(t->ctrs, e->container);
	if (!c)
		return;
	e->ctr = *c;
	e->ctr_known = true;
	t->gen++;
}

/* The executable's path from /proc; e->exe stays as it was when the link cannot be read. */
static void read_exe(struct proc_entry *e)
{
	char fn[64], buf[PROC_STR_LEN];

	snprintf(fn, sizeof(fn), "/proc/%u/exe", e->pid);
	if (read_link(fn, buf, sizeof(buf)) > 0)
		str_copy(e->exe, sizeof(e->exe), buf);
}

static void read_from_proc(struct proc_entry *e)
{
	char fn[64], buf[PROC_STR_LEN];
	ssize_t n;
	int fd;

	read_exe(e);
	snprintf(fn, sizeof(fn), "/proc/%u/cmdline", e->pid);
	fd = open(fn, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf));
		if (n > 0)
			join_args(e->args, sizeof(e->args), buf, (size_t)n);
		close(fd);
	}
	snprintf(fn, sizeof(fn), "/proc/%u/stat", e->pid);
	FILE *f = fopen(fn, "re");
	if (f) {
		char line[1024];
		if (fgets(line, sizeof(line), f)) {
			/* "pid (comm) state ppid": comm may hold ' ' and ')': use the last ')' */
			char *rp = strrchr(line, ')');
			unsigned ppid;
			if (rp && sscanf(rp + 1, " %*c %u", &ppid) == 1)
				e->ppid = ppid;
		}
		fclose(f);
	}
	e->from_proc = true;
}

void proc_container_id(const char *path, char *out, size_t outlen)
{
	size_t run = 0;

	out[0] = 0;
	for (const char *p = path; *p; p++) {
		run = isxdigit((unsigned char)*p) ? run + 1 : 0;
		if (run == 64 && !isxdigit((unsigned char)p[1])) {
			snprintf(out, outlen, "%.64s", p - 63);
			return;
		}
	}
}

void proc_table_fill(struct proc_table *t, struct proc_meta *m)
{
	struct proc_entry *e = find(t, m->pid);

	if (!e)
		e = insert(t, m->pid);
	if (!e->from_proc) {
		read_from_proc(e);
		t->gen++;
	}
	resolve_cgroup(t, e, m->cgroup_id);
	resolve_container(t, e);
	m->ppid = e->ppid;
	str_copy(m->exe, sizeof(m->exe), e->exe);
	str_copy(m->args, sizeof(m->args), t->no_args ? "" : e->args);
	str_copy(m->cgroup, sizeof(m->cgroup), e->cgroup);
	str_copy(m->container, sizeof(m->container), e->container);
	m->ctr = e->ctr;
}

void proc_table_set_containers(struct proc_table *t, struct ctr_table *ctrs)
{
	t->ctrs = ctrs;
}

void proc_table_event(struct proc_table *t, const struct cap_proc_event *ev)
{
	struct proc_entry *e = find(t, ev->pid);

	t->gen++;

	if (ev->kind == CAP_KIND_EXIT) {
		/* keep the entry: packets of this process may still sit in the ring; a new
		 * process reusing the pid execs (replacing it) or is read from /proc afresh */
		if (e)
			e->from_proc = true;
		return;
	}
	if (!e)
		e = insert(t, ev->pid);
	e->ppid = ev->ppid;
	snprintf(e->exe, sizeof(e->exe), "%.*s", (int)sizeof(ev->filename), ev->filename);
	join_args(e->args, sizeof(e->args), ev->args,
		  ev->args_len < sizeof(ev->args) ? ev->args_len : sizeof(ev->args));
	/* exe, args and ppid came with the event, the cgroup comes with each packet (its id):
	 * read from /proc only the exe when execve() was given a relative path, now while the
	 * process is sure to be alive. This runs for every exec on the machine (bench/README). */
	if (e->exe[0] != '/')
		read_exe(e);
	e->from_proc = true;
}

uint64_t proc_table_gen(const struct proc_table *t)
{
	return t->gen;
}
