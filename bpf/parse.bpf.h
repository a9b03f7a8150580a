// SPDX-License-Identifier: BSD-3-Clause
/* Bounded L3/L4 header parsing for attribution: copies the IPv4/IPv6 header and the first 8
 * bytes of TCP/UDP/ICMP with bpf_skb_load_bytes()/bpf_xdp_load_bytes() (which also read the
 * paged part of the packet) and decodes them from those stack copies. Every load is checked.
 * Specification: RFC 791 §3.1 (IPv4 header), RFC 8200 §3 (IPv6 header), RFC 793 §3.1,
 * RFC 768, RFC 792 and RFC 4443 §4 (echo identifier). */
#ifndef PROCAP_PARSE_BPF_H
#define PROCAP_PARSE_BPF_H

#include "compat.bpf.h"

struct pkt_tuple {
	__u8 saddr[16];		/* network order; IPv4 in the first 4 bytes */
	__u8 daddr[16];
	__u16 sport_be;		/* for ICMP echo: the identifier, in both ports */
	__u16 dport_be;
	__u8 proto;
	__u8 has_ports;		/* ports (or echo id) were read */
	__u8 ok;		/* addresses were read */
	__u8 v6;
};

/* is_xdp is a compile-time constant at every call site, so one branch is dropped. */
static __always_inline long load_bytes(void *ctx, bool is_xdp, __u32 off, void *to, __u32 len)
{
	if (is_xdp)
		return bpf_xdp_load_bytes(ctx, off, to, len);
	return bpf_skb_load_bytes(ctx, off, to, len);
}

static __always_inline void parse_l4(void *ctx, bool is_xdp, __u32 off, struct pkt_tuple *t)
{
	__u8 l4[8];

	if (load_bytes(ctx, is_xdp, off, l4, sizeof(l4)))
		return;
	if (t->proto == IPPROTO_TCP || t->proto == IPPROTO_UDP) {
		__builtin_memcpy(&t->sport_be, &l4[0], 2);
		__builtin_memcpy(&t->dport_be, &l4[2], 2);
		t->has_ports = 1;
	} else if ((t->proto == IPPROTO_ICMP && (l4[0] == ICMP_ECHO || l4[0] == ICMP_ECHOREPLY)) ||
		   (t->proto == IPPROTO_ICMPV6 &&
		    (l4[0] == ICMPV6_ECHO_REQUEST || l4[0] == ICMPV6_ECHO_REPLY))) {
		/* ping sockets and raw ping both key their replies by the echo identifier */
		__builtin_memcpy(&t->sport_be, &l4[4], 2);
		t->dport_be = t->sport_be;
		t->has_ports = 1;
	}
	/* ICMP errors, neighbour discovery, MLD: the kernel's own messages, no ports: no owner */
}

/* off: where the IP header starts; proto_be: EtherType of the packet (network order). */
static __always_inline void parse_tuple(void *ctx, bool is_xdp, __u32 off, __u16 proto_be,
					struct pkt_tuple *t)
{
	if (proto_be == bpf_htons(ETH_P_IP)) {
		__u8 ip[20];

		if (load_bytes(ctx, is_xdp, off, ip, sizeof(ip)) || (ip[0] >> 4) != 4)
			return;
		__builtin_memcpy(t->saddr, &ip[12], 4);
		__builtin_memcpy(t->daddr, &ip[16], 4);
		t->proto = ip[9];
		t->ok = 1;
		/* only the first fragment carries the L4 header */
		if ((((__u16)ip[6] << 8 | ip[7]) & IP_OFFSET_MASK) == 0)
			parse_l4(ctx, is_xdp, off + (ip[0] & 0xf) * 4, t);
	} else if (proto_be == bpf_htons(ETH_P_IPV6)) {
		__u8 ip6[40];

		if (load_bytes(ctx, is_xdp, off, ip6, sizeof(ip6)) || (ip6[0] >> 4) != 6)
			return;
		__builtin_memcpy(t->saddr, &ip6[8], 16);
		__builtin_memcpy(t->daddr, &ip6[24], 16);
		t->proto = ip6[6];	/* extension headers are not walked: no ports then */
		t->ok = 1;
		t->v6 = 1;
		parse_l4(ctx, is_xdp, off + 40, t);
	}
}

#endif
