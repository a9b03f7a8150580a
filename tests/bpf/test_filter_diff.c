// SPDX-License-Identifier: BSD-3-Clause
/* Differential test of the pcap filter translator and splicer: for each expression, libpcap's
 * own interpreter bpf_filter() (the reference) and the spliced eBPF program run by
 * BPF_PROG_TEST_RUN (TC and XDP) must return the same value (0 = drop, else bytes to keep) on
 * every frame: all packets of testdata's pcap/pcapng files plus crafted edge frames (short,
 * VLAN/QinQ, IPv6 extension chains, fragments, jumbo frames read through XDP fragments) and
 * seeded random frames. Then the same over seeded random expressions built from primitives.
 * Needs root (skips with 77 otherwise).
 *
 * Runs the kernel cannot do: TC test runs refuse frames shorter than 14 bytes or than the L3
 * header their EtherType announces, and longer than one page; XDP refuses < 14 bytes. Such
 * frames are counted as "not runnable" for that hook (the other hook still compares them). */
#define _GNU_SOURCE	/* nftw */
#include <errno.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define bpf_insn pcap_insn		/* pcap.h's classic struct vs linux/bpf.h's eBPF one */
#define bpf_program pcap_program
#include <pcap/pcap.h>
#undef bpf_insn
#undef bpf_program
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "check.h"
#include "filter.h"
#include "filter_test.skel.h"

#define MAX_FILE_PKTS	200	/* per file: keeps the run time in seconds */
#define MAX_FRAMES	6000
#define N_RANDOM_EXPRS	100
#define RANDOM_FILE_STRIDE 8	/* random expressions see every 8th file frame (run time) */
#define N_RANDOM_FRAMES	300

/* Classic instruction, libpcap's and linux/filter.h's struct sock_filter layout. */
struct cinsn {
	uint16_t code;
	uint8_t jt, jf;
	uint32_t k;
};

struct frame {
	uint8_t *data;
	uint32_t len;
	int linktype;
	bool random;		/* random bytes: not fed to protochain (see below) */
	char origin[80];
};

static struct frame frames[MAX_FRAMES];
static size_t n_frames, n_file_frames;	/* frames[0, n_file_frames) come from testdata */

struct totals {
	long exprs, compared, agree, tc_runs, xdp_runs, tc_not_runnable, xdp_not_runnable;
	long endless;		/* (protochain, frame) pairs libpcap would never finish */
	long accepted;
};

static void add_frame(const uint8_t *d, uint32_t len, int linktype, bool random,
		      const char *origin)
{
	struct frame *f;

	if (n_frames == MAX_FRAMES)
		return;
	f = &frames[n_frames++];
	f->data = malloc(len ? len : 1);
	memcpy(f->data, d, len);
	f->len = len;
	f->linktype = linktype;
	f->random = random;
	snprintf(f->origin, sizeof(f->origin), "%s", origin);
}

/* ---- testdata files ---------------------------------------------------------------- */

static int add_file(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	size_t l = strlen(path);
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *p;
	int n = 0;

	(void)st;
	(void)ftw;
	if (type != FTW_F || !((l > 5 && !strcmp(path + l - 5, ".pcap")) ||
			       (l > 7 && !strcmp(path + l - 7, ".pcapng"))))
		return 0;
	p = pcap_open_offline(path, errbuf);
	if (!p)
		return 0;	/* deliberately malformed files live in testdata too */
	while (n < MAX_FILE_PKTS && pcap_next_ex(p, &h, &d) == 1) {
		char origin[80];

		snprintf(origin, sizeof(origin), "%s#%d", path + (l > 60 ? l - 60 : 0), ++n);
		/* the kernel sees caplen bytes; the reference gets the same (wirelen = caplen) */
		add_frame(d, h->caplen, pcap_datalink(p), false, origin);
	}
	pcap_close(p);
	return 0;
}

/* ---- crafted frames ---------------------------------------------------------------- */

static const uint8_t MAC_A[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t MAC_B[6] = { 0x02, 0, 0, 0, 0, 0x02 };
static const uint8_t MAC_BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t MAC_MCAST[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb };

static uint8_t *put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
	return p + 2;
}

static uint8_t *put32(uint8_t *p, uint32_t v)
{
	p = put16(p, v >> 16);
	return put16(p, v & 0xffff);
}

static uint8_t *eth(uint8_t *p, const uint8_t *dst, const uint8_t *src)
{
	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	return p + 12;	/* caller writes the EtherType (and VLAN tags) */
}

