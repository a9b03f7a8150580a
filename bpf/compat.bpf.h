// SPDX-License-Identifier: BSD-3-Clause
/* Constants the BPF programs need that vmlinux.h (types only) does not carry. UAPI headers are
 * never mixed with vmlinux.h (STYLE.md rule 6). */
#ifndef PROCAP_COMPAT_BPF_H
#define PROCAP_COMPAT_BPF_H

#define TC_ACT_UNSPEC		(-1)
#define ETH_HLEN		14
#define ETH_P_IP		0x0800
#define ETH_P_IPV6		0x86DD
#define AF_INET			2
#define AF_INET6		10
#define IPPROTO_ICMP		1
#define IPPROTO_TCP		6
#define IPPROTO_UDP		17
#define IPPROTO_ICMPV6		58
#define ICMP_ECHOREPLY		0
#define ICMP_ECHO		8
#define ICMPV6_ECHO_REQUEST	128
#define ICMPV6_ECHO_REPLY	129
#define IP_OFFSET_MASK		0x1FFF	/* fragment offset of iphdr.frag_off (host order) */

#endif
