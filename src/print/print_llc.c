// SPDX-License-Identifier: BSD-3-Clause
/* IEEE 802.2 LLC headers as tcpdump 4.99.3 prints them after an 802.3 length field: the
 * service access points, the control field's frame format (Information, Supervisory,
 * Unnumbered) with its sequence numbers and poll/final bit, then a hex dump of the frame from
 * the LLC header on (I and U formats). SNAP (0xAA) is printed by print_link.c; the bodies
 * tcpdump decodes and procap does not (STP, IPX, OSI, Novell raw IPX) keep the link part and
 * get the dump of the unknown payload.
 * specification: IEEE 802.2 §3.2 (LLC PDU: DSAP, SSAP, control), §5.3 (control field formats,
 * U-format commands and responses). */
#include "print_int.h"
#include "print_tunnel.h"

static const char *sap_name(uint8_t sap)
{
	switch (sap) {
	case 0x00: return "Null";
	case 0x02: return "802.1B I";
	case 0x04: return "SNA";
	case 0x06: return "IP";
	case 0x0e: return "ProWay NM";
	case 0x42: return "STP";
	case 0x4e: return "RS511";
	case 0x7e: return "ISO8208";
	case 0x8e: return "ProWay";
	case 0xaa: return "SNAP";
	case 0xe0: return "IPX";
	case 0xf0: return "NetBeui";
	case 0xfe: return "OSI";
	default: return NULL;
	}
}

/* U-format modifiers (the control byte without its poll/final bit 0x10). */
static const char *u_name(uint8_t ctl)
{
	switch (ctl) {
	case 0x03: return "ui";
	case 0x0f: return "dm";
	case 0x43: return "disc";
	case 0x63: return "ua";
	case 0x6f: return "sabme";
	case 0x87: return "frmr";
	case 0xaf: return "xid";
	case 0xe3: return "test";
	default: return NULL;
	}
}

static void sap_field(struct pbuf *pb, uint8_t sap)
{
	const char *n = sap_name(sap);

	pb_str(pb, n ? n : "Unknown");
	pb_str(pb, " (0x");
	pb_hex(pb, sap, 2);
	pb_ch(pb, ')');
}

/* "NAME" or "Unknown DSAP 0xNN" / "Unknown SSAP 0xNN" (the line without -e). */
static void sap_word(struct pbuf *pb, uint8_t sap, const char *which)
{
	const char *n = sap_name(sap);

	if (n) {
		pb_str(pb, n);
		return;
	}
	pb_str(pb, "Unknown ");
	pb_str(pb, which);
	pb_str(pb, " 0x");
	pb_hex(pb, sap, 2);
}

static void flags_field(struct pbuf *pb, bool response, bool poll_final)
{
	pb_str(pb, ", Flags [");
	if (poll_final)
		pb_str(pb, response ? "Final" : "Poll");
	else
		pb_str(pb, response ? "Response" : "Command");
	pb_ch(pb, ']');
}

/* RFC 1042 SNAP with OUI 0: the EtherType's protocol, or tcpdump's SNAP line and a dump of the
 * frame from the LLC header on when the type is not decoded. */
static int snap_ethertype(struct pstate *ps, struct cursor c, uint32_t len, const uint8_t *src,
			  const uint8_t *dst)
{
	struct pbuf *pb = ps->pb;
	uint16_t et = cur_at_be16(&c, 6);
	uint32_t inner = len >= 8 ? len - 8u : 0;
	bool known = print_ethertype_known(et);

	if (ps->o->eflag) {
		pb_str(pb, "oui Ethernet (0x000000), ");
	} else if (!known) {
		if (src && dst) {
			pb_mac(pb, src);
			pb_str(pb, " > ");
			pb_mac(pb, dst);
			pb_ch(pb, ' ');
		}
		pb_str(pb, "SNAP, ");
	}
	if (ps->o->eflag || !known) {
		pb_str(pb, "ethertype ");
		pb_str(pb, print_ethertype_name(et));
		pb_str(pb, " (0x");
		pb_hex(pb, et, 4);
		pb_str(pb, "), length ");
		pb_u(pb, inner);
		pb_str(pb, ": ");
	}
	if (known) {
		print_ethertype(ps, et, cur_from(&c, 8), inner);
		return 8;
	}
	print_unknown_payload(ps, c);
	return -8;
}

