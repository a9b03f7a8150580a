// SPDX-License-Identifier: BSD-3-Clause
/* Name Resolution Block records (src/input/nrb.c) from bytes laid out by hand after
 * draft-ietf-opsawg-pcapng-02 §4.5: type and value length (16 bits each, the section's byte
 * order), the value padded to 32 bits; IPv4 = 1 (4 address bytes, then NUL-terminated names),
 * IPv6 = 2 (16 bytes, then names), end = 0, then the block's options. */
#include <string.h>

#include "check.h"
#include "nrb.h"

/* little-endian section: an IPv4 record with a name and an alias (value 4 + 13 + 9 = 26 bytes,
 * 2 bytes of padding), an IPv6 record (16 + 12 = 28), a record of an unknown type (skipped), an
 * IPv4 record with an empty name (skipped), the end record, an opt_comment option */
static const uint8_t le_block[] = {
	0x01, 0x00, 26, 0x00, 192, 0, 2, 10, 'w', 'e', 'b', '.', 'l', 'a', 'b', '.', 't', 'e',
	's', 't', 0, 'a', 'l', 'i', 'a', 's', '.', 'x', 'y', 0, 0, 0,
	0x02, 0x00, 28, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
	'v', '6', '.', 'l', 'a', 'b', '.', 't', 'e', 's', 't', 0,
	0x09, 0x00, 4, 0x00, 1, 2, 3, 4,
	0x01, 0x00, 5, 0x00, 192, 0, 2, 11, 0, 0, 0, 0,
	0x00, 0x00, 0x00, 0x00,
	0x01, 0x00, 4, 0x00, 'n', 'o', 't', 'e',
};

/* big-endian section, the last record without its padding at the end of the body */
static const uint8_t be_block[] = {
	0x00, 0x01, 0x00, 7, 198, 51, 100, 2, 'a', '.', 0,
};

int main(void)
{
	struct name_rec recs[8];
	size_t n;

	n = nrb_parse(le_block, sizeof(le_block), false, recs, 8);
	CHECK_INT(n, 2, "nrb_le_records");
	CHECK_INT(recs[0].ver, 4, "nrb_v4_ver");
	CHECK(!memcmp(recs[0].addr, (const uint8_t[]){ 192, 0, 2, 10 }, 4), "nrb_v4_addr");
	CHECK_STR(recs[0].name, "web.lab.test", "nrb_v4_first_name");
	CHECK_INT(recs[1].ver, 6, "nrb_v6_ver");
	CHECK(recs[1].addr[0] == 0x20 && recs[1].addr[15] == 0x10, "nrb_v6_addr");
	CHECK_STR(recs[1].name, "v6.lab.test", "nrb_v6_name");

	CHECK_INT(nrb_parse(le_block, sizeof(le_block), false, recs, 1), 1, "nrb_max_respected");
	/* cut inside the IPv6 record: the IPv4 one only */
	CHECK_INT(nrb_parse(le_block, 40, false, recs, 8), 1, "nrb_truncated_record_dropped");
	/* a name without its terminating NUL inside the record */
	uint8_t unterminated[] = { 0x01, 0x00, 6, 0x00, 10, 0, 0, 1, 'a', 'b', 0, 0 };
	CHECK_INT(nrb_parse(unterminated, sizeof(unterminated), false, recs, 8), 0,
		  "nrb_unterminated_name_dropped");

	n = nrb_parse(be_block, sizeof(be_block), true, recs, 8);
	CHECK_INT(n, 1, "nrb_be_record");
	CHECK_STR(n ? recs[0].name : "", "a.", "nrb_be_name");
	CHECK(n && recs[0].addr[0] == 198 && recs[0].addr[3] == 2, "nrb_be_addr");
	CHECK_INT(nrb_parse(be_block, 0, true, recs, 8), 0, "nrb_empty_body");
	return CHECK_EXIT();
}
