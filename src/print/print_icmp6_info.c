// SPDX-License-Identifier: BSD-3-Clause
/* ICMPv6 messages outside neighbour discovery, as tcpdump 4.99.3 prints them after the type
 * name: node information queries and replies (type 139/140), RPL control messages (155) and
 * router renumbering (138). Lengths are judged on what was captured of the message, as
 * tcpdump judges them on its snapshot end.
 * specification: RFC 4620 §4-§6 (node information: qtypes, subjects, replies, node address
 * flags); RFC 6550 §6.2-§6.5 (RPL DIS, DIO, DAO, DAO-ACK, options); RFC 2894 §3 (router
 * renumbering header, match-prefix and use-prefix parts). */
#include "print_int.h"

/* How a body ended: printed, cut where tcpdump checks a length itself (a mark, the line goes
 * on), or cut where its GET_ macros give up (the caller's mark ends the line). */
enum info_rc { INFO_OK, INFO_SOFT_TRUNC, INFO_HARD_TRUNC };

/* "LABELvalue", the fields' common form ("seq:9", "ord=2"). */
static void field_u(struct pbuf *pb, const char *label, uint64_t v)
{
	pb_str(pb, label);
	pb_u(pb, v);
}

/* tcpdump's fn_print_char: printable ASCII as is, else M- for the high bit and ^X for controls */
static void name_char(struct pbuf *pb, uint8_t ch)
{
	if (ch & 0x80) {
		pb_str(pb, "M-");
		ch &= 0x7f;
	}
	if (ch < 0x20 || ch == 0x7f) {
		pb_ch(pb, '^');
		pb_ch(pb, ch == 0x7f ? '?' : (char)(ch + '@'));
	} else {
		pb_ch(pb, (char)ch);
	}
}

/* ', "NAME"' of the DNS-encoded name (no compression) from off to end, or of a one-byte
 * counted string (the old icmp-name-lookup-03 draft) when its length byte says so. */
static void ni_name(struct pbuf *pb, const struct cursor *m, size_t off, size_t end, bool v)
{
	if (off < end && cur_at_u8(m, off) == end - off - 1) {
		if (v)
			pb_str(pb, ", 03 draft");
		pb_str(pb, ", \"");
		for (off++; off < end; off++)
			name_char(pb, cur_at_u8(m, off));
		pb_ch(pb, '"');
		return;
	}
	pb_str(pb, ", \"");
	while (off < end) {
		unsigned l = cur_at_u8(m, off++);

		if (l) {
			if (l > end - off) {
				pb_str(pb, "???");
				break;
			}
			for (; l && off < end; l--)
				name_char(pb, cur_at_u8(m, off++));
			if (off + 1 < end && cur_at_u8(m, off))
				pb_ch(pb, '.');
			continue;
		}
		if (off == end)
			pb_ch(pb, '.');		/* a fully qualified name */
		else if (!(off + 1 == end && cur_at_u8(m, off) == 0))
			pb_str(pb, "???");
		break;
	}
	pb_ch(pb, '"');
}

/* RFC 4620 §6.3 node address flags (low bits of the flags field). */
static void ni_addr_flags(struct pbuf *pb, unsigned f, bool with_t)
{
	static const struct {
		unsigned bit;
		char ch;
	} bits[] = { { 0x40, 'a' }, { 0x20, 'G' }, { 0x10, 'S' }, { 0x08, 'L' }, { 0x04, 'C' },
		     { 0x02, 'A' }, { 0x01, 'T' } };

	if (!f)
		return;
	pb_str(pb, " [");
	for (unsigned k = 0; k < sizeof(bits) / sizeof(bits[0]); k++)
		if ((f & bits[k].bit) && (with_t || bits[k].ch != 'T'))
			pb_ch(pb, bits[k].ch);
	pb_ch(pb, ']');
}

static void ni_qtype(struct pbuf *pb, unsigned qtype, unsigned flags)
{
	switch (qtype) {
	case 0: pb_str(pb, "noop"); break;
	case 1:
		pb_str(pb, "supported qtypes");
		if (flags)
			pb_str(pb, flags & 1 ? " [C]" : " []");
		break;
	case 2: pb_str(pb, "DNS name"); break;
	case 3: pb_str(pb, "node addresses"); break;
	default: pb_str(pb, "unknown"); break;
	}
}

/* Type 139; siz: the captured bytes of the message. False: truncated. */
static enum info_rc ni_query(struct pstate *ps, const struct cursor *m, size_t siz)
{
	struct pbuf *pb = ps->pb;
	bool v = ps->o->vflag > 0;
	unsigned qtype, code = cur_at_u8(m, 1);

