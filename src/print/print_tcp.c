// SPDX-License-Identifier: BSD-3-Clause
/* TCP lines as tcpdump 4.99 prints them: flags, sequence numbers relative to the first packet
 * with ACK seen on the connection (unless -S), window, urgent pointer, options, length.
 * specification: RFC 9293 §3.1 (header, MSS/NOP/EOL), RFC 7323 (window scale, timestamps),
 * RFC 2018 (SACK), RFC 7413 (Fast Open), RFC 6994 (experimental options), RFC 5482 (UTO),
 * RFC 5925 (TCP-AO), RFC 2385 (MD5 signature); MPTCP (RFC 8684) in print_mptcp.c. */
#include <stdlib.h>
#include <strings.h>
#include "print_int.h"
#include "util.h"

/* Connection table: tcpdump keys the initial sequence numbers by the address/port pair in a
 * canonical order (lower address first) and re-learns them on every packet with SYN and ACK. */
struct tcp_conn {
	struct tcp_conn *next;
	uint8_t ver;
	uint8_t a[16], b[16];
	uint32_t ports;
	uint32_t seq, ack;
};

#define TCP_BUCKETS 4096
#define TCP_MAX_CONNS (1u << 20)

struct tcp_seq_table {
	struct tcp_conn *bucket[TCP_BUCKETS];
	unsigned n;
};

struct tcp_seq_table *tcp_seq_new(void)
{
	return xcalloc(1, sizeof(struct tcp_seq_table));
}

void tcp_seq_free(struct tcp_seq_table *t)
{
	if (!t)
		return;
	for (unsigned i = 0; i < TCP_BUCKETS; i++) {
		struct tcp_conn *c = t->bucket[i], *n;

		for (; c; c = n) {
			n = c->next;
			free(c);
		}
	}
	free(t);
}

static unsigned conn_hash(const uint8_t *a, const uint8_t *b, int alen, uint32_t ports)
{
	uint32_t h = ports * 2654435761u;

	for (int i = 0; i < alen; i++)
		h = (h ^ a[i] ^ (uint32_t)b[i] << 8) * 16777619u;
	return h % TCP_BUCKETS;
}

static const char *opt_name(uint8_t t)
{
	switch (t) {
	case 0: return "eol";
	case 1: return "nop";
	case 2: return "mss";
	case 3: return "wscale";
	case 4: return "sackOK";
	case 5: return "sack";
	case 6: return "echo";
	case 7: return "echoreply";
	case 8: return "TS";
	case 11: return "cc";
	case 12: return "ccnew";
	case 13: return "";
	case 19: return "md5";
	case 20: return "scps";
	case 28: return "uto";
	case 29: return "tcp-ao";
	case 30: return "mptcp";
	case 34: return "tfo";
	case 254: return "exp";
	default: return NULL;
	}
}

/* d: the cookie's n bytes (the option's length was checked against the capture). */
static void fastopen(struct pbuf *pb, struct cursor d, unsigned n, bool exp)
{
	if (exp)
		pb_str(pb, "tfo");
	if (n == 0) {
		pb_str(pb, " cookiereq");
	} else if (n % 2 != 0 || n < 4 || n > 16) {
		pb_str(pb, " (invalid)");
	} else {
		pb_str(pb, " cookie ");
		for (unsigned i = 0; i < n; i++)
			pb_hex(pb, cur_at_u8(&d, i), 2);
	}
}

/* ", options [...]" of the hlen option bytes the header announces, of which p holds the
 * captured ones; returns false after "[bad opt]" or truncation (line ends there). */
