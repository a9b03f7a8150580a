// SPDX-License-Identifier: BSD-3-Clause
/* Flow table: remembers the SNI and JA4 of each flow whose ClientHello was seen, so that every
 * later packet of the flow (both directions) carries them in its pcapng comment. Bounded: a
 * fixed number of set-associative slots, the oldest entry of a full set is evicted. */
#ifndef PROCAP_FLOWTAB_H
#define PROCAP_FLOWTAB_H

#include <stdint.h>
#include "dissect.h"

#define FLOWTAB_SETS	4096
#define FLOWTAB_WAYS	4	/* capacity: FLOWTAB_SETS * FLOWTAB_WAYS flows */

struct flowtab;

/* A flow's key, the same for both directions (the lower (address, port) endpoint first), and
 * its hash (FNV-1a). Also keys the lean-comment table (leancomment.h). */
struct flow_key {
	uint8_t a[16], b[16];
	uint16_t pa, pb;
	uint8_t ver, proto;
};

void flowtab_key(const struct pkt_meta *m, struct flow_key *k);
uint32_t flowtab_hash(const struct flow_key *k);

struct flowtab *flowtab_new(void);
void flowtab_free(struct flowtab *ft);

/* Records sni/ja4 (either may be "") for the flow of m. */
void flowtab_put(struct flowtab *ft, const struct pkt_meta *m, const char *sni, const char *ja4);

/* Looks up the flow of m in either direction; NULL if unknown. */
const char *flowtab_get(struct flowtab *ft, const struct pkt_meta *m, const char **ja4);

#endif