/* IPv4 header with IHL words (5..15) and zeroed options; returns the L4 start. */
static uint8_t *ipv4(uint8_t *p, int ihl, uint8_t proto, uint32_t src, uint32_t dst,
		     uint16_t l4_len, uint16_t frag)
{
	memset(p, 0, (size_t)ihl * 4);
	p[0] = 0x40 | ihl;
	put16(p + 2, (uint16_t)(ihl * 4 + l4_len));
	put16(p + 4, 0x1234);
	put16(p + 6, frag);
	p[8] = 64;
	p[9] = proto;
	put32(p + 12, src);
	put32(p + 16, dst);
	if (ihl > 5)
		p[20] = 0x94;	/* router alert option */
	return p + ihl * 4;
}

static uint8_t *ipv6(uint8_t *p, uint8_t nxt, uint16_t plen, uint8_t last_src, uint8_t last_dst)
{
	static const uint8_t prefix[8] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x51, 0, 0 };

	memset(p, 0, 40);
	p[0] = 0x60;
	put16(p + 4, plen);
	p[6] = nxt;
	p[7] = 64;
	memcpy(p + 8, prefix, 8);
	p[23] = last_src;
	memcpy(p + 24, prefix, 8);
	p[39] = last_dst;
	return p + 40;
}

static uint8_t *tcp(uint8_t *p, uint16_t sport, uint16_t dport, uint8_t flags, int payload)
{
	memset(p, 0, 20);
	put16(p, sport);
	put16(p + 2, dport);
	put32(p + 4, 1000);
	p[12] = 5 << 4;
	p[13] = flags;
	put16(p + 14, 64240);
	p += 20;
	if (payload) {	/* looks like a TLS ClientHello record header */
		static const uint8_t tls[6] = { 0x16, 0x03, 0x01, 0x00, 0x40, 0x01 };
		memcpy(p, tls, sizeof(tls));
		memset(p + sizeof(tls), 0xaa, (size_t)payload - sizeof(tls));
		p += payload;
	}
	return p;
}

static uint8_t *udp(uint8_t *p, uint16_t sport, uint16_t dport, int payload, uint8_t fill)
{
	put16(p, sport);
	put16(p + 2, dport);
	put16(p + 4, (uint16_t)(8 + payload));
	put16(p + 6, 0);
	memset(p + 8, fill, (size_t)payload);
	return p + 8 + payload;
}

static void crafted(const char *name, const uint8_t *start, const uint8_t *end)
{
	add_frame(start, (uint32_t)(end - start), DLT_EN10MB, false, name);
}

static void add_crafted_v4(void)
{
	static uint8_t b[10000];
	static const uint16_t ports[] = { 22, 53, 80, 443, 5000, 5001, 8443, 65535 };
	static const uint8_t flags[] = { 0x02, 0x12, 0x10, 0x18, 0x11, 0x04, 0x01, 0x29 };
	uint8_t *p;

	for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
		p = put16(eth(b, MAC_A, MAC_B), 0x0800);
		p = ipv4(p, 5, 6, 0xc6336401, 0xc6336402, 20 + 40, 0x4000);
		p = tcp(p, 40000 + (uint16_t)i, ports[i], flags[i], 40);
		crafted("v4 tcp", b, p);
		p = put16(eth(b, i & 1 ? MAC_BCAST : MAC_B, MAC_A), 0x0800);
		p = ipv4(p, 5, 17, 0xc0000201, i & 1 ? 0xc00002ff : 0xc0000202, 8 + 30, 0);
		p = udp(p, 5353, ports[i], 30, (uint8_t)(0xc0 + i));
		crafted("v4 udp", b, p);
	}
	/* ICMP echo request, reply, unreachable; multicast UDP; IP options; IPIP */
	for (int type = 0; type <= 11; type += 1) {
		p = put16(eth(b, MAC_B, MAC_A), 0x0800);
		p = ipv4(p, 5, 1, 0xc6336401, 0xc6336402, 16, 0);
		p[0] = (uint8_t)type;
		memset(p + 1, 0, 15);
		crafted("v4 icmp", b, p + 16);
	}
	p = put16(eth(b, MAC_MCAST, MAC_A), 0x0800);
	p = ipv4(p, 5, 17, 0xc0000201, 0xe00000fb, 8 + 20, 0);
	crafted("v4 mcast udp", b, udp(p, 5353, 5353, 20, 0));
	p = put16(eth(b, MAC_B, MAC_A), 0x0800);
	p = ipv4(p, 7, 6, 0xc0000201, 0xc0000202, 20, 0);
	crafted("v4 options tcp", b, tcp(p, 1234, 80, 0x02, 0));
	p = put16(eth(b, MAC_B, MAC_A), 0x0800);
	p = ipv4(p, 5, 4, 0xc0000201, 0xc0000202, 20 + 28, 0);
	p = ipv4(p, 5, 17, 0xc6336401, 0xc6336402, 8, 0);
	crafted("v4 ipip", b, udp(p, 1, 5000, 0, 0));
	/* fragments: first (MF), middle, last; a later fragment's "ports" are payload bytes */
	static const uint16_t frags[] = { 0x2000, 0x2000 | 185, 370, 0x4000 };
	for (size_t i = 0; i < 4; i++) {
		p = put16(eth(b, MAC_B, MAC_A), 0x0800);
		p = ipv4(p, 5, 17, 0xc0000201, 0xc0000202, 8 + 100, frags[i]);
		crafted("v4 fragment", b, udp(p, 5000, 5000, 100, 0x13));
	}
	/* short frames: IPv4 header cut, TCP header cut, UDP without payload */
	p = put16(eth(b, MAC_B, MAC_A), 0x0800);
	p = ipv4(p, 5, 6, 0xc0000201, 0xc0000202, 20, 0);
	tcp(p, 1234, 443, 0x02, 0);
	for (int cut = 14; cut <= 14 + 20 + 20; cut += 3)
		crafted("v4 cut", b, b + cut);
	crafted("runt 14", b, b + 14);
	/* jumbo UDP (9000 bytes): XDP runs it with the tail in fragments */
	p = put16(eth(b, MAC_B, MAC_A), 0x0800);
	p = ipv4(p, 5, 17, 0xc0000201, 0xc0000202, 8 + 8950, 0);
	p = udp(p, 4000, 5000, 8950, 0x5a);
	crafted("v4 jumbo", b, p);
	crafted("v4 6000", b, b + 6000);
}

