// SPDX-License-Identifier: BSD-3-Clause
/* Text sink: one tcpdump-identical line (tcpdump 4.99 `-n` format) per packet, with procap's
 * process columns and dissector findings. The output format is documented at the top of
 * src/print.c. */
#ifndef PROCAP_PRINT_H
#define PROCAP_PRINT_H

#include <stdio.h>
#include "opts.h"
#include "packet.h"
#include "dissect.h"

struct print_ctx;

/* Printer state for one run (per-connection TCP sequence state for relative seq/ack, the
 * previous timestamp for -ttt/-ttttt). Reads the text options from o (kept by pointer: o must
 * outlive the context). Never returns NULL. */
struct print_ctx *print_new(const struct options *o, FILE *out);

/* Prints everything for one packet: the line, then any hex/ASCII dump (-x/-X/-A). res[0..nres)
 * are the dissector findings for p (nres may be 0). Each line is written with one fwrite. */
void print_packet(struct print_ctx *pc, const struct packet *p, const struct dissect_result *res,
		  int nres);

/* Frees the context (does not close out). NULL-safe. */
void print_free(struct print_ctx *pc);

#endif
