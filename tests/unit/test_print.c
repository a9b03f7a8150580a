// SPDX-License-Identifier: BSD-3-Clause
/* Text printer: procap's own additions to tcpdump's line (process columns, -v process details,
 * dissector findings, escaping) and the printer's state (relative TCP numbers, -ttt deltas).
 * The tcpdump-identical part itself is checked against tcpdump by the golden tier. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "check.h"
#include "print.h"

/* Ethernet + IPv4 + TCP SYN 198.51.100.1:40000 -> 192.0.2.2:443, seq 1000, no options. */
static const uint8_t syn[] = {
	0x02, 0, 0, 0, 0, 0xfa, 0x02, 0, 0, 0, 0, 0x0a, 0x08, 0x00,
	0x45, 0, 0, 40, 0, 1, 0x40, 0, 64, 6, 0, 0, 198, 51, 100, 1, 192, 0, 2, 2,
	0x9c, 0x40, 0x01, 0xbb, 0, 0, 0x03, 0xe8, 0, 0, 0, 0, 0x50, 0x02, 0xfa, 0xf0, 0, 0, 0, 0,
};

static char outbuf[8192];

/* Prints one packet with options o into outbuf (NUL-terminated). */
static const char *run(const struct options *o, struct packet *p, const struct dissect_result *r,
		       int n)
{
	FILE *f = fmemopen(outbuf, sizeof(outbuf) - 1, "w");
	struct print_ctx *pc = print_new(o, f);

	print_packet(pc, p, r, n);
	print_free(pc);
	fclose(f);
	return outbuf;
}

static struct packet base_packet(void)
{
	struct packet p;

	memset(&p, 0, sizeof(p));
	p.ts_ns = 1795298946123456789ull;	/* 2026-11-21 22:09:06.123456789 UTC */
	p.wire_len = p.cap_len = sizeof(syn);
	p.data = syn;
	p.linktype = 1;
	p.number = 7;
	return p;
}

static void test_plain(void)
{
	struct options o = { 0 };
	struct packet p = base_packet();

	CHECK_STR(run(&o, &p, NULL, 0),
		  "22:09:06.123456 IP 198.51.100.1.40000 > 192.0.2.2.443: Flags [S], seq 1000, "
		  "win 64240, length 0\n",
		  "plain line, microseconds truncated not rounded");
	o.number = true;
	o.tflag = 2;
	CHECK_STR(run(&o, &p, NULL, 0),
		  "    7  1795298946.123456 IP 198.51.100.1.40000 > 192.0.2.2.443: Flags [S], "
		  "seq 1000, win 64240, length 0\n",
		  "-# and -tt");
}

static void test_process_columns(void)
{
	struct options o = { 0 };
	struct packet p = base_packet();

	o.tflag = 1;
	p.procap_meta = true;
	p.ifname = "eth0";
	p.dir = PKT_DIR_OUT;
	CHECK_STR(run(&o, &p, NULL, 0),
		  "eth0 Out IP 198.51.100.1.40000 > 192.0.2.2.443: Flags [S], seq 1000, win 64240, "
		  "length 0\n",
		  "owner unknown: no COMM.PID column");
	p.proc.valid = true;
	p.proc.pid = 4242;
	p.proc.ppid = 1;
	strcpy(p.proc.comm, "cu rl\x01");
	strcpy(p.proc.exe, "/usr/bin/curl");
	strcpy(p.proc.args, "curl -s \"https://x/\"");
	strcpy(p.proc.cgroup, "/user.slice/a b");
	CHECK_STR(run(&o, &p, NULL, 0),
		  "eth0 cu\\x20rl\\x01.4242 Out IP 198.51.100.1.40000 > 192.0.2.2.443: Flags [S], "
		  "seq 1000, win 64240, length 0\n",
		  "COMM.PID column, comm escaped");
	o.vflag = 1;
	CHECK_STR(run(&o, &p, NULL, 0),
		  "eth0 cu\\x20rl\\x01.4242 Out IP (tos 0x0, ttl 64, id 1, offset 0, flags [DF], "
		  "proto TCP (6), length 40, bad cksum 0 (->4e98)!)\n"
		  "    198.51.100.1.40000 > 192.0.2.2.443: Flags [S], cksum 0x0000 (incorrect -> "
		  "0x26d7), seq 1000, win 64240, length 0 exe=/usr/bin/curl "
		  "args=\"curl -s \\\"https://x/\\\"\" ppid=1 cgroup=/user.slice/a\\x20b\n",
		  "-v: process details after the tcpdump text (checksums as tcpdump -v prints them)");
	p.dir = PKT_DIR_IN;
	p.proc.valid = false;
	o.vflag = 0;
	CHECK_STR(run(&o, &p, NULL, 0),
		  "eth0 In IP 198.51.100.1.40000 > 192.0.2.2.443: Flags [S], seq 1000, win 64240, "
		  "length 0\n",
		  "In direction");
}

