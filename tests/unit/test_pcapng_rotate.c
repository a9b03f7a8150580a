// SPDX-License-Identifier: BSD-3-Clause
/* -w rotation (-C, -G, -W, -z) through the pcapng_out wrapper: file names as tcpdump(8)
 * documents them, every file a complete pcapng that libpcap reads on its own, no packet lost
 * or duplicated across files. */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "rotate.h"

static char tmpdir[] = "/tmp/procap-test-rotate.XXXXXX";
static uint8_t frame[400];

#define T0 1700000000ull	/* 2023-11-14 22:13:20 UTC */

static void opts_init(struct options *o, const char *name)
{
	static char path[512];
	memset(o, 0, sizeof(*o));
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	o->write_file = path;
}

static int put(struct pcapng_out *out, uint64_t ts_s, uint32_t seq)
{
	struct packet p;
	memset(&p, 0, sizeof(p));
	memcpy(frame, &seq, 4);	/* packet number in the first bytes */
	p.ts_ns = ts_s * 1000000000ull;
	p.cap_len = p.wire_len = sizeof(frame);
	p.data = frame;
	p.linktype = 1;
	return pcapng_out_write_packet(out, &p, "Source: none", strlen("Source: none"));
}

/* Packets of a file per libpcap, appended to seqs; -1 if libpcap cannot read it cleanly. */
static int read_seqs(const char *path, uint32_t *seqs, int *n)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_open_offline(path, err);
	struct pcap_pkthdr *h;
	const u_char *d;
	int rc, got = 0;

	if (!pc)
		return -1;
	while ((rc = pcap_next_ex(pc, &h, &d)) == 1) {
		memcpy(&seqs[(*n)++], d, 4);
		got++;
	}
	pcap_close(pc);
	return rc == PCAP_ERROR_BREAK ? got : -1;
}

static bool exists(const char *name)
{
	char path[600];
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	return access(path, F_OK) == 0;
}

static struct pcapng_out *open_with_iface(const struct options *o)
{
	struct pcapng_if_info ifi = { "veth0", 1, 262144, NULL };
	struct pcapng_out *out = pcapng_out_open(o);
	if (out && pcapng_out_add_interface(out, &ifi) != 0) {
		pcapng_out_close(out);
		return NULL;
	}
	return out;
}

static void test_size(void)
{
	struct options o;
	uint32_t seqs[64];
	int n = 0, files = 0, bad = 0;
	char path[600];

	opts_init(&o, "c.pcapng");
	o.rotate_size = 3000;
	struct pcapng_out *out = open_with_iface(&o);
	if (!CHECK(out != NULL, "-C open"))
		return;
	for (uint32_t i = 0; i < 30; i++)
		bad |= put(out, T0 + i, i);
	bad |= pcapng_out_close(out);
	CHECK_INT(bad, 0, "-C writes");
	/* tcpdump names: FILE, FILE1, FILE2, ... */
	for (int k = 0; k < 20; k++) {
		if (k == 0)
			snprintf(path, sizeof(path), "%s", o.write_file);
		else
			snprintf(path, sizeof(path), "%s%d", o.write_file, k);
		if (access(path, F_OK))
			break;
		struct stat st;
		stat(path, &st);
		if (read_seqs(path, seqs, &n) < 0 || st.st_size > 3000 + 600)
			bad++;
		files++;
	}
	CHECKF(files >= 4 && bad == 0, "-C: FILE, FILE1.. each a complete pcapng near the size",
	       "%d files, %d bad", files, bad);
	CHECK(!exists("c.pcapng0"), "-C without -W: no FILE0");
	int order = n == 30;
	for (int i = 0; i < n; i++)
		order &= seqs[i] == (uint32_t)i;
	CHECKF(order, "-C: every packet once, in order across files", "%d packets", n);
}

static void test_ring(void)
{
	struct options o;
	uint32_t seqs[64];
	int n = 0, bad = 0;
	char path[600];

	opts_init(&o, "ring.pcapng");
	o.rotate_size = 3000;
	o.rotate_count = 3;
	struct pcapng_out *out = open_with_iface(&o);
	if (!CHECK(out != NULL, "-C -W open"))
		return;
	for (uint32_t i = 0; i < 40; i++)
		bad |= put(out, T0 + i, i);
	bad |= pcapng_out_close(out);
	for (int k = 0; k < 3; k++) {
		snprintf(path, sizeof(path), "%s%d", o.write_file, k);
		if (read_seqs(path, seqs, &n) < 0)
			bad++;
	}
	CHECK(bad == 0 && !exists("ring.pcapng") && !exists("ring.pcapng3"),
	      "-C -W 3: exactly FILE0..FILE2, each complete");
	bool last = false;
	for (int i = 0; i < n; i++)
		last |= seqs[i] == 39;
	CHECKF(last && n < 40, "-C -W 3: ring holds the newest packets", "%d packets", n);
}

