// SPDX-License-Identifier: BSD-3-Clause
/* IPv6 lines as tcpdump 4.99 prints them: fixed header (-v adds class, flow label, hop limit,
 * next header and payload length), then extension headers in order: hop-by-hop and
 * destination options ("HBH ", "DSTOPT ", options with -v), routing ("srcrt (...) ") and
 * fragment ("frag (OFF|LEN) "), then the upper-layer protocol.
 * specification: RFC 8200 §3-4 (header, extension headers), RFC 2711 (Router Alert),
 * RFC 8754 §2 (Segment Routing Header). */
#include "print_int.h"

/* Options of a hop-by-hop or destination options header (-v only), in tcpdump's spacing:
 * "(pad1)", "(padn)", "(rtalert: 0xNNNN) ", "(jumbo: N) ", "(opt_type 0xTT: len=N)".
 * The options are walked without -v too (show false): a length running past the header makes
 * tcpdump mark the header truncated. Returns false then. */
static bool ext_options(struct pbuf *pb, struct cursor p, bool show)
{
	size_t i = 0, len = cur_left(&p);

	while (i < len) {
		uint8_t t = cur_at_u8(&p, i);
		size_t olen;

		if (t == 0) {
			if (show)
				pb_str(pb, "(pad1)");
			i++;
			continue;
		}
		if (i + 2 > len)
			return false;
		olen = cur_at_u8(&p, i + 1) + 2u;
		if (i + olen > len)
			return false;
		if (!show) {
			i += olen;
			continue;
		}
		switch (t) {
		case 1:
			pb_str(pb, "(padn)");
			break;
		case 5:
			if (olen != 4) {
				pb_str(pb, "(rtalert: invalid len ");
				pb_u(pb, olen - 2);
				pb_ch(pb, ')');
			} else {
				pb_str(pb, "(rtalert: 0x");
				pb_hex(pb, cur_at_be16(&p, i + 2), 4);
				pb_str(pb, ") ");
			}
			break;
		case 0xc2:
			if (olen != 6) {
				pb_str(pb, "(jumbo: invalid len ");
				pb_u(pb, olen - 2);
				pb_ch(pb, ')');
			} else {
				pb_str(pb, "(jumbo: ");
				pb_u(pb, cur_at_be32(&p, i + 2));
				pb_str(pb, ") ");
			}
			break;
		default:
			pb_str(pb, "(opt_type 0x");
			pb_hex(pb, t, 2);
			pb_str(pb, ": len=");
			pb_u(pb, olen - 2);
			pb_ch(pb, ')');
			break;
		}
		i += olen;
	}
	if (show)
		pb_ch(pb, ' ');
	return true;
}

/* Whether the hop-by-hop options of an hlen-byte header carry a Jumbo Payload option
 * (RFC 2675 §2: type 0xC2, 4 bytes of length); *jlen gets that length. */
static bool has_jumbo(struct cursor p, unsigned hlen, uint32_t *jlen)
{
	unsigned i = 2;

	while (i < hlen && cur_has(&p, i, 1)) {
		uint8_t t = cur_at_u8(&p, i);
		unsigned olen;

		if (t == 0) {
			i++;
			continue;
		}
		olen = cur_at_u8(&p, i + 1) + 2u;
		if (t == 0xc2 && olen == 6) {
			*jlen = cur_at_be32(&p, i + 2);
			return true;
		}
		i += olen;
	}
	return false;
}

/* Returns the header length, or 0 when truncated (already marked). */
static unsigned opts_header(struct pstate *ps, struct cursor p, const char *name)
{
	size_t left = cur_left(&p);
	unsigned hlen;

	if (left < 2) {
		print_trunc(ps, name[0] == 'H' ? "hbhopt" : "dstopt");
		return 0;
	}
	hlen = (cur_at_u8(&p, 1) + 1u) * 8;
	if (left < hlen) {	/* tcpdump's ND_TCHECK_LEN of the whole header: no longjmp */
		print_trunc_mark(ps, name[0] == 'H' ? "hbhopt" : "dstopt");
		return 0;
	}
	pb_str(ps->pb, name);
	pb_ch(ps->pb, ' ');
	if (!ext_options(ps->pb, cur_sub_at(&p, 2, hlen - 2), ps->o->vflag > 0)) {
		print_trunc(ps, name[0] == 'H' ? "hbhopt" : "dstopt");
		return 0;
	}
	return hlen;
}

/* "RT6 (...) "; sets *final to the packet's final destination (for pseudo-header checksums).
 * Returns the header length, or 0 when the line ends here. */
