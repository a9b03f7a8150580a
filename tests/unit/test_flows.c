// SPDX-License-Identifier: BSD-3-Clause
/* Flow table, log2 histogram and per-process totals (src/sink/flows.c, hist.c, proctot.c).
 * Packets are built as pkt_meta directly: a TCP connection with handshake, data, a
 * retransmission, a keep-alive and FIN/ACK teardown; RST; UDP idle timeout; port reuse; the
 * table cap. Expected counts are the packets each scenario sends, by construction; the
 * histogram text is bcc's print_log2_hist layout ("%10d -> %-10d : %-8d |%-*s|", 40 stars). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "flows.h"
#include "hist.h"
#include "proctot.h"

#define MS 1000000ull

static struct flow ended[16];
static int n_ended;

static void on_end(void *ctx, struct flow *f)
{
	(void)ctx;
	if (n_ended < 16)
		ended[n_ended++] = *f;
}

struct peer {
	uint8_t addr[16];
	uint16_t port;
};

static const struct peer cli = { { 198, 51, 100, 1 }, 40000 }, srv = { { 198, 51, 100, 2 }, 443 };

/* One TCP segment from a to b; returns the flow. */
static struct flow *seg(struct flow_table *t, const struct peer *a, const struct peer *b,
			uint64_t ts, uint8_t flags, uint32_t seq, uint32_t len, uint32_t wire,
			const struct proc_meta *owner, uint8_t dir)
{
	struct pkt_meta m;
	struct packet p;

	memset(&m, 0, sizeof(m));
	memset(&p, 0, sizeof(p));
	m.ts_ns = ts;
	m.ip_ver = 4;
	m.l4_proto = 6;
	memcpy(m.src, a->addr, 16);
	memcpy(m.dst, b->addr, 16);
	m.sport = a->port;
	m.dport = b->port;
	m.tcp_flags = flags;
	m.tcp_seq = seq;
	m.payload_len = len;
	p.ts_ns = ts;
	p.wire_len = wire;
	p.dir = dir;
	if (owner)
		p.proc = *owner;
	return flows_packet(t, &p, &m, NULL, NULL);
}

static void test_tcp_connection(void)
{
	struct flow_cfg cfg = { .max_flows = 8, .idle_ns = 30000 * MS, .tcp_idle_ns = 300000 * MS,
				.linger_ns = 2000 * MS };
	struct proc_meta listener = { .valid = true, .pid = 10, .comm = "nginx" };
	struct proc_meta worker = { .valid = true, .pid = 11, .comm = "nginx-worker" };
	n_ended = 0;
	struct flow_table *t = flows_new(&cfg, on_end, NULL);

	/* captured at the server: the SYN is named after the listener (ingress), the worker's
	 * answers (egress) take the flow over */
	seg(t, &cli, &srv, 1 * MS, 0x02, 1000, 0, 74, &listener, PKT_DIR_IN);
	seg(t, &srv, &cli, 2 * MS, 0x12, 5000, 0, 74, &worker, PKT_DIR_OUT);
	seg(t, &cli, &srv, 3 * MS, 0x10, 1001, 0, 66, &listener, PKT_DIR_IN);
	seg(t, &cli, &srv, 4 * MS, 0x18, 1001, 100, 166, &listener, PKT_DIR_IN);
	seg(t, &cli, &srv, 5 * MS, 0x18, 1001, 100, 166, &listener, PKT_DIR_IN);	/* retx */
	seg(t, &srv, &cli, 6 * MS, 0x18, 5001, 1000, 1066, &worker, PKT_DIR_OUT);
	seg(t, &cli, &srv, 7 * MS, 0x10, 1100, 0, 66, &listener, PKT_DIR_IN);	/* keep-alive */
	seg(t, &cli, &srv, 8 * MS, 0x11, 1101, 0, 66, &listener, PKT_DIR_IN);	/* FIN */
	seg(t, &srv, &cli, 9 * MS, 0x11, 6001, 0, 66, &worker, PKT_DIR_OUT);	/* FIN */
	struct flow *f = seg(t, &cli, &srv, 10 * MS, 0x10, 1102, 0, 66, &listener, PKT_DIR_IN);
	CHECK_INT(flows_active(t), 1, "flows: one connection, both directions");
	CHECK_INT(f->end, FLOW_FIN, "flows: FIN from both sides ends it");
	flows_expire(t, 11 * MS);
	CHECK_INT(n_ended, 0, "flows: lingers for the last ACK");
	flows_expire(t, 2010 * MS);
	if (!CHECK_INT(n_ended, 1, "flows: reported after the linger"))
		return;
	f = &ended[0];
	CHECK_INT(f->end, FLOW_FIN, "flows: ended fin");
	CHECK_INT(f->sport, 40000, "flows: src is the SYN's sender");
	CHECK_INT(f->packets[0], 7, "flows: client packets");
	CHECK_INT(f->packets[1], 3, "flows: server packets");
	CHECK_INT(f->bytes[0], 74 + 66 + 166 + 166 + 66 + 66 + 66, "flows: client bytes");
	CHECK_INT(f->bytes[1], 74 + 1066 + 66, "flows: server bytes");
	CHECK_INT(f->last_ns - f->first_ns, 9 * MS, "flows: duration first to last");
	CHECK_INT(f->retrans, 1, "flows: one retransmission, keep-alive not counted");
	/* out of order: 100 bytes at 300 leave a gap at 200, the late segment fills it */
	struct peer c3 = cli;
	c3.port = 40003;
	seg(t, &c3, &srv, 20 * MS, 0x02, 100, 0, 74, NULL, 0);
	seg(t, &c3, &srv, 21 * MS, 0x18, 101, 99, 165, NULL, 0);
	seg(t, &c3, &srv, 22 * MS, 0x18, 300, 100, 166, NULL, 0);
	struct flow *g = seg(t, &c3, &srv, 23 * MS, 0x18, 200, 100, 166, NULL, 0);
	CHECK_INT(g->retrans, 0, "flows: a segment filling a gap is out of order, not retransmitted");
	g = seg(t, &c3, &srv, 24 * MS, 0x18, 200, 100, 166, NULL, 0);
	CHECK_INT(g->retrans, 1, "flows: ... the same segment again is");
	CHECK_INT(f->owner.pid, 11, "flows: egress owner replaces the ingress one");
	flows_free(t, FLOW_EXIT);
}

