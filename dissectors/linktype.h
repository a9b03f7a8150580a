// SPDX-License-Identifier: BSD-3-Clause
/* The link-layer header types of pcap/pcapng files and the EtherTypes procap reads, in one
 * place for the dissectors, the text printers and the live path.
 * specification: https://www.tcpdump.org/linktypes.html (LINKTYPE_* values; DLT_* where a
 * file's value and libpcap's differ); IEEE Registration Authority EtherType list. */
#ifndef PROCAP_LINKTYPE_H
#define PROCAP_LINKTYPE_H

/* Link types */
#define LT_NULL		0	/* BSD loopback, address family in host order */
#define LT_ETHERNET	1
#define LT_PPP		9
#define LT_DLT_RAW	12	/* what pcap_datalink() returns for LINKTYPE_RAW on Linux */
#define LT_DLT_RAW_BSD	14	/* DLT_RAW on some BSDs */
#define LT_RAW		101
#define LT_LOOP		108	/* BSD loopback, address family in network order */
#define LT_LINUX_SLL	113
#define LT_IPV4		228
#define LT_IPV6		229
#define LT_LINUX_SLL2	276

/* EtherTypes (spelled as <linux/if_ether.h> spells those it has, so both can be included) */
#define ETH_P_IPV4	0x0800
#define ETH_P_ARP	0x0806
#define ETH_P_TEB	0x6558	/* an Ethernet frame (transparent Ethernet bridging) */
#define ETH_P_RARP	0x8035
#define ETH_P_8021Q	0x8100
#define ETH_P_IPV6	0x86DD
#define ETH_P_MPLS_UC	0x8847
#define ETH_P_MPLS_MC	0x8848
#define ETH_P_ERSPAN	0x88BE	/* ERSPAN types I and II */
#define ETH_P_8021AD	0x88A8	/* 802.1ad service VLAN tag (QinQ) */
#define ETH_P_ERSPAN3	0x22EB
#define ETH_P_QINQ_OLD	0x9100	/* pre-802.1ad QinQ tag */

#endif
