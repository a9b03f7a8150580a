// SPDX-License-Identifier: BSD-3-Clause
/* Overlay and MPLS printers (print_tunnel.c), called by print_udp.c (VXLAN and Geneve ports),
 * print_ip.c (MPLS in GRE) and print_link.c (MPLS EtherTypes). c holds the captured part of
 * the len bytes the layer below announced. */
#ifndef PROCAP_PRINT_TUNNEL_H
#define PROCAP_PRINT_TUNNEL_H

#include "print_int.h"

void print_vxlan(struct pstate *ps, struct cursor c, uint32_t len);
void print_geneve(struct pstate *ps, struct cursor c, uint32_t len);
void print_mpls(struct pstate *ps, struct cursor c, uint32_t len);

/* tcpdump's name of an EtherType ("Unknown" when it has none), from print_link.c. */
const char *print_ethertype_name(uint16_t type);

#endif
