// SPDX-License-Identifier: BSD-3-Clause
/* Link layers as tcpdump 4.99 prints them: Ethernet (IEEE 802.3), Linux cooked capture v1/v2
 * (SLL, SLL2: `tcpdump -i any` files), raw IP and BSD loopback (DLT_NULL/DLT_LOOP).
 * specification: IEEE 802.3 §3.2; https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html and
 * LINKTYPE_LINUX_SLL2.html; IEEE 802.1Q §9.6 (VLAN tag). */
#include <net/if.h>
#include "linktype.h"
#include "print_int.h"
#include "print_tunnel.h"

/* tcpdump 4.99.3's EtherType names (its ethertype_values table, read off its -e output for
 * every type from 0x0600 to 0xffff and its ARP protocol names for every value), sorted by
 * type for the binary search. */
static const struct print_name16 ethertype_names[] = {
	{ 0x00fe, "GRE-OSI" }, { 0x0200, "PUP" }, { 0x0500, "Sprite" },
	{ 0x0600, "NS" }, { 0x0707, "GeoNet (old)" }, { 0x0800, "IPv4" }, { 0x0806, "ARP" }, { 0x1000, "Trail" },
	{ 0x1111, "CALM FAST" }, { 0x6001, "MOP DL" }, { 0x6002, "MOP RC" }, { 0x6003, "DN" },
	{ 0x6004, "LAT" }, { 0x6007, "SCA" }, { 0x6558, "TEB" }, { 0x8035, "Reverse ARP" },
	{ 0x8038, "Lanbridge" }, { 0x803c, "DEC DNS" }, { 0x803e, "DEC DTS" }, { 0x805b, "VEXP" },
	{ 0x805c, "VPROD" }, { 0x809b, "Appletalk" }, { 0x80f3, "Appletalk ARP" },
	{ 0x8100, "802.1Q" }, { 0x8137, "IPX" }, { 0x86dd, "IPv6" }, { 0x8808, "MPCP" },
	{ 0x8809, "Slow Protocols" }, { 0x880b, "PPP" }, { 0x8847, "MPLS unicast" },
	{ 0x8848, "MPLS multicast" }, { 0x8863, "PPPoE D" }, { 0x8864, "PPPoE S" },
	{ 0x886f, "MS NLB heartbeat" }, { 0x8870, "Jumbo" }, { 0x888e, "EAPOL" }, { 0x8899, "Realtek protocols" },
	{ 0x88a2, "AoE" }, { 0x88a8, "802.1Q-QinQ" }, { 0x88ca, "TIPC" }, { 0x88cc, "LLDP" },
	{ 0x88e5, "802.1AE MACsec" }, { 0x88f7, "PTP" }, { 0x8902, "CFM" },
	{ 0x893a, "IEEE1905.1" }, { 0x8947, "GeoNet" }, { 0x894f, "NSH" }, { 0x9000, "Loopback" },
	{ 0x9100, "802.1Q-9100" }, { 0x9200, "802.1Q-9200" }, { 0xabcd, "CFM (old)" },
	{ 0xd28b, "Arista Vendor Specific Protocol" }, { 0xfefe, "OSI" },
};

static const char *ethertype_name(uint16_t t)
{
	const char *n = print_name16_find(ethertype_names,
					  sizeof(ethertype_names) / sizeof(ethertype_names[0]), t);

	return n ? n : "Unknown";
}

/* The tag types tcpdump reads as 802.1Q tags: 802.1Q, 802.1ad and the two pre-802.1ad QinQ
 * types (0x9100, 0x9200). */
static bool vlan_tag_type(uint16_t t)
{
	return t == ETH_P_8021Q || t == ETH_P_8021AD || t == ETH_P_QINQ_OLD || t == 0x9200;
}

const char *print_ethertype_name(uint16_t t)
{
	return ethertype_name(t);
}

/* ", ethertype NAME (0xTTTT)" or, with -q, ", NAME". */
static void ethertype_field(struct pstate *ps, uint16_t t, bool lead_comma)
{
	struct pbuf *pb = ps->pb;

	pb_str(pb, lead_comma ? ", " : "");
	if (ps->o->qflag) {
		if (!strcmp(ethertype_name(t), "Unknown")) {
			pb_str(pb, "Unknown Ethertype (0x");
			pb_hex(pb, t, 4);
			pb_ch(pb, ')');
			return;
		}
		pb_str(pb, ethertype_name(t));
		return;
	}
	pb_str(pb, "ethertype ");
	pb_str(pb, ethertype_name(t));
	pb_str(pb, " (0x");
	pb_hex(pb, t, 4);
	pb_ch(pb, ')');
}

