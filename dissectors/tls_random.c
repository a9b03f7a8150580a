// SPDX-License-Identifier: BSD-3-Clause
/* Client random of a ClientHello at the start of a TCP segment.
 * specification: RFC 8446 §4.1.2 (ClientHello: legacy_version, random), §5.1 (record header);
 * IEEE 802.1Q; RFC 791 (IHL); RFC 8200 (fixed header); RFC 9293 (data offset).
 * The random sits 11 bytes into the record, so it is always in the hello's first segment, the
 * one a connection sends first: no reassembly is needed. */
#include "cursor.h"
#include "linktype.h"
#include "tls_random.h"

#define IPPROTO_TCP_	6

/* Leaves c at the TCP payload; false for anything else (IPv6 extension headers included). */
static bool to_tcp_payload(struct cursor *c)
{
	uint16_t type;
	uint8_t proto;

	cur_skip(c, 12);
	type = cur_be16(c);
	while (type == ETH_P_8021Q || type == ETH_P_8021AD) {
		cur_skip(c, 2);
		type = cur_be16(c);
	}
	if (type == ETH_P_IPV4) {
		struct cursor h = *c;
		uint8_t vihl = cur_u8(&h);
		cur_skip(&h, 1);
		uint16_t total = cur_be16(&h);
		cur_skip(&h, 2);
		uint16_t frag = cur_be16(&h);	/* a fragment is not a segment's start */
		cur_skip(&h, 1);
		proto = cur_u8(&h);
		size_t ihl = (size_t)(vihl & 0x0f) * 4;
		if (h.short_read || vihl >> 4 != 4 || ihl < 20 || total < ihl || (frag & 0x3fff))
			return false;
		*c = cur_sub(c, total);		/* drops Ethernet padding */
		cur_skip(c, ihl);
	} else if (type == ETH_P_IPV6) {
		if (cur_u8(c) >> 4 != 6)
			return false;
		cur_skip(c, 3);
		uint16_t plen = cur_be16(c);
		proto = cur_u8(c);
		cur_skip(c, 33);
		*c = cur_sub(c, plen);
	} else {
		return false;
	}
	if (proto != IPPROTO_TCP_)
		return false;
	cur_skip(c, 12);
	size_t doff = (size_t)(cur_u8(c) >> 4) * 4;
	if (doff < 20 || !cur_skip(c, doff - 13))
		return false;
	return !c->short_read;
}

bool tls_client_random(const uint8_t *frame, size_t cap_len, uint8_t out[TLS_RANDOM_LEN])
{
	struct cursor c = cur_init(frame, cap_len);
	const uint8_t *random;

	if (!to_tcp_payload(&c))
		return false;
	if (cur_u8(&c) != 22 || cur_u8(&c) != 3)	/* handshake record, TLS 1.x */
		return false;
	cur_skip(&c, 3);				/* minor version, record length */
	if (cur_u8(&c) != 1)				/* ClientHello */
		return false;
	cur_skip(&c, 5);				/* length, legacy_version */
	random = cur_bytes(&c, TLS_RANDOM_LEN);
	if (!random)
		return false;
	for (size_t i = 0; i < TLS_RANDOM_LEN; i++)
		out[i] = random[i];
	return true;
}
