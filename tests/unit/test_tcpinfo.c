// SPDX-License-Identifier: BSD-3-Clause
/* --tcpinfo text: the TCPInfo: comment line written by -w is read back by -r unchanged, with a
 * procap comment around it; malformed values make the comment not procap's. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "comment.h"
#include "tcpinfo.h"

/* memset first: the structs are compared whole, padding included */
static struct tcp_state sample(void)
{
	struct tcp_state s;

	memset(&s, 0, sizeof(s));
	s.cwnd = 236;
	s.ssthresh = 0x7fffffff;
	s.srtt_us = 291;
	s.rttvar_us = 83;
	s.snd_wnd = 2689024;
	s.rcv_wnd = 64512;
	s.packets_out = 92;
	s.retrans_out = 1;
	s.sacked_out = 3;
	s.lost_out = 2;
	s.mss = 1448;
	s.in_flight = 131824;
	s.pacing_rate = UINT64_MAX;
	s.delivery_rate = 426433656;
	s.ca_state = 3;
	return s;
}

static void test_format(void)
{
	struct tcp_state s = sample();
	char buf[TCPINFO_TEXT_MAX];

	tcpinfo_format(&s, buf, sizeof(buf));
	CHECK_STR(buf, "cwnd=236 ssthresh=inf srtt=291us rttvar=83us snd_wnd=2689024B "
		  "rcv_wnd=64512B inflight=131824B unacked=92 retrans=1 sacked=3 lost=2 mss=1448 "
		  "pacing=inf delivery=426433656B/s ca=recovery", "tcpinfo_format");
}

static void test_round_trip(void)
{
	struct tcp_state s = sample(), back;
	char buf[TCPINFO_TEXT_MAX];

	tcpinfo_format(&s, buf, sizeof(buf));
	CHECK(tcpinfo_parse(buf, &back), "tcpinfo_parse ok");
	CHECK(memcmp(&s, &back, sizeof(s)) == 0, "tcpinfo_parse round trip");
	CHECK(!tcpinfo_parse("cwnd=1 srtt=5", &back), "tcpinfo_parse unit required");
	CHECK(!tcpinfo_parse("cwnd=1 srtt=5us cwnd=2", &back), "tcpinfo_parse duplicate");
	CHECK(!tcpinfo_parse("cwnd=99999999999 srtt=5us", &back), "tcpinfo_parse range");
	CHECK(!tcpinfo_parse("cwnd=1 srtt=5us ca=nope", &back), "tcpinfo_parse ca");
	CHECK(!tcpinfo_parse("rttvar=5us", &back), "tcpinfo_parse needs cwnd and srtt");
	CHECK(tcpinfo_parse("cwnd=1 srtt=5us", &back) && back.cwnd == 1 && back.srtt_us == 5,
	      "tcpinfo_parse subset");
}

static void test_comment(void)
{
	struct packet p, q;
	char base[COMMENT_MAX], buf[COMMENT_MAX + TCPINFO_TEXT_MAX];
	const char *c;

	memset(&p, 0, sizeof(p));
	p.proc.valid = true;
	p.proc.source = OWNER_COOKIE;
	p.proc.pid = 42;
	strcpy(p.proc.comm, "iperf3");
	p.proc.uid = COMMENT_UID_UNKNOWN;
	p.has_tcp = true;
	p.tcp = sample();
	comment_format(&p, NULL, NULL, base, sizeof(base));
	c = tcpinfo_comment(base, &p.tcp, buf, sizeof(buf));
	CHECK(strstr(c, "\nTCPInfo: cwnd=236 ") != NULL, "comment has TCPInfo line");
	memset(&q, 0, sizeof(q));
	CHECK(comment_parse(c, &q), "comment with TCPInfo parses");
	CHECK(q.has_tcp && memcmp(&q.tcp, &p.tcp, sizeof(q.tcp)) == 0, "comment TCPInfo back");
	CHECK_INT(q.proc.pid, 42, "comment pid with TCPInfo");
	memset(&q, 0, sizeof(q));
	CHECK(comment_parse(base, &q) && !q.has_tcp, "comment without TCPInfo");
	CHECK(!comment_parse("PID: 1\nSource: cookie\nTCPInfo: cwnd=x", &q),
	      "malformed TCPInfo is not procap's");
}

int main(void)
{
	test_format();
	test_round_trip();
	test_comment();
	return check_failures != 0;
}