static void add_crafted_v6_l2(void)
{
	static uint8_t b[2048];
	uint8_t *p, *l4;

	p = put16(eth(b, MAC_B, MAC_A), 0x86dd);
	p = ipv6(p, 6, 20 + 10, 1, 2);
	crafted("v6 tcp", b, tcp(p, 50000, 443, 0x02, 10));
	p = put16(eth(b, MAC_B, MAC_A), 0x86dd);
	p = ipv6(p, 17, 8 + 12, 2, 1);
	crafted("v6 udp", b, udp(p, 53, 40000, 12, 1));
	for (int type = 128; type <= 136; type += 1) {
		p = put16(eth(b, MAC_B, MAC_A), 0x86dd);
		p = ipv6(p, 58, 8, 1, 2);
		p[0] = (uint8_t)type;
		memset(p + 1, 0, 7);
		crafted("v6 icmp6", b, p + 8);
	}
	/* extension chains: hop-by-hop, routing, destination options, fragment, then L4 */
	for (int n = 1; n <= 12; n++) {
		static const uint8_t kinds[] = { 0, 43, 60, 44 };
		uint8_t nxt = 0;

		p = put16(eth(b, MAC_B, MAC_A), 0x86dd);
		l4 = ipv6(p, 0, 0, 3, 4);
		p = l4;
		for (int i = 0; i < n; i++) {
			uint8_t kind = kinds[i % 4], next = i + 1 < n ? kinds[(i + 1) % 4] :
						       (n % 2 ? 6 : 17);
			if (i == 0)
				nxt = kind;
			memset(p, 0, 8);
			p[0] = next;
			p[1] = 0;	/* 8 bytes (fragment header is fixed 8) */
			p += 8;
		}
		l4[-40 + 6] = nxt;
		p = n % 2 ? tcp(p, 1111, 80, 0x02, 0) : udp(p, 2222, 5000, 8, 0);
		put16(l4 - 40 + 4, (uint16_t)(p - l4));
		crafted("v6 ext chain", b, p);
	}
	/* VLAN, QinQ, ARP, LLDP, cut IPv6 */
	p = put16(eth(b, MAC_B, MAC_A), 0x8100);
	p = put16(put16(p, 100), 0x0800);
	p = ipv4(p, 5, 17, 0xc0000201, 0xc0000202, 8 + 20, 0);
	crafted("vlan100 udp", b, udp(p, 1000, 5000, 20, 2));
	p = put16(eth(b, MAC_B, MAC_A), 0x88a8);
	p = put16(put16(p, 200), 0x8100);
	p = put16(put16(p, 100), 0x86dd);
	p = ipv6(p, 6, 20, 5, 6);
	crafted("qinq v6 tcp", b, tcp(p, 1, 22, 0x10, 0));
	p = put16(eth(b, MAC_B, MAC_A), 0x8100);
	p = put16(put16(p, 200), 0x8100);
	p = put16(put16(p, 100), 0x0800);
	p = ipv4(p, 5, 6, 0xc0000201, 0xc0000202, 20, 0);
	crafted("vlan200 vlan100 tcp", b, tcp(p, 1, 443, 0x02, 0));
	for (int op = 1; op <= 2; op++) {
		p = put16(eth(b, op == 1 ? MAC_BCAST : MAC_A, MAC_B), 0x0806);
		p = put16(put16(p, 1), 0x0800);
		*p++ = 6;
		*p++ = 4;
		p = put16(p, (uint16_t)op);
		memcpy(p, MAC_B, 6);
		p = put32(p + 6, 0xc6336401);
		memset(p, 0, 6);
		p = put32(p + 6, 0xc6336402);
		crafted("arp", b, p);
	}
	p = put16(eth(b, MAC_MCAST, MAC_A), 0x88cc);
	memset(p, 0x11, 30);
	crafted("lldp", b, p + 30);
	p = put16(eth(b, MAC_B, MAC_A), 0x86dd);
	ipv6(p, 6, 20, 1, 2);
	crafted("v6 cut", b, b + 40);
}

