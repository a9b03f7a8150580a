// SPDX-License-Identifier: BSD-3-Clause
/* The -r reader against independent references: the crafted files of testdata/io/ with the
 * values their generator states from the specifications (NAME.expect), libpcap's reading of
 * every file libpcap can read (crafted and the shared corpus), and damaged files (cut at every
 * byte, lying lengths, bad magic): packets before the damage are delivered, then an error
 * naming the offset of the damaged block. */
#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "reader.h"

#define TD "testdata/io/"

static char tmpdir[] = "/tmp/procap-test-reader.XXXXXX";

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0, k;

	if (!f)
		return NULL;
	do {
		if (n == cap)
			buf = realloc(buf, cap = cap ? cap * 2 : 65536);
		k = fread(buf + n, 1, cap - n, f);
		n += k;
	} while (k > 0);
	fclose(f);
	*len = n;
	return buf;
}

static void spit(const char *path, const uint8_t *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(buf, 1, len, f);
		fclose(f);
	}
}

static void hex(const uint8_t *p, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
	out[2 * n] = 0;
}

static const char *dir_name(uint8_t d)
{
	return d == PKT_DIR_IN ? "in" : d == PKT_DIR_OUT ? "out" : "-";
}

/* One packet rendered the way gen.py writes NAME.expect. */
static void render(const struct packet *p, char *line, size_t len)
{
	char *com = malloc(p->comment ? 2 * strlen(p->comment) + 1 : 2);
	char *data = malloc(2 * (size_t)p->cap_len + 1);
	char pid[24] = "-", drops[24] = "-";

	if (p->comment)
		hex((const uint8_t *)p->comment, strlen(p->comment), com);
	else
		strcpy(com, "-");
	hex(p->data, p->cap_len, data);
	if (p->has_packet_id)
		snprintf(pid, sizeof(pid), "%llu", (unsigned long long)p->packet_id);
	if (p->has_dropcount)
		snprintf(drops, sizeof(drops), "%llu", (unsigned long long)p->dropcount);
	snprintf(line, len, "%u %d %llu %u %u %s %s %s %s %s", p->if_id, p->linktype,
		 (unsigned long long)p->ts_ns, p->cap_len, p->wire_len, dir_name(p->dir), pid, drops,
		 com, data);
	free(com);
	free(data);
}

static void test_expect(const char *name)
{
	char path[256], exp_path[256], line[8192], want[8192], err[256], tname[300];
	struct reader *r;
	struct packet p;
	FILE *ef;
	int n = 0, rc;

	snprintf(path, sizeof(path), TD "%s", name);
	snprintf(exp_path, sizeof(exp_path), TD "%s.expect", name);
	ef = fopen(exp_path, "r");
	r = reader_open(path, err, sizeof(err));
	snprintf(tname, sizeof(tname), "%s: open", name);
	if (!CHECKF(r && ef, tname, "%s", r ? "no .expect" : err)) {
		if (ef)
			fclose(ef);
		reader_close(r);
		return;
	}
	memset(&p, 0, sizeof(p));
	while ((rc = reader_next(r, &p)) == 1) {
		render(&p, line, sizeof(line));
		snprintf(tname, sizeof(tname), "%s: packet %d as specified", name, ++n);
		if (!fgets(want, sizeof(want), ef)) {
			CHECKF(false, tname, "extra packet %s", line);
			break;
		}
		want[strcspn(want, "\n")] = 0;
		CHECK_STR(line, want, tname);
	}
	snprintf(tname, sizeof(tname), "%s: clean end after %d packets", name, n);
	CHECKF(rc == 0 && !fgets(want, sizeof(want), ef), tname, "rc %d err '%s'", rc,
	       reader_error(r));
	fclose(ef);
	reader_close(r);
}

