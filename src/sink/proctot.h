// SPDX-License-Identifier: BSD-3-Clause
/* Per-process traffic totals for --flows and --top: packets and bytes sent (Out) and received
 * (In), and connections, per (pid, comm). Packets without a known owner are counted under
 * pid 0, comm "-". Bounded: when max processes are tracked, further ones are summed under
 * comm "[other]". */
#ifndef PROCAP_PROCTOT_H
#define PROCAP_PROCTOT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "packet.h"

struct proc_total {
	uint32_t pid;
	char comm[PROC_COMM_LEN];
	uint64_t packets, bytes;
	uint64_t tx_packets, tx_bytes;	/* egress (Out) packets */
	uint64_t rx_packets, rx_bytes;	/* ingress (In) packets */
	uint64_t flows;			/* connections it owned (counted when they end) */
	uint64_t top_bytes, top_packets; /* totals at the previous --top refresh */
};

struct proc_totals;

struct proc_totals *proc_totals_new(uint32_t max);
void proc_totals_free(struct proc_totals *t);

void proc_totals_packet(struct proc_totals *t, const struct packet *p);
/* One connection for the process pid/comm (comm NULL: unknown owner). */
void proc_totals_flow(struct proc_totals *t, uint32_t pid, const char *comm);

/* The entries, sorted by bytes, most first; *n gets their number. Valid until the next call
 * that adds an entry. */
struct proc_total **proc_totals_sorted(struct proc_totals *t, uint32_t *n);

/* The exit report: a table (text) or one {"type":"process",...} object per process. */
void proc_totals_print(struct proc_totals *t, FILE *out, bool json);

#endif
