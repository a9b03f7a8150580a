// SPDX-License-Identifier: BSD-3-Clause
/* DNS and mDNS over UDP, the one-line summary tcpdump 4.99 prints without -v and with one -v:
 *   query     "ID[+][%] [Na] [Nq] [Nn] [Nau] TYPE[ (Class C)][ (QM|QU)]? NAME. (LEN)"
 *   response  "ID[ RCODE][*][-][|] [Nq] AN/NS/AR RR, RR... (LEN)"
 * for the record types listed in rr_type(); with -v each answer starts with its owner name and
 * an SOA shows its fields. Anything else (other opcodes, unusual names or records, truncated
 * messages, -vv) is left to the caller's documented fallback, so a line is either tcpdump's
 * or visibly marked.
 * specification: RFC 1035 §4.1 (message, names, compression), RFC 3596 (AAAA), RFC 2782
 * (SRV), RFC 6762 §18.12-13 (mDNS QU and cache-flush bits). */
#include "print_int.h"

static const char *type_name(uint16_t t)
{
	switch (t) {
	case 1: return "A";
	case 2: return "NS";
	case 5: return "CNAME";
	case 6: return "SOA";
	case 12: return "PTR";
	case 13: return "HINFO";
	case 15: return "MX";
	case 16: return "TXT";
	case 28: return "AAAA";
	case 33: return "SRV";
	case 35: return "NAPTR";
	case 39: return "DNAME";
	case 41: return "OPT";
	case 43: return "DS";
	case 46: return "RRSIG";
	case 47: return "NSEC";
	case 48: return "DNSKEY";
	case 99: return "SPF";
	case 255: return "ANY";
	default: return NULL;
	}
}

static void type_print(struct pbuf *pb, uint16_t t)
{
	const char *n = type_name(t);

	if (n) {
		pb_str(pb, n);
	} else {
		pb_str(pb, "Type");
		pb_u(pb, t);
	}
}

/* Offset after the name at off (not following pointers), 0 on a bad or cut name. */
static size_t name_skip(const struct cursor *m, size_t off)
{
	size_t cap = cur_left(m);
	for (int i = 0; i < 128; i++) {
		uint8_t l;

		if (off >= cap)
			return 0;
		l = cur_at_u8(m, off);
		if (l == 0)
			return off + 1;
		if ((l & 0xc0) == 0xc0)
			return off + 2 <= cap ? off + 2 : 0;
		if (l & 0xc0)
			return 0;
		off += 1u + l;
	}
	return 0;
}

/* The name at off as "label.label." (root "."); false for pointers loops, extended labels or
 * characters tcpdump would escape. */
static bool name_print(struct pbuf *pb, const struct cursor *m, size_t off)
{
	size_t cap = cur_left(m);
	bool any = false;

	for (int jumps = 0, i = 0; i < 256; i++) {
		uint8_t l;

		if (off >= cap)
			return false;
		l = cur_at_u8(m, off);
		if (l == 0)
			break;
		if ((l & 0xc0) == 0xc0) {
			if (off + 2 > cap || ++jumps > 32)
				return false;
			off = (size_t)(l & 0x3f) << 8 | cur_at_u8(m, off + 1);
			continue;
		}
		if (l & 0xc0 || off + 1 + l > cap)
			return false;
		for (unsigned k = 0; k < l; k++) {
			uint8_t ch = cur_at_u8(m, off + 1 + k);

			if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			      (ch >= '0' && ch <= '9') || ch == '-' || ch == '_'))
				return false;
		}
		pb_mem(pb, (const char *)cur_at_ptr(m, off + 1, l), l);
		pb_ch(pb, '.');
		any = true;
		off += 1u + l;
	}
	if (!any)
		pb_ch(pb, '.');
	return true;
}

/* One answer record " TYPE DATA"; returns the offset after it, 0 when not printable here. */
static size_t answer(struct pbuf *pb, const struct cursor *m, size_t off, bool mdns, bool verbose)
{
	size_t cap = cur_left(m);
	uint16_t type, class, rdlen;
	size_t rd, owner = off;

	off = name_skip(m, off);
	if (!off || off + 10 > cap)
		return 0;
	type = cur_at_be16(m, off);
	class = cur_at_be16(m, off + 2);
	rdlen = cur_at_be16(m, off + 8);
	rd = off + 10;
	if (rd + rdlen > cap)
		return 0;
	if ((mdns ? class & 0x7fff : class) != 1 || (mdns && (class & 0x8000)))
		return 0;
	pb_ch(pb, ' ');
	if (verbose) {
		if (!name_print(pb, m, owner))
			return 0;
		pb_ch(pb, ' ');
	}
	type_print(pb, type);
	switch (type) {
	case 1:
		if (rdlen != 4)
			return 0;
		pb_ch(pb, ' ');
		print_ip4_at(pb, m, rd);
		break;
	case 28:
		if (rdlen != 16)
			return 0;
		pb_ch(pb, ' ');
		print_ip6_at(pb, m, rd);
		break;
	case 2:
	case 5:
	case 12:
	case 39:
		pb_ch(pb, ' ');
		if (!name_print(pb, m, rd))
			return 0;
		break;
	case 15:
		if (rdlen < 3)
			return 0;
		pb_ch(pb, ' ');
		if (!name_print(pb, m, rd + 2))
			return 0;
		pb_ch(pb, ' ');
		pb_u(pb, cur_at_be16(m, rd));
		break;
	case 13:		/* tcpdump prints no data for these */
	case 43:
	case 46:
	case 47:
	case 48:
	case 99:
		break;
	case 6: {		/* SOA: the type only without -v */
		size_t n = rd;

		if (!verbose)
			break;
		for (int k = 0; k < 2; k++) {	/* MNAME, RNAME */
			pb_ch(pb, ' ');
			if (!name_print(pb, m, n))
				return 0;
			n = name_skip(m, n);
			if (!n || n > rd + rdlen)
				return 0;
		}
		if (n + 20 > rd + rdlen)
			return 0;
		for (int k = 0; k < 5; k++) {	/* serial, refresh, retry, expire, minimum */
			pb_ch(pb, ' ');
			pb_u(pb, cur_at_be32(m, n + 4u * k));
		}
		break;
	}
	default:
		return 0;
	}
	return rd + rdlen;
}