bool print_ethertype_known(uint16_t type)
{
	return type == ETH_P_IPV4 || type == ETH_P_IPV6 || type == ETH_P_ARP || type == ETH_P_RARP ||
	       type == ETH_P_MPLS_UC || type == ETH_P_MPLS_MC || type == 0x80f3 || type == 0x9000;
}

bool print_ethertype(struct pstate *ps, uint16_t type, struct cursor c, uint32_t len)
{
	switch (type) {
	case ETH_P_IPV4:
		print_ip(ps, c, len);
		return true;
	case ETH_P_IPV6:
		print_ip6(ps, c, len);
		return true;
	case ETH_P_ARP:
	case ETH_P_RARP:
		print_arp(ps, c, len);
		return true;
	case ETH_P_MPLS_UC:
	case ETH_P_MPLS_MC:
		print_mpls(ps, c, len);
		return true;
	case 0x80f3:		/* AppleTalk ARP */
		print_aarp(ps, c, len);
		return true;
	case 0x9000:		/* configuration testing ("Loopback") */
		print_loopback(ps, c, len);
		return true;
	default:
		return false;
	}
}

static void trunc_mark(struct pstate *ps, const char *what)
{
	print_trunc(ps, what);
}

/* Unknown payload: tcpdump's default print, a hex and ASCII dump of what is left; not with -q,
 * nor when -x/-X dump the packet anyway. */
void print_unknown_payload(struct pstate *ps, struct cursor c)
{
	size_t n = cur_left(&c);
	const struct options *o = ps->o;

	if (n && !o->qflag && !o->xflag && !o->Xflag)
		print_hex_ascii(ps->pb, c.pos, n);
}

/* An 802.3 length field, or the bytes the frame has after its hdrlen header if fewer. */
static uint32_t len_field(uint16_t field, uint32_t wire_len, unsigned hdrlen)
{
	uint32_t rest = wire_len > hdrlen ? wire_len - hdrlen : 0;

	return field < rest ? field : rest;
}

unsigned print_ether(struct pstate *ps, struct cursor c, uint32_t wire_len)
{
	struct pbuf *pb = ps->pb;
	const uint8_t *dst, *src;
	uint16_t type;
	unsigned hdrlen = 14;
	size_t caplen = cur_left(&c);

	dst = cur_bytes(&c, 6);
	src = cur_bytes(&c, 6);
	type = cur_be16(&c);
	if (c.short_read) {
		print_trunc_mark(ps, "ether");
		return (unsigned)caplen;
	}
	if (ps->o->eflag) {
		pb_mac(pb, src);
		pb_str(pb, " > ");
		pb_mac(pb, dst);
		if (vlan_tag_type(type) && cur_left(&c) < 4) {
			pb_str(pb, ", ");
			print_trunc_mark(ps, "vlan");
			return (unsigned)caplen;	/* tcpdump: nothing left to dump */
		}
		if (type <= 1500) {
			/* 802.3: the frame's length field, or what follows the header if less */
			pb_str(pb, ", 802.3, length ");
			pb_u(pb, len_field(type, wire_len, hdrlen));
		} else {
			ethertype_field(ps, type, true);
			pb_str(pb, ", length ");
			pb_u(pb, wire_len);
		}
		pb_str(pb, ": ");
	}
	/* 802.1Q tags: "vlan N, p P, ethertype T, " per tag, printed with -e only. */
	/* (the inner EtherType is printed once the next tag is known to be captured) */
	bool tagged = false;

	while (vlan_tag_type(type)) {
		uint16_t tci = cur_be16(&c);
		uint16_t inner = cur_be16(&c);

		if (c.short_read) {
			print_trunc_mark(ps, "vlan");
			return (unsigned)caplen;	/* tcpdump: nothing left to dump */
		}
		hdrlen += 4;
		if (ps->o->eflag) {
			if (tagged) {
				ethertype_field(ps, type, false);
				pb_str(pb, ", ");
			}
			pb_str(pb, "vlan ");
			pb_u(pb, tci & 0xfff);
			pb_str(pb, ", p ");
			pb_u(pb, tci >> 13);
			if (tci & 0x1000)
				pb_str(pb, ", DEI");
			pb_str(pb, ", ");
		}
		tagged = true;
		type = inner;
	}
	if (tagged && ps->o->eflag) {
		if (type <= 1500) {
			pb_str(pb, "802.3");	/* tcpdump's LLC text follows without a separator */
		} else {
			ethertype_field(ps, type, false);
			pb_str(pb, ", ");
		}
	}
	if (type <= 1500) {
		/* a length field longer than the frame counts what the frame holds */
		uint32_t llc_len = len_field(type, wire_len, hdrlen);

		if (cur_left(&c) < 3 || llc_len < 3) {
			/* tcpdump: " [|llc]" and what there is in hex and ASCII, even with -x/-X
			 * (which dump only what follows the length field's bytes) */
			struct cursor rest = cur_sub_at(&c, 0, llc_len);

			print_trunc_mark(ps, "llc");
			if (cur_left(&rest))
				print_hex_ascii(pb, rest.pos, cur_left(&rest));
			return hdrlen + llc_len;
		}
		/* IEEE 802.2 LLC with a SNAP header carrying an EtherType (RFC 1042) */
		bool snap = cur_at_be24(&c, 0) == 0xaaaa03;

		if (snap && !cur_has(&c, 0, 8)) {
			if (ps->o->eflag)
				pb_str(pb, "LLC, dsap SNAP (0xaa) Individual, ssap SNAP (0xaa) Command,"
					   " ctrl 0x03: ");
			print_trunc(ps, "snap");
			return hdrlen;
		}
		int llc_hdr = print_llc(ps, cur_sub_at(&c, 0, llc_len), llc_len, src, dst);

		if (llc_hdr)
			return hdrlen + (unsigned)(llc_hdr < 0 ? -llc_hdr : llc_hdr);
		if (!ps->o->eflag) {
			pb_mac(pb, src);
			pb_str(pb, " > ");
			pb_mac(pb, dst);
			pb_str(pb, ", 802.3, length ");
			pb_u(pb, wire_len);
			pb_str(pb, ": ");
		}
		print_unknown_payload(ps, c);
		return hdrlen;
	}
	if (!print_ethertype(ps, type, c, wire_len - hdrlen)) {
		if (!ps->o->eflag) {
			pb_mac(pb, src);
			pb_str(pb, " > ");
			pb_mac(pb, dst);
			ethertype_field(ps, type, true);
			pb_str(pb, ", length ");
			pb_u(pb, wire_len);
			pb_str(pb, ": ");
		}
		print_unknown_payload(ps, c);
	}
	return hdrlen;
}

