// SPDX-License-Identifier: BSD-3-Clause
/*
 * pcount: count the packets of a pcap or pcapng file that match a filter, using libpcap as an
 * independent reader of what a capture tool wrote (bench/run.sh).
 *   pcount FILE [EXPRESSION]
 * prints the number of matching packets on stdout. A file cut short by a killed writer still
 * counts the packets before the cut, like tcpdump -r does.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	struct bpf_program prog;
	struct pcap_pkthdr *h;
	const unsigned char *data;
	unsigned long long n = 0;
	int r;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: pcount FILE [EXPRESSION]\n");
		return 2;
	}
	pcap_t *p = pcap_open_offline(argv[1], err);
	if (!p) {
		fprintf(stderr, "pcount: %s: %s\n", argv[1], err);
		return 1;
	}
	if (argc == 3) {
		if (pcap_compile(p, &prog, argv[2], 1, PCAP_NETMASK_UNKNOWN) < 0 ||
		    pcap_setfilter(p, &prog) < 0) {
			fprintf(stderr, "pcount: filter '%s': %s\n", argv[2], pcap_geterr(p));
			return 1;
		}
		pcap_freecode(&prog);
	}
	while ((r = pcap_next_ex(p, &h, &data)) == 1)
		n++;
	if (r == PCAP_ERROR)
		fprintf(stderr, "pcount: %s: %s (counted %llu before it)\n", argv[1], pcap_geterr(p), n);
	printf("%llu\n", n);
	pcap_close(p);
	return 0;
}
