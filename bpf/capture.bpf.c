// SPDX-License-Identifier: BSD-3-Clause
/* Packet capture at TC ingress/egress (tcx links, or clsact filters on older kernels) and (with
 * --xdp) XDP ingress.
 * For every packet: count it, run the pcap filter (procap_filter, spliced in at load), find
 * the owning process (on egress the sending task when the packet leaves in its system call,
 * else the owner stored on the skb's socket; the local tuple otherwise: see owner.bpf.h),
 * apply the process filters, then copy min(len, snaplen) bytes into a ring record of the
 * smallest size class that holds them.
 * The packet's fate is never changed: TC_ACT_UNSPEC / XDP_PASS. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "capture.h"
#include "compat.bpf.h"
#include "maps.bpf.h"
#include "owner.bpf.h"
#include "parse.bpf.h"
#include "filter_stub.bpf.h"
#include "wake.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Set by the loader between __open() and __load(). */
const volatile __u32 snaplen = 262144;
const volatile __u32 pfilter_mask;	/* CAP_PF_* */
const volatile __u32 pf_uid;
const volatile char pf_comm[CAP_COMM_LEN];
/* Ring-full drops over all CPUs; each record carries the value at its reservation so userspace
 * can fill epb_dropcount (drops since the previous packet). Only written on a drop. */
__u64 drops_total;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cap_stats);
} stats SEC(".maps");

/* ifindex -> CAP_IF_* (L3 devices have no link header). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u32);
} ifcfg SEC(".maps");

/* Bumped by the loader after every ifcfg update: invalidates the per-CPU caches below. */
__u32 ifcfg_gen;

/* The last interface each CPU saw and its ifcfg flags: a flood on one interface costs no
 * hash lookup per packet (bench/README.md, scenario 2 profile). */
struct if_cache {
	__u32 ifindex;
	__u32 gen;
	__u32 flags;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct if_cache);
} ifcache SEC(".maps");

static __always_inline __u32 if_flags(__u32 ifindex)
{
	__u32 key = 0, gen = ifcfg_gen, *f;
	struct if_cache *c = bpf_map_lookup_elem(&ifcache, &key);

	if (!c)
		return 0;
	if (c->ifindex == ifindex && c->gen == gen)
		return c->flags;
	f = bpf_map_lookup_elem(&ifcfg, &ifindex);
	c->ifindex = ifindex;
	c->gen = gen;	/* read before the lookup: a concurrent update bumps it afterwards */
	c->flags = f ? *f : 0;
	return c->flags;
}

static __always_inline bool comm_matches(const char *comm)
{
	for (int i = 0; i < CAP_COMM_LEN; i++) {
		if (comm[i] != pf_comm[i])
			return false;
		if (!comm[i])
			break;
	}
	return true;
}

/* --container, --pod, --pod-namespace: the cgroup ids of the containers they select, kept up
 * to date by userspace as containers start (src/live/ctrwatch.c). Checked per packet against
 * the owner's cgroup, so a socket created before its container's cgroup was added matches
 * from then on. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u64);
	__type(value, __u8);
} cgroup_set SEC(".maps");

/* Process filters: all given ones must match; a packet without an owner never matches. */
static __always_inline bool proc_matches(const struct cap_owner *o, __u32 src)
{
	if (!pfilter_mask)
		return true;
	if (src == CAP_SRC_NONE)
		return false;
	if ((pfilter_mask & CAP_PF_PID) && !bpf_map_lookup_elem(&pid_filter, &o->pid))
		return false;
	if ((pfilter_mask & CAP_PF_COMM) && !comm_matches(o->comm))
		return false;
	if ((pfilter_mask & CAP_PF_UID) && o->uid != pf_uid)
		return false;
	if ((pfilter_mask & CAP_PF_CGROUP) && !(o->flags & CAP_OWNER_IN_CGROUP))
		return false;
	if ((pfilter_mask & CAP_PF_CGROUP_SET) && !bpf_map_lookup_elem(&cgroup_set, &o->cgroup_id))
		return false;
	return true;
}

/* The tuple key of a packet seen from the local side. ICMP echo has no remote port. */
static __always_inline void local_key(const struct pkt_tuple *t, __u8 dir, struct cap_tuple *k)
{
	bool icmp = t->proto == IPPROTO_ICMP || t->proto == IPPROTO_ICMPV6;

	if (dir == CAP_DIR_EGRESS) {
		__builtin_memcpy(k->laddr, t->saddr, 16);
		__builtin_memcpy(k->raddr, t->daddr, 16);
		k->lport_be = t->sport_be;
		k->rport_be = icmp ? 0 : t->dport_be;
	} else {
		__builtin_memcpy(k->laddr, t->daddr, 16);
		__builtin_memcpy(k->raddr, t->saddr, 16);
		k->lport_be = t->dport_be;
		k->rport_be = icmp ? 0 : t->sport_be;
	}
	k->proto = t->proto;
}

#define LEARN_RECHECK_NS	1000000000ull

