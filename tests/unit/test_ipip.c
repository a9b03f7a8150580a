// SPDX-License-Identifier: BSD-3-Clause
/* IP-in-IP and GRE: testdata/ipip/ipip.pcap (crafted, see testdata/README.md) read with
 * libpcap; the ipip dissector's outer and inner addresses must be the ones tcpdump printed
 * for the same frame (testdata/ipip/ipip.tcpdump.txt, `tcpdump -n -r`), and the whole path
 * through dissect_packet must find the TLS SNI inside the 4in4 tunnel (tshark's value). */
#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dissect.h"
#include "dissect_ctx.h"

#define TD "testdata/ipip/"
#define MAX_FRAMES 16

struct frame {
	uint8_t data[2048];
	uint32_t len;
};

static struct frame frames[MAX_FRAMES];
static char tcpdump_lines[MAX_FRAMES][512];

static int load_frames(void)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(TD "ipip.pcap", err);
	struct pcap_pkthdr *h;
	const u_char *d;
	int n = 0;

	if (!p)
		return -1;
	while (n < MAX_FRAMES && pcap_next_ex(p, &h, &d) == 1) {
		frames[n].len = h->caplen < sizeof(frames[n].data) ? h->caplen : 0;
		memcpy(frames[n].data, d, frames[n].len);
		n++;
	}
	pcap_close(p);
	return n;
}

static int load_tcpdump(void)
{
	FILE *f = fopen(TD "ipip.tcpdump.txt", "r");
	int n = 0;

	if (!f)
		return -1;
	while (n < MAX_FRAMES && fgets(tcpdump_lines[n], sizeof(tcpdump_lines[n]), f))
		n++;
	fclose(f);
	return n;
}

static const char *addr_str(uint8_t ver, const uint8_t *a, char *buf)
{
	return inet_ntop(ver == 4 ? AF_INET : AF_INET6, a, buf, INET6_ADDRSTRLEN);
}

/* "A > B" with A and B as tcpdump prints them, possibly followed by ".port". */
static const char *find_pair(const char *line, const char *src, const char *dst)
{
	char pat[2 * INET6_ADDRSTRLEN + 8];
	const char *p = line;

	snprintf(pat, sizeof(pat), "%s", src);
	while ((p = strstr(p, pat))) {
		const char *q = p + strlen(src);

		if (*q == '.')		/* port */
			while (*++q && *q != ' ')
				;
		if (strncmp(q, " > ", 3) == 0 && strncmp(q + 3, dst, strlen(dst)) == 0)
			return q + 3 + strlen(dst);
		p++;
	}
	return NULL;
}

/* Direct dissector call on the outer IP payload (the crafted frames carry no IP options or
 * IPv6 extension headers). */
static enum dissect_rc dissect_outer(const struct frame *fr, struct dissect_result *res)
{
	struct pkt_meta m;
	struct cursor c = cur_init(fr->data, fr->len);
	uint16_t etype;

	memset(&m, 0, sizeof(m));
	memset(res, 0, sizeof(*res));
	cur_skip(&c, 12);
	etype = cur_be16(&c);
	if (etype == 0x0800) {
		m.ip_ver = 4;
		cur_skip(&c, 9);
		m.l4_proto = cur_u8(&c);
		cur_skip(&c, 2);
		memcpy(m.src, cur_bytes(&c, 4), 4);
		memcpy(m.dst, cur_bytes(&c, 4), 4);
	} else {
		m.ip_ver = 6;
		cur_skip(&c, 6);
		m.l4_proto = cur_u8(&c);
		cur_skip(&c, 1);
		memcpy(m.src, cur_bytes(&c, 16), 16);
		memcpy(m.dst, cur_bytes(&c, 16), 16);
	}
	return dissector_ipip.dissect(NULL, &m, c, res);
}