bool print_dns(struct pstate *ps, struct cursor msg, uint32_t len, bool mdns)
{
	const struct cursor *m = &msg;
	size_t cap = cur_left(m);
	struct pbuf *pb = ps->pb;
	uint16_t id, flags, qd, an, ns, ar;
	size_t off = 12;

	if (ps->o->vflag > 1 || cap < 12 || cap < len)
		return false;
	id = cur_at_be16(m, 0);
	flags = cur_at_be16(m, 2);
	qd = cur_at_be16(m, 4);
	an = cur_at_be16(m, 6);
	ns = cur_at_be16(m, 8);
	ar = cur_at_be16(m, 10);
	if ((flags >> 11) & 0xf)
		return false;	/* opcodes other than QUERY */
	pb_u(pb, id);
	if (flags & 0x8000) {
		static const char *const rcodes[] = { "", " FormErr", " ServFail", " NXDomain",
						      " NotImp", " Refused", " YXDomain", " YXRRSet",
						      " NXRRSet", " NotAuth", " NotZone" };
		unsigned rc = flags & 0xf;

		if (rc > 10)
			return false;
		pb_str(pb, rcodes[rc]);
		if (flags & 0x0400)
			pb_ch(pb, '*');
		if (!(flags & 0x0080))
			pb_ch(pb, '-');
		if (flags & 0x0200)
			pb_ch(pb, '|');
		if (flags & 0x0020)
			pb_ch(pb, '$');		/* AD */
		if (qd != 1) {
			pb_str(pb, " [");
			pb_u(pb, qd);
			pb_str(pb, "q]");
		}
		for (unsigned i = 0; i < qd; i++) {
			off = name_skip(m, off);
			if (!off || off + 4 > cap)
				return false;
			off += 4;
		}
		pb_ch(pb, ' ');
		pb_u(pb, an);
		pb_ch(pb, '/');
		pb_u(pb, ns);
		pb_ch(pb, '/');
		pb_u(pb, ar);
		for (unsigned i = 0; i < an; i++) {
			if (i)
				pb_ch(pb, ',');
			off = answer(pb, m, off, mdns, ps->o->vflag > 0);
			if (!off)
				return false;
		}
	} else {
		uint16_t type, class;

		if (flags & 0x0100)
			pb_ch(pb, '+');
		if (flags & 0x0010)
			pb_ch(pb, '%');		/* CD; tcpdump shows no AD on a query */
		if (flags & 0x06cf) {
			pb_str(pb, " [b2&3=0x");
			pb_hex(pb, flags, 1);
			pb_ch(pb, ']');
		}
		if (an) {
			pb_str(pb, " [");
			pb_u(pb, an);
			pb_str(pb, "a]");
		}
		if (qd != 1) {
			pb_str(pb, " [");
			pb_u(pb, qd);
			pb_str(pb, "q]");
		}
		if (ns) {
			pb_str(pb, " [");
			pb_u(pb, ns);
			pb_str(pb, "n]");
		}
		if (ar) {
			pb_str(pb, " [");
			pb_u(pb, ar);
			pb_str(pb, "au]");
		}
		if (qd != 1)
			return false;
		off = name_skip(m, off);
		if (!off || off + 4 > cap)
			return false;
		type = cur_at_be16(m, off);
		class = cur_at_be16(m, off + 2);
		pb_ch(pb, ' ');
		type_print(pb, type);
		if ((mdns ? class & 0x7fff : class) != 1)
			return false;
		if (mdns)
			pb_str(pb, class & 0x8000 ? " (QU)" : " (QM)");
		pb_str(pb, "? ");
		if (!name_print(pb, m, 12))
			return false;
	}
	pb_str(pb, " (");
	pb_u(pb, len);
	pb_ch(pb, ')');
	return true;
}
