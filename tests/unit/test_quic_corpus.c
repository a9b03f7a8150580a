// SPDX-License-Identifier: BSD-3-Clause
/* Every QUIC ClientHello of the shared corpus (Zeek and nDPI test captures), read with libpcap
 * and dissected with dissect_packet: the frames where a ClientHello completes and their SNI
 * must be the ones tshark reports (corpus/quic/expected/tshark/<pcap>.sni.tsv; Zeek and nDPI
 * agree on every SNI, see corpus/quic/MANIFEST.md), and their JA4 the one of
 * expected/ja4-crosscheck/<pcap>.ja4.tsv (validated against FoxIO's outputs). Also the QUIC
 * flows of corpus/ja4 (FoxIO's captures) against FoxIO's own JA4 values.
 * PROCAP_CORPUS overrides the corpus location (default testdata/corpus, a copy of the shared corpus). */
#include <dirent.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dissect.h"
#include "dissect_ctx.h"

#define MAX_HELLOS	64
#define MAX_DECRYPTED	256
#define LINKTYPE_RAW	101

struct hello {
	long frame;
	char sni[TLS_SNI_MAX];
	char ja4[JA4_MAX];
};

struct vn {
	long frame;
	char versions[128];	/* "0x00000001,0xff00001d" as tshark prints them */
};

struct hellos {
	int n_vn;
	struct vn vn[8];
	int n;
	struct hello h[MAX_HELLOS];
	int n_dec;
	long dec[MAX_DECRYPTED];	/* frames with an Initial procap decrypted */
};

static const char *corpus_dir(void)
{
	const char *d = getenv("PROCAP_CORPUS");

	return d ? d : "testdata/corpus";
}

/* What the tests compare from one QUIC result of frame `frame`. */
static void collect(struct hellos *out, long frame, const struct quic_info *q)
{
	if (q->pkt_type == QUIC_PT_VN && out->n_vn < 8) {
		struct vn *v = &out->vn[out->n_vn++];
		size_t o = 0;

		v->frame = frame;
		v->versions[0] = 0;
		for (int j = 0; j < q->n_versions && o + 12 < sizeof(v->versions); j++)
			o += (size_t)snprintf(v->versions + o, sizeof(v->versions) - o, "%s0x%08x",
					      j ? "," : "", q->versions[j]);
	}
	if (q->decrypted && out->n_dec < MAX_DECRYPTED)
		out->dec[out->n_dec++] = frame;
	if (!q->has_tls || q->tls.msg != TLS_MSG_CLIENT_HELLO || out->n == MAX_HELLOS)
		return;
	out->h[out->n].frame = frame;
	snprintf(out->h[out->n].sni, TLS_SNI_MAX, "%s", q->tls.sni);
	snprintf(out->h[out->n].ja4, JA4_MAX, "%s", q->tls.ja4);
	out->n++;
}

/* QUIC ClientHellos procap finds in a capture, in frame order. */
static int dissect_file(const char *path, struct hellos *out)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, err);
	struct dissect_ctx *ctx;
	struct pcap_pkthdr *h;
	const u_char *d;
	long frame = 0;
	int lt;

	out->n = 0;
	out->n_dec = 0;
	out->n_vn = 0;
	if (!p)
		return -1;
	lt = pcap_datalink(p);
	ctx = dissect_ctx_new();
	while (pcap_next_ex(p, &h, &d) == 1) {
		struct dissect_result res[DISSECT_MAX_RESULTS];
		struct pkt_meta m;
		uint32_t caplen = h->caplen, skip = 0;
		int link = lt, n;

		frame++;
		if (lt == DLT_PPP) {
			/* base.c has no PPP link layer: RFC 1661 §2, address/control may be
			 * compressed away (RFC 1662 §3.2); IPv4 0x0021, IPv6 0x0057 */
			if (caplen >= 2 && d[0] == 0xff && d[1] == 0x03)
				skip = 2;
			if (caplen < skip + 2 || (d[skip + 1] != 0x21 && d[skip + 1] != 0x57))
				continue;
			skip += 2;
			link = LINKTYPE_RAW;
		}
		memset(&m, 0, sizeof(m));
		n = dissect_packet(ctx, link, d + skip, caplen - skip, h->len - skip,
				   (uint64_t)h->ts.tv_sec * 1000000000ull +
					   (uint64_t)h->ts.tv_usec * 1000ull,
				   &m, res, DISSECT_MAX_RESULTS);
		for (int i = 0; i < n; i++)
			if (res[i].by == &dissector_quic)
				collect(out, frame, &res[i].u.quic);
	}
	dissect_ctx_free(ctx);
	pcap_close(p);
	return 0;
}