static const char *sll_pkttype(uint16_t t)
{
	switch (t) {
	case 0: return "In";
	case 1: return "B";
	case 2: return "M";
	case 3: return "P";
	case 4: return "Out";
	default: return "?";
	}
}

/* After an SLL/SLL2 header: the protocol field is an EtherType unless it is one of Linux's
 * pseudo types (ETH_P_802_3 = 1, ETH_P_802_2 = 4) for frames without one. */
static unsigned sll_payload(struct pstate *ps, uint16_t proto, struct cursor c, uint32_t len)
{
	if (proto == 4) {	/* ETH_P_802_2: an LLC header, which -x/-X count as link header */
		int llc_hdr = print_llc(ps, c, len, NULL, NULL);

		if (llc_hdr)
			return llc_hdr > 0 ? (unsigned)llc_hdr : 0;
	}
	if (proto <= 1500 || !print_ethertype(ps, proto, c, len))
		print_unknown_payload(ps, c);
	return 0;
}

/* The -e part SLL and SLL2 share: link address, then (unless -q) protocol and length. */
static void sll_link_fields(struct pstate *ps, const uint8_t *a, uint8_t halen, uint16_t proto,
			    uint32_t wire_len)
{
	struct pbuf *pb = ps->pb;

	if (halen && halen <= 8) {	/* none, or longer than the field: no address */
		pb_lladdr(pb, a, halen);
		pb_ch(pb, ' ');
	}
	if (ps->o->qflag)
		return;
	if (proto > 1500)
		ethertype_field(ps, proto, false);
	else
		pb_str(pb, proto == 4 ? "802.2" : "802.3");
	pb_str(pb, ", length ");
	pb_u(pb, wire_len);
	pb_str(pb, ": ");
}

unsigned print_sll(struct pstate *ps, struct cursor c, uint32_t wire_len)
{
	struct pbuf *pb = ps->pb;
	size_t caplen = cur_left(&c);
	uint16_t pkttype, halen, proto;
	const uint8_t *a;

	pkttype = cur_be16(&c);
	cur_be16(&c);			/* ARPHRD_ type */
	halen = cur_be16(&c);
	a = cur_bytes(&c, 8);
	proto = cur_be16(&c);
	if (c.short_read) {
		trunc_mark(ps, "sll");
		return (unsigned)caplen;
	}
	if (ps->o->eflag) {
		const char *dir = sll_pkttype(pkttype);

		pb_need(pb, 4);
		for (size_t l = strlen(dir); l < 3; l++)
			pb_ch(pb, ' ');
		pb_str(pb, dir);
		pb_ch(pb, ' ');
		sll_link_fields(ps, a, halen, proto, wire_len);
	}
	return 16 + sll_payload(ps, proto, c, wire_len - 16);
}

