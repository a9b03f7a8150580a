// SPDX-License-Identifier: BSD-3-Clause
/* TLS secrets beside the packets (src/sink/tlskeys.c, dissectors/tls_random.c):
 *  - tls_client_random() on every frame of the testdata/tls captures finds exactly the ClientHello
 *    randoms tshark 4.0 lists (testdata/tls/client-random.tsv), and every cut of a hello frame
 *    is rejected without reading past it;
 *  - the -w file, walked block by block here (not by procap's reader): a DSB precedes the
 *    ClientHello and the packets held behind it, packets keep their order, the DSB comment
 *    names the hello's process, malformed key log lines are dropped, a hello whose secrets
 *    never come stops holding after TLSKEYS_HOLD_MS, secrets read before their hello do not
 *    hold it; the -w file and --keylog-file are mode 0600. */
#define _GNU_SOURCE	/* memmem */
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "opts.h"
#include "rotate.h"
#include "tls_random.h"
#include "tlskeys.h"

#define TLS_DIR "testdata/tls"

static void hex(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

/* The randoms procap finds in pcap, sorted like `sort -u`, joined by spaces. */
static void randoms_of(const char *pcap, char *out, size_t len)
{
	char err[PCAP_ERRBUF_SIZE], path[512], list[32][65];
	struct pcap_pkthdr *h;
	const u_char *data;
	int n = 0;

	snprintf(path, sizeof(path), "%s/%s", TLS_DIR, pcap);
	out[0] = 0;
	pcap_t *p = pcap_open_offline(path, err);
	if (!p)
		return;
	while (pcap_next_ex(p, &h, &data) == 1 && n < 32) {
		uint8_t r[TLS_RANDOM_LEN];
		char s[65];
		bool dup = false;

		if (!tls_client_random(data, h->caplen, r))
			continue;
		hex(r, TLS_RANDOM_LEN, s);
		for (int i = 0; i < n; i++)
			dup |= !strcmp(list[i], s);
		if (!dup)
			strcpy(list[n++], s);
	}
	pcap_close(p);
	qsort(list, (size_t)n, sizeof(list[0]), (int (*)(const void *, const void *))strcmp);
	for (int i = 0; i < n; i++)
		snprintf(out + strlen(out), len - strlen(out), "%s%s", i ? " " : "", list[i]);
}

static void test_randoms_vs_tshark(void)
{
	FILE *f = fopen(TLS_DIR "/client-random.tsv", "r");
	char line[512], cur[128] = "", want[2048] = "", got[2048], name[200];
	int files = 0;

	if (!CHECK(f != NULL, "client-random.tsv"))
		return;
	for (bool more = true; more;) {
		char pcap[128] = "", r[80] = "";

		more = fgets(line, sizeof(line), f) != NULL;
		if (more && (line[0] == '#' || sscanf(line, "%127s %79s", pcap, r) != 2))
			continue;
		if (cur[0] && (!more || strcmp(pcap, cur))) {
			randoms_of(cur, got, sizeof(got));
			snprintf(name, sizeof(name), "client randoms of %s equal tshark's", cur);
			CHECK_STR(got, want, name);
			files++;
			want[0] = 0;
		}
		if (!more)
			break;
		snprintf(cur, sizeof(cur), "%s", pcap);
		snprintf(want + strlen(want), sizeof(want) - strlen(want), "%s%s",
			 want[0] ? " " : "", r);
	}
	fclose(f);
	CHECK(files >= 9, "every capture of testdata/tls checked");
}

/* The first ClientHello frame of pcap, copied into buf; its length or 0. */
static size_t first_hello(const char *pcap, uint8_t *buf, size_t cap)
{
	char err[PCAP_ERRBUF_SIZE], path[512];
	struct pcap_pkthdr *h;
	const u_char *data;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/%s", TLS_DIR, pcap);
	pcap_t *p = pcap_open_offline(path, err);
	if (!p)
		return 0;
	while (!n && pcap_next_ex(p, &h, &data) == 1) {
		uint8_t r[TLS_RANDOM_LEN];
		if (h->caplen <= cap && tls_client_random(data, h->caplen, r)) {
			memcpy(buf, data, h->caplen);
			n = h->caplen;
		}
	}
	pcap_close(p);
	return n;
}

static void test_random_cuts(void)
{
	uint8_t frame[4096], r[TLS_RANDOM_LEN], want[TLS_RANDOM_LEN];
	size_t n = first_hello("s_client-tls13-sni-alpn.pcap", frame, sizeof(frame));
	bool early = false, late = true;

	if (!CHECK(n > 0 && tls_client_random(frame, n, want), "a ClientHello frame to cut"))
		return;
	size_t end = (size_t)((uint8_t *)memmem(frame, n, want, TLS_RANDOM_LEN) - frame) +
		     TLS_RANDOM_LEN;
	/* a cut (snaplen) before the random's end is no hello; from there on the random is
	 * captured and found */
	for (size_t cut = 0; cut <= n; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);	/* exact size: ASan sees an overread */
		memcpy(copy, frame, cut);
		bool got = tls_client_random(copy, cut, r);
		if (got && cut < end)
			early = true;
		if (cut >= end && (!got || memcmp(r, want, TLS_RANDOM_LEN)))
			late = false;
		free(copy);
	}
	CHECK(!early, "no cut before the random's end yields one");
	CHECK(late, "every cut after it yields the random");
}

