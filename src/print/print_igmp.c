// SPDX-License-Identifier: BSD-3-Clause
/* IGMP lines as tcpdump 4.99 prints them ("igmp v2 report 239.1.2.3", "igmp query v3 [...]",
 * "igmp v3 report, N group record(s)"; records with -v, sources with -vv, "igmp" alone with -q).
 * specification: RFC 1112 (v1), RFC 2236 (v2), RFC 3376 §4 (v3). */
#include "print_grouprec.h"
#include "print_int.h"

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

static bool query_v3(struct pstate *ps, struct cursor d, uint32_t len)
{
	struct pbuf *pb = ps->pb;
	size_t cap = cur_left(&d);
	uint8_t code = cur_at_u8(&d, 1);
	uint32_t mrt = v3_time(code);
	unsigned n;

	pb_str(pb, " v3");
	if (len & 3) {
		pb_str(pb, " [invalid len ");
		pb_u(pb, len);
		pb_ch(pb, ']');
		return true;
	}
	if (code != 100) {
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
	if (!cur_at_be32(&d, 4))
		return true;
	pb_str(pb, " [gaddr ");
	print_ip4_at(pb, &d, 4);
	if (cap < 12)
		return false;
	n = cur_at_be16(&d, 10);
	if (n > 0) {
		if (len < 12 + n * 4u)
			pb_str(pb, " [invalid number of sources]");
		else if (!print_grouprec_sources(ps, cur_from(&d, 12), n, 4))
			return false;
	}
	pb_ch(pb, ']');
	return true;
}

void print_igmp(struct pstate *ps, struct cursor c, uint32_t len)
{
	struct pbuf *pb = ps->pb;
	size_t cap = cur_left(&c);
	uint8_t type = cur_at_u8(&c, 0), code = cur_at_u8(&c, 1);
	bool ok = true;

	if (ps->o->qflag) {
		pb_str(pb, "igmp");
		return;
	}
	if (cap < 1) {
		print_trunc(ps, "igmp");
		return;
	}
	switch (type) {
	case 0x11:
		pb_str(pb, "igmp query");
		if (len >= 12) {
			if (cap < 2)
				ok = false;
			else
				ok = query_v3(ps, c, len);
			break;
		}
		if (cap < 2) {
			ok = false;
			break;
		}
		pb_str(pb, code ? " v2" : " v1");
		if (code && code != 100) {
			pb_str(pb, " [max resp time ");
			pb_u(pb, code);
			pb_ch(pb, ']');
		}
		if (cap < 8) {
			ok = false;
			break;
		}
		if (cur_at_be32(&c, 4)) {
			pb_str(pb, " [gaddr ");
			print_ip4_at(pb, &c, 4);
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
		pb_str(pb, type == 0x12 ? "igmp v1 report " : type == 0x16 ? "igmp v2 report " :
			   "igmp leave ");
		print_ip4_at(pb, &c, 4);
		if (type == 0x12 && len != 8) {
			pb_str(pb, " [len ");
			pb_u(pb, len);
			pb_ch(pb, ']');
		}
		break;
	case 0x22:
		pb_str(pb, "igmp v3 report");
		/* RFC 3376 §4.2: records of 8 + 4n bytes and aux data */
		ok = print_grouprec_report(ps, c, len, 4, "v3-report", true);
		break;
	default:
		pb_str(pb, "igmp-");
		pb_u(pb, type);
		break;
	}
	if (!ok) {
		print_trunc(ps, "igmp");
		return;
	}
	if (ps->o->vflag && len >= 4 && cap >= len &&
	    print_cksum_fold(print_cksum_add(0, cur_at_ptr(&c, 0, len), len))) {
		pb_str(pb, " bad igmp cksum ");
		pb_hex(pb, cur_at_be16(&c, 2), 1);
		pb_ch(pb, '!');
	}
}
