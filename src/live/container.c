// SPDX-License-Identifier: BSD-3-Clause
/* Container identity from the runtimes' state files (see container.h). The formats are the
 * runtimes' own: Docker's container config (config.v2.json), the OCI runtime bundle's
 * config.json (OCI runtime-spec "annotations"), containers/storage's containers.json, and the
 * container config JSON libpod keeps in its BoltDB file. */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "container.h"
#include "jsonread.h"
#include "util.h"

#define CTR_MAX_ENTRIES		4096
#define CTR_RETRY_MS		200		/* an unknown id is read again after this */
#define CTR_FILE_MAX		(64u << 20)	/* state files larger than this are not read */

struct ctr_entry {
	char id[CTR_ID_LEN + 1];
	bool known;
	uint64_t checked_ms;		/* when an unknown id was last looked for */
	struct ctr_meta m;
};

struct ctr_table {
	char root[1024];		/* PROCAP_HOST_ROOT, or "" */
	struct ctr_entry *e;
	size_t n, cap;
};

struct ctr_table *ctr_table_new(const char *root)
{
	struct ctr_table *t = xcalloc(1, sizeof(*t));

	snprintf(t->root, sizeof(t->root), "%s", root ? root : "");
	/* "/" and "" both mean the host's own paths */
	for (size_t n = strlen(t->root); n > 0 && t->root[n - 1] == '/'; n--)
		t->root[n - 1] = 0;
	return t;
}

void ctr_table_free(struct ctr_table *t)
{
	if (!t)
		return;
	free(t->e);
	free(t);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The whole file, NUL-terminated (malloc'ed), or NULL. */
static char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *buf = NULL;
	size_t got = 0;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size < CTR_FILE_MAX) {
		buf = xmalloc((size_t)st.st_size + 1);
		while (got < (size_t)st.st_size) {
			ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
			if (r <= 0)
				break;
			got += (size_t)r;
		}
		buf[got] = 0;
		*len = got;
	}
	close(fd);
	return buf;
}

static void set_once(char *dst, size_t len, const char *src)
{
	if (!dst[0] && src[0])
		str_copy(dst, len, src);
}

/* Labels or annotations (an object of strings at c): the Kubernetes names, as kubelet's
 * labels (io.kubernetes.*, Docker and podman labels, CRI-O annotations) or containerd's CRI
 * annotations (io.kubernetes.cri.*) carry them. */
static void take_labels(struct jcur *c, struct ctr_meta *m)
{
	static const struct {
		const char *key;
		size_t off, len;
	} keys[] = {
#define K(k, f) { k, offsetof(struct ctr_meta, f), sizeof(((struct ctr_meta *)0)->f) }
		K("io.kubernetes.pod.name", pod),
		K("io.kubernetes.cri.sandbox-name", pod),
		K("io.kubernetes.pod.namespace", pod_ns),
		K("io.kubernetes.cri.sandbox-namespace", pod_ns),
		K("io.kubernetes.container.name", pod_ctr),
		K("io.kubernetes.cri.container-name", pod_ctr),
		K("io.kubernetes.cri.image-name", image),
		K("nerdctl/name", name),
#undef K
	};
	char key[128], val[256];
	int r;

	if (!jc_enter(c, '{'))
		return;
	while ((r = jc_next(c, key, sizeof(key))) == 1) {
		size_t k;

		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (!strcmp(key, keys[k].key))
				break;
		if (k == sizeof(keys) / sizeof(keys[0])) {
			if (!jc_skip(c))
				return;
			continue;
		}
		if (!jc_str(c, val, sizeof(val)))
			return;
		set_once((char *)m + keys[k].off, keys[k].len, val);
	}
}

static void labels_at(const char *s, size_t n, const char *const *path, struct ctr_meta *m)
{
	struct jcur c;

	jc_init(&c, s, n);
	if (jc_find(&c, path))
		take_labels(&c, m);
}

/* Docker: config.v2.json holds "Name": "/web" and "Config": {"Image", "Labels"}. */
static bool from_docker(const struct ctr_table *t, const char *id, struct ctr_meta *m)
{
	static const char *const name_path[] = { "Name", NULL };
	static const char *const image_path[] = { "Config", "Image", NULL };
	static const char *const labels_path[] = { "Config", "Labels", NULL };
	char fn[PATH_MAX], name[128];
	size_t len;
	char *s;

	snprintf(fn, sizeof(fn), "%s/var/lib/docker/containers/%s/config.v2.json", t->root, id);
	s = slurp(fn, &len);
	if (!s)
		return false;
	if (json_get_str(s, len, name_path, name, sizeof(name)))
		set_once(m->name, sizeof(m->name), name[0] == '/' ? name + 1 : name);
	json_get_str(s, len, image_path, m->image, sizeof(m->image));
	labels_at(s, len, labels_path, m);
	free(s);
	return true;
}