static void test_findings(void)
{
	struct options o = { 0 };
	struct packet p = base_packet();
	struct dissect_result r[3];

	o.tflag = 1;
	memset(r, 0, sizeof(r));
	r[0].by = &dissector_tls;
	r[0].rc = DISSECT_OK;
	r[0].u.tls.msg = TLS_MSG_CLIENT_HELLO;
	r[0].u.tls.has_sni = true;
	r[0].u.tls.ech = true;
	strcpy(r[0].u.tls.sni, "public.example\x7f");
	strcpy(r[0].u.tls.alpn, "h2,http/1.1");
	strcpy(r[0].u.tls.ja4, "t13d1516h2_8daaf6152771_d8a2da3f94cd");
	CHECK_STR(run(&o, &p, r, 1),
		  "IP 198.51.100.1.40000 > 192.0.2.2.443: Flags [S], seq 1000, win 64240, length 0 "
		  "tls sni=public.example\\x7f alpn=h2,http/1.1 "
		  "ja4=t13d1516h2_8daaf6152771_d8a2da3f94cd ech=1\n",
		  "TLS ClientHello findings, escaped SNI, ECH flag");

	memset(r, 0, sizeof(r));
	r[0].by = &dissector_tls;
	r[0].rc = DISSECT_OK;
	r[0].u.tls.msg = TLS_MSG_SERVER_HELLO;
	r[0].u.tls.version = 0x0304;
	r[0].u.tls.cipher = 0x1301;
	r[1].by = &dissector_tls;
	r[1].rc = DISSECT_NOT_MINE;
	CHECK_STR(run(&o, &p, r, 2),
		  "IP 198.51.100.1.40000 > 192.0.2.2.443: Flags [S], seq 1000, win 64240, length 0 "
		  "tls version=0x0304 cipher=0x1301\n",
		  "ServerHello findings; NOT_MINE results ignored");

	memset(r, 0, sizeof(r));
	r[0].by = &dissector_ipip;
	r[0].rc = DISSECT_OK;
	r[0].u.ipip.outer_ver = 4;
	r[0].u.ipip.inner_ver = 6;
	r[0].u.ipip.proto = 41;
	r[0].u.ipip.inner_src[0] = 0x20;
	r[0].u.ipip.inner_src[1] = 0x01;
	r[0].u.ipip.inner_src[15] = 1;
	r[0].u.ipip.inner_dst[0] = 0x20;
	r[0].u.ipip.inner_dst[1] = 0x01;
	r[0].u.ipip.inner_dst[15] = 2;
	r[1].by = &dissector_quic;
	r[1].rc = DISSECT_OK;
	r[1].u.quic.version = 0x6b3343cf;
	r[1].u.quic.dcid_len = 2;
	r[1].u.quic.dcid[0] = 0xab;
	r[1].u.quic.dcid[1] = 0x01;
	r[1].u.quic.scid_len = 0;
	r[1].u.quic.has_tls = true;
	r[1].u.quic.tls.msg = TLS_MSG_CLIENT_HELLO;
	r[1].u.quic.tls.has_sni = true;
	strcpy(r[1].u.quic.tls.sni, "q.example");
	strcpy(r[1].u.quic.tls.alpn, "h3");
	o.xflag = 1;
	CHECK_STR(run(&o, &p, r, 2),
		  "IP 198.51.100.1.40000 > 192.0.2.2.443: Flags [S], seq 1000, win 64240, length 0 "
		  "ipip=6in4 inner 2001::1 > 2001::2 quic=v2 dcid=ab01 sni=q.example alpn=h3\n"
		  "\t0x0000:  4500 0028 0001 4000 4006 0000 c633 6401\n"
		  "\t0x0010:  c000 0202 9c40 01bb 0000 03e8 0000 0000\n"
		  "\t0x0020:  5002 faf0 0000 0000\n",
		  "tunnel and QUIC findings, before the -x dump");
}

