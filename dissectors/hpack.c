// SPDX-License-Identifier: BSD-3-Clause
/* HPACK decoding (see hpack.h).
 * specification: RFC 7541 §2.3, §4, §5.1 (integers), §5.2 (strings), §6, Appendices A and B. */
#include <stdlib.h>
#include <string.h>

#include "hpack.h"
#include "util.h"

#define ENTRY_OVERHEAD	32		/* RFC 7541 §4.1 */
#define INT_MAX_VALUE	(1u << 28)	/* larger integers are refused, not wrapped */

/* Appendix A: the static table, index 1 to 61. */
static const struct { const char *name, *value; } static_table[] = {
	{ ":authority", "" }, { ":method", "GET" }, { ":method", "POST" }, { ":path", "/" },
	{ ":path", "/index.html" }, { ":scheme", "http" }, { ":scheme", "https" },
	{ ":status", "200" }, { ":status", "204" }, { ":status", "206" }, { ":status", "304" },
	{ ":status", "400" }, { ":status", "404" }, { ":status", "500" }, { "accept-charset", "" },
	{ "accept-encoding", "gzip, deflate" }, { "accept-language", "" },
	{ "accept-ranges", "" }, { "accept", "" }, { "access-control-allow-origin", "" },
	{ "age", "" }, { "allow", "" }, { "authorization", "" }, { "cache-control", "" },
	{ "content-disposition", "" }, { "content-encoding", "" }, { "content-language", "" },
	{ "content-length", "" }, { "content-location", "" }, { "content-range", "" },
	{ "content-type", "" }, { "cookie", "" }, { "date", "" }, { "etag", "" },
	{ "expect", "" }, { "expires", "" }, { "from", "" }, { "host", "" }, { "if-match", "" },
	{ "if-modified-since", "" }, { "if-none-match", "" }, { "if-range", "" },
	{ "if-unmodified-since", "" }, { "last-modified", "" }, { "link", "" },
	{ "location", "" }, { "max-forwards", "" }, { "proxy-authenticate", "" },
	{ "proxy-authorization", "" }, { "range", "" }, { "referer", "" }, { "refresh", "" },
	{ "retry-after", "" }, { "server", "" }, { "set-cookie", "" },
	{ "strict-transport-security", "" }, { "transfer-encoding", "" }, { "user-agent", "" },
	{ "vary", "" }, { "via", "" }, { "www-authenticate", "" },
};

#define STATIC_N ((uint32_t)(sizeof(static_table) / sizeof(static_table[0])))

/* Appendix B is a canonical Huffman code: codes of one length are consecutive, in symbol order,
 * and each length's first code follows the last code of the length before. So the table is
 * fully given by how many codes each length has and the symbols in code order (both read off
 * Appendix B; tests/unit/test_hpack.c checks Appendix C's Huffman-coded strings). */
static const uint8_t huff_count[31] = {
	0, 0, 0, 0, 0, 10, 26, 32, 6, 0, 5, 3, 2, 6, 2, 3, 0, 0, 0, 3, 8, 13, 26, 29, 12, 4, 15,
	19, 29, 0, 4,
};

static const uint16_t huff_symbol[257] = {
	48, 49, 50, 97, 99, 101, 105, 111, 115, 116, 32, 37, 45, 46, 47, 51,
	52, 53, 54, 55, 56, 57, 61, 65, 95, 98, 100, 102, 103, 104, 108, 109,
	110, 112, 114, 117, 58, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76,
	77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 89, 106, 107, 113, 118,
	119, 120, 121, 122, 38, 42, 44, 59, 88, 90, 33, 34, 40, 41, 63, 39,
	43, 124, 35, 62, 0, 36, 64, 91, 93, 126, 94, 125, 60, 96, 123, 92,
	195, 208, 128, 130, 131, 162, 184, 194, 224, 226, 153, 161, 167, 172, 176, 177,
	179, 209, 216, 217, 227, 229, 230, 129, 132, 133, 134, 136, 146, 154, 156, 160,
	163, 164, 169, 170, 173, 178, 181, 185, 186, 187, 189, 190, 196, 198, 228, 232,
	233, 1, 135, 137, 138, 139, 140, 141, 143, 147, 149, 150, 151, 152, 155, 157,
	158, 165, 166, 168, 174, 175, 180, 182, 183, 188, 191, 197, 231, 239, 9, 142,
	144, 145, 148, 159, 171, 206, 215, 225, 236, 237, 199, 207, 234, 235, 192, 193,
	200, 201, 202, 205, 210, 213, 218, 219, 238, 240, 242, 243, 255, 203, 204, 211,
	212, 214, 221, 222, 223, 241, 244, 245, 246, 247, 248, 250, 251, 252, 253, 254,
	2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 16, 17, 18, 19, 20,
	21, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127, 220, 249, 10, 13, 22,
	256,
};

#define HUFF_EOS	256

