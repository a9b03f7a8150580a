// SPDX-License-Identifier: BSD-3-Clause
/* print_driver: reads a pcap with libpcap (an independent reader) and prints every packet with
 * src/print.c, taking procap's text options: print_driver [-e -q -v -S -x -X -A -# -t...] -r F.
 * It checks the printer without procap's own reader, and is what bench numbers for the printer
 * alone come from. Dissector findings are not computed here (nres 0). */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "opts.h"
#include "packet.h"
#include "print.h"

int main(int argc, char **argv)
{
	struct options o;
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const uint8_t *data;
	struct print_ctx *pc;
	pcap_t *p;
	uint64_t n = 0;
	int rc;

	rc = opts_parse(&o, argc, argv);
	if (rc)
		return rc < 0 ? 0 : 1;
	if (!o.read_file) {
		fprintf(stderr, "print_driver: -r FILE required\n");
		return 1;
	}
	p = pcap_open_offline_with_tstamp_precision(o.read_file, PCAP_TSTAMP_PRECISION_NANO, err);
	if (!p) {
		fprintf(stderr, "print_driver: %s\n", err);
		return 1;
	}
	pc = print_new(&o, stdout);
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		struct packet pkt;

		memset(&pkt, 0, sizeof(pkt));
		pkt.ts_ns = (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec;
		pkt.wire_len = h->len;
		pkt.cap_len = h->caplen;
		pkt.data = data;
		pkt.linktype = pcap_datalink(p);
		pkt.number = ++n;
		print_packet(pc, &pkt, NULL, 0);
		if (o.count && (long)n >= o.count)
			break;
	}
	print_free(pc);
	pcap_close(p);
	return rc == -1 ? 1 : 0;
}
