// SPDX-License-Identifier: BSD-3-Clause
/* --json: one object per packet per line (NDJSON); keys documented in man/procap.8. */
#ifndef PROCAP_JSON_H
#define PROCAP_JSON_H

#include <stdio.h>
#include "dissect.h"
#include "jbuf.h"
#include "packet.h"

/* m may be NULL when the packet has no IP layer procap understands. */
void json_packet(FILE *out, const struct packet *p, const struct pkt_meta *m,
		 const struct dissect_result *res, int nres);

/* Formats a pkt_meta address ("192.0.2.1" or "2001:db8::1") into out. */
void addr_to_str(uint8_t ver, const uint8_t *a, char *out, size_t len);

#endif