/* ---- the -w file ---- */

struct block { uint32_t type; char text[2048]; char comment[256]; uint8_t first_byte; };

/* Walks the pcapng blocks (little-endian host): EPB data's byte 0x2f (TCP flags, or an id
 * the test planted), DSB secrets text and comments. Returns the count. */
static int walk(const char *path, struct block *b, int max)
{
	FILE *f = fopen(path, "rb");
	static uint8_t d[1 << 20];
	size_t len, off = 0;
	int n = 0;

	if (!f)
		return -1;
	len = fread(d, 1, sizeof(d), f);
	fclose(f);
	while (off + 12 <= len && n < max) {
		uint32_t t, l;
		memcpy(&t, d + off, 4);
		memcpy(&l, d + off + 4, 4);
		if (l < 12 || off + l > len)
			return -1;
		memset(&b[n], 0, sizeof(b[n]));
		b[n].type = t;
		size_t opt = 0, end = off + l - 4;
		if (t == 6) {
			uint32_t caplen;
			memcpy(&caplen, d + off + 20, 4);
			b[n].first_byte = caplen > 0x2f ? d[off + 28 + 0x2f] : 0;
			opt = off + 28 + ((caplen + 3) & ~3u);
		} else if (t == 10) {
			uint32_t sl;
			memcpy(&sl, d + off + 12, 4);
			memcpy(b[n].text, d + off + 16, sl < sizeof(b[n].text) - 1 ? sl : 0);
			opt = off + 16 + ((sl + 3) & ~3u);
		}
		while (opt && opt + 4 <= end) {
			uint16_t code, ol;
			memcpy(&code, d + opt, 2);
			memcpy(&ol, d + opt + 2, 2);
			if (code == 0)
				break;
			if (code == 1 && ol < sizeof(b[n].comment))
				memcpy(b[n].comment, d + opt + 4, ol);
			opt += 4 + ((ol + 3u) & ~3u);
		}
		if (t == 6 || t == 10)
			n++;
		off += l;
	}
	return n;
}

/* A packet whose byte 0x2f is id (an Ethernet/IPv4 frame that is no ClientHello). */
static struct packet plain(uint8_t *buf, uint8_t id, uint64_t ts)
{
	struct packet p;

	memset(&p, 0, sizeof(p));
	memset(buf, 0, 64);
	buf[12] = 0x08;		/* IPv4, but version 0: no hello */
	buf[0x2f] = id;
	p.data = buf;
	p.cap_len = p.wire_len = 64;
	p.linktype = 1;
	p.ts_ns = ts;
	return p;
}

static void line(char *out, size_t len, const char *label, const char *random_hex, int secret_bytes)
{
	size_t n = (size_t)snprintf(out, len, "%s %s ", label, random_hex);
	for (int i = 0; i < secret_bytes; i++)
		n += (size_t)snprintf(out + n, len - n, "%02x", i);
	snprintf(out + n, len - n, "\n");
}

