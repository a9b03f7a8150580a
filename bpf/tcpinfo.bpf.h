// SPDX-License-Identifier: BSD-3-Clause
/* --tcpinfo: the local TCP socket's state beside each of its segments (procap(8) TCPINFO).
 * At egress the packet's own socket (skb->sk); at ingress the socket the segment is for, found
 * with bpf_skc_lookup_tcp() in the namespace of the device. The fields are struct tcp_sock's,
 * read from its BTF type (CO-RE), as the kernel's tcp_get_info() and tcp_probe read them.
 * Off unless the loader sets tcpinfo_enabled: the verifier then drops all of it. */
#ifndef PROCAP_TCPINFO_BPF_H
#define PROCAP_TCPINFO_BPF_H

#include "parse.bpf.h"

const volatile __u32 tcpinfo_enabled;

/* The lookup tuple lives here, not on the capture program's stack (already near its limit). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bpf_sock_tuple);
} tcpinfo_tuple SEC(".maps");

static __always_inline void tcpinfo_read(struct cap_tcpinfo *r, struct tcp_sock *tp)
{
	r->snd_cwnd = tp->snd_cwnd;
	r->snd_ssthresh = tp->snd_ssthresh;
	r->srtt_us = tp->srtt_us >> 3;		/* kept scaled by 8 (tcp_rtt_estimator) */
	r->rttvar_us = tp->mdev_us >> 2;	/* by 4, as tcp_get_info unscales it */
	r->snd_wnd = tp->snd_wnd;
	r->rcv_wnd = tp->rcv_wnd;
	r->packets_out = tp->packets_out;
	r->retrans_out = tp->retrans_out;
	r->sacked_out = tp->sacked_out;
	r->lost_out = tp->lost_out;
	r->mss_cache = tp->mss_cache;
	r->rate_delivered = tp->rate_delivered;
	r->rate_interval_us = tp->rate_interval_us;
	r->snd_una = tp->snd_una;
	r->snd_nxt = tp->snd_nxt;
	r->ca_state = BPF_CORE_READ_BITFIELD(&tp->inet_conn, icsk_ca_state);
	r->pacing_rate = tp->inet_conn.icsk_inet.sk.sk_pacing_rate;
}

/* The socket an ingress segment is for; a referenced socket to release, or NULL. */
static __always_inline struct bpf_sock *tcpinfo_lookup(struct __sk_buff *skb,
						      const struct pkt_tuple *t)
{
	__u32 key = 0;
	struct bpf_sock_tuple *bt = bpf_map_lookup_elem(&tcpinfo_tuple, &key);

	if (!bt)
		return NULL;
	if (t->v6) {
		__builtin_memcpy(bt->ipv6.saddr, t->saddr, 16);
		__builtin_memcpy(bt->ipv6.daddr, t->daddr, 16);
		bt->ipv6.sport = t->sport_be;
		bt->ipv6.dport = t->dport_be;
		return bpf_skc_lookup_tcp(skb, bt, sizeof(bt->ipv6), BPF_F_CURRENT_NETNS, 0);
	}
	__builtin_memcpy(&bt->ipv4.saddr, t->saddr, 4);
	__builtin_memcpy(&bt->ipv4.daddr, t->daddr, 4);
	bt->ipv4.sport = t->sport_be;
	bt->ipv4.dport = t->dport_be;
	return bpf_skc_lookup_tcp(skb, bt, sizeof(bt->ipv4), BPF_F_CURRENT_NETNS, 0);
}

/* Submits the record for h's segment; true if it did (the packet then gets CAP_F_TCPINFO).
 * Runs before the packet's own reservation so the reader meets it first. */
static __always_inline bool tcpinfo_emit(struct __sk_buff *skb, const struct cap_event *h,
					 const struct pkt_tuple *t)
{
	struct bpf_sock *looked = NULL, *sk;
	struct cap_tcpinfo *r;
	struct tcp_sock *tp;
	bool sent = false;

	if (!t->ok || !t->has_ports || t->proto != IPPROTO_TCP)
		return false;
	if (h->dir == CAP_DIR_EGRESS) {
		sk = skb->sk;
	} else {
		looked = tcpinfo_lookup(skb, t);
		sk = looked;
	}
	if (!sk)
		return false;
	tp = bpf_skc_to_tcp_sock(sk);	/* NULL for request and time-wait sockets */
	r = tp ? bpf_ringbuf_reserve(&events, sizeof(*r), 0) : NULL;
	if (r) {
		r->kind = CAP_KIND_TCPINFO;
		r->ifindex = h->ifindex;
		r->ts_ns = h->ts_ns;
		r->dir = h->dir;
		r->_pad[0] = r->_pad[1] = 0;
		tcpinfo_read(r, tp);
		bpf_ringbuf_submit(r, BPF_RB_NO_WAKEUP);	/* its packet wakes the reader */
		sent = true;
	}
	if (looked)
		bpf_sk_release(looked);
	return sent;
}

#endif
