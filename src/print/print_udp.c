// SPDX-License-Identifier: BSD-3-Clause
/* UDP lines as tcpdump 4.99 prints them ("UDP, length N", checksums with -v/-vv).
 * tcpdump decodes the payload of many well-known ports (NTP, DHCP, SNMP, ...); procap prints
 * the same addresses and ports, then "UDP, length N (NAME)" instead of the decode: these lines
 * are documented to differ from tcpdump's. DNS, mDNS, NTP, BOOTP and DHCPv6 get tcpdump's
 * one-line summary when procap can print it exactly (print_dns.c, ntp_summary, bootp_summary,
 * dhcp6_summary, bcm_li_summary), else the same "(name)" fallback.
 * specification: RFC 768; RFC 8200 §8.1 (mandatory IPv6 checksum). */
#include "print_int.h"
#include "print_tunnel.h"

/* Ports whose payload tcpdump 4.99 decodes (print-udp.c); sorted by port. NetBIOS (137/138) is
 * absent: Debian's tcpdump is built without SMB printing and shows those as plain UDP. */
static const struct print_name16 decoded[] = {
	{ 53, "dns" },       { 67, "bootp" },      { 68, "bootp" },     { 69, "tftp" },
	{ 88, "kerberos" },  { 111, "sunrpc" },    { 123, "ntp" },      { 161, "snmp" },
	{ 162, "snmptrap" }, { 319, "ptp" },
	{ 320, "ptp" },      { 496, "autorp" },    { 500, "isakmp" },   { 514, "syslog" },
	{ 520, "rip" },      { 521, "ripng" },     { 525, "timed" },    { 546, "dhcp6" },
	{ 547, "dhcp6" },    { 646, "ldp" },       { 654, "aodv" },     { 698, "olsr" },
	{ 701, "lmp" },      { 921, "lwres" },     { 1645, "radius" },  { 1646, "radius" },
	{ 1701, "l2tp" },    { 1812, "radius" },   { 1813, "radius" },  { 1985, "hsrp" },
	{ 2049, "nfs" },     { 3503, "lsp-ping" }, { 3784, "bfd" },     { 3785, "bfd" },
	{ 4341, "lisp" },    { 4342, "lisp" },     { 4500, "isakmp" },  { 4784, "bfd" },
	{ 4789, "vxlan" },   { 4790, "vxlan-gpe" }, { 5060, "sip" },    { 5246, "capwap" },
	{ 5247, "capwap" },  { 5353, "mdns" },     { 5355, "llmnr" },   { 5359, "ahcp" },
	{ 6081, "geneve" },  { 6635, "mpls-udp" }, { 6696, "babel" },   { 6697, "babel" },
	{ 7000, "rx" },      { 7001, "rx" },       { 7002, "rx" },      { 7003, "rx" },
	{ 7004, "rx" },      { 7005, "rx" },       { 7006, "rx" },      { 7007, "rx" },
	{ 7008, "rx" },      { 7009, "rx" },       { 7500, "isakmp" },  { 8231, "hncp" },
	{ 8472, "otv" },     { 8500, "isakmp" },   { 12222, "lwapp" },  { 12223, "lwapp" },
	{ 17754, "zep" },
};

static const char *decoded_name(uint16_t port)
{
	return print_name16_find(decoded, sizeof(decoded) / sizeof(decoded[0]), port);
}

/* Broadcom LI shim (tcpdump decodes it on source port 49152 only): one 32-bit word, direction
 * in bits 31-29, packet type in 28-25, subtype in 24-22, LI id in 21-0; tcpdump prints the
 * names below for the values it knows, "unknown" for the others. Without -v only. */
#define BCM_LI_PORT	49152

