// SPDX-License-Identifier: BSD-3-Clause
/* tls_extract FILE: one line per TLS/QUIC ClientHello that procap's dissectors find in a
 * capture (read with libpcap): frame, transport, SNI, JA4. For comparing with tshark's
 * extraction (correctness and speed) without the rest of procap's replay path:
 *   python3 bench/pcapgen.py tls testdata/tls/curl-port8443.pcap 20000 /tmp/tls20k.pcap
 *   time build/tests/tools/tls_extract /tmp/tls20k.pcap > ours.tsv
 *   time tshark -n -r /tmp/tls20k.pcap -Y 'tls.handshake.type == 1' -T fields \
 *        -e frame.number -e tls.handshake.extensions_server_name > tshark.tsv
 *   diff <(cut -f1,3 ours.tsv) tshark.tsv */
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>
#include "dissect.h"

int main(int argc, char **argv)
{
	static struct dissect_result res[DISSECT_MAX_RESULTS];
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	uint64_t frame = 0, hellos = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: tls_extract FILE\n");
		return 2;
	}
	pcap_t *p = pcap_open_offline(argv[1], err);
	if (!p) {
		fprintf(stderr, "procap: %s: %s\n", argv[1], err);
		return 1;
	}
	struct dissect_ctx *ctx = dissect_ctx_new();
	int lt = pcap_datalink(p);
	while (pcap_next_ex(p, &h, &d) == 1) {
		struct pkt_meta m;
		uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000000ull +
			      (uint64_t)h->ts.tv_usec * 1000;

		frame++;
		memset(&m, 0, sizeof(m));
		int n = dissect_packet(ctx, lt, d, h->caplen, h->len, ts, &m, res,
				       DISSECT_MAX_RESULTS);
		for (int i = 0; i < n; i++) {
			const struct tls_info *t = NULL;

			if (res[i].by == &dissector_tls && res[i].rc != DISSECT_PENDING)
				t = &res[i].u.tls;
			else if (res[i].by == &dissector_quic && res[i].u.quic.has_tls)
				t = &res[i].u.quic.tls;
			if (!t || t->msg != TLS_MSG_CLIENT_HELLO)
				continue;
			hellos++;
			printf("%llu\t%s\t%s\t%s\n", (unsigned long long)frame, res[i].by->name,
			       t->sni, t->ja4);
		}
	}
	dissect_ctx_free(ctx);
	pcap_close(p);
	fprintf(stderr, "%llu packets, %llu ClientHellos\n", (unsigned long long)frame,
		(unsigned long long)hellos);
	return 0;
}
