// SPDX-License-Identifier: BSD-3-Clause
/* IGMPv3 / MLDv2 source lists and group records, shared by the IGMP and ICMPv6 printers.
 * specification: RFC 3376 §4.2.4 (IGMPv3 group record), RFC 3810 §5.2.4 (MLDv2 address
 * record): type, aux data len, number of sources, multicast address, source addresses. */
#include "print_grouprec.h"

static const char *record_name(uint8_t t)
{
	switch (t) {
	case 1: return "is_in";
	case 2: return "is_ex";
	case 3: return "to_in";
	case 4: return "to_ex";
	case 5: return "allow";
	case 6: return "block";
	default: return NULL;
	}
}

bool print_grouprec_sources(struct pstate *ps, struct cursor s, unsigned n, size_t alen)
{
	struct pbuf *pb = ps->pb;

	if (ps->o->vflag > 1) {
		pb_str(pb, " {");
		for (unsigned i = 0; i < n; i++) {
			if (!cur_has(&s, i * alen, alen))
				return false;
			pb_ch(pb, ' ');
			print_ip_at(pb, alen == 4 ? 4 : 6, &s, i * alen);
		}
		pb_str(pb, " }");
	} else {
		pb_str(pb, ", ");
		pb_u(pb, n);
		pb_str(pb, " source(s)");
	}
	return true;
}

bool print_grouprec_report(struct pstate *ps, struct cursor d, uint32_t len, size_t alen,
			   const char *unknown, bool aux)
{
	struct pbuf *pb = ps->pb;
	size_t cap = cur_left(&d);
	size_t hdr = 4 + alen;	/* type, aux len, number of sources, group address */
	unsigned ngroups;
	size_t g = 8;

	if (cap < 8)
		return false;
	ngroups = cur_at_be16(&d, 6);
	pb_str(pb, ", ");
	pb_u(pb, ngroups);
	pb_str(pb, " group record(s)");
	if (!ps->o->vflag)
		return true;
	for (unsigned i = 0; i < ngroups; i++) {
		const char *rt;
		unsigned n;

		if (len < g + hdr) {
			pb_str(pb, " [invalid number of groups]");
			return true;
		}
		if (cap < g + hdr)
			return false;
		pb_str(pb, " [gaddr ");
		print_ip_at(pb, alen == 4 ? 4 : 6, &d, g + 4);
		rt = record_name(cur_at_u8(&d, g));
		if (rt) {
			pb_ch(pb, ' ');
			pb_str(pb, rt);
		} else {
			pb_str(pb, "  [");
			pb_str(pb, unknown);
			pb_str(pb, "-#");
			pb_u(pb, cur_at_u8(&d, g));
			pb_ch(pb, ']');
		}
		n = cur_at_be16(&d, g + 2);
		if (len < g + hdr + n * alen) {
			pb_str(pb, " [invalid number of sources ");
			pb_u(pb, n);
			pb_ch(pb, ']');
			return true;
		}
		if (!print_grouprec_sources(ps, cur_from(&d, g + hdr), n, alen))
			return false;
		pb_ch(pb, ']');
		g += hdr + n * alen + (aux ? cur_at_u8(&d, g + 1) * 4u : 0);
	}
	return true;
}
