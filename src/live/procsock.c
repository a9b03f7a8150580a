// SPDX-License-Identifier: BSD-3-Clause
/* Seed the tuple map from /proc (proc(5): /proc/net/tcp, /proc/PID/fd). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <linux/types.h>

#include "capture.h"
#include "cgroup.h"
#include "procsock.h"
#include "util.h"

#define TCP_LISTEN	0x0A	/* include/net/tcp_states.h */

struct sock_row {
	uint64_t inode;
	struct cap_tuple key;
	bool listening;
};

struct rows {
	struct sock_row *v;
	size_t n, cap;
};

/* One hex address of /proc/net/{tcp,udp}[6]: 32-bit words printed in host order. */
static bool parse_addr(const char *hex, uint8_t *out, int words)
{
	for (int w = 0; w < words; w++) {
		char part[9];
		uint32_t v;

		memcpy(part, hex + w * 8, 8);
		part[8] = 0;
		if (sscanf(part, "%8x", &v) != 1)
			return false;
		memcpy(out + w * 4, &v, 4);
	}
	return true;
}

static void read_table(struct rows *r, const char *path, uint8_t proto, int words)
{
	FILE *f = fopen(path, "re");
	char line[512];

	if (!f)
		return;
	if (!fgets(line, sizeof(line), f)) {	/* header */
		fclose(f);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char laddr[40], raddr[40];
		unsigned lport, rport, state;
		unsigned long long inode;
		struct sock_row row;

		if (sscanf(line, " %*d: %39[0-9A-Fa-f]:%x %39[0-9A-Fa-f]:%x %x "
			   "%*s %*s %*s %*s %*s %llu",
			   laddr, &lport, raddr, &rport, &state, &inode) != 6 || !inode)
			continue;
		if (strlen(laddr) != (size_t)words * 8 || strlen(raddr) != (size_t)words * 8)
			continue;
		memset(&row, 0, sizeof(row));
		row.inode = inode;
		if (!parse_addr(laddr, row.key.laddr, words) ||
		    !parse_addr(raddr, row.key.raddr, words))
			continue;
		row.key.lport_be = htons((uint16_t)lport);
		row.key.rport_be = htons((uint16_t)rport);
		row.key.proto = proto;
		row.listening = proto == 6 ? state == TCP_LISTEN : rport == 0;
		if (row.listening) {
			memset(row.key.raddr, 0, sizeof(row.key.raddr));
			row.key.rport_be = 0;
		}
		if (r->n == r->cap) {
			r->cap = r->cap ? r->cap * 2 : 256;
			r->v = xrealloc(r->v, r->cap * sizeof(*r->v));
		}
		r->v[r->n++] = row;
	}
	fclose(f);
}

static int cmp_inode(const void *a, const void *b)
{
	const struct sock_row *x = a, *y = b;
	return x->inode < y->inode ? -1 : x->inode > y->inode;
}

static bool owner_of_pid(const struct procsock_cfg *cfg, uint32_t pid, struct cap_owner *o)
{
	char fn[64], cg[4096];
	struct stat st;
	FILE *f;

	memset(o, 0, sizeof(*o));
	o->pid = o->tid = pid;
	snprintf(fn, sizeof(fn), "/proc/%u", pid);
	if (stat(fn, &st))
		return false;
	o->uid = st.st_uid;
	snprintf(fn, sizeof(fn), "/proc/%u/comm", pid);
	f = fopen(fn, "re");
	if (f) {
		if (fgets(o->comm, sizeof(o->comm), f))
			o->comm[strcspn(o->comm, "\n")] = 0;
		fclose(f);
	}
	if (cgroup_of_pid((pid_t)pid, cg, sizeof(cg)) == 0) {
		uint64_t id;
		if (cfg->cgroup_root_fd >= 0 && cgroup_id_at(cfg->cgroup_root_fd, cg, &id) == 0)
			o->cgroup_id = id;
		if (cfg->cg_target) {
			size_t n = strlen(cfg->cg_target);
			if (!strcmp(cfg->cg_target, "/") ||
			    (!strncmp(cg, cfg->cg_target, n) && (cg[n] == '/' || cg[n] == 0)))
				o->flags |= CAP_OWNER_IN_CGROUP;
		}
	}
	return true;
}

int procsock_scan(const struct procsock_cfg *cfg)
{
	struct rows r = { 0 };
	DIR *proc;
	struct dirent *de;
	int added = 0;

	read_table(&r, "/proc/self/net/tcp", 6, 1);
	read_table(&r, "/proc/self/net/tcp6", 6, 4);
	read_table(&r, "/proc/self/net/udp", 17, 1);
	read_table(&r, "/proc/self/net/udp6", 17, 4);
	if (!r.n)
		return 0;
	qsort(r.v, r.n, sizeof(*r.v), cmp_inode);
	proc = opendir("/proc");
	if (!proc) {
		free(r.v);
		return -errno;
	}
	while ((de = readdir(proc))) {
		char fddir[64];
		DIR *fds;
		struct dirent *fe;
		struct cap_tuple_val val;
		bool have_owner = false;
		uint32_t pid;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		pid = (uint32_t)strtoul(de->d_name, NULL, 10);
		snprintf(fddir, sizeof(fddir), "/proc/%u/fd", pid);
		fds = opendir(fddir);
		if (!fds)
			continue;
		while ((fe = readdir(fds))) {
			char link[128], target[64];
			unsigned long long ino;

			if (fe->d_name[0] == '.')
				continue;
			snprintf(link, sizeof(link), "%s/%.16s", fddir, fe->d_name);
			if (read_link(link, target, sizeof(target)) <= 0 ||
			    sscanf(target, "socket:[%llu]", &ino) != 1)
				continue;
			struct sock_row want = { .inode = ino };
			struct sock_row *row = bsearch(&want, r.v, r.n, sizeof(*r.v), cmp_inode);
			if (!row)
				continue;
			if (!have_owner) {
				memset(&val, 0, sizeof(val));
				if (!owner_of_pid(cfg, pid, &val.owner))
					break;
				val.source = CAP_SRC_PROC;
				have_owner = true;
			}
			/* hooks and egress packets know better: never overwrite their entries */
			if (!bpf_map_update_elem(cfg->tuple_map_fd, &row->key, &val,
						 BPF_NOEXIST))
				added++;
		}
		closedir(fds);
	}
	closedir(proc);
	free(r.v);
	return added;
}
