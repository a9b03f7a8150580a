// SPDX-License-Identifier: BSD-3-Clause
/* pcap and pcapng reader for -r.
 * specification: pcap: draft-ietf-opsawg-pcap (file header §4, record §5), plus the "modified"
 * (Kuznetzov) variant with 8 extra record bytes; pcapng: draft-ietf-opsawg-pcapng-02 (SHB §4.1,
 * IDB §4.2 with if_tsresol/if_tsoffset, EPB §4.3, SPB §4.4, obsolete Packet Block Appendix A,
 * options §3.5), epb_processid_threadid (EPB option 8, draft-ietf-opsawg-pcapng-03) and
 * procap's Process Information Blocks (custom block §4.8, layout in pcapng.h). Written here rather than through libpcap because libpcap drops per-packet
 * options (comments, flags, packet ids) and rejects files mixing link types.
 *
 * Bytes come through instream.c, which gunzips input that starts with the gzip magic whatever
 * its name. Offsets in messages count uncompressed bytes. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cursor.h"
#include "instream.h"
#include "nrb.h"
#include "pcapng.h"
#include "reader.h"
#include "util.h"

enum {
	PCAP_MAGIC_USEC = 0xa1b2c3d4, PCAP_MAGIC_NSEC = 0xa1b23c4d, PCAP_MAGIC_KUZ = 0xa1b2cd34,
	BT_SHB = 0x0A0D0D0A, BT_IDB = 1, BT_OPB = 2, BT_SPB = 3, BT_NRB = 4, BT_EPB = 6, BT_DSB = 10,
	DSB_TLS_KEYLOG = 0x544c534b, SECRETS_MAX = 4 << 20,
	BT_CUSTOM_COPY = 0x00000BAD, BT_CUSTOM_NOCOPY = 0x40000BAD,
	BOM = 0x1A2B3C4D,
	OPT_END = 0, OPT_COMMENT = 1,
	IF_NAME = 2, IF_TSRESOL = 9, IF_FILTER = 11, IF_TSOFFSET = 14,
	EPB_FLAGS = 2, EPB_DROPCOUNT = 4, EPB_PACKETID = 5, EPB_PROCESSID_THREADID = 8,
};

#define LINKTYPE_MASK	0x03FFFFFF	/* pcap: upper bits carry FCS information */
#define MAX_IFACES	65536
#define READ_CHUNK	(1u << 20)	/* grow the block buffer only as bytes arrive */
#define PIB_SLOTS	1024		/* processes remembered from PIBs (by PID, last one wins) */

struct iface {
	struct reader_iface pub;
	uint8_t tsresol;	/* if_tsresol as stored: bit 7 = power of 2 */
	int64_t tsoffset;	/* seconds */
};

/* A record's captured length as libpcap delivers it: at most its interface's snaplen and
 * READER_MAX_SNAPLEN (the bytes past it stay unread by everything downstream). */
static uint32_t capped_len(const struct iface *ifc, uint32_t caplen)
{
	uint32_t lim = ifc->pub.snaplen && ifc->pub.snaplen < READER_MAX_SNAPLEN ?
			       ifc->pub.snaplen : READER_MAX_SNAPLEN;

	return caplen < lim ? caplen : lim;
}

struct reader {
	struct instream *in;
	enum reader_format fmt;
	uint64_t off;		/* uncompressed offset of the next unread byte */
	uint8_t *buf;		/* current record/block */
	size_t cap;
	char err[256];
	char *comment;		/* NUL-terminated copy of the current opt_comment */
	size_t pending;		/* bytes of the next block already in buf (the magic at open) */

	/* pcap */
	bool swap, nsec, kuz;

	/* pcapng: current section */
	bool in_section;
	uint32_t sec_base;	/* global id of the section's first interface */
	uint32_t sec_n;		/* interfaces declared in this section */

	struct iface **ifs;	/* pointers stay valid while the array grows */
	uint32_t n_ifs;
	struct proc_meta *pibs;	/* PIB_SLOTS, allocated at the first PIB; valid = slot used */
	char *secrets;		/* TLS key log text of the DSBs read since reader_take_secrets */
	size_t secrets_len;
	struct name_rec *names;	/* NAMES_MAX, at the first NRB: read since reader_take_names */
	size_t n_names;
};

