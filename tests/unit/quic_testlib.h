// SPDX-License-Identifier: BSD-3-Clause
/* Helpers shared by the QUIC unit tests: hex vectors from testdata/, synthetic packet meta. */
#ifndef PROCAP_QUIC_TESTLIB_H
#define PROCAP_QUIC_TESTLIB_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "dissect.h"

/* Reads a file of hex digits (whitespace ignored). Returns the byte count, -1 on error. */
static inline long load_hex(const char *path, uint8_t *buf, size_t max)
{
	FILE *f = fopen(path, "r");
	long n = 0;
	int hi = -1, ch;

	if (!f)
		return -1;
	while ((ch = fgetc(f)) != EOF) {
		int v;

		if (ch >= '0' && ch <= '9')
			v = ch - '0';
		else if (ch >= 'a' && ch <= 'f')
			v = ch - 'a' + 10;
		else if (ch >= 'A' && ch <= 'F')
			v = ch - 'A' + 10;
		else
			continue;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if ((size_t)n == max) {
			n = -1;
			break;
		}
		buf[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	fclose(f);
	return n;
}

static inline size_t hex_to_bytes(const char *hex, uint8_t *out, size_t max)
{
	size_t n = 0;

	for (; hex[0] && hex[1] && n < max; hex += 2) {
		unsigned int v;

		if (sscanf(hex, "%2x", &v) != 1)
			break;
		out[n++] = (uint8_t)v;
	}
	return n;
}

static inline void bytes_to_hex(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
	out[2 * n] = 0;
}

/* IPv4 UDP meta: client 192.0.2.1:50000 -> server 198.51.100.2:443, or reversed. */
static inline struct pkt_meta quic_test_meta(int from_server)
{
	static const uint8_t client[4] = { 192, 0, 2, 1 }, server[4] = { 198, 51, 100, 2 };
	struct pkt_meta m;

	memset(&m, 0, sizeof(m));
	m.ip_ver = 4;
	m.l4_proto = 17;
	memcpy(m.src, from_server ? server : client, 4);
	memcpy(m.dst, from_server ? client : server, 4);
	m.sport = from_server ? 443 : 50000;
	m.dport = from_server ? 50000 : 443;
	return m;
}

#endif