static bool tcp_options(struct pstate *ps, struct cursor p, unsigned hlen, bool rev,
			uint32_t thseq, uint32_t thack, uint8_t flags)
{
	struct pbuf *pb = ps->pb;
	unsigned i = 0;
	bool done_one = false;	/* tcpdump's "ch" separator is set once an option is done */
	size_t cap = cur_left(&p);

	pb_str(pb, ", options [");
	while (i < hlen) {
		uint8_t opt;
		unsigned len, datalen = 0;
		unsigned doff;		/* offset of the option's data in p */
		struct cursor d;
		const char *name;

		if (done_one)
			pb_ch(pb, ',');
		if (i >= cap)
			goto trunc_read;
		opt = cur_at_u8(&p, i);
		if (opt == 0 || opt == 1) {
			len = 1;
		} else {
			if (i + 1 >= cap)
				goto trunc_read;
			len = cur_at_u8(&p, i + 1);
			if (len < 2 || len > hlen - i)
				goto bad;
		}
		doff = i + (len == 1 ? 1 : 2);
		d = cur_from(&p, doff);
		/* bytes of data available to this option, both by the header and by capture */
#define LENCHECK(l)                                                                           \
	do {                                                                                  \
		if ((size_t)doff + (l) > hlen)                                                 \
			goto bad;                                                              \
		if ((size_t)doff + (l) > cap)                                                  \
			goto trunc;                                                            \
	} while (0)
		name = opt_name(opt);
		if (name)
			pb_str(pb, name);
		else {
			pb_str(pb, "unknown-");
			pb_u(pb, opt);
		}
		switch (opt) {
		case 2:
			datalen = 2;
			LENCHECK(datalen);
			pb_ch(pb, ' ');
			pb_u(pb, cur_at_be16(&d, 0));
			break;
		case 3:
			datalen = 1;
			LENCHECK(datalen);
			pb_ch(pb, ' ');
			pb_u(pb, cur_at_u8(&d, 0));
			break;
		case 5:
			datalen = len - 2;
			if (datalen % 8 != 0) {
				pb_str(pb, " invalid sack");
			} else {
				pb_ch(pb, ' ');
				pb_u(pb, datalen / 8);
				pb_ch(pb, ' ');
				for (unsigned k = 0; k < datalen; k += 8) {
					uint32_t s, e;

					LENCHECK(k + 4);
					s = cur_at_be32(&d, k);
					LENCHECK(k + 8);
					e = cur_at_be32(&d, k + 4);
					if (rev) {
						s -= thseq;
						e -= thseq;
					} else {
						s -= thack;
						e -= thack;
					}
					pb_ch(pb, '{');
					pb_u(pb, s);
					pb_ch(pb, ':');
					pb_u(pb, e);
					pb_ch(pb, '}');
				}
			}
			break;
		case 6:
		case 7:
		case 11:
		case 12:
		case 13:
			datalen = 4;
			LENCHECK(datalen);
			pb_ch(pb, ' ');
			pb_u(pb, cur_at_be32(&d, 0));
			break;
		case 8:
			datalen = 8;
			LENCHECK(datalen);
			pb_str(pb, " val ");
			pb_u(pb, cur_at_be32(&d, 0));
			pb_str(pb, " ecr ");
			pb_u(pb, cur_at_be32(&d, 4));
			break;
		case 19:
			datalen = 16;
			LENCHECK(datalen);
			pb_str(pb, " shared secret not supplied with -M, can't check - ");
			for (unsigned k = 0; k < 16; k++)
				pb_hex(pb, cur_at_u8(&d, k), 2);
			break;
		case 20:
			datalen = 2;
			LENCHECK(datalen);
			pb_str(pb, " cap ");
			pb_hex(pb, cur_at_u8(&d, 0), 2);
			pb_str(pb, " id ");
			pb_u(pb, cur_at_u8(&d, 1));
			break;
		case 29:
			datalen = len - 2;
			if (datalen < 2) {
				pb_str(pb, " (invalid)");
				break;
			}
			LENCHECK(1);
			pb_str(pb, " keyid ");
			pb_u(pb, cur_at_u8(&d, 0));
			LENCHECK(2);
			pb_str(pb, " rnextkeyid ");
			pb_u(pb, cur_at_u8(&d, 1));
			if (datalen > 2) {
				pb_str(pb, " mac 0x");
				for (unsigned k = 2; k < datalen; k++) {
					LENCHECK(k + 1);
					pb_hex(pb, cur_at_u8(&d, k), 2);
				}
			}
			break;
		case 0:
		case 1:
		case 4:
			break;
		case 28: {
			unsigned uto;

			datalen = 2;
			LENCHECK(datalen);
			uto = cur_at_be16(&d, 0);
			pb_str(pb, " 0x");
			pb_hex(pb, uto, 1);
			uto = (uto & 1) ? (uto >> 1) * 60 : uto >> 1;
			pb_ch(pb, ' ');
			pb_u(pb, uto);
			break;
		}
		case 34:
			datalen = len - 2;
			LENCHECK(datalen);
			pb_ch(pb, ' ');
			fastopen(pb, d, datalen, false);
			break;
		case 254:
			datalen = len - 2;
			LENCHECK(datalen);
			if (datalen < 2)
				goto bad;
			pb_ch(pb, '-');
			if (cur_at_be16(&d, 0) == 0xf989)
				fastopen(pb, cur_from(&d, 2), datalen - 2, true);
			else
				pb_hex(pb, cur_at_be16(&d, 0), 4);
			break;
		case 30:
			datalen = len - 2;
			LENCHECK(datalen);
			if (!print_mptcp(pb, cur_from(&p, i), len, flags))
				goto bad;
			break;
		default:
			datalen = len - 2;
			if (datalen)
				pb_str(pb, " 0x");
			for (unsigned k = 0; k < datalen; k++) {
				LENCHECK(k + 1);
				pb_hex(pb, cur_at_u8(&d, k), 2);
			}
			break;
		}
#undef LENCHECK
		{
			unsigned used = datalen + (len == 1 && (opt == 0 || opt == 1) ? 1 : 2);

			if (used != len) {
				pb_str(pb, "[len ");
				pb_u(pb, len);
				pb_ch(pb, ']');
			}
			/* like tcpdump, step over what was decoded, not over the stated length */
			i += used;
		}
		done_one = true;
		if (opt == 0)
			break;
	}
	pb_ch(pb, ']');
	return true;
bad:
	pb_str(pb, "[bad opt]");
	if (done_one)
		pb_ch(pb, ']');
	return false;
trunc:
	/* an option's data not captured (tcpdump's LENCHECK: goto trunc, no longjmp) */
	print_trunc_mark(ps, "tcp");
	if (done_one)
		pb_ch(pb, '>');
	return false;
trunc_read:
	/* an option's type or length byte not captured */
	print_trunc(ps, "tcp");
	return false;
}