static int fail(struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct reader *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
	return -1;
}

static uint16_t swap16(uint16_t v) { return (uint16_t)(v >> 8 | v << 8); }
static uint32_t swap32(uint32_t v) { return __builtin_bswap32(v); }

static uint16_t rd16(struct cursor *c, bool swap)
{
	const uint8_t *p = cur_bytes(c, 2);
	uint16_t v = 0;
	if (p)
		memcpy(&v, p, 2);
	return swap ? swap16(v) : v;
}

static uint32_t rd32(struct cursor *c, bool swap)
{
	const uint8_t *p = cur_bytes(c, 4);
	uint32_t v = 0;
	if (p)
		memcpy(&v, p, 4);
	return swap ? swap32(v) : v;
}

static uint64_t rd64(struct cursor *c, bool swap)
{
	const uint8_t *p = cur_bytes(c, 8);
	uint64_t v = 0;
	if (p)
		memcpy(&v, p, 8);
	return swap ? __builtin_bswap64(v) : v;
}

static void ensure_cap(struct reader *r, size_t n)
{
	if (n > r->cap) {
		size_t cap = r->cap ? r->cap : 4096;
		while (cap < n)
			cap *= 2;
		r->buf = xrealloc(r->buf, cap);
		r->cap = cap;
	}
}

/* Reads up to n bytes into r->buf + at, growing the buffer chunk by chunk as data arrives (a
 * lying length in a short file never allocates more than the file holds). Returns the number
 * of bytes read; -1 on a decompression/read error (r->err set). */
static ssize_t read_into(struct reader *r, size_t at, size_t n)
{
	size_t got = 0;

	while (got < n) {
		size_t want = n - got > READ_CHUNK ? READ_CHUNK : n - got;
		ensure_cap(r, at + got + want);
		ssize_t k = instream_read(r->in, r->buf + at + got, want);
		if (k < 0) {
			r->off += got;
			fail(r, "read error at offset %llu (%s)", (unsigned long long)r->off,
			     instream_error(r->in));
			return -1;
		}
		if (k == 0)
			break;
		got += (size_t)k;
	}
	r->off += got;
	return (ssize_t)got;
}

/* ---- timestamps ---- */

static uint64_t clamp_ns(__int128 v)
{
	if (v < 0)
		return 0;
	if (v > (__int128)UINT64_MAX)
		return UINT64_MAX;
	return (uint64_t)v;
}

/* Converts a pcapng timestamp in if_tsresol units (10^-n or, with bit 7, 2^-n seconds) plus
 * if_tsoffset seconds to ns since the epoch. */
static uint64_t ts_to_ns(uint64_t ts, uint8_t res, int64_t offset_s)
{
	__int128 ns;
	unsigned n = res & 0x7f;

	if (res & 0x80) {
		ns = ((__int128)ts * 1000000000) >> n;	/* n <= 127; the product is < 2^94 */
	} else if (n <= 9) {
		__int128 mul = 1;
		for (unsigned i = n; i < 9; i++)
			mul *= 10;
		ns = (__int128)ts * mul;
	} else {
		__int128 div = 1;
		for (unsigned i = 9; i < n && div < ((__int128)1 << 100); i++)
			div *= 10;
		ns = (__int128)ts / div;
	}
	return clamp_ns(ns + (__int128)offset_s * 1000000000);
}

/* ---- pcap ---- */

static int pcap_header(struct reader *r, uint32_t magic)
{
	struct cursor c;

	r->fmt = READER_PCAP;
	r->swap = swap32(magic) == PCAP_MAGIC_USEC || swap32(magic) == PCAP_MAGIC_NSEC ||
		  swap32(magic) == PCAP_MAGIC_KUZ;
	uint32_t m = r->swap ? swap32(magic) : magic;
	r->nsec = m == PCAP_MAGIC_NSEC;
	r->kuz = m == PCAP_MAGIC_KUZ;
	ssize_t n = read_into(r, 4, 20);
	if (n < 0)
		return -1;
	if (n < 20)
		return fail(r, "truncated pcap file header at offset 0 (%zd of 24 bytes)", n + 4);
	c = cur_init(r->buf + 4, 20);
	uint16_t major = rd16(&c, r->swap);
	rd16(&c, r->swap);	/* minor */
	rd32(&c, r->swap);	/* thiszone: always 0 in practice; libpcap ignores it too */
	rd32(&c, r->swap);	/* sigfigs */
	uint32_t snaplen = rd32(&c, r->swap);
	uint32_t linktype = rd32(&c, r->swap);
	if (major != 2)
		return fail(r, "unsupported pcap version %u at offset 4", major);

	struct iface *ifc = xcalloc(1, sizeof(*ifc));
	ifc->pub.linktype = (int)(linktype & LINKTYPE_MASK);
	ifc->pub.snaplen = snaplen;
	ifc->pub.swapped = r->swap;
	r->ifs = xmalloc(sizeof(*r->ifs));
	r->ifs[0] = ifc;
	r->n_ifs = 1;
	return 0;
}

