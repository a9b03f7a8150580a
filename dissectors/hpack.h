// SPDX-License-Identifier: BSD-3-Clause
/* HPACK header block decoding for HTTP/2 (dissectors/http2.c): integers, string literals with
 * Huffman coding, the static table and a bounded dynamic table.
 * specification: RFC 7541 §2.3 (tables), §4 (table size and eviction), §5 (primitives),
 * §6 (field representations), Appendix A (static table), Appendix B (Huffman code). */
#ifndef PROCAP_HPACK_H
#define PROCAP_HPACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HPACK_DEFAULT_SIZE	4096		/* SETTINGS_HEADER_TABLE_SIZE's initial value */
#define HPACK_SIZE_LIMIT	65536		/* largest dynamic table procap keeps */
#define HPACK_STR_MAX		16384		/* longest string decoded; longer ones are skipped
						   (an entry that must be stored makes an error) */
#define HPACK_SCRATCH		(2 * HPACK_STR_MAX)

struct hpack_field {
	const uint8_t *name, *value;
	size_t name_len, value_len;
	bool value_skipped;			/* longer than HPACK_STR_MAX: value_len is 0 */
};

/* One direction's decoder: its dynamic table (grown as entries arrive, at most limit bytes of
 * names and values plus the entry list). */
struct hpack_dec {
	uint32_t limit;		/* what the decoding side allows (its SETTINGS_HEADER_TABLE_SIZE) */
	uint32_t max_size;	/* the encoder's current maximum, <= limit */
	uint32_t size;		/* RFC 7541 §4.1 size: names + values + 32 per entry */
	uint8_t *buf;		/* entry bytes (name then value), oldest first from buf_start */
	uint32_t buf_start, buf_end, buf_cap;
	struct hpack_entry { uint32_t off, name_len, value_len; } *ent;	/* ring, oldest first */
	uint32_t ent_head, ent_n, ent_cap;
};

typedef void (*hpack_field_fn)(void *arg, const struct hpack_field *f);

void hpack_init(struct hpack_dec *d);
void hpack_free(struct hpack_dec *d);

/* The decoding side's SETTINGS_HEADER_TABLE_SIZE (capped at HPACK_SIZE_LIMIT). */
void hpack_set_limit(struct hpack_dec *d, uint32_t limit);

/* Decodes one complete header block, calling fn for every field in order. scratch:
 * HPACK_SCRATCH bytes (the fields point into it or into the table until fn returns).
 * 0, or -1 on a malformed block or a bound hit (the table is then out of step with the
 * encoder's: the caller stops decoding this direction). */
int hpack_decode(struct hpack_dec *d, const uint8_t *block, size_t len, uint8_t *scratch,
		 hpack_field_fn fn, void *arg);

/* Huffman-decodes src (RFC 7541 §5.2, Appendix B) into out (at most out_cap bytes). Returns the
 * decoded length, or -1 (invalid code, EOS, bad padding, or out_cap too small). */
long hpack_huffman_decode(const uint8_t *src, size_t len, uint8_t *out, size_t out_cap);

#endif