long hpack_huffman_decode(const uint8_t *src, size_t len, uint8_t *out, size_t out_cap)
{
	int32_t code = 0, first = 0, index = 0;
	unsigned bits = 0;		/* of the symbol being read */
	bool all_ones = true;		/* those bits are a prefix of EOS (valid padding) */
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		for (int b = 7; b >= 0; b--) {
			int bit = src[i] >> b & 1;

			code |= bit;
			all_ones = all_ones && bit;
			bits++;
			int32_t count = huff_count[bits];
			if (code - first < count) {
				uint16_t sym = huff_symbol[index + code - first];

				if (sym == HUFF_EOS || n == out_cap)
					return -1;	/* §5.2: EOS in a string is an error */
				out[n++] = (uint8_t)sym;
				code = first = index = 0;
				bits = 0;
				all_ones = true;
				continue;
			}
			if (bits == 30)
				return -1;
			index += count;
			first = (first + count) << 1;
			code <<= 1;
		}
	}
	/* §5.2: padding is fewer than 8 bits, the most significant bits of EOS (all ones) */
	if (bits > 7 || !all_ones)
		return -1;
	return (long)n;
}

/* §5.1: an integer with an N-bit prefix; the first byte's other bits are the caller's. */
static bool read_int(const uint8_t **p, const uint8_t *end, unsigned prefix, uint32_t *out)
{
	uint32_t max = (1u << prefix) - 1, v, shift = 0;

	if (*p >= end)
		return false;
	v = *(*p)++ & max;
	if (v < max) {
		*out = v;
		return true;
	}
	for (;;) {
		if (*p >= end || shift > 21)
			return false;
		uint8_t b = *(*p)++;
		v += (uint32_t)(b & 0x7f) << shift;
		shift += 7;
		if (v > INT_MAX_VALUE)
			return false;
		if (!(b & 0x80))
			break;
	}
	*out = v;
	return true;
}

enum str_rc { STR_OK, STR_SKIPPED, STR_BAD };

/* §5.2: a string literal, plain (pointing into the block) or Huffman-decoded into out
 * (HPACK_STR_MAX bytes). Longer than HPACK_STR_MAX: skipped. */
static enum str_rc read_string(const uint8_t **p, const uint8_t *end, uint8_t *out,
			       const uint8_t **s, size_t *s_len)
{
	bool huff;
	uint32_t len;

	if (*p >= end)
		return STR_BAD;
	huff = **p & 0x80;
	if (!read_int(p, end, 7, &len) || len > (size_t)(end - *p))
		return STR_BAD;
	const uint8_t *raw = *p;
	*p += len;
	if (!huff) {
		if (len > HPACK_STR_MAX)
			return STR_SKIPPED;
		*s = raw;
		*s_len = len;
		return STR_OK;
	}
	long n = hpack_huffman_decode(raw, len, out, HPACK_STR_MAX);
	if (n < 0)	/* an invalid code, or longer than we keep: the latter is only a guess */
		return len * 8 / 5 > HPACK_STR_MAX ? STR_SKIPPED : STR_BAD;
	*s = out;
	*s_len = (size_t)n;
	return STR_OK;
}

void hpack_init(struct hpack_dec *d)
{
	memset(d, 0, sizeof(*d));
	d->limit = d->max_size = HPACK_DEFAULT_SIZE;
}

void hpack_free(struct hpack_dec *d)
{
	free(d->buf);
	free(d->ent);
	hpack_init(d);
}

static struct hpack_entry *entry_at(const struct hpack_dec *d, uint32_t i)	/* 0 = oldest */
{
	return &d->ent[(d->ent_head + i) % d->ent_cap];
}

static void evict_oldest(struct hpack_dec *d)
{
	struct hpack_entry *e = entry_at(d, 0);

	d->size -= e->name_len + e->value_len + ENTRY_OVERHEAD;
	d->buf_start = e->off + e->name_len + e->value_len;
	d->ent_head = (d->ent_head + 1) % d->ent_cap;
	if (--d->ent_n == 0)
		d->ent_head = d->buf_start = d->buf_end = 0;
}

/* §4.3: evicts until the table fits max. */
static void shrink_to(struct hpack_dec *d, uint32_t max)
{
	while (d->ent_n && d->size > max)
		evict_oldest(d);
}

void hpack_set_limit(struct hpack_dec *d, uint32_t limit)
{
	d->limit = limit < HPACK_SIZE_LIMIT ? limit : HPACK_SIZE_LIMIT;
	if (d->max_size > d->limit) {
		d->max_size = d->limit;
		shrink_to(d, d->max_size);
	}
}

/* Room for one more entry of need bytes: entries ring and byte buffer, both grown up to what
 * limit allows (live bytes never exceed max_size <= limit). */
