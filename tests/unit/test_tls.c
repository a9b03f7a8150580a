// SPDX-License-Identifier: BSD-3-Clause
/* TLS over TCP on real captures (testdata/tls, made by testdata/tls/gen.sh with openssl
 * s_client, curl and chromium over a veth pair): every ClientHello/ServerHello that tshark
 * finds is reported by dissector_tls on the same frame, with tshark's SNI, ALPN list, versions,
 * cipher, ECH presence and TCP segment count, and the JA4 that corpus/tools/ja4_tshark.py
 * computes from tshark's decode (testdata/tls/expected.tsv, hello-fields.tsv). Plus the
 * rewritten capture whose 3-segment hello arrives out of order, retransmitted and duplicated. */
#include <string.h>
#include "check.h"
#include "tls_hello.h"
#include "tls_pcap.h"

#define DIR "testdata/tls/"

static const struct hello_seen *at_frame(const struct hello_run *r, uint64_t frame)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].frame == frame)
			return &r->v[i];
	return NULL;
}

/* tshark "0x6a6a,0x0304,0x0303" -> highest non-GREASE, or 0 */
static unsigned highest_version(const char *list)
{
	unsigned best = 0;

	for (const char *p = list; *p;) {
		unsigned v = (unsigned)strtoul(p, NULL, 16);
		if (!tls_is_grease((uint16_t)v) && v > best)
			best = v;
		p = strchr(p, ',');
		p = p ? p + 1 : "";
	}
	return best;
}

static bool has_ext(const char *list, const char *type)
{
	char buf[1024];

	snprintf(buf, sizeof(buf), ",%s,", list);
	char want[16];
	snprintf(want, sizeof(want), ",%s,", type);
	return strstr(buf, want) != NULL;
}

/* hello-fields.tsv: file frame type alpn ciphers versions exts segments legacy */
static void check_fields(void)
{
	FILE *f = fopen(DIR "hello-fields.tsv", "r");
	char line[8192], cur_file[256] = "", name[512];
	struct hello_run run = { 0 };
	size_t rows_in_file = 0;

	if (!CHECK(f != NULL, "open hello-fields.tsv"))
		return;
	if (!fgets(line, sizeof(line), f))	/* the header row */
		line[0] = 0;
	for (;;) {
		char *c[9];
		bool eof = !fgets(line, sizeof(line), f);
		int n = eof ? 0 : tsv_split(line, c, 9);

		if (eof || strcmp(c[0], cur_file)) {
			if (cur_file[0]) {
				snprintf(name, sizeof(name), "%s: no extra TLS reports", cur_file);
				CHECK_INT(run.n, rows_in_file, name);
			}
			hello_run_free(&run);
			if (eof)
				break;
			snprintf(cur_file, sizeof(cur_file), "%s", c[0]);
			snprintf(name, sizeof(name), DIR "%s", cur_file);
			CHECK(hello_run_pcap(name, &run) == 0, name);
			rows_in_file = 0;
		}
		if (n < 9)
			continue;
		rows_in_file++;
		uint64_t frame = strtoull(c[1], NULL, 10);
		const struct hello_seen *s = at_frame(&run, frame);
		snprintf(name, sizeof(name), "%s frame %s reported", cur_file, c[1]);
		if (!CHECK(s && s->by == &dissector_tls && s->rc == DISSECT_OK, name))
			continue;
		int type = atoi(c[2]);
		unsigned sv = highest_version(c[5]);
		unsigned legacy = (unsigned)strtoul(c[8], NULL, 16);
		int segs = c[7][0] ? atoi(c[7]) : 1;

		snprintf(name, sizeof(name), "%s frame %s type", cur_file, c[1]);
		CHECK_INT(s->tls.msg, type, name);
		snprintf(name, sizeof(name), "%s frame %s version", cur_file, c[1]);
		CHECK_INT(s->tls.version, sv ? sv : legacy, name);
		snprintf(name, sizeof(name), "%s frame %s segments", cur_file, c[1]);
		CHECK_INT(s->tls.segments, segs, name);
		snprintf(name, sizeof(name), "%s frame %s reassembled", cur_file, c[1]);
		CHECK_INT(s->tls.reassembled, segs > 1, name);
		if (type == TLS_MSG_CLIENT_HELLO) {
			snprintf(name, sizeof(name), "%s frame %s alpn", cur_file, c[1]);
			CHECK_STR(s->tls.alpn, c[3], name);
			snprintf(name, sizeof(name), "%s frame %s ech", cur_file, c[1]);
			CHECK_INT(s->tls.ech, has_ext(c[6], "65037"), name);
		} else {
			snprintf(name, sizeof(name), "%s frame %s cipher", cur_file, c[1]);
			CHECK_INT(s->tls.cipher, strtoul(c[4], NULL, 16), name);
		}
	}
	fclose(f);
}