/* tcpdump decodes these ports' payloads; procap names them instead (documented difference). */
static const char *decoded_port(uint16_t p)
{
	switch (p) {
	case 21: return "ftp";
	case 23: return "telnet";
	case 25: return "smtp";
	case 43: return "whois";
	case 53: return "dns";
	case 143: return "imap";
	case 179: return "bgp";
	case 323: return "rpki-rtr";
	case 554: return "rtsp";
	case 639: return "msdp";
	case 646: return "ldp";
	case 1723: return "pptp";
	case 2049: return "nfs";
	case 5060: return "sip";
	case 6379: return "redis";
	case 6633: return "openflow";
	case 6653: return "openflow";
	case 8554: return "rtsp";
	case 10288: return "beep";
	default: return NULL;
	}
}

static const char *const http_methods[] = {
	"OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "TRACE", "CONNECT", "PATCH",
	"PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "ORDERPATCH",
	"CHECKIN", "CHECKOUT", "UNCHECKOUT", "VERSION-CONTROL", "REPORT", "UPDATE", "LABEL",
	"MERGE", "MKWORKSPACE", "MKACTIVITY", "BASELINE-CONTROL", "ACL", "SEARCH",
};

/* A token of printable ASCII ending at white space or end of line; returns the index after
 * the token and the blanks that follow it, 0 when there is none. */
static size_t token(const struct cursor *p, size_t idx, size_t len, char *tok, size_t toksz)
{
	size_t n = 0;

	for (; idx < len; idx++) {
		uint8_t ch = cur_at_u8(p, idx);

		if (ch & 0x80)
			return 0;
		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n')
			break;
		if (ch < 0x20 || ch > 0x7e || n + 2 > toksz)
			return 0;
		tok[n++] = (char)ch;
	}
	if (n == 0)
		return 0;
	tok[n] = 0;
	for (; idx < len; idx++) {
		uint8_t ch = cur_at_u8(p, idx);

		if (ch == '\r' || ch == '\n' || ch < 0x20 || ch > 0x7e || (ch != ' ' && ch != '\t'))
			break;
	}
	return idx;
}

