// SPDX-License-Identifier: BSD-3-Clause
/* HPACK decoder against RFC 7541 Appendix C: C.2 (one field of each representation), C.3 and
 * C.4 (three requests sharing a dynamic table, plain and Huffman-coded), C.5 and C.6 (three
 * responses with a 256-byte table that evicts, plain and Huffman-coded): the decoded header
 * lists and the table sizes the RFC gives after each block. Then Huffman codes read off
 * Appendix B, and malformed blocks that must fail without reading past their end. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "hpack.h"

#define LIST_MAX 2048

struct list {
	char text[LIST_MAX];
	size_t n;
};

static void collect(void *arg, const struct hpack_field *f)
{
	struct list *l = arg;

	l->n += (size_t)snprintf(l->text + l->n, LIST_MAX - l->n, "%.*s: %.*s\n",
				 (int)f->name_len, (const char *)f->name, (int)f->value_len,
				 (const char *)f->value);
}

static size_t unhex(const char *s, uint8_t *out)
{
	size_t n = 0;

	while (*s) {
		if (*s == ' ') {
			s++;
			continue;
		}
		unsigned v;
		sscanf(s, "%2x", &v);
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

static uint8_t scratch[HPACK_SCRATCH];

/* Decodes hex into a list; -1 on a decode error. */
static int decode(struct hpack_dec *d, const char *hex, struct list *l)
{
	uint8_t block[512];
	size_t n = unhex(hex, block);

	memset(l, 0, sizeof(*l));
	return hpack_decode(d, block, n, scratch, collect, l);
}

static void check_block(struct hpack_dec *d, const char *name, const char *hex,
			const char *want, uint32_t want_size)
{
	struct list l;
	char tname[96];
	int rc = decode(d, hex, &l);

	snprintf(tname, sizeof(tname), "hpack_%s_decodes", name);
	CHECK_INT(rc, 0, tname);
	snprintf(tname, sizeof(tname), "hpack_%s_headers", name);
	CHECK_STR(l.text, want, tname);
	snprintf(tname, sizeof(tname), "hpack_%s_table_size", name);
	CHECK_INT(d->size, want_size, tname);
}

static const char *req1 = ":method: GET\n:scheme: http\n:path: /\n:authority: www.example.com\n";
static const char *req2 = ":method: GET\n:scheme: http\n:path: /\n:authority: www.example.com\n"
			  "cache-control: no-cache\n";
static const char *req3 = ":method: GET\n:scheme: https\n:path: /index.html\n"
			  ":authority: www.example.com\ncustom-key: custom-value\n";
static const char *resp1 = ":status: 302\ncache-control: private\n"
			   "date: Mon, 21 Oct 2013 20:13:21 GMT\nlocation: https://www.example.com\n";
static const char *resp2 = ":status: 307\ncache-control: private\n"
			   "date: Mon, 21 Oct 2013 20:13:21 GMT\nlocation: https://www.example.com\n";
static const char *resp3 = ":status: 200\ncache-control: private\n"
			   "date: Mon, 21 Oct 2013 20:13:22 GMT\nlocation: https://www.example.com\n"
			   "content-encoding: gzip\n"
			   "set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1\n";

static void test_c2(void)
{
	struct hpack_dec d;

	hpack_init(&d);
	check_block(&d, "c2_1_literal_indexed",
		    "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572",
		    "custom-key: custom-header\n", 55);
	hpack_free(&d);
	hpack_init(&d);
	check_block(&d, "c2_2_literal_not_indexed", "040c 2f73 616d 706c 652f 7061 7468",
		    ":path: /sample/path\n", 0);
	check_block(&d, "c2_3_never_indexed", "1008 7061 7373 776f 7264 0673 6563 7265 74",
		    "password: secret\n", 0);
	check_block(&d, "c2_4_indexed", "82", ":method: GET\n", 0);
	hpack_free(&d);
}

static void test_requests(void)
{
	struct hpack_dec d;

	hpack_init(&d);
	check_block(&d, "c3_1", "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d", req1, 57);
	check_block(&d, "c3_2", "8286 84be 5808 6e6f 2d63 6163 6865", req2, 110);
	check_block(&d, "c3_3", "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 "
		    "6c75 65", req3, 164);
	hpack_free(&d);

	hpack_init(&d);
	check_block(&d, "c4_1", "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff", req1, 57);
	check_block(&d, "c4_2", "8286 84be 5886 a8eb 1064 9cbf", req2, 110);
	check_block(&d, "c4_3", "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf",
		    req3, 164);
	hpack_free(&d);
}