/* Our reader and libpcap (nanosecond precision) agree packet for packet. */
static void test_vs_libpcap(const char *path, const char *label)
{
	char err[PCAP_ERRBUF_SIZE], tname[512];
	struct reader *r = reader_open(path, err, sizeof(err));
	pcap_t *pc = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, err);
	struct pcap_pkthdr *h;
	const u_char *data;
	struct packet p;
	int n = 0, mismatches = 0, lrc, rc;

	snprintf(tname, sizeof(tname), "vs libpcap %s", label);
	if (!pc) {
		reader_close(r);
		SKIP(tname, "libpcap cannot read it");
		return;
	}
	if (!CHECKF(r != NULL, tname, "our open failed: %s", err)) {
		pcap_close(pc);
		return;
	}
	memset(&p, 0, sizeof(p));
	for (;;) {
		lrc = pcap_next_ex(pc, &h, &data);
		rc = reader_next(r, &p);
		if (lrc != 1 || rc != 1)
			break;
		n++;
		uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000000u + (uint64_t)h->ts.tv_usec;
		if (ts != p.ts_ns || h->caplen != p.cap_len || h->len != p.wire_len ||
		    memcmp(data, p.data, h->caplen) != 0 || p.linktype != pcap_datalink(pc)) {
			if (!mismatches++)
				printf("# %s packet %d: ts %llu/%llu caplen %u/%u len %u/%u\n", label, n,
				       (unsigned long long)ts, (unsigned long long)p.ts_ns, h->caplen,
				       p.cap_len, h->len, p.wire_len);
		}
	}
	CHECKF(mismatches == 0 && lrc == PCAP_ERROR_BREAK && rc == 0, tname,
	       "%d packets, %d mismatches, libpcap rc %d, ours %d (%s)", n, mismatches, lrc, rc,
	       reader_error(r));
	pcap_close(pc);
	reader_close(r);
}

static void test_corpus(void)
{
	const char *base = getenv("PROCAP_CORPUS") ? getenv("PROCAP_CORPUS") : "testdata/corpus";
	const char *dirs[] = { "ja4/pcap", "quic/pcap" };
	char cmd[1024], path[1024];
	int files = 0;

	for (size_t d = 0; d < 2; d++) {
		snprintf(cmd, sizeof(cmd), "ls %s/%s 2>/dev/null | grep -E '\\.(pcap|pcapng|cap)$'",
			 base, dirs[d]);
		FILE *ls = popen(cmd, "r");
		char name[512];
		while (ls && fgets(name, sizeof(name), ls)) {
			name[strcspn(name, "\n")] = 0;
			snprintf(path, sizeof(path), "%s/%s/%s", base, dirs[d], name);
			test_vs_libpcap(path, name);
			files++;
		}
		if (ls)
			pclose(ls);
	}
	if (!files)
		SKIP("corpus vs libpcap", "no corpus at $PROCAP_CORPUS or testdata/corpus");
}

/* Ends of the complete records/blocks of a well-formed file, walked independently of the
 * reader (pcap: 24-byte header then 16-byte record headers; pcapng: block lengths, the byte
 * order from each section header). ends[0] = end of the file header (pcap) or 0. */
static int block_ends(const uint8_t *f, size_t len, size_t *ends, int max, bool *is_packet)
{
	int n = 0;
	uint32_t magic;

	memcpy(&magic, f, 4);
	if (magic == 0x0A0D0D0A) {
		bool swap = false;
		for (size_t off = 0; off + 12 <= len && n < max;) {
			uint32_t type, blen, bom;
			memcpy(&type, f + off, 4);
			if (type == 0x0A0D0D0A) {
				memcpy(&bom, f + off + 8, 4);
				swap = bom != 0x1A2B3C4D;
			} else if (swap) {
				type = __builtin_bswap32(type);
			}
			memcpy(&blen, f + off + 4, 4);
			if (swap)
				blen = __builtin_bswap32(blen);
			off += blen;
			is_packet[n] = type == 2 || type == 3 || type == 6;
			ends[n++] = off;
		}
	} else {
		bool swap = magic != 0xa1b2c3d4 && magic != 0xa1b23c4d && magic != 0xa1b2cd34;
		size_t hl = (magic == 0xa1b2cd34 || magic == 0x34cdb2a1) ? 24 : 16;
		is_packet[n] = false;
		ends[n++] = 24;
		for (size_t off = 24; off + hl <= len && n < max;) {
			uint32_t incl;
			memcpy(&incl, f + off + 8, 4);
			if (swap)
				incl = __builtin_bswap32(incl);
			off += hl + incl;
			is_packet[n] = true;
			ends[n++] = off;
		}
	}
	return n;
}