/* One text line from idx (len payload bytes, cap of them captured), printed after prefix.
 * Returns the index after its CRLF/LF; 0 when the line is binary (nothing printed) or runs
 * to the end of the payload (printed, marked truncated); -1 when it runs past the captured
 * bytes (only the truncation mark is printed). */
static long text_line(struct pstate *ps, const char *prefix, const struct cursor *p, size_t idx,
		      size_t len)
{
	size_t start = idx, cap = cur_left(p);

	for (; idx < len; idx++) {
		uint8_t ch;

		if (idx >= cap)
			goto past_capture;
		ch = cur_at_u8(p, idx);
		if (ch == '\n') {
			pb_str(ps->pb, prefix);
			pb_mem(ps->pb, (const char *)p->pos + start, idx - start);
			return (long)idx + 1;
		}
		if (ch == '\r') {
			if (idx + 1 >= len)
				return 0;
			if (idx + 1 >= cap)
				goto past_capture;
			if (cur_at_u8(p, idx + 1) != '\n')
				return 0;
			pb_str(ps->pb, prefix);
			pb_mem(ps->pb, (const char *)p->pos + start, idx - start);
			return (long)idx + 2;
		}
		if ((ch < 0x20 || ch > 0x7e) && ch != '\t')
			return 0;
	}
	pb_str(ps->pb, prefix);
	pb_mem(ps->pb, (const char *)p->pos + start, idx - start);
	print_trunc(ps, "http");
	return 0;
past_capture:
	print_trunc(ps, "http");
	return -1;
}

/* HTTP as tcpdump's text-protocol printer shows it: ": HTTP", then the request or status line
 * (", length: N" and every line with -v). */
static void http(struct pstate *ps, struct cursor p, size_t len)
{
	char tok[128];
	size_t idx, cap = cur_left(&p), lim = cap < len ? cap : len;
	bool show = false;

	idx = token(&p, 0, lim, tok, sizeof(tok));
	if (idx) {
		for (size_t i = 0; i < sizeof(http_methods) / sizeof(http_methods[0]); i++)
			if (!strcasecmp(tok, http_methods[i]))
				show = true;
		idx = token(&p, idx, lim, tok, sizeof(tok));
		if (idx && tok[0] >= '0' && tok[0] <= '9' && tok[1] >= '0' && tok[1] <= '9' &&
		    tok[2] >= '0' && tok[2] <= '9' && !tok[3])
			show = true;
	}
	pb_str(ps->pb, ": HTTP");
	if (!show)
		return;
	if (ps->o->vflag) {
		pb_str(ps->pb, ", length: ");
		pb_u(ps->pb, len);
		for (long next = 0; (size_t)next < len;) {
			next = text_line(ps, "\n\t", &p, (size_t)next, len);
			if (next <= 0)
				break;
		}
	} else {
		text_line(ps, ": ", &p, 0, len);
	}
}

/* A reset may carry text saying why (RFC 9293 §3.5.3, RFC 1122 §4.2.2.12); with -v tcpdump
 * 4.99.3 shows it instead of the application: " [RST", "!" before it when not all of the
 * payload was captured, "+" after it when it is longer than 30 bytes, then up to 30 bytes
 * with control characters as ^X and bytes over 0x7f as M- and the same (observed output). */
#define RST_TEXT_MAX	30

static void rst_text(struct pbuf *pb, struct cursor p, size_t len)
{
	size_t n = len < RST_TEXT_MAX ? len : RST_TEXT_MAX;

	pb_str(pb, cur_has(&p, 0, len) ? " [RST" : " [!RST");
	pb_str(pb, len > RST_TEXT_MAX ? "+ " : " ");
	for (size_t i = 0; i < n && cur_has(&p, i, 1); i++) {
		uint8_t b = cur_at_u8(&p, i);

		if (b & 0x80) {
			pb_str(pb, "M-");
			b &= 0x7f;
		}
		if (b < 0x20 || b == 0x7f) {
			pb_ch(pb, '^');
			b ^= 0x40;
		}
		pb_ch(pb, (char)b);
	}
	pb_ch(pb, ']');
}