static void bcm_li_summary(struct pbuf *pb, struct cursor d, uint32_t len)
{
	static const char *const dirs[8] = { [1] = "unused", [2] = "egress", [3] = "ingress" };
	static const char *const types[16] = { [4] = "undecided", [5] = "ipv4", [6] = "ipv6",
					       [7] = "ethernet" };
	static const char *const subtypes[8] = { [1] = "single VLAN tag",
						 [2] = "double VLAN tag", [3] = "untagged" };
	uint32_t w;

	if (len < 4) {
		pb_str(pb, " (length ");
		pb_u(pb, len);
		pb_str(pb, " < 4) (invalid)");
		return;
	}
	w = cur_at_be32(&d, 0);
	pb_str(pb, "BCM-LI-SHIM: direction ");
	pb_str(pb, dirs[w >> 29] ? dirs[w >> 29] : "unknown");
	pb_str(pb, ", pkt-type ");
	pb_str(pb, types[(w >> 25) & 0xf] ? types[(w >> 25) & 0xf] : "unknown");
	pb_str(pb, ", pkt-subtype ");
	pb_str(pb, subtypes[(w >> 22) & 7] ? subtypes[(w >> 22) & 7] : "unknown");
	pb_str(pb, ", li-id ");
	pb_u(pb, w & 0x3fffff);
}

/* NTP (RFC 5905 §7.3) and BOOTP/DHCP (RFC 951, RFC 2131): the one-line summaries tcpdump prints
 * without -v, for the cases seen in tcpdump's output (client/server/broadcast NTP, BOOTP
 * requests and replies). false: leave the line to the fallback. */
static bool ntp_summary(struct pbuf *pb, struct cursor d, uint32_t len)
{
	static const char *const modes[8] = { NULL, NULL, NULL, "Client", "Server", "Broadcast",
					      NULL, NULL };
	const char *mode;

	if (!cur_has(&d, 0, 1) || !(mode = modes[cur_at_u8(&d, 0) & 7]))
		return false;
	pb_str(pb, "NTPv");
	pb_u(pb, (cur_at_u8(&d, 0) >> 3) & 7);
	pb_str(pb, ", ");
	pb_str(pb, mode);
	pb_str(pb, ", length ");
	pb_u(pb, len);
	return true;
}

/* DHCPv6 without -v (RFC 8415 §7.3 message types): "dhcp6 NAME"; tcpdump marks a message
 * shorter than its 4-byte header " [|dhcp6]". */
static void dhcp6_summary(struct pstate *ps, struct cursor d, uint32_t len)
{
	static const char *const names[] = { NULL, "solicit", "advertise", "request", "confirm",
					     "renew", "rebind", "reply", "release", "decline",
					     "reconfigure", "inf-req", "relay-fwd", "relay-reply",
					     "leasequery", "leasequery-reply" };
	unsigned t = cur_at_u8(&d, 0);

	pb_str(ps->pb, "dhcp6");
	if (len < 4 || !cur_has(&d, 0, 4)) {
		print_trunc_mark(ps, "dhcp6");
		return;
	}
	pb_ch(ps->pb, ' ');
	if (t < sizeof(names) / sizeof(names[0]) && names[t])
		pb_str(ps->pb, names[t]);
	else
		pb_printf(ps->pb, "msgtype-%u", t);
}

static bool bootp_summary(struct pbuf *pb, struct cursor d, uint32_t len)
{
	uint8_t op = cur_at_u8(&d, 0);

	if (!cur_has(&d, 0, 28 + 6) || (op != 1 && op != 2))
		return false;
	pb_str(pb, op == 1 ? "BOOTP/DHCP, Request" : "BOOTP/DHCP, Reply");
	/* a request from an Ethernet client (htype 1, hlen 6): chaddr at 28 */
	if (op == 1 && cur_at_be16(&d, 1) == 0x0106) {
		pb_str(pb, " from ");
		pb_mac(pb, cur_at_ptr(&d, 28, 6));
	}
	pb_str(pb, ", length ");
	pb_u(pb, len);
	return true;
}

static void addrs_only(struct pbuf *pb, const struct ipinfo *ip)
{
	if (ip->first_nxt != 17)
		return;
	print_addrs(pb, ip);
	pb_str(pb, ": ");
}

