// SPDX-License-Identifier: BSD-3-Clause
/* Every ClientHello of the captures made for dissector breadth (testdata/dtls, testdata/tunnels,
 * testdata/hellos; see testdata/README.md) against tshark 4.0's decode of the same file:
 * <pcap>.ja4.tsv was written by testdata/corpus/tools/ja4_tshark.py (JA4.md applied to tshark's
 * fields). For each row: a hello reported by procap on that frame with the same SNI, JA4 and
 * JA4_r; and procap reports no ClientHello on a frame tshark does not list.
 * Rows tshark prints for a DTLS handshake fragment it has not joined yet carry no hello body
 * (JA4 d00i000000_000000000000_000000000000 with no SNI): procap reports the hello on the
 * frame that completes it instead, which is the frame where tshark has the full row. */
#include <dirent.h>
#include <string.h>
#include "check.h"
#include "tls_pcap.h"

#define FRAGMENT_ROW_JA4 "d00i000000_000000000000_000000000000"

static const struct hello_seen *hello_on(const struct hello_run *r, uint64_t frame)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].frame == frame && r->v[i].tls.msg == TLS_MSG_CLIENT_HELLO)
			return &r->v[i];
	return NULL;
}

/* Compares one capture with its tsv; returns the number of hello rows checked. */
static int check_pcap(const char *dir, const char *pcap, struct hello_run *run)
{
	char path[1024], line[8192], name[600];
	int rows = 0;
	uint64_t listed[4096];
	size_t n_listed = 0;

	snprintf(path, sizeof(path), "%s/%s.ja4.tsv", dir, pcap);
	FILE *f = fopen(path, "r");
	if (!f) {		/* a capture for other tests (golden rows) */
		SKIP(pcap, "no tshark reference beside it");
		return 0;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, pcap);
	snprintf(name, sizeof(name), "%s readable", pcap);
	if (!CHECK(hello_run_pcap(path, run) == 0, name)) {
		fclose(f);
		return 0;
	}
	if (!fgets(line, sizeof(line), f))	/* the header row */
		line[0] = 0;
	while (fgets(line, sizeof(line), f)) {
		char *c[9];

		if (tsv_split(line, c, 9) < 9)
			continue;
		uint64_t frame = strtoull(c[0], NULL, 10);
		if (n_listed < sizeof(listed) / sizeof(listed[0]))
			listed[n_listed++] = frame;
		if (!strcmp(c[7], FRAGMENT_ROW_JA4) && !c[6][0])
			continue;
		const struct hello_seen *s = hello_on(run, frame);
		bool ok = s && !strcmp(s->tls.ja4, c[7]) && !strcmp(s->tls.ja4_r, c[8]) &&
			  !strcmp(s->tls.sni, c[6]);
		snprintf(name, sizeof(name), "tshark %s frame %s %s", pcap, c[0], c[1]);
		CHECKF(ok, name, "got %s sni '%s', want %s sni '%s'", s ? s->tls.ja4 : "(none)",
		       s ? s->tls.sni : "", c[7], c[6]);
		rows++;
	}
	fclose(f);
	for (size_t i = 0; i < run->n; i++) {
		bool known = run->v[i].tls.msg != TLS_MSG_CLIENT_HELLO;

		for (size_t k = 0; k < n_listed && !known; k++)
			known = listed[k] == run->v[i].frame;
		snprintf(name, sizeof(name), "%s frame %llu: a hello tshark shows too", pcap,
			 (unsigned long long)run->v[i].frame);
		if (!known)
			CHECK(known, name);
	}
	return rows;
}

/* crafted.pcap frames 2-4: fragments sent last, first, middle; tshark 4.0 does not join them,
 * frames 9-11 carry the same hello in order, which it does. */
static void check_out_of_order(const struct hello_run *run)
{
	const struct hello_seen *ooo = hello_on(run, 4), *in_order = hello_on(run, 11);

	if (CHECK(ooo && in_order, "dtls out-of-order fragments joined on frame 4")) {
		CHECK_STR(ooo->tls.ja4_r, in_order->tls.ja4_r, "dtls out-of-order JA4_r");
		CHECK_INT(ooo->tls.segments, 3, "dtls out-of-order: three fragments");
	}
	CHECK(hello_on(run, 5) == NULL, "dtls duplicate fragment after completion: no hello");
}

int main(void)
{
	static const char *const dirs[] = { "testdata/dtls", "testdata/tunnels",
					     "testdata/hellos" };
	int total = 0;

	for (size_t d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
		struct dirent **names;
		int n = scandir(dirs[d], &names, NULL, alphasort);

		for (int i = 0; i < n; i++) {
			const char *nm = names[i]->d_name;
			size_t l = strlen(nm);
			struct hello_run run = { 0 };

			if ((l > 5 && !strcmp(nm + l - 5, ".pcap")) ||
			    (l > 7 && !strcmp(nm + l - 7, ".pcapng"))) {
				total += check_pcap(dirs[d], nm, &run);
				if (!strcmp(dirs[d], "testdata/dtls") &&
				    !strcmp(nm, "crafted.pcap"))
					check_out_of_order(&run);
				hello_run_free(&run);
			}
			free(names[i]);
		}
		if (n >= 0)
			free(names);
	}
	printf("# ClientHellos compared with tshark: %d\n", total);
	CHECK(total > 0, "tshark rows found");
	return CHECK_EXIT();
}