static int pcap_next(struct reader *r, struct packet *p)
{
	size_t hlen = r->kuz ? 24 : 16;
	uint64_t start = r->off;
	ssize_t n = read_into(r, 0, hlen);
	struct cursor c;

	if (n <= 0)
		return (int)n;
	if ((size_t)n < hlen)
		return fail(r, "truncated record header at offset %llu (%zd of %zu bytes)",
			    (unsigned long long)start, n, hlen);
	c = cur_init(r->buf, hlen);
	uint32_t sec = rd32(&c, r->swap), frac = rd32(&c, r->swap);
	uint32_t incl = rd32(&c, r->swap), orig = rd32(&c, r->swap);
	if (r->kuz) {
		rd32(&c, r->swap);	/* ifindex */
		rd16(&c, r->swap);	/* protocol */
		uint8_t pkt_type = cur_u8(&c);	/* Linux PACKET_*: 4 = PACKET_OUTGOING */
		p->dir = pkt_type == 4 ? PKT_DIR_OUT : PKT_DIR_IN;
	}
	if (incl > READER_MAX_SNAPLEN)	/* libpcap: "invalid packet capture length" */
		return fail(r, "oversize record at offset %llu (%u bytes, limit %u)",
			    (unsigned long long)start, incl, READER_MAX_SNAPLEN);
	n = read_into(r, 0, incl);
	if (n < 0)
		return -1;
	if ((size_t)n < incl)
		return fail(r, "truncated record at offset %llu (length %u, %zd bytes present)",
			    (unsigned long long)start, incl, n);
	p->ts_ns = (uint64_t)sec * 1000000000u + (uint64_t)frac * (r->nsec ? 1 : 1000);
	p->ts_subsec_over_ns = frac >= (r->nsec ? 1000000000u : 1000000u) ?
			       (uint64_t)frac * (r->nsec ? 1 : 1000) : 0;
	p->cap_len = capped_len(r->ifs[0], incl);
	p->wire_len = orig;
	p->data = r->buf;
	p->linktype = r->ifs[0]->pub.linktype;
	p->if_id = 0;
	return 1;
}

/* ---- pcapng ---- */

struct opt {
	uint16_t code, len;
	const uint8_t *val;
};

/* Next option of an options area; false at opt_endofopt, at the end, or on a malformed option
 * (a damaged options area loses its options, not the packet). */
static bool next_opt(struct cursor *c, bool swap, struct opt *o)
{
	if (cur_left(c) < 4)
		return false;
	o->code = rd16(c, swap);
	o->len = rd16(c, swap);
	if (o->code == OPT_END)
		return false;
	o->val = cur_bytes(c, o->len);
	cur_skip(c, (4 - (o->len & 3)) & 3);
	return o->val != NULL;
}

static uint64_t opt_u64(const struct opt *o, bool swap)
{
	struct cursor c = cur_init(o->val, o->len);
	return rd64(&c, swap);
}

static char *opt_strdup(const struct opt *o)
{
	char *s = xmalloc((size_t)o->len + 1);
	memcpy(s, o->val, o->len);
	s[o->len] = 0;
	return s;
}

static int shb(struct reader *r, struct cursor *body, uint64_t start)
{
	rd32(body, r->swap);	/* byte-order magic, checked by the caller */
	uint16_t major = rd16(body, r->swap);
	if (body->short_read)
		return fail(r, "truncated section header at offset %llu", (unsigned long long)start);
	if (major != 1)
		return fail(r, "unsupported pcapng version %u at offset %llu", major,
			    (unsigned long long)start);
	r->in_section = true;
	r->sec_base = r->n_ifs;
	r->sec_n = 0;
	return 0;
}

