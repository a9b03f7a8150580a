// SPDX-License-Identifier: BSD-3-Clause
/* --resolver-names: uprobes on the C library's resolver functions report the addresses a
 * process got for a name, whatever answered (DNS on the wire, a local caching resolver,
 * DNS-over-TLS/HTTPS, /etc/hosts): getaddrinfo(), and gethostbyname(), gethostbyname2() and
 * their _r forms. The entry probe saves the name and where the result will be; the return probe
 * reads the result and sends one event per call. The programs read user memory and never write
 * it.
 * specification: POSIX getaddrinfo() and gethostbyname() (struct addrinfo, struct hostent);
 * the field offsets are those of the x86-64 ABI (LP64), the same in glibc and musl. */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "resolvprobe.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define AF_INET		2
#define AF_INET6	10

/* struct addrinfo { int ai_flags, ai_family, ai_socktype, ai_protocol; socklen_t ai_addrlen;
 * struct sockaddr *ai_addr; char *ai_canonname; struct addrinfo *ai_next; } */
#define AI_FAMILY	4
#define AI_ADDR		24
#define AI_NEXT		40
#define SIN_ADDR	4	/* sockaddr_in.sin_addr */
#define SIN6_ADDR	8	/* sockaddr_in6.sin6_addr */
/* struct hostent { char *h_name; char **h_aliases; int h_addrtype, h_length;
 * char **h_addr_list; } */
#define H_ADDRTYPE	16
#define H_ADDR_LIST	24

/* getaddrinfo returns each address once per socket type (stream, datagram, raw) unless the
 * hints narrow it: three list entries per address to walk */
#define AI_WALK_MAX	(3 * RSLV_MAX_ADDRS)

/* Where a call keeps its result (enum of the return probes). */
enum pending_kind {
	PENDING_GAI = 1,	/* out: struct addrinfo ** */
	PENDING_HOSTENT_RET,	/* the return value is the struct hostent * */
	PENDING_HOSTENT_OUT,	/* out: struct hostent ** (the _r forms) */
};

/* Keyed by thread and kind: gethostbyname() runs gethostbyname_r(), whose probes fire too
 * inside it; each keeps its own entry (the second report of the same name is harmless). */
struct pending_key {
	__u64 pid_tgid;
	__u32 kind;
	__u32 pad;
};

struct pending {
	__u64 name;		/* const char * */
	__u64 out;		/* where the result pointer will be written, by kind */
};

/* LRU: a call whose return probe never runs (its thread killed inside it) leaves its entry,
 * which must not fill the map for good. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, struct pending_key);
	__type(value, struct pending);
} pending_calls SEC(".maps");

#define RING_BYTES	(1024 * 1024)	/* about 1,800 results */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, RING_BYTES);
} resolv_events SEC(".maps");

static __always_inline void save(__u32 kind, const void *name, const void *out)
{
	struct pending_key k = { .pid_tgid = bpf_get_current_pid_tgid(), .kind = kind };
	struct pending v = { .name = (__u64)name, .out = (__u64)out };

	if (name)	/* getaddrinfo(NULL, port): a local address, no name */
		bpf_map_update_elem(&pending_calls, &k, &v, BPF_ANY);
}

/* The pending entry of this thread's call of kind, removed from the map; false if none. */
static __always_inline bool take(__u32 kind, struct pending *v)
{
	struct pending_key k = { .pid_tgid = bpf_get_current_pid_tgid(), .kind = kind };
	struct pending *p = bpf_map_lookup_elem(&pending_calls, &k);

	if (!p)
		return false;
	*v = *p;
	bpf_map_delete_elem(&pending_calls, &k);
	return true;
}

static __always_inline struct rslv_event *begin(__u32 call, __u64 name)
{
	struct rslv_event *e = bpf_ringbuf_reserve(&resolv_events, sizeof(*e), 0);
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u64 id = bpf_get_current_pid_tgid();

	if (!e)
		return NULL;
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->call = call;
	e->cgroup_id = bpf_get_current_cgroup_id();
	e->n_addrs = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	if (bpf_probe_read_user_str(e->name, sizeof(e->name), (const void *)name) <= 1) {
		bpf_ringbuf_discard(e, 0);
		return NULL;
	}
	return e;
}

