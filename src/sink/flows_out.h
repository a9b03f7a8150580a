// SPDX-License-Identifier: BSD-3-Clause
/* How a flow record is printed: an aligned text row (flow_text_header() names the columns)
 * or one JSON object per line. Keys and columns are documented in man/procap.8 (--flows). */
#ifndef PROCAP_FLOWS_OUT_H
#define PROCAP_FLOWS_OUT_H

#include <stddef.h>
#include <stdio.h>

#include "flows.h"

void flow_text_header(FILE *out);
void flow_text(FILE *out, const struct flow *f);
void flow_json(FILE *out, const struct flow *f);

/* "HH:MM:SS.uuuuuu" local time of ts_ns (realtime ns), as the text lines print it. */
void time_of_day(uint64_t ts_ns, char *buf, size_t len);
/* "ADDR:PORT" or "[ADDR6]:PORT" (no port for protocols without ports). */
void flow_endpoint(char *buf, size_t len, uint8_t ver, const uint8_t *addr, uint16_t port,
		   uint8_t proto);
/* "tcp", "udp", "icmp", "icmp6", else the protocol number. */
const char *flow_proto_name(uint8_t proto, char *buf, size_t len);

#endif
