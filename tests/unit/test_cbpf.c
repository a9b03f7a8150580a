// SPDX-License-Identifier: BSD-3-Clause
/* The bounded classic interpreter used by -r (src/cbpf.c) against libpcap's bpf_filter(), the
 * reference: same return value for every packet of the golden and tls captures under a set of
 * expressions; and on the crafted chain that makes libpcap loop forever, a bounded reject. */
#include <pcap/pcap.h>
#include <string.h>

#include "cbpf.h"
#include "check.h"

static const char *const exprs[] = {
	"tcp", "udp port 53", "icmp or icmp6", "ip[8] == 64", "ip[2:2] / 3 > 50",
	"tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn", "(tcp[12:1] & 0xf0) >> 2 > 20",
	"less 80", "greater 1000", "ip6 and tcp", "vlan or arp", "ether broadcast",
	"net 192.0.2.0/24 or net 198.51.100.0/24", "portrange 400-9000", "ip6 protochain 6",
	"ip protochain 17", "len % 7 == 3", "ip[0] & 0xf != 5", "tcp[((tcp[12:1] & 0xf0) >> 2)] = 0x16",
};

static const char *const files[] = {
	"testdata/golden/eth_tcp.pcap", "testdata/golden/eth_icmp.pcap",
	"testdata/golden/eth_nd.pcap", "testdata/golden/crafted_ip6.pcap",
	"testdata/golden/eth_udp.pcap", "testdata/tls/chromium-pq-2seg.pcap",
};

static void compare_file(const char *path, long *agree, long *total)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, err);

	if (!CHECKF(p != NULL, path, "cannot open: %s", err))
		return;
	for (size_t e = 0; e < sizeof(exprs) / sizeof(exprs[0]); e++) {
		struct bpf_program prog;
		if (pcap_compile(p, &prog, exprs[e], 1, PCAP_NETMASK_UNKNOWN) < 0)
			continue;
		pcap_t *q = pcap_open_offline(path, err);
		struct pcap_pkthdr *h;
		const u_char *data;
		while (q && pcap_next_ex(q, &h, &data) == 1) {
			uint32_t want = bpf_filter(prog.bf_insns, data, h->len, h->caplen);
			uint32_t got = cbpf_run(prog.bf_insns, prog.bf_len, data, h->len, h->caplen,
						NULL);
			(*total)++;
			if (got == want)
				(*agree)++;
			else
				printf("FAIL cbpf '%s' on %s: got %u, bpf_filter %u\n", exprs[e], path,
				       got, want);
		}
		if (q)
			pcap_close(q);
		pcap_freecode(&prog);
	}
	pcap_close(p);
}

int main(void)
{
	long agree = 0, total = 0;

	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++)
		compare_file(files[f], &agree, &total);
	CHECKF(total > 1000 && agree == total, "cbpf verdicts equal bpf_filter()'s",
	       "%ld/%ld agree", agree, total);

	/* The crafted IPv6 chain on which libpcap's interpreter never returns (found by the
	 * robust engineer): ours stops within its budget and rejects. */
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline("testdata/malformed/replay_protochain_loop.pcap", err);
	if (CHECKF(p != NULL, "protochain loop capture", "%s", err)) {
		struct bpf_program prog;
		struct pcap_pkthdr *h;
		const u_char *data;
		bool looped = false;
		if (CHECK(pcap_compile(p, &prog, "ip6 protochain 6", 1, PCAP_NETMASK_UNKNOWN) == 0,
			  "compile protochain") &&
		    CHECK(pcap_next_ex(p, &h, &data) == 1, "read protochain packet")) {
			uint32_t v = cbpf_run(prog.bf_insns, prog.bf_len, data, h->len, h->caplen,
					      &looped);
			CHECK(v == 0 && looped, "endless protochain stopped by the step budget");
			pcap_freecode(&prog);
		}
		pcap_close(p);
	}
	return CHECK_EXIT();
}