static __always_inline bool same_tuple(const struct cap_tuple *a, const struct cap_tuple *b)
{
	const __u64 *x = (const __u64 *)a, *y = (const __u64 *)b;

	_Static_assert(sizeof(struct cap_tuple) == 5 * sizeof(__u64), "cap_tuple words");
	return x[0] == y[0] && x[1] == y[1] && x[2] == y[2] && x[3] == y[3] && x[4] == y[4];
}

/* An egress packet of a known socket teaches the tuple map who gets the replies. Written only
 * when the entry is missing or names another process (which of its threads sent last does not
 * change who gets the replies), so a flow costs one update, not one per packet; and the socket
 * remembers what it taught, so a connected socket's next packets cost no lookup either until
 * the recheck is due. */
static __always_inline void learn_tuple(const struct cap_tuple *k, struct sock_state *st,
					__u64 *now)
{
	const struct cap_owner *o = &st->owner;
	struct cap_tuple_val *old;
	struct cap_tuple_val v = {};

	if (!*now)
		*now = bpf_ktime_get_ns();
	if (st->learned_ns && *now - st->learned_ns < LEARN_RECHECK_NS &&
	    same_tuple(&st->learned, k))
		return;	/* cleared when another process takes the socket over */
	st->learned = *k;
	st->learned_ns = *now;
	old = bpf_map_lookup_elem(&tuple_owner, k);
	if (old && old->owner.pid == o->pid && old->source == CAP_SRC_TUPLE)
		return;
	v.owner = *o;
	v.source = CAP_SRC_TUPLE;
	bpf_map_update_elem(&tuple_owner, k, &v, BPF_ANY);
}

static __always_inline __u32 owner_by_tuple(struct cap_tuple *k, struct cap_owner *o)
{
	struct cap_tuple_val *v = bpf_map_lookup_elem(&tuple_owner, k);

	if (!v) {	/* not connected-socket traffic: try the bound local address */
		__builtin_memset(k->raddr, 0, 16);
		k->rport_be = 0;
		v = bpf_map_lookup_elem(&tuple_owner, k);
	}
	if (!v) {	/* a socket bound to the wildcard address */
		__builtin_memset(k->laddr, 0, 16);
		v = bpf_map_lookup_elem(&tuple_owner, k);
	}
	if (!v)
		return CAP_SRC_NONE;
	*o = v->owner;
	return v->source;
}

/* The owner of an egress packet's own socket: the sending task when the packet leaves in its
 * system call (stored on the socket, so the packets the kernel sends later for it, such as
 * ACKs and retransmissions, name it too), else whoever the socket storage names. */
static __always_inline struct sock_state *egress_socket_state(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	struct sock_state *st;

	if (sk)
		sk = bpf_sk_fullsock(sk);	/* request and time-wait sockets: by tuple */
	if (!sk)
		return NULL;
	if (!task_is_sending())
		return bpf_sk_storage_get(&sock_owner, sk, NULL, 0);
	st = bpf_sk_storage_get(&sock_owner, sk, NULL, BPF_SK_STORAGE_GET_F_CREATE);
	if (st && own_by_current(&st->owner))
		st->learned_ns = 0;	/* the tuple map names the previous owner */
	return st;
}

/* now: the packet's bpf_ktime_get_ns(), read here when the tuple memo needs it (0 before). */
static __always_inline __u32 find_owner(void *ctx, bool is_xdp, __u8 dir, __u64 *now,
					const struct pkt_tuple *t, struct cap_owner *o)
{
	struct cap_tuple k = {};

	if (t->ok)
		local_key(t, dir, &k);
	if (!is_xdp && dir == CAP_DIR_EGRESS) {
		struct sock_state *st = egress_socket_state(ctx);

		if (st) {
			*o = st->owner;
			if (t->ok && t->has_ports && !t->quoted)
				learn_tuple(&k, st, now);
			return CAP_SRC_COOKIE;
		}
	}
	if (!t->ok)
		return CAP_SRC_NONE;
	return owner_by_tuple(&k, o);
}

/* One function per size class: the reservation size must be a constant. */
#define DEFINE_EMIT(N)                                                                     \
	static __always_inline int emit_##N(void *ctx, bool is_xdp, const struct cap_event *h, \
					    __u64 cap)                                         \
	{                                                                                  \
		struct cap_event *e;                                                       \
                                                                                           \
		e = bpf_ringbuf_reserve(&events, sizeof(struct cap_event) + (N), 0);       \
		if (!e)                                                                    \
			return -1;                                                         \
		__builtin_memcpy(e, h, sizeof(*h));                                        \
		barrier_var(cap);                                                          \
		if (cap > (N))                                                             \
			cap = (N);                                                         \
		barrier_var(cap);                                                          \
		if (cap < 1 || load_bytes(ctx, is_xdp, 0, e->data, cap)) {                 \
			bpf_ringbuf_discard(e, BPF_RB_NO_WAKEUP);                          \
			return -2;                                                         \
		}                                                                          \
		e->cap_len = (__u32)cap;                                                   \
		if (cap < h->wire_len)                                                     \
			e->flags |= CAP_F_TRUNC;                                           \
		bpf_ringbuf_submit(e, wake_flags(h->ts_ns));                              \
		return 0;                                                                  \
	}

