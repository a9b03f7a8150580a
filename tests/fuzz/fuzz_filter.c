// SPDX-License-Identifier: BSD-3-Clause
/* libFuzzer target for the filter translator (src/filter*.c): classic BPF -> eBPF.
 *
 * Input layout: byte 0 chooses the mode (bit 0) and the link type (bits 1-2); then
 *   mode 0: a pcap expression up to the first NUL, compiled by filter_compile() (libpcap, then
 *           the translation for TC and XDP), then the packet;
 *   mode 1: byte 1 = instruction count n, then n raw classic instructions (8 bytes each, the
 *           struct sock_filter layout), translated by filter_xlate() directly, then the packet.
 * Raw programs reach the translator's rejection paths (bad opcodes, jumps out of the program,
 * scratch index >= 16, constant division by zero); whatever it accepts must be a program the
 * kernel verifier could accept (checked by tests/fuzz/ebpf_interp.h) and must give the packet
 * the same verdict as libpcap's interpreter bpf_filter() -- unless libpcap's own validator
 * bpf_validate() refuses the classic program, or the run hit the translator's documented loop
 * bound (FILTER_LOOP_MAX iterations of one backward jump, then "drop").
 *
 * Filters are run only as programs: name lookups in expressions ("host NAME") may try DNS, so
 * tests/fuzz/run.sh runs this target in an empty network namespace.
 * fuzz-seeds: filters */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define bpf_insn pcap_insn
#define bpf_program pcap_program
#include <pcap/pcap.h>
#undef bpf_insn
#undef bpf_program
#include <linux/filter.h>

#include "ebpf_interp.h"
#include "filter.h"
#include "filter_int.h"

#define MAX_RAW_INSNS	64
#define MAX_PACKET	2048

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int linktypes[4] = { DLT_EN10MB, DLT_RAW, DLT_LINUX_SLL, DLT_NULL };

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_filter: %s: %s\n", what, detail);
	abort();
}

/* The opcodes libpcap's bpf_filter() implements; it abort()s on any other, and bpf_validate()
 * does not refuse them all (found by this fuzzer). */
static bool classic_opcode_known(uint16_t code)
{
	static const uint16_t known[] = {
		BPF_RET | BPF_K, BPF_RET | BPF_A,
		BPF_LD | BPF_W | BPF_ABS, BPF_LD | BPF_H | BPF_ABS, BPF_LD | BPF_B | BPF_ABS,
		BPF_LD | BPF_W | BPF_IND, BPF_LD | BPF_H | BPF_IND, BPF_LD | BPF_B | BPF_IND,
		BPF_LD | BPF_W | BPF_LEN, BPF_LDX | BPF_W | BPF_LEN, BPF_LDX | BPF_MSH | BPF_B,
		BPF_LD | BPF_IMM, BPF_LDX | BPF_IMM, BPF_LD | BPF_MEM, BPF_LDX | BPF_MEM,
		BPF_ST, BPF_STX, BPF_JMP | BPF_JA, BPF_ALU | BPF_NEG,
		BPF_MISC | BPF_TAX, BPF_MISC | BPF_TXA,
	};
	static const uint16_t jumps[] = { BPF_JGT, BPF_JGE, BPF_JEQ, BPF_JSET };
	static const uint16_t alu[] = { BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_MOD, BPF_AND,
					BPF_OR, BPF_XOR, BPF_LSH, BPF_RSH };

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (code == known[i])
			return true;
	for (size_t i = 0; i < sizeof(jumps) / sizeof(jumps[0]); i++)
		if (code == (BPF_JMP | jumps[i] | BPF_K) || code == (BPF_JMP | jumps[i] | BPF_X))
			return true;
	for (size_t i = 0; i < sizeof(alu) / sizeof(alu[0]); i++)
		if (code == (BPF_ALU | alu[i] | BPF_K) || code == (BPF_ALU | alu[i] | BPF_X))
			return true;
	return false;
}