/* Seeded random frames: fully random, and random bytes behind IPv4/IPv6/VLAN EtherTypes. */
static void add_random_frames(void)
{
	static const uint16_t types[] = { 0x0800, 0x86dd, 0x8100, 0x0806, 0x1234 };
	uint8_t b[600];
	unsigned int seed = 12345;

	for (int i = 0; i < N_RANDOM_FRAMES; i++) {
		uint32_t len = 14 + (uint32_t)(rand_r(&seed) % 500);

		for (uint32_t j = 0; j < len; j++)
			b[j] = (uint8_t)rand_r(&seed);
		if (i % 4) {
			put16(b + 12, types[i % 5]);
			if (types[i % 5] == 0x0800 && len > 20)
				b[14] = 0x45;
			if (types[i % 5] == 0x86dd && len > 20)
				b[14] = 0x60;
		}
		add_frame(b, len, DLT_EN10MB, true, "random");
	}
}

/* Raw IP frames (what TC and XDP see on L3 devices): every IPv4/IPv6 Ethernet frame without
 * its Ethernet header. */
static void add_raw_frames(void)
{
	size_t n = n_frames;

	for (size_t i = 0; i < n; i++) {
		const struct frame *f = &frames[i];
		char origin[80];

		if (f->linktype != DLT_EN10MB || f->len <= 14 || f->data[12] != 0x08 ||
		    f->data[13] != 0x00)
			if (f->linktype != DLT_EN10MB || f->len <= 14 || f->data[12] != 0x86 ||
			    f->data[13] != 0xdd)
				continue;
		snprintf(origin, sizeof(origin), "raw of %.60s", f->origin);
		add_frame(f->data + 14, f->len - 14, DLT_RAW, f->random, origin);
	}
}

/* ---- running ----------------------------------------------------------------------- */

/* 0 and the program's return value, or -errno when the kernel refused the test run. */
static int test_run(int prog_fd, const struct frame *f, uint32_t *retval)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f->data, .data_size_in = f->len,
		    .repeat = 1);
	int err = bpf_prog_test_run_opts(prog_fd, &o);

	if (err)
		return -errno;
	*retval = o.retval;
	return 0;
}

static bool opcode_seen[256];

/* Compare FP on every frame of LINKTYPE (-1: all frames). Returns mismatches, or -1 when the
 * spliced object did not load. */
static long diff_prog(struct filter_prog *fp, int linktype, bool protochain, size_t file_stride,
		      struct totals *t, char *why, size_t whylen)
{
	struct filter_test_bpf *skel = filter_test_bpf__open();
	const struct sock_filter *cls;
	size_t ncls;
	long bad = 0;
	int tc_fd, xdp_fd;

	if (!skel || filter_attach_to_object(skel->obj, fp) || filter_test_bpf__load(skel)) {
		const char *le = skel ? filter_load_error(skel->obj) : NULL;

		snprintf(why, whylen, "load failed: %s", le ? le : strerror(errno));
		if (skel)
			filter_detach_object(skel->obj);
		filter_test_bpf__destroy(skel);
		return -1;
	}
	filter_detach_object(skel->obj);
	cls = filter_classic_insns(fp, &ncls);
	for (size_t i = 0; i < ncls; i++)
		opcode_seen[((const struct cinsn *)cls)[i].code & 0xff] = true;
	t->exprs++;
	for (size_t i = 0; i < n_frames; i++) {
		const struct frame *f = &frames[i];
		uint32_t want, got_tc = 0, got_xdp = 0;
		int tc_rc, xdp_rc;
		/* raw IP frames against an Ethernet filter: the L3 half of the body */
		bool l3 = linktype == DLT_EN10MB && f->linktype == DLT_RAW;

		/* libpcap's protochain loop never ends on some AH chains; random bytes could
		 * build one, and bpf_filter() would then hang this test */
		if ((linktype >= 0 && f->linktype != linktype && !l3) ||
		    (f->random && protochain) || (i < n_file_frames && i % file_stride))
			continue;
		/* ... and on crafted real chains too (a bounded run tells which): no reference */
		if (protochain && filter_classic_endless(fp, l3, f->data, f->len, f->len)) {
			t->endless++;
			continue;
		}
		tc_fd = bpf_program__fd(l3 ? skel->progs.filter_test_tc_l3 :
					skel->progs.filter_test_tc);
		xdp_fd = bpf_program__fd(l3 ? skel->progs.filter_test_xdp_l3 :
					 skel->progs.filter_test_xdp);
		want = l3 ? filter_classic_run_l3(fp, f->data, f->len, f->len) :
			    filter_classic_run(fp, f->data, f->len, f->len);
		tc_rc = test_run(tc_fd, f, &got_tc);
		xdp_rc = test_run(xdp_fd, f, &got_xdp);
		if (tc_rc) {
			t->tc_not_runnable++;
		} else {
			t->tc_runs++;
			t->compared++;
			t->agree += got_tc == want;
		}
		if (xdp_rc) {
			t->xdp_not_runnable++;
		} else {
			t->xdp_runs++;
			t->compared++;
			t->agree += got_xdp == want;
		}
		t->accepted += want != 0;
		if ((!tc_rc && got_tc != want) || (!xdp_rc && got_xdp != want)) {
			if (!bad)
				snprintf(why, whylen, "%s (len %u): libpcap %u, tc %u (rc %d), "
					 "xdp %u (rc %d)", f->origin, f->len, want, got_tc, tc_rc,
					 got_xdp, xdp_rc);
			bad++;
		}
	}
	filter_test_bpf__destroy(skel);
	return bad;
}