/* Cut the file at every length: the complete packets before the cut come out, then a clean
 * end exactly at block boundaries, otherwise an error naming the damaged block's offset. */
static void test_truncations(const char *name)
{
	char path[256], cut[512], err[256], tname[300], want_off[64];
	size_t len, ends[256];
	bool is_packet[256];
	uint8_t *f;
	int bad = 0, nb;

	snprintf(path, sizeof(path), TD "%s", name);
	f = slurp(path, &len);
	if (!CHECK(f != NULL, "read crafted file"))
		return;
	nb = block_ends(f, len, ends, 256, is_packet);
	snprintf(cut, sizeof(cut), "%s/cut", tmpdir);
	for (size_t l = 0; l < len; l++) {
		int want_pkts = 0, at_boundary = l == 0 && ends[0] == 0;
		size_t damaged = 0;
		for (int i = 0; i < nb; i++) {
			if (ends[i] <= l) {
				want_pkts += is_packet[i];
				damaged = ends[i];
			}
			if (ends[i] == l)
				at_boundary = 1;
		}
		spit(cut, f, l);
		struct reader *r = reader_open(cut, err, sizeof(err));
		int got = 0, rc = -1;
		struct packet p;
		memset(&p, 0, sizeof(p));
		if (r)
			while ((rc = reader_next(r, &p)) == 1)
				got++;
		const char *msg = r ? reader_error(r) : err;
		snprintf(want_off, sizeof(want_off), "offset %zu", damaged);
		bool ok;
		if (!r) /* header damaged: only possible before the first complete block */
			ok = l < (ends[0] ? ends[0] : 12) && want_pkts == 0 && *msg;
		else if (at_boundary)
			ok = rc == 0 && got == want_pkts;
		else
			ok = rc == -1 && got == want_pkts && strstr(msg, want_off) != NULL;
		if (!ok && bad++ < 3)
			printf("# %s cut at %zu: got %d packets rc %d '%s', want %d packets%s%s\n",
			       name, l, got, rc, msg, want_pkts, at_boundary ? " clean end" : " error at ",
			       at_boundary ? "" : want_off);
		reader_close(r);
	}
	snprintf(tname, sizeof(tname), "%s: cut at each of %zu lengths", name, len);
	CHECKF(bad == 0, tname, "%d wrong", bad);
	free(f);
}

