// SPDX-License-Identifier: BSD-3-Clause
/* Bounded L3/L4 header parsing for attribution: copies the IPv4/IPv6 header and the first 8
 * bytes of TCP/UDP/ICMP with bpf_skb_load_bytes()/bpf_xdp_load_bytes() (which also read the
 * paged part of the packet) and decodes them from those stack copies. Every load is checked.
 * Specification: RFC 791 §3.1 (IPv4 header), RFC 8200 §3 (IPv6 header), RFC 793 §3.1,
 * RFC 768, RFC 792 and RFC 4443 §3-4 (errors quoting the offending packet, echo identifier). */
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
	__u8 quoted;		/* from the packet an ICMP error quotes, seen from the far end */
};

/* is_xdp is a compile-time constant at every call site, so one branch is dropped. */
static __always_inline long load_bytes(void *ctx, bool is_xdp, __u32 off, void *to, __u32 len)
{
	if (is_xdp)
		return bpf_xdp_load_bytes(ctx, off, to, len);
	return bpf_skb_load_bytes(ctx, off, to, len);
}

/* An ICMP error quotes the IP header and the first 8 bytes of the datagram that caused it,
 * which a local socket sent: describe that datagram from the other side (its source becomes
 * our "destination"), so the error is attributed like a reply to it. off: quoted IP header. */
static __always_inline void parse_icmp_error(void *ctx, bool is_xdp, __u32 off, bool v6,
					     struct pkt_tuple *t)
{
	__u8 ip[40], ports[4], proto;
	__u32 l4off;

	if (v6) {
		if (load_bytes(ctx, is_xdp, off, ip, 40) || (ip[0] >> 4) != 6)
			return;
		proto = ip[6];
		__builtin_memcpy(t->daddr, &ip[8], 16);
		__builtin_memcpy(t->saddr, &ip[24], 16);
		l4off = off + 40;
	} else {
		if (load_bytes(ctx, is_xdp, off, ip, 20) || (ip[0] >> 4) != 4)
			return;
		proto = ip[9];
		__builtin_memcpy(t->daddr, &ip[12], 4);
		__builtin_memcpy(t->saddr, &ip[16], 4);
		l4off = off + (ip[0] & 0xf) * 4;
	}
	if ((proto != IPPROTO_TCP && proto != IPPROTO_UDP) ||
	    load_bytes(ctx, is_xdp, l4off, ports, sizeof(ports)))
		return;
	t->proto = proto;
	__builtin_memcpy(&t->dport_be, &ports[0], 2);
	__builtin_memcpy(&t->sport_be, &ports[2], 2);
	t->has_ports = 1;
	t->quoted = 1;
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
	} else if (t->proto == IPPROTO_ICMP &&
		   (l4[0] == ICMP_DEST_UNREACH || l4[0] == ICMP_TIME_EXCEEDED ||
		    l4[0] == ICMP_PARAMETERPROB)) {
		parse_icmp_error(ctx, is_xdp, off + 8, false, t);
	} else if (t->proto == IPPROTO_ICMPV6 && l4[0] >= ICMPV6_DEST_UNREACH &&
		   l4[0] <= ICMPV6_PARAMPROB) {
		parse_icmp_error(ctx, is_xdp, off + 8, true, t);
	}
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
		parse_l4(ctx, is_xdp, off + 40, t);
	}
}

#endif
