// SPDX-License-Identifier: BSD-3-Clause
/* Deterministic capture-file mutator for the malformed-input campaign
 * (tests/e2e/test_robust_mutate.sh):
 *	mutate SEED COUNT OUTDIR FILE...
 * writes COUNT files OUTDIR/mNNNNNN-STRATEGY, each a copy of one input FILE (round robin)
 * damaged by one or more of: byte flips, truncation, length-field lies (pcap record caplen/len,
 * pcapng block total length at either end, option lengths), block/record duplication,
 * zero-length blocks, interesting 32-bit values. The same SEED gives the same files.
 * Structure-aware strategies walk the file as pcap records or pcapng blocks (either byte
 * order) as far as it parses, so the lies land on real length fields. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INPUT	(4u << 20)
#define MAX_UNITS	4096

struct buf {
	uint8_t *d;
	size_t len, cap;
};

/* a record (pcap, after the 24-byte header) or a block (pcapng): offset and length */
struct unit {
	size_t off, len;
};

static uint64_t rng_state;

static uint64_t rnd(void)	/* xorshift64* */
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

static size_t rnd_below(size_t n)
{
	return n ? (size_t)(rnd() % n) : 0;
}

static void reserve(struct buf *b, size_t extra)
{
	if (b->len + extra <= b->cap)
		return;
	b->cap = (b->len + extra) * 2;
	b->d = realloc(b->d, b->cap);
	if (!b->d) {
		perror("mutate");
		exit(1);
	}
}

static void insert(struct buf *b, size_t at, const uint8_t *src, size_t n)
{
	reserve(b, n);
	memmove(b->d + at + n, b->d + at, b->len - at);
	memcpy(b->d + at, src, n);
	b->len += n;
}

static uint32_t get32(const uint8_t *p, bool swap)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

static void put32(uint8_t *p, uint32_t v, bool swap)
{
	if (swap)
		v = __builtin_bswap32(v);
	memcpy(p, &v, 4);
}

/* Splits the file into records/blocks. Returns the count; *swap tells the byte order. */
static size_t split(const struct buf *b, struct unit *u, bool *swap, bool *ng)
{
	size_t n = 0, off;
	uint32_t magic;

	*swap = false;
	*ng = false;
	if (b->len < 24)
		return 0;
	memcpy(&magic, b->d, 4);
	if (magic == 0x0A0D0D0A) {
		*ng = true;
		*swap = get32(b->d + 8, false) != 0x1A2B3C4D;
		for (off = 0; off + 12 <= b->len && n < MAX_UNITS; n++) {
			if (get32(b->d + off, false) == 0x0A0D0D0A)
				*swap = get32(b->d + off + 8, false) != 0x1A2B3C4D;
			uint32_t len = get32(b->d + off + 4, *swap);
			if (len < 12 || len > b->len - off)
				break;
			u[n] = (struct unit){ off, len };
			off += len;
		}
		return n;
	}
	bool kuz = magic == 0xa1b2cd34 || magic == 0x34cdb2a1;
	*swap = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1 || magic == 0x34cdb2a1;
	size_t hdr = kuz ? 24 : 16;
	for (off = 24; off + hdr <= b->len && n < MAX_UNITS; n++) {
		uint32_t caplen = get32(b->d + off + 8, *swap);
		if (caplen > b->len - off - hdr)
			break;
		u[n] = (struct unit){ off, hdr + caplen };
		off += hdr + caplen;
	}
	return n;
}

static const uint32_t interesting[] = {
	0, 1, 4, 7, 8, 11, 12, 16, 28, 32, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0x40000,
	0x7fffffff, 0x80000000, 0xfffffff0, 0xfffffffc, 0xffffffff, 0x0fffffff, 256u << 20,
};

static uint32_t lie(uint32_t truth)
{
	switch (rnd_below(4)) {
	case 0: return truth + 1;
	case 1: return truth - 1 - (uint32_t)rnd_below(8);
	case 2: return truth + 4 * (uint32_t)(1 + rnd_below(4));
	default: return interesting[rnd_below(sizeof(interesting) / sizeof(interesting[0]))];
	}
}

