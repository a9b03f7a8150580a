// SPDX-License-Identifier: BSD-3-Clause
/* The client random of a TLS ClientHello that starts a TCP segment: what ties a connection's
 * packets to the NSS key log lines of its secrets. */
#ifndef PROCAP_TLS_RANDOM_H
#define PROCAP_TLS_RANDOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TLS_RANDOM_LEN 32

/* frame: an Ethernet frame (802.1Q tags allowed) of cap_len bytes. True when it carries IPv4
 * or IPv6 TCP whose payload begins with a TLS handshake record holding a ClientHello whose
 * random is in this segment; the random is copied to out. */
bool tls_client_random(const uint8_t *frame, size_t cap_len, uint8_t out[TLS_RANDOM_LEN]);

#endif
