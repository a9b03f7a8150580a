// SPDX-License-Identifier: BSD-3-Clause
/* Every cut length of QUIC and IP-in-IP packets: each cut copy lives in a heap block of
 * exactly its length, so ASan (make test) flags any read past it. A cut packet must never be
 * reported as decrypted or complete, and the dissectors must say TRUNCATED, not OK. */
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dissect.h"
#include "dissect_ctx.h"
#include "quic_testlib.h"

#define TD "testdata/quic/"

/* Direct dissector sweep over one datagram; `prime` is fed whole first (e.g. the client
 * Initial before a server one) so later cuts reach the decryption paths. */
static void sweep_datagram(const char *name, const char *path, int from_server,
			   const char *prime)
{
	static uint8_t buf[2048], pbuf[2048];
	long n = load_hex(path, buf, sizeof(buf));
	long pn = prime ? load_hex(prime, pbuf, sizeof(pbuf)) : 0;
	int bad_rc = 0, bad_dec = 0;
	char label[160];

	if (!CHECK(n > 0 && pn >= 0, name))
		return;
	for (long cut = 0; cut < n; cut++) {
		struct dissect_ctx ctx = { .now_ns = 1 };
		struct dissect_result res;
		struct pkt_meta m = quic_test_meta(0);
		uint8_t *copy = malloc(cut ? (size_t)cut : 1);
		enum dissect_rc rc;

		if (prime) {
			memset(&res, 0, sizeof(res));
			dissector_quic.dissect(&ctx, &m, cur_init(pbuf, (size_t)pn), &res);
		}
		m = quic_test_meta(from_server);
		m.payload_len = (uint32_t)n;		/* what the UDP header announced */
		memcpy(copy, buf, (size_t)cut);
		memset(&res, 0, sizeof(res));
		rc = dissector_quic.dissect(&ctx, &m, cur_init(copy, (size_t)cut), &res);
		bad_rc += rc != DISSECT_TRUNCATED && !(cut < 5 && rc == DISSECT_NOT_MINE);
		bad_dec += res.u.quic.decrypted || res.u.quic.has_tls;
		free(copy);
		quic_state_free(ctx.quic);
	}
	snprintf(label, sizeof(label), "truncation %s: every cut of %ld bytes is TRUNCATED", name,
		 n);
	CHECKF(bad_rc == 0, label, "%d cuts gave another rc", bad_rc);
	snprintf(label, sizeof(label), "truncation %s: no cut is decrypted", name);
	CHECKF(bad_dec == 0, label, "%d cuts claimed decryption", bad_dec);
}

struct frames {
	int n, linktype;
	uint32_t len[16];
	uint8_t data[16][2048];
};

static int load_pcap(const char *path, struct frames *f)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, err);
	struct pcap_pkthdr *h;
	const u_char *d;

	f->n = 0;
	if (!p)
		return -1;
	f->linktype = pcap_datalink(p);
	while (f->n < 16 && pcap_next_ex(p, &h, &d) == 1) {
		f->len[f->n] = h->caplen <= sizeof(f->data[0]) ? h->caplen : 0;
		memcpy(f->data[f->n], d, f->len[f->n]);
		f->n++;
	}
	pcap_close(p);
	return 0;
}

/* Whole-path sweep with dissect_packet: frames before `target` are fed whole, the target is
 * cut at every length (wire length stays the original, as a snap length would leave it). */
static void sweep_pcap(const char *name, const char *path, int target)
{
	static struct frames f;
	int bad = 0, results = 0;
	char label[160];

	if (!CHECK(load_pcap(path, &f) == 0 && target < f.n, name))
		return;
	for (uint32_t cut = 0; cut < f.len[target]; cut++) {
		struct dissect_ctx *ctx = dissect_ctx_new();
		struct dissect_result res[DISSECT_MAX_RESULTS];
		struct pkt_meta m;
		uint8_t *copy = malloc(cut ? cut : 1);
		int n;

		for (int i = 0; i < target; i++) {
			memset(&m, 0, sizeof(m));
			dissect_packet(ctx, f.linktype, f.data[i], f.len[i], f.len[i], 1, &m, res,
				       DISSECT_MAX_RESULTS);
		}
		memcpy(copy, f.data[target], cut);
		memset(&m, 0, sizeof(m));
		n = dissect_packet(ctx, f.linktype, copy, cut, f.len[target], 2, &m, res,
				   DISSECT_MAX_RESULTS);
		for (int i = 0; i < n; i++) {
			results++;
			if (res[i].by == &dissector_quic)
				bad += res[i].u.quic.decrypted || res[i].u.quic.has_tls ||
				       res[i].rc == DISSECT_OK;
		}
		free(copy);
		dissect_ctx_free(ctx);
	}
	snprintf(label, sizeof(label), "truncation %s: %u cuts, no cut QUIC packet reported whole",
		 name, f.len[target]);
	CHECKF(bad == 0, label, "%d cuts reported as complete (%d results)", bad, results);
}

/* The ipip dissector on every cut of every crafted tunnel frame. */
static void sweep_ipip(void)
{
	static struct frames f;
	int negative = 0, ok_on_cut = 0;

	if (!CHECK(load_pcap("testdata/ipip/ipip.pcap", &f) == 0 && f.n == 12,
		   "truncation ipip: testdata loads"))
		return;
	for (int i = 0; i < f.n; i++) {
		for (uint32_t cut = 0; cut < f.len[i]; cut++) {
			struct dissect_ctx *ctx = dissect_ctx_new();
			struct dissect_result res[DISSECT_MAX_RESULTS];
			struct pkt_meta m;
			uint8_t *copy = malloc(cut ? cut : 1);
			int n;

			memcpy(copy, f.data[i], cut);
			memset(&m, 0, sizeof(m));
			n = dissect_packet(ctx, f.linktype, copy, cut, f.len[i], 1, &m, res,
					   DISSECT_MAX_RESULTS);
			/* a tunnel result on a cut frame may be OK only if its inner header
			 * fit; the inner cursor must stay inside the cut copy */
			for (int r = 0; r < n; r++)
				if (res[r].by == &dissector_ipip && res[r].rc == DISSECT_OK &&
				    (res[r].inner.end > copy + cut || res[r].inner.pos < copy))
					ok_on_cut++;
			negative += n < 0;
			free(copy);
			dissect_ctx_free(ctx);
		}
	}
	CHECK_INT(ok_on_cut, 0, "truncation ipip: inner cursor inside the captured bytes");
	CHECK_INT(negative, 0, "truncation ipip: every cut of 12 frames (ASan watches reads)");
}

int main(void)
{
	sweep_datagram("rfc9001 A.2 client Initial", TD "rfc9001_a2_client_initial.hex", 0, NULL);
	sweep_datagram("rfc9001 A.3 server Initial", TD "rfc9001_a3_server_initial.hex", 1,
		       TD "rfc9001_a2_client_initial.hex");
	sweep_datagram("rfc9001 A.4 Retry", TD "rfc9001_a4_retry.hex", 1,
		       TD "rfc9001_a2_client_initial.hex");
	sweep_datagram("rfc9369 A.2 client Initial", TD "rfc9369_a2_client_initial.hex", 0, NULL);
	sweep_pcap("chromium Initial 1", TD "chromium_quic.pcap", 0);
	sweep_pcap("chromium Initial 2 (completes the hello)", TD "chromium_quic.pcap", 1);
	sweep_ipip();
	return CHECK_EXIT();
}