DEFINE_EMIT(CAP_CLASS_0)
DEFINE_EMIT(CAP_CLASS_1)
DEFINE_EMIT(CAP_CLASS_2)
DEFINE_EMIT(CAP_CLASS_3)
DEFINE_EMIT(CAP_CLASS_4)

static __always_inline int emit(void *ctx, bool is_xdp, const struct cap_event *h, __u64 cap)
{
	if (cap <= CAP_CLASS_0)
		return emit_CAP_CLASS_0(ctx, is_xdp, h, cap);
	if (cap <= CAP_CLASS_1)
		return emit_CAP_CLASS_1(ctx, is_xdp, h, cap);
	if (cap <= CAP_CLASS_2)
		return emit_CAP_CLASS_2(ctx, is_xdp, h, cap);
	if (cap <= CAP_CLASS_3)
		return emit_CAP_CLASS_3(ctx, is_xdp, h, cap);
	return emit_CAP_CLASS_4(ctx, is_xdp, h, cap);
}

/* The filter's second argument: on L3 devices (packets start at the IP header) the filter runs
 * the expression compiled for raw IP, when the filter module provides one. */
static __always_inline __u32 filter_flags(bool is_xdp, bool l3)
{
#ifdef PROCAP_FILTER_L3
	return (is_xdp ? PROCAP_FILTER_XDP : 0) | (l3 ? PROCAP_FILTER_L3 : 0);
#else
	return is_xdp;
#endif
}

/* Common path of the three programs; h has kind, ifindex, wire_len, mark, protocol_be, dir and
 * flags filled in. */
static __always_inline void capture(void *ctx, bool is_xdp, struct cap_event *h)
{
	__u32 key = 0, l3off = ETH_HLEN;
	__u64 cap;
	struct cap_stats *st = bpf_map_lookup_elem(&stats, &key);
	struct pkt_tuple t = {};
	__u32 snap;
	int rc;

	if (!st)
		return;
	st->seen++;
	if (if_flags(h->ifindex) & CAP_IF_L3) {
		l3off = 0;
		h->flags |= CAP_F_L3;
	}
	snap = procap_filter(ctx, filter_flags(is_xdp, l3off == 0));
	if (!snap) {
		st->filter_rejected++;
		return;
	}
	parse_tuple(ctx, is_xdp, l3off, h->protocol_be, &t);
	h->owner_src = find_owner(ctx, is_xdp, h->dir, &h->ts_ns, &t, &h->owner);
	if (!proc_matches(&h->owner, h->owner_src)) {
		st->proc_rejected++;
		return;
	}
	st->passed++;
	if (h->owner_src != CAP_SRC_NONE)
		st->attributed++;

	cap = h->wire_len;
	if (cap > snaplen)
		cap = snaplen;
	if (cap > (__u64)snap)
		cap = (__u64)snap;
	if (!h->ts_ns)	/* one clock read per packet, none for one the process filters drop */
		h->ts_ns = bpf_ktime_get_ns();
	h->drops = drops_total;
	rc = emit(ctx, is_xdp, h, cap);
	if (rc == 0) {
		st->captured++;
	} else if (rc == -1) {
		st->ringbuf_full++;
		__sync_fetch_and_add(&drops_total, 1);
	} else {
		st->load_err++;
	}
}

static __always_inline int capture_tc(struct __sk_buff *skb, __u8 dir)
{
	struct cap_event h = {};

	h.kind = CAP_KIND_PACKET;
	h.ifindex = skb->ifindex;
	h.wire_len = skb->len;
	h.mark = skb->mark;
	h.protocol_be = (__u16)skb->protocol;
	h.dir = dir;
	capture(skb, false, &h);
	return TC_ACT_UNSPEC;
}

SEC("tc")
int tc_ingress(struct __sk_buff *skb)
{
	return capture_tc(skb, CAP_DIR_INGRESS);
}

SEC("tc")
int tc_egress(struct __sk_buff *skb)
{
	return capture_tc(skb, CAP_DIR_EGRESS);
}

SEC("xdp")
int xdp_ingress(struct xdp_md *ctx)
{
	struct cap_event h = {};
	__u8 eth[ETH_HLEN];

	h.kind = CAP_KIND_PACKET;
	h.ifindex = ctx->ingress_ifindex;
	h.wire_len = bpf_xdp_get_buff_len(ctx);
	h.dir = CAP_DIR_INGRESS;
	h.flags = CAP_F_XDP;
	if (if_flags(h.ifindex) & CAP_IF_L3) {
		/* no link header: the IP version nibble says what follows */
		if (bpf_xdp_load_bytes(ctx, 0, eth, 1) == 0)
			h.protocol_be = (eth[0] >> 4) == 6 ? bpf_htons(ETH_P_IPV6) :
							    bpf_htons(ETH_P_IP);
	} else if (bpf_xdp_load_bytes(ctx, 0, eth, sizeof(eth)) == 0) {
		__builtin_memcpy(&h.protocol_be, &eth[12], 2);
	}
	capture(ctx, true, &h);
	return XDP_PASS;
}
