// SPDX-License-Identifier: BSD-3-Clause
/* --top: every interval, the busiest flows and processes of the last interval (rates) with
 * their totals. On a terminal the table is redrawn in place (cursor home, clear screen); into
 * a pipe or file each refresh is a plain block, separated by an empty line. */
#ifndef PROCAP_TOP_H
#define PROCAP_TOP_H

#include <stdint.h>
#include <stdio.h>

#include "flows.h"
#include "proctot.h"

struct top;

struct top *top_new(FILE *out);
void top_free(struct top *tp);

/* The clock starts (the first rates cover the time from here). */
void top_start(struct top *tp, uint64_t now_ns);

/* One refresh at now_ns; ended and evicted are the flow counts so far (header line). */
void top_draw(struct top *tp, struct flow_table *ft, struct proc_totals *pt, uint64_t now_ns,
	      uint64_t ended, uint64_t evicted);

#endif