static void test_hold_and_dsb(void)
{
	char dir[] = "/tmp/procap-tlskeys-XXXXXX", path[128], keys[128], name[64];
	uint8_t hello[4096], a[64], b[64], c[64], r[TLS_RANDOM_LEN];
	char rhex[65], text[2048], l1[256], l2[256], l3[256];
	struct options o;
	struct block blk[16];
	struct stat st;
	int rc;

	if (!CHECK(mkdtemp(dir) != NULL, "temp dir"))
		return;
	snprintf(path, sizeof(path), "%s/f.pcapng", dir);
	snprintf(keys, sizeof(keys), "%s/keys", dir);
	memset(&o, 0, sizeof(o));
	o.write_file = path;
	o.tls_keys = true;
	size_t hn = first_hello("s_client-tls13-sni-alpn.pcap", hello, sizeof(hello));
	if (!CHECK(hn && tls_client_random(hello, hn, r), "hello frame"))
		return;
	hex(r, TLS_RANDOM_LEN, rhex);

	struct pcapng_out *w = pcapng_out_open(&o);
	if (!CHECK(w != NULL, "pcapng_out_open"))
		return;
	struct pcapng_if_info ifi = { .name = "eth0", .linktype = 1, .snaplen = 65535 };
	pcapng_out_add_interface(w, &ifi);
	struct tlskeys *tk = tlskeys_open(w, keys);
	if (!CHECK(tk != NULL, "tlskeys_open"))
		return;

	struct packet pa = plain(a, 0xa1, 1000), pb = plain(b, 0xb2, 3000);
	struct packet ph;
	memset(&ph, 0, sizeof(ph));
	ph.data = hello;
	ph.cap_len = ph.wire_len = (uint32_t)hn;
	ph.linktype = 1;
	ph.ts_ns = 2000;
	ph.proc.valid = true;
	ph.proc.pid = 4242;
	ph.proc.tid = 4243;
	strcpy(ph.proc.comm, "curl");
	rc = tlskeys_packet(tk, &pa, "A");
	CHECK_INT(rc, 0, "plain packet written");
	rc = tlskeys_packet(tk, &ph, "H");
	CHECK_INT(rc, 0, "hello held");
	rc = tlskeys_packet(tk, &pb, "B");
	CHECK_INT(rc, 0, "later packet held");
	/* handshake secret and junk: a DSB, but the packets still wait for the traffic secrets */
	line(l1, sizeof(l1), "CLIENT_HANDSHAKE_TRAFFIC_SECRET", rhex, 32);
	snprintf(text, sizeof(text), "garbage line\nCLIENT_RANDOM abcd 00\n%s"
		 "SERVER_TRAFFIC_SECRET_0 %s 0\npartial", l1, rhex);
	rc = tlskeys_secrets(tk, text, strlen(text), NULL);
	CHECK_INT(rc, 0, "first secrets");
	line(l2, sizeof(l2), "CLIENT_TRAFFIC_SECRET_0", rhex, 32);
	line(l3, sizeof(l3), "SERVER_TRAFFIC_SECRET_0", rhex, 32);
	snprintf(text, sizeof(text), "%s%s", l2, l3);
	rc = tlskeys_secrets(tk, text, strlen(text), NULL);
	CHECK_INT(rc, 0, "traffic secrets");
	pcapng_out_flush(w);
	int n = walk(path, blk, 16);
	CHECK_INT(n, 5, "2 DSBs and 3 EPBs after the traffic secrets");
	if (n == 5) {
		CHECK(blk[0].type == 6 && blk[0].first_byte == 0xa1, "plain packet first");
		CHECK(blk[1].type == 10 && !strcmp(blk[1].text, l1),
		      "DSB holds the valid line only");
		CHECK(blk[2].type == 10 && strstr(blk[2].text, l2) && strstr(blk[2].text, l3),
		      "second DSB holds both traffic secrets");
		CHECK_STR(blk[1].comment, "PID: 4242\nTID: 4243\nCmd: curl",
			  "DSB comment names the hello's process");
		CHECK(blk[3].type == 6 && blk[4].type == 6 && blk[4].first_byte == 0xb2,
		      "hello, then the held packet, in order");
	}

	/* secrets read before their ClientHello: the hello does not wait */
	uint8_t hello2[4096];
	memcpy(hello2, hello, hn);
	size_t roff = (size_t)((uint8_t *)memmem(hello2, hn, r, TLS_RANDOM_LEN) - hello2);
	hello2[roff] ^= 0xff;
	char rhex2[65];
	tls_client_random(hello2, hn, r);
	hex(r, TLS_RANDOM_LEN, rhex2);
	line(l1, sizeof(l1), "CLIENT_RANDOM", rhex2, 48);
	tlskeys_secrets(tk, l1, strlen(l1), NULL);
	ph.data = hello2;
	tlskeys_packet(tk, &ph, "H2");
	struct packet pc = plain(c, 0xc3, 5000);
	tlskeys_packet(tk, &pc, "C");
	pcapng_out_flush(w);
	n = walk(path, blk, 16);
	CHECK(n == 8 && blk[7].first_byte == 0xc3, "secrets before the hello: nothing waits");

	/* a hello whose secrets never come holds the file for TLSKEYS_HOLD_MS, no longer */
	hello2[roff] ^= 0x0f;
	tlskeys_packet(tk, &ph, "H3");
	tlskeys_packet(tk, &pc, "C2");
	pcapng_out_flush(w);
	CHECK_INT(walk(path, blk, 16), 8, "hello without secrets holds");
	usleep((TLSKEYS_HOLD_MS + 200) * 1000);
	tlskeys_tick(tk);
	pcapng_out_flush(w);
	CHECK_INT(walk(path, blk, 16), 10, "released after TLSKEYS_HOLD_MS");

	rc = tlskeys_close(tk);
	CHECK_INT(rc, 0, "close");
	rc = pcapng_out_close(w);
	CHECK_INT(rc, 0, "close file");
	snprintf(name, sizeof(name), "-w file mode 0600");
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, name);
	CHECK(stat(keys, &st) == 0 && (st.st_mode & 0777) == 0600, "--keylog-file mode 0600");
	FILE *kf = fopen(keys, "r");
	char kbuf[4096] = "";
	if (kf) {
		kbuf[fread(kbuf, 1, sizeof(kbuf) - 1, kf)] = 0;
		fclose(kf);
	}
	CHECK(strstr(kbuf, "# PID 4242 TID 4243 curl\n") && strstr(kbuf, l2) &&
	      !strstr(kbuf, "garbage"), "key log file: comment line and the valid lines");
	unlink(path);
	unlink(keys);
	rmdir(dir);
}

int main(void)
{
	test_randoms_vs_tshark();
	test_random_cuts();
	test_hold_and_dsb();
	return CHECK_EXIT();
}