static void test_responses(void)
{
	struct hpack_dec d;

	hpack_init(&d);
	hpack_set_limit(&d, 256);
	check_block(&d, "c5_1", "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 "
		    "7420 3230 3133 2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 "
		    "7777 2e65 7861 6d70 6c65 2e63 6f6d", resp1, 222);
	check_block(&d, "c5_2", "4803 3330 37c1 c0bf", resp2, 222);
	check_block(&d, "c5_3", "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 "
		    "3a32 3220 474d 54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a "
		    "584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 "
		    "303b 2076 6572 7369 6f6e 3d31", resp3, 215);
	CHECK_INT(d.ent_n, 3, "hpack_c5_3_entries");
	hpack_free(&d);

	hpack_init(&d);
	hpack_set_limit(&d, 256);
	check_block(&d, "c6_1", "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 "
		    "0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
		    resp1, 222);
	check_block(&d, "c6_2", "4883 640e ffc1 c0bf", resp2, 222);
	check_block(&d, "c6_3", "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff "
		    "c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 "
		    "72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07", resp3, 215);
	hpack_free(&d);
}

/* Single symbols coded with Appendix B's codes (MSB first, padded with ones). */
static void test_huffman_codes(void)
{
	static const struct { uint32_t code; unsigned bits; uint8_t sym; } codes[] = {
		{ 0x1ff8, 13, 0 }, { 0x7fffd8, 23, 1 }, { 0x3ffffffc, 30, 10 }, { 0x14, 6, ' ' },
		{ 0x0, 5, '0' }, { 0x7fff0, 19, '\\' }, { 0xffffffc, 28, 127 },
		{ 0xfffe6, 20, 128 }, { 0x1fffdc, 21, 153 }, { 0x1ffffec, 25, 199 },
		{ 0x7ffffde, 27, 203 }, { 0xffffffd, 28, 220 }, { 0x3ffffee, 26, 255 },
	};
	int bad = 0;

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		uint8_t in[5], out[4];
		unsigned bytes = (codes[i].bits + 7) / 8, pad = bytes * 8 - codes[i].bits;
		uint64_t v = ((uint64_t)codes[i].code << pad) | ((1u << pad) - 1);

		for (unsigned b = 0; b < bytes; b++)
			in[b] = (uint8_t)(v >> (8 * (bytes - 1 - b)));
		long n = hpack_huffman_decode(in, bytes, out, sizeof(out));
		if (n != 1 || out[0] != codes[i].sym) {
			printf("# symbol %u: decoded %ld bytes\n", codes[i].sym, n);
			bad++;
		}
	}
	CHECK_INT(bad, 0, "hpack_huffman_appendix_b_codes");
	/* EOS (30 ones) in a string, and padding of 8 bits or of zeros, are errors (§5.2) */
	uint8_t eos[4] = { 0xff, 0xff, 0xff, 0xfc }, out[8];
	CHECK_INT(hpack_huffman_decode(eos, 4, out, sizeof(out)), -1, "hpack_huffman_eos_rejected");
	uint8_t long_pad[2] = { 0x1f, 0xff };	/* 'a' (00011) then 11 one bits */
	CHECK_INT(hpack_huffman_decode(long_pad, 2, out, sizeof(out)), -1, "hpack_huffman_long_padding");
	uint8_t zero_pad[1] = { 0x18 };		/* 'a' then 000 */
	CHECK_INT(hpack_huffman_decode(zero_pad, 1, out, sizeof(out)), -1, "hpack_huffman_zero_padding");
}

static void test_malformed(void)
{
	static const char *const bad[] = {
		"80",				/* index 0 */
		"be",				/* dynamic index with an empty table */
		"ff ff ff ff 7f",		/* integer past 2^28 */
		"40 7f ff ff ff 0f 61",		/* literal longer than the block */
		"40 ff 7f 61",			/* Huffman string longer than the block */
		"3f e1 ff 03",			/* size update above the limit */
		"41",				/* literal cut before its value */
		"40 01",			/* name cut */
	};
	int fails = 0;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct hpack_dec d;
		struct list l;

		hpack_init(&d);
		if (decode(&d, bad[i], &l) != -1) {
			printf("# accepted: %s\n", bad[i]);
			fails++;
		}
		hpack_free(&d);
	}
	CHECK_INT(fails, 0, "hpack_malformed_blocks_rejected");
}

int main(void)
{
	test_c2();
	test_requests();
	test_responses();
	test_huffman_codes();
	test_malformed();
	return CHECK_EXIT();
}