/* Column `col` (0-based) of a TSV line, copied to out. */
static void tsv_col(const char *line, int col, char *out, size_t max)
{
	const char *p = line;
	size_t n = 0;

	for (int i = 0; i < col && p; i++) {
		p = strchr(p, '\t');
		if (p)
			p++;
	}
	if (p)
		while (p[n] && p[n] != '\t' && p[n] != '\n' && n + 1 < max) {
			out[n] = p[n];
			n++;
		}
	out[n] = 0;
}

/* Rows of an expected TSV (header skipped): frame from column 0, value from column col.
 * Only rows whose proto column (if proto_col >= 0) says quic. */
static int load_expected(const char *path, int col, int proto_col, struct hellos *out)
{
	FILE *f = fopen(path, "r");
	char line[4096], proto[16];

	out->n = 0;
	if (!f)
		return -1;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return 0;
	}
	while (fgets(line, sizeof(line), f) && out->n < MAX_HELLOS) {
		if (proto_col >= 0) {
			tsv_col(line, proto_col, proto, sizeof(proto));
			if (strcmp(proto, "quic"))
				continue;
		}
		out->h[out->n].frame = atol(line);
		tsv_col(line, col, out->h[out->n].sni, TLS_SNI_MAX);
		out->n++;
	}
	fclose(f);
	return 0;
}

static void describe(const struct hellos *hs, int ja4, char *buf, size_t max)
{
	size_t o = 0;

	buf[0] = 0;
	for (int i = 0; i < hs->n && o < max; i++)
		o += (size_t)snprintf(buf + o, max - o, "%s%ld:%s", i ? " " : "", hs->h[i].frame,
				      ja4 ? hs->h[i].ja4 : hs->h[i].sni);
}

/* got (frame, SNI or JA4) == want (frame, value), in order. */
static bool same(const struct hellos *got, const struct hellos *want, int ja4)
{
	if (got->n != want->n)
		return false;
	for (int i = 0; i < got->n; i++)
		if (got->h[i].frame != want->h[i].frame ||
		    strcmp(ja4 ? got->h[i].ja4 : got->h[i].sni, want->h[i].sni))
			return false;
	return true;
}

/* "[KEY: value]" of an nDPI flow line, or "" */
static void ndpi_field(const char *line, const char *key, char *out, size_t max)
{
	const char *p = strstr(line, key);
	size_t n = 0;

	if (p)
		for (p += strlen(key); p[n] && p[n] != ']' && n + 1 < max; n++)
			out[n] = p[n];
	out[n] = 0;
}

/* nDPI's flows (expected/ndpi/<pcap>.out): the set of (SNI, JA4 cipher+extension hashes) must
 * be the set procap found. nDPI's JA4 first section is unreliable (MANIFEST.md), so only the
 * part after the first '_' is compared. */