/* expected.tsv: file frame src sport sni ja4 ja4_r (JA4 from ja4_tshark.py) */
static void check_ja4(void)
{
	FILE *f = fopen(DIR "expected.tsv", "r");
	char line[8192], name[512];
	int ok = 0, total = 0;

	if (!CHECK(f != NULL, "open expected.tsv"))
		return;
	if (!fgets(line, sizeof(line), f))	/* the header row */
		line[0] = 0;
	while (fgets(line, sizeof(line), f)) {
		char *c[7], path[512], src[64];
		struct hello_run run;

		if (tsv_split(line, c, 7) < 7)
			continue;
		snprintf(path, sizeof(path), DIR "%s", c[0]);
		hello_run_pcap(path, &run);
		const struct hello_seen *s = at_frame(&run, strtoull(c[1], NULL, 10));
		snprintf(name, sizeof(name), "%s frame %s sni/ja4", c[0], c[1]);
		total++;
		if (CHECK(s != NULL, name)) {
			addr_str(&s->m, true, src, sizeof(src));
			snprintf(name, sizeof(name), "%s frame %s src", c[0], c[1]);
			CHECK_STR(src, c[2], name);
			snprintf(name, sizeof(name), "%s frame %s sport", c[0], c[1]);
			CHECK_INT(s->m.sport, atoi(c[3]), name);
			snprintf(name, sizeof(name), "%s frame %s sni", c[0], c[1]);
			CHECK_STR(s->tls.sni, c[4], name);
			snprintf(name, sizeof(name), "%s frame %s has_sni", c[0], c[1]);
			CHECK_INT(s->tls.has_sni, c[4][0] != '\0', name);
			snprintf(name, sizeof(name), "%s frame %s ja4", c[0], c[1]);
			bool a = CHECK_STR(s->tls.ja4, c[5], name);
			snprintf(name, sizeof(name), "%s frame %s ja4_r", c[0], c[1]);
			bool b = CHECK_STR(s->tls.ja4_r, c[6], name);
			ok += a && b;
		}
		hello_run_free(&run);
	}
	fclose(f);
	printf("# testdata/tls JA4 reproduced: %d/%d\n", ok, total);
	CHECK(total >= 8, "expected.tsv has every generated hello");
}

/* "LABEL: WHAT" as a check name (4 rotating buffers: a check may use two at once). */
static const char *check_name(const char *label, const char *what)
{
	static char buf[4][128];
	static int next;
	char *b = buf[next++ % 4];

	snprintf(b, sizeof(buf[0]), "%s: %s", label, what);
	return b;
}

/* FILE = chromium-pq-2seg.pcap with the first hello re-cut in 3 segments by reorder.py and sent
 * in another order: one report, on frame FRAME (the segment that completes it), equal to the
 * in-order capture's. */
