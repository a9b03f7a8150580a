// SPDX-License-Identifier: BSD-3-Clause
/* Shared by the overlay tunnel dissectors (vxlan.c, geneve.c, gtpu.c, erspan.c): a claimed
 * packet's result starts with the outer endpoints, and its inner packet is set only once the
 * tunnel header was read whole. */
#ifndef PROCAP_TUNNEL_H
#define PROCAP_TUNNEL_H

#include <string.h>
#include "dissect.h"
#include "linktype.h"

#define INNER_IP	0x0000		/* res.inner_type: an IP header of either version;
					   ETH_P_TEB: an Ethernet frame */

/* The UDP tunnels are recognised by port alone, as tcpdump and libpcap do: a non-empty UDP
 * payload to or from port. */
static inline bool tunnel_udp_port(const struct pkt_meta *m, struct cursor c, uint16_t port)
{
	return m->l4_proto == 17 && (m->dport == port || m->sport == port) && cur_left(&c) > 0;
}

static inline struct tunnel_info *tunnel_start(struct dissect_result *out,
					       const struct pkt_meta *m, uint8_t kind)
{
	struct tunnel_info *t = &out->u.tun;

	memset(t, 0, sizeof(*t));
	memset(&out->inner, 0, sizeof(out->inner));
	out->inner_type = INNER_IP;
	t->kind = kind;
	t->outer_ver = m->ip_ver;
	memcpy(t->outer_src, m->src, sizeof(t->outer_src));
	memcpy(t->outer_dst, m->dst, sizeof(t->outer_dst));
	t->sport = m->sport;
	t->dport = m->dport;
	return t;
}

/* The payload after a tunnel header read without a short read; TRUNCATED otherwise. */
static inline enum dissect_rc tunnel_inner(struct dissect_result *out, struct cursor c,
					   uint16_t type)
{
	if (c.short_read)
		return DISSECT_TRUNCATED;
	out->inner = c;
	out->inner_type = type;
	return DISSECT_OK;
}

#endif
