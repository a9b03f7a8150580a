// SPDX-License-Identifier: BSD-3-Clause
/* BPF_PROG_TEST_RUN on the capture programs with crafted frames (crafted frames, no network): wire_len,
 * cap_len == min(len, snaplen), data prefix, direction, TC_ACT_UNSPEC / XDP_PASS, the sending
 * task and tuple attribution, process filters, drops counted when the ring is full, and
 * procap's own ring reader (src/live/ring.c) against the kernel's ring as it wraps. Runs in
 * a network namespace of its own (the routing table decides whether a wildcard socket receives
 * a packet). Needs root: skips (exit 77) without it. */
#define _GNU_SOURCE	/* gettid(), unshare() */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <linux/types.h>

#include "capture.h"
#include "capture.skel.h"
#include "check.h"
#include "ring.h"

#define MAX_SEEN 64

struct seen_event {
	struct cap_event h;
	uint8_t data[2048];
	size_t size;
};

static struct seen_event seen[MAX_SEEN];
static int n_seen;

static int on_record(void *ctx, void *data, size_t size)
{
	const struct cap_event *e = data;

	if (n_seen >= MAX_SEEN || size < sizeof(*e))
		return 0;
	memcpy(&seen[n_seen].h, e, sizeof(*e));
	memcpy(seen[n_seen].data, e->data,
	       e->cap_len < sizeof(seen[0].data) ? e->cap_len : sizeof(seen[0].data));
	seen[n_seen].size = size;
	n_seen++;
	return 0;
}

/* Ethernet + IPv4 + UDP frame of total length len (>= 42), payload bytes = index & 0xff. */
static size_t udp4_frame(uint8_t *f, size_t len, const char *src, uint16_t sport,
			 const char *dst, uint16_t dport)
{
	uint16_t ip_len = htons((uint16_t)(len - 14)), udp_len = htons((uint16_t)(len - 34));

	for (size_t i = 0; i < len; i++)
		f[i] = (uint8_t)i;
	memcpy(f, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00", 14);
	memcpy(f + 14, "\x45\x00", 2);
	memcpy(f + 16, &ip_len, 2);
	memcpy(f + 18, "\x00\x01\x00\x00\x40\x11\x00\x00", 8);
	inet_pton(AF_INET, src, f + 26);
	inet_pton(AF_INET, dst, f + 30);
	sport = htons(sport);
	dport = htons(dport);
	memcpy(f + 34, &sport, 2);
	memcpy(f + 36, &dport, 2);
	memcpy(f + 38, &udp_len, 2);
	memcpy(f + 40, "\x00\x00", 2);
	return len;
}

static int run_prog(struct bpf_program *prog, const uint8_t *frame, size_t len, uint32_t mark,
		    uint32_t *retval)
{
	struct __sk_buff skb = { .ifindex = 1, .mark = mark };
	LIBBPF_OPTS(bpf_test_run_opts, topts, .data_in = frame, .data_size_in = (uint32_t)len,
		    .repeat = 1);
	int err;

	if (bpf_program__type(prog) == BPF_PROG_TYPE_SCHED_CLS) {
		topts.ctx_in = &skb;
		topts.ctx_size_in = sizeof(skb);
	}
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &topts);
	*retval = topts.retval;
	return err;
}

static struct cap_stats sum_stats(struct capture_bpf *skel)
{
	int ncpu = libbpf_num_possible_cpus();
	struct cap_stats *per = calloc((size_t)ncpu, sizeof(*per)), total = { 0 };
	uint32_t key = 0;

	if (per && bpf_map_lookup_elem(bpf_map__fd(skel->maps.stats), &key, per) == 0) {
		for (int i = 0; i < ncpu; i++) {
			total.seen += per[i].seen;
			total.filter_rejected += per[i].filter_rejected;
			total.proc_rejected += per[i].proc_rejected;
			total.passed += per[i].passed;
			total.captured += per[i].captured;
			total.ringbuf_full += per[i].ringbuf_full;
			total.load_err += per[i].load_err;
			total.attributed += per[i].attributed;
		}
	}
	free(per);
	return total;
}

static struct capture_bpf *open_load_owner(uint32_t snaplen, uint32_t ring_bytes,
					   uint32_t pf_mask, uint32_t uid, bool from_task)
{
	struct capture_bpf *skel = capture_bpf__open();

	if (!skel)
		return NULL;
	skel->rodata->owner_from_task = from_task;
	skel->rodata->snaplen = snaplen;
	skel->rodata->pfilter_mask = pf_mask;
	skel->rodata->pf_uid = uid;
	bpf_map__set_max_entries(skel->maps.events, ring_bytes);
	if (capture_bpf__load(skel)) {
		capture_bpf__destroy(skel);
		return NULL;
	}
	return skel;
}