int print_llc(struct pstate *ps, struct cursor c, uint32_t len, const uint8_t *src,
	      const uint8_t *dst)
{
	struct pbuf *pb = ps->pb;
	uint8_t dsap_field, ssap_field, dsap, ssap, ctl;
	unsigned ctl16 = 0;
	bool u_format, response, snap;

	if (!cur_has(&c, 0, 3))
		return 0;
	dsap_field = cur_at_u8(&c, 0);
	ssap_field = cur_at_u8(&c, 1);
	ctl = cur_at_u8(&c, 2);
	dsap = dsap_field & 0xfe;
	ssap = ssap_field & 0xfe;
	u_format = (ctl & 3) == 3;
	/* Novell raw IPX, and SNAP other than an EtherType (OUI 0, RFC 1042) are the caller's */
	if (dsap_field == 0xff && ssap_field == 0xff)
		return 0;
	snap = dsap_field == 0xaa && ssap_field == 0xaa && ctl == 3;
	if (snap && (!cur_has(&c, 0, 8) || cur_at_be24(&c, 3) != 0))
		return 0;
	if (!u_format && !cur_has(&c, 0, 4))
		return 0;
	if (!u_format)
		ctl16 = ctl | (unsigned)cur_at_u8(&c, 3) << 8;
	if (ps->o->eflag) {
		pb_str(pb, "LLC, dsap ");
		sap_field(pb, dsap);
		pb_str(pb, dsap_field & 1 ? " Group" : " Individual");
		pb_str(pb, ", ssap ");
		sap_field(pb, ssap);
		pb_str(pb, ssap_field & 1 ? " Response" : " Command");
		pb_str(pb, ", ctrl 0x");
		pb_hex(pb, u_format ? ctl : ctl16, u_format ? 2 : 4);
		pb_str(pb, ": ");
	}
	if (snap)
		return snap_ethertype(ps, c, len, src, dst);
	if (ctl == 0x03 && dsap == ssap && (dsap == 0x42 || dsap == 0xe0 || dsap == 0xfe)) {
		/* STP, IPX, OSI bodies: link part with -e, else the caller's 802.3 line */
		if (!ps->o->eflag)
			return 0;
		print_unknown_payload(ps, cur_from(&c, 3));
		return 3;
	}
	if (ctl == 0x03 && dsap == 0x06 && ssap == 0x06) {
		print_ip(ps, cur_from(&c, 3), len >= 3 ? len - 3 : 0);
		return 3;
	}
	if (!ps->o->eflag) {
		if (src && dst) {
			pb_mac(pb, src);
			pb_ch(pb, ' ');
		}
		if (ssap != dsap) {
			sap_word(pb, ssap, "SSAP");
			pb_ch(pb, ' ');
		}
		if (src && dst) {
			pb_str(pb, "> ");
			pb_mac(pb, dst);
			pb_ch(pb, ' ');
		} else if (ssap != dsap) {
			pb_str(pb, "> ");
		}
		sap_word(pb, dsap, "DSAP");
		pb_ch(pb, ' ');
	}
	response = ssap_field & 1;
	if (u_format) {
		const char *n = u_name(ctl & ~0x10);

		pb_str(pb, "Unnumbered, ");
		if (n)
			pb_str(pb, n);
		else
			pb_hex(pb, ctl & ~0x10, 2);
		flags_field(pb, response, ctl & 0x10);
	} else if ((ctl & 3) == 1) {
		static const char *const s_names[] = { "Receiver Ready", "Receiver not Ready",
						       "Reject", "?" };

		pb_str(pb, "Supervisory, ");
		pb_str(pb, s_names[(ctl >> 2) & 3]);
		pb_str(pb, ", rcv seq ");
		pb_u(pb, (ctl16 >> 9) & 0x7f);
		flags_field(pb, response, ctl16 & 0x100);
	} else {
		pb_str(pb, "Information, send seq ");
		pb_u(pb, (ctl16 >> 1) & 0x7f);
		pb_str(pb, ", rcv seq ");
		pb_u(pb, (ctl16 >> 9) & 0x7f);
		flags_field(pb, response, ctl16 & 0x100);
	}
	pb_str(pb, ", length ");
	pb_u(pb, len);
	/* tcpdump dumps I and U frames from the LLC header on, as payload it does not know (a
	 * negative length, as its llc_print returns); S frames carry no data */
	if ((ctl & 3) == 1)
		return 4;
	print_unknown_payload(ps, c);
	return u_format ? -3 : -4;
}
