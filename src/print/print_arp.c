// SPDX-License-Identifier: BSD-3-Clause
/* ARP and RARP lines as tcpdump 4.99 prints them ("ARP, Request who-has A tell B, length 28").
 * specification: RFC 826 (ARP), RFC 903 (RARP), RFC 2390 (InARP). */
#include "print_int.h"
#include "print_tunnel.h"

static const char *op_name(uint16_t op)
{
	switch (op) {
	case 1: return "Request";
	case 2: return "Reply";
	case 3: return "Reverse Request";
	case 4: return "Reverse Reply";
	case 8: return "Inverse Request";
	case 9: return "Inverse Reply";
	case 10: return "NACK Reply";
	default: return NULL;
	}
}

static const char *hrd_name(uint16_t h)
{
	switch (h) {
	case 1: return "Ethernet";
	case 6: return "Token Ring";
	case 15: return "Frame Relay";
	case 24: return "IEEE1394";
	case 32: return "InfiniBand";
	default: return NULL;
	}
}

static void proto_addr(struct pbuf *pb, uint16_t pro, const uint8_t *a, unsigned n)
{
	if (pro != 0x0800 && pro != 0x1000)
		pb_str(pb, "<wrong proto type>");
	else if (n != 4)
		pb_str(pb, "<wrong len>");
	else
		pb_ip4(pb, a);
}

static bool nonzero(const uint8_t *a, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (a[i])
			return true;
	return false;
}

void print_arp(struct pstate *ps, struct cursor c, uint32_t len)
{
	struct pbuf *pb = ps->pb;
	uint16_t hrd, pro, op;
	uint8_t hln, pln;
	const uint8_t *sha, *spa, *tha, *tpa;
	const char *name;
	const struct cursor whole = c;
	bool ip_ok;

	hrd = cur_be16(&c);
	pro = cur_be16(&c);
	hln = cur_u8(&c);
	pln = cur_u8(&c);
	op = cur_be16(&c);
	sha = cur_bytes(&c, hln);
	spa = cur_bytes(&c, pln);
	tha = cur_bytes(&c, hln);
	tpa = cur_bytes(&c, pln);
	if (c.short_read) {
		print_trunc(ps, "arp");
		return;
	}
	if (!ps->o->eflag)
		pb_str(pb, "ARP, ");
	name = op_name(op);
	ip_ok = (pro == 0x0800 || pro == 0x1000) && pln == 4 && hln != 0;
	if (!ip_ok || ps->o->vflag) {
		const char *h = hrd_name(hrd);

		if (h)
			pb_str(pb, h);
		else
			pb_printf(pb, "Unknown Hardware (%u)", hrd);
		pb_str(pb, " (len ");
		pb_u(pb, hln);
		pb_str(pb, "), ");
		/* tcpdump names the protocol type from its EtherType table */
		if (strcmp(print_ethertype_name(pro), "Unknown"))
			pb_str(pb, print_ethertype_name(pro));
		else
			pb_printf(pb, "Unknown Protocol (0x%04x)", pro);
		pb_str(pb, " (len ");
		pb_u(pb, pln);
		pb_ch(pb, ')');
		if (!ps->o->vflag)
			goto out;
		pb_str(pb, ", ");
	}
	if (name)
		pb_str(pb, name);
	else
		pb_printf(pb, "Unknown (%u)", op);
	pb_ch(pb, ' ');
	switch (op) {
	case 1:
		pb_str(pb, "who-has ");
		proto_addr(pb, pro, tpa, pln);
		if (nonzero(tha, hln)) {
			pb_str(pb, " (");
			pb_lladdr(pb, tha, hln);
			pb_ch(pb, ')');
		}
		pb_str(pb, " tell ");
		proto_addr(pb, pro, spa, pln);
		break;
	case 2:
		proto_addr(pb, pro, spa, pln);
		pb_str(pb, " is-at ");
		pb_lladdr(pb, sha, hln);
		break;
	case 3:
	case 8:
		pb_str(pb, "who-is ");
		pb_lladdr(pb, tha, hln);
		pb_str(pb, " tell ");
		pb_lladdr(pb, sha, hln);
		break;
	case 4:
		pb_lladdr(pb, tha, hln);
		pb_str(pb, " at ");
		proto_addr(pb, pro, tpa, pln);
		break;
	case 9:
		pb_lladdr(pb, sha, hln);
		pb_str(pb, " at ");
		proto_addr(pb, pro, spa, pln);
		break;
	default:
		/* unknown operation: tcpdump's default dump of the ARP message */
		if (!ps->o->qflag && !ps->o->xflag && !ps->o->Xflag)
			print_hex_ascii(pb, whole.pos, cur_left(&whole));
		return;
	}
out:
	pb_str(pb, ", length ");
	pb_u(pb, len);
}