/* SSH: the version line ("SSH-2.0-...") when the payload starts with one. */
static void ssh(struct pstate *ps, struct cursor p, size_t len)
{
	static const char magic[] = "SSH-";
	size_t idx, cap = cur_left(&p);

	for (idx = 0; idx < 4; idx++) {
		if (idx >= cap)
			goto trunc;
		if (cur_at_u8(&p, idx) != (uint8_t)magic[idx])
			return;
	}
	for (; idx < len; idx++) {
		if (idx >= cap)
			goto trunc;
		if (cur_at_u8(&p, idx) == '\n')
			break;
		if (cur_at_u8(&p, idx) == '\r') {
			if (idx + 1 >= len)
				return;
			if (idx + 1 >= cap)
				goto trunc;
			if (cur_at_u8(&p, idx + 1) == '\n')
				break;
			return;
		}
		if (cur_at_u8(&p, idx) < 0x20 || cur_at_u8(&p, idx) > 0x7e)
			return;
	}
	if (idx >= len)
		return;
	pb_str(ps->pb, ": SSH: ");
	pb_mem(ps->pb, (const char *)p.pos, idx);
	return;
trunc:
	print_trunc(ps, "ssh");
}

static void ports_prefix(struct pbuf *pb, const struct ipinfo *ip, uint16_t sport, uint16_t dport,
			 uint8_t proto)
{
	bool addrs = ip->first_nxt == proto;

	if (addrs) {
		pb_ip(pb, ip->ver, ip->src);
		pb_ch(pb, '.');
	}
	pb_u(pb, sport);
	pb_str(pb, " > ");
	if (addrs) {
		pb_ip(pb, ip->ver, ip->dst);
		pb_ch(pb, '.');
	}
	pb_u(pb, dport);
	pb_str(pb, ": ");
}

void print_ports_prefix(struct pbuf *pb, const struct ipinfo *ip, uint16_t sport, uint16_t dport,
			uint8_t proto)
{
	ports_prefix(pb, ip, sport, dport, proto);
}

static void relative(struct tcp_seq_table *t, const struct ipinfo *ip, uint16_t sport,
		     uint16_t dport, uint8_t flags, uint32_t *seq, uint32_t *ack, bool *rev,
		     uint32_t *thseq, uint32_t *thack)
{
	int alen = ip->ver == 4 ? 4 : 16;
	int cmp = memcmp(ip->src, ip->dst, (size_t)alen);
	struct tcp_conn key = { .ver = (uint8_t)ip->ver }, *c;
	unsigned h;

	*rev = cmp > 0 || (cmp == 0 && sport > dport);
	if (*rev) {
		memcpy(key.a, ip->dst, (size_t)alen);
		memcpy(key.b, ip->src, (size_t)alen);
		key.ports = (uint32_t)dport << 16 | sport;
	} else {
		memcpy(key.a, ip->src, (size_t)alen);
		memcpy(key.b, ip->dst, (size_t)alen);
		key.ports = (uint32_t)sport << 16 | dport;
	}
	h = conn_hash(key.a, key.b, alen, key.ports);
	for (c = t->bucket[h]; c; c = c->next)
		if (c->ver == key.ver && c->ports == key.ports && !memcmp(c->a, key.a, 16) &&
		    !memcmp(c->b, key.b, 16))
			break;
	if (!c || (flags & 0x02)) {
		if (!c) {
			if (t->n >= TCP_MAX_CONNS) {
				*thseq = *thack = 0;
				return;
			}
			c = xmalloc(sizeof(*c));
			*c = key;
			c->next = t->bucket[h];
			t->bucket[h] = c;
			t->n++;
		}
		if (*rev) {
			c->ack = *seq;
			c->seq = *ack - 1;
		} else {
			c->seq = *seq;
			c->ack = *ack - 1;
		}
	} else if (*rev) {
		*seq -= c->ack;
		*ack -= c->seq;
	} else {
		*seq -= c->seq;
		*ack -= c->ack;
	}
	*thseq = c->seq;
	*thack = c->ack;
}