/* Reads a (damaged) file; returns packets delivered, sets *msg to the error ("" at clean end). */
static int read_all(const uint8_t *buf, size_t len, char *msg, size_t msglen)
{
	char path[512], err[256];
	struct packet p;
	int got = 0, rc;

	snprintf(path, sizeof(path), "%s/mod", tmpdir);
	spit(path, buf, len);
	struct reader *r = reader_open(path, err, sizeof(err));
	if (!r) {
		snprintf(msg, msglen, "%s", err);	/* open failed */
		return -1;
	}
	memset(&p, 0, sizeof(p));
	while ((rc = reader_next(r, &p)) == 1)
		got++;
	snprintf(msg, msglen, "%s", rc == 0 ? "" : reader_error(r));
	reader_close(r);
	return got;
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

static void test_lying(void)
{
	size_t len;
	uint8_t *f = slurp(TD "ng_sections.pcapng", &len), *m;
	char msg[256];
	int got;

	if (!CHECK(f != NULL, "read ng_sections"))
		return;
	m = malloc(len);
	/* layout (little-endian section): SHB 28 @0, IDB 32 @28, EPB @60 (96 bytes), EPB @156 */
	memcpy(m, f, len);
	put32(m + 60 + 4, 100);		/* header says 100, trailer 96 */
	got = read_all(m, len, msg, sizeof(msg));
	CHECKF(got == 0 && strstr(msg, "offset 60") && strstr(msg, "mismatch"),
	       "lying block length: error at its offset", "%d '%s'", got, msg);

	memcpy(m, f, len);
	put32(m + 156 + 4, 0xFFFFFFF0u);	/* second packet: absurd length */
	got = read_all(m, len, msg, sizeof(msg));
	CHECKF(got == 1 && strstr(msg, "oversize block at offset 156"),
	       "oversize block: 1 packet then error", "%d '%s'", got, msg);

	memcpy(m, f, len);
	put32(m + 156 + 4, 8);	/* shorter than a block header */
	got = read_all(m, len, msg, sizeof(msg));
	CHECKF(got == 1 && strstr(msg, "bad block length 8 at offset 156"),
	       "too-short block length", "%d '%s'", got, msg);

	memcpy(m, f, len);
	put32(m + 60 + 8 + 12, 5000);	/* EPB caplen beyond its block */
	got = read_all(m, len, msg, sizeof(msg));
	CHECKF(got == 0 && strstr(msg, "exceeds its block at offset 60"), "lying capture length",
	       "%d '%s'", got, msg);

	memcpy(m, f, len);
	put32(m + 60 + 8, 3);	/* packet on an interface that was never declared */
	got = read_all(m, len, msg, sizeof(msg));
	CHECKF(got == 0 && strstr(msg, "undeclared interface 3 at offset 60"),
	       "undeclared interface", "%d '%s'", got, msg);

	/* second section (big-endian) with a broken byte-order magic */
	size_t ends[16];
	bool pk[16];
	int nb = block_ends(f, len, ends, 16, pk);
	size_t sec2 = nb >= 4 ? ends[3] : 0;
	memcpy(m, f, len);
	put32(m + sec2 + 8, 0x11223344);
	got = read_all(m, len, msg, sizeof(msg));
	char want[64];
	snprintf(want, sizeof(want), "byte-order magic 0x11223344 in section header at offset %zu",
		 sec2);
	CHECKF(got == 2 && strstr(msg, want), "bad magic in 2nd section", "%d '%s'", got, msg);

	memcpy(m, f, len);
	put32(m, 0xdeadbeef);
	got = read_all(m, len, msg, sizeof(msg));
	CHECKF(got == -1 && strstr(msg, "not a pcap or pcapng file (magic 0xdeadbeef at offset 0)"),
	       "bad file magic", "%d '%s'", got, msg);

	got = read_all(m, 0, msg, sizeof(msg));
	CHECKF(got == -1 && strstr(msg, "empty file"), "zero-length file", "%d '%s'", got, msg);
	free(f);
	free(m);

	/* pcap: a record claiming 300 MiB */
	f = slurp(TD "pcap_le_usec.pcap", &len);
	if (!CHECK(f != NULL, "read pcap_le_usec"))
		return;
	size_t rec2 = 24 + 16 + 60;
	put32(f + rec2 + 8, 300u << 20);
	got = read_all(f, len, msg, sizeof(msg));
	snprintf(want, sizeof(want), "oversize record at offset %zu", rec2);
	CHECKF(got == 1 && strstr(msg, want), "pcap oversize record", "%d '%s'", got, msg);
	put32(f + rec2 + 8, 200000);	/* under the cap (262144), but the file is short */
	got = read_all(f, len, msg, sizeof(msg));
	snprintf(want, sizeof(want), "truncated record at offset %zu", rec2);
	CHECKF(got == 1 && strstr(msg, want), "pcap lying record length", "%d '%s'", got, msg);
	free(f);
}

/* gzip detected by content; a cut gzip stream delivers what decompresses, then an error. */
static void test_gzip(void)
{
	size_t len;
	uint8_t *f = slurp(TD "gz_sections.pcapng", &len);
	char msg[256];

	if (!CHECK(f != NULL && len > 2 && f[0] == 0x1f && f[1] == 0x8b, "gzip test file"))
		return;
	int got = read_all(f, len - 30, msg, sizeof(msg));
	CHECKF(got >= 0 && got < 4 && *msg, "cut gzip stream: error after the packets before it",
	       "%d '%s'", got, msg);
	free(f);
}

static void test_stdin(void)
{
	char err[256];
	struct packet p;
	int fd = open(TD "ng_multi.pcapng", O_RDONLY), saved = dup(0), got = 0, rc;

	if (!CHECK(fd >= 0 && saved >= 0, "open for stdin"))
		return;
	dup2(fd, 0);
	close(fd);
	struct reader *r = reader_open("-", err, sizeof(err));
	dup2(saved, 0);
	close(saved);
	if (!CHECKF(r != NULL, "'-' reads stdin", "%s", err))
		return;
	memset(&p, 0, sizeof(p));
	while ((rc = reader_next(r, &p)) == 1)
		got++;
	CHECKF(rc == 0 && got == 5, "stdin: all packets of ng_multi", "%d rc %d", got, rc);
	CHECK_INT(reader_n_interfaces(r), 3, "ng_multi: 3 interfaces across 2 sections");
	const struct reader_iface *i1 = reader_interface(r, 1), *i2 = reader_interface(r, 2);
	CHECK(i1 && i1->linktype == 101 && i1->name && strcmp(i1->name, "tun0") == 0,
	      "interface 1: tun0, LINKTYPE_RAW");
	CHECK(i2 && i2->name && strcmp(i2->name, "eth9") == 0, "interface 2 (2nd section): eth9");
	reader_close(r);
}

/* Piped input streams: every packet already written comes out while the writer still holds
 * the pipe open (a reader that waits to fill its buffer would hang here; alarm() turns a hang
 * into a failure). Both plain and gzip input (the gzip stream is flushed, not finished). */
static void test_streaming(void)
{
	const char *files[] = { TD "ng_sections.pcapng", TD "pcap_le_usec.pcap" };
	char err[256], name[128];

	for (int gz = 0; gz < 2; gz++) {
		for (size_t i = 0; i < 2; i++) {
			size_t len;
			uint8_t *f = slurp(files[i], &len);
			int fds[2], saved = dup(0), got = 0;
			struct packet p;

			if (!f || pipe(fds))
				return;
			if (gz) {
				/* deflate with a sync flush: all data decodable, stream not ended */
				uint8_t out[8192];
				z_stream zs;
				memset(&zs, 0, sizeof(zs));
				deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
				zs.next_in = f;
				zs.avail_in = (uInt)len;
				zs.next_out = out;
				zs.avail_out = sizeof(out);
				deflate(&zs, Z_SYNC_FLUSH);
				if (write(fds[1], out, sizeof(out) - zs.avail_out) < 0)
					return;
				deflateEnd(&zs);
			} else if (write(fds[1], f, len) != (ssize_t)len) {
				return;
			}
			dup2(fds[0], 0);
			close(fds[0]);
			alarm(10);
			struct reader *r = reader_open("-", err, sizeof(err));
			dup2(saved, 0);
			close(saved);
			memset(&p, 0, sizeof(p));
			int want = i == 0 ? 4 : 3;
			while (r && got < want && reader_next(r, &p) == 1)
				got++;
			alarm(0);
			snprintf(name, sizeof(name), "pipe%s: packets arrive before the writer closes (%s)",
				 gz ? " gzip" : "", files[i] + strlen(TD));
			CHECK_INT(got, want, name);
			close(fds[1]);
			reader_close(r);
			free(f);
		}
	}
}

int main(void)
{
	const char *crafted[] = { "pcap_le_usec.pcap", "pcap_be_usec.pcap", "pcap_le_nsec.pcap",
				  "pcap_be_nsec.pcap", "pcap_kuznetzov.pcap", "ng_multi.pcapng",
				  "ng_sections.pcapng", "ng_sections_le.pcapng", "gz_sections.pcapng" };
	char path[256];

	if (!mkdtemp(tmpdir))
		return 1;
	for (size_t i = 0; i < sizeof(crafted) / sizeof(crafted[0]); i++) {
		test_expect(crafted[i]);
		snprintf(path, sizeof(path), TD "%s", crafted[i]);
		/* libpcap: no gzip, no mixed link types, no byte-order change between sections */
		if (strncmp(crafted[i], "gz_", 3) && strcmp(crafted[i], "ng_multi.pcapng") &&
		    strcmp(crafted[i], "ng_sections.pcapng"))
			test_vs_libpcap(path, crafted[i]);
	}
	test_truncations("pcap_be_nsec.pcap");
	test_truncations("pcap_kuznetzov.pcap");
	test_truncations("ng_multi.pcapng");
	test_truncations("ng_sections.pcapng");
	test_lying();
	test_gzip();
	test_stdin();
	test_streaming();
	test_corpus();
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd))
		return 1;
	return CHECK_EXIT();
}
