// SPDX-License-Identifier: BSD-3-Clause
/* Internals shared by the text printer's files (src/print*.c): the line buffer with cheap
 * append helpers, the per-packet state handed to each protocol printer, and the printers'
 * entry points. Nothing here is used outside src/print*.c. */
#ifndef PROCAP_PRINT_INT_H
#define PROCAP_PRINT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "cursor.h"
#include "opts.h"
#include "pbuf.h"

struct tcp_seq_table;

/* State for printing one packet. */
struct pstate {
	struct pbuf *pb;
	const struct options *o;
	struct tcp_seq_table *tcp;	/* per-connection initial seq/ack (tcpdump's tcp_seq_hash) */
	int ip_depth;			/* nesting of IP-in-IP / ICMP-embedded headers */
	bool truncated;			/* a "[|proto]" mark was printed: tcpdump's truncation
					   longjmp, after which -x/-X dump the whole frame */
};

/* The network header a transport printer sits on (addresses, pseudo-header checksums). */
struct ipinfo {
	int ver;			/* 4 or 6 */
	const uint8_t *src, *dst;	/* 4 or 16 bytes, inside the packet */
	uint8_t first_nxt;		/* protocol field of the IP header itself: transport
					   printers show addresses only when it is theirs */
	const uint8_t *final_dst;	/* IPv6 routing header's final destination (pseudo-header
					   checksums), NULL if none */
	bool fragmented;		/* IPv4: MF set or offset non-zero */
	uint32_t len;			/* transport length from the IP header */
};

/* Link layers; each returns the link-header length (for -x/-X without the link header). */
unsigned print_ether(struct pstate *ps, struct cursor c, uint32_t wire_len);
unsigned print_sll(struct pstate *ps, struct cursor c, uint32_t wire_len);
unsigned print_sll2(struct pstate *ps, struct cursor c, uint32_t wire_len);
unsigned print_raw(struct pstate *ps, struct cursor c, uint32_t wire_len);
unsigned print_null(struct pstate *ps, struct cursor c, uint32_t wire_len, bool loop);
unsigned print_ppp(struct pstate *ps, struct cursor c, uint32_t wire_len);

/* Network layer, called with c at the start of the header; returns false on truncation the
 * caller must mark. print_ethertype returns false when the type is unknown (nothing printed). */
bool print_ethertype(struct pstate *ps, uint16_t type, struct cursor c, uint32_t len);
/* Whether print_ethertype decodes the type. */
bool print_ethertype_known(uint16_t type);
void print_arp(struct pstate *ps, struct cursor c, uint32_t len);
/* AppleTalk ARP and the Ethernet configuration testing protocol (print_ether_misc.c). */
void print_aarp(struct pstate *ps, struct cursor c, uint32_t len);
void print_loopback(struct pstate *ps, struct cursor c, uint32_t len);
/* len: the length the layer below says this packet has on the wire (tcpdump's `length`). */
void print_ip(struct pstate *ps, struct cursor c, uint32_t len);
void print_ip6(struct pstate *ps, struct cursor c, uint32_t len);
/* Any IP version by its first nibble (raw IP). */
void print_ip_any(struct pstate *ps, struct cursor c, uint32_t len);
/* The protocol after an IPv4 header or the last IPv6 extension header; c holds the captured
 * part of the len payload bytes. */
void print_ip_demux(struct pstate *ps, struct cursor c, struct ipinfo *ip, uint8_t proto,
		    uint32_t len);
/* An undecoded payload as tcpdump's default print shows it: a hex and ASCII dump (not with
 * -q, nor with -x/-X, which dump the packet anyway). */
void print_unknown_payload(struct pstate *ps, struct cursor c);
/* IEEE 802.2 LLC (print_llc.c) of an 802.3 frame whose length field says len; src/dst: the
 * frame's MAC addresses for the line without -e (NULL on links without them). Returns the
 * LLC header length, negated when the frame was dumped as unknown payload (Ethernet still
 * counts the header for -x/-X, SLL does not, as in tcpdump), or 0 when the caller prints the
 * frame itself (SNAP UI frames, Novell raw IPX, without -e the bodies only tcpdump decodes). */
int print_llc(struct pstate *ps, struct cursor c, uint32_t len, const uint8_t *src,
	      const uint8_t *dst);
/* tcpdump's "[|proto]" truncation mark where its printer gives up through the truncation
 * longjmp (a GET_ or ND_TCHECK_ macro): -x/-X then dump the whole frame, link header too. */
