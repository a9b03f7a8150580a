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

bool print_grouprec_sources(struct pstate *ps, const uint8_t *s, unsigned n, size_t avail,
			    size_t alen)
{
	struct pbuf *pb = ps->pb;

	if (ps->o->vflag > 1) {
		pb_str(pb, " {");
		for (unsigned i = 0; i < n; i++) {
			if (avail < (i + 1) * alen)
				return false;
			pb_ch(pb, ' ');
			pb_ip(pb, alen == 4 ? 4 : 6, s + i * alen);
		}
		pb_str(pb, " }");
	} else {
		pb_str(pb, ", ");
		pb_u(pb, n);
		pb_str(pb, " source(s)");
	}
	return true;
}

bool print_grouprec_report(struct pstate *ps, const uint8_t *d, size_t cap, uint32_t len,
			   size_t alen, const char *unknown, bool aux)
{
	struct pbuf *pb = ps->pb;
	size_t hdr = 4 + alen;	/* type, aux len, number of sources, group address */
	unsigned ngroups;
	size_t g = 8;

	if (cap < 8)
		return false;
	ngroups = (unsigned)(d[6] << 8 | d[7]);
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
		pb_ip(pb, alen == 4 ? 4 : 6, d + g + 4);
		rt = record_name(d[g]);
		if (rt) {
			pb_ch(pb, ' ');
			pb_str(pb, rt);
		} else {
			pb_str(pb, "  [");
			pb_str(pb, unknown);
			pb_str(pb, "-#");
			pb_u(pb, d[g]);
			pb_ch(pb, ']');
		}
		n = (unsigned)(d[g + 2] << 8 | d[g + 3]);
		if (len < g + hdr + n * alen) {
			pb_str(pb, " [invalid number of sources ");
			pb_u(pb, n);
			pb_ch(pb, ']');
			return true;
		}
		if (!print_grouprec_sources(ps, d + g + hdr, n, cap - g - hdr, alen))
			return false;
		pb_ch(pb, ']');
		g += hdr + n * alen + (aux ? d[g + 1] * 4u : 0);
	}
	return true;
}