void print_udp(struct pstate *ps, struct cursor c, const struct ipinfo *ip)
{
	struct pbuf *pb = ps->pb;
	const struct options *o = ps->o;
	struct cursor payload = cur_from(&c, 8);
	uint32_t length = ip->len, ulen;
	uint16_t sport, dport;
	const char *name;

	if (!cur_has(&c, 0, 4)) {
		addrs_only(pb, ip);
		print_trunc_mark(ps, "udp");
		return;
	}
	sport = cur_at_be16(&c, 0);
	dport = cur_at_be16(&c, 2);
	if (length < 8) {
		print_ports_prefix(pb, ip, sport, dport, 17);
		pb_str(pb, "truncated-udp ");
		pb_u(pb, length);
		return;
	}
	if (!cur_has(&c, 0, 6)) {
		print_ports_prefix(pb, ip, sport, dport, 17);
		print_trunc_mark(ps, "udp");
		return;
	}
	ulen = cur_at_be16(&c, 4);
	if (ulen == 0 && length > 65535)
		ulen = length;
	if (ulen < 8) {
		print_ports_prefix(pb, ip, sport, dport, 17);
		pb_str(pb, "truncated-udplength ");
		pb_u(pb, ulen);
		return;
	}
	ulen -= 8;
	length -= 8;
	if (ulen < length)
		length = ulen;
	print_ports_prefix(pb, ip, sport, dport, 17);
	if (!cur_has(&c, 0, 8)) {
		print_trunc_mark(ps, "udp");
		return;
	}
	if (o->vflag && !o->no_cksum && !ip->fragmented) {	/* -K: no verdict */
		uint16_t field = cur_at_be16(&c, 6);
		bool check = (ip->ver == 6 || o->vflag > 1) && cur_has(&payload, 0, length);

		if (ip->ver == 4 && o->vflag > 1 && field == 0) {
			pb_str(pb, "[no cksum] ");
		} else if (check) {
			print_cksum_verdict(pb, "udp", field,
					    print_cksum_pseudo(ip, 17, c.pos, length + 8));
		}
	}
	name = o->qflag ? NULL : decoded_name(dport);
	if (!name && !o->qflag)
		name = decoded_name(sport);
	if (!o->qflag && (sport == 53 || dport == 53))
		name = "dns";	/* tcpdump tries DNS before mDNS */
	if (name && (!strcmp(name, "dns") || !strcmp(name, "mdns")) && ulen <= length &&
	    !ip->fragmented) {
		size_t mark = pb->len;

		if (print_dns(ps, payload, ulen, name[0] == 'm'))
			return;
		pb->len = mark;
	}
	if (!name && !o->qflag && sport == BCM_LI_PORT) {
		name = "bcm-li";
		if (!o->vflag && ulen <= length && !ip->fragmented &&
		    cur_has(&payload, 0, ulen < 4 ? ulen : 4)) {
			bcm_li_summary(pb, payload, ulen);
			return;
		}
	}
	if (name && ulen <= length && !ip->fragmented &&
	    (!strcmp(name, "vxlan") || !strcmp(name, "geneve"))) {
		(name[0] == 'v' ? print_vxlan : print_geneve)(ps, payload, ulen);
		return;
	}
	if (name && !o->vflag && ulen <= length && !ip->fragmented && !strcmp(name, "dhcp6")) {
		dhcp6_summary(ps, payload, ulen);
		return;
	}
	if (name && !o->vflag && ulen <= length && !ip->fragmented &&
	    ((!strcmp(name, "ntp") && ntp_summary(pb, payload, ulen)) ||
	     (!strcmp(name, "bootp") && bootp_summary(pb, payload, ulen))))
		return;
	if (ulen > length && !ip->fragmented) {
		pb_str(pb, "UDP, bad length ");
		pb_u(pb, ulen);
		pb_str(pb, " > ");
		pb_u(pb, length);
	} else {
		pb_str(pb, "UDP, length ");
		pb_u(pb, ulen);
	}
	if (name) {
		pb_str(pb, " (");
		pb_str(pb, name);
		pb_ch(pb, ')');
	}
}