/* Compare one expression compiled for LINKTYPE; -2 when libpcap refuses the expression. */
static long diff_expr(const char *expr, int linktype, size_t file_stride, struct totals *t,
		      char *why, size_t whylen)
{
	struct filter_prog *fp = NULL;
	char err[512];
	long bad;

	if (filter_compile(expr, linktype, 262144, &fp, err, sizeof(err))) {
		snprintf(why, whylen, "%s", err);
		return -2;
	}
	bad = diff_prog(fp, linktype, strstr(expr, "protochain") != NULL, file_stride, t, why,
			whylen);
	filter_free(fp);
	return bad;
}


/* ---- hand-written classic programs: every opcode form, incl. those libpcap rarely emits ---- */

#define S(code, k)		{ (uint16_t)(code), 0, 0, (uint32_t)(k) }
#define J(code, k, jt, jf)	{ (uint16_t)(code), (jt), (jf), (uint32_t)(k) }
#define MAX_HAND		12

struct hand_prog {
	const char *name;
	struct cinsn ins[MAX_HAND];
	size_t n;
};

static size_t hand_alu(struct hand_prog *out, size_t max)
{
	static const struct { uint16_t op; const char *name; uint32_t k; } ops[] = {
		{ BPF_ADD, "add", 0x9e3779b9 }, { BPF_SUB, "sub", 0x9e3779b9 },
		{ BPF_MUL, "mul", 0x9e3779b9 }, { BPF_DIV, "div", 7 }, { BPF_MOD, "mod", 7 },
		{ BPF_OR, "or", 0x9e3779b9 }, { BPF_AND, "and", 0x9e3779b9 },
		{ BPF_LSH, "lsh", 3 }, { BPF_RSH, "rsh", 3 }, { BPF_XOR, "xor", 0x9e3779b9 },
	};
	size_t n = 0;

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		for (int x = 0; x <= 1 && n < max; x++) {
			/* X = a packet byte (0..255: division by zero and shifts >= 32 happen) */
			struct hand_prog p = { .name = ops[i].name, .n = 5, .ins = {
				S(BPF_LD | BPF_B | BPF_ABS, 20), S(BPF_MISC | BPF_TAX, 0),
				S(BPF_LD | BPF_W | BPF_ABS, 14),
				S(BPF_ALU | ops[i].op | (x ? BPF_X : BPF_K), ops[i].k),
				S(BPF_RET | BPF_A, 0) } };
			out[n++] = p;
		}
	}
	return n;
}