static struct capture_bpf *open_load(uint32_t snaplen, uint32_t ring_bytes, uint32_t pf_mask,
				     uint32_t uid)
{
	return open_load_owner(snaplen, ring_bytes, pf_mask, uid, true);
}

static void put_owner(struct capture_bpf *skel, const char *laddr, uint16_t lport,
		      uint32_t pid, uint32_t uid)
{
	struct cap_tuple k;
	struct cap_tuple_val v;

	memset(&k, 0, sizeof(k));
	memset(&v, 0, sizeof(v));
	if (laddr)
		inet_pton(AF_INET, laddr, k.laddr);
	k.lport_be = htons(lport);
	k.proto = 17;
	v.owner.pid = pid;
	v.owner.tid = pid;
	v.owner.uid = uid;
	strcpy(v.owner.comm, "tester");
	v.source = CAP_SRC_TUPLE;
	bpf_map_update_elem(bpf_map__fd(skel->maps.tuple_owner), &k, &v, BPF_ANY);
}

/* A frame for lo's link address (all zeros): PACKET_HOST, where the others are for another
 * host's (PACKET_OTHERHOST) */
static void to_lo_mac(uint8_t *f)
{
	memset(f, 0, 6);
}

/* The routing table dst_is_local() asks: lo up with 192.0.2.2 local on it and 198.51.100.0/24
 * routed out through it, in this process's own network namespace, whatever this machine's
 * addresses are. */
static bool private_netns(void)
{
	return unshare(CLONE_NEWNET) == 0 &&
	       system("ip link set lo up && ip addr add 192.0.2.2/32 dev lo && "
		      "ip route add 198.51.100.0/24 dev lo") == 0;
}

/* net.ipv4.conf.lo.forwarding: off, bpf_fib_lookup() answers FWD_DISABLED without a lookup */
static bool set_lo_forwarding(bool on)
{
	FILE *f = fopen("/proc/sys/net/ipv4/conf/lo/forwarding", "w");
	bool ok = f && fputs(on ? "1" : "0", f) >= 0;

	if (f && fclose(f))
		ok = false;
	return ok;
}

/* This process's name as the kernel has it (the reference for the sender's comm). */
static void read_self_comm(char *comm, size_t size)
{
	FILE *f = fopen("/proc/self/comm", "r");

	comm[0] = 0;
	if (f && fgets(comm, (int)size, f))
		comm[strcspn(comm, "\n")] = 0;
	if (f)
		fclose(f);
}

