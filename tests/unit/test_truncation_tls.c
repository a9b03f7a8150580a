// SPDX-License-Identifier: BSD-3-Clause
/* Truncation sweep: every packet of every testdata/tls capture is cut at every length (as a
 * snaplen would cut it: caplen = cut, wire length unchanged) after the packets before it went
 * through the same context whole, so the completing segment of a reassembled hello is swept
 * too. Run under ASan/UBSan (make test): no out-of-bounds read. And no field is reported beyond
 * the cut: a complete (OK) result equals the uncut one; a TRUNCATED one has no JA4, and its SNI
 * and ALPN, if any, are the full values and lie wholly inside the cut. */
#define _GNU_SOURCE
#include <dirent.h>
#include <string.h>
#include "check.h"
#include "dissect_ctx.h"
#include "tls_pcap.h"

#define DIR "testdata/tls/"
#define MAX_PKTS 256

struct pkt {
	uint8_t *data;
	uint32_t len;
	uint64_t ts;
};

static struct dissect_result res[DISSECT_MAX_RESULTS];

/* The TLS result of packet `last` (cut at cut bytes) after packets [0, last) whole. */
static bool run_cut(const struct pkt *p, int lt, int last, uint32_t cut, struct dissect_result *out)
{
	struct dissect_ctx *ctx = dissect_ctx_new();
	bool found = false;

	for (int i = 0; i <= last; i++) {
		struct pkt_meta m = { 0 };
		uint32_t cap = i == last ? cut : p[i].len;
		int n = dissect_packet(ctx, lt, p[i].data, cap, p[i].len, p[i].ts, &m, res,
				       DISSECT_MAX_RESULTS);

		for (int k = 0; i == last && k < n; k++) {
			if (res[k].by == &dissector_tls) {
				*out = res[k];
				found = true;
			}
		}
	}
	dissect_ctx_free(ctx);
	return found;
}

/* Is needle wholly inside the first cut bytes of the packet (or, unless must_be_here, not in
 * this packet at all: it came in an earlier segment)? */
static bool inside_cut(const struct pkt *p, uint32_t cut, const char *needle, bool must_be_here)
{
	size_t n = strlen(needle);
	const uint8_t *at = memmem(p->data, p->len, needle, n);

	return at ? (size_t)(at - p->data) + n <= cut : !must_be_here;
}

static int trunc_with_sni;

static void sweep_file(const char *file, int *cuts, int *bad)
{
	char path[512], err[PCAP_ERRBUF_SIZE];
	static struct pkt pk[MAX_PKTS];
	struct pcap_pkthdr *h;
	const u_char *d;
	int n = 0;

	snprintf(path, sizeof(path), DIR "%s", file);
	pcap_t *pc = pcap_open_offline(path, err);
	if (!CHECK(pc != NULL, path))
		return;
	int lt = pcap_datalink(pc);
	while (n < MAX_PKTS && pcap_next_ex(pc, &h, &d) == 1) {
		pk[n].data = malloc(h->caplen);
		memcpy(pk[n].data, d, h->caplen);
		pk[n].len = h->caplen;
		pk[n].ts = (uint64_t)h->ts.tv_sec * 1000000000ull;
		n++;
	}
	pcap_close(pc);

	for (int i = 0; i < n; i++) {
		struct dissect_result full, got;

		bool has_full = run_cut(pk, lt, i, pk[i].len, &full);

		for (uint32_t cut = 0; cut < pk[i].len; cut++) {
			(*cuts)++;
			if (!run_cut(pk, lt, i, cut, &got))
				continue;
			if (!has_full) {	/* a cut never makes a hello out of something else */
				(*bad)++;
				CHECKF(false, "truncation", "%s packet %d cut %u: rc %d from a packet "
				       "that holds no hello", file, i + 1, cut, got.rc);
				continue;
			}
			const struct tls_info *g = &got.u.tls, *f = &full.u.tls;
			bool ok;

			/* the first segment of a multi-segment hello is PENDING whole: cut, it
			 * may be reported TRUNCATED with what it holds */
			bool first_seg = full.rc == DISSECT_PENDING;

			if (got.rc == DISSECT_OK)
				ok = full.rc == DISSECT_OK && !strcmp(g->ja4_r, f->ja4_r) &&
				     !strcmp(g->sni, f->sni) && !strcmp(g->alpn, f->alpn);
			else if (got.rc == DISSECT_TRUNCATED && (trunc_with_sni += g->has_sni) >= 0)
				ok = g->ja4[0] == '\0' && g->ja4_r[0] == '\0' &&
				     (!g->has_sni || ((first_seg || !strcmp(g->sni, f->sni)) &&
						      inside_cut(&pk[i], cut, g->sni, first_seg))) &&
				     (!g->alpn[0] || first_seg || !strcmp(g->alpn, f->alpn));
			else
				ok = got.rc == DISSECT_PENDING && first_seg;	/* never INVALID */
			if (!ok) {
				(*bad)++;
				if (*bad < 10)
					CHECKF(false, "truncation", "%s packet %d cut %u: rc %d sni '%s' "
					       "alpn '%s' ja4 '%s'", file, i + 1, cut, got.rc, g->sni,
					       g->alpn, g->ja4);
			}
		}
	}
	for (int i = 0; i < n; i++)
		free(pk[i].data);
}

int main(void)
{
	struct dirent **names;
	int n = scandir(DIR, &names, NULL, alphasort), cuts = 0, bad = 0, files = 0;

	if (!CHECK(n > 0, "testdata/tls readable"))
		return CHECK_EXIT();
	for (int i = 0; i < n; i++) {
		const char *s = names[i]->d_name;
		size_t l = strlen(s);

		if (l > 5 && !strcmp(s + l - 5, ".pcap")) {
			sweep_file(s, &cuts, &bad);
			files++;
		}
		free(names[i]);
	}
	free(names);
	printf("# %d files, %d cut packets, %d with a field beyond the cut or a wrong value; %d "
	       "truncated hellos still showed their (whole) SNI\n", files, cuts, bad, trunc_with_sni);
	CHECK(trunc_with_sni > 0, "partial results are reported");
	CHECK(files >= 8 && cuts > 10000, "sweep covered every capture");
	CHECK_INT(bad, 0, "no field reported beyond the cut");
	return CHECK_EXIT();
}