void print_trunc(struct pstate *ps, const char *proto);
/* The same mark where tcpdump's printer prints it itself and returns (goto trunc after an
 * explicit length check): the dump skips the link header as usual. */
void print_trunc_mark(struct pstate *ps, const char *proto);

/* Transport layer: c covers the captured bytes of the transport header and payload. */
void print_tcp(struct pstate *ps, struct cursor c, const struct ipinfo *ip);
void print_udp(struct pstate *ps, struct cursor c, const struct ipinfo *ip);
void print_icmp(struct pstate *ps, struct cursor c, const struct ipinfo *ip);
void print_icmp6(struct pstate *ps, struct cursor c, const struct ipinfo *ip);
/* Node information, RPL and router renumbering bodies (print_icmp6_info.c): m at the ICMPv6
 * header, len its length by the IPv6 header. False: cut where tcpdump's printer gives up (the
 * caller marks it and ends the line); other cuts are marked here. */
bool print_icmp6_info(struct pstate *ps, struct cursor m, uint32_t len);
void print_igmp(struct pstate *ps, struct cursor c, uint32_t len);
/* The MPTCP option (kind 30) after "mptcp": o at the kind byte, its len bytes captured; false
 * when tcpdump would end the options with "[bad opt]". flags: the TCP header's flags. */
bool print_mptcp(struct pbuf *pb, struct cursor o, unsigned len, uint8_t flags);
/* DNS/mDNS summary line (no -v); false when the message is not one it prints exactly (the
 * caller then rewinds the buffer and prints its fallback). */
bool print_dns(struct pstate *ps, struct cursor msg, uint32_t len, bool mdns);

/* Internet checksum (RFC 1071) over the pseudo-header and len bytes at data. */
uint16_t print_cksum_pseudo(const struct ipinfo *ip, uint8_t proto, const uint8_t *data,
			    uint32_t len);
uint32_t print_cksum_add(uint32_t sum, const uint8_t *data, size_t len);
uint16_t print_cksum_fold(uint32_t sum);
/* tcpdump's in_cksum_shouldbe(): the checksum field value that would make the sum correct. */
uint16_t print_cksum_shouldbe(uint16_t field, uint16_t sum);
/* "SRC.SPORT > DST.DPORT: " (addresses omitted after IPv6 extension headers, as tcpdump). */
void print_ports_prefix(struct pbuf *pb, const struct ipinfo *ip, uint16_t sport, uint16_t dport,
			uint8_t proto);

/* The IPv4 / IPv6 address at off in c (all zeros where not captured: callers check first). */
void print_ip4_at(struct pbuf *pb, const struct cursor *c, size_t off);
void print_ip6_at(struct pbuf *pb, const struct cursor *c, size_t off);
void print_ip_at(struct pbuf *pb, int ver, const struct cursor *c, size_t off);

/* "SRC > DST" of the network header. */
void print_addrs(struct pbuf *pb, const struct ipinfo *ip);
/* tcpdump's checksum verdict after the IP header with -v: "[bad PROTO cksum 0xFIELD ->
 * 0xRIGHT!] " when sum (the computed checksum) is not 0, else "[PROTO sum ok] ". */
void print_cksum_verdict(struct pbuf *pb, const char *proto, uint16_t field, uint16_t sum);

/* Name tables. */
struct print_name16 {
	uint16_t key;
	const char *name;
};
/* The name of key in t[0..n), sorted by key; NULL when absent. */
const char *print_name16_find(const struct print_name16 *t, size_t n, uint16_t key);
const char *print_ipproto_name(uint8_t proto);	/* "TCP", ... or NULL */

/* Timestamps (-t... flags) and dumps (-x/-X/-A). */
/* A timestamp as its record had it: seconds, and the sub-second field in the printed unit
 * (taken as tcpdump takes it: a signed 32-bit field, so an invalid one goes negative). */
struct print_ts_raw {
	int64_t sec, sub;
};
struct print_ts_state {
	struct print_ts_raw prev, first;
	bool have_prev;
};
void print_timestamp(struct pbuf *pb, int tflag, bool nano, uint64_t ts_ns, uint64_t over_ns,
		     struct print_ts_state *st);
void print_hex(struct pbuf *pb, const uint8_t *p, size_t len);
void print_hex_ascii(struct pbuf *pb, const uint8_t *p, size_t len);
void print_ascii(struct pbuf *pb, const uint8_t *p, size_t len);

/* TCP sequence state. */
struct tcp_seq_table *tcp_seq_new(void);
void tcp_seq_free(struct tcp_seq_table *t);

#endif