/* Can libpcap's interpreter run C with a defined result on every path? It has no loop bound
 * (the translation gives up after FILTER_LOOP_MAX rounds) and leaves M[] uninitialised (the
 * translation zeroes it), so compare verdicts only for programs without backward jumps that
 * write every M[k] before reading it on every path (forward data flow: with forward jumps
 * only, all predecessors of i come before i). */
static bool classic_well_defined(const struct sock_filter *c, size_t n)
{
	uint32_t in[MAX_RAW_INSNS];	/* bit k: M[k] written on every path reaching i */
	bool reached[MAX_RAW_INSNS] = { true };

	for (size_t i = 0; i < n; i++)
		in[i] = 0xffff;
	in[0] = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t cls = BPF_CLASS(c[i].code);
		uint32_t out = in[i];
		long succ[2] = { (long)i + 1, -1 };

		if (!reached[i])
			continue;
		if (!classic_opcode_known(c[i].code))
			return false;
		if ((cls == BPF_LD || cls == BPF_LDX) && BPF_MODE(c[i].code) == BPF_MEM &&
		    (c[i].k >= 16 || !(in[i] & (1u << c[i].k))))
			return false;
		/* bpf_filter() shifts a 32-bit A by k in C: undefined for k >= 32 */
		if (cls == BPF_ALU && BPF_SRC(c[i].code) == BPF_K &&
		    (BPF_OP(c[i].code) == BPF_LSH || BPF_OP(c[i].code) == BPF_RSH) && c[i].k >= 32)
			return false;
		if ((cls == BPF_ST || cls == BPF_STX) && c[i].k < 16)
			out |= 1u << c[i].k;
		if (cls == BPF_RET)
			continue;
		if (cls == BPF_JMP && BPF_OP(c[i].code) == BPF_JA) {
			if ((int32_t)c[i].k < 0)
				return false;
			succ[0] = (long)i + 1 + (long)c[i].k;
		} else if (cls == BPF_JMP) {
			succ[0] = (long)i + 1 + c[i].jt;
			succ[1] = (long)i + 1 + c[i].jf;
		}
		for (int s = 0; s < 2; s++) {
			if (succ[s] < 0)
				continue;
			if ((size_t)succ[s] >= n)
				return false;
			in[succ[s]] &= out;
			reached[succ[s]] = true;
		}
	}
	return true;
}

/* Run the translation for CTX on the packet; on success compare with the classic verdict
 * (when REF is not NULL). */
static void run_one(const struct bpf_insn *ins, size_t cnt, enum filter_ctx ctx, uint32_t flags,
		    const uint8_t *pkt, uint32_t len, const uint32_t *ref, const char *label)
{
	static struct ebpf_machine m;
	char msg[256];

	/* all of the packet linear (direct reads), then only part of it (a non-linear skb or
	 * XDP fragments: reads past data_end go through the load helper): same verdict */
	for (int split = 0; split < 2; split++) {
		uint64_t ret = 0;

		memset(&m, 0, sizeof(m));
		m.pkt = pkt;
		m.len = len;
		m.linear = split ? len / 2 : len;
		m.xdp = ctx == FILTER_CTX_XDP;
		m.arg2 = flags;
		if (ebpf_run(&m, ins, cnt, &ret)) {
			snprintf(msg, sizeof(msg), "%s (%s, flags %u, linear %u): translation the "
				 "verifier would refuse: %s", label, m.xdp ? "XDP" : "TC", flags,
				 m.linear, m.why);
			die("translator", msg);
		}
		if (ret >> 32)
			die("translator", "r0 has upper bits set at exit");
		if (ref && (uint32_t)ret != *ref) {
			snprintf(msg, sizeof(msg), "%s (%s, flags %u, linear %u): eBPF returns %u, "
				 "bpf_filter() %u on a %u-byte packet", label, m.xdp ? "XDP" : "TC",
				 flags, m.linear, (uint32_t)ret, *ref, len);
			die("verdict mismatch", msg);
		}
	}
}