static int idb(struct reader *r, struct cursor *body, uint64_t start)
{
	struct iface *ifc;
	struct opt o;

	if (r->n_ifs >= MAX_IFACES)
		return fail(r, "too many interfaces at offset %llu (limit %u)",
			    (unsigned long long)start, MAX_IFACES);
	uint16_t linktype = rd16(body, r->swap);
	rd16(body, r->swap);
	uint32_t snaplen = rd32(body, r->swap);
	if (body->short_read)
		return fail(r, "truncated interface description at offset %llu",
			    (unsigned long long)start);
	ifc = xcalloc(1, sizeof(*ifc));
	ifc->pub.linktype = linktype;
	ifc->pub.snaplen = snaplen;
	ifc->pub.swapped = r->swap;
	ifc->tsresol = 6;	/* default: microseconds */
	while (next_opt(body, r->swap, &o)) {
		if (o.code == IF_NAME && !ifc->pub.name)
			ifc->pub.name = opt_strdup(&o);
		else if (o.code == IF_FILTER && o.len >= 1 && o.val[0] == 0 && !ifc->pub.filter) {
			struct opt s = { o.code, (uint16_t)(o.len - 1), o.val + 1 };
			ifc->pub.filter = opt_strdup(&s);
		} else if (o.code == IF_TSRESOL && o.len >= 1)
			ifc->tsresol = o.val[0];
		else if (o.code == IF_TSOFFSET && o.len == 8)
			ifc->tsoffset = (int64_t)opt_u64(&o, r->swap);
	}
	r->ifs = xrealloc(r->ifs, (r->n_ifs + 1) * sizeof(*r->ifs));
	r->ifs[r->n_ifs++] = ifc;
	r->sec_n++;
	return 0;
}

static const struct iface *section_iface(struct reader *r, uint32_t local, uint64_t start)
{
	if (local >= r->sec_n) {
		fail(r, "packet for undeclared interface %u at offset %llu", local,
		     (unsigned long long)start);
		return NULL;
	}
	return r->ifs[r->sec_base + local];
}

/* Per-packet options shared by EPB and OPB (flags and comment share codes 1 and 2). */
static void packet_opts(struct reader *r, struct cursor *c, struct packet *p, bool epb)
{
	struct opt o;

	while (next_opt(c, r->swap, &o)) {
		if (o.code == OPT_COMMENT && !p->comment) {
			free(r->comment);
			r->comment = opt_strdup(&o);
			p->comment = r->comment;
		} else if (o.code == EPB_FLAGS && o.len == 4) {
			struct cursor v = cur_init(o.val, 4);
			uint32_t flags = rd32(&v, r->swap);
			p->dir = (flags & 3) == 1 ? PKT_DIR_IN : (flags & 3) == 2 ? PKT_DIR_OUT :
							     PKT_DIR_UNKNOWN;
		} else if (epb && o.code == EPB_DROPCOUNT && o.len == 8) {
			p->has_dropcount = true;
			p->dropcount = opt_u64(&o, r->swap);
		} else if (epb && o.code == EPB_PACKETID && o.len == 8) {
			p->has_packet_id = true;
			p->packet_id = opt_u64(&o, r->swap);
		} else if (epb && o.code == EPB_PROCESSID_THREADID && o.len == 8) {
			struct cursor v = cur_init(o.val, 8);
			p->has_epb_pid = true;
			p->epb_pid = rd32(&v, r->swap);
			p->epb_tid = rd32(&v, r->swap);
		}
	}
}

static void set_iface(struct packet *p, const struct iface *ifc, uint32_t id)
{
	p->linktype = ifc->pub.linktype;
	p->if_id = id;
	p->ifname = ifc->pub.name;
}