static void check_reordered(const char *file, const char *label, int frame)
{
	struct hello_run in_order, re;

	if (!CHECK(hello_run_pcap(DIR "chromium-pq-2seg.pcap", &in_order) == 0 &&
			   hello_run_pcap(file, &re) == 0, check_name(label, "open captures")))
		return;
	const struct hello_seen *want = NULL, *got = NULL;
	int reports = 0;
	for (size_t i = 0; i < in_order.n && !want; i++)
		if (in_order.v[i].tls.msg == TLS_MSG_CLIENT_HELLO)
			want = &in_order.v[i];
	for (size_t i = 0; i < re.n; i++) {
		if (re.v[i].tls.msg == TLS_MSG_CLIENT_HELLO && want &&
		    re.v[i].m.sport == want->m.sport) {
			reports++;
			got = &re.v[i];
		}
	}
	if (CHECK(want && got, check_name(label, "first hello reported"))) {
		CHECK_INT(reports, 1, check_name(label, "reported once"));
		CHECK_INT(got->rc, DISSECT_OK, check_name(label, "complete"));
		CHECK_INT(got->tls.segments, 3, check_name(label, "3 segments"));
		CHECK(got->tls.reassembled, check_name(label, "reassembled"));
		CHECK_STR(got->tls.sni, "chrome.lab.test", check_name(label, "sni"));
		CHECK_STR(got->tls.ja4, want->tls.ja4, check_name(label, "ja4 as in order"));
		CHECK_STR(got->tls.ja4_r, want->tls.ja4_r, check_name(label, "ja4_r as in order"));
		CHECK_INT(got->frame, frame,
			  check_name(label, "reported on the segment that completes it"));
	}
	hello_run_free(&in_order);
	hello_run_free(&re);
}

/* The names gen.sh gave the clients (-servername, --resolve, host-resolver-rules): what the
 * first ClientHello of each capture must carry ("" = the client was told to send none). */
static void check_given_names(void)
{
	static const struct {
		const char *file, *sni;
	} given[] = {
		{ "s_client-tls12-sni-alpn.pcap", "tls12.lab.test" },
		{ "s_client-tls13-sni-alpn.pcap", "tls13.lab.test" },
		{ "s_client-tls12-nosni.pcap", "" },
		{ "s_client-tls13-nosni.pcap", "" },
		{ "s_client-tls13-ipv6-port9443.pcap", "v6.lab.test" },
		{ "curl-port8443.pcap", "curl.lab.test" },
		{ "chromium-pq-2seg.pcap", "chrome.lab.test" },
	};

	for (size_t i = 0; i < sizeof(given) / sizeof(given[0]); i++) {
		char path[256], name[256];
		struct hello_run run;
		const struct hello_seen *s = NULL;

		snprintf(path, sizeof(path), DIR "%s", given[i].file);
		hello_run_pcap(path, &run);
		for (size_t k = 0; k < run.n && !s; k++)
			if (run.v[k].tls.msg == TLS_MSG_CLIENT_HELLO)
				s = &run.v[k];
		snprintf(name, sizeof(name), "%s: SNI is the name given to the client",
			 given[i].file);
		CHECKF(s && !strcmp(s->tls.sni, given[i].sni) &&
			       s->tls.has_sni == !!given[i].sni[0],
		       name, "got '%s', want '%s'", s ? s->tls.sni : "(no hello)", given[i].sni);
		hello_run_free(&run);
	}
}

int main(void)
{
	check_given_names();
	check_fields();
	check_ja4();
	/* A, C, A, B, C: out of order, retransmitted, duplicated; B (frame 7) completes it */
	check_reordered(DIR "chromium-pq-ooo.pcap", "ooo (A C A B C)", 7);
	/* B, C, A: the first segment last. tshark 4.0 finds this hello only with
	 * -o tcp.reassemble_out_of_order:TRUE, on frame 6 (A), SNI chrome.lab.test */
	check_reordered(DIR "chromium-pq-late-start.pcap", "late start (B C A)", 6);
	return CHECK_EXIT();
}
