// SPDX-License-Identifier: BSD-3-Clause
/* --summary: one line per TLS or QUIC ClientHello, snisnoop-style columns
 * TIME PID COMM SRC DST PROTO SNI JA4 (PID/COMM "-" when the owner is unknown). */
#ifndef PROCAP_SUMMARY_H
#define PROCAP_SUMMARY_H

#include <stdio.h>
#include "dissect.h"
#include "packet.h"

void summary_header(FILE *out);
/* Prints a line for each ClientHello among res[]; returns how many it printed. */
int summary_packet(FILE *out, const struct packet *p, const struct pkt_meta *m,
		   const struct dissect_result *res, int nres);

#endif