static void make_room(struct hpack_dec *d, uint32_t need)
{
	if (d->ent_n == d->ent_cap) {
		uint32_t cap = d->ent_cap ? 2 * d->ent_cap : 16;
		struct hpack_entry *ent = xmalloc(cap * sizeof(*ent));

		for (uint32_t i = 0; i < d->ent_n; i++)
			ent[i] = *entry_at(d, i);
		free(d->ent);
		d->ent = ent;
		d->ent_cap = cap;
		d->ent_head = 0;
	}
	uint32_t live = d->buf_end - d->buf_start;
	if (d->buf_end + need <= d->buf_cap)
		return;
	if (live + need > d->buf_cap) {
		uint32_t cap = d->buf_cap ? d->buf_cap : 256;

		while (cap < live + need)
			cap *= 2;
		d->buf = xrealloc(d->buf, cap);
		d->buf_cap = cap;
	}
	memmove(d->buf, d->buf + d->buf_start, live);
	for (uint32_t i = 0; i < d->ent_n; i++)
		entry_at(d, i)->off -= d->buf_start;
	d->buf_start = 0;
	d->buf_end = live;
}

/* §4.4: name and value must not point into the table (an eviction may free them). */
static void table_add(struct hpack_dec *d, const uint8_t *name, size_t name_len,
		      const uint8_t *value, size_t value_len)
{
	uint32_t bytes = (uint32_t)(name_len + value_len);

	if (bytes + ENTRY_OVERHEAD > d->max_size) {
		shrink_to(d, 0);	/* larger than the table: it empties it */
		return;
	}
	shrink_to(d, d->max_size - bytes - ENTRY_OVERHEAD);
	make_room(d, bytes ? bytes : 1);	/* an empty entry too: buf is never NULL below */
	struct hpack_entry *e = &d->ent[(d->ent_head + d->ent_n) % d->ent_cap];
	e->off = d->buf_end;
	e->name_len = (uint32_t)name_len;
	e->value_len = (uint32_t)value_len;
	memcpy(d->buf + d->buf_end, name, name_len);
	memcpy(d->buf + d->buf_end + name_len, value, value_len);
	d->buf_end += bytes;
	d->ent_n++;
	d->size += bytes + ENTRY_OVERHEAD;
}

/* §2.3.3: index 1..61 static, 62.. dynamic (62 the newest). False for an index not there. */
static bool lookup(const struct hpack_dec *d, uint32_t index, struct hpack_field *f)
{
	if (index == 0)
		return false;
	if (index <= STATIC_N) {
		f->name = (const uint8_t *)static_table[index - 1].name;
		f->name_len = strlen(static_table[index - 1].name);
		f->value = (const uint8_t *)static_table[index - 1].value;
		f->value_len = strlen(static_table[index - 1].value);
		return true;
	}
	uint32_t j = index - STATIC_N - 1;
	if (j >= d->ent_n)
		return false;
	const struct hpack_entry *e = entry_at(d, d->ent_n - 1 - j);
	f->name = d->buf + e->off;
	f->name_len = e->name_len;
	f->value = d->buf + e->off + e->name_len;
	f->value_len = e->value_len;
	return true;
}

/* §6.2: a literal field; prefix is 6 (incremental indexing) or 4 (without / never indexed). */
static int literal(struct hpack_dec *d, const uint8_t **p, const uint8_t *end, unsigned prefix,
		   uint8_t *scratch, hpack_field_fn fn, void *arg)
{
	struct hpack_field f = { 0 };
	bool indexing = prefix == 6;
	uint32_t index;
	enum str_rc rc;

	if (!read_int(p, end, prefix, &index))
		return -1;
	if (index) {
		if (!lookup(d, index, &f))
			return -1;
		if (index > STATIC_N) {	/* a dynamic name: copy it out of the table */
			if (f.name_len > HPACK_STR_MAX)
				return -1;
			memcpy(scratch, f.name, f.name_len);
			f.name = scratch;
		}
	} else if (read_string(p, end, scratch, &f.name, &f.name_len) != STR_OK) {
		return -1;
	}
	rc = read_string(p, end, scratch + HPACK_STR_MAX, &f.value, &f.value_len);
	if (rc == STR_BAD || (rc == STR_SKIPPED && indexing))
		return -1;
	if (rc == STR_SKIPPED) {
		f.value = f.name;
		f.value_len = 0;
		f.value_skipped = true;
	}
	fn(arg, &f);
	if (indexing)
		table_add(d, f.name, f.name_len, f.value, f.value_len);
	return 0;
}

int hpack_decode(struct hpack_dec *d, const uint8_t *block, size_t len, uint8_t *scratch,
		 hpack_field_fn fn, void *arg)
{
	const uint8_t *p = block, *end = block + len;

	while (p < end) {
		uint8_t b = *p;
		uint32_t v;

		if (b & 0x80) {				/* §6.1 indexed */
			struct hpack_field f = { 0 };

			if (!read_int(&p, end, 7, &v) || !lookup(d, v, &f))
				return -1;
			fn(arg, &f);
		} else if (b & 0x40) {			/* §6.2.1 incremental indexing */
			if (literal(d, &p, end, 6, scratch, fn, arg))
				return -1;
		} else if (b & 0x20) {			/* §6.3 dynamic table size update */
			if (!read_int(&p, end, 5, &v) || v > d->limit)
				return -1;
			d->max_size = v;
			shrink_to(d, v);
		} else if (literal(d, &p, end, 4, scratch, fn, arg)) {	/* §6.2.2, §6.2.3 */
			return -1;
		}
	}
	return 0;
}