static unsigned routing_header(struct pstate *ps, struct cursor p, const uint8_t **final)
{
	struct pbuf *pb = ps->pb;
	size_t left = cur_left(&p);
	unsigned hlen, type, naddr, last;

	/* printed field by field, as far as the captured bytes go */
	if (left < 1) {
		print_trunc(ps, "ip6");
		return 0;
	}
	if (left < 2)
		goto trunc;
	hlen = (cur_at_u8(&p, 1) + 1u) * 8;
	pb_str(pb, "RT6 (len=");
	pb_u(pb, cur_at_u8(&p, 1));
	if (left < 3)
		goto trunc;
	type = cur_at_u8(&p, 2);
	pb_str(pb, ", type=");
	pb_u(pb, type);
	if (type == 0)
		pb_str(pb, " [Deprecated]");
	if (left < 4)
		goto trunc;
	pb_str(pb, ", segleft=");
	pb_u(pb, cur_at_u8(&p, 3));
	if (type != 0 && type != 2 && type != 4) {
		pb_str(pb, " (unknown type) (invalid)");
		return 0;
	}
	naddr = cur_at_u8(&p, 1) / 2u;
	last = naddr;
	if (type == 4) {
		if (left < 5)
			goto trunc;
		pb_str(pb, ", last-entry=");
		pb_u(pb, cur_at_u8(&p, 4));
		if (left < 6)
			goto trunc;
		if (cur_at_u8(&p, 5) || ps->o->vflag) {
			pb_str(pb, ", flags=0x");
			pb_hex(pb, cur_at_u8(&p, 5), 1);
		}
		if (left < 8)
			goto trunc;
		pb_str(pb, ", tag=");
		pb_hex(pb, cur_at_be16(&p, 6), 1);
		last = cur_at_u8(&p, 4) + 1u < naddr ? cur_at_u8(&p, 4) + 1u : naddr;
	} else {
		uint32_t rsv;

		if (left < 8)
			goto trunc;
		rsv = cur_at_be32(&p, 4);
		if (rsv || ps->o->vflag) {
			pb_str(pb, ", rsv=0x");
			pb_hex(pb, rsv, 1);
		}
		if (cur_at_u8(&p, 1) % 2 == 1)
			goto trunc;
	}
	for (unsigned i = 0; i < last; i++) {
		if (left < 8 + (i + 1) * 16u)
			goto trunc;
		pb_str(pb, ", [");
		pb_u(pb, i);
		pb_ch(pb, ']');
		print_ip6_at(pb, &p, 8 + i * 16);
	}
	pb_str(pb, ") ");
	/* RFC 8200 §8.1: the checksum uses the final destination: the last address of a type 0/2
	 * header, the first segment (Segment List[0]) of an SRH */
	if (naddr && left >= 8 + naddr * 16u)
		*final = cur_at_ptr(&p, type == 4 ? 8 : 8 + (naddr - 1) * 16, 16);
	return hlen;
trunc:
	print_trunc(ps, "rt6");
	return 0;
}