	if (siz == 12) {		/* KAME's who-are-you */
		pb_str(pb, " who-are-you request");
		return INFO_OK;
	}
	pb_str(pb, " node information query");
	if (siz < 16)
		return INFO_SOFT_TRUNC;
	qtype = cur_at_be16(m, 4);
	pb_str(pb, " (");
	ni_qtype(pb, qtype, qtype == 3 ? 0 : cur_at_be16(m, 6));
	if (qtype == 3)
		ni_addr_flags(pb, cur_at_be16(m, 6), false);
	if (qtype == 0 || qtype == 1) {
		if (siz != 16 && v)
			pb_str(pb, ", invalid len");
	} else if (siz == 16) {
		pb_str(pb, ", 03 draft");
	} else if (code == 0 || code == 2) {	/* subject: an IPv6 or IPv4 address */
		size_t alen = code == 0 ? 16 : 4;

		if (siz >= 16 + alen) {
			if (siz != 16 + alen) {
				if (v)
					pb_str(pb, ", invalid subject len");
			} else {
				pb_str(pb, ", subject=");
				print_ip_at(pb, code == 0 ? 6 : 4, m, 16);
			}
		}
	} else if (code == 1) {
		pb_str(pb, ", subject=DNS name");
		ni_name(pb, m, 16, siz, v);
	} else {
		pb_str(pb, ", unknown subject");
	}
	pb_ch(pb, ')');
	return INFO_OK;
}

/* Type 140; len: the message length by the IPv6 header. */
static enum info_rc ni_reply(struct pstate *ps, const struct cursor *m, size_t siz, uint32_t len)
{
	struct pbuf *pb = ps->pb;
	bool v = ps->o->vflag > 0, comma = false;
	unsigned code = cur_at_u8(m, 1), qtype, flags;

	if (len > siz || siz < 16)
		return INFO_SOFT_TRUNC;
	pb_str(pb, " node information reply (");
	if ((code == 0 && v) || code == 1 || code == 2) {
		pb_str(pb, code == 0 ? "success" : code == 1 ? "refused" : "unknown");
		comma = true;
		if (code != 0 && siz != 16 && v)
			pb_str(pb, ", invalid length");
	}
	if (code != 0) {
		pb_ch(pb, ')');
		return INFO_OK;
	}
	qtype = cur_at_be16(m, 4);
	flags = cur_at_be16(m, 6);
	if (comma)
		pb_str(pb, ", ");
	ni_qtype(pb, qtype, flags);
	if (qtype == 0 && siz != 16 && v)
		pb_str(pb, ", invalid length");
	if (qtype == 2) {
		if (siz <= 20)		/* the name's first byte is read unchecked */
			return INFO_HARD_TRUNC;
		ni_name(pb, m, 20, siz, v);
		if (flags & 1) {
			field_u(pb, " [TTL=", cur_at_be32(m, 16));
			pb_ch(pb, ']');
		}
	} else if (qtype == 3) {
		for (size_t i = 16; i + 20 <= siz; i += 20) {	/* TTL, address */
			pb_ch(pb, ' ');
			print_ip6_at(pb, m, i + 4);
			pb_ch(pb, '(');
			pb_u(pb, cur_at_be32(m, i));
			pb_ch(pb, ')');
		}
		ni_addr_flags(pb, flags, true);
	}
	pb_ch(pb, ')');
	return INFO_OK;
}

/* RPL options after a DIO, DAO or DAO-ACK base (with -vv). */
static enum info_rc rpl_options(struct pstate *ps, const struct cursor *m, size_t off, size_t end)
{
	static const char *const names[] = { "pad1", "padN", "metrics", "routinginfo", "config",
					     "rpltarget", "transitinfo", "destprefix",
					     "rpltargetdesc" };
	struct pbuf *pb = ps->pb;

	while (off < end) {
		unsigned t = cur_at_u8(m, off), olen;

		if (t == 0) {
			pb_str(pb, " opt:pad1");
			off++;
			continue;
		}
		if (end - off < 2)
			return INFO_SOFT_TRUNC;
		olen = cur_at_u8(m, off + 1) + 2u;
		pb_str(pb, " opt:");
		if (t < sizeof(names) / sizeof(names[0])) {
			pb_str(pb, names[t]);
		} else {
			field_u(pb, "subopt:", t);
		}
		field_u(pb, " len:", olen);
		pb_ch(pb, ' ');
		if (end - off < olen)
			return INFO_SOFT_TRUNC;
		if (ps->o->vflag > 2)	/* tcpdump's hex_print: " 0xOOOO: " then 16-bit groups */
			for (unsigned k = 0; k < olen - 2u; k += 2) {
				if (k % 16 == 0) {
					pb_str(pb, " 0x");
					pb_hex(pb, k, 4);
					pb_str(pb, ": ");
				}
				pb_ch(pb, ' ');
				pb_hex(pb, cur_at_u8(m, off + 2 + k), 2);
				if (k + 1 < olen - 2u)
					pb_hex(pb, cur_at_u8(m, off + 3 + k), 2);
			}
		off += olen;
	}
	return INFO_OK;
}

