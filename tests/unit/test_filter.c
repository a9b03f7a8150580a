// SPDX-License-Identifier: BSD-3-Clause
/* Filter compiler and translator without privileges:
 *   - the classic part of -d is byte-identical to `tcpdump -d` (independent reference);
 *   - a bad expression gives "bad filter expression 'EXPR': " + libpcap's own message;
 *   - the eBPF output obeys the verifier's structural rules (every jump lands inside the
 *     function, every instruction is reachable, every path ends in exit, only the expected
 *     helpers, stack accesses inside the 72-byte frame), for many expressions incl. protochain;
 *   - invalid hand-written classic programs are refused with a reason.
 * Semantics (verdicts equal libpcap's bpf_filter()) are tested in the kernel by
 * tests/bpf/test_filter_diff.c. */
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
#include <linux/bpf.h>

#include "check.h"
#include "filter.h"

static const char *const exprs[] = {
	"", "tcp port 80", "udp port 5000", "host 198.51.100.1 and not port 22",
	"tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn", "ip[2:2] / (ip[1] & 1) > 0",
	"ip[3] << (ip[8] & 0x3f) > 5", "vlan 100 and ip6", "icmp6", "arp", "less 64",
	"ether broadcast", "ip6 protochain 6", "ip protochain 17",
	"ip6 protochain 58 or ip6 protochain 6", "portrange 1-1024", "len - 14 > 40",
	"tcp[((tcp[12] & 0xf0) >> 2):4] = 0x16030100", "ether[len - 1] = 0",
};

