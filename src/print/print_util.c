// SPDX-License-Identifier: BSD-3-Clause
/* Text printer helpers: the line buffer's append functions, Internet checksums (RFC 1071) and
 * the IP protocol name table tcpdump uses in -v output. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "print_int.h"
#include "util.h"

void pb_grow(struct pbuf *pb, size_t need)
{
	size_t cap = pb->cap ? pb->cap : 4096;

	while (cap - pb->len < need)
		cap *= 2;
	pb->buf = xrealloc(pb->buf, cap);
	pb->cap = cap;
}

void pb_u64(struct pbuf *pb, uint64_t v)
{
	char tmp[U64_DEC_MAX], *d = u64_dec(v, tmp);

	pb_mem(pb, d, (size_t)(tmp + sizeof(tmp) - d));
}

void pb_i64(struct pbuf *pb, int64_t v)
{
	if (v < 0) {
		pb_ch(pb, '-');
		pb_u64(pb, (uint64_t)0 - (uint64_t)v);
	} else {
		pb_u64(pb, (uint64_t)v);
	}
}

void pb_u_pad(struct pbuf *pb, uint64_t v, int width)
{
	char tmp[24];
	int i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v && i > 0);
	while ((int)sizeof(tmp) - i < width && i > 0)
		tmp[--i] = '0';
	pb_mem(pb, tmp + i, sizeof(tmp) - (size_t)i);
}

static const char hexdig[] = "0123456789abcdef";

void pb_hex(struct pbuf *pb, uint64_t v, int width)
{
	char tmp[20];
	int i = sizeof(tmp);

	do {
		tmp[--i] = hexdig[v & 0xf];
		v >>= 4;
	} while (v && i > 0);
	while ((int)sizeof(tmp) - i < width && i > 0)
		tmp[--i] = '0';
	pb_mem(pb, tmp + i, sizeof(tmp) - (size_t)i);
}

void pb_ip4(struct pbuf *pb, const uint8_t *a)
{
	for (int i = 0; i < 4; i++) {
		if (i)
			pb_ch(pb, '.');
		pb_u(pb, a[i]);
	}
}

void pb_ip6(struct pbuf *pb, const uint8_t *a)
{
	char tmp[INET6_ADDRSTRLEN];

	if (inet_ntop(AF_INET6, a, tmp, sizeof(tmp)))
		pb_str(pb, tmp);
}

void pb_ip(struct pbuf *pb, int ver, const uint8_t *a)
{
	if (ver == 4)
		pb_ip4(pb, a);
	else
		pb_ip6(pb, a);
}

void pb_mac(struct pbuf *pb, const uint8_t *a)
{
	char tmp[17];

	for (int i = 0; i < 6; i++) {
		tmp[i * 3] = hexdig[a[i] >> 4];
		tmp[i * 3 + 1] = hexdig[a[i] & 0xf];
		if (i < 5)
			tmp[i * 3 + 2] = ':';
	}
	pb_mem(pb, tmp, sizeof(tmp));
}

void pb_lladdr(struct pbuf *pb, const uint8_t *a, unsigned n)
{
	if (n == 6) {
		pb_mac(pb, a);
		return;
	}
	for (unsigned i = 0; i < n; i++) {
		if (i)
			pb_ch(pb, ':');
		pb_hex(pb, a[i], 2);
	}
}

void print_addrs(struct pbuf *pb, const struct ipinfo *ip)
{
	pb_ip(pb, ip->ver, ip->src);
	pb_str(pb, " > ");
	pb_ip(pb, ip->ver, ip->dst);
}

void pb_printf(struct pbuf *pb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	pb_need(pb, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(pb->buf + pb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	pb->len += (size_t)n;
}

void pb_escaped(struct pbuf *pb, const char *s, size_t n, bool quoted)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t ch = (uint8_t)s[i];

		if (quoted && (ch == '\\' || ch == '"')) {
			pb_ch(pb, '\\');
			pb_ch(pb, (char)ch);
		} else if (ch < 0x21 || ch > 0x7e) {
			if (quoted && ch == ' ') {
				pb_ch(pb, ' ');
				continue;
			}
			pb_str(pb, "\\x");
			pb_hex(pb, ch, 2);
		} else {
			pb_ch(pb, (char)ch);
		}
	}
}

uint32_t print_cksum_add(uint32_t sum, const uint8_t *data, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)data[i] << 8 | data[i + 1];
	if (len & 1)
		sum += (uint32_t)data[len - 1] << 8;
	return sum;
}

uint16_t print_cksum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t print_cksum_pseudo(const struct ipinfo *ip, uint8_t proto, const uint8_t *data,
			    uint32_t len)
{
	int alen = ip->ver == 4 ? 4 : 16;
	uint32_t sum = 0;

	sum = print_cksum_add(sum, ip->src, (size_t)alen);
	sum = print_cksum_add(sum, ip->final_dst ? ip->final_dst : ip->dst, (size_t)alen);
	sum += proto;
	sum += len & 0xffff;
	sum += len >> 16;
	sum = print_cksum_add(sum, data, len);
	return print_cksum_fold(sum);
}

/* The checksum field value that would have made the sum correct: field + computed, in
 * ones' complement arithmetic (the value tcpdump prints after "->"). */
