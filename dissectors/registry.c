// SPDX-License-Identifier: BSD-3-Clause
/* The ordered tables of dissectors, dispatch by layer, and the per-run dissector context.
 * Registration is these explicit tables (tcpdump's printers[] model): no constructors or
 * linker sections, which a static archive would silently drop. Adding a dissector (recipe in
 * docs/ARCHITECTURE.md): its file here, its result struct in dissect.h's union with its extern,
 * one row in its layer's table below, and one row with its renderers in src/sink/findings.c,
 * which every sink (text, JSON, summary, comments) and the golden harness read. */
#include <stdlib.h>
#include <string.h>
#include "dissect.h"
#include "dissect_ctx.h"
#include "registry.h"
#include "util.h"

/* One table per layer, so a packet is offered only to the dissectors of its layer (with eight
 * dissectors in one table the walk over it cost a replay 140 instructions a packet); order
 * within a table is the priority among heuristics. */
static const struct dissector *const ip_proto_dissectors[] = {
	&dissector_ipip,
};

static const struct dissector *const udp_dissectors[] = {
	&dissector_quic,
	&dissector_dtls,
	&dissector_vxlan,
	&dissector_geneve,
	&dissector_gtpu,
	&dissector_dns,
};

/* tls_flow first: it sees every segment of the connections it decrypts (NOT_MINE for all
 * others after one lookup, and for hello segments, which stay tls's) */
static const struct dissector *const tcp_dissectors[] = {
	&dissector_tls_flow,
	&dissector_tls,
	&dissector_dns_tcp,
};

static const struct dissector *const ethertype_dissectors[] = {
	&dissector_erspan,
};

#define TABLE(t) { t, sizeof(t) / sizeof(t[0]) }
static const struct {
	const struct dissector *const *v;
	size_t n;
} by_layer[] = {
	[DL_IP_PROTO] = TABLE(ip_proto_dissectors),
	[DL_UDP] = TABLE(udp_dissectors),
	[DL_TCP] = TABLE(tcp_dissectors),
	[DL_ETHERTYPE] = TABLE(ethertype_dissectors),
};

#define ROWS_FIT(t) _Static_assert(sizeof(t) / sizeof(t[0]) <= LAYER_ROWS_MAX, \
				 #t ": dispatch's row masks and plan")
ROWS_FIT(ip_proto_dissectors);
ROWS_FIT(udp_dissectors);
ROWS_FIT(tcp_dissectors);
ROWS_FIT(ethertype_dissectors);
_Static_assert(sizeof(by_layer) / sizeof(by_layer[0]) ==
	       sizeof(((struct dissect_ctx *)0)->plan) / sizeof(struct layer_plan),
	       "a plan per layer");

static void plan_layer(struct layer_plan *pl, const struct dissector *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const uint16_t hints[2] = { v[i]->hint, v[i]->hint2 };

		for (int h = 0; h < 2; h++) {
			if (!hints[h])
				continue;
			pl->hint_bits |= 1ull << (hints[h] & 63);
			pl->hint[pl->n_hinted] = hints[h];
			pl->hinted[pl->n_hinted++] = (uint8_t)i;
		}
		if (v[i]->hint_only)
			continue;
		for (unsigned lead = 0; lead <= LEAD_NONE; lead++) {
			bool any = !v[i]->lead_max;	/* no range: any payload, even an empty one */
			if (any || (lead >= v[i]->lead_min && lead <= v[i]->lead_max))
				pl->heur_by_lead[lead] |= 1u << i;
		}
	}
}

enum dissect_rc dissect_dispatch(struct dissect_ctx *ctx, enum dissect_layer layer,
				 const struct pkt_meta *m, struct cursor c,
				 struct dissect_result *out)
{
	uint16_t a, b;

	dissect_hints(layer, m, &a, &b);

	/* each dissector clears the union member it fills once it claims the packet: clearing
	 * the whole 2 KiB result for every packet cost a flood capture 10% of its CPU */
	out->by = NULL;
	out->rc = DISSECT_NOT_MINE;
	out->depth = 0;
	const struct dissector *const *v = by_layer[layer].v;
	const struct layer_plan *pl = &ctx->plan[layer];
	uint32_t hinted = 0;	/* bit i: v[i]'s hint is the packet's */
	enum dissect_rc rc = DISSECT_NOT_MINE;
	unsigned i;

	/* first the dissectors whose port, protocol or EtherType the packet carries (most
	 * packets carry none: one test of hint_bits), then the heuristics that take the
	 * payload's first byte, in table order */
	if (plan_may_hint(pl, a, b)) {
		for (unsigned k = 0; k < pl->n_hinted; k++) {
			i = pl->hinted[k];
			if ((pl->hint[k] != a && pl->hint[k] != b) || (hinted >> i & 1))
				continue;	/* a row with two hints is offered once */
			hinted |= 1u << i;
			rc = v[i]->dissect(ctx, m, c, out);
			if (rc != DISSECT_NOT_MINE)
				goto claimed;
		}
	}
	uint32_t rows = plan_heuristics(pl, &c) & ~hinted;
	while (rows) {
		i = (unsigned)__builtin_ctz(rows);
		rows &= rows - 1;
		rc = v[i]->dissect(ctx, m, c, out);
		if (rc != DISSECT_NOT_MINE)
			goto claimed;
	}
	return DISSECT_NOT_MINE;
claimed:
	out->by = v[i];
	out->rc = rc;
	out->depth = m->encap_depth;
	return rc;
}

struct dissect_ctx *dissect_ctx_new(void)
{
	struct dissect_ctx *ctx = xcalloc(1, sizeof(*ctx));

	for (size_t l = 0; l < sizeof(by_layer) / sizeof(by_layer[0]); l++)
		plan_layer(&ctx->plan[l], by_layer[l].v, by_layer[l].n);
	return ctx;
}

void dissect_ctx_free(struct dissect_ctx *ctx)
{
	if (!ctx)
		return;
	tls_state_free(ctx->tls);
	quic_state_free(ctx->quic);
	dtls_state_free(ctx->dtls);
	tls_decrypt_state_free(ctx->tlsd);
	free(ctx);
}