/* Text of `tcpdump -d EXPR` (Ethernet), or NULL when tcpdump cannot run. */
static char *tcpdump_d(const char *expr)
{
	char cmd[600], *buf = NULL;
	size_t len = 0;
	FILE *p, *out;
	int c;

	snprintf(cmd, sizeof(cmd), "tcpdump -d -y EN10MB '%s' 2>/dev/null", expr);
	p = popen(cmd, "r");
	if (!p)
		return NULL;
	out = open_memstream(&buf, &len);
	while ((c = fgetc(p)) != EOF)
		fputc(c, out);
	fclose(out);
	if (pclose(p) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static void test_dump_matches_tcpdump(void)
{
	if (access("/usr/bin/tcpdump", X_OK) && access("/usr/sbin/tcpdump", X_OK)) {
		SKIP("filter -d vs tcpdump -d", "tcpdump not installed");
		return;
	}
	for (size_t i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++) {
		struct filter_prog *fp;
		char err[512], name[200], *ours = NULL, *ref = tcpdump_d(exprs[i]), *cut;
		size_t len;
		FILE *out;

		snprintf(name, sizeof(name), "filter -d '%s' classic == tcpdump -d", exprs[i]);
		if (!ref) {
			SKIP(name, "tcpdump -d failed");
			continue;
		}
		if (!CHECKF(!filter_compile(exprs[i], DLT_EN10MB, 262144, &fp, err, sizeof(err)),
			    name, "%s", err)) {
			free(ref);
			continue;
		}
		out = open_memstream(&ours, &len);
		filter_dump(out, fp, FILTER_CTX_SKB);
		fclose(out);
		cut = strstr(ours, "; eBPF body of procap_filter() at TC, ");
		if (cut)
			*cut = 0;
		CHECKF(cut && !strcmp(ours, ref), name, "ours:\n%s\ntcpdump:\n%s", ours, ref);
		free(ours);
		free(ref);
		filter_free(fp);
	}
}

static void test_bad_expression(void)
{
	static const char *const bad[] = { "tcp port", "host 999.1.1.1", "foo", "ip6[" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct pcap_program ref;
		struct filter_prog *fp = NULL;
		char err[512], want[512], name[100];
		pcap_t *p = pcap_open_dead(DLT_EN10MB, 262144);
		int rc;

		/* libpcap's message, straight from pcap_compile() */
		CHECK(pcap_compile(p, &ref, bad[i], 1, PCAP_NETMASK_UNKNOWN) < 0,
		      "libpcap refuses");
		snprintf(want, sizeof(want), "bad filter expression '%s': %s", bad[i],
			 pcap_geterr(p));
		pcap_close(p);
		rc = filter_compile(bad[i], DLT_EN10MB, 262144, &fp, err, sizeof(err));
		snprintf(name, sizeof(name), "filter bad expression '%s'", bad[i]);
		CHECKF(rc < 0 && !fp && !strcmp(err, want) && !strchr(err, '\n'), name,
		       "rc %d, got '%s', want '%s'", rc, err, want);
	}
}

/* The verifier's structural rules, checked on our output. */
static const char *check_structure(const struct bpf_insn *in, size_t n, enum filter_ctx ctx)
{
	bool *seen = calloc(n, sizeof(*seen));
	size_t *stack = calloc(n * 2 + 1, sizeof(*stack)), sp = 0;
	const char *why = NULL;

	seen[0] = true;
	stack[sp++] = 0;
	while (sp && !why) {
		size_t i = stack[--sp];
		uint8_t cls = BPF_CLASS(in[i].code), op = BPF_OP(in[i].code);
		long next[2] = { (long)i + 1, -1 };

		if ((cls == BPF_LDX && in[i].src_reg == 10) ||
		    ((cls == BPF_STX || cls == BPF_ST) && in[i].dst_reg == 10)) {
			if (in[i].off < -72 || in[i].off >= 0)
				why = "stack access outside the frame";
		}
		if (cls == BPF_JMP || cls == BPF_JMP32) {
			if (op == BPF_EXIT) {
				next[0] = -1;
			} else if (op == BPF_CALL) {
				int32_t h = in[i].imm;
				bool ok = ctx == FILTER_CTX_SKB ?
					  h == BPF_FUNC_skb_load_bytes :
					  h == BPF_FUNC_xdp_load_bytes ||
					  h == BPF_FUNC_xdp_get_buff_len;
				if (!ok || in[i].src_reg)
					why = "unexpected call";
			} else if (op == BPF_JA) {
				next[0] = (long)i + 1 + in[i].off;
			} else {
				next[1] = (long)i + 1 + in[i].off;
			}
		}
		for (int s = 0; s < 2 && !why; s++) {
			if (next[s] == -1)
				continue;
			if (next[s] < 0 || (size_t)next[s] >= n) {
				why = "jump or fall-through outside the function";
			} else if (next[s] <= (long)i && op != BPF_CALL) {
				why = "backward jump (loops must be unrolled)";
			} else if (!seen[next[s]]) {
				seen[next[s]] = true;
				stack[sp++] = (size_t)next[s];
			}
		}
	}
	for (size_t i = 0; i < n && !why; i++)
		if (!seen[i])
			why = "unreachable instruction";
	free(seen);
	free(stack);
	return why;
}

static void test_structure(void)
{
	for (size_t i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++) {
		struct filter_prog *fp;
		char err[512], name[200];

		if (filter_compile(exprs[i], DLT_EN10MB, 262144, &fp, err, sizeof(err))) {
			CHECKF(false, "filter compile", "%s", err);
			continue;
		}
		for (int ctx = FILTER_CTX_SKB; ctx <= FILTER_CTX_XDP; ctx++) {
			size_t n;
			const struct bpf_insn *in = filter_insns(fp, ctx, &n);
			const char *why = check_structure(in, n, ctx);

			snprintf(name, sizeof(name), "filter eBPF structure '%s' %s", exprs[i],
				 ctx == FILTER_CTX_SKB ? "tc" : "xdp");
			CHECKF(!why, name, "%s", why);
		}
		filter_free(fp);
	}
}

/* Classic programs the translator must refuse (libpcap never emits them). */
struct cinsn {
	uint16_t code;
	uint8_t jt, jf;
	uint32_t k;
};

static void test_invalid_classic(void)
{
	static const struct {
		const char *name;
		struct cinsn ins[3];
		size_t n;
	} bad[] = {
		{ "jump past the end", { { BPF_JMP | BPF_JEQ | BPF_K, 5, 0, 1 },
					 { BPF_RET | BPF_K, 0, 0, 1 } }, 2 },
		{ "falls off the end", { { BPF_LD | BPF_IMM, 0, 0, 1 } }, 1 },
		{ "scratch index 16", { { BPF_ST, 0, 0, 16 }, { BPF_RET | BPF_K, 0, 0, 1 } }, 2 },
		{ "division by constant 0", { { BPF_ALU | BPF_DIV | BPF_K, 0, 0, 0 },
					      { BPF_RET | BPF_A, 0, 0, 0 } }, 2 },
		{ "unknown opcode", { { 0xff, 0, 0, 0 }, { BPF_RET | BPF_K, 0, 0, 1 } }, 2 },
		{ "empty", { { 0 } }, 0 },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct filter_prog *fp = NULL;
		char err[256] = "", name[100];
		int rc = filter_from_classic((const struct sock_filter *)bad[i].ins, bad[i].n, &fp,
					     err, sizeof(err));

		snprintf(name, sizeof(name), "filter refuses classic: %s", bad[i].name);
		CHECKF(rc < 0 && !fp && err[0], name, "rc %d err '%s'", rc, err);
		filter_free(fp);
	}
}

static void test_linktype(void)
{
	CHECK_INT(filter_linktype_of(NULL), DLT_EN10MB, "filter linktype any");
	CHECK_INT(filter_linktype_of("lo"), DLT_EN10MB, "filter linktype lo (Ethernet header)");
	CHECK(filter_linktype_of("no-such-if0") < 0, "filter linktype unknown interface");
	CHECK(filter_linktype_of("../x") < 0, "filter linktype refuses paths");
}

int main(void)
{
	test_dump_matches_tcpdump();
	test_bad_expression();
	test_structure();
	test_invalid_classic();
	test_linktype();
	return CHECK_EXIT();
}
