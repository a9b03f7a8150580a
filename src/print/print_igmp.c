// SPDX-License-Identifier: BSD-3-Clause
/* IGMP lines as tcpdump 4.99 prints them ("igmp v2 report 239.1.2.3", "igmp query v3 [...]",
 * "igmp v3 report, N group record(s)"; records with -v, sources with -vv, "igmp" alone with -q).
 * specification: RFC 1112 (v1), RFC 2236 (v2), RFC 3376 §4 (v3). */
#include "print_grouprec.h"
#include "print_int.h"

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static bool nonzero4(const uint8_t *p)
{
	return p[0] | p[1] | p[2] | p[3];
}

/* RFC 3376 §4.1.1 exponential code, in tenths of a second. */
static uint32_t v3_time(uint8_t code)
{
	return code < 128 ? code : ((uint32_t)(code & 0x0f) | 0x10) << (((code & 0x70) >> 4) + 3);
}

/* tcpdump's unsigned_relts_print: "1h2m3s", zero units left out. */
static void relts(struct pbuf *pb, uint32_t secs)
{
	static const uint32_t units[] = { 31536000, 604800, 86400, 3600, 60, 1 };
	static const char names[] = "ywdhms";

	if (secs == 0) {
		pb_str(pb, "0s");
		return;
	}
	for (int i = 0; i < 6; i++) {
		if (secs >= units[i]) {
			pb_u(pb, secs / units[i]);
			pb_ch(pb, names[i]);
			secs %= units[i];
		}
	}
}

static bool query_v3(struct pstate *ps, const uint8_t *d, size_t cap, uint32_t len)
{
	struct pbuf *pb = ps->pb;
	uint32_t mrt = v3_time(d[1]);
	unsigned n;

	pb_str(pb, " v3");
	if (len & 3) {
		pb_str(pb, " [invalid len ");
		pb_u(pb, len);
		pb_ch(pb, ']');
		return true;
	}
	if (d[1] != 100) {
		pb_str(pb, " [max resp time ");
		if (mrt < 600) {
			pb_u(pb, mrt / 10);
			pb_ch(pb, '.');
			pb_u(pb, mrt % 10);
			pb_ch(pb, 's');
		} else {
			relts(pb, mrt / 10);
		}
		pb_ch(pb, ']');
	}
	if (cap < 8)
		return false;
	if (!nonzero4(d + 4))
		return true;
	pb_str(pb, " [gaddr ");
	pb_ip4(pb, d + 4);
	if (cap < 12)
		return false;
	n = be16(d + 10);
	if (n > 0) {
		if (len < 12 + n * 4u)
			pb_str(pb, " [invalid number of sources]");
		else if (!print_grouprec_sources(ps, d + 12, n, cap - 12, 4))
			return false;
	}
	pb_ch(pb, ']');
	return true;
}

void print_igmp(struct pstate *ps, struct cursor c, uint32_t len)
{
	struct pbuf *pb = ps->pb;
	const uint8_t *d = c.pos;
	size_t cap = cur_left(&c);
	bool ok = true;

	if (ps->o->qflag) {
		pb_str(pb, "igmp");
		return;
	}
	if (cap < 1) {
		print_trunc(ps, "igmp");
		return;
	}
	switch (d[0]) {
	case 0x11:
		pb_str(pb, "igmp query");
		if (len >= 12) {
			if (cap < 2)
				ok = false;
			else
				ok = query_v3(ps, d, cap, len);
			break;
		}
		if (cap < 2) {
			ok = false;
			break;
		}
		pb_str(pb, d[1] ? " v2" : " v1");
		if (d[1] && d[1] != 100) {
			pb_str(pb, " [max resp time ");
			pb_u(pb, d[1]);
			pb_ch(pb, ']');
		}
		if (cap < 8) {
			ok = false;
			break;
		}
		if (nonzero4(d + 4)) {
			pb_str(pb, " [gaddr ");
			pb_ip4(pb, d + 4);
			pb_ch(pb, ']');
		}
		if (len != 8) {
			pb_str(pb, " [len ");
			pb_u(pb, len);
			pb_ch(pb, ']');
		}
		break;
	case 0x12:
	case 0x16:
	case 0x17:
		if (cap < 8) {
			ok = false;
			break;
		}
		pb_str(pb, d[0] == 0x12 ? "igmp v1 report " : d[0] == 0x16 ? "igmp v2 report " :
			   "igmp leave ");
		pb_ip4(pb, d + 4);
		if (d[0] == 0x12 && len != 8) {
			pb_str(pb, " [len ");
			pb_u(pb, len);
			pb_ch(pb, ']');
		}
		break;
	case 0x22:
		pb_str(pb, "igmp v3 report");
		/* RFC 3376 §4.2: records of 8 + 4n bytes and aux data */
		ok = print_grouprec_report(ps, d, cap, len, 4, "v3-report", true);
		break;
	default:
		pb_str(pb, "igmp-");
		pb_u(pb, d[0]);
		break;
	}
	if (!ok) {
		print_trunc(ps, "igmp");
		return;
	}
	if (ps->o->vflag && len >= 4 && cap >= len &&
	    print_cksum_fold(print_cksum_add(0, d, len))) {
		pb_str(pb, " bad igmp cksum ");
		pb_hex(pb, be16(d + 2), 1);
		pb_ch(pb, '!');
	}
}
