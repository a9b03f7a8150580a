// SPDX-License-Identifier: BSD-3-Clause
/* --flows and --top: packets feed the connection table and per-process totals instead of
 * being printed. --flows prints each flow when it ends (and the open ones at exit); --top
 * redraws a table every interval; both end with log2 histograms of TCP connection durations
 * and bytes, per-process totals and the number of flows and of evictions from the full table. */
#ifndef PROCAP_FLOWVIEW_H
#define PROCAP_FLOWVIEW_H

#include <stdio.h>

#include "dissect.h"
#include "opts.h"
#include "packet.h"

struct flowview;

/* out: where records and the exit report go. */
struct flowview *flowview_new(const struct options *o, FILE *out);

/* Every packet; m->ip_ver is 0 for packets without an IP layer (counted per process only). */
void flowview_packet(struct flowview *v, const struct packet *p, const struct pkt_meta *m,
		     const struct dissect_result *res, int nres);

/* The clock moved to now_ns (realtime) without a packet: idle flows end, --top redraws. */
void flowview_tick(struct flowview *v, uint64_t now_ns);

/* Ends the open flows (FLOW_EXIT), prints the exit report and frees v. */
void flowview_close(struct flowview *v);

#endif