/* An OCI bundle's config.json: its annotations. */
static bool from_bundle(const char *fn, struct ctr_meta *m)
{
	static const char *const path[] = { "annotations", NULL };
	size_t len;
	char *s = slurp(fn, &len);

	if (!s)
		return false;
	labels_at(s, len, path, m);
	free(s);
	return true;
}

/* containerd: the task's bundle, one directory per containerd namespace ("k8s.io", ...). */
static bool from_containerd(const struct ctr_table *t, const char *id, struct ctr_meta *m)
{
	static const char *const task_dirs[] = {
		"run/containerd/io.containerd.runtime.v2.task",
		"run/containerd/io.containerd.runtime.v1.linux",
	};
	bool found = false;

	for (size_t i = 0; !found && i < sizeof(task_dirs) / sizeof(task_dirs[0]); i++) {
		char dir[1200], fn[1500];
		struct dirent *de;
		DIR *d;

		snprintf(dir, sizeof(dir), "%s/%s", t->root, task_dirs[i]);
		d = opendir(dir);
		if (!d)
			continue;
		while (!found && (de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(fn, sizeof(fn), "%s/%s/%s/config.json", dir, de->d_name, id);
			found = from_bundle(fn, m);
		}
		closedir(d);
	}
	/* a CRI container has no other name than its Kubernetes one */
	if (found)
		set_once(m->name, sizeof(m->name), m->pod_ctr);
	return found;
}

/* One element of containers.json: {"id", "names": [...], "metadata": "<JSON string>"}.
 * 1 if it is id's (m filled), 0 if another's, -1 on malformed text. */
static int storage_entry(struct jcur *c, const char *id, struct ctr_meta *m)
{
	static const char *const image_path[] = { "image-name", NULL };
	static const char *const pod_path[] = { "pod-name", NULL };
	char key[32], val[CTR_ID_LEN + 2], name[128] = "", meta[4096] = "";
	bool match = false;
	int r;

	if (!jc_enter(c, '{'))
		return -1;
	while ((r = jc_next(c, key, sizeof(key))) == 1) {
		if (!strcmp(key, "id")) {
			if (!jc_str(c, val, sizeof(val)))
				return -1;
			match = !strcmp(val, id);
		} else if (!strcmp(key, "names")) {
			/* the first name is the one podman and CRI-O show */
			if (!jc_enter(c, '['))
				return -1;
			for (int i = 0; (r = jc_next(c, NULL, 0)) == 1; i++)
				if (!(i ? jc_skip(c) : jc_str(c, name, sizeof(name))))
					return -1;
			if (r < 0)
				return -1;
		} else if (!strcmp(key, "metadata")) {
			if (!jc_str(c, meta, sizeof(meta)))
				return -1;
		} else if (!jc_skip(c)) {
			return -1;
		}
	}
	if (r < 0)
		return -1;
	if (!match)
		return 0;
	set_once(m->name, sizeof(m->name), name);
	json_get_str(meta, strlen(meta), image_path, m->image, sizeof(m->image));
	json_get_str(meta, strlen(meta), pod_path, m->pod, sizeof(m->pod));
	return 1;
}

/* podman 4 keeps each container's config as JSON ({"spec": ..., "id", "name", "labels",
 * "rootfsImageName", ...}) in a BoltDB bucket. BoltDB stores a value as one contiguous run of
 * bytes (an overflowing value takes consecutive pages), so the config is found by scanning the
 * file for it, without a BoltDB reader. A freed page may still hold an older copy of a
 * config: a container's config never changes, so any copy is right. */
static void from_libpod_bolt(const struct ctr_table *t, const char *id, struct ctr_meta *m)
{
	static const char marker[] = "{\"spec\":{";
	char fn[PATH_MAX], key[32], val[CTR_ID_LEN + 2];
	size_t len;
	char *s;

	snprintf(fn, sizeof(fn), "%s/var/lib/containers/storage/libpod/bolt_state.db", t->root);
	s = slurp(fn, &len);
	if (!s)
		return;
	for (char *p = s; (p = memmem(p, len - (size_t)(p - s), marker, sizeof(marker) - 1));
	     p++) {
		struct ctr_meta got;
		struct jcur c;
		bool match = false;
		int r;

		memset(&got, 0, sizeof(got));
		jc_init(&c, p, len - (size_t)(p - s));
		if (!jc_enter(&c, '{'))
			continue;
		while ((r = jc_next(&c, key, sizeof(key))) == 1) {
			bool ok;

			if (!strcmp(key, "id")) {
				match = jc_str(&c, val, sizeof(val)) && !strcmp(val, id);
				ok = match;	/* another container's config: next one */
			} else if (!strcmp(key, "name")) {
				ok = jc_str(&c, got.name, sizeof(got.name));
			} else if (!strcmp(key, "rootfsImageName")) {
				ok = jc_str(&c, got.image, sizeof(got.image));
			} else if (!strcmp(key, "labels")) {
				take_labels(&c, &got);
				ok = true;	/* the last member libpod reads: stop there on error */
			} else {
				ok = jc_skip(&c);
			}
			if (!ok)
				break;
		}
		if (!match)
			continue;
		set_once(m->name, sizeof(m->name), got.name);
		set_once(m->image, sizeof(m->image), got.image);
		set_once(m->pod, sizeof(m->pod), got.pod);
		set_once(m->pod_ns, sizeof(m->pod_ns), got.pod_ns);
		set_once(m->pod_ctr, sizeof(m->pod_ctr), got.pod_ctr);
		break;
	}
	free(s);
}

/* containers/storage (podman, CRI-O): DRIVER-containers/containers.json names every
 * container; its bundle (userdata/config.json, in the graph root or the run root) has the
 * annotations CRI-O writes the Kubernetes names into. */
static bool from_storage(const struct ctr_table *t, const char *id, struct ctr_meta *m)
{
	char dir[1100], fn[1600];
	bool found = false;
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/var/lib/containers/storage", t->root);
	d = opendir(dir);
	if (!d)
		return false;
	while (!found && (de = readdir(d))) {
		size_t n = strlen(de->d_name), len;
		struct jcur c;
		char *s;

		if (n < 11 || strcmp(de->d_name + n - 11, "-containers"))
			continue;
		snprintf(fn, sizeof(fn), "%s/%s/containers.json", dir, de->d_name);
		s = slurp(fn, &len);
		if (!s)
			continue;
		jc_init(&c, s, len);
		if (jc_enter(&c, '['))
			while (jc_next(&c, NULL, 0) == 1) {
				int r = storage_entry(&c, id, m);
				found = r == 1;
				if (r)
					break;
			}
		free(s);
		if (!found)
			continue;
		snprintf(fn, sizeof(fn), "%s/%s/%s/userdata/config.json", dir, de->d_name, id);
		if (!from_bundle(fn, m)) {
			snprintf(fn, sizeof(fn), "%s/run/containers/storage/%s/%s/userdata/config.json",
				 t->root, de->d_name, id);
			from_bundle(fn, m);
		}
	}
	closedir(d);
	if (found)
		from_libpod_bolt(t, id, m);
	return found;
}

static struct ctr_entry *entry_for(struct ctr_table *t, const char *id)
{
	struct ctr_entry *e;

	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->e[i].id, id))
			return &t->e[i];
	if (t->n == CTR_MAX_ENTRIES)
		t->n = 0;	/* a host with this many containers: start over */
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->e = xrealloc(t->e, t->cap * sizeof(*t->e));
	}
	e = &t->e[t->n++];
	memset(e, 0, sizeof(*e));
	str_copy(e->id, sizeof(e->id), id);
	return e;
}

