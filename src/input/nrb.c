// SPDX-License-Identifier: BSD-3-Clause
/* Name Resolution Block records (see nrb.h).
 * specification: draft-ietf-opsawg-pcapng-02 §4.5 (records: type, value length, value padded
 * to 32 bits; nrb_record_ipv4 = 1: 4 address bytes then NUL-terminated names, nrb_record_ipv6 =
 * 2: 16 address bytes then names, nrb_record_end = 0). */
#include <string.h>

#include "cursor.h"
#include "nrb.h"

enum { NRB_END = 0, NRB_IPV4 = 1, NRB_IPV6 = 2 };

static uint16_t rd16(struct cursor *c, bool swap)
{
	const uint8_t *p = cur_bytes(c, 2);
	uint16_t v = 0;

	if (p)
		memcpy(&v, p, 2);
	return swap ? (uint16_t)(v >> 8 | v << 8) : v;
}

/* One address record's value into rec; false if it names nothing usable. */
static bool record(const uint8_t *v, size_t len, uint8_t ver, struct name_rec *rec)
{
	size_t alen = ver == 6 ? 16 : 4;
	const uint8_t *name = v + alen;
	const uint8_t *end;

	if (len <= alen)
		return false;
	end = memchr(name, 0, len - alen);
	if (!end || end == name || (size_t)(end - name) >= sizeof(rec->name))
		return false;
	memset(rec, 0, sizeof(*rec));
	rec->ver = ver;
	memcpy(rec->addr, v, alen);
	memcpy(rec->name, name, (size_t)(end - name));
	return true;
}

size_t nrb_parse(const uint8_t *body, size_t len, bool swap, struct name_rec *out, size_t max)
{
	struct cursor c = cur_init(body, len);
	size_t n = 0;

	while (n < max && cur_left(&c) >= 4) {
		uint16_t type = rd16(&c, swap), vlen = rd16(&c, swap);
		const uint8_t *v = cur_bytes(&c, vlen);

		if (type == NRB_END || !v)
			break;
		cur_skip(&c, (4 - vlen % 4) % 4);	/* the padding; the last may lack it */
		if ((type == NRB_IPV4 && record(v, vlen, 4, &out[n])) ||
		    (type == NRB_IPV6 && record(v, vlen, 6, &out[n])))
			n++;
	}
	return n;
}