static void test_basic(void)
{
	char self_comm[CAP_COMM_LEN];
	struct capture_bpf *skel = open_load(262144, 256 * 1024, 0, 0);
	struct ring_buffer *rb;
	uint8_t f[1500];
	uint32_t retval;
	size_t len;
	int err;

	read_self_comm(self_comm, sizeof(self_comm));
	if (!CHECK(skel != NULL, "basic: open and load capture.bpf.o"))
		return;
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_record, NULL, NULL);
	if (!CHECK(rb != NULL, "basic: ring buffer"))
		goto out;

	/* small UDP packet at ingress: whole packet, smallest class */
	n_seen = 0;
	len = udp4_frame(f, 60, "192.0.2.1", 4000, "192.0.2.2", 5000);
	err = run_prog(skel->progs.tc_ingress, f, len, 7, &retval);
	CHECK_INT(err, 0, "ingress: test run");
	CHECK_INT((int32_t)retval, -1, "ingress: returns TC_ACT_UNSPEC");
	ring_buffer__consume(rb);
	if (CHECK_INT(n_seen, 1, "ingress: one record")) {
		CHECK_INT(seen[0].h.kind, CAP_KIND_PACKET, "ingress: kind");
		CHECK_INT(seen[0].h.wire_len, 60, "ingress: wire_len");
		CHECK_INT(seen[0].h.cap_len, 60, "ingress: cap_len == len");
		CHECK_INT(seen[0].h.dir, CAP_DIR_INGRESS, "ingress: dir");
		CHECK_INT(seen[0].h.mark, 7, "ingress: mark");
		CHECK_INT(seen[0].h.ifindex, 1, "ingress: ifindex");
		CHECK_INT(seen[0].h.protocol_be, htons(0x0800), "ingress: protocol");
		CHECK_INT(seen[0].h.flags & CAP_F_TRUNC, 0, "ingress: not truncated");
		CHECK_INT(seen[0].h.owner_src, CAP_SRC_NONE, "ingress: no owner yet");
		CHECK(memcmp(seen[0].data, f, 60) == 0, "ingress: data identical");
		CHECK_INT(seen[0].size, sizeof(struct cap_event) + CAP_CLASS_S,
			  "ingress: record is the 64-byte class");
	}

	/* a 1500-byte packet at egress: the 1536-byte class. The test run gives the skb a socket
	 * and runs the program in this process's system call, so this process sent it: owner by
	 * the socket, even though the bound-port tuple entry names another process */
	put_owner(skel, "192.0.2.1", 4000, 4242, 1000);
	n_seen = 0;
	len = udp4_frame(f, 1500, "192.0.2.1", 4000, "192.0.2.2", 5000);
	err = run_prog(skel->progs.tc_egress, f, len, 0, &retval);
	CHECK_INT(err, 0, "egress: test run");
	CHECK_INT((int32_t)retval, -1, "egress: returns TC_ACT_UNSPEC");
	ring_buffer__consume(rb);
	if (CHECK_INT(n_seen, 1, "egress: one record")) {
		CHECK_INT(seen[0].h.dir, CAP_DIR_EGRESS, "egress: dir");
		CHECK_INT(seen[0].h.cap_len, 1500, "egress: cap_len == len");
		CHECK(memcmp(seen[0].data, f, 1500) == 0, "egress: data identical");
		CHECK_INT(seen[0].size, sizeof(struct cap_event) + CAP_CLASS_2,
			  "egress: record is the 1536-byte class");
		CHECK_INT(seen[0].h.owner_src, CAP_SRC_COOKIE, "egress: owner by the socket");
		CHECK_INT(seen[0].h.owner.pid, (uint32_t)getpid(), "egress: owner is the sender");
		CHECK_INT(seen[0].h.owner.tid, (uint32_t)gettid(), "egress: owner tid");
		CHECK_STR(seen[0].h.owner.comm, self_comm, "egress: owner comm");
	}

	/* the reply to it: the egress packet taught the tuple map who gets it */
	n_seen = 0;
	len = udp4_frame(f, 80, "192.0.2.2", 5000, "192.0.2.1", 4000);
	run_prog(skel->progs.tc_ingress, f, len, 0, &retval);
	ring_buffer__consume(rb);
	if (CHECK_INT(n_seen, 1, "reply: one record")) {
		CHECK_INT(seen[0].h.owner_src, CAP_SRC_TUPLE, "reply: owner by the learned tuple");
		CHECK_INT(seen[0].h.owner.pid, (uint32_t)getpid(), "reply: owner is the sender");
	}

	/* ingress to a wildcard-bound port: remote and local address zeroed */
	put_owner(skel, NULL, 5353, 5555, 0);
	n_seen = 0;
	len = udp4_frame(f, 80, "192.0.2.9", 1234, "192.0.2.2", 5353);
	to_lo_mac(f);
	run_prog(skel->progs.tc_ingress, f, len, 0, &retval);
	ring_buffer__consume(rb);
	if (CHECK_INT(n_seen, 1, "wildcard: one record")) {
		CHECK_INT(seen[0].h.owner_src, CAP_SRC_TUPLE, "wildcard: owner by tuple");
		CHECK_INT(seen[0].h.owner.pid, 5555, "wildcard: owner pid");
	}

	/* ICMP port unreachable quoting a datagram 192.0.2.2:4100 -> 192.0.2.9:53 that the
	 * owner of local port 4100 sent: the far kernel's own message, so no owner, not even
	 * the one of the quoted port (procap(8) ATTRIBUTION) */
	put_owner(skel, "192.0.2.2", 4100, 6161, 0);
	n_seen = 0;
	uint8_t quoted[42];
	udp4_frame(quoted, sizeof(quoted), "192.0.2.2", 4100, "192.0.2.9", 53);
	len = udp4_frame(f, 70, "192.0.2.9", 0, "192.0.2.2", 0);
	f[23] = 1;					/* outer protocol: ICMP */
	memcpy(f + 34, "\x03\x03\x00\x00\x00\x00\x00\x00", 8);	/* type 3 code 3 */
	memcpy(f + 42, quoted + 14, 28);		/* quoted IPv4 + UDP headers */
	run_prog(skel->progs.tc_ingress, f, len, 0, &retval);
	ring_buffer__consume(rb);
	if (CHECK_INT(n_seen, 1, "icmp error: one record"))
		CHECK_INT(seen[0].h.owner_src, CAP_SRC_NONE, "icmp error: no owner");

	/* XDP ingress: same record, XDP_PASS */
	n_seen = 0;
	len = udp4_frame(f, 100, "192.0.2.1", 4000, "192.0.2.2", 5000);
	err = run_prog(skel->progs.xdp_ingress, f, len, 0, &retval);
	CHECK_INT(err, 0, "xdp: test run");
	CHECK_INT(retval, 2, "xdp: returns XDP_PASS");
	ring_buffer__consume(rb);
	if (CHECK_INT(n_seen, 1, "xdp: one record")) {
		CHECK_INT(seen[0].h.wire_len, 100, "xdp: wire_len");
		CHECK_INT(seen[0].h.cap_len, 100, "xdp: cap_len");
		CHECK(seen[0].h.flags & CAP_F_XDP, "xdp: flag");
		CHECK_INT(seen[0].h.protocol_be, htons(0x0800), "xdp: protocol from the frame");
		CHECK(memcmp(seen[0].data, f, 100) == 0, "xdp: data identical");
	}

	struct cap_stats st = sum_stats(skel);
	CHECK_INT(st.seen, 6, "stats: seen");
	CHECK_INT(st.captured, 6, "stats: captured");
	CHECK_INT(st.attributed, 4, "stats: attributed");
	CHECK_INT(st.ringbuf_full, 0, "stats: no drops");
	ring_buffer__free(rb);