static __always_inline void finish(struct rslv_event *e, __u32 n)
{
	e->n_addrs = n;
	if (!n) {
		bpf_ringbuf_discard(e, 0);
		return;
	}
	/* No wakeup (an irq_work, a trap on a KVM guest, in the caller's getaddrinfo): procap
	 * reads the results before each captured packet and at least once a second. Only a
	 * quarter-full ring wakes it, so a burst of lookups with no packets is not lost. */
	bpf_ringbuf_submit(e, bpf_ringbuf_query(&resolv_events, BPF_RB_AVAIL_DATA) >
			      RING_BYTES / 4 ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
}

/* A walk over a result list with bpf_loop(): a plain loop of AI_WALK_MAX steps with the
 * address count in its state is more than the verifier's million instructions. */
struct walk {
	struct rslv_event *e;
	__u64 at;		/* the list entry (addrinfo), or the h_addr_list array (hostent) */
	__u32 n;		/* addresses in e so far */
	int family;		/* hostent: h_addrtype */
};

/* Reads the address of family at src into slot n; 1 if it is a new one, 0 if not. */
static __always_inline __u32 put_addr(struct rslv_event *e, __u32 n, int family, const void *src)
{
	__u32 i = n & (RSLV_MAX_ADDRS - 1), prev = (n - 1) & (RSLV_MAX_ADDRS - 1);

	if (family == AF_INET) {
		e->ver[i] = 4;
		if (bpf_probe_read_user(e->addr[i], 4, src))
			return 0;
	} else if (family == AF_INET6) {
		e->ver[i] = 6;
		if (bpf_probe_read_user(e->addr[i], 16, src))
			return 0;
	} else {
		return 0;
	}
	/* the same address as the one before, for another socket type */
	return !n || e->ver[i] != e->ver[prev] ||
	       *(const __u64 *)&e->addr[i][0] != *(const __u64 *)&e->addr[prev][0] ||
	       *(const __u64 *)&e->addr[i][8] != *(const __u64 *)&e->addr[prev][8];
}

/* One struct addrinfo; 1 ends the walk. */
static long gai_step(__u32 idx, struct walk *w)
{
	__u64 ai = w->at, sa = 0;
	int family = 0;

	if (!ai || w->n >= RSLV_MAX_ADDRS ||
	    bpf_probe_read_user(&family, sizeof(family), (const void *)(ai + AI_FAMILY)) ||
	    bpf_probe_read_user(&sa, sizeof(sa), (const void *)(ai + AI_ADDR)) ||
	    bpf_probe_read_user(&w->at, sizeof(w->at), (const void *)(ai + AI_NEXT)))
		return 1;
	if (sa)
		w->n += put_addr(w->e, w->n, family,
				 (const void *)(sa + (family == AF_INET ? SIN_ADDR : SIN6_ADDR)));
	return 0;
}

/* One h_addr_list pointer; 1 ends the walk. */
static long hostent_step(__u32 idx, struct walk *w)
{
	__u64 a = 0;

	if (w->n >= RSLV_MAX_ADDRS ||
	    bpf_probe_read_user(&a, sizeof(a), (const void *)(w->at + 8 * (__u64)idx)) || !a)
		return 1;
	w->n += put_addr(w->e, w->n, w->family, (const void *)a);
	return 0;
}

SEC("uprobe")
int BPF_KPROBE(gai_enter, const char *node, const char *service, const void *hints, void **res)
{
	save(PENDING_GAI, node, res);
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(gai_exit, int ret)
{
	struct walk w = {};
	struct pending v;

	if (!take(PENDING_GAI, &v) || ret != 0 || !v.out)
		return 0;
	if (bpf_probe_read_user(&w.at, sizeof(w.at), (const void *)v.out) || !w.at)
		return 0;
	w.e = begin(RSLV_GETADDRINFO, v.name);
	if (!w.e)
		return 0;
	bpf_loop(AI_WALK_MAX, gai_step, &w, 0);
	finish(w.e, w.n);
	return 0;
}

/* The addresses of a struct hostent. */
static __always_inline void report_hostent(__u64 name, __u64 h)
{
	struct walk w = {};

	if (!h ||
	    bpf_probe_read_user(&w.family, sizeof(w.family), (const void *)(h + H_ADDRTYPE)) ||
	    bpf_probe_read_user(&w.at, sizeof(w.at), (const void *)(h + H_ADDR_LIST)) || !w.at)
		return;
	w.e = begin(RSLV_GETHOSTBYNAME, name);
	if (!w.e)
		return;
	bpf_loop(RSLV_MAX_ADDRS, hostent_step, &w, 0);
	finish(w.e, w.n);
}

/* gethostbyname(name) and gethostbyname2(name, af): the first argument is the name */
SEC("uprobe")
int BPF_KPROBE(hostent_enter, const char *name)
{
	save(PENDING_HOSTENT_RET, name, NULL);
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(hostent_exit, void *h)
{
	struct pending v;

	if (take(PENDING_HOSTENT_RET, &v))
		report_hostent(v.name, (__u64)h);
	return 0;
}

/* gethostbyname_r(name, ret, buf, buflen, result, h_errnop): result is the fifth argument */
SEC("uprobe")
int BPF_KPROBE(hostent_r_enter, const char *name, void *ret, void *buf, __u64 buflen,
	       void **result)
{
	save(PENDING_HOSTENT_OUT, name, result);
	return 0;
}

/* gethostbyname2_r(name, af, ret, buf, buflen, result, h_errnop): result is the sixth argument,
 * in r9 on x86-64 (libbpf 1.1 has no PT_REGS_PARM6) */
SEC("uprobe")
int BPF_KPROBE(hostent2_r_enter, const char *name)
{
	save(PENDING_HOSTENT_OUT, name, (const void *)ctx->r9);
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(hostent_r_exit, int ret)
{
	struct pending v;
	__u64 h = 0;

	if (!take(PENDING_HOSTENT_OUT, &v) || ret != 0 || !v.out ||
	    bpf_probe_read_user(&h, sizeof(h), (const void *)v.out))
		return 0;
	report_hostent(v.name, h);
	return 0;
}