static void fuzz_expression(const uint8_t *data, size_t size, int linktype)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t elen = nul ? (size_t)(nul - data) : size;
	char *expr = malloc(elen + 1), err[512];
	struct filter_prog *fp = NULL;

	memcpy(expr, data, elen);
	expr[elen] = 0;
	const uint8_t *pkt = nul ? nul + 1 : data + size;
	uint32_t plen = (uint32_t)(data + size - pkt);
	if (plen > MAX_PACKET)
		plen = MAX_PACKET;

	int rc = filter_compile(expr, linktype, 0, &fp, err, sizeof(err));
	if (rc) {
		/* the message quotes the expression: one line unless the expression has a newline
		 * (reported to the filter owner; main.c already flattens -F files) */
		if (!err[0] || (strchr(err, '\n') && !strchr(expr, '\n')))
			die("error message is not one line", err);
		free(expr);
		return;
	}
	/* The body runs the program for the link type, or with PROCAP_FILTER_L3 in its flags
	 * (Ethernet only) the same expression compiled for raw IP: two references. */
	/* protochain loops: libpcap has no bound (its bpf_filter() never returns on some crafted
	 * IPv6 chains: testdata/malformed/replay_protochain_loop.pcap), the translation gives up
	 * after FILTER_LOOP_MAX rounds; so there is no reference to run or compare against */
	bool cmp = !strstr(expr, "protochain");
	uint32_t ref = cmp ? filter_classic_run(fp, pkt, plen, plen) : 0;
	uint32_t ref_l3 = cmp ? filter_classic_run_l3(fp, pkt, plen, plen) : 0;
	for (int ctx = FILTER_CTX_SKB; ctx <= FILTER_CTX_XDP; ctx++) {
		size_t cnt;
		const struct bpf_insn *ins = filter_insns(fp, ctx, &cnt);

		run_one(ins, cnt, ctx, 0, pkt, plen, cmp ? &ref : NULL, expr);
		if (linktype == DLT_EN10MB)
			run_one(ins, cnt, ctx, FILTER_ARG_L3, pkt, plen, cmp ? &ref_l3 : NULL, expr);
	}
	filter_free(fp);
	free(expr);
}

static void fuzz_raw(const uint8_t *data, size_t size)
{
	struct sock_filter c[MAX_RAW_INSNS];
	struct pcap_insn pc[MAX_RAW_INSNS];
	char err[256];

	if (size < 1)
		return;
	size_t n = data[0] % MAX_RAW_INSNS + 1;
	data++, size--;
	if (size < n * 8)
		return;
	memcpy(c, data, n * 8);
	const uint8_t *pkt = data + n * 8;
	uint32_t plen = (uint32_t)(size - n * 8);
	if (plen > MAX_PACKET)
		plen = MAX_PACKET;

	for (size_t i = 0; i < n; i++)
		pc[i] = (struct pcap_insn){ .code = c[i].code, .jt = c[i].jt, .jf = c[i].jf,
					    .k = c[i].k };
	/* libpcap's interpreter trusts its input: it may only run what bpf_validate() accepts */
	bool valid = bpf_validate(pc, (int)n) && classic_well_defined(c, n);
	uint32_t ref = valid ? bpf_filter(pc, pkt, plen, plen) : 0;

	for (int ctx = FILTER_CTX_SKB; ctx <= FILTER_CTX_XDP; ctx++) {
		struct bpf_insn *ins = NULL;
		size_t cnt = 0;

		err[0] = 0;
		if (filter_xlate(c, n, ctx, &ins, &cnt, err, sizeof(err))) {
			if (!err[0] || strchr(err, '\n'))
				die("error message is not one line", err);
			continue;
		}
		run_one(ins, cnt, ctx, 0, pkt, plen, valid ? &ref : NULL, "raw classic program");
		free(ins);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int linktype = linktypes[(data[0] >> 1) & 3];

	if (data[0] & 1)
		fuzz_raw(data + 1, size - 1);
	else
		fuzz_expression(data + 1, size - 1, linktype);
	return 0;
}
