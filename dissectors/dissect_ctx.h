// SPDX-License-Identifier: BSD-3-Clause
/* Per-run dissector state. Each dissector owns its part, creates it lazily and bounds it
 * (entry cap, byte cap, age eviction); nothing in the dissectors is static and mutable. */
#ifndef PROCAP_DISSECT_CTX_H
#define PROCAP_DISSECT_CTX_H

#include <stddef.h>
#include <stdint.h>

struct tls_state;		/* tls.c: TCP ClientHello reassembly keyed by 4-tuple */
struct quic_state;		/* quic.c: CRYPTO reassembly keyed by DCID */
struct dtls_state;		/* dtls.c: handshake fragments keyed by 4-tuple and message */
struct tls_decrypt_state;	/* tls_flow.c: decrypted TLS connections and their secrets */

/* A layer table's rows as dispatch walks them (registry.c), worked out once from the rows'
 * fields: reading every row through its pointer for every packet cost a flood of other UDP
 * 200 instructions a packet. */
#define LAYER_ROWS_MAX 16
#define LEAD_NONE 256		/* heur_by_lead's index for an empty payload */
struct layer_plan {
	uint64_t hint_bits;			/* bit (hint & 63) of each row's hint */
	uint8_t n_hinted;
	uint16_t hint[2 * LAYER_ROWS_MAX];	/* a hint (rows have up to two) ... */
	uint8_t hinted[2 * LAYER_ROWS_MAX];	/* ... and its row */
	uint32_t heur_by_lead[LEAD_NONE + 1];	/* bit i: row i is offered payloads that start
						   with this byte (a heuristic) */
};

struct dissect_ctx {
	uint64_t now_ns;	/* timestamp of the packet being dissected (age eviction) */
	struct tls_state *tls;
	struct quic_state *quic;
	struct dtls_state *dtls;
	struct tls_decrypt_state *tlsd;	/* NULL: no decryption (no secrets expected) */
	struct layer_plan plan[4];	/* by enum dissect_layer */
};

void tls_state_free(struct tls_state *s);
void quic_state_free(struct quic_state *s);
void dtls_state_free(struct dtls_state *s);
void tls_decrypt_state_free(struct tls_decrypt_state *s);

/* Live decryption (tls_flow.c): from now on follow TLS connections from their ClientHello,
 * as their secrets may come (a live capture with key log sources). */
void tls_decrypt_enable(struct dissect_ctx *ctx);
/* NSS key log text (complete lines); enables decryption. Returns the lines taken. */
int tls_decrypt_add_keylog(struct dissect_ctx *ctx, const char *text, size_t len);
/* fn(arg) is called when a protected record finds no keys: it reads the secrets sources now
 * (a client logs its keys before it sends what they protect), then the keys are looked up
 * again. */
void tls_decrypt_set_source(struct dissect_ctx *ctx, void (*fn)(void *arg), void *arg);

#endif