static const struct hand_prog hand_progs[] = {
	{ "neg", { S(BPF_LD | BPF_W | BPF_ABS, 14), S(BPF_ALU | BPF_NEG, 0),
		   S(BPF_RET | BPF_A, 0) }, 3 },
	{ "len mem", { S(BPF_LDX | BPF_W | BPF_LEN, 0), S(BPF_STX, 5),
		       S(BPF_LD | BPF_MEM, 5), S(BPF_ALU | BPF_NEG, 0), S(BPF_ST, 15),
		       S(BPF_LDX | BPF_MEM, 15), S(BPF_MISC | BPF_TXA, 0), S(BPF_RET | BPF_A, 0) },
	  8 },
	{ "msh ind w", { S(BPF_LDX | BPF_B | BPF_MSH, 14), S(BPF_LD | BPF_W | BPF_IND, 14),
			 S(BPF_RET | BPF_A, 0) }, 3 },
	{ "ind h wraps", { S(BPF_LDX | BPF_W | BPF_IMM, 0x20),
			   S(BPF_LD | BPF_H | BPF_IND, 0xffffffff), S(BPF_RET | BPF_K, 1) }, 3 },
	{ "ind b", { S(BPF_LD | BPF_B | BPF_ABS, 23), S(BPF_MISC | BPF_TAX, 0),
		     S(BPF_LD | BPF_B | BPF_IND, 30), S(BPF_RET | BPF_A, 0) }, 4 },
	{ "jumps x", { S(BPF_LD | BPF_B | BPF_ABS, 15), S(BPF_MISC | BPF_TAX, 0),
		       S(BPF_LD | BPF_B | BPF_ABS, 16), J(BPF_JMP | BPF_JGT | BPF_X, 0, 0, 1),
		       S(BPF_RET | BPF_K, 1), J(BPF_JMP | BPF_JGE | BPF_X, 0, 0, 1),
		       S(BPF_RET | BPF_K, 2), J(BPF_JMP | BPF_JSET | BPF_X, 0, 0, 1),
		       S(BPF_RET | BPF_K, 3), J(BPF_JMP | BPF_JEQ | BPF_X, 0, 1, 0),
		       S(BPF_RET | BPF_K, 4), S(BPF_RET | BPF_K, 5) }, 12 },
	{ "jumps k", { S(BPF_LD | BPF_H | BPF_ABS, 12), J(BPF_JMP | BPF_JEQ | BPF_K, 0x800, 0, 1),
		       S(BPF_RET | BPF_K, 100), J(BPF_JMP | BPF_JGT | BPF_K, 0x86dd, 1, 0),
		       S(BPF_RET | BPF_K, 200), J(BPF_JMP | BPF_JGE | BPF_K, 0x8100, 0, 1),
		       S(BPF_RET | BPF_K, 300), J(BPF_JMP | BPF_JSET | BPF_K, 1, 0, 1),
		       S(BPF_RET | BPF_K, 400), S(BPF_RET | BPF_K, 500) }, 10 },
	{ "ja len", { S(BPF_LD | BPF_W | BPF_LEN, 0), S(BPF_JMP | BPF_JA, 1),
		      S(BPF_RET | BPF_K, 0), S(BPF_RET | BPF_A, 0) }, 4 },
	{ "imm", { S(BPF_LD | BPF_IMM, 0xdeadbeef), S(BPF_LDX | BPF_IMM, 5),
		   S(BPF_ALU | BPF_ADD | BPF_X, 0), S(BPF_RET | BPF_A, 0) }, 4 },
	{ "ret max", { S(BPF_RET | BPF_K, 0xffffffff) }, 1 },
	{ "abs far", { S(BPF_LD | BPF_W | BPF_ABS, 0xfffffff0), S(BPF_RET | BPF_K, 1) }, 2 },
	{ "abs int max", { S(BPF_LD | BPF_B | BPF_ABS, 0x7ffffffe), S(BPF_RET | BPF_K, 1) }, 2 },
	{ "ldx len jeq x", { S(BPF_LDX | BPF_W | BPF_LEN, 0), S(BPF_LD | BPF_H | BPF_ABS, 16),
			     J(BPF_JMP | BPF_JEQ | BPF_X, 0, 0, 1), S(BPF_RET | BPF_K, 7),
			     S(BPF_RET | BPF_K, 0) }, 5 },
};

static void run_hand(struct totals *t)
{
	struct hand_prog alu[20];
	size_t nalu = hand_alu(alu, 20);
	size_t nhand = sizeof(hand_progs) / sizeof(hand_progs[0]);

	for (size_t i = 0; i < nalu + nhand; i++) {
		const struct hand_prog *h = i < nalu ? &alu[i] : &hand_progs[i - nalu];
		struct filter_prog *fp;
		char why[600] = "", name[100];
		long bad;

		snprintf(name, sizeof(name), "filter_diff classic '%s'%s", h->name,
			 i < nalu ? (i % 2 ? " x" : " k") : "");
		if (!CHECKF(!filter_from_classic((const struct sock_filter *)h->ins, h->n, &fp, why,
						 sizeof(why)), name, "%s", why))
			continue;
		bad = diff_prog(fp, -1, false, 1, t, why, sizeof(why));
		CHECKF(bad == 0, name, "%ld mismatches; first: %s", bad, why);
		filter_free(fp);
	}
}

static int linktypes_in_use(int *out, int max)
{
	int n = 0;

	for (size_t i = 0; i < n_frames; i++) {
		int seen = 0;

		for (int j = 0; j < n; j++)
			seen |= out[j] == frames[i].linktype;
		if (!seen && n < max)
			out[n++] = frames[i].linktype;
	}
	return n;
}