out:
	capture_bpf__destroy(skel);
}

/* snaplen 100 and a one-page ring: truncation, then ring-full drops counted. */
static void test_snaplen_and_full_ring(void)
{
	struct capture_bpf *skel = open_load(100, 4096, 0, 0);
	struct ring_buffer *rb;
	uint8_t f[1000];
	uint32_t retval;
	int runs = 40;

	if (!CHECK(skel != NULL, "snaplen: load"))
		return;
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_record, NULL, NULL);
	if (!CHECK(rb != NULL, "snaplen: ring buffer"))
		goto out;
	n_seen = 0;
	udp4_frame(f, 1000, "192.0.2.1", 4000, "192.0.2.2", 5000);
	run_prog(skel->progs.tc_egress, f, 1000, 0, &retval);
	ring_buffer__consume(rb);
	if (CHECK_INT(n_seen, 1, "snaplen: one record")) {
		CHECK_INT(seen[0].h.wire_len, 1000, "snaplen: wire_len");
		CHECK_INT(seen[0].h.cap_len, 100, "snaplen: cap_len == snaplen");
		CHECK(seen[0].h.flags & CAP_F_TRUNC, "snaplen: truncated flag");
		CHECK(memcmp(seen[0].data, f, 100) == 0, "snaplen: data prefix");
	}
	/* records of 8 + 128 + 128 bytes: a 4 KiB ring holds 15, the rest are dropped */
	for (int i = 0; i < runs; i++)
		run_prog(skel->progs.tc_egress, f, 1000, 0, &retval);
	struct cap_stats st = sum_stats(skel);
	CHECK(st.ringbuf_full > 0, "full ring: drops counted");
	CHECK_INT(st.captured + st.ringbuf_full, runs + 1, "full ring: every packet accounted");
	CHECK_INT((int32_t)retval, -1, "full ring: still TC_ACT_UNSPEC");
	n_seen = 0;
	ring_buffer__consume(rb);
	CHECK_INT(n_seen, runs - (int)st.ringbuf_full, "full ring: records delivered");
	/* the next record after the drain tells userspace how many were lost before it */
	n_seen = 0;
	run_prog(skel->progs.tc_egress, f, 1000, 0, &retval);
	ring_buffer__consume(rb);
	if (CHECK_INT(n_seen, 1, "full ring: capture resumes after the drain"))
		CHECK_INT(seen[0].h.drops, st.ringbuf_full,
			  "full ring: record carries drops so far");
	ring_buffer__free(rb);
out:
	capture_bpf__destroy(skel);
}