void print_ip6(struct pstate *ps, struct cursor c, uint32_t length)
{
	struct pbuf *pb = ps->pb;
	const struct options *o = ps->o;
	size_t caplen = cur_left(&c), off;
	uint32_t plen, len, flow;
	uint8_t nh;
	bool jumbo = false;		/* a Jumbo Payload option was seen (payload length 0) */
	uint32_t jumbo_len = 0;
	struct ipinfo ip = { .ver = 6 };

	if (caplen < 1) {
		print_trunc_mark(ps, "ip6");
		return;
	}
	if (caplen < 40) {
		print_trunc_mark(ps, "ip6");
		return;
	}
	if ((cur_at_u8(&c, 0) >> 4) != 6) {
		pb_str(pb, o->eflag ? "version error: " : "IP6 version error: ");
		pb_u(pb, cur_at_u8(&c, 0) >> 4);
		pb_str(pb, " != 6");
		return;
	}
	if (!o->eflag)
		pb_str(pb, "IP6 ");
	if (length < 40) {
		pb_str(pb, "truncated-ip6 ");
		pb_u(pb, length);
		return;
	}
	plen = cur_at_be16(&c, 4);
	if (plen != 0) {
		len = plen + 40;
		if (length < len) {
			pb_str(pb, "truncated-ip6 - ");
			pb_u(pb, len - length);
			pb_str(pb, " bytes missing!");	/* tcpdump keeps the header's length */
		}
	} else {
		len = length;	/* jumbogram or TSO: trust the layer below */
	}
	nh = cur_at_u8(&c, 6);
	if (o->vflag) {
		flow = cur_at_be32(&c, 0);
		pb_ch(pb, '(');
		if (flow & 0x0ff00000) {
			pb_str(pb, "class 0x");
			pb_hex(pb, (flow & 0x0ff00000) >> 20, 2);
			pb_str(pb, ", ");
		}
		if (flow & 0x000fffff) {
			pb_str(pb, "flowlabel 0x");
			pb_hex(pb, flow & 0x000fffff, 5);
			pb_str(pb, ", ");
		}
		pb_str(pb, "hlim ");
		pb_u(pb, cur_at_u8(&c, 7));
		pb_str(pb, ", next-header ");
		pb_str(pb, print_ipproto_name(nh) ? print_ipproto_name(nh) : "unknown");
		pb_str(pb, " (");
		pb_u(pb, nh);
		pb_str(pb, ") payload length: ");
		pb_u(pb, plen);
		pb_str(pb, ") ");
	}
	ip.src = cur_at_ptr(&c, 8, 16);
	ip.dst = cur_at_ptr(&c, 24, 16);
	ip.first_nxt = nh;
	if (nh != 6 && nh != 17 && nh != 132) {
		pb_ip6(pb, ip.src);
		pb_str(pb, " > ");
		pb_ip6(pb, ip.dst);
		pb_str(pb, ": ");
	}
	off = 40;
	for (;;) {
		/* this header and what follows it, within the captured part of len */
		struct cursor p = cur_sub_at(&c, off, off <= len ? len - off : 0);
		size_t left = cur_left(&p);
		unsigned adv;

		if (off > len) {
			print_trunc(ps, "ip6");
			return;
		}
		switch (nh) {
		case 0:
			adv = opts_header(ps, p, "HBH");
			if (adv && plen == 0) {
				jumbo = has_jumbo(p, adv, &jumbo_len);
				if (!jumbo) {
					pb_str(pb, "[No valid Jumbo Payload Hop-by-Hop option found]"
						   " (invalid)");
					return;
				}
			}
			break;
		case 60:
			adv = opts_header(ps, p, "DSTOPT");
			break;
		case 43:
			adv = routing_header(ps, p, &ip.final_dst);
			break;
		case 44: {
			uint16_t foff;

			if (left < (o->vflag ? 8u : 4u)) {
				print_trunc(ps, "frag6");
				return;
			}
			foff = cur_at_be16(&p, 2) & 0xfff8;
			pb_str(pb, "frag (");
			if (o->vflag) {
				pb_str(pb, "0x");
				pb_hex(pb, cur_at_be32(&p, 4), 8);
				pb_ch(pb, ':');
			}
			pb_u(pb, foff);
			pb_ch(pb, '|');
			if (plen == 0) {	/* tcpdump's unsigned 64-bit arithmetic wraps */
				pb_u(pb, (uint64_t)40 - off - 8);
				pb_ch(pb, ')');
			} else if (off + 8 > 40 + plen) {
				pb_str(pb, "[|frag])");
			} else {
				pb_u(pb, 40 + plen - off - 8);
				pb_ch(pb, ')');
			}
			if (foff != 0)
				return;
			pb_ch(pb, ' ');
			ip.fragmented = true;
			adv = 8;
			if (off + adv >= caplen)
				return;
			break;
		}
		default:
			ip.len = len - (uint32_t)off;
			if (jumbo) {
				/* RFC 2675: the option's length counts from after the IPv6 header */
				uint64_t total = (uint64_t)jumbo_len + 40;

				if (total < off) {
					print_trunc_mark(ps, "ip6");
					return;
				}
				if (length < total) {
					pb_str(pb, "truncated-ip6 - ");
					pb_u(pb, total - length);
					pb_str(pb, " bytes missing!");
				}
				ip.len = (uint32_t)(total - off);
			}
			if (plen == 0 && !jumbo) {
				/* payload length 0 without a jumbo option: tcpdump 4.99.3 takes the
				 * packet as its header alone; an extension header had no room */
				if (off > 40) {
					print_trunc_mark(ps, "ip6");
					return;
				}
				ip.len = 0;
				print_ip_demux(ps, cur_sub_at(&c, off, 0), &ip, nh, 0);
				return;
			}
			cur_skip(&c, off);
			print_ip_demux(ps, c, &ip, nh, ip.len);
			return;
		}
		if (!adv)
			return;
		nh = cur_at_u8(&p, 0);
		off += adv;
	}
}
