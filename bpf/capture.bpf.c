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
#include <bpf/bpf_core_read.h>

#include "capture.h"
#include "compat.bpf.h"
#include "maps.bpf.h"
#include "owner.bpf.h"
#include "parse.bpf.h"
#include "filter_stub.bpf.h"
#include "wake.bpf.h"
#include "tcpinfo.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Set by the loader between __open() and __load(). */
const volatile __u32 snaplen = 262144;
const volatile __u32 pfilter_mask;	/* CAP_PF_* */
const volatile __u32 pf_uid;
const volatile char pf_comm[CAP_COMM_LEN];
/* 0 with -Q in: the egress program captures nothing and only learns who sends (the socket's
 * owner, the tuple replies come back to), so inbound packets are still named. */
const volatile __u32 egress_capture = 1;
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

/* The tuple key of a packet with its source (sender side) or its destination (receiver side)
 * as the local end. ICMP echo has no remote port. */
static __always_inline void local_key(const struct pkt_tuple *t, bool src_local,
				      struct cap_tuple *k)
{
	bool icmp = t->proto == IPPROTO_ICMP || t->proto == IPPROTO_ICMPV6;

	if (src_local) {
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
#define PEER_RECHECK_NS		1000000000ull
#define PEER_RETRY_NS		10000000ull	/* while no peer is known */

static __always_inline bool same_tuple(const struct cap_tuple *a, const struct cap_tuple *b)
{
	const __u64 *x = (const __u64 *)a, *y = (const __u64 *)b;

	_Static_assert(sizeof(struct cap_tuple) == 5 * sizeof(__u64), "cap_tuple words");
	return x[0] == y[0] && x[1] == y[1] && x[2] == y[2] && x[3] == y[3] && x[4] == y[4];
}

static __always_inline __u64 clock_now(__u64 *now)
{
	if (!*now)
		*now = bpf_ktime_get_ns();
	return *now;
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

	clock_now(now);
	if (st->learned_ns && *now - st->learned_ns < LEARN_RECHECK_NS &&
	    same_tuple(&st->learned, k))
		return;	/* cleared when another process takes the socket over */
	if (!same_tuple(&st->learned, k))
		st->peer_ns = 0;	/* another remote end: another peer */
	st->learned = *k;
	st->learned_ns = *now;
	old = bpf_map_lookup_elem(&tuple_owner, k);
	if (old && old->owner.pid == o->pid && old->source == CAP_SRC_TUPLE)
		return;
	learn_owner(k, o);
}

/* A flow's owner, written only when missing or naming another process. */
static __always_inline void learn_flow(const struct cap_tuple *k, const struct cap_owner *o)
{
	struct cap_tuple_val *v = bpf_map_lookup_elem(&tuple_owner, k);

	if (!v || v->owner.pid != o->pid)
		learn_owner(k, o);
}

/* A flow entry: a socket connected to exactly this remote end, in any namespace. */
static __always_inline __u32 owner_by_flow(const struct cap_tuple *k, struct cap_owner *o)
{
	struct cap_tuple_val *v = bpf_map_lookup_elem(&tuple_owner, k);

	if (!v)
		return CAP_SRC_NONE;
	*o = v->owner;
	return v->source;
}

#ifndef PACKET_OTHERHOST
#define PACKET_OTHERHOST	3	/* linux/if_packet.h: for another link address */
#endif

/* Whether the capture namespace keeps t for its own sockets (a local destination), so a
 * wildcard socket receives it; a packet the host forwards (to a container) is not its.
 * bpf_fib_lookup() answers only for an interface that forwards: on one that does not (a
 * host's default, net.ipv4.ip_forward 0) it returns FWD_DISABLED before any lookup
 * (net/core/filter.c), and the kernel delivers what that interface accepts to local sockets
 * or drops it (ip_route_input), so there the packet is local unless it was for another link
 * address (PACKET_OTHERHOST, which ip_rcv drops; XDP runs before that is known). */
static __always_inline bool dst_is_local(void *ctx, bool is_xdp, __u32 ifindex,
					 const struct pkt_tuple *t)
{
	struct bpf_fib_lookup fib = {};
	long rc;

	fib.ifindex = ifindex;
	if (t->v6) {
		fib.family = AF_INET6;
		__builtin_memcpy(fib.ipv6_src, t->saddr, 16);
		__builtin_memcpy(fib.ipv6_dst, t->daddr, 16);
	} else {
		fib.family = AF_INET;
		__builtin_memcpy(&fib.ipv4_src, t->saddr, 4);
		__builtin_memcpy(&fib.ipv4_dst, t->daddr, 4);
	}
	rc = bpf_fib_lookup(ctx, &fib, sizeof(fib), BPF_FIB_LOOKUP_SKIP_NEIGH);
	if (rc == BPF_FIB_LKUP_RET_FWD_DISABLED)
		return is_xdp || ((struct __sk_buff *)ctx)->pkt_type != PACKET_OTHERHOST;
	return rc == BPF_FIB_LKUP_RET_NOT_FWDED;
}

/* The socket the kernel of a namespace delivers a TCP or UDP packet to (bpf_sk_lookup_*: the
 * connection, or the listener / bound socket), named by its storage: the capture namespace's
 * for what arrives, the veth peer's for what leaves towards it; with reverse, the peer's
 * socket that a reply would reach, which is the one that sent the packet. Needs no learning:
 * a connection procap never saw leave, or made in another namespace, is known. */
static __always_inline __u32 owner_by_lookup(struct __sk_buff *skb, const struct pkt_tuple *t,
					     bool reverse, __s64 netns, struct cap_owner *o)
{
	struct bpf_sock_tuple bt = {};
	const __u8 *sa = reverse ? t->daddr : t->saddr, *da = reverse ? t->saddr : t->daddr;
	__u16 sp = reverse ? t->dport_be : t->sport_be, dp = reverse ? t->sport_be : t->dport_be;
	struct bpf_sock *sk;
	struct sock_state *st;
	__u32 src = CAP_SRC_NONE;

	if (t->v6) {
		__builtin_memcpy(bt.ipv6.saddr, sa, 16);
		__builtin_memcpy(bt.ipv6.daddr, da, 16);
		bt.ipv6.sport = sp;
		bt.ipv6.dport = dp;
	} else {
		__builtin_memcpy(&bt.ipv4.saddr, sa, 4);
		__builtin_memcpy(&bt.ipv4.daddr, da, 4);
		bt.ipv4.sport = sp;
		bt.ipv4.dport = dp;
	}
	/* the size must be a constant at each call */
	if (t->proto == IPPROTO_TCP)
		sk = t->v6 ? bpf_sk_lookup_tcp(skb, &bt, sizeof(bt.ipv6), netns, 0) :
			     bpf_sk_lookup_tcp(skb, &bt, sizeof(bt.ipv4), netns, 0);
	else if (t->proto == IPPROTO_UDP)
		sk = t->v6 ? bpf_sk_lookup_udp(skb, &bt, sizeof(bt.ipv6), netns, 0) :
			     bpf_sk_lookup_udp(skb, &bt, sizeof(bt.ipv4), netns, 0);
	else
		return CAP_SRC_NONE;
	if (!sk)
		return CAP_SRC_NONE;
	/* a socket bound to the wildcard address and port matches whatever address the packet
	 * is for: it receives it only if that address is one of this namespace's (in another
	 * namespace, the veth peer's, nothing is forwarded on: the address is its own) */
	if (netns == BPF_F_CURRENT_NETNS && !reverse && !sk->dst_port &&
	    !(t->v6 ? sk->src_ip6[0] | sk->src_ip6[1] | sk->src_ip6[2] | sk->src_ip6[3] :
		      sk->src_ip4) &&
	    !dst_is_local(skb, false, skb->ifindex, t)) {
		bpf_sk_release(sk);
		return CAP_SRC_NONE;
	}
	st = bpf_sk_storage_get(&sock_owner, sk, NULL, 0);
	if (st) {
		*o = st->owner;
		src = CAP_SRC_COOKIE;
	}
	bpf_sk_release(sk);
	return src;
}

extern void *bpf_cast_to_kern_ctx(void *obj) __ksym __weak;

/* One direction of a connection tracking entry as a tuple_owner key, its source the local end:
 * a socket's own view of its flow. Read with CO-RE probe reads (libbpf 1.1 cannot tell struct
 * nf_conn from its nf_conn___init flavour for a type cast). */
static __always_inline void ct_key(const struct nf_conn *ct, int dir, const struct pkt_tuple *t,
				   struct cap_tuple *k)
{
	const struct nf_conntrack_tuple *x = &ct->tuplehash[dir].tuple;
	bool icmp = t->proto == IPPROTO_ICMP || t->proto == IPPROTO_ICMPV6;

	__builtin_memset(k, 0, sizeof(*k));
	bpf_core_read(k->laddr, t->v6 ? 16 : 4, &x->src.u3);
	bpf_core_read(k->raddr, t->v6 ? 16 : 4, &x->dst.u3);
	k->lport_be = BPF_CORE_READ(x, src.u.all);	/* the echo identifier for ICMP */
	k->rport_be = icmp ? 0 : BPF_CORE_READ(x, dst.u.all);
	k->proto = t->proto;
}

/* A packet the host translated (masquerade, port forwarding: the shape of every container
 * host) no longer shows its sender's or receiver's own view of the flow. At egress it carries
 * its connection tracking entry (after POSTROUTING), whose original and reply directions do:
 * the packet's own direction as first sent has the sender's addresses, the other direction the
 * receiver's. k: the sender's (or with receiver, the receiver's) key. False if the packet was
 * not translated. */
static __always_inline bool nat_key(struct __sk_buff *skb, const struct pkt_tuple *t,
				    bool receiver, struct cap_tuple *k)
{
	struct sk_buff *kskb = bpf_cast_to_kern_ctx(skb);
	unsigned long nfct = kskb->_nfct;
	const struct nf_conn *ct = (const void *)(nfct & ~7ul);
	int dir;

	if (!ct || !(BPF_CORE_READ(ct, status) & (IPS_SRC_NAT | IPS_DST_NAT)))
		return false;
	dir = (nfct & 7) >= IP_CT_IS_REPLY;	/* enum ip_conntrack_info */
	ct_key(ct, dir ^ receiver, t, k);
	return true;
}

/* A socket bound to the local address, or to the wildcard address, in the namespace the
 * capture runs in (the one procap was started in: its interfaces are the captured ones). A
 * wildcard socket is the receiver only if the destination is local (as in owner_by_lookup());
 * at egress (sent: false) the packet left a local socket, so its source is local already. */
const volatile __u64 capture_netns;

static __always_inline __u32 owner_by_bound(void *ctx, bool is_xdp, bool sent, __u32 ifindex,
					    const struct pkt_tuple *t, struct cap_tuple *k,
					    struct cap_owner *o)
{
	struct cap_tuple_val *v;

	bound_key(k, capture_netns);
	v = bpf_map_lookup_elem(&tuple_owner, k);
	if (!v) {
		__builtin_memset(k->laddr, 0, 16);
		v = bpf_map_lookup_elem(&tuple_owner, k);
		if (v && !sent && !dst_is_local(ctx, is_xdp, ifindex, t))
			v = NULL;
	}
	if (!v)
		return CAP_SRC_NONE;
	*o = v->owner;
	return v->source;
}

/* The local receiver of a packet: its socket in the capture namespace (TC), or in the veth
 * peer's it leaves towards (peer_ns >= 0), else a flow learned in any namespace, else a socket
 * bound in the capture namespace. local: the packet is for this namespace or from one of its
 * sockets (not one the host forwards). */
static __always_inline __u32 find_receiver(void *ctx, bool is_xdp, __u32 ifindex, bool local,
					   __s64 peer_ns, const struct pkt_tuple *t, bool nat,
					   struct cap_tuple *k, struct cap_owner *o)
{
	__u32 src = CAP_SRC_NONE;

	if (!is_xdp && peer_ns >= 0)
		src = owner_by_lookup(ctx, t, false, peer_ns, o);
	else if (!is_xdp && local)
		src = owner_by_lookup(ctx, t, false, BPF_F_CURRENT_NETNS, o);
	if (src != CAP_SRC_NONE)
		return src;
	if (!nat || !nat_key(ctx, t, true, k))
		local_key(t, false, k);
	src = owner_by_flow(k, o);
	if (src == CAP_SRC_NONE && local)
		src = owner_by_bound(ctx, is_xdp, false, ifindex, t, k, o);
	return src;
}

/* A socket the kernel made for itself (sock_create_kern(): the neighbour discovery, ICMP,
 * TCP reset and MLD control sockets): it has a struct socket but never a file. Whichever task
 * makes the kernel send through it (a connect() that resolves a neighbour first) is not its
 * owner, and what it sends (ND, RS, MLD, ICMP errors, resets for closed ports) has none. A
 * user's socket has a file while open; a closed TCP socket still sending its FIN or
 * retransmissions has no struct socket at all, and keeps its stored owner. Call only for a
 * full socket (skb->sk of a request or time-wait socket has no such field). */
static __always_inline bool kernel_socket(struct __sk_buff *skb)
{
	struct sk_buff *kskb = bpf_cast_to_kern_ctx(skb);
	struct sock *sk = kskb->sk;
	struct socket *sock;

	if (!sk)
		return false;
	sock = sk->sk_socket;
	return sock && !sock->file;
}

/* The owner of an egress packet's own socket: the sending task when the packet leaves in its
 * system call (stored on the socket, so the packets the kernel sends later for it, such as
 * ACKs and retransmissions, name it too), else whoever the socket storage names. *kern: the
 * socket is the kernel's. */
static __always_inline struct sock_state *egress_socket_state(struct __sk_buff *skb,
							      struct bpf_sock *sk, bool *kern)
{
	struct sock_state *st;

	if (!owner_from_task)	/* kernels before 6.10 (loader.c): storage from the hooks only */
		return bpf_sk_storage_get(&sock_owner, sk, NULL, 0);
	if (kernel_socket(skb)) {
		*kern = true;
		return NULL;
	}
	if (!task_is_sending())
		return bpf_sk_storage_get(&sock_owner, sk, NULL, 0);
	st = bpf_sk_storage_get(&sock_owner, sk, NULL, BPF_SK_STORAGE_GET_F_CREATE);
	if (st && own_by_current(&st->owner))
		st->learned_ns = 0;	/* the tuple map names the previous owner */
	return st;
}

/* The receiver of what a known socket sends, remembered with the flow it taught (learn_tuple
 * ran first), so a connected socket's stream costs one lookup per second. */
static __always_inline __u32 egress_peer(struct __sk_buff *skb, const struct pkt_tuple *t,
					 __s64 peer_ns, struct sock_state *st, __u64 now,
					 struct cap_owner *peer)
{
	__u64 age = now - st->peer_ns;

	if (!st->peer_ns || age >= (st->peer_src ? PEER_RECHECK_NS : PEER_RETRY_NS)) {
		struct cap_tuple k;

		st->peer_src = find_receiver(skb, false, skb->ifindex, true, peer_ns, t, false, &k,
					     &st->peer);
		st->peer_ns = now;
	}
	if (st->peer_src != CAP_SRC_NONE)
		*peer = st->peer;
	return st->peer_src;
}

/* Owner and peer of a packet (capture.h, procap(8) ATTRIBUTION): the local process that sent
 * it, in any namespace of this machine, else the local process receiving it; the peer is the
 * receiver when both are local. Packets of the kernel's own sockets and ICMP errors, ND, MLD,
 * IGMP and ARP (no ports) have neither. now: the packet's bpf_ktime_get_ns(), read here when
 * needed (0 before). */
static __always_inline void find_owner(void *ctx, bool is_xdp, struct cap_event *h,
				       __u32 if_cfg, const struct pkt_tuple *t,
				       struct cap_owner *peer)
{
	__s64 peer_ns = (__s64)(if_cfg >> CAP_IF_PEER_SHIFT) - 1;
	struct cap_tuple k = {};
	bool local_sock = false, local, nat;

	if (!is_xdp && h->dir == CAP_DIR_EGRESS) {
		struct bpf_sock *sk = ((struct __sk_buff *)ctx)->sk;
		struct sock_state *st = NULL;
		bool kern = false;

		if (sk) {
			struct bpf_sock *full = bpf_sk_fullsock(sk);

			local_sock = true;	/* request and time-wait sockets: by tuple */
			if (full)
				st = egress_socket_state(ctx, full, &kern);
		}
		/* made here with no socket, not forwarded: the kernel's own (a reset of IPv6
		 * TCP, sent without one) */
		if (kern || (!sk && !((struct __sk_buff *)ctx)->ingress_ifindex))
			return;
		if (st) {
			h->owner = st->owner;
			h->owner_src = CAP_SRC_COOKIE;
			if (t->ok && t->has_ports) {
				local_key(t, true, &k);
				learn_tuple(&k, st, &h->ts_ns);
				h->peer_src = egress_peer(ctx, t, peer_ns, st, h->ts_ns, peer);
			}
			return;
		}
	}
	if (!t->ok || !t->has_ports)
		return;
	nat = !is_xdp && h->dir == CAP_DIR_EGRESS && owner_from_task && nat_key(ctx, t, false, &k);
	if (!nat)
		local_key(t, true, &k);
	/* from a veth peer: the peer namespace's socket a reply would reach sent it. Its flow is
	 * learned here, as it sees it, so the same packet is named again where the host has
	 * translated it (UDP and ICMP have no hook that would learn it in its namespace). */
	if (!is_xdp && h->dir == CAP_DIR_INGRESS && peer_ns >= 0) {
		h->owner_src = owner_by_lookup(ctx, t, true, peer_ns, &h->owner);
		if (h->owner_src != CAP_SRC_NONE)
			learn_flow(&k, &h->owner);
	}
	if (h->owner_src == CAP_SRC_NONE)
		h->owner_src = owner_by_flow(&k, &h->owner);
	/* a SYN-ACK (its socket is the request): the listener a reply reaches */
	if (h->owner_src == CAP_SRC_NONE && local_sock && !is_xdp)
		h->owner_src = owner_by_lookup(ctx, t, true, BPF_F_CURRENT_NETNS, &h->owner);
	if (h->owner_src == CAP_SRC_NONE && local_sock)
		h->owner_src = owner_by_bound(ctx, is_xdp, true, h->ifindex, t, &k, &h->owner);
	/* what reaches the capture namespace is for it; what leaves without a socket of it
	 * (forwarded from a container) is not */
	local = h->dir == CAP_DIR_INGRESS;
	if (h->dir == CAP_DIR_INGRESS)
		peer_ns = -1;	/* the receiver is on this side */
	if (h->owner_src == CAP_SRC_NONE) {
		h->owner_src = find_receiver(ctx, is_xdp, h->ifindex, local, peer_ns, t, nat, &k,
					     &h->owner);
		return;
	}
	h->peer_src = find_receiver(ctx, is_xdp, h->ifindex, local, peer_ns, t, nat, &k, peer);
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

DEFINE_EMIT(CAP_CLASS_S)
DEFINE_EMIT(CAP_CLASS_0)
DEFINE_EMIT(CAP_CLASS_1)
DEFINE_EMIT(CAP_CLASS_2)
DEFINE_EMIT(CAP_CLASS_3)
DEFINE_EMIT(CAP_CLASS_4)

static __always_inline int emit(void *ctx, bool is_xdp, const struct cap_event *h, __u64 cap)
{
	if (cap <= CAP_CLASS_S)
		return emit_CAP_CLASS_S(ctx, is_xdp, h, cap);
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

/* The peer's record, just before its packet's (capture.h). False if the ring was full. */
static __always_inline bool emit_peer(const struct cap_event *h, const struct cap_owner *peer)
{
	struct cap_peer *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);

	if (!r)
		return false;
	r->kind = CAP_KIND_PEER;
	r->ifindex = h->ifindex;
	r->ts_ns = h->ts_ns;
	r->dir = h->dir;
	__builtin_memset(r->_pad, 0, sizeof(r->_pad));
	r->peer = *peer;
	bpf_ringbuf_submit(r, BPF_RB_NO_WAKEUP);	/* its packet wakes the reader */
	return true;
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
	__u32 key = 0, l3off = ETH_HLEN, if_cfg;
	__u64 cap;
	struct cap_stats *st = bpf_map_lookup_elem(&stats, &key);
	struct pkt_tuple t = {};
	struct cap_owner peer = {};
	__u32 snap;
	int rc;

	if (!st)
		return;
	if_cfg = if_flags(h->ifindex);
	if (if_cfg & CAP_IF_L3) {
		l3off = 0;
		h->flags |= CAP_F_L3;
	}
	if (!is_xdp && h->dir == CAP_DIR_EGRESS && !egress_capture) {
		if (((struct __sk_buff *)ctx)->sk) {	/* nothing to learn without a socket */
			parse_tuple(ctx, is_xdp, l3off, h->protocol_be, &t);
			find_owner(ctx, is_xdp, h, if_cfg, &t, &peer);
		}
		return;
	}
	st->seen++;
	snap = procap_filter(ctx, filter_flags(is_xdp, l3off == 0));
	if (!snap) {
		st->filter_rejected++;
		return;
	}
	parse_tuple(ctx, is_xdp, l3off, h->protocol_be, &t);
	find_owner(ctx, is_xdp, h, if_cfg, &t, &peer);
	if (!proc_matches(&h->owner, h->owner_src) && !proc_matches(&peer, h->peer_src)) {
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
	if (h->peer_src != CAP_SRC_NONE && !emit_peer(h, &peer))
		h->peer_src = CAP_SRC_NONE;	/* lost with a full ring: the packet names none */
	if (tcpinfo_enabled && !is_xdp && tcpinfo_emit(ctx, h, &t))
		h->flags |= CAP_F_TCPINFO;
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