static void test_reuse_rst_timeout_evict(void)
{
	struct flow_cfg cfg = { .max_flows = 2, .idle_ns = 30000 * MS, .tcp_idle_ns = 300000 * MS,
				.linger_ns = 2000 * MS };
	struct peer c2 = cli, u1 = { { 192, 0, 2, 1 }, 5353 }, u2 = { { 192, 0, 2, 2 }, 53 };
	n_ended = 0;
	struct flow_table *t = flows_new(&cfg, on_end, NULL);

	/* SYN-ACK first (capture started late): src is still the connecting side */
	struct flow *f = seg(t, &srv, &cli, 1 * MS, 0x12, 5000, 0, 74, NULL, 0);
	CHECK_INT(f->sport, 40000, "flows: SYN-ACK first keeps the client as src");
	seg(t, &cli, &srv, 2 * MS, 0x14, 1001, 0, 60, NULL, 0);	/* RST */
	CHECK_INT(f->end, FLOW_RST, "flows: RST ends it");
	/* the same ports again: a new connection, the old one is reported */
	seg(t, &cli, &srv, 3 * MS, 0x02, 9000, 0, 74, NULL, 0);
	CHECK_INT(n_ended, 1, "flows: a new SYN on a closed flow ends it");
	CHECK_INT(ended[0].end, FLOW_RST, "flows: ... as rst");
	/* UDP: idle timeout */
	struct pkt_meta m;
	struct packet p;
	memset(&m, 0, sizeof(m));
	memset(&p, 0, sizeof(p));
	m.ip_ver = 4;
	m.l4_proto = 17;
	memcpy(m.src, u1.addr, 16);
	memcpy(m.dst, u2.addr, 16);
	m.sport = u1.port;
	m.dport = u2.port;
	m.ts_ns = p.ts_ns = 4 * MS;
	p.wire_len = 100;
	flows_packet(t, &p, &m, NULL, NULL);
	flows_expire(t, 30003 * MS);
	CHECK_INT(n_ended, 1, "flows: UDP not yet idle");
	flows_expire(t, 30004 * MS);
	CHECK_INT(n_ended, 2, "flows: UDP idle timeout");
	CHECK_INT(ended[1].end, FLOW_TIMEOUT, "flows: ... as timeout");
	/* a third flow with two in the table: the idlest goes */
	c2.port = 40001;
	seg(t, &c2, &srv, 30005 * MS, 0x02, 1, 0, 74, NULL, 0);
	memcpy(m.src, u2.addr, 16);
	m.ts_ns = p.ts_ns = 30006 * MS;
	flows_packet(t, &p, &m, NULL, NULL);
	CHECK_INT(flows_evicted(t), 1, "flows: full table evicts one");
	CHECK_INT(ended[2].end, FLOW_EVICTED, "flows: the oldest, as evicted");
	CHECK_INT(ended[2].first_ns, 3 * MS, "flows: ... the idlest flow");
	CHECK_INT(flows_active(t), 2, "flows: table stays at its cap");
	/* FINs both ways, the last one never acknowledged: retransmitted FINs seconds later
	 * still belong to the connection (tshark's conversation too) */
	c2.port = 40002;
	int before = n_ended;
	seg(t, &c2, &srv, 40000 * MS, 0x02, 1, 0, 74, NULL, 0);
	seg(t, &srv, &c2, 40001 * MS, 0x11, 7, 0, 66, NULL, 0);
	seg(t, &c2, &srv, 40002 * MS, 0x11, 2, 0, 66, NULL, 0);
	flows_expire(t, 45000 * MS);
	struct flow *f2 = seg(t, &c2, &srv, 45000 * MS, 0x11, 2, 0, 66, NULL, 0);
	CHECK(n_ended - before <= 1 && f2->packets[0] == 3, "flows: unacknowledged FIN keeps the flow");
	CHECK_INT(f2->retrans, 1, "flows: retransmitted FIN counted");
	flows_free(t, FLOW_EXIT);
	CHECK_INT(ended[n_ended - 2].end, FLOW_FIN, "flows: a FIN exchange ends as fin at exit");
	CHECK_INT(ended[n_ended - 1].end, FLOW_EXIT, "flows: open flows end at exit");
}