unsigned print_sll2(struct pstate *ps, struct cursor c, uint32_t wire_len)
{
	struct pbuf *pb = ps->pb;
	size_t caplen = cur_left(&c);
	uint16_t proto;
	uint32_t ifindex;
	uint8_t pkttype, halen;
	const uint8_t *a;
	char ifname[IF_NAMESIZE + 1];
	const char *dir;

	proto = cur_be16(&c);
	cur_be16(&c);			/* reserved */
	ifindex = cur_be32(&c);
	cur_be16(&c);			/* ARPHRD_ type */
	pkttype = cur_u8(&c);
	halen = cur_u8(&c);
	a = cur_bytes(&c, 8);
	if (c.short_read) {
		trunc_mark(ps, "sll2");
		return (unsigned)caplen;
	}
	/* Like tcpdump: the interface name is looked up on the reading host. */
	if (!if_indextoname(ifindex, ifname))
		strcpy(ifname, "?");
	pb_str(pb, ifname);
	for (size_t l = strlen(ifname); l < 5; l++)
		pb_ch(pb, ' ');
	pb_ch(pb, ' ');
	dir = sll_pkttype(pkttype);
	pb_str(pb, dir);
	for (size_t l = strlen(dir); l < 3; l++)
		pb_ch(pb, ' ');
	pb_ch(pb, ' ');
	if (ps->o->eflag) {
		pb_str(pb, "ifindex ");
		pb_u(pb, ifindex);
		pb_ch(pb, ' ');
		sll_link_fields(ps, a, halen, proto, wire_len);
	}
	return 20 + sll_payload(ps, proto, c, wire_len - 20);
}

unsigned print_raw(struct pstate *ps, struct cursor c, uint32_t wire_len)
{
	if (ps->o->eflag)
		pb_str(ps->pb, "ip: ");
	print_ip_any(ps, c, wire_len);
	return 0;
}

/* BSD loopback: a 4-byte address family, host order (DLT_NULL) or network order (DLT_LOOP). */
unsigned print_null(struct pstate *ps, struct cursor c, uint32_t wire_len, bool loop)
{
	uint32_t fam;

	if (!cur_has(&c, 0, 4)) {
		trunc_mark(ps, "null");
		return (unsigned)cur_left(&c);
	}
	fam = cur_at_be32(&c, 0);
	if (!loop)	/* host order; read as little-endian, as x86 and ARM hosts write it */
		fam = __builtin_bswap32(fam);
	c = cur_from(&c, 4);
	if (ps->o->eflag) {
		const char *name = fam == 2 ? "IPv4" : (fam == 10 || fam == 24 || fam == 28 ||
							 fam == 30) ? "IPv6" : "Unknown";

		if (ps->o->qflag) {
			pb_str(ps->pb, name);
		} else {
			pb_str(ps->pb, "AF ");
			pb_str(ps->pb, name);
			pb_str(ps->pb, " (");
			pb_u(ps->pb, fam);
			pb_ch(ps->pb, ')');
		}
		pb_str(ps->pb, ", length ");
		pb_u(ps->pb, wire_len);
		pb_str(ps->pb, ": ");
	}
	if (fam == 2)
		print_ip(ps, c, wire_len - 4);
	else if (fam == 10 || fam == 24 || fam == 28 || fam == 30)
		print_ip6(ps, c, wire_len - 4);
	else
		print_unknown_payload(ps, c);
	return 4;
}

/* PPP (RFC 1661 §2) with optional HDLC address/control bytes (RFC 1662 §3.2); a protocol
 * field with its low bit set in the first byte is compressed to one byte (RFC 1661 §6.5). */
unsigned print_ppp(struct pstate *ps, struct cursor c, uint32_t wire_len)
{
	struct pbuf *pb = ps->pb;
	unsigned hdrlen = 0, plen;
	uint16_t proto;

	if (cur_at_be16(&c, 0) == 0xff03) {
		c = cur_from(&c, 2);
		hdrlen = 2;
	}
	plen = cur_at_u8(&c, 0) & 1 ? 1 : 2;
	if (!cur_has(&c, 0, plen)) {
		trunc_mark(ps, "ppp");
		return hdrlen;
	}
	proto = plen == 1 ? cur_at_u8(&c, 0) : cur_at_be16(&c, 0);
	hdrlen += plen;
	c = cur_from(&c, plen);
	if (ps->o->eflag) {
		pb_str(pb, proto == 0x21 ? "IP" : proto == 0x57 ? "IP6" : "unknown");
		pb_str(pb, " (0x");
		pb_hex(pb, proto, 4);
		pb_str(pb, "), length ");
		pb_u(pb, wire_len);
		pb_str(pb, ": ");
	}
	if (proto == 0x21)
		print_ip(ps, c, wire_len - hdrlen);
	else if (proto == 0x57)
		print_ip6(ps, c, wire_len - hdrlen);
	else
		print_unknown_payload(ps, c);
	/* tcpdump's -x/-X/-A skip a fixed 4-byte PPP header whatever the framing */
	return 4;
}
