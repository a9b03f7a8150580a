// SPDX-License-Identifier: BSD-3-Clause
/* QUIC dissector state access for tests and tools that inspect the Initial flow table. */
#ifndef PROCAP_QUIC_H
#define PROCAP_QUIC_H

struct quic_state;
struct quic_reasm;

/* The flow table behind a dissect_ctx's QUIC state (NULL before the first QUIC packet). */
struct quic_reasm *quic_state_reasm(struct quic_state *s);

#endif