static void test_hist(void)
{
	struct log2_hist h;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	memset(&h, 0, sizeof(h));
	hist_add(&h, 0);
	hist_add(&h, 5);
	hist_add(&h, 7);
	hist_add(&h, 100);
	hist_print(f, &h, "usecs");
	fclose(f);
	CHECK_STR(buf,
		  "     usecs               : count     distribution\n"
		  "         0 -> 1          : 1        |********************                    |\n"
		  "         2 -> 3          : 0        |                                        |\n"
		  "         4 -> 7          : 2        |****************************************|\n"
		  "         8 -> 15         : 0        |                                        |\n"
		  "        16 -> 31         : 0        |                                        |\n"
		  "        32 -> 63         : 0        |                                        |\n"
		  "        64 -> 127        : 1        |********************                    |\n",
		  "hist: print_log2_hist layout");
	free(buf);
	memset(&h, 0, sizeof(h));
	hist_add(&h, UINT64_MAX);
	CHECK_INT(h.slot[64], 1, "hist: the largest value has a slot");
}

static void test_proc_totals(void)
{
	struct proc_totals *t = proc_totals_new(2);
	struct packet p;
	uint32_t n;

	memset(&p, 0, sizeof(p));
	p.proc.valid = true;
	p.wire_len = 98;
	const char *names[] = { "ping", "ping", "curl", "sshd" };
	for (int i = 0; i < 4; i++) {
		p.proc.pid = (uint32_t)(100 + (i > 0 ? i - 1 : 0));
		snprintf(p.proc.comm, sizeof(p.proc.comm), "%s", names[i]);
		p.dir = PKT_DIR_OUT;
		proc_totals_packet(t, &p);
	}
	struct proc_total **s = proc_totals_sorted(t, &n);
	CHECK_INT(n, 3, "proctot: two tracked and the overflow row");
	CHECK_STR(s[0]->comm, "ping", "proctot: most bytes first");
	CHECK_INT(s[0]->tx_packets, 2, "proctot: ping's two packets sent");
	bool other = false;
	for (uint32_t i = 0; i < n; i++)
		other |= !strcmp(s[i]->comm, "[other]") && s[i]->packets == 1;
	CHECK(other, "proctot: beyond the cap summed as [other]");
	proc_totals_free(t);
}

int main(void)
{
	test_tcp_connection();
	test_reuse_rst_timeout_evict();
	test_hist();
	test_proc_totals();
	return CHECK_EXIT();
}
