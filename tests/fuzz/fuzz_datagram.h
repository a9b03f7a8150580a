// SPDX-License-Identifier: BSD-3-Clause
/* Shared by the UDP dissector fuzz targets (fuzz_quic.c, fuzz_dtls.c): their input is a run of
 * datagram records [direction byte][2-byte big-endian length][bytes]. Each datagram is copied
 * to a heap block of its exact length (ASan sees any overread) and described by a UDP pkt_meta
 * between a client (192.0.2.1) and a server (198.51.100.2): direction bit 0 set means sent by
 * the server, bit 1 that the UDP length claims the record's length though fewer bytes follow
 * (a snap cut). */
#ifndef PROCAP_FUZZ_DATAGRAM_H
#define PROCAP_FUZZ_DATAGRAM_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "dissect.h"

struct fuzz_datagram {
	uint8_t dir;
	uint8_t *copy;			/* the bytes (free() it) */
	size_t have;			/* bytes in copy */
	struct pkt_meta m;
};

/* The next record of in; false at the end of the input. */
static inline bool fuzz_next_datagram(struct cursor *in, uint16_t client_port,
				      uint16_t server_port, struct fuzz_datagram *d)
{
	static const uint8_t client[4] = { 192, 0, 2, 1 }, server[4] = { 198, 51, 100, 2 };
	uint8_t dir = cur_u8(in);
	uint16_t len = cur_be16(in);
	size_t have = cur_left(in) < len ? cur_left(in) : len;
	const uint8_t *bytes = cur_bytes(in, have);

	if (in->short_read || !bytes)
		return false;
	d->dir = dir;
	d->have = have;
	d->copy = malloc(have ? have : 1);
	memcpy(d->copy, bytes, have);
	memset(&d->m, 0, sizeof(d->m));
	d->m.ip_ver = 4;
	d->m.l4_proto = 17;
	memcpy(d->m.src, dir & 1 ? server : client, 4);
	memcpy(d->m.dst, dir & 1 ? client : server, 4);
	d->m.sport = dir & 1 ? server_port : client_port;
	d->m.dport = dir & 1 ? client_port : server_port;
	d->m.payload_len = dir & 2 ? len : (uint32_t)have;
	return true;
}

#endif
