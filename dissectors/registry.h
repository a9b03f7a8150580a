// SPDX-License-Identifier: BSD-3-Clause
/* Dispatch from base.c to the registered dissectors (registry.c). */
#ifndef PROCAP_REGISTRY_H
#define PROCAP_REGISTRY_H

#include "dissect.h"
#include "dissect_ctx.h"

/* Offers the layer's payload c to the dissectors of that layer: first those whose hint matches
 * (IP protocol, or either port), then the others, in table order. The first that does not say
 * NOT_MINE fills *out (zeroed here first; out->by, rc and depth set here) and its rc is
 * returned; NOT_MINE if none took it. */
enum dissect_rc dissect_dispatch(struct dissect_ctx *ctx, enum dissect_layer layer,
				 const struct pkt_meta *m, struct cursor c,
				 struct dissect_result *out);

/* The hint values of layer for m (a packet's IP protocol, EtherType, or its two ports). */
static inline void dissect_hints(enum dissect_layer layer, const struct pkt_meta *m,
				 uint16_t *a, uint16_t *b)
{
	*a = layer == DL_IP_PROTO ? m->l4_proto : layer == DL_ETHERTYPE ? m->ethertype : m->dport;
	*b = layer == DL_IP_PROTO ? m->l4_proto : layer == DL_ETHERTYPE ? m->ethertype : m->sport;
}

/* Whether a row of the plan may have hint a or b (false: none has). */
static inline bool plan_may_hint(const struct layer_plan *pl, uint16_t a, uint16_t b)
{
	return (pl->hint_bits >> (a & 63) | pl->hint_bits >> (b & 63)) & 1;
}

/* The heuristic rows offered payload c (bit i: row i), by its first byte. */
static inline uint32_t plan_heuristics(const struct layer_plan *pl, const struct cursor *c)
{
	return pl->heur_by_lead[cur_has(c, 0, 1) ? cur_at_u8(c, 0) : LEAD_NONE];
}

/* Whether dissect_dispatch would offer c to any dissector at all: a hint the packet may carry,
 * or a heuristic for the payload's first byte. Most packets of a flood have neither, and
 * learn it here without the call. */
static inline bool dissect_wanted(const struct dissect_ctx *ctx, enum dissect_layer layer,
				  const struct pkt_meta *m, const struct cursor *c)
{
	const struct layer_plan *pl = &ctx->plan[layer];
	uint16_t a, b;

	dissect_hints(layer, m, &a, &b);
	return plan_may_hint(pl, a, b) || plan_heuristics(pl, c);
}

#endif
