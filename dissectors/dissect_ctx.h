// SPDX-License-Identifier: BSD-3-Clause
/* Per-run dissector state. Each dissector owns its part, creates it lazily and bounds it
 * (entry cap, byte cap, age eviction); nothing in the dissectors is static and mutable. */
#ifndef PROCAP_DISSECT_CTX_H
#define PROCAP_DISSECT_CTX_H

#include <stdint.h>

struct tls_state;		/* tls.c: TCP ClientHello reassembly keyed by 4-tuple */
struct quic_state;		/* quic.c: CRYPTO reassembly keyed by DCID */
struct dtls_state;		/* dtls.c: handshake fragments keyed by 4-tuple and message */

struct dissect_ctx {
	uint64_t now_ns;	/* timestamp of the packet being dissected (age eviction) */
	struct tls_state *tls;
	struct quic_state *quic;
	struct dtls_state *dtls;
};

void tls_state_free(struct tls_state *s);
void quic_state_free(struct quic_state *s);
void dtls_state_free(struct dtls_state *s);

#endif
