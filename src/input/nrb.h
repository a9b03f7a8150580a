// SPDX-License-Identifier: BSD-3-Clause
/* Name Resolution Blocks read back (-r): the address -> name records procap (or Wireshark)
 * wrote, so a replay names the addresses as the capture did, also those whose names came from
 * no DNS packet in the file (--resolver-names). */
#ifndef PROCAP_NRB_H
#define PROCAP_NRB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "names.h"

/* The IPv4 and IPv6 records of one NRB body (the bytes after the block header, options
 * included): up to max of them into out, each with its first name (the others are aliases of
 * it); returns how many. swap: the section's byte order is not the host's. A record that is
 * cut short, or whose name is empty or not terminated, is skipped; the walk stops at the end
 * record or at the end of body. */
size_t nrb_parse(const uint8_t *body, size_t len, bool swap, struct name_rec *out, size_t max);

#endif
