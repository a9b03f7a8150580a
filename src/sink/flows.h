// SPDX-License-Identifier: BSD-3-Clause
/* Connection table for --flows and --top: one entry per TCP connection and per UDP/ICMP/other
 * 5-tuple, with its owner, packets and bytes each way, first/last time, how it ended,
 * retransmissions and the ClientHello's findings. Bounded: at most max_flows entries; when full,
 * the least recently active flow is ended early ("evicted") and counted. Each ended flow goes to
 * the caller's callback, then is freed. */
#ifndef PROCAP_FLOWS_H
#define PROCAP_FLOWS_H

#include <stdbool.h>
#include <stdint.h>

#include "dissect.h"
#include "flowtab.h"	/* struct flow_key */
#include "packet.h"

/* How a flow ended. */
enum flow_end {
	FLOW_OPEN = 0,		/* still running (top view) */
	FLOW_FIN,		/* TCP: FIN from both sides (and acknowledged) */
	FLOW_RST,		/* TCP: reset */
	FLOW_TIMEOUT,		/* idle longer than its timeout */
	FLOW_EXIT,		/* still open when the capture ended */
	FLOW_EVICTED,		/* pushed out of the full table */
};

const char *flow_end_name(enum flow_end e);

/* The process that owns a flow: the sender of its first egress packet with a known owner, or
 * (until one is seen) the owner named for an ingress packet. */
struct flow_owner {
	bool valid;
	bool from_egress;
	uint32_t pid, uid;
	char comm[PROC_COMM_LEN];
	char container[80];
};

/* The flow's ClientHello (TLS or QUIC Initial), kept from the first one seen. */
struct flow_hello {
	const char *by;			/* the dissector's name: "tls", "quic" */
	char sni[TLS_SNI_MAX];
	char alpn[TLS_ALPN_MAX];
	char ja4[JA4_MAX];
};


/* Direction 0 is sent by src (the endpoint of the first packet, or the SYN's sender), 1 by
 * dst. */
struct flow {
	struct flow_key key;
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	uint8_t ver, proto;
	uint8_t end;			/* enum flow_end */
	uint8_t fins;			/* bit d: FIN sent in direction d */
	uint8_t fin_acked;		/* bit d: that FIN acknowledged by the other side */
	uint64_t first_ns, last_ns;
	uint64_t packets[2], bytes[2];
	uint64_t retrans;
	uint32_t seq_end[2];		/* TCP: highest sequence end sent in each direction */
	uint32_t gap_start[2], gap_end[2]; /* TCP: the latest hole below seq_end (empty: equal) */
	bool seq_known[2];
	struct flow_owner owner;
	struct flow_hello *hello;	/* NULL until a ClientHello */
	char *dst_name;			/* the first name known for dst (names.h), NULL if none */
	uint64_t top_bytes, top_packets; /* totals at the previous --top refresh */
	/* table links */
	struct flow *hnext;
	struct flow *prev, *next;	/* activity list of its class, oldest first */
	uint8_t cls;
};

struct flow_cfg {
	uint32_t max_flows;		/* table capacity */
	uint64_t idle_ns;		/* UDP, ICMP, other protocols: ended after this idle time */
	uint64_t tcp_idle_ns;		/* TCP without FIN/RST */
	uint64_t linger_ns;		/* TCP after FIN/RST: late ACKs still count in the flow */
};

typedef void (*flow_end_fn)(void *ctx, struct flow *f);

struct flow_table;

struct flow_table *flows_new(const struct flow_cfg *cfg, flow_end_fn on_end, void *ctx);
/* Ends every flow (why: FLOW_EXIT) through the callback, then frees the table. */
void flows_free(struct flow_table *t, enum flow_end why);

/* Accounts one IP packet (m->ip_ver != 0) to its flow; hello is the packet's ClientHello (or
 * NULL) and by its dissector's name. Returns the flow. */
struct flow *flows_packet(struct flow_table *t, const struct packet *p, const struct pkt_meta *m,
			  const struct tls_info *hello, const char *by);

/* Ends the flows idle (or lingering) past their timeout at time now_ns. */
void flows_expire(struct flow_table *t, uint64_t now_ns);

/* Calls fn for every flow in the table (for --top). */
void flows_foreach(struct flow_table *t, void (*fn)(void *ctx, struct flow *f), void *ctx);

uint64_t flows_active(const struct flow_table *t);
uint64_t flows_evicted(const struct flow_table *t);

#endif
