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
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
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

static void read_table(struct rows *r, const char *path, uint8_t proto, int words,
		       uint64_t netns)
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
		if (row.listening) {	/* a bound socket's key (bpf/capture.h) */
			memset(row.key.raddr, 0, sizeof(row.key.raddr));
			memcpy(row.key.raddr, &netns, sizeof(netns));
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

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE	71	/* Linux 5.14 */
#endif

uint64_t procsock_netns_cookie(void)
{
	uint64_t cookie = 0;
	socklen_t len = sizeof(cookie);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return 0;
	if (getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &len))
		cookie = 0;
	close(fd);
	return cookie;
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

/* The other socket's entries for tuple_owner, from the socket itself (any namespace): a flow
 * (connected) or a bound socket's key with its namespace's cookie (listening, unconnected
 * UDP). False if it is not an IPv4/IPv6 TCP or UDP socket. */
static bool socket_key(int fd, struct cap_tuple *k)
{
	struct sockaddr_storage la, ra;
	socklen_t ll = sizeof(la), rl = sizeof(ra), ol = sizeof(int);
	int proto, listening = 0;
	uint64_t cookie = 0;

	memset(k, 0, sizeof(*k));
	if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &ol) ||
	    (proto != IPPROTO_TCP && proto != IPPROTO_UDP) ||
	    getsockname(fd, (struct sockaddr *)&la, &ll))
		return false;
	ol = sizeof(listening);
	getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &ol);
	k->proto = (uint8_t)proto;
	if (la.ss_family == AF_INET) {
		const struct sockaddr_in *l = (const struct sockaddr_in *)&la;
		memcpy(k->laddr, &l->sin_addr, 4);
		k->lport_be = l->sin_port;
	} else if (la.ss_family == AF_INET6) {
		const struct sockaddr_in6 *l = (const struct sockaddr_in6 *)&la;
		memcpy(k->laddr, &l->sin6_addr, 16);
		k->lport_be = l->sin6_port;
	} else {
		return false;
	}
	if (!k->lport_be)
		return false;	/* not bound yet: nothing can reach it */
	if (!listening && !getpeername(fd, (struct sockaddr *)&ra, &rl)) {
		if (ra.ss_family == AF_INET) {
			const struct sockaddr_in *r = (const struct sockaddr_in *)&ra;
			memcpy(k->raddr, &r->sin_addr, 4);
			k->rport_be = r->sin_port;
		} else {
			const struct sockaddr_in6 *r = (const struct sockaddr_in6 *)&ra;
			memcpy(k->raddr, &r->sin6_addr, 16);
			k->rport_be = r->sin6_port;
		}
		return true;
	}
	ol = sizeof(cookie);
	getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &ol);
	memcpy(k->raddr, &cookie, sizeof(cookie));	/* a bound socket's key (bpf/capture.h) */
	return true;
}

/* A socket of another process, opened here through its pidfd (pidfd_getfd(2), Linux 5.6):
 * its storage gets the owner, as the sock_create hook would have done had procap run when it
 * was made, so the capture programs name it like any newer socket in whichever namespace it
 * lives (bpf/capture.bpf.c); and the sockets of other namespaces, which /proc/net does not
 * list here, get their tuple entries. False if the socket cannot be opened. */
static bool seed_socket(const struct procsock_cfg *cfg, int pidfd, int fd,
			const struct cap_tuple_val *val, bool listed)
{
	struct sock_state_seed {	/* bpf/maps.bpf.h struct sock_state, owner first */
		struct cap_owner owner;
		uint8_t rest[SOCK_STATE_SIZE - sizeof(struct cap_owner)];
	} st;
	struct cap_tuple k;
	int sfd = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);

	if (sfd < 0)
		return false;
	memset(&st, 0, sizeof(st));
	st.owner = val->owner;
	if (!listed && socket_key(sfd, &k))
		bpf_map_update_elem(cfg->tuple_map_fd, &k, val, BPF_NOEXIST);
	if (cfg->sock_map_fd >= 0)
		bpf_map_update_elem(cfg->sock_map_fd, &sfd, &st, BPF_NOEXIST);
	close(sfd);
	return true;
}

int procsock_scan(const struct procsock_cfg *cfg)
{
	struct rows r = { 0 };
	DIR *proc;
	struct dirent *de;
	int added = 0;
	uint64_t netns = procsock_netns_cookie();

	read_table(&r, "/proc/self/net/tcp", 6, 1, netns);
	read_table(&r, "/proc/self/net/tcp6", 6, 4, netns);
	read_table(&r, "/proc/self/net/udp", 17, 1, netns);
	read_table(&r, "/proc/self/net/udp6", 17, 4, netns);
	if (r.n)
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
		int pidfd = -1;
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
			struct sock_row *row = r.n ? bsearch(&want, r.v, r.n, sizeof(*r.v),
							     cmp_inode) : NULL;
			if (!have_owner) {
				memset(&val, 0, sizeof(val));
				if (!owner_of_pid(cfg, pid, &val.owner))
					break;
				val.source = CAP_SRC_PROC;
				have_owner = true;
				pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
			}
			if (pidfd >= 0 &&
			    seed_socket(cfg, pidfd, (int)strtol(fe->d_name, NULL, 10), &val, row))
				added += !row;
			/* hooks and egress packets know better: never overwrite their entries */
			if (row && !bpf_map_update_elem(cfg->tuple_map_fd, &row->key, &val,
							BPF_NOEXIST))
				added++;
		}
		if (pidfd >= 0)
			close(pidfd);
		closedir(fds);
	}
	closedir(proc);
	free(r.v);
	return added;
}