static bool test_ndpi(const char *dir, const char *name, const struct hellos *got)
{
	char path[1024], line[8192], sni[TLS_SNI_MAX], ja4[JA4_MAX], key[512];
	char want[16][512], have[16][512];
	int nw = 0, nh = 0, missing = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/quic/expected/ndpi/%s.out", dir, name);
	f = fopen(path, "r");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f) && nw < 16) {
		if (!strstr(line, "[proto: ") || !strstr(line, "QUIC") || !strstr(line, "[JA4: "))
			continue;
		ndpi_field(line, "[Hostname/SNI: ", sni, sizeof(sni));
		ndpi_field(line, "[JA4: ", ja4, sizeof(ja4));
		snprintf(want[nw++], sizeof(want[0]), "%s|%s", sni,
			 strchr(ja4, '_') ? strchr(ja4, '_') : ja4);
	}
	fclose(f);
	for (int i = 0; i < got->n && nh < 16; i++) {
		const char *tail = strchr(got->h[i].ja4, '_');
		int dup = 0;

		snprintf(key, sizeof(key), "%s|%s", got->h[i].sni, tail ? tail : got->h[i].ja4);
		for (int j = 0; j < nh; j++)
			dup |= !strcmp(have[j], key);
		if (!dup)
			snprintf(have[nh++], sizeof(have[0]), "%s", key);
	}
	for (int i = 0; i < nw; i++) {
		int found = 0;

		for (int j = 0; j < nh; j++)
			found |= !strcmp(want[i], have[j]);
		missing += !found;
	}
	snprintf(path, sizeof(path), "corpus quic %s: SNI and JA4 hashes as nDPI", name);
	return CHECKF(missing == 0 && nw == nh, path,
		      "nDPI %d flows, procap %d distinct, %d missing", nw, nh, missing);
}

static int sni_total, sni_ok, ja4_total, ja4_ok, dec_total, dec_ok;

/* pcap against tshark's ClientHello rows (sni_tsv) and the JA4 crosscheck (ja4_tsv). */
static void test_pcap(const char *label, const char *pcap, const char *sni_tsv,
		      const char *ja4_tsv, bool tshark_blind)
{
	static struct hellos got, want, want_ja4;
	char name[1024], g[2048], w[2048];

	snprintf(name, sizeof(name), "%s: read", label);
	if (!CHECK(dissect_file(pcap, &got) == 0, name) || load_expected(sni_tsv, 9, -1, &want))
		return;
	if (want.n == 0 && got.n > 0 && tshark_blind) {
		/* MANIFEST.md: tshark 4.0 decodes no ClientHello in this capture, nDPI does */
		snprintf(name, sizeof(name), "%s: tshark comparison", label);
		SKIP(name, "tshark 4.0 decodes no ClientHello here; nDPI agrees with procap");
		return;
	}
	describe(&got, 0, g, sizeof(g));
	describe(&want, 0, w, sizeof(w));
	snprintf(name, sizeof(name), "%s: ClientHello frames and SNI as tshark", label);
	sni_total += want.n;
	if (CHECKF(same(&got, &want, 0), name, "got [%s], tshark [%s]", g, w))
		sni_ok += want.n;

	if (load_expected(ja4_tsv, 7, 1, &want_ja4))
		return;
	describe(&got, 1, g, sizeof(g));
	describe(&want_ja4, 0, w, sizeof(w));
	snprintf(name, sizeof(name), "%s: JA4 as the crosscheck", label);
	ja4_total += want_ja4.n;
	if (CHECKF(same(&got, &want_ja4, 1), name, "got [%s], want [%s]", g, w))
		ja4_ok += want_ja4.n;
}

/* Every frame whose Initial tshark decrypts (testdata/quic/corpus_initials_decrypted.tsv:
 * client and server Initials, retransmissions, coalesced, after Retry) procap decrypts too. */
static void test_decrypted(const char *name, const struct hellos *got)
{
	FILE *f = fopen("testdata/quic/corpus_initials_decrypted.tsv", "r");
	char line[4096], label[512];
	int want = 0, missing = 0;
	long first_missing = 0;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		size_t nl = strlen(name);
		char *p;

		if (strncmp(line, name, nl) || line[nl] != '\t')
			continue;
		for (p = line + nl + 1; *p && *p != '\n';) {
			long fr = strtol(p, &p, 10);
			int found = 0;

			for (int i = 0; i < got->n_dec; i++)
				found |= got->dec[i] == fr;
			want++;
			if (!found && !missing++)
				first_missing = fr;
			if (*p == ',')
				p++;
		}
	}
	fclose(f);
	dec_total += want;
	dec_ok += want - missing;
	snprintf(label, sizeof(label), "corpus quic %s: the %d Initials tshark decrypts", name,
		 want);
	CHECKF(missing == 0, label, "%d not decrypted, first frame %ld", missing, first_missing);
}