static void test_direct(int nframes)
{
	static const struct {
		uint8_t outer, inner, proto;
		uint16_t gre_type;
	} want[10] = {
		{ 4, 4, 4, 0 }, { 4, 6, 41, 0 }, { 6, 4, 4, 0 }, { 6, 6, 41, 0 }, { 4, 6, 41, 0 },
		{ 4, 4, 47, 0x0800 }, { 4, 6, 47, 0x86dd }, { 4, 4, 47, 0x6558 },
		{ 6, 4, 47, 0x0800 },
		{ 4, 4, 4, 0 },
	};

	for (int i = 0; i < 10 && i < nframes; i++) {
		struct dissect_result res;
		struct ipip_info *ii = &res.u.ipip;
		char name[160], os[INET6_ADDRSTRLEN], od[INET6_ADDRSTRLEN];
		char is[INET6_ADDRSTRLEN], id[INET6_ADDRSTRLEN];
		const char *rest;

		snprintf(name, sizeof(name), "ipip frame %d dissected", i + 1);
		if (!CHECK_INT(dissect_outer(&frames[i], &res), DISSECT_OK, name))
			continue;
		snprintf(name, sizeof(name), "ipip frame %d versions and protocol", i + 1);
		CHECK(ii->outer_ver == want[i].outer && ii->inner_ver == want[i].inner &&
		      ii->proto == want[i].proto && ii->gre_ethertype == want[i].gre_type, name);
		/* tcpdump's line: outer pair first, then the inner pair after it */
		addr_str(ii->outer_ver, ii->outer_src, os);
		addr_str(ii->outer_ver, ii->outer_dst, od);
		addr_str(ii->inner_ver, ii->inner_src, is);
		addr_str(ii->inner_ver, ii->inner_dst, id);
		rest = find_pair(tcpdump_lines[i], os, od);
		snprintf(name, sizeof(name), "ipip frame %d outer %s > %s as tcpdump", i + 1, os,
			 od);
		CHECK(rest != NULL, name);
		snprintf(name, sizeof(name), "ipip frame %d inner %s > %s as tcpdump", i + 1, is,
			 id);
		CHECK(rest && find_pair(rest, is, id), name);
		snprintf(name, sizeof(name), "ipip frame %d inner cursor at its header", i + 1);
		CHECK(cur_left(&res.inner) > 0 && (res.inner.pos[0] >> 4) == ii->inner_ver, name);
	}
	if (nframes >= 8) {
		struct dissect_result res;

		dissect_outer(&frames[6], &res);
		CHECK(res.u.ipip.gre_has_key && res.u.ipip.gre_key == 0x01020304,
		      "GRE key as tcpdump (key=0x1020304)");
		dissect_outer(&frames[7], &res);
		CHECK(res.u.ipip.inner_eth, "GRE 0x6558 says an Ethernet header was skipped");
	}
}

/* The whole path: base.c peels each tunnel level and finds the inner transport payload. */
static void test_dissect_packet(int nframes)
{
	struct dissect_ctx *ctx = dissect_ctx_new();
	struct dissect_result res[DISSECT_MAX_RESULTS];
	struct pkt_meta m;
	int n, tls_at = -1, levels = 0;

	if (nframes < 12)
		return;
	/* frame 10: TLS ClientHello in 4in4; tshark: SNI tunnel.example */
	memset(&m, 0, sizeof(m));
	n = dissect_packet(ctx, DLT_EN10MB, frames[9].data, frames[9].len, frames[9].len, 1, &m,
			   res, DISSECT_MAX_RESULTS);
	for (int i = 0; i < n; i++)
		if (res[i].by == &dissector_tls)
			tls_at = i;
	CHECK(n >= 2 && res[0].by == &dissector_ipip, "4in4 TLS: tunnel result first");
	if (CHECK(tls_at >= 0, "4in4 TLS: ClientHello found through the tunnel"))
		CHECK_STR(res[tls_at].u.tls.sni, "tunnel.example", "4in4 TLS: SNI as tshark");

	/* frame 5: 4in6in4, two tunnel levels, meta is the innermost packet */
	memset(&m, 0, sizeof(m));
	n = dissect_packet(ctx, DLT_EN10MB, frames[4].data, frames[4].len, frames[4].len, 2, &m,
			   res, DISSECT_MAX_RESULTS);
	for (int i = 0; i < n; i++)
		levels += res[i].by == &dissector_ipip;
	CHECK_INT(levels, 2, "4in6in4: two tunnel levels");
	CHECK(m.ip_ver == 4 && m.sport == 5004 && m.dport == 6004, "4in6in4: innermost UDP meta");

	/* frame 11: five 4in4 levels: dissection stops at the depth limit, no crash */
	memset(&m, 0, sizeof(m));
	n = dissect_packet(ctx, DLT_EN10MB, frames[10].data, frames[10].len, frames[10].len, 3,
			   &m, res, DISSECT_MAX_RESULTS);
	levels = 0;
	for (int i = 0; i < n; i++)
		levels += res[i].by == &dissector_ipip;
	CHECK(levels >= 1 && levels <= 4, "five nested tunnels: bounded by the depth limit");

	/* frame 12: RFC 9001 A.2 QUIC Initial in 6in4; tshark: SNI example.com */
	memset(&m, 0, sizeof(m));
	n = dissect_packet(ctx, DLT_EN10MB, frames[11].data, frames[11].len, frames[11].len, 4,
			   &m, res, DISSECT_MAX_RESULTS);
	tls_at = -1;
	for (int i = 0; i < n; i++)
		if (res[i].by == &dissector_quic && res[i].u.quic.has_tls)
			tls_at = i;
	if (CHECK(tls_at >= 1 && res[0].by == &dissector_ipip,
		  "6in4 QUIC: Initial decrypted through the tunnel"))
		CHECK_STR(res[tls_at].u.quic.tls.sni, "example.com", "6in4 QUIC: SNI as tshark");
	dissect_ctx_free(ctx);
}

int main(void)
{
	int n = load_frames(), t = load_tcpdump();

	if (!CHECK(n == 12 && t == 12, "ipip testdata loads (12 frames, 12 tcpdump lines)"))
		return CHECK_EXIT();
	test_direct(n);
	test_dissect_packet(n);
	return CHECK_EXIT();
}
