// SPDX-License-Identifier: BSD-3-Clause
/* Power-of-two histograms printed as bcc's print_log2_hist() prints them (tcplife, biolatency):
 * slot i >= 1 counts the values 2^(i-1) .. 2^i - 1, slot 1 also counts 0; one line per slot up
 * to the highest non-empty one, with a bar of up to 40 stars scaled to the largest count. */
#ifndef PROCAP_HIST_H
#define PROCAP_HIST_H

#include <stdint.h>
#include <stdio.h>

#define HIST_SLOTS 65

struct log2_hist {
	uint64_t slot[HIST_SLOTS];
	uint64_t count;
};

void hist_add(struct log2_hist *h, uint64_t v);

/* The table under a "     UNIT : count     distribution" header; nothing when empty. */
void hist_print(FILE *out, const struct log2_hist *h, const char *unit);

/* One JSON object: {"type":"histogram","name":NAME,"unit":UNIT,"buckets":[{"low","high",
 * "count"},...]} with the same slots the text shows. */
void hist_json(FILE *out, const struct log2_hist *h, const char *name, const char *unit);

#endif