uint16_t print_cksum_shouldbe(uint16_t field, uint16_t sum)
{
	uint32_t s = (uint32_t)field + sum;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

void print_cksum_verdict(struct pbuf *pb, const char *proto, uint16_t field, uint16_t sum)
{
	pb_ch(pb, '[');
	if (sum != 0) {
		pb_str(pb, "bad ");
		pb_str(pb, proto);
		pb_str(pb, " cksum 0x");
		pb_hex(pb, field, 4);
		pb_str(pb, " -> 0x");
		pb_hex(pb, print_cksum_shouldbe(field, sum), 4);
		pb_str(pb, "!] ");
	} else {
		pb_str(pb, proto);
		pb_str(pb, " sum ok] ");
	}
}

const char *print_ipproto_name(uint8_t proto)
{
	switch (proto) {
	case 0: return "Options";
	case 1: return "ICMP";
	case 2: return "IGMP";
	case 4: return "IPIP";
	case 6: return "TCP";
	case 8: return "EGP";
	case 9: return "IGRP";
	case 17: return "UDP";
	case 33: return "DCCP";
	case 41: return "IPv6";
	case 43: return "Routing";
	case 44: return "Fragment";
	case 46: return "RSVP";
	case 47: return "GRE";
	case 50: return "ESP";
	case 51: return "AH";
	case 55: return "Mobile IP";
	case 58: return "ICMPv6";
	case 62: return "Mobile IP (old)";
	case 88: return "EIGRP";
	case 89: return "OSPF";
	case 103: return "PIM";
	case 108: return "Compressed IP";
	case 112: return "VRRP";
	case 113: return "PGM";
	case 132: return "SCTP";
	case 135: return "Mobility";
	default: return NULL;
	}
}

static const uint8_t no_addr[16];

void print_ip4_at(struct pbuf *pb, const struct cursor *c, size_t off)
{
	const uint8_t *a = cur_at_ptr(c, off, 4);

	pb_ip4(pb, a ? a : no_addr);
}

void print_ip6_at(struct pbuf *pb, const struct cursor *c, size_t off)
{
	const uint8_t *a = cur_at_ptr(c, off, 16);

	pb_ip6(pb, a ? a : no_addr);
}

void print_ip_at(struct pbuf *pb, int ver, const struct cursor *c, size_t off)
{
	if (ver == 4)
		print_ip4_at(pb, c, off);
	else
		print_ip6_at(pb, c, off);
}

const char *print_name16_find(const struct print_name16 *t, size_t n, uint16_t key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (t[mid].key == key)
			return t[mid].name;
		if (t[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