/* --pid and --uid in the kernel: only the owned packet of the right pid/uid passes. */
static void test_process_filter(void)
{
	struct capture_bpf *skel = open_load(262144, 64 * 1024, CAP_PF_PID | CAP_PF_UID, 1000);
	struct ring_buffer *rb;
	uint8_t f[200], one = 1;
	uint32_t retval, pid = 4242;

	if (!CHECK(skel != NULL, "pfilter: load"))
		return;
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_record, NULL, NULL);
	bpf_map_update_elem(bpf_map__fd(skel->maps.pid_filter), &pid, &one, BPF_ANY);
	put_owner(skel, "192.0.2.1", 4000, 4242, 1000);	/* matches */
	put_owner(skel, "192.0.2.1", 4001, 4343, 1000);	/* wrong pid */
	put_owner(skel, "192.0.2.1", 4002, 4242, 0);	/* wrong uid */
	n_seen = 0;
	for (uint16_t port = 4000; port <= 4003; port++) {	/* 4003: no owner */
		/* ingress: owners by tuple (at egress the test run would make this process
		 * the sender) */
		udp4_frame(f, 200, "192.0.2.2", 5000, "192.0.2.1", port);
		run_prog(skel->progs.tc_ingress, f, 200, 0, &retval);
	}
	ring_buffer__consume(rb);
	if (CHECK_INT(n_seen, 1, "pfilter: only the matching packet"))
		CHECK_INT(seen[0].h.owner.pid, 4242, "pfilter: the right owner");
	struct cap_stats st = sum_stats(skel);
	CHECK_INT(st.proc_rejected, 3, "pfilter: three rejected");
	CHECK_INT(st.passed, 1, "pfilter: one passed");
	ring_buffer__free(rb);
	capture_bpf__destroy(skel);
}

/* Kernels whose TC programs cannot read the current task (owner_from_task 0, set by the
 * loader's probe): the program loads without those helpers and egress packets are named by
 * what the socket or the tuple map stored, here the bound-port entry. */
static void test_stored_owner(void)
{
	struct capture_bpf *skel = open_load_owner(262144, 64 * 1024, 0, 0, false);
	struct ring_buffer *rb;
	uint8_t f[200];
	uint32_t retval;

	if (!CHECK(skel != NULL, "stored owner: load without the current-task helpers"))
		return;
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_record, NULL, NULL);
	put_owner(skel, "192.0.2.1", 4000, 4242, 1000);
	n_seen = 0;
	udp4_frame(f, 200, "192.0.2.1", 4000, "192.0.2.2", 5000);
	run_prog(skel->progs.tc_egress, f, 200, 0, &retval);
	ring_buffer__consume(rb);
	if (CHECK_INT(n_seen, 1, "stored owner: one record")) {
		CHECK_INT(seen[0].h.owner_src, CAP_SRC_TUPLE, "stored owner: by local tuple");
		CHECK_INT(seen[0].h.owner.pid, 4242, "stored owner: the bound port's owner");
		CHECK_STR(seen[0].h.owner.comm, "tester", "stored owner: comm");
	}
	ring_buffer__free(rb);
	capture_bpf__destroy(skel);
}

/* A wildcard-bound socket receives a packet only where the host keeps it: for a local address,
 * with forwarding on or off (off is a host's default, and there bpf_fib_lookup() looks nothing
 * up), never for an address the host routes on (a container's) or a frame for another host. */
static void test_wildcard_locality(void)
{
	struct capture_bpf *skel = open_load(262144, 256 * 1024, 0, 0);
	struct ring_buffer *rb;
	static const struct {
		bool forwarding, lo_mac;
		const char *dst, *what;
		uint32_t src, pid;
	} cases[] = {
		{ false, true, "192.0.2.2", "forwarding off, local address", CAP_SRC_TUPLE, 5555 },
		{ true, true, "192.0.2.2", "forwarding on, local address", CAP_SRC_TUPLE, 5555 },
		{ true, true, "198.51.100.7", "forwarding on, routed address", CAP_SRC_NONE, 0 },
		{ false, false, "192.0.2.2", "forwarding off, another host's frame", CAP_SRC_NONE,
		  0 },
	};
	uint8_t f[128];
	uint32_t retval;
	char what[96];

	if (!CHECK(skel != NULL, "wildcard locality: load"))
		return;
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_record, NULL, NULL);
	if (!CHECK(rb != NULL, "wildcard locality: ring buffer"))
		goto out;
	put_owner(skel, NULL, 5353, 5555, 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(what, sizeof(what), "wildcard, %s", cases[i].what);
		if (!CHECK(set_lo_forwarding(cases[i].forwarding), what))
			continue;
		n_seen = 0;
		size_t len = udp4_frame(f, 80, "192.0.2.9", 1234, cases[i].dst, 5353);
		if (cases[i].lo_mac)
			to_lo_mac(f);
		run_prog(skel->progs.tc_ingress, f, len, 0, &retval);
		ring_buffer__consume(rb);
		if (CHECK_INT(n_seen, 1, what)) {
			CHECK_INT(seen[0].h.owner_src, cases[i].src, what);
			CHECK_INT(seen[0].h.owner.pid, cases[i].pid, what);
		}
	}
	set_lo_forwarding(false);
	ring_buffer__free(rb);
