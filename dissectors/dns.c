// SPDX-License-Identifier: BSD-3-Clause
/* DNS responses: the question name and the A, AAAA and CNAME answers with their TTLs, so the
 * names table (src/sink/names.c) learns which name each address was looked up as. Queries and
 * other record types are claimed (port 53) but report only the header. DNS over TCP is read
 * when the whole message (after its 2-byte length) is in one segment.
 * specification: RFC 1035 §4.1 (message format: header §4.1.1, question §4.1.2, resource
 * record §4.1.3, compression §4.1.4), RFC 3596 §2 (AAAA), RFC 7766 §8 (length over TCP),
 * RFC 6762 §18 (mDNS on port 5353, same format). */
#include <string.h>
#include "dissect.h"

#define DNS_PORT	53
#define MDNS_PORT	5353
#define DNS_HDR_LEN	12
#define DNS_MAX_PTRS	32	/* compression pointers followed per name: stops loops */

#define RR_A		1
#define RR_CNAME	5
#define RR_AAAA		28

/* Reads the (possibly compressed) name at off in msg into out as dotted text, bytes outside
 * 0x21..0x7e escaped as \xNN; returns the offset after the name in the record (not after a
 * pointer's target), 0 when the record's own bytes are malformed or not captured. A name that
 * ends in a bad pointer (a loop, past the message) still has a known length in its record: out
 * then holds what was read and the record is kept, as tshark keeps it. */
static size_t read_name(struct cursor msg, size_t off, char *out, size_t outsz)
{
	size_t n = 0, after = 0;
	int ptrs = 0;

	out[0] = 0;
	for (;;) {
		uint8_t len = cur_at_u8(&msg, off);

		if (!cur_has(&msg, off, 1))
			return after;
		if ((len & 0xc0) == 0xc0) {
			if (!cur_has(&msg, off, 2) || ++ptrs > DNS_MAX_PTRS)
				return after;
			if (!after)
				after = off + 2;
			off = cur_at_be16(&msg, off) & 0x3fff;
			continue;
		}
		if (len & 0xc0)
			return after;	/* 0x40/0x80: extended label types, obsolete */
		if (len == 0)
			break;
		if (!cur_has(&msg, off + 1, len))
			return after;
		if (n && n + 1 < outsz)
			out[n++] = '.';
		for (size_t i = 0; i < len; i++) {
			uint8_t ch = cur_at_u8(&msg, off + 1 + i);

			if (ch > 0x20 && ch < 0x7f) {
				if (n + 1 < outsz)
					out[n++] = (char)ch;
			} else if (n + 4 < outsz) {
				static const char hex[] = "0123456789abcdef";

				out[n++] = '\\';
				out[n++] = 'x';
				out[n++] = hex[ch >> 4];
				out[n++] = hex[ch & 15];
			}
		}
		out[n] = 0;
		off += 1 + (size_t)len;
	}
	if (n == 0 && outsz > 1) {
		out[0] = '.';	/* the root */
		out[1] = 0;
	}
	return after ? after : off + 1;
}

static enum dissect_rc parse_message(struct cursor msg, struct dns_info *d)
{
	size_t off = DNS_HDR_LEN;
	uint16_t qd, an;

	if (!cur_has(&msg, 0, DNS_HDR_LEN))
		return DISSECT_TRUNCATED;
	d->id = cur_at_be16(&msg, 0);
	d->response = cur_at_u8(&msg, 2) & 0x80;
	d->rcode = cur_at_u8(&msg, 3) & 0x0f;
	qd = cur_at_be16(&msg, 4);
	an = cur_at_be16(&msg, 6);
	for (uint16_t i = 0; i < qd; i++) {
		char tmp[DNS_NAME_MAX];

		off = read_name(msg, off, i == 0 ? d->qname : tmp, DNS_NAME_MAX);
		if (!off || !cur_has(&msg, off, 4))
			return DISSECT_TRUNCATED;
		off += 4;	/* QTYPE, QCLASS */
	}
	for (uint16_t i = 0; i < an && d->n_answers < DNS_MAX_ANSWERS; i++) {
		struct dns_answer *a = &d->answers[d->n_answers];
		uint16_t type, rdlen;

		off = read_name(msg, off, a->name, sizeof(a->name));
		if (!off || !cur_has(&msg, off, 10))
			return DISSECT_TRUNCATED;
		type = cur_at_be16(&msg, off);
		a->ttl = cur_at_be32(&msg, off + 4);
		rdlen = cur_at_be16(&msg, off + 8);
		off += 10;
		if (!cur_has(&msg, off, rdlen))
			return DISSECT_TRUNCATED;
		a->type = type;
		if (type == RR_A && rdlen == 4) {
			memcpy(a->addr, cur_at_ptr(&msg, off, 4), 4);
			d->n_answers++;
		} else if (type == RR_AAAA && rdlen == 16) {
			memcpy(a->addr, cur_at_ptr(&msg, off, 16), 16);
			d->n_answers++;
		} else if (type == RR_CNAME && read_name(msg, off, a->cname, sizeof(a->cname))) {
			d->n_answers++;
		}
		off += rdlen;
	}
	return DISSECT_OK;
}

static enum dissect_rc dissect_dns(struct dissect_ctx *ctx, const struct pkt_meta *m,
				   struct cursor c, struct dissect_result *out)
{
	struct dns_info *d = &out->u.dns;
	bool ours = m->sport == DNS_PORT || m->dport == DNS_PORT || m->sport == MDNS_PORT ||
		    m->dport == MDNS_PORT;

	(void)ctx;
	if (!ours)
		return DISSECT_NOT_MINE;
	memset(d, 0, sizeof(*d));
	if (m->l4_proto == 6) {
		uint16_t len = cur_at_be16(&c, 0);

		/* a segment that does not start a message (or holds only part of it) is not read:
		 * its answers are in the segment that completes it, which procap does not join */
		if (!cur_has(&c, 0, 2) || len < DNS_HDR_LEN || !cur_has(&c, 2, len))
			return DISSECT_NOT_MINE;
		c = cur_sub_at(&c, 2, len);
	}
	return parse_message(c, d);
}

const struct dissector dissector_dns = {
	.name = "dns",
	.layer = DL_UDP,
	.hint = DNS_PORT,
	.hint2 = MDNS_PORT,
	.hint_only = true,	/* offered other ports, it said NOT_MINE: 40 instructions a packet */
	.dissect = dissect_dns,
};

/* The same parser for DNS over TCP (RFC 7766 §8): the layer differs, so it is its own row. */
const struct dissector dissector_dns_tcp = {
	.name = "dns",
	.layer = DL_TCP,
	.hint = DNS_PORT,
	.hint2 = MDNS_PORT,
	.hint_only = true,
	.dissect = dissect_dns,
};
