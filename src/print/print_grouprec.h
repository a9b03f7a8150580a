// SPDX-License-Identifier: BSD-3-Clause
/* The source lists and group records that IGMPv3 (RFC 3376 §4.1, §4.2) and MLDv2 (RFC 3810
 * §5.1, §5.2) share, printed as tcpdump 4.99 prints both; only the address size and the name
 * of an unknown record type differ. Used by src/print_igmp.c and src/print_icmp6.c. */
#ifndef PROCAP_PRINT_GROUPREC_H
#define PROCAP_PRINT_GROUPREC_H

#include "print_int.h"

/* n sources of alen bytes (4 or 16) from s on: ", N source(s)", or " { A B }" with -vv;
 * false on truncation. */
bool print_grouprec_sources(struct pstate *ps, struct cursor s, unsigned n, size_t alen);

/* The group records of a report (d at its type byte, record count at d+6, records from d+8):
 * ", N group record(s)", then with -v " [gaddr G TYPE ...]" each. unknown: the tag printed for
 * an unknown record type ("v3-report" gives "  [v3-report-#7]"). aux: the record's aux data
 * length (in 32-bit words) is skipped, as tcpdump does for IGMPv3 but not MLDv2. false on
 * truncation. */
bool print_grouprec_report(struct pstate *ps, struct cursor d, uint32_t len, size_t alen,
			   const char *unknown, bool aux);

#endif