static const char *const exprs[] = {
	"", "ip", "ip6", "arp", "rarp", "tcp", "udp", "icmp", "icmp6", "not ip", "ip or arp",
	"host 198.51.100.1", "src host 198.51.100.2", "dst host 192.0.2.2", "host 2001:db8:51::1",
	"net 198.51.100.0/24", "src net 192.0.2.0/25", "dst net 2001:db8::/32", "ip6 net ::/0",
	"port 443", "tcp port 80", "udp port 53", "src port 5353", "dst port 5000",
	"portrange 1-1024", "tcp portrange 8000-9000", "udp dst portrange 5000-5010",
	"port 5000 or port 5001", "tcp and not port 22", "udp port 5000 and not host 192.0.2.1",
	"tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn", "tcp[tcpflags] & tcp-fin != 0",
	"tcp[tcpflags] == tcp-ack", "tcp[13] & 0x12 = 0x12", "tcp[tcpflags] & tcp-rst != 0",
	"ip[0] & 0xf != 5", "ip[2:2] > 1000", "ip[8] < 64", "ip[6:2] & 0x1fff != 0",
	"ip[6] & 0x20 != 0", "ip[2:2] / 4 > 10", "ip[2:2] % 7 = 3", "ip[2:2] * 3 - 1 > 200",
	"ip[1] << 2 = 0", "ip[2:2] >> 3 > 10", "tcp[0:2] ^ tcp[2:2] > 0x8000", "ip[9] | 1 = 7",
	"(ip[2:2] & 0xff) + (ip[3] - 1) > 100", "udp[4:2] / (ip[1] & 3) > 3",
	"ip[0] % (ip[1] & 3) = 0", "ip[2:2] / (ip[1] & 1) > 0", "ip[3] << (ip[8] & 0x3f) > 5",
	"ip[3] >> (ip[9]) = 0", "-ip[8] & 0xff = 192", "ip[8] - 255 > 0", "ip[8] * ip[9] > 600",
	"tcp[((tcp[12] & 0xf0) >> 2):4] = 0x16030100", "tcp[((tcp[12] & 0xf0) >> 2)] = 0x16",
	"udp[8:4] = 0x5a5a5a5a", "udp[8] & 0xc0 = 0xc0", "ip[ip[0] & 0x3f] > 0",
	"ether[len - 1] = 0x5a", "ether[len] = 0", "ether[len - 4:4] != 0", "ether[7000] = 0x5a",
	"ether[5990:4] = 0x5a5a5a5a", "ip[60] = 1", "tcp[100:4] = 0", "ip6[100:2] > 0",
	"vlan", "vlan 100", "vlan and ip", "vlan and udp port 5000", "vlan 200 and vlan 100",
	"vlan and ip6 and tcp", "ip6 and tcp", "ip6 and udp port 53",
	"icmp[icmptype] == icmp-echo", "icmp[icmptype] = icmp-echoreply or icmp[0] = 3",
	"icmp6 and ip6[40] == 128", "icmp6[icmp6type] == icmp6-echoreply",
	"less 64", "greater 1000", "len > 100", "len <= 60", "len - 14 > 40",
	"ip protochain 6", "ip6 protochain 6", "ip6 protochain 17", "ip6 protochain 44",
	"ip6 protochain 58 or ip6 protochain 6",
	"ether host 02:00:00:00:00:01", "ether src 02:00:00:00:00:02", "ether broadcast",
	"ether multicast", "broadcast", "multicast", "ip multicast", "ip6 multicast",
	"arp and arp[6:2] = 1", "arp host 198.51.100.1", "ether proto 0x88cc",
	"ether[12:2] > 0x0600", "ip[9] = 4", "ip proto 4", "ip6 proto 41", "ip proto 47",
	"ip and (tcp or udp) and not (port 22 or port 53)",
	"ip[2:2] - ((ip[0]&0xf)<<2) - ((tcp[12]&0xf0)>>2) != 0",
	"tcp dst port 443 and (tcp[tcpflags] & tcp-push != 0)", "ip6[6] = 0 and ip6[40] = 43",
	"len > 4000 and ether[len - 1] = 0x5a", "ip and ip[6:2] & 0x3fff = 0",
	/* overlays (testdata/tunnels): libpcap 1.10's geneve and mpls keywords move the link
	 * offset at run time; it has no vxlan keyword */
	"geneve", "geneve 7", "geneve and tcp", "geneve and ip6", "geneve 8 and udp port 4433",
	"mpls", "mpls 16", "mpls and mpls 17", "vlan 300 and vlan 400 and mpls 100 and ip6",
	"udp port 4789 and udp[8] & 0x08 != 0", "udp port 2152 and udp[9] = 255",
};

/* Random expressions: and/or/not combinations of primitives, a fixed seed. */
static const char *const primitives[] = {
	"ip", "ip6", "tcp", "udp", "icmp", "arp", "vlan", "port 443", "port 5000", "src port 5353",
	"dst port 80", "host 198.51.100.1", "net 192.0.2.0/24", "portrange 20-600", "less 100",
	"greater 500", "ether broadcast", "multicast", "ip[8] > 32", "tcp[13] & 2 != 0",
	"udp[8] = 0x5a", "ip[2:2] % 3 = 1", "ip[2:2] / (ip[1] & 7) > 2", "ip6 protochain 17",
	"ether[len - 2] > 0x80", "ip[6] & 0x20 != 0", "icmp6", "ip proto 4", "len % 64 < 20",
	"ether[12:2] = 0x8100", "ip[ip[0] & 0xf] != 0", "tcp[tcpflags] & tcp-ack = 0",
};