void print_tcp(struct pstate *ps, struct cursor c, const struct ipinfo *ip)
{
	struct pbuf *pb = ps->pb;
	const struct options *o = ps->o;
	size_t cap = cur_left(&c);
	uint32_t length = ip->len, seq, ack, thseq = 0, thack = 0;
	uint16_t sport, dport, win, urp;
	unsigned hlen;
	uint8_t flags;
	bool rev = false;

	if (cap < 4) {
		print_addrs(pb, ip);
		pb_ch(pb, ':');
		print_trunc_mark(ps, "tcp");
		return;
	}
	sport = cur_at_be16(&c, 0);
	dport = cur_at_be16(&c, 2);
	ports_prefix(pb, ip, sport, dport, 6);
	if (cap < 20) {
		print_trunc_mark(ps, "tcp");
		return;
	}
	hlen = (cur_at_u8(&c, 12) >> 4) * 4u;
	if (hlen < 20) {
		pb_str(pb, " tcp ");
		pb_u(pb, length - hlen);
		pb_str(pb, " [bad hdr length ");
		pb_u(pb, hlen);
		pb_str(pb, " - too short, < 20]");
		return;
	}
	seq = cur_at_be32(&c, 4);
	ack = cur_at_be32(&c, 8);
	flags = cur_at_u8(&c, 13);
	win = cur_at_be16(&c, 14);
	urp = cur_at_be16(&c, 18);
	if (o->qflag) {
		pb_str(pb, "tcp ");
		pb_u(pb, length - hlen);
		if (hlen > length) {
			pb_str(pb, " [bad hdr length ");
			pb_u(pb, hlen);
			pb_str(pb, " - too long, > ");
			pb_u(pb, length);
			pb_ch(pb, ']');
		}
		return;
	}
	pb_str(pb, "Flags [");
	if (!flags) {
		pb_str(pb, "none");
	} else {
		static const char fl[] = "FSRP.UEW";

		for (int i = 0; i < 8; i++)
			if (flags & (1u << i))
				pb_ch(pb, fl[i]);
	}
	pb_ch(pb, ']');
	if (!o->Sflag && (flags & 0x10))
		relative(ps->tcp, ip, sport, dport, flags, &seq, &ack, &rev, &thseq, &thack);
	if (hlen > length) {
		pb_str(pb, " [bad hdr length ");
		pb_u(pb, hlen);
		pb_str(pb, " - too long, > ");
		pb_u(pb, length);
		pb_ch(pb, ']');
		return;
	}
	if (o->vflag && !o->no_cksum && !ip->fragmented && cap >= length) {
		uint16_t field = cur_at_be16(&c, 16);
		uint16_t sum = print_cksum_pseudo(ip, 6, cur_at_ptr(&c, 0, length), length);

		pb_str(pb, ", cksum 0x");
		pb_hex(pb, field, 4);
		if (sum != 0) {
			pb_str(pb, " (incorrect -> 0x");
			pb_hex(pb, print_cksum_shouldbe(field, sum), 4);
			pb_ch(pb, ')');
		} else {
			pb_str(pb, " (correct)");
		}
	}
	length -= hlen;
	if (o->vflag > 1 || length > 0 || (flags & 0x07)) {
		pb_str(pb, ", seq ");
		pb_u(pb, seq);
		if (length > 0) {
			pb_ch(pb, ':');
			pb_u(pb, (uint32_t)(seq + length));
		}
	}
	if (flags & 0x10) {
		pb_str(pb, ", ack ");
		pb_u(pb, ack);
	}
	pb_str(pb, ", win ");
	pb_u(pb, win);
	if (flags & 0x20) {
		pb_str(pb, ", urg ");
		pb_u(pb, urp);
	}
	if (hlen > 20) {
		if (!tcp_options(ps, cur_from(&c, 20), hlen - 20, rev, thseq, thack, flags))
			return;
	}
	pb_str(pb, ", length ");
	pb_u(pb, length);
	if (length == 0)
		return;
	if ((flags & 0x04) && o->vflag) {
		rst_text(pb, cur_from(&c, hlen), length);
		return;
	}
	if (sport == 80 || dport == 80 || sport == 8080 || dport == 8080) {
		http(ps, cur_from(&c, hlen), length);
	} else if (sport == 22 || dport == 22) {
		ssh(ps, cur_from(&c, hlen), length);
	} else if (decoded_port(sport) || decoded_port(dport)) {
		pb_str(pb, " (");
		pb_str(pb, decoded_port(dport) ? decoded_port(dport) : decoded_port(sport));
		pb_ch(pb, ')');
	}
}