const struct ctr_meta *ctr_lookup(struct ctr_table *t, const char *id)
{
	struct ctr_entry *e;
	uint64_t now;

	/* it becomes part of file names: 64 lowercase hex digits only */
	if (strlen(id) != CTR_ID_LEN || strspn(id, "0123456789abcdef") != CTR_ID_LEN)
		return NULL;
	e = entry_for(t, id);
	if (e->known)
		return &e->m;
	now = now_ms();
	if (e->checked_ms && now - e->checked_ms < CTR_RETRY_MS)
		return NULL;
	e->checked_ms = now;
	memset(&e->m, 0, sizeof(e->m));
	e->known = from_docker(t, id, &e->m) || from_containerd(t, id, &e->m) ||
		   from_storage(t, id, &e->m);
	return e->known ? &e->m : NULL;
}

bool ctr_query_active(const struct ctr_query *q)
{
	return q->container || q->pod || q->pod_ns;
}

static bool id_prefix(const char *id, const char *arg)
{
	size_t n = strlen(arg);

	if (n < 4 || n > CTR_ID_LEN)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)arg[i]) || tolower((unsigned char)arg[i]) != id[i])
			return false;
	return true;
}

bool ctr_matches(const struct ctr_query *q, const char *id, const struct ctr_meta *m)
{
	static const struct ctr_meta none;

	if (!m)
		m = &none;
	if (q->container && strcmp(q->container, m->name) && strcmp(q->container, m->pod_ctr) &&
	    !id_prefix(id, q->container))
		return false;
	if (q->pod && strcmp(q->pod, m->pod))
		return false;
	if (q->pod_ns && strcmp(q->pod_ns, m->pod_ns))
		return false;
	return true;
}
