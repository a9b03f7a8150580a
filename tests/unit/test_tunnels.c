// SPDX-License-Identifier: BSD-3-Clause
/* Overlay tunnels (dissectors/vxlan.c, geneve.c, gtpu.c, erspan.c and base.c's walk through
 * VLAN tags and MPLS labels): the chain of tunnels found in each frame, as "kind:id" words,
 * against tshark 4.0's decode of the same frames:
 *   tshark -r F -T fields -e frame.number -e vxlan.vni -e geneve.vni -e gtp.teid
 *          -e gtp.message -e erspan.spanid -e erspan.version
 * (testdata/tunnels/crafted.pcap, made by its make_tunnels_pcap.py; the corpus's
 * gre-erspan-vxlan.pcap and tcpdump-geneve.pcap). The hellos inside these tunnels are compared
 * with tshark by test_hello_tshark. The findings renderers (text and JSON) of a tunnelled hello
 * and of a DTLS hello repeated with a cookie. Then every frame of crafted.pcap cut at every
 * length: no tunnel result points outside the captured bytes. */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "dissect.h"
#include "findings.h"

/* "vxlan:42 tls" style: each result's dissector name, with the tunnel id for tunnels */
static void chain(const struct dissect_result *res, int n, char *out, size_t len)
{
	size_t o = 0;

	out[0] = 0;
	for (int i = 0; i < n && o < len; i++) {
		const struct dissect_result *r = &res[i];

		if (!r->by || r->rc == DISSECT_NOT_MINE)
			continue;
		if (r->by->layer == DL_UDP && r->by->tunnel)
			o += (size_t)snprintf(out + o, len - o, "%s%s:%u", o ? " " : "",
					      r->by->name, r->u.tun.id);
		else if (r->by == &dissector_erspan)
			o += (size_t)snprintf(out + o, len - o, "%serspan%u:%u", o ? " " : "",
					      r->u.tun.version, r->u.tun.id);
		else
			o += (size_t)snprintf(out + o, len - o, "%s%s", o ? " " : "", r->by->name);
	}
}

/* Text and JSON findings of frame `frame` of path (through one dissect context). */
static void findings_of(const char *path, int frame, char *text, size_t tlen, char *json,
			size_t jlen)
{
	char err[PCAP_ERRBUF_SIZE];
	static struct dissect_result res[DISSECT_MAX_RESULTS];
	pcap_t *p = pcap_open_offline(path, err);
	struct pcap_pkthdr *h;
	const u_char *d;
	struct dissect_ctx *ctx = dissect_ctx_new();

	text[0] = json[0] = 0;
	for (int i = 1; p && pcap_next_ex(p, &h, &d) == 1; i++) {
		struct pkt_meta m;

		memset(&m, 0, sizeof(m));
		int n = dissect_packet(ctx, pcap_datalink(p), d, h->caplen, h->len, (uint64_t)i, &m,
				       res, DISSECT_MAX_RESULTS);
		if (i != frame)
			continue;
		struct pbuf pb = { 0 };
		static struct jbuf jb;

		findings_text(&pb, res, n);
		snprintf(text, tlen, "%.*s", (int)pb.len, pb.buf ? pb.buf : "");
		free(pb.buf);
		jb.n = 0;
		jb.first = true;
		findings_json(&jb, res, n);
		snprintf(json, jlen, "%.*s", (int)jb.n, jb.s);
		break;
	}
	dissect_ctx_free(ctx);
	if (p)
		pcap_close(p);
}

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static void check_findings(void)
{
	char text[2048], json[8192];

	findings_of("testdata/tunnels/crafted.pcap", 1, text, sizeof(text), json, sizeof(json));
	CHECK_STR(text, " tunnel=vxlan:vni=42 tls sni=vxlan.tunnel.example alpn=h2,http/1.1 "
		  "ja4=t13d0406h2_e00fd9ffaebd_5d4d534e3685", "text: vxlan chain then the hello");
	CHECKF(strstr(json, "\"vxlan\":{\"outer_src\":\"192.0.2.1\",\"outer_dst\":\"192.0.2.2\","
			    "\"vni\":42") != NULL, "json: vxlan object", "%s", json);
	findings_of("testdata/tunnels/crafted.pcap", 3, text, sizeof(text), json, sizeof(json));
	CHECKF(starts(text, " tunnel=geneve:vni=7:opts=2 tls sni=geneve.tunnel.example"),
	       "text: geneve with its options", "%s", text);
	findings_of("testdata/tunnels/crafted.pcap", 6, text, sizeof(text), json, sizeof(json));
	CHECKF(starts(text, " tunnel=gtpu:teid=0xabcdef01 tls sni=gtpu-ext.tunnel.example"),
	       "text: gtp-u teid", "%s", text);
	CHECKF(strstr(json, "\"gtpu\":{") && strstr(json, "\"teid\":2882400001"),
	       "json: gtpu object", "%s", json);
	findings_of("testdata/tunnels/crafted.pcap", 8, text, sizeof(text), json, sizeof(json));
	CHECKF(starts(text, " tunnel=erspan2:session=100 tls sni=erspan2.tunnel.example"),
	       "text: erspan type II session", "%s", text);
	/* openssl -dtls1_2: frame 3 repeats the hello with the HelloVerifyRequest's cookie */
	findings_of("testdata/dtls/openssl.pcap", 3, text, sizeof(text), json, sizeof(json));
	CHECKF(strstr(text, " dtls sni=lab.test alpn=h2,coap ja4=dd2d2808h2_") &&
	       strstr(text, " cookie=1"), "text: dtls hello with a cookie", "%s", text);
	CHECKF(strstr(json, "\"dtls\":{\"msg\":\"client_hello\"") &&
	       strstr(json, "\"cookie_len\":20"),
	       "json: dtls object with the cookie length", "%s", json);
	findings_of("testdata/hellos/odd.pcap", 3, text, sizeof(text), json, sizeof(json));
	CHECKF(strstr(text, " malformed=1") && strstr(json, "\"malformed\":true"),
	       "odd cipher-suite length: malformed=1", "%s", text);
}