/* Enhanced (type 6) and obsolete (type 2) packet blocks. */
static int epb(struct reader *r, struct cursor *body, struct packet *p, uint64_t start, bool obsolete)
{
	uint32_t local;

	if (obsolete) {
		local = rd16(body, r->swap);
		uint16_t drops = rd16(body, r->swap);
		p->has_dropcount = drops != 0xFFFF;	/* 0xFFFF: not available */
		p->dropcount = drops;
	} else {
		local = rd32(body, r->swap);
	}
	uint32_t hi = rd32(body, r->swap), lo = rd32(body, r->swap);
	uint32_t caplen = rd32(body, r->swap), origlen = rd32(body, r->swap);
	if (body->short_read)
		return fail(r, "truncated packet block at offset %llu", (unsigned long long)start);
	const struct iface *ifc = section_iface(r, local, start);
	if (!ifc)
		return -1;
	const uint8_t *data = cur_bytes(body, caplen);
	if (!data)
		return fail(r, "packet length %u exceeds its block at offset %llu", caplen,
			    (unsigned long long)start);
	cur_skip(body, (4 - (caplen & 3)) & 3);
	set_iface(p, ifc, r->sec_base + local);
	p->ts_ns = ts_to_ns((uint64_t)hi << 32 | lo, ifc->tsresol, ifc->tsoffset);
	p->data = data;
	p->cap_len = capped_len(ifc, caplen);
	p->wire_len = origlen;
	packet_opts(r, body, p, !obsolete);
	return 1;
}

static int spb(struct reader *r, struct cursor *body, struct packet *p, uint64_t start)
{
	uint32_t origlen = rd32(body, r->swap);
	if (body->short_read)
		return fail(r, "truncated packet block at offset %llu", (unsigned long long)start);
	const struct iface *ifc = section_iface(r, 0, start);
	if (!ifc)
		return -1;
	/* §4.4: captured length = min(original length, snaplen); the rest is padding */
	size_t caplen = cur_left(body);
	if (origlen < caplen)
		caplen = origlen;
	caplen = capped_len(ifc, (uint32_t)caplen);
	set_iface(p, ifc, r->sec_base);
	p->ts_ns = 0;	/* a simple packet block has no timestamp */
	p->data = cur_bytes(body, caplen);
	p->cap_len = (uint32_t)caplen;
	p->wire_len = origlen;
	return 1;
}

/* A custom block: remembered when it is a Process Information Block, skipped otherwise. */
static void custom_block(struct reader *r, struct cursor *body)
{
	struct proc_meta m;
	struct opt o;

	uint32_t pen = rd32(body, r->swap), entry = rd32(body, r->swap);
	uint32_t pid = rd32(body, r->swap);
	if (body->short_read || pen != PCAPNG_PEN_WIRESHARK || entry != PCAPNG_PIB_ENTRY_TYPE)
		return;
	memset(&m, 0, sizeof(m));
	m.valid = true;
	m.pid = pid;
	m.uid = UINT32_MAX;	/* not known */
	while (next_opt(body, r->swap, &o)) {
		struct cursor v = cur_init(o.val, o.len);
		char *str, *dst = NULL;
		size_t dlen = 0;
		switch (o.code) {
		case PCAPNG_PIB_NAME: dst = m.comm; dlen = sizeof(m.comm); break;
		case PCAPNG_PIB_PATH: dst = m.exe; dlen = sizeof(m.exe); break;
		case PCAPNG_PIB_CMDLINE: dst = m.args; dlen = sizeof(m.args); break;
		case PCAPNG_PIB_PPID:
			if (o.len == 4)
				m.ppid = rd32(&v, r->swap);
			break;
		case PCAPNG_PIB_UID:
			if (o.len == 4)
				m.uid = rd32(&v, r->swap);
			break;
		}
		if (dst) {
			str = opt_strdup(&o);
			str_copy(dst, dlen, str);
			free(str);
		}
	}
	if (!r->pibs)
		r->pibs = xcalloc(PIB_SLOTS, sizeof(*r->pibs));
	r->pibs[pid % PIB_SLOTS] = m;
}

