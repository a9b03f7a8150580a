// SPDX-License-Identifier: BSD-3-Clause
/* --plot FILE: from the --tcpinfo state of a capture's TCP segments, one self-contained SVG
 * with a chart per flow (cwnd and ssthresh, bytes in flight, srtt over time; procap(8) PLOT). */
#ifndef PROCAP_PLOT_H
#define PROCAP_PLOT_H

#include "dissect.h"
#include "packet.h"

struct plot;

struct plot *plot_new(const char *path);
/* Records p's tcpinfo (p->has_tcp) in its flow; sni: the flow's, or NULL. */
void plot_add(struct plot *pl, const struct packet *p, const struct pkt_meta *m, const char *sni);
/* Writes the SVG and frees pl; 0 or -errno (a one-line error is printed). NULL: nothing. */
int plot_close(struct plot *pl);

#endif