/* The DAO / DAO-ACK DODAGID: present when the D flag is set, else "<elided>". */
static void rpl_dagid(struct pbuf *pb, const struct cursor *m, size_t off, bool present)
{
	pb_str(pb, " [dagid:");
	if (present)
		print_ip6_at(pb, m, off);
	else
		pb_str(pb, "<elided>");
}

/* Type 155: m at the ICMPv6 header; the base starts at 4. */
static enum info_rc rpl(struct pstate *ps, const struct cursor *m, size_t siz, uint32_t len)
{
	static const char *const mops[] = { "nonstoring", "storing", "nonstoring-multicast",
					    "storing-multicast" };
	struct pbuf *pb = ps->pb;
	unsigned code = cur_at_u8(m, 1);
	bool v = ps->o->vflag > 0, vv = ps->o->vflag > 1;
	size_t end = len < siz ? len : siz;

	if (code & 0x80) {
		pb_str(pb, ", (SEC) [worktodo]");
		return INFO_OK;
	}
	pb_str(pb, ", (CLR)");
	switch (code) {
	case 0:
		pb_str(pb, "DODAG Information Solicitation");
		return INFO_OK;
	case 1: {
		unsigned mopprf = cur_at_u8(m, 8), mop = (mopprf >> 3) & 7;

		pb_str(pb, "DODAG Information Object");
		if (!v)
			return INFO_OK;
		if (len < 4 + 24) {
			field_u(pb, " [length ", len - 4);
			pb_str(pb, " < 24] (invalid)");
			return INFO_OK;
		}
		if (siz < 4 + 24)
			return INFO_HARD_TRUNC;
		pb_str(pb, " [dagid:");
		print_ip6_at(pb, m, 12);
		field_u(pb, ",seq:", cur_at_u8(m, 9));
		field_u(pb, ",instance:", cur_at_u8(m, 4));
		field_u(pb, ",rank:", cur_at_be16(m, 6));
		pb_ch(pb, ',');
		if (mopprf & 0x80)
			pb_str(pb, "grounded,");
		pb_str(pb, "mop:");
		if (mop < 4) {
			pb_str(pb, mops[mop]);
		} else {
			field_u(pb, "mop", mop);
		}
		field_u(pb, ",prf:", mopprf & 7);
		pb_ch(pb, ']');
		return vv ? rpl_options(ps, m, 28, end) : INFO_OK;
	}
	case 2:
	case 3: {
		/* DAO: instance, flags (K 0x80, D 0x40), reserved, sequence; DAO-ACK: instance,
		 * flags (D 0x80), sequence, status */
		bool dao = code == 2;
		unsigned flags = cur_at_u8(m, 5);
		bool d = flags & (dao ? 0x40 : 0x80);
		size_t base = 4 + 4 + (d ? 16u : 0u);

		pb_str(pb, dao ? "Destination Advertisement Object" :
			   "Destination Advertisement Object Ack");
		if (!v)
			return INFO_OK;
		/* tcpdump checks a DAO's whole base (DODAGID included) is captured */
		if (dao ? siz < 24 : (siz < 8 || (d && siz < base)))
			return INFO_SOFT_TRUNC;
		if (len < base) {
			pb_str(pb, dao ? " [|length too short]" : " [|dao-length too short]");
			return INFO_OK;
		}
		rpl_dagid(pb, m, 8, d);
		field_u(pb, ",seq:", cur_at_u8(m, dao ? 7 : 6));
		field_u(pb, ",instance:", cur_at_u8(m, 4));
		if (dao) {
			if (flags & 0x80)
				pb_str(pb, ",acK");
			if (d)
				pb_str(pb, ",Dagid");
			pb_ch(pb, ',');
			pb_hex(pb, flags, 2);
		} else {
			field_u(pb, ",status:", cur_at_u8(m, 7));
		}
		pb_ch(pb, ']');
		return vv ? rpl_options(ps, m, base, end) : INFO_OK;
	}
	default:
		field_u(pb, "RPL message, unknown code ", code);
		return INFO_OK;
	}
}

/* RFC 2894 §3.1 use-prefix parts of a command's match-prefix part at off. */
static enum info_rc rr_uses(struct pstate *ps, const struct cursor *m, size_t off, int n)
{
	struct pbuf *pb = ps->pb;
	bool v = ps->o->vflag > 0;