/* Reads one whole block into r->buf; returns its type via *type and the body cursor. */
static int read_block(struct reader *r, uint32_t *type, struct cursor *body, uint64_t *startp)
{
	size_t pre = r->pending;
	uint64_t start = r->off - pre;
	ssize_t n = read_into(r, pre, 8 - pre);
	uint32_t len;
	size_t have = 8;

	r->pending = 0;
	*startp = start;
	if (n < 0)
		return -1;
	n += (ssize_t)pre;
	if (n == 0)
		return 0;
	if (n < 8)
		return fail(r, "truncated block header at offset %llu (%zd of 8 bytes)",
			    (unsigned long long)start, n);
	memcpy(type, r->buf, 4);	/* the SHB type reads the same in both byte orders */
	if (*type == BT_SHB) {
		uint32_t bom;
		n = read_into(r, 8, 4);
		if (n < 0)
			return -1;
		if (n < 4)
			return fail(r, "truncated section header at offset %llu",
				    (unsigned long long)start);
		memcpy(&bom, r->buf + 8, 4);
		if (bom != BOM && swap32(bom) != BOM)
			return fail(r, "bad byte-order magic 0x%08x in section header at offset %llu",
				    bom, (unsigned long long)start);
		r->swap = bom != BOM;
		have = 12;
	} else if (!r->in_section) {
		return fail(r, "block before the first section header at offset %llu",
			    (unsigned long long)start);
	} else {
		*type = r->swap ? swap32(*type) : *type;
	}
	memcpy(&len, r->buf + 4, 4);
	len = r->swap ? swap32(len) : len;
	if (len < 12 || (len & 3) || len < have + 4)
		return fail(r, "bad block length %u at offset %llu", len, (unsigned long long)start);
	if (len > READER_MAX_BLOCK)
		return fail(r, "oversize block at offset %llu (%u bytes, limit %u)",
			    (unsigned long long)start, len, READER_MAX_BLOCK);
	n = read_into(r, have, len - have);
	if (n < 0)
		return -1;
	if ((size_t)n < len - have)
		return fail(r, "truncated block at offset %llu (type 0x%x, length %u, %zu bytes present)",
			    (unsigned long long)start, *type, len, have + (size_t)n);
	uint32_t trailer;
	memcpy(&trailer, r->buf + len - 4, 4);
	trailer = r->swap ? swap32(trailer) : trailer;
	if (trailer != len)
		return fail(r, "block length mismatch at offset %llu (header %u, trailer %u)",
			    (unsigned long long)start, len, trailer);
	*body = cur_init(r->buf + 8, len - 12);
	return 1;
}

/* Decryption Secrets Block (pcapng §4.7): TLS key log text is kept for the caller (live
 * decryption); other secret types are skipped, as is text beyond SECRETS_MAX not yet taken. */
static void dsb(struct reader *r, struct cursor *body)
{
	uint32_t type = rd32(body, r->swap), len = rd32(body, r->swap);
	const uint8_t *data = cur_bytes(body, len);

	if (!data || !len || type != DSB_TLS_KEYLOG || len >= SECRETS_MAX - r->secrets_len)
		return;
	if (!r->secrets)
		r->secrets = xmalloc(SECRETS_MAX + 1);
	memcpy(r->secrets + r->secrets_len, data, len);
	r->secrets_len += len;
	if (r->secrets[r->secrets_len - 1] != '\n')	/* the last line is complete */
		r->secrets[r->secrets_len++] = '\n';
}

size_t reader_take_secrets(struct reader *r, const char **text)
{
	size_t n = r->secrets_len;

	*text = r->secrets;
	r->secrets_len = 0;
	return n;
}

/* Name Resolution Block: its names are kept for the caller (NAMES_MAX between two takes; a
 * writer puts them before the packets, procap one block per batch of new names). */
static void nrb(struct reader *r, struct cursor *body)
{
	size_t len = cur_left(body);

	if (!r->names)
		r->names = xcalloc(NAMES_MAX, sizeof(*r->names));
	r->n_names += nrb_parse(cur_bytes(body, len), len, r->swap, r->names + r->n_names,
				NAMES_MAX - r->n_names);
}

size_t reader_take_names(struct reader *r, const struct name_rec **recs)
{
	size_t n = r->n_names;

	*recs = r->names;
	r->n_names = 0;
	return n;
}