static const char *mutate_once(struct buf *b)
{
	struct unit u[MAX_UNITS];
	bool swap, ng;
	size_t n = split(b, u, &swap, &ng);

	switch (rnd_below(8)) {
	case 0:	/* flips */
		for (int i = 0, k = 1 + (int)rnd_below(8); i < k && b->len; i++)
			b->d[rnd_below(b->len)] ^= (uint8_t)(1u << rnd_below(8));
		return "flip";
	case 1:	/* truncation */
		b->len = rnd_below(b->len + 1);
		return "trunc";
	case 2: {	/* length lie */
		if (!n)
			break;
		struct unit *x = &u[rnd_below(n)];
		if (ng) {
			size_t at = rnd_below(2) ? x->off + 4 : x->off + x->len - 4;
			put32(b->d + at, lie(get32(b->d + at, swap)), swap);
		} else {
			size_t at = x->off + (rnd_below(2) ? 8 : 12);	/* caplen or len */
			put32(b->d + at, lie(get32(b->d + at, swap)), swap);
		}
		return "lenlie";
	}
	case 3: {	/* option/inner length lie: a 16-bit field inside a block */
		if (!n || !ng)
			break;
		struct unit *x = &u[rnd_below(n)];
		if (x->len < 16)
			break;
		size_t at = x->off + 8 + 2 * rnd_below((x->len - 12) / 2);
		uint16_t v = (uint16_t)lie((uint32_t)b->d[at] | (uint32_t)b->d[at + 1] << 8);
		memcpy(b->d + at, &v, 2);
		return "optlie";
	}
	case 4: {	/* duplicate a record/block (the SHB or IDB too) */
		if (!n)
			break;
		struct unit *x = &u[rnd_below(n)];
		size_t len = x->len;
		uint8_t *copy = malloc(len);
		memcpy(copy, b->d + x->off, len);
		insert(b, rnd_below(2) ? x->off : x->off + len, copy, len);
		free(copy);
		return "dup";
	}
	case 5: {	/* zero-length / empty block or record */
		uint8_t z[28] = { 0 };
		size_t at = n ? u[rnd_below(n)].off : (b->len < 24 ? b->len : 24), zl;
		if (ng) {
			uint32_t type = (uint32_t[]){ 6, 1, 3, 2, 5, 0x0A0D0D0A, 0 }[rnd_below(7)];
			uint32_t len = rnd_below(2) ? 0 : 12;
			put32(z, type, swap);
			put32(z + 4, len, swap);
			put32(z + 8, len, swap);
			zl = 12;
		} else {
			zl = 16;	/* timestamp 0, caplen 0, len 0 or a lie */
			put32(z + 12, rnd_below(2) ? 0 : lie(60), swap);
		}
		insert(b, at, z, zl);
		return "zeroblk";
	}
	case 6: {	/* an interesting 32-bit value anywhere */
		if (b->len < 4)
			break;
		size_t at = rnd_below(b->len - 3);
		put32(b->d + at, interesting[rnd_below(sizeof(interesting) / sizeof(interesting[0]))],
		      rnd_below(2));
		return "interesting";
	}
	case 7: {	/* drop a record/block: later blocks refer to missing IDBs etc. */
		if (n < 2)
			break;
		struct unit *x = &u[rnd_below(n)];
		memmove(b->d + x->off, b->d + x->off + x->len, b->len - x->off - x->len);
		b->len -= x->len;
		return "drop";
	}
	}
	if (b->len)
		b->d[rnd_below(b->len)] ^= 0xff;
	return "flip";
}

static int read_file(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");

	if (!f) {
		fprintf(stderr, "mutate: %s: %s\n", path, strerror(errno));
		return -1;
	}
	b->len = 0;
	for (size_t got = 1; got && b->len < MAX_INPUT;) {
		reserve(b, 65536);
		got = fread(b->d + b->len, 1, 65536, f);
		b->len += got;
	}
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: mutate SEED COUNT OUTDIR FILE...\n");
		return 1;
	}
	uint64_t seed = strtoull(argv[1], NULL, 0);
	long count = atol(argv[2]);
	int nin = argc - 4;
	struct buf *in = calloc((size_t)nin, sizeof(*in)), out = { 0 };

	for (int i = 0; i < nin; i++)
		if (read_file(argv[4 + i], &in[i]))
			return 1;
	for (long k = 0; k < count; k++) {
		const struct buf *src = &in[k % nin];
		char path[4096], tag[64] = "";
		FILE *f;

		rng_state = (seed + 1) * 0x9E3779B97F4A7C15ull ^ (uint64_t)k * 0xD1B54A32D192ED03ull;
		rnd();
		out.len = 0;
		reserve(&out, src->len);
		memcpy(out.d, src->d, src->len);
		out.len = src->len;
		for (int m = 0, nm = 1 + (int)rnd_below(3); m < nm; m++) {
			const char *what = mutate_once(&out);
			if (strlen(tag) + strlen(what) + 2 < sizeof(tag))
				snprintf(tag + strlen(tag), sizeof(tag) - strlen(tag), "%s%s",
					 m ? "+" : "", what);
		}
		snprintf(path, sizeof(path), "%s/m%06ld-%s", argv[3], k, tag);
		f = fopen(path, "wb");
		if (!f || fwrite(out.d, 1, out.len, f) != out.len || fclose(f)) {
			fprintf(stderr, "mutate: %s: %s\n", path, strerror(errno));
			return 1;
		}
	}
	for (int i = 0; i < nin; i++)
		free(in[i].d);
	free(in);
	free(out.d);
	return 0;
}