static void test_tcp_state_and_deltas(void)
{
	uint8_t synack[sizeof(syn)], ack[sizeof(syn)];
	struct options o = { 0 };
	struct packet p = base_packet();
	FILE *f = fmemopen(outbuf, sizeof(outbuf) - 1, "w");
	struct print_ctx *pc;

	/* 192.0.2.2:443 -> 198.51.100.1:40000 SYN-ACK seq 5000 ack 1001, then the client's ACK */
	memcpy(synack, syn, sizeof(syn));
	memcpy(synack + 26, syn + 30, 4);
	memcpy(synack + 30, syn + 26, 4);
	synack[34] = 0x01, synack[35] = 0xbb, synack[36] = 0x9c, synack[37] = 0x40;
	synack[38] = 0, synack[39] = 0, synack[40] = 0x13, synack[41] = 0x88;
	synack[42] = 0, synack[43] = 0, synack[44] = 0x03, synack[45] = 0xe9;
	synack[47] = 0x12;
	memcpy(ack, syn, sizeof(syn));
	ack[41] = 0xe9;
	ack[44] = 0x13, ack[45] = 0x89;
	ack[47] = 0x10;
	o.tflag = 3;
	pc = print_new(&o, f);
	print_packet(pc, &p, NULL, 0);
	p.data = synack;
	p.ts_ns += 1500000;
	print_packet(pc, &p, NULL, 0);
	p.data = ack;
	p.ts_ns += 2000000000ull;
	print_packet(pc, &p, NULL, 0);
	print_free(pc);
	fclose(f);
	CHECK_STR(outbuf,
		  " 00:00:00.000000 IP 198.51.100.1.40000 > 192.0.2.2.443: Flags [S], seq 1000, "
		  "win 64240, length 0\n"
		  " 00:00:00.001500 IP 192.0.2.2.443 > 198.51.100.1.40000: Flags [S.], seq 5000, "
		  "ack 1001, win 64240, length 0\n"
		  " 00:00:02.000000 IP 198.51.100.1.40000 > 192.0.2.2.443: Flags [.], ack 1, "
		  "win 64240, length 0\n",
		  "-ttt deltas and relative ack after the SYN-ACK");
}

static void test_unsupported_and_short(void)
{
	struct options o = { 0 };
	struct packet p = base_packet();

	o.tflag = 1;
	p.linktype = 147;
	/* tcpdump 4.99.3 on a LINKTYPE_USER0 file: the word, then the frame as hex and ASCII */
	CHECK(!strncmp(run(&o, &p, NULL, 0), "UNSUPPORTED\n\t0x0000:  0200 0000 00fa 0200 ",
		       42),
	      "unknown link type: tcpdump's UNSUPPORTED and a dump, no crash");
	p.linktype = 1;
	p.cap_len = 10;
	CHECK_STR(run(&o, &p, NULL, 0), " [|ether]\n", "frame shorter than an Ethernet header");
	/* tcpdump's record sanity checks (seen from tcpdump on cut records): no timestamp */
	p.cap_len = 0;
	CHECK_STR(run(&o, &p, NULL, 0), "[Invalid header: caplen==0]\n", "empty record");
	p.cap_len = 54;
	p.wire_len = 20;
	CHECK_STR(run(&o, &p, NULL, 0), "[Invalid header: len(20) < caplen(54)]\n",
		  "record longer than the packet");
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	test_plain();
	test_process_columns();
	test_findings();
	test_tcp_state_and_deltas();
	test_unsupported_and_short();
	return CHECK_EXIT();
}