static int pcapng_next(struct reader *r, struct packet *p)
{
	for (;;) {
		uint32_t type = 0;
		struct cursor body;
		uint64_t start;
		int rc = read_block(r, &type, &body, &start);

		if (rc <= 0)
			return rc;
		switch (type) {
		case BT_SHB:
			rc = shb(r, &body, start);
			break;
		case BT_IDB:
			rc = idb(r, &body, start);
			break;
		case BT_EPB:
			return epb(r, &body, p, start, false);
		case BT_OPB:
			return epb(r, &body, p, start, true);
		case BT_SPB:
			return spb(r, &body, p, start);
		case BT_CUSTOM_COPY:
		case BT_CUSTOM_NOCOPY:
			custom_block(r, &body);
			rc = 0;
			break;
		case BT_DSB:
			dsb(r, &body);
			rc = 0;
			break;
		case BT_NRB:
			nrb(r, &body);
			rc = 0;
			break;
		default:
			rc = 0;	/* ISB and unknown blocks: skip */
		}
		if (rc < 0)
			return rc;
	}
}

/* ---- public ---- */

struct reader *reader_open(const char *path, char *err, size_t errlen)
{
	struct reader *r;
	int fd;
	uint32_t magic;

	fd = strcmp(path, "-") == 0 ? dup(0) : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return NULL;
	}
	r = xcalloc(1, sizeof(*r));
	r->in = instream_open(fd);
	ssize_t n = read_into(r, 0, 4);
	if (n >= 0 && n < 4) {
		if (n == 0)
			fail(r, "empty file");
		else
			fail(r, "truncated file header at offset 0 (%zd bytes)", n);
		n = -1;
	}
	if (n == 4) {
		memcpy(&magic, r->buf, 4);
		if (magic == BT_SHB) {
			r->fmt = READER_PCAPNG;
			r->pending = 4;	/* the first block starts with these bytes (stdin can't rewind) */
			n = 0;
		} else if (magic == PCAP_MAGIC_USEC || magic == PCAP_MAGIC_NSEC ||
			   magic == PCAP_MAGIC_KUZ || swap32(magic) == PCAP_MAGIC_USEC ||
			   swap32(magic) == PCAP_MAGIC_NSEC || swap32(magic) == PCAP_MAGIC_KUZ) {
			n = pcap_header(r, magic);
		} else {
			fail(r, "not a pcap or pcapng file (magic 0x%08x at offset 0)", magic);
			n = -1;
		}
	}
	if (n < 0) {
		snprintf(err, errlen, "%s", r->err);
		reader_close(r);
		return NULL;
	}
	return r;
}

int reader_next(struct reader *r, struct packet *p)
{
	uint64_t number = p->number;

	memset(p, 0, sizeof(*p));
	p->number = number;
	if (r->err[0])
		return -1;
	int rc = r->fmt == READER_PCAP ? pcap_next(r, p) : pcapng_next(r, p);
	if (rc == 0 && instream_truncated(r->in))
		return fail(r, "truncated gzip stream at offset %llu", (unsigned long long)r->off);
	return rc;
}

const char *reader_error(const struct reader *r)
{
	return r->err;
}

enum reader_format reader_format(const struct reader *r)
{
	return r->fmt;
}

uint32_t reader_n_interfaces(const struct reader *r)
{
	return r->n_ifs;
}

const struct reader_iface *reader_interface(const struct reader *r, uint32_t id)
{
	return id < r->n_ifs ? &r->ifs[id]->pub : NULL;
}

void reader_owner_from_options(const struct reader *r, struct packet *p)
{
	const struct proc_meta *m = r->pibs ? &r->pibs[p->epb_pid % PIB_SLOTS] : NULL;

	if (p->procap_meta || p->comment || !p->has_epb_pid || !p->epb_pid)
		return;
	if (m && m->valid && m->pid == p->epb_pid) {
		p->proc = *m;
	} else {
		memset(&p->proc, 0, sizeof(p->proc));
		p->proc.uid = UINT32_MAX;
	}
	p->proc.valid = true;
	p->proc.pid = p->epb_pid;
	p->proc.tid = p->epb_tid;
	p->procap_meta = true;
}

void reader_close(struct reader *r)
{
	if (!r)
		return;
	instream_close(r->in);
	for (uint32_t i = 0; i < r->n_ifs; i++) {
		free((char *)r->ifs[i]->pub.name);
		free((char *)r->ifs[i]->pub.filter);
		free(r->ifs[i]);
	}
	free(r->ifs);
	free(r->buf);
	free(r->comment);
	free(r->secrets);
	free(r->names);
	free(r->pibs);
	free(r);
}