	for (; n > 0; n--, off += 32) {
		unsigned flags = cur_at_u8(m, off + 12);

		if (!cur_has(m, off, 32))
			return INFO_SOFT_TRUNC;
		pb_str(pb, ps->o->vflag > 1 ? "\n\tuse(" : " use(");
		if (flags) {
			if (flags & 0x80)
				pb_ch(pb, 'V');
			if (flags & 0x40)
				pb_ch(pb, 'P');
			pb_ch(pb, ',');
		}
		if (v) {
			pb_str(pb, "mask=0x");
			pb_hex(pb, cur_at_u8(m, off + 2), 1);
			pb_str(pb, ",raflags=0x");
			pb_hex(pb, cur_at_u8(m, off + 3), 1);
			pb_ch(pb, ',');
			for (int k = 0; k < 2; k++) {
				uint32_t t = cur_at_be32(m, off + 4 + 4u * k);

				pb_str(pb, k ? "pltime=" : "vltime=");
				if (t == 0xffffffffu)
					pb_str(pb, "infty");
				else
					pb_u(pb, t);
				pb_ch(pb, ',');
			}
		}
		print_ip6_at(pb, m, off + 16);
		pb_ch(pb, '/');
		pb_u(pb, cur_at_u8(m, off));
		pb_ch(pb, '/');
		pb_u(pb, cur_at_u8(m, off + 1));
		pb_ch(pb, ')');
	}
	return INFO_OK;
}

/* Type 138. */
static enum info_rc router_renumbering(struct pstate *ps, const struct cursor *m)
{
	struct pbuf *pb = ps->pb;
	unsigned code = cur_at_u8(m, 1), rflags, mcode;
	int n;

	if (!cur_has(m, 0, 16))
		return INFO_SOFT_TRUNC;
	if (code == 0)
		pb_str(pb, ", command");
	else if (code == 1)
		pb_str(pb, ", result");
	else if (code == 255)
		pb_str(pb, ", sequence number reset");
	else {
		field_u(pb, ", code-#", code);
	}
	field_u(pb, ", seq=", cur_at_be32(m, 4));
	rflags = cur_at_u8(m, 9);
	if (ps->o->vflag) {
		static const char letters[] = "TRASP";

		pb_ch(pb, '[');
		if (rflags) {
			for (int k = 0; k < 5; k++)
				if (rflags & (0x80 >> k))
					pb_ch(pb, letters[k]);
			pb_ch(pb, ',');
		}
		field_u(pb, "seg=", cur_at_u8(m, 8));
		field_u(pb, ",maxdelay=", cur_at_be16(m, 10));
		if (cur_at_be32(m, 12)) {
			pb_str(pb, "rsvd=0x");
			pb_hex(pb, cur_at_be32(m, 12), 1);
		}
		pb_ch(pb, ']');
	}
	if (code != 0)
		return INFO_OK;
	if (!cur_has(m, 16, 24))		/* the match-prefix part */
		return INFO_SOFT_TRUNC;
	pb_str(pb, ps->o->vflag > 1 ? "\n\tmatch(" : " match(");
	mcode = cur_at_u8(m, 16);
	if (mcode >= 1 && mcode <= 3) {
		pb_str(pb, mcode == 1 ? "add" : mcode == 2 ? "change" : "setglobal");
	} else {
		pb_ch(pb, '#');
		pb_u(pb, mcode);
	}
	if (ps->o->vflag) {
		field_u(pb, ",ord=", cur_at_u8(m, 18));
		field_u(pb, ",min=", cur_at_u8(m, 20));
		field_u(pb, ",max=", cur_at_u8(m, 21));
	}
	pb_ch(pb, ',');
	print_ip6_at(pb, m, 24);
	pb_ch(pb, '/');
	pb_u(pb, cur_at_u8(m, 19));
	pb_ch(pb, ')');
	n = (int)cur_at_u8(m, 17) - 3;	/* the part's length in 8-byte units */
	if (n % 4)
		return INFO_SOFT_TRUNC;
	return rr_uses(ps, m, 40, n / 4);
}

bool print_icmp6_info(struct pstate *ps, struct cursor m, uint32_t len)
{
	size_t siz = cur_left(&m) < len ? cur_left(&m) : len;
	enum info_rc rc;

	switch (cur_at_u8(&m, 0)) {
	case 138:
		rc = router_renumbering(ps, &m);
		break;
	case 139:
		rc = ni_query(ps, &m, siz);
		break;
	case 140:
		rc = ni_reply(ps, &m, siz, len);
		break;
	default:
		rc = rpl(ps, &m, siz, len);
		break;
	}
	if (rc == INFO_SOFT_TRUNC)	/* tcpdump's own length checks: the line goes on */
		print_trunc_mark(ps, "icmp6");
	return rc != INFO_HARD_TRUNC;
}