/* Version Negotiation packets and their version lists as tshark decodes them
 * (testdata/quic/corpus_vn.tsv). */
static void test_vn(const char *name, const struct hellos *got)
{
	FILE *f = fopen("testdata/quic/corpus_vn.tsv", "r");
	char line[512], want[512] = "", have[512] = "", label[512];
	size_t nl = strlen(name), o = 0;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, nl) && line[nl] == '\t')
			o += (size_t)snprintf(want + o, sizeof(want) - o, "%s%.*s", o ? " " : "",
					      (int)strcspn(line + nl + 1, "\n"), line + nl + 1);
	fclose(f);
	o = 0;
	for (int i = 0; i < got->n_vn && o < sizeof(have); i++)
		o += (size_t)snprintf(have + o, sizeof(have) - o, "%s%ld\t%s", i ? " " : "",
				      got->vn[i].frame, got->vn[i].versions);
	if (!want[0] && !have[0])
		return;
	snprintf(label, sizeof(label), "corpus quic %s: Version Negotiation as tshark", name);
	CHECKF(!strcmp(want, have), label, "got '%s', tshark '%s'", have, want);
}

static void test_corpus_pcap(const char *dir, const char *name)
{
	static struct hellos got;
	char label[512], pcap[1024], sni[1024], ja4[1024];
	bool ndpi_agrees = false;

	snprintf(label, sizeof(label), "corpus quic %s", name);
	snprintf(pcap, sizeof(pcap), "%s/quic/pcap/%s", dir, name);
	snprintf(sni, sizeof(sni), "%s/quic/expected/tshark/%s.sni.tsv", dir, name);
	snprintf(ja4, sizeof(ja4), "%s/quic/expected/ja4-crosscheck/%s.ja4.tsv", dir, name);
	if (dissect_file(pcap, &got) == 0) {
		test_decrypted(name, &got);
		test_vn(name, &got);
		if (!strncmp(name, "ndpi__", 6))
			ndpi_agrees = test_ndpi(dir, name, &got);
	}
	test_pcap(label, pcap, sni, ja4, ndpi_agrees);
}

/* Our own captures (testdata/quic, see testdata/README.md), expected values made with the
 * corpus tools (tshark). */
static void test_testdata(void)
{
	static const char *const files[] = { "chromium_quic.pcap", "chromium_quic6.pcap" };

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char label[256], pcap[256], sni[256], ja4[256];

		snprintf(label, sizeof(label), "testdata quic %s", files[i]);
		snprintf(pcap, sizeof(pcap), "testdata/quic/%s", files[i]);
		snprintf(sni, sizeof(sni), "testdata/quic/%s.sni.tsv", files[i]);
		snprintf(ja4, sizeof(ja4), "testdata/quic/%s.ja4.tsv", files[i]);
		test_pcap(label, pcap, sni, ja4, false);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	char path[1024], *names[64];
	struct dirent *e;
	int n = 0;
	DIR *d;

	test_testdata();
	snprintf(path, sizeof(path), "%s/quic/pcap", corpus_dir());
	d = opendir(path);
	if (!d) {
		SKIP("quic corpus", "no corpus directory (set PROCAP_CORPUS)");
		return CHECK_EXIT();
	}
	while ((e = readdir(d)) && n < 64)
		if (strstr(e->d_name, ".pcap"))
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), cmp_str);
	for (int i = 0; i < n; i++) {
		test_corpus_pcap(corpus_dir(), names[i]);
		free(names[i]);
	}
	printf("# QUIC ClientHellos reproduced (corpus + testdata): SNI %d/%d, JA4 %d/%d; "
	       "Initials tshark decrypts, procap too: %d/%d\n",
	       sni_ok, sni_total, ja4_ok, ja4_total, dec_ok, dec_total);
	return CHECK_EXIT();
}
