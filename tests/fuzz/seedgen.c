// SPDX-License-Identifier: BSD-3-Clause
/* Seed corpus generator for tests/fuzz/run.sh (built next to the fuzzers, not a fuzz target):
 *   seedgen frames OUTDIR MAX FILE...      every packet of the capture FILEs (procap's reader)
 *                                          as one seed file each, at most MAX per capture
 *   seedgen filters OUTDIR EXPRFILE FRAMEDIR   fuzz_filter inputs: each expression of EXPRFILE
 *                                          (one per line, '#' comments) with a frame of
 *                                          FRAMEDIR appended, in both of fuzz_filter's modes
 *                                          (expression text; libpcap's compiled classic code) */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "reader.h"

#define MAX_FRAMES_LISTED 4096

static int write_file(const char *dir, const char *name, const void *a, size_t alen,
		      const void *b, size_t blen)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(a, 1, alen, f) != alen || (blen && fwrite(b, 1, blen, f) != blen)) {
		fprintf(stderr, "seedgen: %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	return fclose(f);
}

static int frames(const char *dir, long max, char **files, int n)
{
	for (int i = 0; i < n; i++) {
		char err[256], name[64];
		struct packet p;
		struct reader *r = reader_open(files[i], err, sizeof(err));

		if (!r) {
			fprintf(stderr, "seedgen: %s: %s\n", files[i], err);
			continue;
		}
		for (long k = 0; k < max && reader_next(r, &p) == 1; k++) {
			snprintf(name, sizeof(name), "f%03d_%04ld", i, k);
			if (p.cap_len && write_file(dir, name, p.data, p.cap_len, NULL, 0)) {
				reader_close(r);
				return 1;
			}
		}
		reader_close(r);
	}
	return 0;
}

/* Contents of one frame of FRAMEDIR, chosen by index (round robin). */
static uint8_t *pick_frame(const char *framedir, char **names, int nnames, int idx, size_t *len)
{
	char path[4096];
	static uint8_t buf[2048];
	FILE *f;

	*len = 0;
	if (!nnames)
		return buf;
	snprintf(path, sizeof(path), "%s/%s", framedir, names[idx % nnames]);
	f = fopen(path, "rb");
	if (f) {
		*len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
	}
	return buf;
}

static int filters(const char *dir, const char *exprfile, const char *framedir)
{
	char *names[MAX_FRAMES_LISTED], line[1024], name[64];
	int nnames = 0, idx = 0;
	DIR *d = opendir(framedir);
	FILE *f = fopen(exprfile, "r");
	struct dirent *de;

	if (!f) {
		fprintf(stderr, "seedgen: %s: %s\n", exprfile, strerror(errno));
		return 1;
	}
	while (d && (de = readdir(d)) && nnames < MAX_FRAMES_LISTED)
		if (de->d_name[0] != '.')
			names[nnames++] = strdup(de->d_name);
	if (d)
		closedir(d);
	pcap_t *pd = pcap_open_dead(DLT_EN10MB, 262144);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (line[0] == '#')
			continue;
		size_t flen;
		uint8_t *frame = pick_frame(framedir, names, nnames, idx++, &flen);
		/* mode 0 (expression), link type Ethernet: "\0EXPR\0FRAME" */
		uint8_t head[1100];
		size_t elen = strlen(line);
		head[0] = 0;
		memcpy(head + 1, line, elen + 1);
		snprintf(name, sizeof(name), "expr_%03d", idx);
		if (write_file(dir, name, head, elen + 2, frame, flen))
			return 1;
		/* mode 1 (raw classic program): "\1" COUNT-1 INSNS FRAME */
		struct bpf_program prog;
		if (pcap_compile(pd, &prog, line, 1, PCAP_NETMASK_UNKNOWN) < 0 || !prog.bf_len ||
		    prog.bf_len > 64)
			continue;
		uint8_t raw[2 + 64 * 8];
		raw[0] = 1;
		raw[1] = (uint8_t)(prog.bf_len - 1);
		memcpy(raw + 2, prog.bf_insns, prog.bf_len * 8);
		snprintf(name, sizeof(name), "raw_%03d", idx);
		int rc = write_file(dir, name, raw, 2 + prog.bf_len * 8, frame, flen);
		pcap_freecode(&prog);
		if (rc)
			return 1;
	}
	pcap_close(pd);
	fclose(f);
	for (int i = 0; i < nnames; i++)
		free(names[i]);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "frames"))
		return frames(argv[2], atol(argv[3]), argv + 4, argc - 4);
	if (argc == 5 && !strcmp(argv[1], "filters"))
		return filters(argv[2], argv[3], argv[4]);
	fprintf(stderr, "usage: seedgen frames OUTDIR MAX FILE... | filters OUTDIR EXPRFILE FRAMEDIR\n");
	return 1;
}