static void random_expr(char *out, size_t len, unsigned int *seed, int depth)
{
	char a[180], b[180];	/* depth 3 of primitives fits easily; sized for out[400] */
	int r = (int)(rand_r(seed) % 8);
	size_t np = sizeof(primitives) / sizeof(primitives[0]);

	if (depth == 0 || r < 3) {
		snprintf(out, len, "%s", primitives[rand_r(seed) % np]);
		return;
	}
	random_expr(a, sizeof(a), seed, depth - 1);
	if (r == 3) {
		snprintf(out, len, "not (%s)", a);
		return;
	}
	random_expr(b, sizeof(b), seed, depth - 1);
	snprintf(out, len, "(%s) %s (%s)", a, r % 2 ? "and" : "or", b);
}

static void run_all(struct totals *t)
{
	int lts[16], nlt = linktypes_in_use(lts, 16);
	char why[600], name[700];
	unsigned int seed = 4242;
	long rbad = 0, rcount = 0;

	for (size_t e = 0; e < sizeof(exprs) / sizeof(exprs[0]); e++) {
		long bad_total = 0, ran = 0;

		why[0] = 0;
		for (int l = 0; l < nlt; l++) {
			char lwhy[600] = "";
			long bad = diff_expr(exprs[e], lts[l], 1, t, lwhy, sizeof(lwhy));

			if (bad == -2 && lts[l] != DLT_EN10MB)
				continue;	/* "ether host" on raw IP: libpcap refuses */
			if (bad < 0 || (bad > 0 && !bad_total))
				snprintf(why, sizeof(why), "linktype %d: %s", lts[l], lwhy);
			bad_total += bad < 0 ? 1 : bad;
			ran++;
		}
		snprintf(name, sizeof(name), "filter_diff '%s'", exprs[e]);
		CHECKF(bad_total == 0 && ran > 0, name, "%ld mismatches; first: %s", bad_total,
		       why);
	}
	for (int i = 0; i < N_RANDOM_EXPRS; i++) {
		char expr[400];

		random_expr(expr, sizeof(expr), &seed, 3);
		long bad = diff_expr(expr, DLT_EN10MB, RANDOM_FILE_STRIDE, t, why, sizeof(why));
		if (bad == -2)
			continue;	/* libpcap: "expression rejects all packets" etc. */
		rcount++;
		if (bad) {
			rbad++;
			printf("# random '%s': %s\n", expr, why);
		}
	}
	snprintf(name, sizeof(name), "filter_diff %ld random expressions", rcount);
	CHECKF(rbad == 0, name, "%ld of them disagree", rbad);
}

int main(void)
{
	struct totals t = { 0 };
	const char *dir = getenv("PROCAP_TESTDATA") ? getenv("PROCAP_TESTDATA") : "testdata";

	if (geteuid() != 0) {
		fprintf(stderr, "test_filter_diff: needs root (BPF_PROG_TEST_RUN)\n");
		return 77;
	}
	nftw(dir, add_file, 16, FTW_PHYS);
	size_t from_files = n_file_frames = n_frames;
	add_crafted_v4();
	add_crafted_v6_l2();
	add_random_frames();
	add_raw_frames();
	printf("# frames: %zu from %s, %zu crafted or random\n", from_files, dir,
	       n_frames - from_files);
	run_hand(&t);
	run_all(&t);
	printf("# totals: %ld expression loads, %zu frames, %ld comparisons (%ld TC + %ld XDP), "
	       "%ld agree (%.4f%%), %ld accepted by libpcap; not runnable: %ld TC, %ld XDP; "
	       "endless in libpcap (no reference): %ld\n",
	       t.exprs, n_frames, t.compared, t.tc_runs, t.xdp_runs, t.agree,
	       t.compared ? 100.0 * (double)t.agree / (double)t.compared : 0.0, t.accepted,
	       t.tc_not_runnable, t.xdp_not_runnable, t.endless);
	printf("# classic opcodes covered:");
	int nops = 0;
	for (int op = 0; op < 256; op++)
		if (opcode_seen[op]) {
			printf(" %#04x", op);
			nops++;
		}
	printf(" (%d distinct)\n", nops);
	CHECKF(t.compared > 0 && t.agree == t.compared, "filter_diff total agreement",
	       "%ld of %ld", t.agree, t.compared);
	for (size_t i = 0; i < n_frames; i++)
		free(frames[i].data);
	return CHECK_EXIT();
}