static void test_time(void)
{
	struct options o;
	uint32_t seqs[64];
	int n = 0, bad = 0;
	char path[600];
	const char *names[] = { "g-20231114-221320.pcapng", "g-20231114-221330.pcapng",
				"g-20231114-221345.pcapng" };
	const uint64_t ts[] = { 0, 5, 9, 10, 19, 25, 26 };

	opts_init(&o, "g-%Y%m%d-%H%M%S.pcapng");
	o.rotate_secs = 10;
	struct pcapng_out *out = open_with_iface(&o);
	if (!CHECK(out != NULL, "-G open"))
		return;
	for (uint32_t i = 0; i < 7; i++)
		bad |= put(out, T0 + ts[i], i);
	bad |= pcapng_out_close(out);
	int per_file[3];
	for (int k = 0; k < 3; k++) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir, names[k]);
		per_file[k] = read_seqs(path, seqs, &n);
	}
	CHECKF(bad == 0 && per_file[0] == 3 && per_file[1] == 2 && per_file[2] == 2 && n == 7,
	       "-G 10: strftime names from packet times, 3+2+2 packets", "%d %d %d", per_file[0],
	       per_file[1], per_file[2]);

	opts_init(&o, "w-%H%M%S.pcapng");
	o.rotate_secs = 10;
	o.rotate_count = 2;
	out = open_with_iface(&o);
	int rcs[7];
	for (uint32_t i = 0; out && i < 7; i++)
		rcs[i] = put(out, T0 + ts[i], i);
	pcapng_out_close(out);
	CHECK(out && rcs[4] == 0 && rcs[5] == PCAPNG_OUT_LIMIT && exists("w-221320.pcapng") &&
		      exists("w-221330.pcapng") && !exists("w-221345.pcapng"),
	      "-G -W 2: stops (PCAPNG_OUT_LIMIT) instead of opening a 3rd file");

	opts_init(&o, "empty-%Y.pcapng");
	o.rotate_secs = 10;
	out = open_with_iface(&o);
	int crc = pcapng_out_close(out);
	char year[32];
	time_t now = time(NULL);
	strftime(year, sizeof(year), "empty-%Y.pcapng", gmtime(&now));
	snprintf(path, sizeof(path), "%s/%s", tmpdir, year);
	n = 0;
	CHECK(crc == 0 && read_seqs(path, seqs, &n) == 0, "-G without packets: one empty capture");
}

/* -z gzip: each closed file is compressed by a command procap does not wait for; wait here
 * (bounded) for the .gz files to appear. */
static void test_postrotate(void)
{
	struct options o;
	int bad = 0;

	if (system("command -v gzip >/dev/null 2>&1")) {
		SKIP("-z gzip", "gzip not installed");
		return;
	}
	opts_init(&o, "z.pcapng");
	o.rotate_size = 3000;
	o.rotate_cmd = "gzip";
	struct pcapng_out *out = open_with_iface(&o);
	for (uint32_t i = 0; out && i < 20; i++)
		bad |= put(out, T0 + i, i);
	bad |= pcapng_out_close(out);
	const char *want[] = { "z.pcapng.gz", "z.pcapng1.gz", "z.pcapng2.gz" };
	const char *gone[] = { "z.pcapng", "z.pcapng1", "z.pcapng2" };
	int found = 0;
	/* gzip removes each original once its .gz is complete: wait for that state (10 s max) */
	for (int tries = 0; tries < 200 && found < 6; tries++) {
		found = 0;
		for (int k = 0; k < 3; k++)
			found += exists(want[k]) + !exists(gone[k]);
		if (found < 6)
			usleep(50000);
	}
	CHECKF(out && bad == 0 && found == 6 && !exists("z.pcapng3.gz"),
	       "-z gzip: ran on every closed file, including the last", "found %d", found);
}

int main(void)
{
	char cmd[300];

	setenv("TZ", "UTC", 1);
	tzset();
	if (!mkdtemp(tmpdir))
		return 1;
	test_size();
	test_ring();
	test_time();
	test_postrotate();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd))
		return 1;
	return CHECK_EXIT();
}
