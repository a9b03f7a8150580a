// SPDX-License-Identifier: BSD-3-Clause
/* Lean records: which packets get procap's full pcapng comment and which the short one
 * (comment.h). The full comment goes on the first packet of each flow in each file, and again
 * whenever what only it carries changes: another process (PID), its Exe, Args, PPID, UID or
 * Cgroup, or the flow's SNI/JA4. Every other packet of the flow gets the short comment (PID, TID,
 * Cmd, Container, Source). Packets without an IP flow (ARP...) and packets without an owner always
 * get the full one (for an unowned packet both are "Source: none"). */
#ifndef PROCAP_LEANCOMMENT_H
#define PROCAP_LEANCOMMENT_H

#include <stdbool.h>
#include <stdint.h>

#include "dissect.h"
#include "packet.h"

struct leancomment;

/* always_full: every packet gets the full comment (--full-comments). */
struct leancomment *leancomment_new(bool always_full);
void leancomment_free(struct leancomment *lc);	/* NULL-safe */

/* Whether p (flow m, NULL when it has none; sni/ja4 as its full comment would carry them) gets
 * the full comment, in the file numbered file_no (a new number forgets every flow, so a file
 * read alone has every flow's full comment). Remembers the answer for the next packets. */
bool leancomment_full(struct leancomment *lc, const struct packet *p, const struct pkt_meta *m,
		      const char *sni, const char *ja4, uint64_t file_no);

#endif