struct want {
	int frame;
	const char *chain;
};

static void check_file(const char *path, const struct want *w, size_t nw)
{
	char err[PCAP_ERRBUF_SIZE], got[256], name[512];
	static struct dissect_result res[DISSECT_MAX_RESULTS];
	pcap_t *p = pcap_open_offline(path, err);
	struct pcap_pkthdr *h;
	const u_char *d;
	int frame = 0;

	if (!CHECK(p != NULL, path))
		return;
	struct dissect_ctx *ctx = dissect_ctx_new();
	while (pcap_next_ex(p, &h, &d) == 1) {
		struct pkt_meta m;

		memset(&m, 0, sizeof(m));
		frame++;
		int n = dissect_packet(ctx, pcap_datalink(p), d, h->caplen, h->len, (uint64_t)frame,
				       &m, res, DISSECT_MAX_RESULTS);
		chain(res, n, got, sizeof(got));
		for (size_t i = 0; i < nw; i++) {
			if (w[i].frame != frame)
				continue;
			snprintf(name, sizeof(name), "%s frame %d", path, frame);
			CHECK_STR(got, w[i].chain, name);
		}
	}
	dissect_ctx_free(ctx);
	pcap_close(p);
}

/* Every frame cut at every length, dissected on its own: tunnel results stay in the bytes. */
static void check_cuts(const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	static struct dissect_result res[DISSECT_MAX_RESULTS];
	pcap_t *p = pcap_open_offline(path, err);
	struct pcap_pkthdr *h;
	const u_char *d;
	long cuts = 0, bad = 0;

	if (!p)
		return;
	while (pcap_next_ex(p, &h, &d) == 1) {
		for (uint32_t cut = 0; cut <= h->caplen; cut++) {
			struct dissect_ctx *ctx = dissect_ctx_new();
			uint8_t *copy = malloc(cut ? cut : 1);
			struct pkt_meta m;

			memcpy(copy, d, cut);
			memset(&m, 0, sizeof(m));
			int n = dissect_packet(ctx, pcap_datalink(p), copy, cut, h->len, 1, &m, res,
					       DISSECT_MAX_RESULTS);
			for (int i = 0; i < n; i++)
				if (res[i].by && res[i].by->tunnel && cur_left(&res[i].inner) &&
				    (res[i].inner.pos < copy || res[i].inner.end > copy + cut))
					bad++;
			cuts++;
			free(copy);
			dissect_ctx_free(ctx);
		}
	}
	pcap_close(p);
	printf("# %ld cut frames of %s\n", cuts, path);
	CHECK_INT(bad, 0, "tunnel inner packets within every cut");
}

int main(void)
{
	static const struct want crafted[] = {
		{ 1, "vxlan:42 tls" },	{ 2, "vxlan:43 quic" },	 { 3, "geneve:7 tls" },
		{ 4, "geneve:8 dtls" }, { 5, "gtpu:4660 tls" },	 { 6, "gtpu:2882400001 tls" },
		{ 7, "gtpu:0" },	{ 8, "ipip erspan2:100 tls" },
		{ 9, "ipip erspan3:200 tls" },
		{ 10, "ipip erspan1:0 tls" },
		/* every GRE level is an ipip result (it names the inner addresses when it
		 * carries IP); VLAN tags and MPLS labels are walked without a result */
		{ 11, "ipip tls" },	{ 12, "ipip tls" },	 { 13, "tls" },
		{ 14, "ipip vxlan:99 tls" }, { 15, "vxlan:44 tls" },
	};
	/* ERSPAN type II session 20 mirroring VXLAN (vni 0) traffic */
	static const struct want erspan_vxlan[] = {
		{ 1, "ipip erspan2:20 vxlan:0" }, { 7, "ipip erspan2:20 vxlan:0" },
	};
	static const struct want geneve[] = {
		{ 1, "geneve:10" }, { 2, "geneve:11" }, { 8, "geneve:11" },
	};

	check_file("testdata/tunnels/crafted.pcap", crafted, sizeof(crafted) / sizeof(crafted[0]));
	check_file("testdata/corpus/ja4/pcap/gre-erspan-vxlan.pcap", erspan_vxlan,
		   sizeof(erspan_vxlan) / sizeof(erspan_vxlan[0]));
	check_file("testdata/corpus/ja4/pcap/tcpdump-geneve.pcap", geneve,
		   sizeof(geneve) / sizeof(geneve[0]));
	check_findings();
	check_cuts("testdata/tunnels/crafted.pcap");
	return CHECK_EXIT();
}