out:
	capture_bpf__destroy(skel);
}

/* ring.c's reader: records in order, whole, as the ring wraps; a callback's stop; a full ring */
struct ring_seen {
	uint16_t sport[64];
	int n, stop_at, bad;
};

static int on_ring_record(void *ctx, void *data, size_t size)
{
	struct ring_seen *rs = ctx;
	const struct cap_event *e = data;
	uint16_t sport;

	if (size != sizeof(*e) + CAP_CLASS_S || e->cap_len != 60 || rs->n >= 64) {
		rs->bad++;
		return 0;
	}
	memcpy(&sport, e->data + 34, 2);
	rs->sport[rs->n++] = ntohs(sport);
	return rs->n == rs->stop_at ? -7 : 0;
}

static bool in_order(const struct ring_seen *rs, uint16_t first)
{
	for (int i = 0; i < rs->n; i++)
		if (rs->sport[i] != first + i)
			return false;
	return true;
}

static void send_frames(struct capture_bpf *skel, uint16_t first, int n)
{
	uint8_t f[60];
	uint32_t retval;

	for (int i = 0; i < n; i++) {
		udp4_frame(f, sizeof(f), "192.0.2.1", (uint16_t)(first + i), "192.0.2.2", 5000);
		run_prog(skel->progs.tc_ingress, f, sizeof(f), 0, &retval);
	}
}

static void test_ring_reader(void)
{
	struct capture_bpf *skel = open_load(262144, 4096, 0, 0);	/* 25 records of 160 bytes */
	struct ring_seen rs = { .stop_at = -1 };
	struct bpf_ring *r;
	uint16_t next = 1000;
	int got;

	if (!CHECK(skel != NULL, "ring reader: load"))
		return;
	errno = 0;
	CHECK(ring_open(bpf_map__fd(skel->maps.stats), on_ring_record, &rs) == NULL &&
	      errno == EINVAL, "ring reader: not a ring buffer: EINVAL");
	r = ring_open(bpf_map__fd(skel->maps.events), on_ring_record, &rs);
	if (!CHECK(r != NULL, "ring reader: open"))
		goto out;
	for (int round = 0; round < 5; round++) {	/* 16,000 bytes through 4,096: wraps */
		rs.n = 0;
		send_frames(skel, next, 20);
		got = ring_consume(r);
		CHECK_INT(got, 20, "ring reader: a round's records");
		CHECK(rs.n == 20 && in_order(&rs, next), "ring reader: in order across the wrap");
		next += 20;
	}
	rs.n = 0;
	rs.stop_at = 2;
	send_frames(skel, next, 3);
	got = ring_consume(r);
	CHECK_INT(got, -7, "ring reader: the callback's stop returned");
	rs.stop_at = -1;
	got = ring_consume(r);
	CHECK_INT(got, 1, "ring reader: the rest after a stop");
	CHECK(rs.n == 3 && in_order(&rs, next), "ring reader: nothing lost or repeated by a stop");
	next += 3;
	rs.n = 0;
	send_frames(skel, next, 30);
	got = ring_consume(r);
	CHECK_INT(got, 25, "ring reader: a full ring's records");
	CHECK(rs.n == 25 && in_order(&rs, next), "ring reader: a full ring in order");
	got = ring_consume(r);
	CHECK_INT(got, 0, "ring reader: nothing left");
	CHECK_INT(rs.bad, 0, "ring reader: every record whole");
	ring_close(r);
out:
	capture_bpf__destroy(skel);
}

int main(void)
{
	if (geteuid() != 0) {
		fprintf(stderr, "test_capture: needs root\n");
		return 77;
	}
	if (!private_netns()) {
		fprintf(stderr, "test_capture: no network namespace of its own: %s\n",
			strerror(errno));
		return 1;
	}
	test_basic();
	test_wildcard_locality();
	test_ring_reader();
	test_snaplen_and_full_ring();
	test_process_filter();
	test_stored_owner();
	return CHECK_EXIT();
}
